// Config::rules_fingerprint: stable under layout, comments, key order and
// number spelling; changed by any rule; blind to operational sections.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "config/loader.h"

namespace headroom {
namespace {

constexpr const char* kRules = R"yaml(
metrics:
  users: { distinct: user, window: 30d }
  done:  { count: [Done, Finished], where: { plan: pro } }
triggers:
  seats: { class: capacity, metric: users, limit: seats, at: 0.80, buffer: 0.15 }
  flow:  { class: value, ratio: [done, users], at: 2, min_denominator: 5 }
)yaml";

std::string Fingerprint(const std::string& yaml) {
  ConfigLoadResult r = LoadConfig(yaml);
  EXPECT_TRUE(r.config.has_value()) << (r.errors.empty() ? "" : r.errors[0].ToString());
  return r.config ? r.config->rules_fingerprint : "";
}

TEST(Fingerprint, IsSixteenHexDigitsAndDeterministic) {
  const std::string fp = Fingerprint(kRules);
  ASSERT_EQ(fp.size(), 16u);
  EXPECT_EQ(fp.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(Fingerprint(kRules), fp);
}

TEST(Fingerprint, SameRulesWrittenDifferently) {
  const std::string rewritten = R"yaml(
# the same rules, block style, keys reordered, numbers respelled
triggers:
  seats:
    buffer: 1.5e-1
    at: 0.8
    limit: "seats"
    metric: users
    class: capacity
  flow:
    min_denominator: 5.0
    at: 2
    ratio:
      - done
      - users
    class: value
metrics:
  users:
    window: 30d
    distinct: user
  done:
    where: { plan: 'pro' }
    count:
      - Done
      - Finished
hold_days: 30          # the default, spelled out
routing: { ae_at: 70 } # likewise
)yaml";
  EXPECT_EQ(Fingerprint(rewritten), Fingerprint(kRules));
}

TEST(Fingerprint, OperationalSectionsDoNotCount) {
  const std::string with_ops = std::string(kRules) + R"yaml(
server: { listen: "0.0.0.0:1", write_keys: [a], api_tokens: [b], max_queue: 7 }
storage: { path: /tmp/x, synchronous: full, snapshot_every: 1m }
webhooks: [{ url: "https://x" }]
delivery: { retry_delays: [1s], timeout: 3s }
reports: { horizon_days: 90 }
)yaml";
  EXPECT_EQ(Fingerprint(with_ops), Fingerprint(kRules));
}

TEST(Fingerprint, EveryRuleSectionChangesIt) {
  const std::string base = Fingerprint(kRules);
  const std::string changes[] = {
      "hold_days: 31\n",
      "score: { usage: { value: 16 } }\n",
      "score: { firmographic: { max: 31 } }\n",
      "score: { committee: { criteria: [] } }\n",
      "suppress: { renewal_in_negotiation: false }\n",
      "suppress: { traits: [{ trait: do_not_contact, equals: \"true\" }] }\n",
      "routing: { csm_at: 51 }\n",
      "routing: { signal_expire_days: 31 }\n",
      "credit: { ae: 0.7 }\n",
      "deal_desk: { max_term_months: 24 }\n",
  };
  std::set<std::string> seen = {base};
  for (const std::string& change : changes) {
    SCOPED_TRACE(change);
    const std::string fp = Fingerprint(std::string(kRules) + change);
    EXPECT_NE(fp, base);
    EXPECT_TRUE(seen.insert(fp).second) << "collision";
  }
}

TEST(Fingerprint, MetricAndTriggerDetailsChangeIt) {
  const std::string base = Fingerprint(kRules);
  auto with = [](const std::string& from, const std::string& to) {
    std::string yaml = kRules;
    const size_t at = yaml.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return Fingerprint(yaml.replace(at, from.size(), to));
  };
  EXPECT_NE(with("window: 30d", "window: 29d"), base);
  EXPECT_NE(with("plan: pro", "plan: Pro"), base);
  EXPECT_NE(with("[Done, Finished]", "[Finished, Done]"), base);
  EXPECT_NE(with("at: 0.80", "at: 0.81"), base);
  EXPECT_NE(with("buffer: 0.15", "buffer: 0.1"), base);
  EXPECT_NE(with("min_denominator: 5", "min_denominator: 6"), base);
  EXPECT_NE(with("class: value", "class: adoption"), base);
  EXPECT_NE(with("seats: {", "seat: {"), base);
}

}  // namespace
}  // namespace headroom
