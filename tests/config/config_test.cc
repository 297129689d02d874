// LoadConfig on valid configs: the complete SPEC 2 example lands in the right
// fields, a config with only metrics and triggers gets every default, and the
// per-section defaulting rules (score sub-keys, committee windows, hold_days).
#include <gtest/gtest.h>

#include <string>

#include "config/loader.h"

namespace headroom {
namespace {

// SPEC 2, verbatim.
constexpr const char* kSpecExample = R"yaml(
server:
  listen: 127.0.0.1:8080
  write_keys: [wk_live_123]      # Segment write keys for /v1/track … /v1/batch
  api_tokens: [tok_revops_456]   # bearer tokens for the REST API and dashboard
storage:
  path: ./headroom-data          # the embedded store lives here
  synchronous: normal            # normal | full (full survives power loss)

metrics:
  active_users:      { distinct: user, window: 30d }
  gb_ingested:       { sum: gb, event: "Data Ingested", window: month }
  api_calls:         { count: "API Request", window: 1d }
  workspaces:        { distinct: workspace_id, event: "Workspace Created", window: all }
  modules:           { distinct: module, event: "Module Activated", window: all }
  paywall_days:      { days_active: "Paywall Hit", window: 14d }
  workflows_done:    { count: "Workflow Completed", window: 30d }
  workflows_started: { count: "Workflow Started", window: 30d }
  seats_reported:    { latest: seats_in_use, event: "Seats Synced" }

triggers:
  seat_capacity:                  # the 80/20/15 rule
    class: capacity
    metric: active_users
    limit: seats                  # contract.limits.seats
    at: 0.80                      # utilization = metric / limit
    sustained_days: 20
    buffer: 0.15                  # utilization >= 1 - buffer fires at once, urgent
    motion: seat_upgrade
  second_workspace:
    class: adoption
    metric: workspaces
    at: 2
    within_days_of_activation: 90
    motion: plan_change
  workflow_value:
    class: value
    ratio: [workflows_done, workflows_started]
    at: 0.40
    min_denominator: 20
  paywall_repeat:
    class: adoption
    metric: paywall_days
    at: 3
hold_days: 30                     # default for every trigger; a trigger may override

score:
  firmographic:                   # capped at max
    max: 30
    criteria:
      - { name: icp_fit,            trait: icp_fit, equals: true, points: 15 }
      - { name: headcount_growth,   trait: headcount_growth_pct, gte: 10, points: 10 }
      - { name: competitor_renewal, trait: competitor_renewal_date, within_days: 120, points: 5 }
  usage: { capacity: 20, adoption: 15, value: 15 }
  committee:                      # capped at max
    max: 20
    criteria:
      - { name: senior_logins,     new_senior_users: [director, vp, "vice president", "head of", chief, cxo, ceo, cfo, cto, coo, cro], window: 30d, gte: 1, points: 10 }
      - { name: second_department, distinct_user_trait: department, window: 30d, gte: 2, points: 5 }
      - { name: procurement,       count: "Procurement Mentioned", window: 30d, gte: 1, points: 5 }

suppress:
  contract_younger_than_days: 60
  sev1_ticket_within_days: 30
  renewal_in_negotiation: true
  traits: [{ trait: do_not_contact, equals: true }]

routing:
  ae_at: 70
  csm_at: 50
  ae_touch_sla_hours: 48
  csm_touch_sla_hours: 120
  signal_expire_days: 30
  resignal_cooldown_days: 30

credit: { ae: 0.8, csm: 0.2 }
deal_desk: { max_discount: 0.15, max_term_months: 36 }
reports: { horizon_days: 60 }

webhooks:
  - { url: "https://hooks.slack.com/services/T000/B000/XXX", format: slack, events: [signal.created, signal.escalated] }
  - { url: "http://127.0.0.1:9000/headroom", format: json, secret: "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", events: ["*"] }

delivery:
  retry_delays: [0s, 5s, 5m, 30m, 2h, 5h, 10h, 14h, 20h, 24h]   # between attempts; then dead-letter
  skip_older_than: 1d            # effects older than this when produced (history imports) are recorded, not sent
  timeout: 10s
)yaml";

// The smallest useful config: everything else is defaulted.
constexpr const char* kMinimal = R"yaml(
metrics:
  active_users: { distinct: user, window: 30d }
  api_calls:    { count: "API Request" }
triggers:
  busy:
    class: adoption
    metric: api_calls
    at: 100
)yaml";

