// The demo simulation's internals, shared by generator.cc (the day loop and
// the output), usage.cc (product usage, users, tickets), sales.cc (the sales
// team reacting to signals) and billing.cc (contracts, renewals, revenue and
// the hidden upgrade propensities). Private to src/demo: include only there.
#pragma once

#include <functional>
#include <ostream>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "demo/company.h"
#include "demo/generator.h"
#include "demo/random.h"
#include "engine/engine.h"
#include "input/attributor.h"
#include "input/parser.h"

namespace headroom::demo::sim {

constexpr TimeMs kMinute = 60 * 1000;
constexpr TimeMs kHour = 60 * kMinute;
constexpr TimeMs kDay = kMsPerDay;

inline const std::vector<std::string> kFeatures = {"dashboards", "reports", "alerts",  "search",
                                                   "exports",    "sharing", "comments"};
inline const std::vector<std::string> kPages = {"Dashboard", "Reports", "Settings", "Billing"};
inline const std::vector<std::string> kModules = {"analytics",    "automation",  "governance",
                                                  "integrations", "forecasting", "sso"};
inline const std::vector<std::string> kPaywalled = {"advanced_reports", "sso", "audit_log",
                                                    "extra_workspaces"};
inline const std::vector<std::string> kEndpoints = {"/v2/records", "/v2/query", "/v2/export"};
inline const std::vector<std::string> kDepartments = {
    "Engineering", "Sales", "Marketing", "Finance", "Operations", "Support", "Product"};
inline const std::vector<std::string> kTitles = {"Engineer",  "Analyst",    "Specialist",
                                                 "Manager",   "Associate",  "Consultant",
                                                 "Team Lead", "Coordinator"};
inline const std::vector<std::string> kSeniorTitles = {
    "Director of Engineering",  "VP of Sales", "Head of Operations", "CFO", "Sr. Director, IT",
    "Vice-President Marketing", "CTO"};
inline const std::vector<std::string> kTicketTopics = {
    "login", "billing", "data sync", "performance", "api errors", "permissions", "outage"};
inline const std::vector<std::string> kChannels = {"email", "call", "linkedin", "meeting"};

inline std::string NextPlan(const std::string& plan) {
  if (plan == "starter") return "team";
  if (plan == "team") return "business";
  return "enterprise";
}

inline int Round5(double seats) {
  return std::max(5, static_cast<int>(std::ceil(seats / 5.0)) * 5);
}

enum class ActionKind { kLine, kTouch, kOppOpen, kOppClose, kUpgrade };

struct Action {
  TimeMs at = 0;
  uint64_t order = 0;
  ActionKind kind = ActionKind::kLine;
  size_t account = 0;
  std::string line;       // kLine
  std::string signal_id;  // kTouch, kOppOpen
  std::string owner;      // kTouch, kOppOpen
  std::string reason;     // kUpgrade: seat | plan | organic
};

struct ActionLater {
  bool operator()(const Action& a, const Action& b) const {
    return a.at != b.at ? a.at > b.at : a.order > b.order;
  }
};

struct Item {
  TimeMs at;
  uint64_t order;
  std::string line;
};

struct SalesState {
  std::string open_opp;  // the account's open opportunity id, "" when none
  std::string opp_signal;
  std::string opp_owner;
  TimeMs opp_created = 0;
  bool upgrade_pending = false;
  double growth_boost = 1.0;
  int seats0 = 0;
};

class Simulation {
 public:
  Simulation(const DemoParams& params, std::ostream& out)
      : params_(params),
        company_(BuildCompany(params)),
        config_(LoadDemoConfig()),
        engine_(config_),
        parser_(engine_.property_interest()),
        out_(out),
        sales_rng_(DemoRng::Derive(params.seed, 1)) {
    engine_.set_track_changes(true);
    for (size_t i = 0; i < company_.accounts.size(); ++i) {
      usage_rng_.push_back(DemoRng::Derive(params.seed, 100000 + i));
      SalesState s;
      s.seats0 = company_.accounts[i].seats;
      sales_.push_back(s);
      index_[company_.accounts[i].id] = i;
    }
    for (const Owner& o : company_.owners) owner_group_[o.id] = o.group;
  }

  DemoStats Run(const std::function<void(int, int)>& progress);

 private:
  static Config LoadDemoConfig();

  // --- Output -----------------------------------------------------------------

  void Feed(const std::string& line, TimeMs at);

  std::string NextMessageId();

  void Schedule(Action a);
  void ScheduleLine(TimeMs at, std::string line);

  // --- Records --------------------------------------------------------------

  std::string ContractLine(const Account& a, TimeMs at, const std::string& status);
  std::string RevenueLine(const Account& a, TimeMs at);

  void WriteOpening();

  // --- One day ---------------------------------------------------------------

  void SimulateDay(Day d);

  TimeMs WorkTime(DemoRng& r, TimeMs day_start);

  void Add(std::vector<Item>& items, TimeMs at, std::string line);

  void AddUser(size_t i, DemoRng& r, TimeMs at, std::vector<Item>& items, bool executive = false);

  void SimulateAccountDay(size_t i, Day d, bool weekend, int weekday, std::vector<Item>& items);

  void Renew(size_t i, DemoRng& r, TimeMs at, std::vector<Item>& items);

  // --- Reactions to the engine ------------------------------------------------

  void Poll();

  // Hidden billing propensities (docs/DEMO.md): seat_capacity is the planted
  // predictor; workflow_value and second_workspace predict a little;
  // paywall_repeat not at all.
  void OnFiring(size_t i, const std::string& trigger, TimeMs at);

  // The sales team: pilot owners touch on time more often than control ones.
  void OnSignal(size_t i, const Signal& sig, bool created);

  void Execute(const Action& act);

  void Touch(const Action& act);

  void OpenOpportunity(const Action& act);

  std::string OpportunityLine(const Account& a, const SalesState& s, const std::string& stage,
                              std::optional<TimeMs> closed, double amount, double discount,
                              int term);

  // Closes the open opportunity: `won` forced by a planned upgrade, else drawn.
  void CloseOpportunity(size_t i, TimeMs at, bool forced_won);

  void WriteExpansion(size_t i, TimeMs at);

  // A planned upgrade (planted, weak-signal or organic): more seats, or the
  // next plan; closes the account's open opportunity as won, or books one on
  // its live signal when an owner had touched it.
  void Upgrade(size_t i, TimeMs at, const std::string& reason);

  DemoParams params_;
  Company company_;
  Config config_;
  Engine engine_;
  InputParser parser_;
  Attributor attributor_;
  std::ostream& out_;
  DemoStats stats_;
  DemoRng sales_rng_;
  std::vector<DemoRng> usage_rng_;
  std::vector<SalesState> sales_;
  std::unordered_map<std::string, size_t> index_;
  std::unordered_map<std::string, std::string> owner_group_;
  std::priority_queue<Action, std::vector<Action>, ActionLater> actions_;
  std::vector<Item> items_;  // the day being simulated (SimulateDay)
  uint64_t order_ = 0;
  uint64_t message_seq_ = 0;
  uint64_t tickets_ = 0;
  uint64_t opportunities_ = 0;
  TimeMs now_ = 0;
  TimeMs next_poll_ = 0;
};

}  // namespace headroom::demo::sim
