// Parser tests: one JSON object -> Input or "<field>: <rule>" (docs/INPUT.md).
#include "input/parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace headroom {
namespace {

// 2026-03-20T10:00:00Z
constexpr TimeMs kT0 = 1'774'000'800'000;
constexpr TimeMs kDay = kMsPerDay;

std::string Describe(const Result<Input>& r) { return r.ok() ? "<ok>" : r.error().ToString(); }

Input MustParse(std::string_view json, const PropertyInterest& interest = {}) {
  auto r = ParseInputLine(json, interest);
  EXPECT_TRUE(r.ok()) << json << " -> " << Describe(r);
  return r.ok() ? r.value() : Input{};
}

std::string ErrorOf(std::string_view json, const PropertyInterest& interest = {}) {
  return Describe(ParseInputLine(json, interest));
}

TEST(ParserTest, T0IsWhatTheTestsAssume) { EXPECT_EQ(ParseIsoTime("2026-03-20T10:00:00Z"), kT0); }

// ---- Segment messages ----

TEST(ParserTest, Track) {
  const Input in = MustParse(
      R"({"type":"track","event":"Report Exported","userId":"u1","anonymousId":"a1",)"
      R"("messageId":"m-1","timestamp":"2026-03-20T10:00:00Z","properties":{"rows":12}})");
  EXPECT_EQ(in.type, MessageType::kTrack);
  EXPECT_EQ(in.time, kT0);
  EXPECT_EQ(in.seq, 0u);
  EXPECT_EQ(in.message_id, "m-1");
  EXPECT_EQ(in.user_id, "u1");
  EXPECT_FALSE(in.anonymous);
  EXPECT_EQ(in.account_id, "");
  EXPECT_FALSE(in.explicit_account);
  const auto* ev = std::get_if<EventMsg>(&in.body);
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(ev->event, "Report Exported");
  EXPECT_TRUE(ev->props.empty());  // no interest
}

TEST(ParserTest, AnonymousOnly) {
  const Input in = MustParse(
      R"({"type":"track","event":"E","anonymousId":"anon-7","timestamp":"2026-03-20T10:00:00Z"})");
  EXPECT_EQ(in.user_id, "anon-7");
  EXPECT_TRUE(in.anonymous);
  EXPECT_EQ(in.message_id, "");
}

TEST(ParserTest, EmptyUserIdFallsBackToAnonymousId) {
  const Input in = MustParse(
      R"({"type":"track","event":"E","userId":"","anonymousId":"a","timestamp":"2026-03-20"})");
  EXPECT_EQ(in.user_id, "a");
  EXPECT_TRUE(in.anonymous);
}

TEST(ParserTest, NumericIdsBecomeText) {
  const Input in = MustParse(
      R"({"type":"track","event":"E","userId":42,"messageId":1.5e3,"timestamp":"2026-03-20",)"
      R"("context":{"groupId":7}})");
  EXPECT_EQ(in.user_id, "42");
  EXPECT_EQ(in.message_id, "1500");
  EXPECT_EQ(in.account_id, "7");
  EXPECT_TRUE(in.explicit_account);
  EXPECT_EQ(MustParse(R"({"type":"track","event":"E","userId":-3,"messageId":0.25,)"
                      R"("timestamp":"2026-03-20"})")
                .message_id,
            "0.25");
  EXPECT_EQ(MustParse(R"({"type":"track","event":"E","userId":18446744073709551615,)"
                      R"("timestamp":"2026-03-20"})")
                .user_id,
            "18446744073709551615");
}

TEST(ParserTest, ContextGroupIdIsExplicitAccount) {
  for (const char* type : {"track", "page", "screen", "identify"}) {
    const Input in = MustParse(std::string(R"({"type":")") + type +
                               R"(","event":"E","userId":"u","timestamp":"2026-03-20",)"
                               R"("context":{"groupId":"acme","traits":{"x":1}}})");
    EXPECT_EQ(in.account_id, "acme") << type;
    EXPECT_TRUE(in.explicit_account) << type;
  }
  // empty / null groupId: no explicit account
  for (const char* ctx : {R"({"groupId":""})", R"({"groupId":null})", R"({})", "null"}) {
    const Input in = MustParse(std::string(R"({"type":"track","event":"E","userId":"u",)"
                                           R"("timestamp":"2026-03-20","context":)") +
                               ctx + "}");
    EXPECT_EQ(in.account_id, "") << ctx;
    EXPECT_FALSE(in.explicit_account) << ctx;
  }
  // alias has no account, whatever its context says
  const Input alias = MustParse(R"({"type":"alias","userId":"u","previousId":"a",)"
                                R"("timestamp":"2026-03-20","context":{"groupId":"acme"}})");
  EXPECT_EQ(alias.account_id, "");
  EXPECT_FALSE(alias.explicit_account);
}

TEST(ParserTest, PageAndScreenNaming) {
  struct Case {
    std::string json;
    std::string event;
  };
  const std::vector<Case> cases = {
      {R"({"type":"page","name":"Pricing","userId":"u","timestamp":"2026-03-20"})",
       "Viewed Pricing Page"},
      {R"({"type":"page","userId":"u","timestamp":"2026-03-20"})", "Viewed Page"},
      {R"({"type":"page","name":"","userId":"u","timestamp":"2026-03-20"})", "Viewed Page"},
      {R"({"type":"page","name":null,"userId":"u","timestamp":"2026-03-20"})", "Viewed Page"},
      {R"({"type":"page","category":"Docs","userId":"u","timestamp":"2026-03-20"})", "Viewed Page"},
      {R"({"type":"page","userId":"u","timestamp":"2026-03-20","properties":{"name":"Billing"}})",
       "Viewed Billing Page"},
      {R"({"type":"page","name":"Top","userId":"u","timestamp":"2026-03-20",)"
       R"("properties":{"name":"Prop"}})",
       "Viewed Top Page"},
      {R"({"type":"page","userId":"u","timestamp":"2026-03-20","properties":{"name":5}})",
       "Viewed Page"},
      {R"({"type":"screen","name":"Settings","userId":"u","timestamp":"2026-03-20"})",
       "Viewed Settings Screen"},
      {R"({"type":"screen","userId":"u","timestamp":"2026-03-20"})", "Viewed Screen"},
  };
  for (const auto& c : cases) {
    const Input in = MustParse(c.json);
    const auto* ev = std::get_if<EventMsg>(&in.body);
    ASSERT_NE(ev, nullptr) << c.json;
    EXPECT_EQ(ev->event, c.event) << c.json;
  }
  EXPECT_EQ(MustParse(R"({"type":"page","userId":"u","timestamp":"2026-03-20"})").type,
            MessageType::kPage);
  EXPECT_EQ(MustParse(R"({"type":"screen","userId":"u","timestamp":"2026-03-20"})").type,
            MessageType::kScreen);
}

