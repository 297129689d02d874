// PrepareSegmentJob (server/ingest_endpoint.h) without a server: a message's
// stored text is its own bytes, rewritten only where it must change. These
// pin what the old nlohmann::json parse-and-dump of every message did
// implicitly: `writeKey` never stored, the endpoint's `type`, clock-skew
// correction written into `timestamp`, the last of repeated keys winning,
// non-object batch elements, nested objects the parser keeps as text, the
// 32 KB limit measured on the old dump, and bodies only nlohmann::json reads.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/time.h"
#include "input/parser.h"
#include "server/auth.h"
#include "server/http_types.h"
#include "server/ingest_endpoint.h"

namespace headroom::server {
namespace {

// 2026-03-01T12:00:00Z.
constexpr TimeMs kReceivedAt = 1772366400000;
const KeySet& Keys() {
  static const KeySet keys({"wk_test"});
  return keys;
}

HttpRequest Post(std::string body, bool basic = true) {
  HttpRequest req;
  req.method = "POST";
  req.body = std::move(body);
  if (basic) req.headers["authorization"] = "Basic d2tfdGVzdDo=";  // "wk_test:"
  return req;
}

// The job of an accepted request (fails the test otherwise).
IngestJob Job(const std::string& body, const std::string& type = "batch", bool basic = true) {
  IngestJob job;
  HttpResponse error;
  EXPECT_TRUE(PrepareSegmentJob(Post(body, basic), type, Keys(), kReceivedAt, job, error))
      << error.body;
  EXPECT_EQ(job.received_at, kReceivedAt);
  return job;
}

// The error answer of a refused request.
HttpResponse Refused(const std::string& body, const std::string& type = "batch",
                     bool basic = true) {
  IngestJob job;
  HttpResponse error;
  EXPECT_FALSE(PrepareSegmentJob(Post(body, basic), type, Keys(), kReceivedAt, job, error));
  return error;
}

Input Parsed(const std::string& text, std::vector<std::string> interest = {}) {
  InputParser parser(PropertyInterest{std::move(interest)});
  Result<Input> r = parser.Parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().ToString());
  return r.ok() ? std::move(r.value()) : Input{};
}

std::string ParseError(const std::string& text) {
  InputParser parser;
  Result<Input> r = parser.Parse(text);
  return r.ok() ? "" : r.error().ToString();
}

const std::string kTrack =
    R"({"type":"track","event":"E","userId":"u","timestamp":"2026-03-01T11:00:00Z"})";

TEST(SegmentIngest, AnUnchangedMessageIsStoredAsItsOwnBytes) {
  // Neither sorted nor re-spelled: "1.50" stays, the key order stays.
  const std::string m =
      R"({"userId":"u","type":"track","event":"E","timestamp":"2026-03-01T11:00:00Z",)"
      R"("properties":{"gb":1.50,"z":"\u00e9\/"}})";
  const IngestJob job = Job(R"({"batch":[)" + m + "," + kTrack + "]}");
  ASSERT_EQ(job.items.size(), 2u);
  EXPECT_EQ(job.items[0].index, 0);
  EXPECT_EQ(job.items[0].text, m);
  EXPECT_EQ(job.items[0].reject, "");
  EXPECT_EQ(job.items[1].index, 1);
  EXPECT_EQ(job.items[1].text, kTrack);
  const Input in = Parsed(job.items[0].text, {"gb", "z"});
  const auto& ev = std::get<EventMsg>(in.body);
  EXPECT_EQ(ev.props[0], Value::Number(1.5));
  EXPECT_EQ(ev.props[1], Value::String("\xC3\xA9/"));
}

TEST(SegmentIngest, WhitespaceBetweenTokensIsRemovedNotInsideStrings) {
  const IngestJob job =
      Job("{\n  \"batch\": [\n    { \"type\" : \"track\",\n \"event\":\"A  B\" ,\"userId\":\"u\",\t"
          "\"timestamp\":\"2026-03-01T11:00:00Z\" } ,\r\n 7 , [ 1 , 2 ]\n  ]\n}\n");
  ASSERT_EQ(job.items.size(), 3u);
  EXPECT_EQ(job.items[0].text,
            R"({"type":"track","event":"A  B","userId":"u","timestamp":"2026-03-01T11:00:00Z"})");
  EXPECT_EQ(job.items[1].text, "7");
  EXPECT_EQ(job.items[2].text, "[1,2]");
}

TEST(SegmentIngest, WriteKeyIsRemovedFromEveryBatchMessage) {
  const IngestJob job = Job(
      R"({"writeKey":"wk_test","batch":[)"
      R"({"writeKey":"wk_test","type":"track","event":"E","userId":"u","writeKey":"other",)"
      R"("timestamp":"2026-03-01T11:00:00Z","write\u004bey":"escaped"},)"
      R"({"type":"track","event":"E","userId":"u","timestamp":"2026-03-01T11:00:00Z","writeKey":null}]})",
      "batch", /*basic=*/false);
  ASSERT_EQ(job.items.size(), 2u);
  EXPECT_EQ(job.items[0].text,
            R"({"type":"track","event":"E","userId":"u","timestamp":"2026-03-01T11:00:00Z"})");
  EXPECT_EQ(job.items[1].text,
            R"({"type":"track","event":"E","userId":"u","timestamp":"2026-03-01T11:00:00Z"})");
}

TEST(SegmentIngest, SingleMessageEndpointNamesTheTypeAndDropsTheWriteKey) {
  const IngestJob job =
      Job(R"({"type":"identify","writeKey":"wk_test","event":"E","type":"page","userId":"u",)"
          R"("timestamp":"2026-03-01T11:00:00Z"})",
          "track", /*basic=*/false);
  ASSERT_EQ(job.items.size(), 1u);
  EXPECT_EQ(job.items[0].text,
            R"({"event":"E","userId":"u","timestamp":"2026-03-01T11:00:00Z","type":"track"})");
  EXPECT_EQ(Parsed(job.items[0].text).type, MessageType::kTrack);
}

TEST(SegmentIngest, RepeatedKeysKeepTheLastAsTheParserReadsThem) {
  const IngestJob job =
      Job(R"({"batch":[{"type":"page","event":"A","userId":"x","userId":"u","type":"track",)"
          R"("event":"B","timestamp":"2020-01-01T00:00:00Z","timestamp":"2026-03-01T11:00:00Z",)"
          R"("context":{"groupId":"g1","groupId":"g2"},"properties":{"n":1,"n":2}}]})");
  ASSERT_EQ(job.items.size(), 1u);
  const Input in = Parsed(job.items[0].text, {"n"});
  EXPECT_EQ(in.type, MessageType::kTrack);
  EXPECT_EQ(in.user_id, "u");
  EXPECT_EQ(in.account_id, "g2");
  EXPECT_EQ(FormatIsoTime(in.time), "2026-03-01T11:00:00.000Z");
  const auto& ev = std::get<EventMsg>(in.body);
  EXPECT_EQ(ev.event, "B");
  EXPECT_EQ(ev.props[0], Value::Number(2));
}

TEST(SegmentIngest, SkewCorrectionIsWrittenIntoTheSlicedMessage) {
  // Client 1 h ahead: sent 13:00:05 for received 12:00:00.
  const IngestJob job = Job(
      R"({"sentAt":"2026-03-01T13:00:05Z","batch":[)"
      // the batch's sentAt; every timestamp member replaced, appended last
      R"({"type":"track","timestamp":"2000-01-01T00:00:00Z","event":"E","userId":"u",)"
      R"("timestamp":"2026-03-01T13:00:00Z"},)"
      // its own sentAt wins; originalTimestamp wins over timestamp
      R"({"type":"track","event":"E","userId":"u","sentAt":"2026-03-01T12:00:10Z",)"
      R"("originalTimestamp":"2026-03-01T12:00:00Z","timestamp":"2026-03-01T13:00:00Z"},)"
      // sentAt null: no correction, not even from the batch's
      R"({"type":"track","event":"E","userId":"u","sentAt":null,"timestamp":"2026-03-01T13:00:00Z"},)"
      // a bad timestamp is left for the parser to report
      R"({"type":"track","event":"E","userId":"u","timestamp":5},)"
      // a bad sentAt of its own rejects the message, stored as is
      R"({"type":"track","event":"E","userId":"u","sentAt":"soon","timestamp":"2026-03-01T13:00:00Z"}]})");
  ASSERT_EQ(job.items.size(), 5u);
  EXPECT_EQ(job.items[0].text,
            R"({"type":"track","event":"E","userId":"u","timestamp":"2026-03-01T11:59:55.000Z"})");
  EXPECT_EQ(FormatIsoTime(Parsed(job.items[0].text).time), "2026-03-01T11:59:55.000Z");
  EXPECT_EQ(
      job.items[1].text,
      R"({"type":"track","event":"E","userId":"u","sentAt":"2026-03-01T12:00:10Z",)"
      R"("originalTimestamp":"2026-03-01T12:00:00Z","timestamp":"2026-03-01T11:59:50.000Z"})");
  EXPECT_EQ(
      job.items[2].text,
      R"({"type":"track","event":"E","userId":"u","sentAt":null,"timestamp":"2026-03-01T13:00:00Z"})");
  EXPECT_EQ(job.items[3].text, R"({"type":"track","event":"E","userId":"u","timestamp":5})");
  EXPECT_EQ(ParseError(job.items[3].text), "timestamp: not an ISO-8601 time");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(job.items[i].reject, "") << i;
  EXPECT_EQ(job.items[4].reject, "sentAt: not an ISO-8601 time");
  EXPECT_EQ(
      job.items[4].text,
      R"({"type":"track","event":"E","userId":"u","sentAt":"soon","timestamp":"2026-03-01T13:00:00Z"})");
}

// The corrected time is written as FormatIsoTime writes it, for any result
// (before 1970, and beyond the 4-digit years).
TEST(SegmentIngest, TheCorrectedTimestampIsFormattedAsFormatIsoTime) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"2026-03-01T13:00:05Z", "2026-03-01T13:00:00.123Z"},
      {"2026-03-01T12:00:00Z", "2026-03-01T12:00:00Z"},
      {"2026-03-01T12:00:00Z", "1969-12-31T23:59:59.999Z"},
      {"2026-03-01T12:00:00Z", "1900-02-28T00:00:00.001Z"},
      {"9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"},
      {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z"},
      {"2026-03-01T12:00:00Z", "2024-02-29T23:59:59.999+05:30"},
  };
  for (const auto& [sent, client] : cases) {
    const IngestJob job = Job(R"({"batch":[{"type":"track","timestamp":")" + client +
                              R"("}],"sentAt":")" + sent + R"("})");
    ASSERT_EQ(job.items.size(), 1u);
    const TimeMs corrected = SkewCorrected(kReceivedAt, *ParseIsoTime(sent), *ParseIsoTime(client));
    EXPECT_EQ(job.items[0].text,
              R"({"type":"track","timestamp":")" + FormatIsoTime(corrected) + R"("})")
        << sent << " " << client;
  }
}