constexpr TimeMs kSecond = kMsPerSecond;
constexpr TimeMs kMinute = 60 * kMsPerSecond;

Config MustLoad(const std::string& yaml) {
  ConfigLoadResult r = LoadConfig(yaml);
  std::string errors;
  for (const FieldError& e : r.errors) errors += e.ToString() + "\n";
  EXPECT_TRUE(r.config.has_value()) << errors;
  EXPECT_TRUE(r.errors.empty()) << errors;
  return r.config.value_or(Config{});
}

Window Days(int n) { return Window{Window::Kind::kDays, n}; }
const Window kMonth{Window::Kind::kMonth, 0};
const Window kAll{Window::Kind::kAll, 0};

// ---------------------------------------------------------------- SPEC 2 example

class SpecExampleTest : public ::testing::Test {
 protected:
  void SetUp() override { config_ = MustLoad(kSpecExample); }
  const MetricDef& Metric(const std::string& name) {
    const MetricDef* m = config_.FindMetric(name);
    EXPECT_NE(m, nullptr) << name;
    static const MetricDef kNone;
    return m ? *m : kNone;
  }
  Config config_;
};

TEST_F(SpecExampleTest, Server) {
  EXPECT_EQ(config_.server.listen, "127.0.0.1:8080");
  EXPECT_EQ(config_.server.write_keys, std::vector<std::string>{"wk_live_123"});
  EXPECT_EQ(config_.server.api_tokens, std::vector<std::string>{"tok_revops_456"});
  EXPECT_EQ(config_.server.public_url, "http://127.0.0.1:8080");  // default http://<listen>
  EXPECT_EQ(config_.server.max_queue, 100000);
}

TEST_F(SpecExampleTest, Storage) {
  EXPECT_EQ(config_.storage.path, "./headroom-data");
  EXPECT_EQ(config_.storage.synchronous, "normal");
  EXPECT_EQ(config_.storage.snapshot_every, 5 * kMinute);
}

TEST_F(SpecExampleTest, MetricsInDocumentOrder) {
  std::vector<std::string> names;
  for (const MetricDef& m : config_.metrics) names.push_back(m.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "active_users", "gb_ingested", "api_calls", "workspaces", "modules",
                       "paywall_days", "workflows_done", "workflows_started", "seats_reported"}));
}

struct MetricCase {
  const char* name;
  MetricForm form;
  std::vector<std::string> events;
  std::string property;
  Window window;
};

TEST_F(SpecExampleTest, EveryMetricForm) {
  const std::vector<MetricCase> cases = {
      {"active_users", MetricForm::kDistinctUser, {}, "", Days(30)},
      {"gb_ingested", MetricForm::kSum, {"Data Ingested"}, "gb", kMonth},
      {"api_calls", MetricForm::kCount, {"API Request"}, "", Days(1)},
      {"workspaces", MetricForm::kDistinct, {"Workspace Created"}, "workspace_id", kAll},
      {"modules", MetricForm::kDistinct, {"Module Activated"}, "module", kAll},
      {"paywall_days", MetricForm::kDaysActive, {"Paywall Hit"}, "", Days(14)},
      {"workflows_done", MetricForm::kCount, {"Workflow Completed"}, "", Days(30)},
      {"workflows_started", MetricForm::kCount, {"Workflow Started"}, "", Days(30)},
      {"seats_reported", MetricForm::kLatest, {"Seats Synced"}, "seats_in_use", kAll},
  };
  for (const MetricCase& c : cases) {
    SCOPED_TRACE(c.name);
    const MetricDef& m = Metric(c.name);
    EXPECT_EQ(m.name, c.name);
    EXPECT_EQ(m.form, c.form);
    EXPECT_EQ(m.events, c.events);
    EXPECT_EQ(m.property, c.property);
    EXPECT_EQ(m.window, c.window);
    EXPECT_TRUE(m.where.empty());
  }
}