TEST(ParserTest, Identify) {
  const Input in =
      MustParse(R"({"type":"identify","userId":"u1","timestamp":"2026-03-20T10:00:00Z",)"
                R"("traits":{"title":"VP of Sales","age":40,"tags":["a","b"],"gone":null}})");
  EXPECT_EQ(in.type, MessageType::kIdentify);
  EXPECT_EQ(in.account_id, "");
  const auto* id = std::get_if<IdentifyMsg>(&in.body);
  ASSERT_NE(id, nullptr);
  ASSERT_EQ(id->traits.size(), 4u);
  EXPECT_EQ(id->traits.at("title"), Value::String("VP of Sales"));
  EXPECT_EQ(id->traits.at("age"), Value::Number(40));
  EXPECT_EQ(id->traits.at("tags"), Value::Raw(R"(["a","b"])"));
  EXPECT_EQ(id->traits.at("gone"), Value::Null());
  // context.traits is not read
  const Input ctx = MustParse(
      R"({"type":"identify","userId":"u1","timestamp":"2026-03-20","context":{"traits":{"a":1}}})");
  EXPECT_TRUE(std::get<IdentifyMsg>(ctx.body).traits.empty());
}

TEST(ParserTest, Group) {
  const Input in = MustParse(
      R"({"type":"group","userId":"u1","groupId":"acme","timestamp":"2026-03-20T10:00:00Z",)"
      R"("traits":{"plan":"pro","employees":120},"context":{"groupId":"other"}})");
  EXPECT_EQ(in.type, MessageType::kGroup);
  EXPECT_EQ(in.account_id, "acme");
  EXPECT_FALSE(in.explicit_account);
  const auto* g = std::get_if<GroupMsg>(&in.body);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->group_id, "acme");
  ASSERT_EQ(g->traits.size(), 2u);
  EXPECT_EQ(g->traits.at("plan"), Value::String("pro"));
  EXPECT_EQ(g->traits.at("employees"), Value::Number(120));
  EXPECT_EQ(MustParse(R"({"type":"group","anonymousId":"a","groupId":99,"timestamp":"2026-03-20"})")
                .account_id,
            "99");
}

TEST(ParserTest, Alias) {
  const Input in =
      MustParse(R"({"type":"alias","userId":"u1","previousId":"anon-1","timestamp":"2026-03-20"})");
  EXPECT_EQ(in.type, MessageType::kAlias);
  EXPECT_EQ(in.account_id, "");
  const auto* a = std::get_if<AliasMsg>(&in.body);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->previous_id, "anon-1");
}

// ---- time (SPEC 1.1, 3.7 rule 2) ----

TEST(ParserTest, EventTimeForms) {
  struct Case {
    std::string fields;
    TimeMs time;
  };
  const std::vector<Case> cases = {
      {R"("timestamp":"2026-03-20T10:00:00Z")", kT0},
      {R"("timestamp":"2026-03-20T10:00:00.123Z")", kT0 + 123},
      {R"("timestamp":"2026-03-20T10:00:00.123999Z")", kT0 + 123},
      {R"("timestamp":"2026-03-20T10:00:00.1Z")", kT0 + 100},
      {R"("timestamp":"2026-03-20T10:00:00")", kT0},
      {R"("timestamp":"2026-03-20T10:00:00.5")", kT0 + 500},
      {R"("timestamp":"2026-03-20")", kT0 - 10 * kMsPerHour},
      {R"("timestamp":"2026-03-20T12:00:00+02:00")", kT0},
      {R"("timestamp":"2026-03-20T12:00:00+0200")", kT0},
      {R"("timestamp":"2026-03-20T05:30:00-04:30")", kT0},
      {R"("timestamp":"2026-03-20T10:00:00z")", kT0},
      // originalTimestamp when there is no timestamp (or it is null)
      {R"("originalTimestamp":"2026-03-20T10:00:00Z")", kT0},
      {R"("timestamp":null,"originalTimestamp":"2026-03-20T10:00:00Z")", kT0},
      {R"("timestamp":"2026-03-20T10:00:00Z","originalTimestamp":"2026-03-19T10:00:00Z")", kT0},
      // sentAt / receivedAt are ignored (file import)
      {R"("timestamp":"2026-03-20T10:00:00Z","sentAt":"2026-03-21T10:00:00Z",)"
       R"("receivedAt":"2026-03-22T10:00:00Z")",
       kT0},
      {R"("originalTimestamp":"2026-03-20T10:00:00Z","sentAt":"2026-03-20T10:00:05Z")", kT0},
      {R"("timestamp":"2026-03-20T10:00:00Z","sentAt":"garbage")", kT0},
  };
  for (const auto& c : cases) {
    const std::string json = R"({"type":"track","event":"E","userId":"u",)" + c.fields + "}";
    EXPECT_EQ(MustParse(json).time, c.time) << json;
  }
}

TEST(ParserTest, EventTimeErrors) {
  struct Case {
    std::string fields;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"", "timestamp: required (timestamp or originalTimestamp)"},
      {R"("sentAt":"2026-03-20T10:00:00Z")",
       "timestamp: required (timestamp or originalTimestamp)"},
      {R"("receivedAt":"2026-03-20T10:00:00Z")",
       "timestamp: required (timestamp or originalTimestamp)"},
      {R"("timestamp":null)", "timestamp: required (timestamp or originalTimestamp)"},
      {R"("timestamp":"yesterday")", "timestamp: not an ISO-8601 time"},
      {R"("timestamp":"")", "timestamp: not an ISO-8601 time"},
      {R"("timestamp":1774000800000)", "timestamp: not an ISO-8601 time"},
      {R"("timestamp":true)", "timestamp: not an ISO-8601 time"},
      {R"("timestamp":{"t":1})", "timestamp: not an ISO-8601 time"},
      {R"("timestamp":"2026-02-30T10:00:00Z")", "timestamp: not an ISO-8601 time"},
      {R"("timestamp":"2026-03-20T25:00:00Z")", "timestamp: not an ISO-8601 time"},
      {R"("timestamp":"2026-03-20T10:00:00Zjunk")", "timestamp: not an ISO-8601 time"},
      {R"("timestamp":"bad","originalTimestamp":"2026-03-20T10:00:00Z")",
       "timestamp: not an ISO-8601 time"},
      {R"("originalTimestamp":"bad")", "originalTimestamp: not an ISO-8601 time"},
  };
  for (const auto& c : cases) {
    std::string json = R"({"type":"track","event":"E","userId":"u")";
    if (!c.fields.empty()) json += "," + c.fields;
    json += "}";
    EXPECT_EQ(ErrorOf(json), c.error) << json;
  }
}

// ---- properties by interest ----

TEST(ParserTest, PropertiesByInterest) {
  const PropertyInterest interest{
      {"seats", "plan", "beta", "gone", "nil", "cfg", "list", "missing_too", "seats"}};
  const Input in =
      MustParse(R"({"type":"track","event":"E","userId":"u","timestamp":"2026-03-20",)"
                R"("properties":{"seats":12.5,"plan":"pro","beta":true,"nil":null,)"
                R"("cfg":{"a":[1, 2 ],"b":"x"},"list":[],"other":1,"nested":{"seats":3}}})",
                interest);
  const auto& props = std::get<EventMsg>(in.body).props;
  ASSERT_EQ(props.size(), interest.names.size());
  EXPECT_EQ(props[0], Value::Number(12.5));
  EXPECT_EQ(props[1], Value::String("pro"));
  EXPECT_EQ(props[2], Value::Bool(true));
  EXPECT_TRUE(props[3].missing());
  EXPECT_EQ(props[4], Value::Null());
  EXPECT_FALSE(props[4].missing());
  EXPECT_EQ(props[5], Value::Raw(R"({"a":[1,2],"b":"x"})"));
  EXPECT_EQ(props[6], Value::Raw("[]"));
  EXPECT_TRUE(props[7].missing());
  EXPECT_EQ(props[8], Value::Number(12.5));  // a repeated name gets the value too
}

