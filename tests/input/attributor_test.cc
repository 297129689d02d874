// Attributor tests: SPEC 1.1 "Account", 3.7 rules 4 and 5.
#include "input/attributor.h"

#include <gtest/gtest.h>

#include <string>

#include "input/parser.h"

namespace headroom {
namespace {

TimeMs T(const char* iso) { return *ParseIsoTime(iso); }

Input Parse(const std::string& json, uint64_t seq = 0) {
  auto r = ParseInputLine(json, {});
  EXPECT_TRUE(r.ok()) << json << " -> " << (r.ok() ? "" : r.error().ToString());
  Input in = r.ok() ? r.value() : Input{};
  in.seq = seq;
  return in;
}

Input Group(const std::string& user, const std::string& group, const char* time, uint64_t seq,
            bool anonymous = false) {
  return Parse(R"({"type":"group",")" + std::string(anonymous ? "anonymousId" : "userId") +
                   R"(":")" + user + R"(","groupId":")" + group + R"(","timestamp":")" + time +
                   R"("})",
               seq);
}

Input Track(const std::string& user, const char* time, const std::string& extra = "") {
  return Parse(R"({"type":"track","event":"E","userId":")" + user + R"(","timestamp":")" + time +
               R"(")" + extra + "}");
}

TEST(AttributorTest, LatestGroupAtOrBeforeTheEventTime) {
  Attributor a;
  a.AddGroup(Group("u1", "acme", "2026-03-10T00:00:00Z", 1));
  a.AddGroup(Group("u1", "beta", "2026-03-15T00:00:00Z", 2));
  struct Case {
    const char* time;
    const char* account;
  };
  for (const Case& c : {Case{"2026-03-09T23:59:59.999Z", ""}, Case{"2026-03-10T00:00:00Z", "acme"},
                        Case{"2026-03-14T23:59:59.999Z", "acme"},
                        Case{"2026-03-15T00:00:00Z", "beta"}, Case{"2026-04-01", "beta"}}) {
    EXPECT_EQ(a.AccountAt("u1", T(c.time)), c.account) << c.time;
    Input ev = Track("u1", c.time);
    a.Attribute(ev);
    EXPECT_EQ(ev.account_id, c.account) << c.time;
  }
  EXPECT_EQ(a.AccountAt("u2", T("2026-04-01")), "");
  EXPECT_EQ(a.link_count(), 2u);
}

TEST(AttributorTest, EventBeforeAnyGroupIsUnattributed) {
  Attributor a;
  Input ev = Track("u1", "2026-03-10T00:00:00Z");
  a.Attribute(ev);
  EXPECT_EQ(ev.account_id, "");
  a.AddGroup(Group("u1", "acme", "2026-03-11T00:00:00Z", 2));
  Input early = Track("u1", "2026-03-10T00:00:00Z");
  a.Attribute(early);
  EXPECT_EQ(early.account_id, "");
}

TEST(AttributorTest, LateGroupArrivalInsertedByTime) {
  Attributor a;
  a.AddGroup(Group("u1", "beta", "2026-03-15T00:00:00Z", 1));
  a.AddGroup(Group("u1", "acme", "2026-03-10T00:00:00Z", 2));  // arrives late, older time
  EXPECT_EQ(a.AccountAt("u1", T("2026-03-12")), "acme");
  EXPECT_EQ(a.AccountAt("u1", T("2026-03-16")), "beta");
}

TEST(AttributorTest, SameTimeTieGoesToLaterArrival) {
  Attributor a;
  a.AddGroup(Group("u1", "acme", "2026-03-10T00:00:00Z", 5));
  a.AddGroup(Group("u1", "beta", "2026-03-10T00:00:00Z", 6));
  EXPECT_EQ(a.AccountAt("u1", T("2026-03-10T00:00:00Z")), "beta");
  // out-of-order calls: seq decides
  Attributor b;
  b.AddGroup(Group("u1", "beta", "2026-03-10T00:00:00Z", 6));
  b.AddGroup(Group("u1", "acme", "2026-03-10T00:00:00Z", 5));
  EXPECT_EQ(b.AccountAt("u1", T("2026-03-10T00:00:00Z")), "beta");
  // no seq assigned yet: the call order decides
  Attributor c;
  c.AddGroup(Group("u1", "acme", "2026-03-10T00:00:00Z", 0));
  c.AddGroup(Group("u1", "beta", "2026-03-10T00:00:00Z", 0));
  EXPECT_EQ(c.AccountAt("u1", T("2026-03-11")), "beta");
}

