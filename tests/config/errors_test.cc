// LoadConfig on invalid configs: every problem is reported, with its exact path
// and rule, in document order; no config comes back.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/loader.h"

namespace headroom {
namespace {

// The errors as "path: rule" lines; also checks that no config came back.
std::vector<std::string> Errors(const std::string& yaml) {
  ConfigLoadResult r = LoadConfig(yaml);
  EXPECT_FALSE(r.config.has_value());
  std::vector<std::string> out;
  for (const FieldError& e : r.errors) out.push_back(e.ToString());
  return out;
}

using Lines = std::vector<std::string>;

// A valid base the table cases add one section to.
constexpr const char* kBase = R"yaml(
metrics:
  users: { distinct: user, window: 30d }
  done:  { count: Done }
  seats: { latest: seats, event: Seats Synced }
)yaml";

TEST(Errors, ManyProblemsAllReportedInDocumentOrder) {
  const Lines errors = Errors(R"yaml(
server:
  listen: localhost
  write_keys: wk_1
  max_queue: 0
storage:
  synchronous: fast
  snapshot_every: 0s
metrics:
  x: { count: "A", window: 7 }
  y: { sum: 5, event: E, window: 0d }
  z: { count: A, sum: b }
  w: { latest: p, event: E, window: 30d }
  v: { window: all }
  u: { count: A, event: B }
  q: { distinct: user, where: { plan: pro, flag: [1] } }
triggers:
  seat_capacity:
    class: capcity
    metric: seat
    at: "0.8"
    sustain_days: 20
    buffer: 0.15
  r:
    class: value
    ratio: [x, nope]
    metric: x
    limit: seats
    min_denominator: -1
  n: { hold_days: 1.5 }
hold_days: -1
score:
  firmographic:
    criteria:
      - { name: a, trait: t, equals: yes, points: 1 }
      - { name: a, trait: t, gte: 1, lte: 2, points: x }
      - { trait: t }
  usage: { capacity: -1, other: 2 }
  committee:
    criteria:
      - { name: s, new_senior_users: [VP, "--"], window: month, points: 10 }
      - { name: m, metric: w, window: 30d, points: 1 }
      - { name: e, count: A, event: B, points: 1 }
routing:
  ae_at: seventy
  ae_touch_sla_hours: 0
credit: { ae: 1.5 }
webhooks:
  - { url: "ftp://x", format: xml, events: [signal.created, signal.opened] }
  - { url: "https://x", format: slack, secret: "whsec_abcd" }
  - { format: json }
delivery:
  retry_delays: [0s, 5x, 10]
  timeout: 99999999999999999999s
  timeout: 1s
)yaml");
  EXPECT_EQ(errors, (Lines{
                        "server.listen: must be host:port",
                        "server.write_keys: must be a list",
                        "server.max_queue: must be >= 1",
                        "storage.synchronous: must be one of normal, full",
                        "storage.snapshot_every: must be longer than 0s",
                        "metrics.x.window: not a window (Nd, month or all)",
                        "metrics.y.sum: must be a string",
                        "metrics.y.window: not a window (Nd, month or all)",
                        "metrics.z.sum: conflicts with count",
                        "metrics.w.window: latest has no window",
                        "metrics.v: needs one of count, sum, distinct, days_active, latest",
                        "metrics.u.event: not allowed with count",
                        "metrics.q.where.flag: must be a string, number or boolean",
                        "triggers.seat_capacity.class: must be one of capacity, adoption, value",
                        "triggers.seat_capacity.metric: unknown metric 'seat'",
                        "triggers.seat_capacity.at: must be a number",
                        "triggers.seat_capacity.sustain_days: unknown key",
                        "triggers.seat_capacity.buffer: requires limit",
                        "triggers.r.ratio[1]: unknown metric 'nope'",
                        "triggers.r.metric: conflicts with ratio",
                        "triggers.r.limit: not allowed with ratio",
                        "triggers.r.min_denominator: must be >= 0",
                        "triggers.r.at: required",
                        "triggers.n.hold_days: must be an integer",
                        "triggers.n.class: required",
                        "triggers.n: needs metric or ratio",
                        "triggers.n.at: required",
                        "hold_days: must be >= 0",
                        "score.firmographic.criteria[1].name: duplicate name 'a'",
                        "score.firmographic.criteria[1].lte: conflicts with gte",
                        "score.firmographic.criteria[1].points: must be a number",
                        "score.firmographic.criteria[2].name: required",
                        "score.firmographic.criteria[2]: needs one of equals, gte, lte, in, "
                        "within_days",
                        "score.firmographic.criteria[2].points: required",
                        "score.usage.capacity: must be >= 0",
                        "score.usage.other: unknown key",
                        "score.committee.criteria[0].new_senior_users[1]: must contain a letter "
                        "or digit",
                        "score.committee.criteria[1].window: latest has no window",
                        "score.committee.criteria[2].event: not allowed with count",
                        "routing.ae_at: must be a number",
                        "routing.ae_touch_sla_hours: must be > 0",
                        "credit.ae: must be between 0 and 1",
                        "webhooks[0].url: must be an http:// or https:// URL",
                        "webhooks[0].format: must be one of json, slack",
                        "webhooks[0].events[1]: unknown event 'signal.opened'",
                        "webhooks[1].secret: only for format json",
                        "webhooks[2].url: required",
                        "delivery.retry_delays[1]: not a duration (<n>s, <n>m, <n>h or <n>d)",
                        "delivery.retry_delays[2]: not a duration (<n>s, <n>m, <n>h or <n>d)",
                        "delivery.timeout: duration too long (at most 36500d)",
                        "delivery.timeout: duplicate key",
                    }));
}

TEST(Errors, FieldErrorsCarryPathAndRuleSeparately) {
  ConfigLoadResult r =
      LoadConfig(std::string(kBase) + "triggers:\n  t: {class: value, metric: seat, at: 1}\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], (FieldError{"triggers.t.metric", "unknown metric 'seat'"}));
}

// One section appended to kBase -> exactly these errors.
struct Case {
  const char* name;
  const char* yaml;
  Lines errors;
};

class SectionErrors : public ::testing::TestWithParam<Case> {};

TEST_P(SectionErrors, ExactErrors) {
  EXPECT_EQ(Errors(std::string(kBase) + GetParam().yaml), GetParam().errors);
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(
    Triggers, SectionErrors,
    ::testing::Values(
        Case{"BufferWithoutLimit",
             "triggers:\n  t: {class: capacity, metric: users, at: 0.8, buffer: 0.15}\n",
             {"triggers.t.buffer: requires limit"}},
        Case{"BufferOutOfRange",
             "triggers:\n  t: {class: capacity, metric: users, limit: seats, at: 0.8, buffer: 1}\n",
             {"triggers.t.buffer: must be greater than 0 and less than 1"}},
        Case{"UnknownMetric",
             "triggers:\n  seat_capacity: {class: capacity, metric: seat, at: 0.8}\n",
             {"triggers.seat_capacity.metric: unknown metric 'seat'"}},
        Case{"MetricAndRatio",
             "triggers:\n  t: {class: value, ratio: [done, users], metric: done, at: 1}\n",
             {"triggers.t.metric: conflicts with ratio"}},
        Case{"NeitherMetricNorRatio",
             "triggers:\n  t: {class: value, at: 1}\n",
             {"triggers.t: needs metric or ratio"}},
        Case{"RatioNotAPair",
             "triggers:\n  t: {class: value, ratio: [done], at: 1}\n",
             {"triggers.t.ratio: must be a list of two metric names [A, B]"}},
        Case{"LimitWithRatio",
             "triggers:\n  t: {class: value, ratio: [done, users], limit: seats, at: 1}\n",
             {"triggers.t.limit: not allowed with ratio"}},
        Case{"MinDenominatorWithoutRatio",
             "triggers:\n  t: {class: value, metric: done, min_denominator: 5, at: 1}\n",
             {"triggers.t.min_denominator: requires ratio"}},
        Case{"DayCounts",
             "triggers:\n  t: {class: value, metric: done, at: 1, sustained_days: 0, "
             "within_days_of_activation: 2.5, hold_days: 40000}\n",
             {"triggers.t.sustained_days: must be >= 1",
              "triggers.t.within_days_of_activation: must be an integer",
              "triggers.t.hold_days: must be <= 36500"}},
        Case{"MissingEverything",
             "triggers:\n  t: {motion: upsell}\n",
             {"triggers.t.class: required", "triggers.t: needs metric or ratio",
              "triggers.t.at: required"}},
        Case{"BadName",
             "triggers:\n  \"seat capacity\": {class: value, metric: done, at: 1}\n",
             {"triggers.seat capacity: invalid name (use letters, digits, '_' or '-')"}},
        Case{"NotAMapping", "triggers:\n  t: 5\n", {"triggers.t: must be a mapping"}},
        Case{"TriggersNotAMapping", "triggers: [a, b]\n", {"triggers: must be a mapping"}}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    Metrics, SectionErrors,
    ::testing::Values(
        Case{"WindowForms",
             "  w1: {count: E, window: 30}\n  w2: {count: E, window: 0d}\n"
             "  w3: {count: E, window: week}\n  w4: {count: E, window: 36501d}\n"
             "  w5: {count: E, window: \"-1d\"}\n",
             {"metrics.w1.window: not a window (Nd, month or all)",
              "metrics.w2.window: not a window (Nd, month or all)",
              "metrics.w3.window: not a window (Nd, month or all)",
              "metrics.w4.window: window too long (at most 36500d)",
              "metrics.w5.window: not a window (Nd, month or all)"}},
        Case{"FormRules",
             "  a: {count: []}\n  b: {sum: \"\"}\n  c: {count: [E, 3]}\n  d: {days_active: E, "
             "event: F}\n  e: {latest: p, window: all}\n  f: {count: 7}\n",
             {"metrics.a.count: must not be empty", "metrics.b.sum: must not be empty",
              "metrics.c.count[1]: must be a string",
              "metrics.d.event: not allowed with days_active",
              "metrics.e.window: latest has no window",
              "metrics.f.count: must be an event name or a list of event names"}},
        Case{"TwoForms",
             "  a: {distinct: p, latest: q, count: E}\n",
             {"metrics.a.latest: conflicts with distinct",
              "metrics.a.count: conflicts with distinct"}},
        Case{"WhereRules",
             "  a: {count: E, where: [plan]}\n  b: {count: E, where: {x: ~}}\n",
             {"metrics.a.where: must be a mapping",
              "metrics.b.where.x: must be a string, number or boolean"}},
        Case{"UnknownKey", "  a: {count: E, windw: 7d}\n", {"metrics.a.windw: unknown key"}}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    Score, SectionErrors,
    ::testing::Values(
        Case{"FirmographicOps",
             "score:\n  firmographic:\n    max: -5\n    criteria:\n"
             "      - {name: a, trait: t, in: [], points: 1}\n"
             "      - {name: b, trait: t, within_days: 0, points: 1}\n"
             "      - {name: c, trait: t, gte: \"10\", points: -1}\n"
             "      - {name: d, trait: t, equals: [1], points: 1}\n",
             {"score.firmographic.max: must be >= 0",
              "score.firmographic.criteria[0].in: must not be empty",
              "score.firmographic.criteria[1].within_days: must be >= 1",
              "score.firmographic.criteria[2].gte: must be a number",
              "score.firmographic.criteria[2].points: must be >= 0",
              "score.firmographic.criteria[3].equals: must be a string, number or boolean"}},
        Case{"CommitteeKinds",
             "score:\n  committee:\n    criteria:\n"
             "      - {name: a, points: 1}\n"
             "      - {name: b, metric: nope, points: 1}\n"
             "      - {name: c, distinct_user_trait: dept, count: E, points: 1}\n"
             "      - {name: d, new_senior_users: [], event: E, points: 1}\n"
             "      - {name: e, sum: amount, window: forever, points: 1}\n"
             "      - {name: f, latest: seats, points: 1}\n"
             "      - {name: g, metric: done, where: {a: 1}, points: 1}\n"
             "      - notamap\n",
             {"score.committee.criteria[0]: needs one of new_senior_users, distinct_user_trait, "
              "count, sum, distinct, days_active, metric",
              "score.committee.criteria[1].metric: unknown metric 'nope'",
              "score.committee.criteria[2].count: conflicts with distinct_user_trait",
              "score.committee.criteria[3].new_senior_users: must not be empty",
              "score.committee.criteria[3].event: not allowed with new_senior_users",
              "score.committee.criteria[4].window: not a window (Nd, month or all)",
              "score.committee.criteria[5].latest: unknown key",
              "score.committee.criteria[5]: needs one of new_senior_users, distinct_user_trait, "
              "count, sum, distinct, days_active, metric",
              "score.committee.criteria[6].where: not allowed with metric",
              "score.committee.criteria[7]: must be a mapping"}},
        Case{"ScoreShape",
             "score:\n  usage: 5\n  committee: {criteria: {a: 1}}\n  extra: 1\n",
             {"score.usage: must be a mapping", "score.committee.criteria: must be a list",
              "score.extra: unknown key"}}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    Operational, SectionErrors,
    ::testing::Values(
        Case{"Suppress",
             "suppress:\n  contract_younger_than_days: -1\n  renewal_in_negotiation: yes\n"
             "  traits: [{trait: dnc}, {equals: true}]\n",
             {"suppress.contract_younger_than_days: must be >= 0",
              "suppress.renewal_in_negotiation: must be true or false",
              "suppress.traits[0].equals: required", "suppress.traits[1].trait: required"}},
        Case{"Routing",
             "routing: {csm_at: -1, csm_touch_sla_hours: 900000, signal_expire_days: 0, "
             "resignal_cooldown_days: 1.5}\n",
             {"routing.csm_at: must be >= 0", "routing.csm_touch_sla_hours: must be <= 876000",
              "routing.signal_expire_days: must be >= 1",
              "routing.resignal_cooldown_days: must be an integer"}},
        Case{"CreditDealDeskReports",
             "credit: {csm: -0.1}\ndeal_desk: {max_discount: 2, max_term_months: -1}\n"
             "reports: {horizon_days: 0}\n",
             {"credit.csm: must be between 0 and 1",
              "deal_desk.max_discount: must be between 0 and 1",
              "deal_desk.max_term_months: must be >= 0", "reports.horizon_days: must be >= 1"}},
        Case{"WebhookSecrets",
             "webhooks:\n  - {url: http://a, secret: C2FVsBQIhrscChlQIMV}\n"
             "  - {url: http://a, secret: \"whsec_not base64!\"}\n"
             "  - {url: http://a, secret: whsec_a}\n"
             "  - {url: http://a, secret: whsec_}\n"
             "  - {url: http://a, secret: \"whsec_YWJj=\"}\n"
             "  - {url: http://a, events: []}\n"
             "  - just-a-string\n",
             {"webhooks[0].secret: must be whsec_ followed by base64",
              "webhooks[1].secret: must be whsec_ followed by base64",
              "webhooks[2].secret: must be whsec_ followed by base64",
              "webhooks[3].secret: must be whsec_ followed by base64",
              "webhooks[4].secret: must be whsec_ followed by base64",
              "webhooks[5].events: must not be empty", "webhooks[6]: must be a mapping"}},
        Case{"WebhooksNotAList", "webhooks: {url: http://a}\n", {"webhooks: must be a list"}},
        Case{"Server",
             "server: {listen: \"127.0.0.1:99999\", api_tokens: [\"\"], public_url: example.com, "
             "max_queue: 2.5}\n",
             {"server.listen: must be host:port", "server.api_tokens[0]: must not be empty",
              "server.public_url: must be an http:// or https:// URL",
              "server.max_queue: must be an integer"}},
        Case{"StorageAndDelivery",
             "storage: {path: \"\", snapshot_every: 5}\n"
             "delivery: {retry_delays: [], skip_older_than: 1w, timeout: 0m}\n",
             {"storage.path: must not be empty",
              "storage.snapshot_every: not a duration (<n>s, <n>m, <n>h or <n>d)",
              "delivery.retry_delays: must not be empty",
              "delivery.skip_older_than: not a duration (<n>s, <n>m, <n>h or <n>d)",
              "delivery.timeout: must be longer than 0s"}}),
    CaseName);

// ---------------------------------------------------------------- keys

TEST(Keys, UnknownKeysAtEveryLevel) {
  EXPECT_EQ(Errors(std::string(kBase) + R"yaml(
metricz: {}
triggers:
  seat_capacity: { class: capacity, metric: users, at: 0.8, sustain_days: 20 }
score: { firmographic: { maximum: 3 }, committee: { criteria: [{ name: a, count: E, points: 1, weight: 2 }] } }
server: { port: 80 }
webhooks: [{ url: "http://a", headers: {} }]
)yaml"),
            (Lines{"metricz: unknown key", "triggers.seat_capacity.sustain_days: unknown key",
                   "score.firmographic.maximum: unknown key",
                   "score.committee.criteria[0].weight: unknown key", "server.port: unknown key",
                   "webhooks[0].headers: unknown key"}));
}

TEST(Keys, DuplicateKeysAtEveryLevel) {
  EXPECT_EQ(Errors(R"yaml(
metrics:
  a: { count: E }
  a: { count: F }
  b: { count: E, window: 7d, window: 30d }
triggers:
  t: { class: value, metric: a, at: 1, at: 2 }
routing: { ae_at: 60 }
routing: { ae_at: 80 }
score:
  committee:
    criteria:
      - { name: x, count: E, points: 1, points: 2 }
)yaml"),
            (Lines{"metrics.a: duplicate key", "metrics.b.window: duplicate key",
                   "triggers.t.at: duplicate key", "routing: duplicate key",
                   "score.committee.criteria[0].points: duplicate key"}));
}

TEST(Keys, DuplicateKeyKeepsTheFirstValueForChecks) {
  // The first occurrence is the one validated; the second is only reported.
  EXPECT_EQ(Errors("hold_days: x\nhold_days: 3\n"),
            (Lines{"hold_days: must be a number", "hold_days: duplicate key"}));
}

TEST(Keys, NonStringKeys) {
  EXPECT_EQ(Errors("routing:\n  ? [a]\n  : 1\n  \"\": 2\n"),
            (Lines{"routing: key must be a non-empty string",
                   "routing: key must be a non-empty string"}));
}

// ---------------------------------------------------------------- document level

TEST(Document, YamlSyntaxErrorIsOneErrorWithLineAndColumn) {
  ConfigLoadResult r = LoadConfig("metrics:\n  a: {count: [x\n");
  EXPECT_FALSE(r.config.has_value());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].field, "");
  EXPECT_EQ(r.errors[0].rule, "line 3, column 1: end of sequence flow not found");
}

TEST(Document, OtherSyntaxErrors) {
  for (const char* text :
       {"a: b: c\n", "{a: 1\n", "a:\n\t- tab\n", "[1, 2\n", "x: *undefined_anchor\n"}) {
    SCOPED_TRACE(text);
    const Lines errors = Errors(text);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].rfind("line ", 0), 0u) << errors[0];
  }
}

TEST(Document, InputYamlCppWouldRereadForeverIsASyntaxError) {
  // yaml-cpp 0.7's LoadAll loops forever here, and Load returns an empty
  // document: a stray leading ',' is never consumed.
  EXPECT_EQ(Errors(",server:\n  listen: x\n"), (Lines{"line 1, column 1: unexpected ','"}));
}

TEST(Document, DeepNestingIsASyntaxErrorNotACrash) {
  const std::string deep = "a: " + std::string(5000, '[') + std::string(5000, ']') + "\n";
  const Lines errors = Errors(deep);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("nesting too deep"), std::string::npos) << errors[0];
}

TEST(Document, NotAMappingOrSeveralDocuments) {
  EXPECT_EQ(Errors("- metrics\n"), (Lines{"the config must be a mapping of sections"}));
  EXPECT_EQ(Errors("just text\n"), (Lines{"the config must be a mapping of sections"}));
  EXPECT_EQ(Errors("hold_days: 1\n---\nhold_days: 2\n"),
            (Lines{"expected one YAML document, found 2"}));
}

TEST(Document, SelfReferencingAliasesTerminate) {
  EXPECT_EQ(Errors("metrics: &m\n  a: *m\n"),
            (Lines{"metrics.a.a: unknown key",
                   "metrics.a: needs one of count, sum, distinct, days_active, latest"}));
  EXPECT_EQ(Errors("metrics:\n  a: &x {count: [*x]}\n"),
            (Lines{"metrics.a.count[0]: must be a string"}));
}

TEST(Document, ErrorCountIsCapped) {
  std::string yaml = "routing:\n";
  for (int i = 0; i < 500; ++i) yaml += "  k" + std::to_string(i) + ": 1\n";
  const Lines errors = Errors(yaml);
  ASSERT_EQ(errors.size(), 201u);
  EXPECT_EQ(errors[0], "routing.k0: unknown key");
  EXPECT_EQ(errors[199], "routing.k199: unknown key");
  EXPECT_EQ(errors[200], "too many errors; only the first 200 are shown");
}

TEST(Document, ArbitraryBytesNeverThrow) {
  const std::string inputs[] = {std::string("\0\0\0", 3),
                                "\xff\xfe\xfd",
                                "{{{{",
                                "]]]]",
                                "metrics: {a: {count: \"\xc3\x28\"}}",
                                "? ? ? ?",
                                "&a [*a]",
                                "!!binary AAAA",
                                "%YAML 9.9\n---\na: 1"};
  for (const std::string& text : inputs) {
    ConfigLoadResult r;
    EXPECT_NO_THROW(r = LoadConfig(text));
    EXPECT_NE(r.config.has_value(), !r.errors.empty());
  }
}

}  // namespace
}  // namespace headroom