TEST(ParserTest, PropertiesAbsentGiveMissingValues) {
  const PropertyInterest interest{{"a", "b"}};
  for (const char* props : {"", R"(,"properties":null)", R"(,"properties":{})"}) {
    const Input in = MustParse(
        std::string(R"({"type":"page","userId":"u","timestamp":"2026-03-20")") + props + "}",
        interest);
    const auto& v = std::get<EventMsg>(in.body).props;
    ASSERT_EQ(v.size(), 2u) << props;
    EXPECT_TRUE(v[0].missing());
    EXPECT_TRUE(v[1].missing());
  }
}

TEST(ParserTest, StringNumbersStayStrings) {
  const PropertyInterest interest{{"n", "s"}};
  const Input in = MustParse(R"({"type":"track","event":"E","userId":"u",)"
                             R"("timestamp":"2026-03-20","properties":{"n":1,"s":"1"}})",
                             interest);
  const auto& v = std::get<EventMsg>(in.body).props;
  EXPECT_EQ(v[0], Value::Number(1));
  EXPECT_EQ(v[1], Value::String("1"));
  EXPECT_FALSE(v[0] == v[1]);
}

TEST(ParserTest, DuplicateKeysLastWins) {
  const PropertyInterest interest{{"p"}};
  const Input in = MustParse(R"({"type":"track","event":"A","event":"B","userId":"u",)"
                             R"("timestamp":"2026-03-20","properties":{"p":1,"p":2}})",
                             interest);
  EXPECT_EQ(std::get<EventMsg>(in.body).event, "B");
  EXPECT_EQ(std::get<EventMsg>(in.body).props[0], Value::Number(2));
}

// The top-level fields are collected in one pass: for every field the last
// occurrence wins, and a last occurrence that is null makes the field absent
// (userId null -> anonymousId; timestamp null -> originalTimestamp), even
// after a valid earlier value.
TEST(ParserTest, DuplicateTopLevelFieldsOnePass) {
  const Input in = MustParse(
      R"({"type":"identify","type":"track","event":"A","userId":"u1","userId":null,)"
      R"("anonymousId":"a1","messageId":"m1","messageId":"m2","context":{"groupId":"g1"},)"
      R"("context":{"groupId":"g2"},"timestamp":"2026-03-20T10:00:00Z","timestamp":null,)"
      R"("originalTimestamp":"2026-03-21T10:00:00Z","event":"B"})");
  EXPECT_EQ(in.type, MessageType::kTrack);
  EXPECT_EQ(std::get<EventMsg>(in.body).event, "B");
  EXPECT_EQ(in.user_id, "a1");
  EXPECT_TRUE(in.anonymous);
  EXPECT_EQ(in.message_id, "m2");
  EXPECT_EQ(in.account_id, "g2");
  EXPECT_EQ(in.time, kT0 + kDay);
  // A later null hides an earlier valid event name: "required for track".
  EXPECT_EQ(ErrorOf(R"({"type":"track","event":"A","event":null,"userId":"u",)"
                    R"("timestamp":"2026-03-20"})"),
            "event: required for track");
  // A later non-string type is what is checked.
  EXPECT_EQ(ErrorOf(R"({"type":"track","type":1,"event":"A","userId":"u"})"),
            "type: must be a string");
}

// ---- Segment errors ----

TEST(ParserTest, SegmentErrors) {
  struct Case {
    std::string json;
    std::string error;
  };
  const std::string ts = R"("timestamp":"2026-03-20T10:00:00Z")";
  const std::vector<Case> cases = {
      {R"({"event":"E","userId":"u",)" + ts + "}", "type: required"},
      {R"({"type":null,"event":"E","userId":"u",)" + ts + "}", "type: required"},
      {R"({"type":3,"userId":"u",)" + ts + "}", "type: must be a string"},
      {R"({"type":"Track","event":"E","userId":"u",)" + ts + "}", "type: unknown type 'Track'"},
      {R"({"type":"batch","batch":[]})", "type: unknown type 'batch'"},
      {R"({"type":")" + std::string(60, 'x') + R"("})",
       "type: unknown type '" + std::string(40, 'x') + "...'"},
      {R"({"type":"track","userId":"u",)" + ts + "}", "event: required for track"},
      {R"({"type":"track","event":"","userId":"u",)" + ts + "}", "event: required for track"},
      {R"({"type":"track","event":null,"userId":"u",)" + ts + "}", "event: required for track"},
      {R"({"type":"track","event":5,"userId":"u",)" + ts + "}", "event: must be a string"},
      {R"({"type":"track","event":"E",)" + ts + "}", "userId: required (userId or anonymousId)"},
      {R"({"type":"track","event":"E","userId":"","anonymousId":"",)" + ts + "}",
       "userId: required (userId or anonymousId)"},
      {R"({"type":"track","event":"E","userId":null,)" + ts + "}",
       "userId: required (userId or anonymousId)"},
      {R"({"type":"identify",)" + ts + "}", "userId: required (userId or anonymousId)"},
      {R"({"type":"group","groupId":"g",)" + ts + "}", "userId: required (userId or anonymousId)"},
      {R"({"type":"alias","previousId":"p",)" + ts + "}",
       "userId: required (userId or anonymousId)"},
      {R"({"type":"track","event":"E","userId":true,)" + ts + "}", "userId: must be a string"},
      {R"({"type":"track","event":"E","userId":"u","anonymousId":["a"],)" + ts + "}",
       "anonymousId: must be a string"},
      {R"({"type":"track","event":"E","userId":"u","messageId":{},)" + ts + "}",
       "messageId: must be a string"},
      {R"({"type":"group","userId":"u",)" + ts + "}", "groupId: required for group"},
      {R"({"type":"group","userId":"u","groupId":"",)" + ts + "}", "groupId: required for group"},
      {R"({"type":"group","userId":"u","groupId":false,)" + ts + "}", "groupId: must be a string"},
      {R"({"type":"alias","userId":"u",)" + ts + "}", "previousId: required for alias"},
      {R"({"type":"track","event":"E","userId":"u","properties":[1],)" + ts + "}",
       "properties: must be an object"},
      {R"({"type":"track","event":"E","userId":"u","properties":"x",)" + ts + "}",
       "properties: must be an object"},
      {R"({"type":"identify","userId":"u","traits":"x",)" + ts + "}", "traits: must be an object"},
      {R"({"type":"group","userId":"u","groupId":"g","traits":[],)" + ts + "}",
       "traits: must be an object"},
      {R"({"type":"track","event":"E","userId":"u","context":"x",)" + ts + "}",
       "context: must be an object"},
      {R"({"type":"track","event":"E","userId":"u","context":{"groupId":{}},)" + ts + "}",
       "context.groupId: must be a string"},
      {R"({"type":"page","name":7,"userId":"u",)" + ts + "}", "name: must be a string"},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(c.json), c.error) << c.json;
}