TEST_F(SpecExampleTest, Triggers) {
  ASSERT_EQ(config_.triggers.size(), 4u);

  const TriggerDef& seat = config_.triggers[0];
  EXPECT_EQ(seat.name, "seat_capacity");
  EXPECT_EQ(seat.cls, TriggerClass::kCapacity);
  EXPECT_EQ(seat.metric, "active_users");
  EXPECT_FALSE(seat.ratio.has_value());
  EXPECT_EQ(seat.limit, std::optional<std::string>("seats"));
  EXPECT_DOUBLE_EQ(seat.at, 0.80);
  EXPECT_EQ(seat.sustained_days, std::optional<int>(20));
  EXPECT_EQ(seat.buffer, std::optional<double>(0.15));
  EXPECT_EQ(seat.motion, "seat_upgrade");
  EXPECT_EQ(seat.hold_days, 30);
  EXPECT_FALSE(seat.within_days_of_activation.has_value());
  EXPECT_FALSE(seat.min_denominator.has_value());

  const TriggerDef& ws = config_.triggers[1];
  EXPECT_EQ(ws.name, "second_workspace");
  EXPECT_EQ(ws.cls, TriggerClass::kAdoption);
  EXPECT_EQ(ws.metric, "workspaces");
  EXPECT_DOUBLE_EQ(ws.at, 2);
  EXPECT_EQ(ws.within_days_of_activation, std::optional<int>(90));
  EXPECT_EQ(ws.motion, "plan_change");
  EXPECT_FALSE(ws.sustained_days.has_value());
  EXPECT_FALSE(ws.buffer.has_value());
  EXPECT_FALSE(ws.limit.has_value());

  const TriggerDef& wf = config_.triggers[2];
  EXPECT_EQ(wf.name, "workflow_value");
  EXPECT_EQ(wf.cls, TriggerClass::kValue);
  EXPECT_EQ(wf.metric, "");
  ASSERT_TRUE(wf.ratio.has_value());
  EXPECT_EQ(wf.ratio->first, "workflows_done");
  EXPECT_EQ(wf.ratio->second, "workflows_started");
  EXPECT_DOUBLE_EQ(wf.at, 0.40);
  EXPECT_EQ(wf.min_denominator, std::optional<double>(20));
  EXPECT_EQ(wf.motion, "");

  const TriggerDef& pw = config_.triggers[3];
  EXPECT_EQ(pw.name, "paywall_repeat");
  EXPECT_EQ(pw.cls, TriggerClass::kAdoption);
  EXPECT_EQ(pw.metric, "paywall_days");
  EXPECT_DOUBLE_EQ(pw.at, 3);
  EXPECT_EQ(pw.hold_days, 30);
}

TEST_F(SpecExampleTest, FirmographicScore) {
  using Op = FirmographicCriterion::Op;
  const ScoreConfig& s = config_.score;
  EXPECT_DOUBLE_EQ(s.firmographic_max, 30);
  ASSERT_EQ(s.firmographic.size(), 3u);
  EXPECT_EQ(s.firmographic[0].name, "icp_fit");
  EXPECT_EQ(s.firmographic[0].trait, "icp_fit");
  EXPECT_EQ(s.firmographic[0].op, Op::kEquals);
  EXPECT_EQ(s.firmographic[0].value, Value::Bool(true));
  EXPECT_DOUBLE_EQ(s.firmographic[0].points, 15);
  EXPECT_EQ(s.firmographic[1].trait, "headcount_growth_pct");
  EXPECT_EQ(s.firmographic[1].op, Op::kGte);
  EXPECT_DOUBLE_EQ(s.firmographic[1].number, 10);
  EXPECT_DOUBLE_EQ(s.firmographic[1].points, 10);
  EXPECT_EQ(s.firmographic[2].trait, "competitor_renewal_date");
  EXPECT_EQ(s.firmographic[2].op, Op::kWithinDays);
  EXPECT_EQ(s.firmographic[2].days, 120);
  EXPECT_DOUBLE_EQ(s.firmographic[2].points, 5);
}