TEST(SegmentIngest, ABadBatchSentAtRejectsEveryMessageWithoutItsOwn) {
  for (const std::string sent_at : {R"("soon")", "5"}) {
    const IngestJob job =
        Job(R"({"batch":[)" + kTrack + R"(,{"sentAt":"2026-03-01T12:00:00Z","type":"track"}],)" +
            R"("sentAt":)" + sent_at + "}");
    ASSERT_EQ(job.items.size(), 2u);
    EXPECT_EQ(job.items[0].reject, "sentAt: not an ISO-8601 time");
    EXPECT_EQ(job.items[0].text, kTrack);
    EXPECT_EQ(job.items[1].reject, "");
  }
}

TEST(SegmentIngest, NonObjectBatchElementsAreStoredForTheParserToReject) {
  const IngestJob job = Job(R"({"batch":[42,"s",null,[1,{"b":2}],1e2]})");
  ASSERT_EQ(job.items.size(), 5u);
  const std::vector<std::string> texts = {"42", R"("s")", "null", R"([1,{"b":2}])", "1e2"};
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(job.items[i].text, texts[i]);
    EXPECT_EQ(job.items[i].reject, "");
    EXPECT_EQ(ParseError(job.items[i].text), "body: must be a JSON object");
  }
}

// Objects inside property and trait values become Value::Raw, their minified
// text, compared by text: such a message with keys out of order (or repeated)
// is still dumped the old way, keys sorted, the last of repeated ones kept.
TEST(SegmentIngest, NestedObjectsOutOfKeyOrderAreStoredSorted) {
  const IngestJob job = Job(
      R"({"batch":[{"type":"track","event":"E","userId":"u","timestamp":"2026-03-01T11:00:00Z",)"
      R"("properties":{"cart":{"b":1,"a":2,"a":3},"list":[{"y":1,"x":2}]}},)"
      R"({"type":"identify","userId":"u","timestamp":"2026-03-01T11:00:00Z",)"
      R"("traits":{"plan":{"tier":"pro","seats":5}}},)"
      // keys in order already, and objects elsewhere (context) in any order: as sent
      R"({"type":"track","event":"E","userId":"u","timestamp":"2026-03-01T11:00:00Z",)"
      R"("context":{"library":{"version":"1","name":"n"}},"properties":{"z":{"a":1,"b":2},"a":1}}]})");
  ASSERT_EQ(job.items.size(), 3u);
  EXPECT_EQ(job.items[0].text,
            R"({"event":"E","properties":{"cart":{"a":3,"b":1},"list":[{"x":2,"y":1}]},)"
            R"("timestamp":"2026-03-01T11:00:00Z","type":"track","userId":"u"})");
  const Input event = Parsed(job.items[0].text, {"cart", "list"});
  const auto& ev = std::get<EventMsg>(event.body);
  EXPECT_EQ(ev.props[0], Value::Raw(R"({"a":3,"b":1})"));
  EXPECT_EQ(ev.props[1], Value::Raw(R"([{"x":2,"y":1}])"));
  const Input identify = Parsed(job.items[1].text);
  const auto& id = std::get<IdentifyMsg>(identify.body);
  EXPECT_EQ(id.traits.at("plan"), Value::Raw(R"({"seats":5,"tier":"pro"})"));
  EXPECT_EQ(
      job.items[2].text,
      R"({"type":"track","event":"E","userId":"u","timestamp":"2026-03-01T11:00:00Z",)"
      R"("context":{"library":{"version":"1","name":"n"}},"properties":{"z":{"a":1,"b":2},"a":1}})");
}