// ---- the body itself ----

TEST(ParserTest, BodyErrors) {
  struct Case {
    std::string json;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"", "body: empty"},
      {"   \n", "body: empty"},
      {"\xEF\xBB\xBF", "body: empty"},
      {"{", "body: not valid JSON"},
      {R"({"type":"track",})", "body: not valid JSON"},
      {R"({"type":"track"} {"type":"track"})", "body: not valid JSON"},
      {R"({'type':'track'})", "body: not valid JSON"},
      {R"({"type":"track","event":"a	b"})", "body: not valid JSON"},  // raw tab
      {R"({"type":"track","x":"\ud800"})", "body: not valid JSON"},
      {std::string(R"({"type":"track"})") + '\0', "body: not valid JSON"},
      {R"({"type":"track","n":123456789012345678901234567890})",
       "body: not valid JSON (a number is malformed or out of range)"},
      {"{\"type\":\"track\",\"event\":\"\xff\xfe\"}", "body: invalid UTF-8"},
      {"{\"type\":\"track\",\"event\":\"\xc3\"}", "body: invalid UTF-8"},
      {"{\"type\":\"track\",\"event\":\"\xed\xa0\x80\"}", "body: invalid UTF-8"},  // surrogate
      {"{\"type\":\"tr\xff", "body: invalid UTF-8"},
      {"[]", "body: must be a JSON object"},
      {R"([{"type":"track"}])", "body: must be a JSON object"},
      {"\"track\"", "body: must be a JSON object"},
      {"42", "body: must be a JSON object"},
      {"null", "body: must be a JSON object"},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(c.json), c.error) << c.json;
}

TEST(ParserTest, WhitespaceBomAndCrlfAccepted) {
  EXPECT_EQ(MustParse("\xEF\xBB\xBF{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\","
                      "\"timestamp\":\"2026-03-20T10:00:00Z\"}\r\n")
                .time,
            kT0);
  EXPECT_EQ(MustParse("  {\"type\":\"page\",\"userId\":\"\xc3\xa9t\xc3\xa9\","
                      "\"timestamp\":\"2026-03-20T10:00:00Z\"}  ")
                .user_id,
            "\xc3\xa9t\xc3\xa9");
}

std::string Nested(int levels) {
  // `levels` objects/arrays in total, the top level being the message itself.
  std::string s = R"({"type":"track","event":"E","userId":"u","timestamp":"2026-03-20",)"
                  R"("properties":{"deep":)";
  for (int i = 2; i < levels; ++i) s += (i % 2 == 0) ? "[" : "{\"k\":";
  s += "1";
  for (int i = levels - 1; i >= 2; --i) s += (i % 2 == 0) ? "]" : "}";
  s += "}}";
  return s;
}

TEST(ParserTest, DepthLimit) {
  EXPECT_EQ(ErrorOf(Nested(static_cast<int>(kMaxJsonDepth))), "<ok>");
  EXPECT_EQ(ErrorOf(Nested(static_cast<int>(kMaxJsonDepth) + 1)), "body: nested too deeply");
  EXPECT_EQ(ErrorOf(Nested(100)), "body: nested too deeply");
  EXPECT_EQ(ErrorOf(std::string(100, '[') + std::string(100, ']')), "body: nested too deeply");
  EXPECT_EQ(ErrorOf(std::string(100000, '[') + std::string(100000, ']')),
            "body: nested too deeply");
  EXPECT_EQ(ErrorOf(std::string(100000, '[')), "body: not valid JSON");  // unclosed
  // The deep value survives as raw JSON when asked for.
  const PropertyInterest interest{{"deep"}};
  const Input in = MustParse(Nested(static_cast<int>(kMaxJsonDepth)), interest);
  const Value& deep = std::get<EventMsg>(in.body).props[0];
  EXPECT_EQ(deep.kind(), Value::Kind::kRaw);
  EXPECT_EQ(deep.str().substr(0, 7), "[{\"k\":[");
}

TEST(ParserTest, ParserIsReusableAfterErrors) {
  InputParser parser(PropertyInterest{{"n"}});
  EXPECT_EQ(parser.interest().names.size(), 1u);
  const std::string good = R"({"type":"track","event":"E","userId":"u",)"
                           R"("timestamp":"2026-03-20T10:00:00Z","properties":{"n":3}})";
  const std::string big = R"({"type":"track","event":"E","userId":"u",)"
                          R"("timestamp":"2026-03-20T10:00:00Z","properties":{"n":")" +
                          std::string(200000, 'x') + R"("}})";
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(Describe(parser.Parse("{bad")), "body: not valid JSON");
    EXPECT_EQ(Describe(parser.Parse(Nested(100))), "body: nested too deeply");
    auto r = parser.Parse(good);
    ASSERT_TRUE(r.ok()) << Describe(r);
    EXPECT_EQ(std::get<EventMsg>(r->body).props[0], Value::Number(3));
    auto b = parser.Parse(big);
    ASSERT_TRUE(b.ok()) << Describe(b);
    EXPECT_EQ(std::get<EventMsg>(b->body).props[0].str().size(), 200000u);
  }
  // The text is copied: the caller's buffer need not be padded or outlive Parse.
  std::string owned = good;
  auto r = parser.Parse(std::string_view(owned.data(), owned.size()));
  owned.assign(owned.size(), 'z');
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->user_id, "u");
  InputParser moved = std::move(parser);
  EXPECT_TRUE(moved.Parse(good).ok());
}

TEST(ParserTest, NeverCrashesOnPrefixesAndByteFlips) {
  const std::string seed =
      R"({"type":"contract","account_id":"acme","plan":"pro","arr":1200,"start":"2026-01-01",)"
      R"("limits":{"seats":50},"timestamp":"2026-01-01T00:00:00Z","x":[1,{"y":null}]})";
  InputParser parser;
  ASSERT_TRUE(parser.Parse(seed).ok());
  for (size_t n = 0; n <= seed.size(); ++n) (void)parser.Parse(std::string_view(seed).substr(0, n));
  for (size_t i = 0; i < seed.size(); ++i) {
    for (unsigned char b : {0x00, 0x22, 0x5c, 0x7b, 0x80, 0xff}) {
      std::string s = seed;
      s[i] = static_cast<char>(b);
      auto r = parser.Parse(s);
      if (!r.ok()) {
        EXPECT_FALSE(r.error().field.empty()) << i;
      }
    }
  }
}

// ---- records (SPEC 1.2, 3.7 rule 6) ----