TEST_F(SpecExampleTest, UsageAndCommitteeScore) {
  using Kind = CommitteeCriterion::Kind;
  const ScoreConfig& s = config_.score;
  EXPECT_DOUBLE_EQ(s.usage_capacity, 20);
  EXPECT_DOUBLE_EQ(s.usage_adoption, 15);
  EXPECT_DOUBLE_EQ(s.usage_value, 15);
  EXPECT_DOUBLE_EQ(s.committee_max, 20);
  ASSERT_EQ(s.committee.size(), 3u);

  const CommitteeCriterion& senior = s.committee[0];
  EXPECT_EQ(senior.name, "senior_logins");
  EXPECT_EQ(senior.kind, Kind::kNewSeniorUsers);
  EXPECT_EQ(senior.words,
            (std::vector<std::string>{"director", "vp", "vice president", "head of", "chief", "cxo",
                                      "ceo", "cfo", "cto", "coo", "cro"}));
  EXPECT_EQ(senior.window, Days(30));
  EXPECT_DOUBLE_EQ(senior.gte, 1);
  EXPECT_DOUBLE_EQ(senior.points, 10);

  const CommitteeCriterion& dept = s.committee[1];
  EXPECT_EQ(dept.kind, Kind::kDistinctUserTrait);
  EXPECT_EQ(dept.trait, "department");
  EXPECT_DOUBLE_EQ(dept.gte, 2);
  EXPECT_DOUBLE_EQ(dept.points, 5);

  const CommitteeCriterion& proc = s.committee[2];
  EXPECT_EQ(proc.kind, Kind::kMetric);
  EXPECT_EQ(proc.metric.name, "procurement");
  EXPECT_EQ(proc.metric.form, MetricForm::kCount);
  EXPECT_EQ(proc.metric.events, std::vector<std::string>{"Procurement Mentioned"});
  EXPECT_EQ(proc.metric.window, Days(30));
  EXPECT_EQ(proc.window, Days(30));
  EXPECT_DOUBLE_EQ(proc.points, 5);
}

TEST_F(SpecExampleTest, SuppressRoutingCreditDealDeskReports) {
  EXPECT_EQ(config_.suppress.contract_younger_than_days, 60);
  EXPECT_EQ(config_.suppress.sev1_ticket_within_days, 30);
  EXPECT_TRUE(config_.suppress.renewal_in_negotiation);
  ASSERT_EQ(config_.suppress.traits.size(), 1u);
  EXPECT_EQ(config_.suppress.traits[0].trait, "do_not_contact");
  EXPECT_EQ(config_.suppress.traits[0].equals, Value::Bool(true));

  EXPECT_DOUBLE_EQ(config_.routing.ae_at, 70);
  EXPECT_DOUBLE_EQ(config_.routing.csm_at, 50);
  EXPECT_DOUBLE_EQ(config_.routing.ae_touch_sla_hours, 48);
  EXPECT_DOUBLE_EQ(config_.routing.csm_touch_sla_hours, 120);
  EXPECT_EQ(config_.routing.signal_expire_days, 30);
  EXPECT_EQ(config_.routing.resignal_cooldown_days, 30);

  EXPECT_DOUBLE_EQ(config_.credit_ae, 0.8);
  EXPECT_DOUBLE_EQ(config_.credit_csm, 0.2);
  EXPECT_DOUBLE_EQ(config_.deal_desk_max_discount, 0.15);
  EXPECT_DOUBLE_EQ(config_.deal_desk_max_term_months, 36);
  EXPECT_EQ(config_.reports_horizon_days, 60);
  EXPECT_EQ(config_.hold_days, 30);
}

