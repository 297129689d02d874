// Test harness for the engine core: builds Inputs the way the parser and the
// attributor would, stamps arrival order, and feeds one Engine. Times are
// written as ISO-8601 text in tests ("2026-03-20T00:00:00Z").
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/time.h"
#include "config/config.h"
#include "engine/engine.h"
#include "engine/json.h"

namespace headroom::testing {

inline TimeMs T(const std::string& iso) {
  auto t = ParseIsoTime(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(0);
}
inline std::string Iso(TimeMs t) { return FormatIsoTime(t); }
inline std::string Iso(const std::optional<TimeMs>& t) { return t ? FormatIsoTime(*t) : "null"; }

inline MetricDef Metric(std::string name, MetricForm form, std::vector<std::string> events,
                        std::string property, Window window) {
  MetricDef m;
  m.name = std::move(name);
  m.form = form;
  m.events = std::move(events);
  m.property = std::move(property);
  m.window = window;
  return m;
}
inline Window Days(int n) { return Window{Window::Kind::kDays, n}; }
inline Window Month() { return Window{Window::Kind::kMonth, 0}; }
inline Window All() { return Window{Window::Kind::kAll, 0}; }

// A config with no score criteria and no suppression, so tests see only what
// they set up.
inline Config BareConfig() {
  Config c;
  c.score.firmographic.clear();
  c.score.committee.clear();
  c.suppress.traits.clear();
  return c;
}

class Harness {
 public:
  explicit Harness(Config config, EvaluationMode mode = EvaluationMode::kFull)
      : config_(std::move(config)), engine_(config_, mode) {}

  Engine& engine() { return engine_; }
  const Config& config() const { return config_; }

  void Feed(Input in) {
    in.seq = ++seq_;
    engine_.Apply(in);
  }

  void Track(const std::string& time, const std::string& account, const std::string& user,
             const std::string& event, const std::map<std::string, Value>& props = {},
             bool anonymous = false) {
    Input in;
    in.time = T(time);
    in.type = MessageType::kTrack;
    in.user_id = user;
    in.anonymous = anonymous;
    in.account_id = account;
    EventMsg e;
    e.event = event;
    for (const auto& name : engine_.property_interest().names) {
      auto it = props.find(name);
      e.props.push_back(it == props.end() ? Value() : it->second);
    }
    in.body = std::move(e);
    Feed(std::move(in));
  }

  void Identify(const std::string& time, const std::string& user, TraitMap traits,
                const std::string& account = "") {
    Input in;
    in.time = T(time);
    in.type = MessageType::kIdentify;
    in.user_id = user;
    in.account_id = account;
    in.body = IdentifyMsg{std::move(traits)};
    Feed(std::move(in));
  }

  void Group(const std::string& time, const std::string& user, const std::string& account,
             TraitMap traits = {}) {
    Input in;
    in.time = T(time);
    in.type = MessageType::kGroup;
    in.user_id = user;
    in.account_id = account;
    in.body = GroupMsg{account, std::move(traits)};
    Feed(std::move(in));
  }

  void Record(const std::string& time, const std::string& account, InputBody body) {
    Input in;
    in.time = T(time);
    in.type = MessageType::kRecord;
    in.account_id = account;
    in.body = std::move(body);
    Feed(std::move(in));
  }

  void Account(const std::string& time, const std::string& account, std::optional<std::string> ae,
               std::optional<std::string> csm, TraitMap traits = {}, std::string name = "") {
    AccountRecord r;
    r.name = name.empty() ? account : name;
    r.owners.ae = std::move(ae);
    r.owners.csm = std::move(csm);
    r.traits = std::move(traits);
    Record(time, account, r);
  }

  void Owner(const std::string& time, const std::string& id, const std::string& role,
             std::optional<std::string> manager = std::nullopt) {
    OwnerRecord r;
    r.owner_id = id;
    r.role = role;
    r.name = id;
    r.manager = std::move(manager);
    Record(time, "", r);
  }

  void Contract(const std::string& time, const std::string& account, const std::string& start,
                TraitMap limits, std::string renewal = "none") {
    ContractRecord r;
    r.plan = "team";
    r.arr = 12000;
    r.start = T(start);
    r.limits = std::move(limits);
    r.renewal_status = std::move(renewal);
    Record(time, account, r);
  }

  void Ticket(const std::string& time, const std::string& account, const std::string& id,
              Value severity, const std::string& opened_at) {
    TicketRecord r;
    r.ticket_id = id;
    r.severity = std::move(severity);
    r.opened_at = T(opened_at);
    Record(time, account, r);
  }

  void Touch(const std::string& at, const std::string& account,
             std::optional<std::string> signal_id, const std::string& owner,
             std::string channel = "email") {
    TouchRecord r;
    r.signal_id = std::move(signal_id);
    r.owner_id = owner;
    r.at = T(at);
    r.channel = std::move(channel);
    Record(at, account, r);
  }

  void Opportunity(const std::string& time, const std::string& account, const std::string& id,
                   std::optional<std::string> signal_id, const std::string& stage, double amount,
                   std::optional<std::string> closed_at = std::nullopt, double discount = 0,
                   double term_months = 12) {
    OpportunityRecord r;
    r.opportunity_id = id;
    r.signal_id = std::move(signal_id);
    r.owner_id = "ae1";
    r.created_at = T(time);
    r.stage = stage;
    if (closed_at) r.closed_at = T(*closed_at);
    r.amount = amount;
    r.discount = discount;
    r.term_months = term_months;
    Record(time, account, r);
  }

  void Advance(const std::string& time) { engine_.AdvanceTo(T(time)); }

  std::vector<Firing> Firings(const std::string& account = "") {
    std::vector<Firing> out;
    for (const Firing& f : engine_.Firings())
      if (account.empty() || f.account_id == account) out.push_back(f);
    std::sort(out.begin(), out.end(), [](const Firing& a, const Firing& b) {
      return std::tie(a.fired_at, a.account_id, a.trigger) <
             std::tie(b.fired_at, b.account_id, b.trigger);
    });
    return out;
  }
  const Signal* Sig(const std::string& id) { return engine_.FindSignal(id); }
  std::optional<AccountView> Acc(const std::string& id) { return engine_.Account(id); }

 private:
  Config config_;
  Engine engine_;
  uint64_t seq_ = 0;
};

}  // namespace headroom::testing
