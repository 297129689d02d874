#include "demo/company.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "demo/random.h"

namespace headroom::demo {

namespace {

const std::vector<std::string> kFirst = {
    "Acme",   "Northwind", "Globex",   "Initech",   "Umbrella", "Hooli",   "Vandelay", "Stark",
    "Wayne",  "Tyrell",    "Soylent",  "Cyberdyne", "Aperture", "Oscorp",  "Wonka",    "Gringotts",
    "Pied",   "Dunder",    "Sterling", "Bluth",     "Massive",  "Monarch", "Prestige", "Vortex",
    "Nimbus", "Quartz",    "Helix",    "Atlas",     "Beacon",   "Cobalt",  "Summit",   "Harbor",
    "Falcon", "Juniper",   "Meridian", "Orbit",     "Pioneer",  "Redwood", "Sable",    "Tundra"};
const std::vector<std::string> kSecond = {
    "Labs",  "Systems", "Analytics", "Logistics", "Health",   "Capital", "Robotics",
    "Foods", "Media",   "Energy",    "Software",  "Networks", "Retail",  "Bio",
    "Cloud", "Works",   "Partners",  "Data",      "Security", "Mobility"};
const std::vector<std::string> kIndustries = {"software",  "fintech",       "healthcare",
                                              "retail",    "manufacturing", "media",
                                              "logistics", "education"};
const std::vector<std::string> kRegions = {"NA", "NA", "EMEA", "EMEA", "APAC", "LATAM"};
const std::vector<std::string> kPeople = {
    "Alice Ames",  "Bob Brandt", "Carol Chen", "Dan Diaz",   "Erin Evans",  "Frank Fox",
    "Grace Gomez", "Hank Hill",  "Ivy Ito",    "Jack Jones", "Kim Kaur",    "Leo Lopez",
    "Mia Moreau",  "Ned Nash",   "Olga Orlov", "Pat Park",   "Quinn Quist", "Rita Ruiz",
    "Sam Singh",   "Tara Tran",  "Uma Udall",  "Vic Vega",   "Wes Wong",    "Xena Xu",
    "Yuri Yates",  "Zoe Zimmer", "Raj Rao",    "Max Meyer",  "Lena Lund",   "Omar Ortiz"};

Day AddMonths(Day d, int months) {
  int y;
  unsigned m, day;
  CivilFromDays(d, y, m, day);
  const int total = static_cast<int>(m) - 1 + months;
  const int yy = y + (total >= 0 ? total / 12 : (total - 11) / 12);
  const unsigned mm = static_cast<unsigned>(((total % 12) + 12) % 12) + 1;
  return DaysFromCivil(yy, mm, std::min(day, 28u));
}

std::string OwnerName(size_t i) { return kPeople[i % kPeople.size()]; }

}  // namespace

double SeatPrice(const std::string& plan) {
  if (plan == "starter") return 25;
  if (plan == "team") return 40;
  if (plan == "business") return 55;
  return 70;  // enterprise
}

Company BuildCompany(const DemoParams& params) {
  Company c;
  c.first_day = DaysFromCivil(2025, 12, 1);  // a Monday
  c.end_day = AddMonths(c.first_day, std::max(1, params.months));
  const int n = std::max(1, params.accounts);

  // The team: AEs (one per ~40 accounts) in teams of up to 4 under a manager,
  // CSMs (one per ~60 accounts) under their own manager, two RevOps.
  const int aes = std::max(2, (n + 39) / 40);
  const int csms = std::max(2, (n + 59) / 60);
  const int ae_managers = std::max(1, (aes + 3) / 4);
  size_t person = 0;
  std::vector<std::string> ae_ids, csm_ids;
  for (int m = 0; m < ae_managers; ++m)
    c.owners.push_back(
        {"mgr_sales_" + std::to_string(m + 1), "manager", OwnerName(person++), "", ""});
  c.owners.push_back({"mgr_cs_1", "manager", OwnerName(person++), "", ""});
  for (int i = 0; i < aes; ++i) {
    ae_ids.push_back("ae_" + std::to_string(i + 1));
    c.owners.push_back({ae_ids.back(), "ae", OwnerName(person++),
                        "mgr_sales_" + std::to_string(i / 4 + 1),
                        i % 2 == 0 ? "pilot" : "control"});
  }
  for (int i = 0; i < csms; ++i) {
    csm_ids.push_back("csm_" + std::to_string(i + 1));
    c.owners.push_back(
        {csm_ids.back(), "csm", OwnerName(person++), "mgr_cs_1", i % 2 == 0 ? "pilot" : "control"});
  }
  c.owners.push_back({"revops_1", "revops", OwnerName(person++), "", ""});
  c.owners.push_back({"revops_2", "revops", OwnerName(person++), "", ""});

  // Feature releases spread over the span.
  const int span = c.end_day - c.first_day;
  const std::vector<Release> releases = {{"AI Assist", "AI Assist Used", "business", 0},
                                         {"Audit Log", "Audit Log Viewed", "enterprise", 0},
                                         {"Slack Alerts", "Slack Alert Configured", "team", 0},
                                         {"Forecasts", "Forecast Created", "business", 0}};
  for (size_t i = 0; i < releases.size(); ++i) {
    Release r = releases[i];
    r.day = c.first_day + static_cast<Day>(span * (static_cast<double>(i) + 0.6) /
                                           (static_cast<double>(releases.size()) + 0.5));
    c.releases.push_back(r);
  }

  std::set<std::string> names;
  for (int i = 0; i < n; ++i) {
    DemoRng r = DemoRng::Derive(params.seed, 1000 + static_cast<uint64_t>(i));
    Account a;
    char id[32];
    std::snprintf(id, sizeof id, "acct_%04d", i + 1);
    a.id = id;
    std::string name = r.Pick(kFirst) + " " + r.Pick(kSecond);
    if (!names.insert(name).second) {
      static const char* const kSuffixes[] = {" Group", " Inc", " Holdings", " Co",
                                              " International"};
      name += kSuffixes[i % 5];
      if (names.count(name)) name += " " + std::to_string(i + 1);
      names.insert(name);
    }
    a.name = name;
    a.industry = r.Pick(kIndustries);
    a.region = r.Pick(kRegions);
    a.employees = static_cast<int>(std::clamp(std::exp(r.Normal(5.3, 1.1)), 12.0, 20000.0));
    a.icp_fit = r.Chance(0.45);
    a.headcount_growth_pct = static_cast<int>(std::round(r.Normal(7, 9)));
    a.intent_score = static_cast<int>(r.Int(5, 95));
    if (r.Chance(0.3)) a.competitor_renewal = c.first_day + static_cast<Day>(r.Int(0, span + 60));
    a.do_not_contact = r.Chance(0.02);
    a.ae = ae_ids[static_cast<size_t>(i) % ae_ids.size()];
    if (a.employees >= 60 || r.Chance(0.5))
      a.csm = csm_ids[static_cast<size_t>(r.Int(0, static_cast<int64_t>(csm_ids.size()) - 1))];

    Propensity& h = a.hidden;
    h.expansion = std::pow(r.Uniform(), 1.3);
    if (a.icp_fit) h.expansion = std::min(1.0, h.expansion + 0.15);
    h.target_util = std::clamp(r.Normal(0.72, 0.2), 0.25, 1.1);
    h.start_util = h.target_util * r.Uniform(0.5, 0.9);
    h.ramp_days = r.Uniform(40, 240);
    h.events_per_user = r.Uniform(1.0, 1.8);
    if (r.Chance(0.6)) h.workflow_rate = r.Uniform(0.6, 4.0);
    h.completion = std::clamp(r.Normal(0.42, 0.17), 0.08, 0.9);
    if (r.Chance(0.35)) h.paywall_rate = r.Uniform(0.05, 0.6);
    if (r.Chance(0.25)) h.api_rate = r.Uniform(2, 8);
    h.workspace_rate = r.Chance(0.4) ? r.Uniform(0.01, 0.04) : r.Uniform(0.0, 0.004);
    h.module_rate = r.Uniform(0.003, 0.02);
    h.ticket_rate = r.Uniform(0.2, 1.6);
    h.churn_risk = std::clamp(r.Normal(0.15, 0.1) - 0.1 * h.expansion, 0.01, 0.5);

    // Commercials. A third of the accounts sign up during the span.
    const double plan_x = r.Uniform();
    a.plan = plan_x < 0.3    ? "starter"
             : plan_x < 0.7  ? "team"
             : plan_x < 0.93 ? "business"
                             : "enterprise";
    const double base = a.plan == "starter"    ? 8
                        : a.plan == "team"     ? 20
                        : a.plan == "business" ? 45
                                               : 120;
    a.seats = std::max(5, static_cast<int>(std::round(base * std::exp(r.Normal(0, 0.35)) / 5)) * 5);
    if (r.Chance(0.33)) {
      a.signup = c.first_day + static_cast<Day>(r.Int(0, std::max(1, span * 2 / 3)));
      a.contract_start = a.signup;
    } else {
      a.signup = c.first_day - static_cast<Day>(r.Int(30, 900));
      a.contract_start = c.first_day - static_cast<Day>(r.Int(1, 360));
    }
    a.contract_end = AddMonths(a.contract_start, 12);
    a.mrr = a.seats * SeatPrice(a.plan);
    c.accounts.push_back(std::move(a));
  }
  return c;
}

}  // namespace headroom::demo