TEST(ParserTest, AccountRecord) {
  const Input in = MustParse(
      R"({"type":"account","account_id":"acme","name":"Acme Inc","owners":{"ae":"ann","csm":null},)"
      R"("traits":{"icp_fit":"A","employees":250,"competitor_renewal_date":"2026-06-01"},)"
      R"("timestamp":"2026-03-20T10:00:00Z","messageId":"ignored"})");
  EXPECT_EQ(in.type, MessageType::kRecord);
  EXPECT_EQ(in.time, kT0);
  EXPECT_EQ(in.account_id, "acme");
  EXPECT_EQ(in.message_id, "");
  EXPECT_EQ(in.user_id, "");
  const auto& r = std::get<AccountRecord>(in.body);
  EXPECT_EQ(r.name, "Acme Inc");
  EXPECT_EQ(r.owners.ae, std::optional<std::string>("ann"));
  EXPECT_EQ(r.owners.csm, std::nullopt);
  ASSERT_EQ(r.traits.size(), 3u);
  EXPECT_EQ(r.traits.at("employees"), Value::Number(250));
  EXPECT_EQ(r.traits.at("icp_fit"), Value::String("A"));

  const Input bare = MustParse(R"({"type":"account","account_id":"b","timestamp":"2026-03-20"})");
  const auto& b = std::get<AccountRecord>(bare.body);
  EXPECT_EQ(b.name, "");
  EXPECT_FALSE(b.owners.ae);
  EXPECT_FALSE(b.owners.csm);
  EXPECT_TRUE(b.traits.empty());
}

TEST(ParserTest, OwnerRecord) {
  const Input in =
      MustParse(R"({"type":"owner","owner_id":"ann","role":"ae","name":"Ann","manager":"max",)"
                R"("group":"pilot","timestamp":"2026-03-20T10:00:00Z"})");
  EXPECT_EQ(in.type, MessageType::kRecord);
  EXPECT_EQ(in.account_id, "");
  EXPECT_EQ(in.time, kT0);
  const auto& r = std::get<OwnerRecord>(in.body);
  EXPECT_EQ(r.owner_id, "ann");
  EXPECT_EQ(r.role, "ae");
  EXPECT_EQ(r.name, "Ann");
  EXPECT_EQ(r.manager, std::optional<std::string>("max"));
  EXPECT_EQ(r.group, std::optional<std::string>("pilot"));
  const Input bare_in =
      MustParse(R"({"type":"owner","owner_id":"rv","role":"revops","group":null,"manager":null,)"
                R"("timestamp":"2026-03-20"})");
  const auto& bare = std::get<OwnerRecord>(bare_in.body);
  EXPECT_FALSE(bare.manager);
  EXPECT_FALSE(bare.group);
}

TEST(ParserTest, ContractRecordTime) {
  const Input in = MustParse(
      R"({"type":"contract","account_id":"acme","plan":"pro","arr":12000,"start":"2026-01-01",)"
      R"("end":"2027-01-01","limits":{"seats":50,"gb_ingested":1000.5,"bad":"x"},)"
      R"("renewal_status":"negotiating"})");
  EXPECT_EQ(in.account_id, "acme");
  const auto& r = std::get<ContractRecord>(in.body);
  const TimeMs jan1 = *ParseIsoTime("2026-01-01");
  EXPECT_EQ(in.time, jan1);  // no timestamp: start
  EXPECT_EQ(r.start, jan1);
  EXPECT_EQ(r.end, std::optional<TimeMs>(*ParseIsoTime("2027-01-01")));
  EXPECT_EQ(r.plan, "pro");
  EXPECT_EQ(r.arr, 12000);
  EXPECT_EQ(r.renewal_status, "negotiating");
  ASSERT_EQ(r.limits.size(), 3u);
  EXPECT_EQ(r.limits.at("seats"), Value::Number(50));
  EXPECT_EQ(r.limits.at("gb_ingested"), Value::Number(1000.5));
  EXPECT_EQ(r.limits.at("bad"), Value::String("x"));

  // A renewal booked ahead carries its own timestamp.
  const Input renewal = MustParse(
      R"({"type":"contract","account_id":"acme","start":"2027-01-01","timestamp":"2026-03-20T10:00:00Z"})");
  EXPECT_EQ(renewal.time, kT0);
  EXPECT_EQ(std::get<ContractRecord>(renewal.body).start, *ParseIsoTime("2027-01-01"));
  EXPECT_EQ(std::get<ContractRecord>(renewal.body).renewal_status, "none");
  EXPECT_FALSE(std::get<ContractRecord>(renewal.body).end);
}

TEST(ParserTest, TicketRecord) {
  const Input in = MustParse(
      R"({"type":"ticket","ticket_id":"t1","account_id":"acme","severity":1,)"
      R"("opened_at":"2026-03-20T10:00:00Z","resolved_at":"2026-03-21T10:00:00Z","topic":"login"})");
  EXPECT_EQ(in.time, kT0);  // opened_at
  EXPECT_EQ(in.account_id, "acme");
  const auto& r = std::get<TicketRecord>(in.body);
  EXPECT_EQ(r.ticket_id, "t1");
  EXPECT_EQ(r.severity, Value::Number(1));
  EXPECT_EQ(r.opened_at, kT0);
  EXPECT_EQ(r.resolved_at, std::optional<TimeMs>(kT0 + kDay));
  EXPECT_EQ(r.topic, "login");
  // severity is kept as sent
  EXPECT_EQ(std::get<TicketRecord>(
                MustParse(R"({"type":"ticket","ticket_id":"t","account_id":"a","severity":"1",)"
                          R"("opened_at":"2026-03-20","timestamp":"2026-03-25"})")
                    .body)
                .severity,
            Value::String("1"));
  const Input stamped =
      MustParse(R"({"type":"ticket","ticket_id":"t","account_id":"a","severity":null,)"
                R"("opened_at":"2026-03-20T10:00:00Z","timestamp":"2026-03-21T10:00:00Z"})");
  EXPECT_EQ(stamped.time, kT0 + kDay);
  EXPECT_EQ(std::get<TicketRecord>(stamped.body).severity, Value::Null());
}

TEST(ParserTest, TouchRecord) {
  const Input by_signal = MustParse(
      R"({"type":"touch","signal_id":"acme:3","owner_id":"ann","at":"2026-03-20T10:00:00Z",)"
      R"("channel":"email","touch_id":"tt-1"})");
  EXPECT_EQ(by_signal.account_id, "acme");
  EXPECT_EQ(by_signal.time, kT0);
  const auto& r = std::get<TouchRecord>(by_signal.body);
  EXPECT_EQ(r.signal_id, std::optional<std::string>("acme:3"));
  EXPECT_EQ(r.touch_id, std::optional<std::string>("tt-1"));
  EXPECT_EQ(r.owner_id, "ann");
  EXPECT_EQ(r.at, kT0);
  EXPECT_EQ(r.channel, "email");
  // colons inside account ids: the last one separates n
  EXPECT_EQ(MustParse(R"({"type":"touch","signal_id":"org:acme:12","owner_id":"o",)"
                      R"("at":"2026-03-20"})")
                .account_id,
            "org:acme");

  const Input by_account = MustParse(
      R"({"type":"touch","account_id":"beta","owner_id":"ann","at":"2026-03-20T10:00:00Z",)"
      R"("timestamp":"2026-03-21T10:00:00Z"})");
  EXPECT_EQ(by_account.account_id, "beta");
  EXPECT_EQ(by_account.time, kT0 + kDay);
  EXPECT_FALSE(std::get<TouchRecord>(by_account.body).signal_id);
  EXPECT_FALSE(std::get<TouchRecord>(by_account.body).touch_id);
  // account_id wins over the signal's account
  EXPECT_EQ(MustParse(R"({"type":"touch","account_id":"a","signal_id":"b:1","owner_id":"o",)"
                      R"("at":"2026-03-20"})")
                .account_id,
            "a");
}