TEST(AttributorTest, ContextGroupIdWins) {
  Attributor a;
  a.AddGroup(Group("u1", "acme", "2026-03-10T00:00:00Z", 1));
  Input ev = Track("u1", "2026-03-12T00:00:00Z", R"(,"context":{"groupId":"explicit"})");
  ASSERT_TRUE(ev.explicit_account);
  a.Attribute(ev);
  EXPECT_EQ(ev.account_id, "explicit");
}

TEST(AttributorTest, AnonymousIdLinks) {
  Attributor a;
  a.AddGroup(Group("anon-1", "acme", "2026-03-10T00:00:00Z", 1, /*anonymous=*/true));
  Input anon =
      Parse(R"({"type":"page","anonymousId":"anon-1","timestamp":"2026-03-11T00:00:00Z"})");
  a.Attribute(anon);
  EXPECT_EQ(anon.account_id, "acme");
  // With a userId the look-up uses the userId, not the anonymousId.
  Input known = Parse(R"({"type":"page","userId":"u9","anonymousId":"anon-1",)"
                      R"("timestamp":"2026-03-11T00:00:00Z"})");
  a.Attribute(known);
  EXPECT_EQ(known.account_id, "");
  // A group call with both ids links the userId.
  a.AddGroup(Parse(R"({"type":"group","userId":"u9","anonymousId":"anon-2","groupId":"beta",)"
                   R"("timestamp":"2026-03-10T00:00:00Z"})",
                   2));
  EXPECT_EQ(a.AccountAt("u9", T("2026-03-11")), "beta");
  EXPECT_EQ(a.AccountAt("anon-2", T("2026-03-11")), "");
}

TEST(AttributorTest, OnlyEventsAndIdentifyAreAttributed) {
  Attributor a;
  a.AddGroup(Group("u1", "acme", "2026-03-10T00:00:00Z", 1));
  struct Case {
    std::string json;
    std::string account;
  };
  const std::string tail = R"("userId":"u1","timestamp":"2026-03-12T00:00:00Z"})";
  for (const Case& c :
       {Case{R"({"type":"track","event":"E",)" + tail, "acme"},
        Case{R"({"type":"page",)" + tail, "acme"}, Case{R"({"type":"screen",)" + tail, "acme"},
        Case{R"({"type":"identify",)" + tail, "acme"},
        Case{R"({"type":"alias","previousId":"p",)" + tail, ""},
        Case{R"({"type":"group","groupId":"zeta",)" + tail, "zeta"}}) {
    Input in = Parse(c.json);
    a.Attribute(in);
    EXPECT_EQ(in.account_id, c.account) << c.json;
  }
  Input record = Parse(R"({"type":"owner","owner_id":"u1","role":"ae","timestamp":"2026-03-12"})");
  a.Attribute(record);
  EXPECT_EQ(record.account_id, "");
}

TEST(AttributorTest, NonGroupInputsAreNotLinks) {
  Attributor a;
  a.AddGroup(Track("u1", "2026-03-10T00:00:00Z"));
  a.AddGroup(Parse(R"({"type":"account","account_id":"u1","timestamp":"2026-03-10"})"));
  EXPECT_EQ(a.link_count(), 0u);
  EXPECT_EQ(a.AccountAt("u1", T("2026-03-11")), "");
}

TEST(AttributorTest, AttributionIsFixedWhenApplied) {
  Attributor a;
  a.AddGroup(Group("u1", "acme", "2026-03-10T00:00:00Z", 1));
  Input ev = Track("u1", "2026-03-12T00:00:00Z");
  a.Attribute(ev);
  a.AddGroup(Group("u1", "beta", "2026-03-11T00:00:00Z", 3));  // later call, earlier time
  EXPECT_EQ(ev.account_id, "acme");                            // stored event unchanged
  Input next = Track("u1", "2026-03-12T00:00:00Z");
  a.Attribute(next);
  EXPECT_EQ(next.account_id, "beta");
  a.Clear();
  EXPECT_EQ(a.link_count(), 0u);
  EXPECT_EQ(a.AccountAt("u1", T("2026-03-12")), "");
}

TEST(AttributorTest, ManyLinksBinarySearch) {
  Attributor a;
  const TimeMs base = T("2026-01-01");
  for (int i = 0; i < 1000; ++i) {
    Input g = Group("u", "g" + std::to_string(i), "2026-01-01", static_cast<uint64_t>(i + 1));
    g.time = base + i * kMsPerHour;
    a.AddGroup(g);
  }
  EXPECT_EQ(a.AccountAt("u", base - 1), "");
  EXPECT_EQ(a.AccountAt("u", base), "g0");
  EXPECT_EQ(a.AccountAt("u", base + 500 * kMsPerHour + 1), "g500");
  EXPECT_EQ(a.AccountAt("u", base + 5000 * kMsPerHour), "g999");
}

}  // namespace
}  // namespace headroom