TEST_F(SpecExampleTest, Webhooks) {
  ASSERT_EQ(config_.webhooks.size(), 2u);
  EXPECT_EQ(config_.webhooks[0].url, "https://hooks.slack.com/services/T000/B000/XXX");
  EXPECT_EQ(config_.webhooks[0].format, "slack");
  EXPECT_EQ(config_.webhooks[0].secret, "");
  EXPECT_EQ(config_.webhooks[0].events,
            (std::vector<std::string>{"signal.created", "signal.escalated"}));
  EXPECT_EQ(config_.webhooks[1].url, "http://127.0.0.1:9000/headroom");
  EXPECT_EQ(config_.webhooks[1].format, "json");
  EXPECT_EQ(config_.webhooks[1].secret, "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD");
  EXPECT_EQ(config_.webhooks[1].events, std::vector<std::string>{"*"});
}

TEST_F(SpecExampleTest, DeliveryDurationsInMilliseconds) {
  EXPECT_EQ(config_.delivery.retry_delays,
            (std::vector<TimeMs>{0, 5 * kSecond, 5 * kMinute, 30 * kMinute, 2 * kMsPerHour,
                                 5 * kMsPerHour, 10 * kMsPerHour, 14 * kMsPerHour, 20 * kMsPerHour,
                                 24 * kMsPerHour}));
  EXPECT_EQ(config_.delivery.skip_older_than, kMsPerDay);
  EXPECT_EQ(config_.delivery.timeout, 10 * kSecond);
}

TEST_F(SpecExampleTest, FingerprintIsSet) {
  EXPECT_EQ(config_.rules_fingerprint.size(), 16u);
  EXPECT_EQ(config_.rules_fingerprint, RulesFingerprint(config_));
}

// ---------------------------------------------------------------- defaults

TEST(Defaults, OnlyMetricsAndTriggersGetsTheExampleValues) {
  const Config c = MustLoad(kMinimal);
  const Config spec = MustLoad(kSpecExample);

  ASSERT_EQ(c.metrics.size(), 2u);
  EXPECT_EQ(c.metrics[1].window, kAll);  // a metric without window is all
  ASSERT_EQ(c.triggers.size(), 1u);
  EXPECT_EQ(c.triggers[0].hold_days, 30);
  EXPECT_EQ(c.triggers[0].motion, "");

  EXPECT_EQ(c.server.listen, "127.0.0.1:8080");
  EXPECT_TRUE(c.server.write_keys.empty());
  EXPECT_TRUE(c.server.api_tokens.empty());
  EXPECT_EQ(c.server.public_url, "http://127.0.0.1:8080");
  EXPECT_EQ(c.server.max_queue, 100000);
  EXPECT_EQ(c.storage.path, "./headroom-data");
  EXPECT_EQ(c.storage.synchronous, "normal");
  EXPECT_EQ(c.storage.snapshot_every, 5 * kMinute);
  EXPECT_EQ(c.hold_days, 30);
  EXPECT_TRUE(c.webhooks.empty());
  EXPECT_EQ(c.delivery.retry_delays, spec.delivery.retry_delays);
  EXPECT_EQ(c.delivery.skip_older_than, kMsPerDay);
  EXPECT_EQ(c.delivery.timeout, 10 * kSecond);
  EXPECT_EQ(c.reports_horizon_days, 60);
  EXPECT_DOUBLE_EQ(c.credit_ae, 0.8);
  EXPECT_DOUBLE_EQ(c.credit_csm, 0.2);
  EXPECT_DOUBLE_EQ(c.deal_desk_max_discount, 0.15);
  EXPECT_DOUBLE_EQ(c.deal_desk_max_term_months, 36);
  EXPECT_DOUBLE_EQ(c.routing.ae_at, 70);
  EXPECT_DOUBLE_EQ(c.routing.csm_at, 50);
  EXPECT_DOUBLE_EQ(c.routing.ae_touch_sla_hours, 48);
  EXPECT_DOUBLE_EQ(c.routing.csm_touch_sla_hours, 120);
  EXPECT_EQ(c.routing.signal_expire_days, 30);
  EXPECT_EQ(c.routing.resignal_cooldown_days, 30);
  EXPECT_EQ(c.suppress.contract_younger_than_days, 60);
  EXPECT_EQ(c.suppress.sev1_ticket_within_days, 30);
  EXPECT_TRUE(c.suppress.renewal_in_negotiation);
  ASSERT_EQ(c.suppress.traits.size(), 1u);
  EXPECT_EQ(c.suppress.traits[0].trait, "do_not_contact");
  EXPECT_EQ(c.suppress.traits[0].equals, Value::Bool(true));
}