TEST(ParserTest, OpportunityRecordTime) {
  const std::string base =
      R"({"type":"opportunity","opportunity_id":"op1","account_id":"acme","signal_id":"acme:1",)"
      R"("owner_id":"ann","created_at":"2026-03-01T00:00:00Z","stage":"won","amount":6000,)"
      R"("discount":0.1,"term_months":12)";
  const TimeMs created = *ParseIsoTime("2026-03-01T00:00:00Z");
  const Input created_only = MustParse(base + "}");
  EXPECT_EQ(created_only.time, created);
  const Input closed = MustParse(base + R"(,"closed_at":"2026-03-20T10:00:00Z"})");
  EXPECT_EQ(closed.time, kT0);
  const Input closed_null = MustParse(base + R"(,"closed_at":null})");
  EXPECT_EQ(closed_null.time, created);
  const Input stamped = MustParse(
      base + R"(,"closed_at":"2026-03-20T10:00:00Z","timestamp":"2026-03-25T00:00:00Z"})");
  EXPECT_EQ(stamped.time, *ParseIsoTime("2026-03-25"));

  const auto& r = std::get<OpportunityRecord>(closed.body);
  EXPECT_EQ(closed.account_id, "acme");
  EXPECT_EQ(r.opportunity_id, "op1");
  EXPECT_EQ(r.signal_id, std::optional<std::string>("acme:1"));
  EXPECT_EQ(r.owner_id, "ann");
  EXPECT_EQ(r.created_at, created);
  EXPECT_EQ(r.stage, "won");
  EXPECT_EQ(r.closed_at, std::optional<TimeMs>(kT0));
  EXPECT_EQ(r.amount, 6000);
  EXPECT_DOUBLE_EQ(r.discount, 0.1);
  EXPECT_EQ(r.term_months, 12);

  const Input minimal_in =
      MustParse(R"({"type":"opportunity","opportunity_id":"o","account_id":"a",)"
                R"("created_at":"2026-03-01","stage":"open"})");
  const auto& minimal = std::get<OpportunityRecord>(minimal_in.body);
  EXPECT_FALSE(minimal.signal_id);
  EXPECT_EQ(minimal.owner_id, "");
  EXPECT_EQ(minimal.amount, 0);
  EXPECT_FALSE(minimal.closed_at);
}

TEST(ParserTest, RevenueRecord) {
  const Input in = MustParse(
      R"({"type":"revenue","account_id":"acme","at":"2026-03-20T10:00:00Z","mrr":1000,"plan":"pro"})");
  EXPECT_EQ(in.time, kT0);
  EXPECT_EQ(in.account_id, "acme");
  const auto& r = std::get<RevenueRecord>(in.body);
  EXPECT_EQ(r.at, kT0);
  EXPECT_EQ(r.mrr, 1000);
  EXPECT_EQ(r.plan, "pro");
  EXPECT_EQ(std::get<RevenueRecord>(
                MustParse(R"({"type":"revenue","account_id":"a","at":"2026-03-20","mrr":0})").body)
                .mrr,
            0);
}

TEST(ParserTest, ReleaseRecord) {
  const Input in = MustParse(
      R"({"type":"release","feature":"sso","released_at":"2026-03-20T10:00:00Z","tier":"enterprise",)"
      R"("adoption_event":"SSO Enabled","account_id":"ignored"})");
  EXPECT_EQ(in.time, kT0);
  EXPECT_EQ(in.account_id, "");
  const auto& r = std::get<ReleaseRecord>(in.body);
  EXPECT_EQ(r.feature, "sso");
  EXPECT_EQ(r.released_at, kT0);
  EXPECT_EQ(r.tier, "enterprise");
  EXPECT_EQ(r.adoption_event, "SSO Enabled");
}