// The limit applies to the message as the old dump wrote it: "\u00e9" (6
// bytes) dumps as 2, "1e14" as "100000000000000.0".
TEST(SegmentIngest, The32KbLimitIsMeasuredOnTheOldDump) {
  std::string escaped, numbers;
  for (int i = 0; i < 6000; ++i) escaped += "\\u00e9";             // 36 KB sent, 12 KB dumped
  for (int i = 0; i < 2000; ++i) numbers += i ? ",1e14" : "1e14";  // 10 KB sent, 36 KB dumped
  const std::string head =
      R"({"type":"track","event":"E","userId":"u","timestamp":"2026-03-01T11:00:00Z","properties":)";
  const IngestJob job =
      Job(R"({"batch":[)" + head + R"({"s":")" + escaped + R"("}},)" + head + R"({"n":[)" +
          numbers + R"(]}},)" + head + R"({"s":")" + std::string(33 * 1024, 'x') + R"("}}]})");
  ASSERT_EQ(job.items.size(), 3u);
  EXPECT_EQ(job.items[0].reject, "");
  EXPECT_LT(job.items[0].text.size(), 13u * 1024);
  EXPECT_EQ(std::get<EventMsg>(Parsed(job.items[0].text, {"s"}).body).props[0].str().size(),
            12000u);
  EXPECT_EQ(job.items[1].reject, "message: larger than 32 KB");
  EXPECT_EQ(job.items[2].reject, "message: larger than 32 KB");
}