TEST(Defaults, ScoreDefaultsAreTheExampleScore) {
  const Config c = MustLoad(kMinimal);
  const ScoreConfig& s = c.score;
  EXPECT_DOUBLE_EQ(s.firmographic_max, 30);
  ASSERT_EQ(s.firmographic.size(), 3u);
  EXPECT_EQ(s.firmographic[0].name, "icp_fit");
  EXPECT_EQ(s.firmographic[0].value, Value::Bool(true));
  EXPECT_EQ(s.firmographic[1].name, "headcount_growth");
  EXPECT_DOUBLE_EQ(s.firmographic[1].number, 10);
  EXPECT_EQ(s.firmographic[2].name, "competitor_renewal");
  EXPECT_EQ(s.firmographic[2].days, 120);
  EXPECT_DOUBLE_EQ(s.usage_capacity, 20);
  EXPECT_DOUBLE_EQ(s.usage_adoption, 15);
  EXPECT_DOUBLE_EQ(s.usage_value, 15);
  EXPECT_DOUBLE_EQ(s.committee_max, 20);
  ASSERT_EQ(s.committee.size(), 3u);
  EXPECT_EQ(s.committee[0].name, "senior_logins");
  EXPECT_EQ(s.committee[0].words.size(), 11u);
  EXPECT_EQ(s.committee[1].trait, "department");
  EXPECT_EQ(s.committee[2].metric.events, std::vector<std::string>{"Procurement Mentioned"});

  // The example spelled out gives the very same rules.
  EXPECT_EQ(RulesFingerprint(c), RulesFingerprint([&] {
              Config spec = MustLoad(kSpecExample);
              spec.metrics = c.metrics;
              spec.triggers = c.triggers;
              return spec;
            }()));
}

TEST(Defaults, EmptyDocumentIsAValidEmptyConfig) {
  for (const char* text : {"", "# nothing here\n", "---\n", "{}"}) {
    SCOPED_TRACE(text);
    const Config c = MustLoad(text);
    EXPECT_TRUE(c.metrics.empty());
    EXPECT_TRUE(c.triggers.empty());
    EXPECT_EQ(c.score.firmographic.size(), 3u);
  }
}

TEST(Defaults, EmptySectionValuesMeanEmpty) {
  const Config c = MustLoad("metrics:\ntriggers:\nwebhooks:\nscore:\nsuppress: ~\n");
  EXPECT_TRUE(c.webhooks.empty());
  EXPECT_EQ(c.score.committee.size(), 3u);
  EXPECT_EQ(c.suppress.traits.size(), 1u);
}

TEST(Defaults, PartialScoreKeepsTheOtherDefaults) {
  const Config c = MustLoad(R"yaml(
score:
  usage: { value: 40 }
  committee: { max: 25 }
)yaml");
  EXPECT_DOUBLE_EQ(c.score.usage_value, 40);
  EXPECT_DOUBLE_EQ(c.score.usage_capacity, 20);
  EXPECT_DOUBLE_EQ(c.score.usage_adoption, 15);
  EXPECT_DOUBLE_EQ(c.score.committee_max, 25);
  EXPECT_EQ(c.score.committee.size(), 3u);
  EXPECT_DOUBLE_EQ(c.score.firmographic_max, 30);
  EXPECT_EQ(c.score.firmographic.size(), 3u);
}