TEST(ParserTest, RecordErrors) {
  struct Case {
    std::string json;
    std::string error;
  };
  const std::vector<Case> cases = {
      {R"({"type":"invoice","account_id":"a"})", "type: unknown type 'invoice'"},
      // account
      {R"({"type":"account","timestamp":"2026-03-20"})", "account_id: required for account"},
      {R"({"type":"account","account_id":"","timestamp":"2026-03-20"})",
       "account_id: required for account"},
      {R"({"type":"account","account_id":"a"})", "timestamp: required for account"},
      {R"({"type":"account","account_id":"a","timestamp":"soon"})",
       "timestamp: not an ISO-8601 time"},
      {R"({"type":"account","account_id":"a","owners":["x"],"timestamp":"2026-03-20"})",
       "owners: must be an object"},
      {R"({"type":"account","account_id":"a","owners":{"ae":true},"timestamp":"2026-03-20"})",
       "owners.ae: must be a string or null"},
      {R"({"type":"account","account_id":"a","owners":{"csm":{}},"timestamp":"2026-03-20"})",
       "owners.csm: must be a string or null"},
      {R"({"type":"account","account_id":"a","traits":1,"timestamp":"2026-03-20"})",
       "traits: must be an object"},
      {R"({"type":"account","account_id":"a","name":1,"timestamp":"2026-03-20"})",
       "name: must be a string"},
      // owner
      {R"({"type":"owner","role":"ae","timestamp":"2026-03-20"})", "owner_id: required for owner"},
      {R"({"type":"owner","owner_id":"o","timestamp":"2026-03-20"})", "role: required for owner"},
      {R"({"type":"owner","owner_id":"o","role":"boss","timestamp":"2026-03-20"})",
       "role: must be one of ae, csm, manager, revops"},
      {R"({"type":"owner","owner_id":"o","role":"AE","timestamp":"2026-03-20"})",
       "role: must be one of ae, csm, manager, revops"},
      {R"({"type":"owner","owner_id":"o","role":"ae","group":"test","timestamp":"2026-03-20"})",
       "group: must be one of pilot, control"},
      {R"({"type":"owner","owner_id":"o","role":"ae"})", "timestamp: required for owner"},
      // contract
      {R"({"type":"contract","start":"2026-01-01"})", "account_id: required for contract"},
      {R"({"type":"contract","account_id":"a"})", "start: required for contract"},
      {R"({"type":"contract","account_id":"a","start":"Jan 1"})", "start: not an ISO-8601 time"},
      {R"({"type":"contract","account_id":"a","start":"2026-01-01","end":"never"})",
       "end: not an ISO-8601 time"},
      {R"({"type":"contract","account_id":"a","start":"2026-01-01","arr":"1200"})",
       "arr: must be a number"},
      {R"({"type":"contract","account_id":"a","start":"2026-01-01","limits":[50]})",
       "limits: must be an object"},
      {R"({"type":"contract","account_id":"a","start":"2026-01-01","renewal_status":"yes"})",
       "renewal_status: must be one of none, negotiating"},
      {R"({"type":"contract","account_id":"a","start":"2026-01-01","plan":{}})",
       "plan: must be a string"},
      // ticket
      {R"({"type":"ticket","account_id":"a","severity":1,"opened_at":"2026-03-20"})",
       "ticket_id: required for ticket"},
      {R"({"type":"ticket","ticket_id":"t","severity":1,"opened_at":"2026-03-20"})",
       "account_id: required for ticket"},
      {R"({"type":"ticket","ticket_id":"t","account_id":"a","opened_at":"2026-03-20"})",
       "severity: required for ticket"},
      {R"({"type":"ticket","ticket_id":"t","account_id":"a","severity":2})",
       "opened_at: required for ticket"},
      {R"({"type":"ticket","ticket_id":"t","account_id":"a","severity":2,"opened_at":"2026-03-20",)"
       R"("resolved_at":5})",
       "resolved_at: not an ISO-8601 time"},
      // touch
      {R"({"type":"touch","owner_id":"o","at":"2026-03-20"})",
       "account_id: required for touch (account_id or signal_id)"},
      {R"({"type":"touch","signal_id":"nocolon","owner_id":"o","at":"2026-03-20"})",
       "signal_id: must be '<account_id>:<n>'"},
      {R"({"type":"touch","signal_id":"acme:1","at":"2026-03-20"})",
       "owner_id: required for touch"},
      {R"({"type":"touch","signal_id":"acme:1","owner_id":"o"})", "at: required for touch"},
      {R"({"type":"touch","signal_id":"acme:1","owner_id":"o","at":"2026-03-20","channel":1})",
       "channel: must be a string"},
      // opportunity
      {R"({"type":"opportunity","account_id":"a","created_at":"2026-03-01","stage":"open"})",
       "opportunity_id: required for opportunity"},
      {R"({"type":"opportunity","opportunity_id":"o","created_at":"2026-03-01","stage":"open"})",
       "account_id: required for opportunity"},
      {R"({"type":"opportunity","opportunity_id":"o","account_id":"a","stage":"open"})",
       "created_at: required for opportunity"},
      {R"({"type":"opportunity","opportunity_id":"o","account_id":"a","created_at":"2026-03-01"})",
       "stage: required for opportunity"},
      {R"({"type":"opportunity","opportunity_id":"o","account_id":"a","created_at":"2026-03-01",)"
       R"("stage":"closed"})",
       "stage: must be one of open, won, lost"},
      {R"({"type":"opportunity","opportunity_id":"o","account_id":"a","created_at":"2026-03-01",)"
       R"("stage":"won","amount":"6000"})",
       "amount: must be a number"},
      {R"({"type":"opportunity","opportunity_id":"o","account_id":"a","created_at":"2026-03-01",)"
       R"("stage":"won","discount":true})",
       "discount: must be a number"},
      {R"({"type":"opportunity","opportunity_id":"o","account_id":"a","created_at":"2026-03-01",)"
       R"("stage":"won","term_months":"12"})",
       "term_months: must be a number"},
      {R"({"type":"opportunity","opportunity_id":"o","account_id":"a","created_at":"2026-03-01",)"
       R"("stage":"won","closed_at":"later"})",
       "closed_at: not an ISO-8601 time"},
      // revenue
      {R"({"type":"revenue","at":"2026-03-20","mrr":1})", "account_id: required for revenue"},
      {R"({"type":"revenue","account_id":"a","mrr":1})", "at: required for revenue"},
      {R"({"type":"revenue","account_id":"a","at":"2026-03-20"})", "mrr: required for revenue"},
      {R"({"type":"revenue","account_id":"a","at":"2026-03-20","mrr":null})",
       "mrr: required for revenue"},
      {R"({"type":"revenue","account_id":"a","at":"2026-03-20","mrr":"100"})",
       "mrr: must be a number"},
      {R"({"type":"revenue","account_id":"a","at":"2026-03-20","mrr":-1})", "mrr: must be >= 0"},
      // release
      {R"({"type":"release","released_at":"2026-03-20","adoption_event":"E"})",
       "feature: required for release"},
      {R"({"type":"release","feature":"f","adoption_event":"E"})",
       "released_at: required for release"},
      {R"({"type":"release","feature":"f","released_at":"2026-03-20"})",
       "adoption_event: required for release"},
      {R"({"type":"release","feature":7,"released_at":"2026-03-20","adoption_event":"E"})",
       "feature: must be a string"},
      // a bad timestamp is reported even when the time field would do
      {R"({"type":"revenue","account_id":"a","at":"2026-03-20","mrr":1,"timestamp":"x"})",
       "timestamp: not an ISO-8601 time"},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(c.json), c.error) << c.json;
}

TEST(ParserTest, FreeFunctionAndClassAgree) {
  const PropertyInterest interest{{"seats"}};
  InputParser parser(interest);
  for (
      const char* json :
      {R"({"type":"track","event":"E","userId":"u","timestamp":"2026-03-20","properties":{"seats":3}})",
       R"({"type":"track","event":"E"})", "nope"}) {
    const auto a = ParseInputLine(json, interest);
    const auto b = parser.Parse(json);
    EXPECT_EQ(Describe(a), Describe(b)) << json;
    if (a.ok() && b.ok()) {
      EXPECT_EQ(std::get<EventMsg>(a->body).props, std::get<EventMsg>(b->body).props);
    }
  }
}

// ---- parsing into a reused Input (InputParser::Parse(text, Input&)) ----

std::string Show(const Value& v) {
  return std::to_string(static_cast<int>(v.kind())) + ":" + v.ToJson();
}
std::string Show(const TraitMap& m) {
  std::string out = "{";
  for (const auto& [k, v] : m) out += k + "=" + Show(v) + ",";
  return out + "}";
}
std::string Show(const std::optional<std::string>& s) { return s ? "'" + *s + "'" : "none"; }
std::string Show(const std::optional<TimeMs>& t) { return t ? std::to_string(*t) : "none"; }

// Every field of an Input, as text (Input has no operator==).
std::string Show(const Input& in) {
  std::ostringstream o;
  o << "seq=" << in.seq << " time=" << in.time << " type=" << static_cast<int>(in.type)
    << " message_id='" << in.message_id << "' user_id='" << in.user_id
    << "' anonymous=" << in.anonymous << " account_id='" << in.account_id
    << "' explicit=" << in.explicit_account << " body#" << in.body.index() << " ";
  std::visit(
      [&o](const auto& b) {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, EventMsg>) {
          o << "event='" << b.event << "' props=[";
          for (const Value& v : b.props) o << Show(v) << ",";
          o << "]";
        } else if constexpr (std::is_same_v<T, IdentifyMsg>) {
          o << Show(b.traits);
        } else if constexpr (std::is_same_v<T, GroupMsg>) {
          o << b.group_id << " " << Show(b.traits);
        } else if constexpr (std::is_same_v<T, AliasMsg>) {
          o << b.previous_id;
        } else if constexpr (std::is_same_v<T, AccountRecord>) {
          o << b.name << " " << Show(b.owners.ae) << " " << Show(b.owners.csm) << " "
            << Show(b.traits);
        } else if constexpr (std::is_same_v<T, OwnerRecord>) {
          o << b.owner_id << " " << b.role << " " << b.name << " " << Show(b.manager) << " "
            << Show(b.group);
        } else if constexpr (std::is_same_v<T, ContractRecord>) {
          o << b.plan << " " << b.arr << " " << b.start << " " << Show(b.end) << " "
            << Show(b.limits) << " " << b.renewal_status;
        } else if constexpr (std::is_same_v<T, TicketRecord>) {
          o << b.ticket_id << " " << Show(b.severity) << " " << b.opened_at << " "
            << Show(b.resolved_at) << " " << b.topic;
        } else if constexpr (std::is_same_v<T, TouchRecord>) {
          o << Show(b.touch_id) << " " << Show(b.signal_id) << " " << b.owner_id << " " << b.at
            << " " << b.channel;
        } else if constexpr (std::is_same_v<T, OpportunityRecord>) {
          o << b.opportunity_id << " " << Show(b.signal_id) << " " << b.owner_id << " "
            << b.created_at << " " << b.stage << " " << Show(b.closed_at) << " " << b.amount << " "
            << b.discount << " " << b.term_months;
        } else if constexpr (std::is_same_v<T, RevenueRecord>) {
          o << b.at << " " << b.mrr << " " << b.plan;
        } else if constexpr (std::is_same_v<T, ReleaseRecord>) {
          o << b.feature << " " << b.released_at << " " << b.tier << " " << b.adoption_event;
        } else {
          o << "clock";
        }
      },
      in.body);
  return o.str();
}