// simdjson refuses a leading BOM and integers beyond 64 bits, nlohmann::json
// reads them: such a body is accepted as before (its messages as dumped).
TEST(SegmentIngest, BodiesOnlyNlohmannReadsAreAcceptedAsBefore) {
  IngestJob job = Job("\xEF\xBB\xBF{\"batch\":[" + kTrack + "]}");
  ASSERT_EQ(job.items.size(), 1u);
  EXPECT_EQ(job.items[0].text,
            R"({"event":"E","timestamp":"2026-03-01T11:00:00Z","type":"track","userId":"u"})");
  job = Job(
      R"({"batch":[{"type":"track","event":"E","userId":"u","timestamp":"2026-03-01T11:00:00Z",)"
      R"("properties":{"n":123456789012345678901234}}]})");
  ASSERT_EQ(job.items.size(), 1u);
  EXPECT_EQ(std::get<EventMsg>(Parsed(job.items[0].text, {"n"}).body).props[0],
            Value::Number(123456789012345678901234.0));
}

TEST(SegmentIngest, RefusedBodiesKeepTheirExactErrors) {
  const auto error = [](const HttpResponse& r) { return std::to_string(r.status) + " " + r.body; };
  EXPECT_EQ(error(Refused("  \n")), R"(400 {"error":"body: empty"})");
  EXPECT_EQ(error(Refused(std::string(70, '[') + std::string(70, ']'))),
            R"(400 {"error":"body: nested too deeply"})");
  EXPECT_EQ(error(Refused(R"({"batch": [)")), R"(400 {"error":"body: not valid JSON"})");
  EXPECT_EQ(error(Refused(R"({"batch":[{"a":"x"}]} x)")),
            R"(400 {"error":"body: not valid JSON"})");
  EXPECT_EQ(error(Refused("{\"batch\":[{\"a\":\"\xff\"}]}")),
            R"(400 {"error":"body: invalid UTF-8"})");
  EXPECT_EQ(error(Refused(R"({"batch":[{"a":"\udc00"}]})")),
            R"(400 {"error":"body: not valid JSON"})");
  EXPECT_EQ(error(Refused(R"({"batch":[{"a":1e999}]})")),
            R"j(400 {"error":"body: not valid JSON (a number is malformed or out of range)"})j");
  EXPECT_EQ(error(Refused("[1]")), R"(400 {"error":"body: must be a JSON object"})");
  EXPECT_EQ(error(Refused(R"({"batch":{}})")),
            R"(400 {"error":"batch: must be an array of messages"})");
  EXPECT_EQ(error(Refused(R"({"batch":[],"batch":5})")),
            R"(400 {"error":"batch: must be an array of messages"})");
  EXPECT_EQ(error(Refused(R"({"sentAt":"x"})")),
            R"(400 {"error":"batch: must be an array of messages"})");
  std::string many = R"({"batch":[{})";
  for (int i = 0; i < 2500; ++i) many += ",{}";
  EXPECT_EQ(error(Refused(many + "]}")), R"(400 {"error":"batch: more than 2500 messages"})");
  EXPECT_EQ(Job(many.substr(0, many.size() - 3) + "]}").items.size(), 2500u);
}