TEST(Defaults, GivenCriteriaReplaceTheDefaultList) {
  const Config c = MustLoad(R"yaml(
score:
  firmographic:
    criteria:
      - { name: plan, trait: plan, in: [pro, 3, true], points: 7 }
      - { name: small, trait: employees, lte: 50.5, points: 2 }
  committee:
    criteria: []
suppress:
  traits: []
)yaml");
  using Op = FirmographicCriterion::Op;
  ASSERT_EQ(c.score.firmographic.size(), 2u);
  EXPECT_DOUBLE_EQ(c.score.firmographic_max, 30);
  EXPECT_EQ(c.score.firmographic[0].op, Op::kIn);
  EXPECT_EQ(c.score.firmographic[0].values,
            (std::vector<Value>{Value::String("pro"), Value::Number(3), Value::Bool(true)}));
  EXPECT_DOUBLE_EQ(c.score.firmographic[0].points, 7);
  EXPECT_EQ(c.score.firmographic[1].op, Op::kLte);
  EXPECT_DOUBLE_EQ(c.score.firmographic[1].number, 50.5);
  EXPECT_TRUE(c.score.committee.empty());
  EXPECT_TRUE(c.suppress.traits.empty());
}

TEST(Defaults, TriggerHoldDaysFollowsTopLevelWhereverItIs) {
  const Config c = MustLoad(R"yaml(
triggers:
  a: { class: value, metric: m, at: 1 }
  b: { class: value, metric: m, at: 1, hold_days: 7 }
metrics:
  m: { count: E }
hold_days: 14
)yaml");
  ASSERT_EQ(c.triggers.size(), 2u);
  EXPECT_EQ(c.hold_days, 14);
  EXPECT_EQ(c.triggers[0].hold_days, 14);
  EXPECT_EQ(c.triggers[1].hold_days, 7);
}

// ---------------------------------------------------------------- metrics

TEST(Metrics, EventListsWhereAndDistinctUserWithEvent) {
  const Config c = MustLoad(R"yaml(
metrics:
  exports: { count: [Export CSV, "Export PDF"], where: { plan: pro, seats: 5, beta: true }, window: 7d }
  buyers:  { distinct: user, event: [Checkout Started, Checkout Done] }
  spend:   { sum: amount, window: month }
)yaml");
  ASSERT_EQ(c.metrics.size(), 3u);
  const MetricDef& exports = c.metrics[0];
  EXPECT_EQ(exports.form, MetricForm::kCount);
  EXPECT_EQ(exports.events, (std::vector<std::string>{"Export CSV", "Export PDF"}));
  EXPECT_EQ(exports.window, Days(7));
  ASSERT_EQ(exports.where.size(), 3u);
  EXPECT_EQ(exports.where[0], (std::pair<std::string, Value>{"plan", Value::String("pro")}));
  EXPECT_EQ(exports.where[1], (std::pair<std::string, Value>{"seats", Value::Number(5)}));
  EXPECT_EQ(exports.where[2], (std::pair<std::string, Value>{"beta", Value::Bool(true)}));
  const MetricDef& buyers = c.metrics[1];
  EXPECT_EQ(buyers.form, MetricForm::kDistinctUser);
  EXPECT_EQ(buyers.property, "");
  EXPECT_EQ(buyers.events, (std::vector<std::string>{"Checkout Started", "Checkout Done"}));
  const MetricDef& spend = c.metrics[2];
  EXPECT_EQ(spend.form, MetricForm::kSum);
  EXPECT_TRUE(spend.events.empty());  // every event
  EXPECT_EQ(spend.window, kMonth);
}

// ---------------------------------------------------------------- committee