// Parses each text in turn into one reused Input and checks that the result
// is exactly what a fresh Parse(text) gives (the value, or the error).
void ExpectInPlaceMatchesFresh(InputParser& parser, const std::vector<std::string>& texts) {
  Input reused;
  for (const std::string& text : texts) {
    const Result<Input> fresh = parser.Parse(text);
    const std::optional<FieldError> err = parser.Parse(text, reused);
    ASSERT_EQ(fresh.ok(), !err) << text << " -> " << Describe(fresh);
    if (fresh.ok()) {
      EXPECT_EQ(Show(reused), Show(fresh.value())) << text;
    } else {
      EXPECT_EQ(err->ToString(), fresh.error().ToString()) << text;
    }
  }
}

TEST(ParserTest, ParseIntoReusedInputLeavesNoStaleFields) {
  InputParser parser(PropertyInterest{{"plan", "seats", "name"}});
  const std::string ts = R"("timestamp":"2026-03-20T10:00:00.123Z")";
  const std::vector<std::string> texts = {
      // a track with everything, then one with as little as possible
      R"({"type":"track","event":"A Rather Long Event Name","userId":"a-long-user-id-0001",)"
      R"("messageId":"a-long-message-id-0001","context":{"groupId":"a-long-account-id-01"},)"
      R"("properties":{"plan":"a long plan name here","seats":3,"name":"n"},)" +
          ts + "}",
      R"({"type":"track","event":"B","anonymousId":"anon",)" + ts + "}",
      // userId then anonymousId only, and back
      R"({"type":"track","event":"C","userId":"u1","properties":{"seats":4},)" + ts + "}",
      R"({"type":"track","event":"C","anonymousId":"a1","originalTimestamp":"2026-03-21"})",
      R"({"type":"track","event":"C","userId":"u2","anonymousId":"a2",)" + ts + "}",
      // page/screen naming after a track, a track after a page with properties.name
      R"({"type":"page","userId":"u","properties":{"name":"Billing","plan":"p"},)" + ts + "}",
      R"({"type":"screen","name":"Home","userId":"u",)" + ts + "}",
      R"({"type":"page","userId":"u",)" + ts + "}",
      R"({"type":"track","event":"D","userId":"u","properties":{"name":"x"},)" + ts + "}",
      // a group after a track (no explicit account, traits), then a track again
      R"({"type":"group","userId":"u","groupId":"g1","traits":{"plan":"pro"},)"
      R"("context":{"groupId":"ignored"},)" +
          ts + "}",
      R"({"type":"track","event":"E","userId":"u",)" + ts + "}",
      R"({"type":"identify","userId":"u","traits":{"title":"VP"},"context":{"groupId":"g2"},)" +
          ts + "}",
      R"({"type":"identify","userId":"u",)" + ts + "}",
      R"({"type":"alias","userId":"u","previousId":"p",)" + ts + "}",
      R"({"type":"track","event":"F","userId":"u","context":{"groupId":""},)" + ts + "}",
      // records in between
      R"({"type":"contract","account_id":"acme","plan":"pro","start":"2026-01-01"})",
      R"({"type":"track","event":"G","userId":"u","messageId":7,)" + ts + "}",
      R"({"type":"touch","signal_id":"acme:3","owner_id":"o","at":"2026-03-20"})",
      R"({"type":"page","anonymousId":"a","properties":{"seats":null},)" + ts + "}",
      // errors in between: the next good message is still parsed in full
      R"({"type":"track","event":"H","userId":"u","anonymousId":[1],)" + ts + "}",
      R"({"type":"track","event":"H","userId":"u","context":{"groupId":{}},)" + ts + "}",
      R"({"type":"page","name":5,"userId":"u",)" + ts + "}",
      R"({"type":"track","event":"H","userId":"u","timestamp":"nope"})",
      R"({"type":"track","event":"H"})",
      "{bad",
      R"({"type":"track","event":"I","anonymousId":"a9","properties":{"plan":"q"},)" + ts + "}",
  };
  ExpectInPlaceMatchesFresh(parser, texts);
  // Reversed, so each message also follows the others.
  ExpectInPlaceMatchesFresh(parser, std::vector<std::string>(texts.rbegin(), texts.rend()));

  // Spot checks of the fields most likely to go stale.
  Input in;
  ASSERT_FALSE(parser.Parse(texts[0], in));
  ASSERT_FALSE(parser.Parse(texts[1], in));
  EXPECT_EQ(in.message_id, "");
  EXPECT_EQ(in.user_id, "anon");
  EXPECT_TRUE(in.anonymous);
  EXPECT_EQ(in.account_id, "");
  EXPECT_FALSE(in.explicit_account);
  const auto& props = std::get<EventMsg>(in.body).props;
  ASSERT_EQ(props.size(), 3u);
  for (const Value& v : props) EXPECT_TRUE(v.missing());
  in.seq = 42;                               // as a caller numbers it
  ASSERT_FALSE(parser.Parse(texts[9], in));  // the group
  EXPECT_EQ(in.seq, 0u);
  EXPECT_EQ(in.account_id, "g1");
  EXPECT_FALSE(in.explicit_account);
  EXPECT_EQ(std::get<GroupMsg>(in.body).group_id, "g1");
}

// The fuzz corpora (tests/fuzz/corpus) in one sequence: each line parsed into
// one reused Input gives what a fresh parse gives.
TEST(ParserTest, ParseIntoReusedInputMatchesFreshOnFuzzCorpora) {
  namespace fs = std::filesystem;
  std::vector<std::string> texts;
  for (const char* dir : {"fuzz_segment", "fuzz_records"}) {
    const fs::path root = fs::path(HEADROOM_SOURCE_DIR) / "tests/fuzz/corpus" / dir;
    if (!fs::is_directory(root)) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(root)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      std::ifstream f(file, std::ios::binary);
      std::stringstream ss;
      ss << f.rdbuf();
      const std::string text = ss.str();
      texts.push_back(text);
      size_t start = 0;
      while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        texts.push_back(text.substr(start, end - start));
        start = end + 1;
      }
    }
  }
  ASSERT_GT(texts.size(), 100u);
  InputParser parser(PropertyInterest{{"seats", "plan", "name", "module", "gb"}});
  ExpectInPlaceMatchesFresh(parser, texts);
}

}  // namespace
}  // namespace headroom