TEST(SegmentIngest, WriteKeyRules) {
  const auto error = [](const HttpResponse& r) { return std::to_string(r.status) + " " + r.body; };
  const std::string required =
      R"j(401 {"error":"write key: required (HTTP Basic user or writeKey in the body)"})j";
  const std::string unknown = R"(401 {"error":"write key: unknown"})";
  EXPECT_EQ(error(Refused(R"({"batch":[]})", "batch", false)), required);
  EXPECT_EQ(error(Refused(R"({"batch":[],"writeKey":null})", "batch", false)), required);
  EXPECT_EQ(error(Refused(R"({"batch":[],"writeKey":"wk_no"})", "batch", false)), unknown);
  EXPECT_EQ(error(Refused(R"({"batch":[],"writeKey":5})", "batch", false)), unknown);
  // the last writeKey counts
  EXPECT_EQ(
      error(Refused(R"({"writeKey":"wk_test","batch":[],"writeKey":"wk_no"})", "batch", false)),
      unknown);
  EXPECT_TRUE(
      Job(R"({"writeKey":"wk_no","batch":[],"writeKey":"wk_test"})", "batch", false).items.empty());
  // a wrong Basic user, then the body's key decides
  HttpRequest req = Post(R"({"batch":[],"writeKey":"wk_test"})", false);
  req.headers["authorization"] = "Basic d2tfbm86";  // "wk_no:"
  IngestJob job;
  HttpResponse response;
  EXPECT_TRUE(PrepareSegmentJob(req, "batch", Keys(), kReceivedAt, job, response));
  req.body = R"({"batch":[]})";
  EXPECT_FALSE(PrepareSegmentJob(req, "batch", Keys(), kReceivedAt, job, response));
  EXPECT_EQ(error(response), unknown);
}

}  // namespace
}  // namespace headroom::server