TEST(Committee, WindowsAndMetricForms) {
  using Kind = CommitteeCriterion::Kind;
  const Config c = MustLoad(R"yaml(
score:
  committee:
    criteria:
      - { name: seniors, new_senior_users: [VP, "Head Of"], points: 4 }
      - { name: spenders, sum: amount, event: Purchase, window: month, gte: 100, points: 3 }
      - { name: teams, distinct: team_id, points: 2 }
      - { name: busy, days_active: [Login], window: 7d, points: 1 }
      - { name: users_ref, metric: active_users, points: 1 }
      - { name: users_ref_7d, metric: active_users, window: 7d, points: 1 }
metrics:
  active_users: { distinct: user, event: Login, window: 90d, where: { role: admin } }
)yaml");
  const auto& cc = c.score.committee;
  ASSERT_EQ(cc.size(), 6u);
  EXPECT_EQ(cc[0].kind, Kind::kNewSeniorUsers);
  EXPECT_EQ(cc[0].words, (std::vector<std::string>{"vp", "head of"}));  // lower-cased
  EXPECT_EQ(cc[0].window, Days(30));                                    // default 30d
  EXPECT_DOUBLE_EQ(cc[0].gte, 1);                                       // default gte

  EXPECT_EQ(cc[1].kind, Kind::kMetric);
  EXPECT_EQ(cc[1].metric.name, "spenders");
  EXPECT_EQ(cc[1].metric.form, MetricForm::kSum);
  EXPECT_EQ(cc[1].metric.property, "amount");
  EXPECT_EQ(cc[1].metric.events, std::vector<std::string>{"Purchase"});
  EXPECT_EQ(cc[1].metric.window, kMonth);
  EXPECT_EQ(cc[1].window, kMonth);
  EXPECT_DOUBLE_EQ(cc[1].gte, 100);

  EXPECT_EQ(cc[2].metric.form, MetricForm::kDistinct);
  EXPECT_EQ(cc[2].metric.property, "team_id");
  EXPECT_EQ(cc[2].metric.window, Days(30));

  EXPECT_EQ(cc[3].metric.form, MetricForm::kDaysActive);
  EXPECT_EQ(cc[3].metric.events, std::vector<std::string>{"Login"});
  EXPECT_EQ(cc[3].metric.window, Days(7));

  // `metric: name` copies the metric (named after the criterion), with its own
  // window unless the criterion gives one.
  EXPECT_EQ(cc[4].kind, Kind::kMetric);
  EXPECT_EQ(cc[4].metric.name, "users_ref");
  EXPECT_EQ(cc[4].metric.form, MetricForm::kDistinctUser);
  EXPECT_EQ(cc[4].metric.events, std::vector<std::string>{"Login"});
  ASSERT_EQ(cc[4].metric.where.size(), 1u);
  EXPECT_EQ(cc[4].metric.where[0].second, Value::String("admin"));
  EXPECT_EQ(cc[4].metric.window, Days(90));
  EXPECT_EQ(cc[4].window, Days(90));
  EXPECT_EQ(cc[5].metric.window, Days(7));
  EXPECT_EQ(cc[5].window, Days(7));
}

// ---------------------------------------------------------------- other sections

TEST(Sections, OperationalKeys) {
  const Config c = MustLoad(R"yaml(
server:
  listen: "0.0.0.0:9090"
  public_url: https://headroom.example.com
  max_queue: 5000
storage: { path: /var/lib/headroom, synchronous: full, snapshot_every: 90s }
delivery: { retry_delays: [1m], skip_older_than: 0s, timeout: 2m }
webhooks:
  - url: https://crm.example.com/hook
)yaml");
  EXPECT_EQ(c.server.listen, "0.0.0.0:9090");
  EXPECT_EQ(c.server.public_url, "https://headroom.example.com");
  EXPECT_EQ(c.server.max_queue, 5000);
  EXPECT_EQ(c.storage.path, "/var/lib/headroom");
  EXPECT_EQ(c.storage.synchronous, "full");
  EXPECT_EQ(c.storage.snapshot_every, 90 * kSecond);
  EXPECT_EQ(c.delivery.retry_delays, std::vector<TimeMs>{kMinute});
  EXPECT_EQ(c.delivery.skip_older_than, 0);
  EXPECT_EQ(c.delivery.timeout, 2 * kMinute);
  ASSERT_EQ(c.webhooks.size(), 1u);
  EXPECT_EQ(c.webhooks[0].format, "json");                         // default
  EXPECT_EQ(c.webhooks[0].events, std::vector<std::string>{"*"});  // default
  EXPECT_EQ(c.webhooks[0].secret, "");
}

}  // namespace
}  // namespace headroom
