// SPEC 1.3: malformed and hostile requests, each with its exact status and
// error text; the server keeps answering and stores exactly the valid inputs.
#include <gtest/gtest.h>
#include <zlib.h>

#include "harness.h"

namespace headroom::server::testing {
namespace {

using nlohmann::json;

std::string Gzip(const std::string& in) {
  z_stream zs{};
  deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

struct Case {
  std::string name;
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;
  std::string body;
  int status;
  std::string expected;  // exact response body
};

const std::string kBasic = HttpClient::BasicAuth(kWriteKey);
const std::string kBearer = std::string("Bearer ") + kToken;

std::string Msg(json m) { return m.dump(); }
json Valid(const std::string& id) { return TrackMessage(id, "hostile_ok"); }
json Without(json m, const std::string& key) {
  m.erase(key);
  return m;
}
json With(json m, const std::string& key, json value) {
  m[key] = std::move(value);
  return m;
}
std::string Rejected(int index, const std::string& error) {
  using ordered = nlohmann::ordered_json;
  return ordered{{"success", true}, {"rejected", {ordered{{"index", index}, {"error", error}}}}}
      .dump();
}

std::vector<Case> Cases() {
  const std::map<std::string, std::string> seg = {{"Authorization", kBasic}};
  const std::map<std::string, std::string> rec = {{"Authorization", kBearer}};
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "[";
  std::vector<json> too_many(2501, json::object());
  json big = Valid("big");
  big["properties"] = {{"blob", std::string(40 * 1024, 'x')}};
  std::string oversize_body = BatchBody({Valid("o1")});
  oversize_body.insert(oversize_body.size() - 1,
                       ",\"pad\":\"" + std::string(510 * 1024, 'p') + "\"");
  const std::string bomb = Gzip(std::string(20 * 1024 * 1024, ' '));
  auto gz = seg;
  gz["Content-Encoding"] = "gzip";
  auto br = seg;
  br["Content-Encoding"] = "br";
  const std::string account_rec =
      R"j({"type":"account","account_id":"acme","timestamp":"2026-01-01T00:00:00Z"})j";

  return {
      {"invalid JSON", "POST", "/v1/track", seg, "{\"event\": ", 400,
       R"j({"error":"body: not valid JSON"})j"},
      {"empty body", "POST", "/v1/batch", seg, "", 400, R"j({"error":"body: empty"})j"},
      {"array body", "POST", "/v1/track", seg, "[1,2]", 400,
       R"j({"error":"body: must be a JSON object"})j"},
      {"batch not an array", "POST", "/v1/batch", seg, R"j({"batch":{}})j", 400,
       R"j({"error":"batch: must be an array of messages"})j"},
      {"batch of 2501", "POST", "/v1/batch", seg, json{{"batch", too_many}}.dump(), 400,
       R"j({"error":"batch: more than 2500 messages"})j"},
      {"track without event", "POST", "/v1/batch", seg, BatchBody({Without(Valid("e1"), "event")}),
       200, Rejected(0, "event: required for track")},
      {"track without userId", "POST", "/v1/track", seg, Msg(Without(Valid("e2"), "userId")), 200,
       Rejected(0, "userId: required (userId or anonymousId)")},
      {"group without groupId", "POST", "/v1/group", seg,
       Msg(json{{"userId", "u"}, {"timestamp", NowIso()}}), 200,
       Rejected(0, "groupId: required for group")},
      {"event of wrong type", "POST", "/v1/track", seg, Msg(With(Valid("e3"), "event", 5)), 200,
       Rejected(0, "event: must be a string")},
      {"bad timestamp", "POST", "/v1/track", seg, Msg(With(Valid("e4"), "timestamp", "yesterday")),
       200, Rejected(0, "timestamp: not an ISO-8601 time")},
      {"timestamp as a number", "POST", "/v1/track", seg,
       Msg(With(Valid("e5"), "timestamp", 1700000000)), 200,
       Rejected(0, "timestamp: not an ISO-8601 time")},
      {"timestamp in the future", "POST", "/v1/track", seg,
       Msg(With(Valid("e6"), "timestamp", NowIso(2 * 86400000LL))), 200,
       Rejected(0, "timestamp: in the future")},
      {"bad sentAt", "POST", "/v1/batch", seg,
       json{{"batch", {Valid("e7")}}, {"sentAt", "soon"}}.dump(), 200,
       Rejected(0, "sentAt: not an ISO-8601 time")},
      {"message over 32 KB in a batch", "POST", "/v1/batch", seg,
       BatchBody({Valid("stored_1"), big}), 200, Rejected(1, "message: larger than 32 KB")},
      {"batch element not an object", "POST", "/v1/batch", seg, BatchBody({json(42)}), 200,
       Rejected(0, "body: must be a JSON object")},
      {"record posted as a Segment message", "POST", "/v1/batch", seg,
       json{{"batch", {json::parse(account_rec)}}}.dump(), 200,
       Rejected(0,
                "type: must be a Segment message type (track, identify, group, page, screen, "
                "alias)")},
      {"body over 500 KB", "POST", "/v1/batch", seg, oversize_body, 413,
       R"j({"error":"body: larger than 500 KB"})j"},
      {"gzip bomb", "POST", "/v1/batch", gz, bomb, 413,
       R"j({"error":"body: larger than 500 KB (decompressed)"})j"},
      {"corrupt gzip", "POST", "/v1/batch", gz, "\x1f\x8bnot gzip at all", 400,
       R"j({"error":"body: not valid gzip"})j"},
      {"unsupported encoding", "POST", "/v1/batch", br, BatchBody({Valid("e8")}), 415,
       R"j({"error":"Content-Encoding: unsupported 'br'"})j"},
      {"deeply nested", "POST", "/v1/track", seg, deep, 400,
       R"j({"error":"body: nested too deeply"})j"},
      {"invalid UTF-8", "POST", "/v1/track", seg,
       "{\"type\":\"track\",\"event\":\"\xff\xfe\",\"userId\":\"u\"}", 400,
       R"j({"error":"body: invalid UTF-8"})j"},
      {"wrong method", "GET", "/v1/track", seg, "", 405,
       R"j({"error":"method: GET not allowed on /v1/track"})j"},
      {"unknown path", "POST", "/v1/nope", seg, "{}", 404,
       R"j({"error":"path: unknown '/v1/nope'"})j"},
      {"missing write key",
       "POST",
       "/v1/batch",
       {},
       BatchBody({Valid("nokey")}),
       401,
       R"j({"error":"write key: required (HTTP Basic user or writeKey in the body)"})j"},
      {"unknown write key (Basic)",
       "POST",
       "/v1/batch",
       {{"Authorization", HttpClient::BasicAuth("wk_wrong")}},
       BatchBody({Valid("badkey")}),
       401,
       R"j({"error":"write key: unknown"})j"},
      {"unknown writeKey in body",
       "POST",
       "/v1/batch",
       {},
       json{{"writeKey", "wk_wrong"}, {"batch", {Valid("badkey2")}}}.dump(),
       401,
       R"j({"error":"write key: unknown"})j"},
      {"missing token",
       "GET",
       "/v1/accounts",
       {},
       "",
       401,
       R"j({"error":"token: required (Authorization: Bearer <token>)"})j"},
      {"unknown token",
       "GET",
       "/v1/signals",
       {{"Authorization", "Bearer tok_wrong"}},
       "",
       401,
       R"j({"error":"token: unknown"})j"},
      {"records with a write key", "POST", "/v1/records", seg, account_rec, 401,
       R"j({"error":"token: required (Authorization: Bearer <token>)"})j"},
      {"record of unknown type", "POST", "/v1/records", rec,
       R"j([{"type":"widget","account_id":"acme"}])j", 200,
       Rejected(0, "type: unknown type 'widget'")},
      {"Segment message posted as a record", "POST", "/v1/records", rec,
       "\n" + Msg(Valid("r1")) + "\n", 200,
       Rejected(1,
                "type: must be a record type (account, owner, contract, ticket, touch, "
                "opportunity, revenue, release)")},
      {"NDJSON record that is not JSON", "POST", "/v1/records", rec, account_rec + "\n{oops\n", 200,
       Rejected(1, "body: not valid JSON")},
      {"record with a bad field type", "POST", "/v1/records", rec,
       R"j([{"type":"revenue","account_id":"acme","at":"2026-01-01T00:00:00Z","mrr":"100"}])j", 200,
       Rejected(0, "mrr: must be a number")},
      {"bad route filter", "GET", "/v1/accounts?route=boss", rec, "", 400,
       R"j({"error":"route: must be one of ae, csm, nurture, suppressed"})j"},
      {"bad limit", "GET", "/v1/accounts?limit=0", rec, "", 400,
       R"j({"error":"limit: must be a positive integer"})j"},
      {"bad signal status", "GET", "/v1/signals?status=done", rec, "", 400,
       R"j({"error":"status: must be one of open, opportunity, won, lost, expired, suppressed"})j"},
      {"unknown account", "GET", "/v1/accounts/nope", rec, "", 404,
       R"j({"error":"account 'nope' not found"})j"},
      {"unknown signal", "GET", "/v1/signals/nope:1", rec, "", 404,
       R"j({"error":"signal 'nope:1' not found"})j"},
  };
}

TEST(Hostile, EveryRequestGetsItsExactAnswerAndTheServerSurvives) {
  TempDir dir;
  ServerProcess server(WriteConfig(dir));
  ASSERT_NE(server.port(), 0);
  HttpClient http(server.port());
  const auto cases = Cases();
  ASSERT_GE(cases.size(), 25u);
  int rejected = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Reply r = http.Send(c.method, c.path, c.body, c.headers);
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(r.body, c.expected);
    if (c.status == 200) ++rejected;
    EXPECT_EQ(http.Get("/healthz", false).status, 200);
  }
  // Still answering, and a valid message is stored.
  EXPECT_EQ(http.PostSegment("/v1/batch", BatchBody({Valid("stored_2")})).body,
            R"j({"success":true})j");
  EXPECT_EQ(http.Send("POST", "/v1/records",
                      R"j({"type":"account","account_id":"hostile_ok","name":"OK",)j"
                      R"j("timestamp":"2026-01-01T00:00:00Z"})j",
                      {{"Authorization", kBearer}})
                .body,
            R"j({"success":true})j");
  // Exactly the valid inputs were stored: stored_1, the NDJSON account
  // record, stored_2 and the hostile_ok record.
  EXPECT_EQ(MetricValue(http, "headroom_inputs_ingested_total"), 4);
  EXPECT_EQ(MetricValue(http, "headroom_inputs_rejected_total"), rejected);
  // What the engine holds: accounts acme and hostile_ok, the one user u1.
  EXPECT_EQ(MetricValue(http, "headroom_engine_accounts"), 2);
  EXPECT_EQ(MetricValue(http, "headroom_engine_users"), 1);
  EXPECT_EQ(MetricValue(http, "headroom_engine_signals"), 0);
  EXPECT_EQ(MetricValue(http, "headroom_engine_firings"), 0);
  EXPECT_GT(MetricValue(http, "headroom_sqlite_memory_bytes"), 0);
  EXPECT_EQ(SettledEventsOf(http, "hostile_ok", 2), 2);
  EXPECT_EQ(http.Get("/v1/quarantine").json().size(), static_cast<size_t>(rejected));
  EXPECT_EQ(http.Get("/v1/accounts/hostile_ok").json()["name"], "OK");
  EXPECT_EQ(server.Terminate(), 0);
}

// A request cut off mid-body and garbage instead of HTTP do not stop the server.
TEST(Hostile, MalformedHttpIsAnsweredAndTheServerSurvives) {
  TempDir dir;
  ServerProcess server(WriteConfig(dir));
  HttpClient http(server.port());
  namespace asio = boost::asio;
  asio::io_context ioc;
  {
    asio::ip::tcp::socket s(ioc);
    s.connect({asio::ip::make_address("127.0.0.1"), server.port()});
    asio::write(s, asio::buffer(std::string("NOT HTTP AT ALL\r\n\r\n")));
    std::string reply(4096, '\0');
    boost::system::error_code ec;
    const size_t n = s.read_some(asio::buffer(reply), ec);
    reply.resize(n);
    EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << reply;
  }
  {
    asio::ip::tcp::socket s(ioc);
    s.connect({asio::ip::make_address("127.0.0.1"), server.port()});
    asio::write(s, asio::buffer(std::string(
                       "POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"ba")));
  }  // closed mid-body
  EXPECT_EQ(http.Get("/healthz", false).status, 200);
  EXPECT_EQ(MetricValue(http, "headroom_inputs_ingested_total"), 0);
}

}  // namespace
}  // namespace headroom::server::testing
