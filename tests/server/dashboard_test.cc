// The server side of the dashboard (issue 6): the daily account series the
// ingest path records at every UTC midnight (import, live clock, rebuild),
// GET /v1/accounts/{id}/series, /v1/status, /v1/backtest and the static files
// of the web root, over a real store and real HTTP on loopback.
//
// The dataset (hand-checked): acme appears on Mar 1 with icp_fit (15
// firmographic points); Paywall Hit on Mar 1 and Mar 2 makes paywall_days 2,
// which fires the adoption trigger paywall_repeat (at 2) on Mar 2 09:00 (+15
// usage points). beta appears on Mar 3. Midnights evaluated: Mar 2, 3, 4.
//
//   midnight  acme: score active_users paywall_days workflows_done   beta
//   Mar 2         15       2            1             1              -
//   Mar 3         30       2            2             1              -
//   Mar 4         30       2            2             2              0 0 0 0
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "config/loader.h"
#include "ingest/ingestor.h"
#include "server/harness.h"
#include "server/static_files.h"
#include "store/account_series.h"
#include "store/store.h"

namespace headroom::server::testing {
namespace {

using nlohmann::json;

constexpr const char* kRules = R"(metrics:
  active_users:   { distinct: user, window: 30d }
  paywall_days:   { days_active: "Paywall Hit", window: 14d }
  workflows_done: { count: "Workflow Completed", window: 30d }
triggers:
  paywall_repeat: { class: adoption, metric: paywall_days, at: 2, hold_days: 7 }
score:
  firmographic:
    max: 30
    criteria:
      - { name: icp_fit, trait: icp_fit, equals: true, points: 15 }
)";

const std::vector<std::string> kLines = {
    R"({"type":"group","userId":"u1","groupId":"acme","traits":{"icp_fit":true},"timestamp":"2026-03-01T10:00:00Z"})",
    R"({"type":"track","event":"Paywall Hit","userId":"u1","messageId":"m1","timestamp":"2026-03-01T10:05:00Z","context":{"groupId":"acme"}})",
    R"({"type":"track","event":"Workflow Completed","userId":"u2","messageId":"m2","timestamp":"2026-03-01T11:00:00Z","context":{"groupId":"acme"}})",
    R"({"type":"track","event":"Paywall Hit","userId":"u2","messageId":"m3","timestamp":"2026-03-02T09:00:00Z","context":{"groupId":"acme"}})",
    R"({"type":"group","userId":"u3","groupId":"beta","timestamp":"2026-03-03T10:00:00Z"})",
    R"({"type":"track","event":"Workflow Completed","userId":"u1","messageId":"m4","timestamp":"2026-03-03T12:00:00Z","context":{"groupId":"acme"}})",
    R"({"type":"track","event":"Workflow Completed","userId":"u1","messageId":"m5","timestamp":"2026-03-04T08:00:00Z","context":{"groupId":"acme"}})",
};

Day D(const char* iso) { return DayOf(*ParseIsoTime(iso)); }

std::string WriteDashboardConfig(const TempDir& dir) {
  const std::string path = dir / "headroom.yaml";
  std::ofstream(path) << "server:\n  listen: 127.0.0.1:0\n  write_keys: [" << kWriteKey
                      << "]\n  api_tokens: [" << kToken << "]\nstorage:\n  path: " << (dir / "data")
                      << "\n"
                      << kRules;
  return path;
}

Config LoadTestConfig(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  ConfigLoadResult r = LoadConfig(ss.str());
  if (!r.config) throw std::runtime_error("test config does not load");
  return *r.config;
}

// Every stored row "day account score metrics", in key order.
std::vector<std::string> AllRows(Store& store) {
  AccountSeries series(store.database());
  std::vector<std::string> rows;
  for (const char* id : {"acme", "beta"})
    for (const auto& p : series.Read(id, D("2026-02-01T00:00:00Z"), D("2026-04-01T00:00:00Z")))
      rows.push_back(FormatIsoTime(DayStart(p.day)) + " " + id + " " + json(p.score).dump() + " " +
                     p.metrics);
  std::sort(rows.begin(), rows.end());
  return rows;
}

void Import(const Config& config, const std::string& data) {
  auto store = Store::Open(data, "normal");
  Ingestor ingestor(config, *store);
  ingestor.Open(false);
  int64_t n = 0;
  for (const auto& line : kLines) {
    std::string error;
    ASSERT_EQ(ingestor.Ingest(line, "t", ++n, &error), IngestOutcome::kStored) << error;
  }
  ingestor.Flush();
}

const std::vector<std::string> kExpectedRows = {
    "2026-03-02T00:00:00.000Z acme 15.0 "
    R"({"active_users":2,"paywall_days":1,"workflows_done":1})",
    "2026-03-03T00:00:00.000Z acme 30.0 "
    R"({"active_users":2,"paywall_days":2,"workflows_done":1})",
    "2026-03-04T00:00:00.000Z acme 30.0 "
    R"({"active_users":2,"paywall_days":2,"workflows_done":2})",
    "2026-03-04T00:00:00.000Z beta 0.0 "
    R"({"active_users":0,"paywall_days":0,"workflows_done":0})",
};

TEST(AccountSeries, ImportRecordsEveryMidnightAndRebuildReproducesIt) {
  TempDir dir;
  const Config config = LoadTestConfig(WriteDashboardConfig(dir));
  Import(config, dir / "data");
  auto store = Store::Open(dir / "data", "normal");
  EXPECT_EQ(AllRows(*store), kExpectedRows);
  {
    Ingestor rebuilt(config, *store);
    EXPECT_TRUE(rebuilt.Open(true));
  }
  EXPECT_EQ(AllRows(*store), kExpectedRows);
  // A plain reopen replays without writing; the rows stay.
  {
    Ingestor reopened(config, *store);
    EXPECT_FALSE(reopened.Open(false));
  }
  EXPECT_EQ(AllRows(*store), kExpectedRows);
}

// The live clock's advance across a midnight records that midnight too (and a
// rebuild replays the stored clock input to the same rows).
TEST(AccountSeries, LiveClockInputsRecordTheirMidnights) {
  TempDir dir;
  const Config config = LoadTestConfig(WriteDashboardConfig(dir));
  Import(config, dir / "data");
  auto store = Store::Open(dir / "data", "normal");
  {
    Ingestor ingestor(config, *store);
    ingestor.Open(false);
    ASSERT_TRUE(ingestor.AdvanceClock(*ParseIsoTime("2026-03-06T00:00:00.250Z")));
    ingestor.Flush();
  }
  std::vector<std::string> expected = kExpectedRows;
  // Mar 5 and 6: u1/u2 still inside 30 days, Paywall days Mar 1-2 inside 14
  // days, and the Mar 4 08:00 Workflow Completed now counts too (3).
  expected.push_back("2026-03-05T00:00:00.000Z acme 30.0 " +
                     std::string(R"({"active_users":2,"paywall_days":2,"workflows_done":3})"));
  expected.push_back("2026-03-05T00:00:00.000Z beta 0.0 " +
                     std::string(R"({"active_users":0,"paywall_days":0,"workflows_done":0})"));
  expected.push_back("2026-03-06T00:00:00.000Z acme 30.0 " +
                     std::string(R"({"active_users":2,"paywall_days":2,"workflows_done":3})"));
  expected.push_back("2026-03-06T00:00:00.000Z beta 0.0 " +
                     std::string(R"({"active_users":0,"paywall_days":0,"workflows_done":0})"));
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(AllRows(*store), expected);
  {
    Ingestor rebuilt(config, *store);
    EXPECT_TRUE(rebuilt.Open(true));
  }
  EXPECT_EQ(AllRows(*store), expected);
}

// A store written before the series table existed is rebuilt once on open.
TEST(AccountSeries, AStoreWithoutTheTableIsRebuiltOnce) {
  TempDir dir;
  const Config config = LoadTestConfig(WriteDashboardConfig(dir));
  Import(config, dir / "data");
  {
    auto store = Store::Open(dir / "data", "normal");
    store->database().Exec("DROP TABLE account_series");
  }
  auto store = Store::Open(dir / "data", "normal");
  {
    Ingestor ingestor(config, *store);
    EXPECT_TRUE(ingestor.Open(false));
  }
  EXPECT_EQ(AllRows(*store), kExpectedRows);
  Ingestor again(config, *store);
  EXPECT_FALSE(again.Open(false));
}

TEST(StaticFiles, ContentTypesAndSafePaths) {
  EXPECT_EQ(StaticFiles::ContentType("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("a.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("a.svg"), "image/svg+xml");
  EXPECT_EQ(StaticFiles::ContentType("a.png"), "image/png");
  EXPECT_EQ(StaticFiles::ContentType("a.json"), "application/json");
  EXPECT_EQ(StaticFiles::ContentType("favicon.ico"), "image/x-icon");
  EXPECT_EQ(StaticFiles::ContentType("f.woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::ContentType("a.js.map"), "application/json");
  EXPECT_EQ(StaticFiles::ContentType("README"), "application/octet-stream");
  EXPECT_EQ(StaticFiles::ContentType("x.y/README"), "application/octet-stream");
  EXPECT_TRUE(StaticFiles::SafePath("/"));
  EXPECT_TRUE(StaticFiles::SafePath("/assets/index-abc.js"));
  EXPECT_FALSE(StaticFiles::SafePath(""));
  EXPECT_FALSE(StaticFiles::SafePath("assets/a.js"));
  EXPECT_FALSE(StaticFiles::SafePath("/../etc/passwd"));
  EXPECT_FALSE(StaticFiles::SafePath("/assets/../../x"));
  EXPECT_FALSE(StaticFiles::SafePath("/./index.html"));
  EXPECT_FALSE(StaticFiles::SafePath("//etc/passwd"));
  EXPECT_FALSE(StaticFiles::SafePath("/assets/"));
  EXPECT_FALSE(StaticFiles::SafePath("/.env"));
  EXPECT_FALSE(StaticFiles::SafePath("/a\\..\\b"));
  EXPECT_FALSE(StaticFiles::SafePath("/c:/windows"));
  EXPECT_FALSE(StaticFiles::SafePath(std::string("/a\0b", 4)));
}

struct Shell {
  int status;
  std::string out;
};
Shell RunShell(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  const int rc = pclose(pipe);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

TEST(DashboardApi, StatusSeriesBacktestAndFiles) {
  TempDir dir;
  const std::string config_path = WriteDashboardConfig(dir);
  const Config config = LoadTestConfig(config_path);
  Import(config, dir / "data");
  // A web root with a secret file beside it.
  const std::string web = dir / "web";
  std::filesystem::create_directories(web + "/assets");
  std::ofstream(web + "/index.html") << "<!doctype html><title>dash</title>";
  std::ofstream(web + "/assets/index-abc.js") << "console.log(1);";
  std::ofstream(web + "/favicon.svg") << "<svg/>";
  std::ofstream(dir / "secret.txt") << "secret";
  std::filesystem::create_symlink(dir / "secret.txt", web + "/assets/link.txt");

  ServerProcess server(config_path, {}, {"--no-live-clock", "--web", web});
  ASSERT_NE(server.port(), 0);
  HttpClient http(server.port());

  // --- /v1/status: W is the last input's time (no live clock); acme's score 30
  // stays below the default routing thresholds, so no signal is open ------------
  Reply r = http.Get("/v1/status");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json(), json::parse(R"({"clock":"2026-03-04T08:00:00.000Z","live_clock":false,
                                      "inputs":7,"accounts":2,"open_signals":0})"));
  EXPECT_EQ(http.Get("/v1/status", false).status, 401);

  // --- series -------------------------------------------------------------------
  r = http.Get("/v1/accounts/acme/series?days=3");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json(), json::parse(R"({"account_id":"acme",
    "days":["2026-03-02T00:00:00.000Z","2026-03-03T00:00:00.000Z","2026-03-04T00:00:00.000Z"],
    "score":[15,30,30],
    "metrics":{"active_users":[2,2,2],"paywall_days":[1,2,2],"workflows_done":[1,1,2]}})"));
  r = http.Get("/v1/accounts/beta/series?days=4");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json(), json::parse(R"({"account_id":"beta",
    "days":["2026-03-01T00:00:00.000Z","2026-03-02T00:00:00.000Z","2026-03-03T00:00:00.000Z",
            "2026-03-04T00:00:00.000Z"],
    "score":[null,null,null,0],
    "metrics":{"active_users":[null,null,null,0],"paywall_days":[null,null,null,0],
               "workflows_done":[null,null,null,0]}})"));
  r = http.Get("/v1/accounts/acme/series");  // default 90 days
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["days"].size(), 90u);
  EXPECT_EQ(r.json()["days"][0], "2025-12-05T00:00:00.000Z");
  EXPECT_EQ(r.json()["score"][86], nullptr);
  EXPECT_EQ(r.json()["score"][87], 15);
  EXPECT_EQ(r.json()["metrics"]["workflows_done"].size(), 90u);
  for (const char* bad : {"0", "367", "abc", "", "5x", "-1"}) {
    r = http.Get(std::string("/v1/accounts/acme/series?days=") + bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.body, R"({"error":"days: must be an integer from 1 to 366"})") << bad;
  }
  EXPECT_EQ(http.Get("/v1/accounts/acme/series?days=366").status, 200);
  r = http.Get("/v1/accounts/nope/series");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"error":"account 'nope' not found"})");
  EXPECT_EQ(http.Get("/v1/accounts/acme/series", false).status, 401);

  // --- backtest: the CLI's JSON and error texts --------------------------------
  r = http.Get("/v1/backtest?trigger=paywall_repeat&set=at=1,2,3&set=hold_days=7");
  ASSERT_EQ(r.status, 200) << r.body;
  const Shell cli =
      RunShell(std::string(HEADROOM_BINARY) + " backtest paywall_repeat --set at=1,2,3" +
               " --set hold_days=7 --json --config " + config_path);
  ASSERT_EQ(cli.status, 0) << cli.out;
  EXPECT_EQ(r.json(), json::parse(cli.out));
  EXPECT_EQ(r.json()["combinations"].size(), 3u);
  EXPECT_EQ(http.Get("/v1/backtest?trigger=paywall_repeat&set=at=1;hold_days=3,7&horizon=30")
                .json()["horizon_days"],
            30);
  const std::map<std::string, std::string> errors = {
      {"/v1/backtest?set=at=1",
       R"j({"error":"trigger: required (GET /v1/backtest?trigger=T&set=KEY=V1,V2)"})j"},
      {"/v1/backtest?trigger=paywall_repeat",
       R"j({"error":"set: at least one set=KEY=V1,V2,... is required"})j"},
      {"/v1/backtest?trigger=nope&set=at=1", R"j({"error":"unknown trigger 'nope'"})j"},
      {"/v1/backtest?trigger=paywall_repeat&set=at",
       R"j({"error":"--set: expected KEY=V1,V2,... (got 'at')"})j"},
      {"/v1/backtest?trigger=paywall_repeat&set=bogus=1",
       R"j({"error":"--set: unknown key 'bogus' (at, sustained_days, buffer, hold_days, within_days_of_activation, min_denominator)"})j"},
      {"/v1/backtest?trigger=paywall_repeat&set=at=x",
       R"j({"error":"--set at: 'x' is not a number"})j"},
      {"/v1/backtest?trigger=paywall_repeat&set=at=1&horizon=0",
       R"j({"error":"--horizon must be a number of days between 1 and 3650"})j"},
  };
  for (const auto& [target, body] : errors) {
    r = http.Get(target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_EQ(r.body, body) << target;
  }

  // --- static files: no auth, types, no traversal, HEAD ---------------------------
  r = http.Get("/", false);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<!doctype html><title>dash</title>");
  EXPECT_EQ(r.headers["Content-Type"], "text/html; charset=utf-8");
  EXPECT_EQ(r.headers["Cache-Control"], "no-cache");
  r = http.Get("/assets/index-abc.js", false);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "console.log(1);");
  EXPECT_EQ(r.headers["Content-Type"], "text/javascript; charset=utf-8");
  r = http.Get("/favicon.svg", false);
  EXPECT_EQ(r.headers["Content-Type"], "image/svg+xml");
  r = http.Send("HEAD", "/assets/index-abc.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.headers["Content-Length"], "15");
  for (const char* bad : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                          "/assets/%2E%2E/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt",
                          "/assets/link.txt", "/missing.js", "//etc/passwd"}) {
    r = http.Get(bad, false);
    EXPECT_EQ(r.status, 404) << bad;
    EXPECT_EQ(r.body.rfind(R"({"error":"path: unknown ')", 0), 0u) << bad << " " << r.body;
  }
  EXPECT_EQ(http.Send("POST", "/").status, 404);
  EXPECT_EQ(http.Get("/v1/nothing", false).status, 404);
  EXPECT_EQ(http.Get("/healthz", false).body, R"({"ok":true})");

  EXPECT_EQ(server.Terminate(), 0);
}

// Without a built web root, "/" says how to build the dashboard.
TEST(DashboardApi, UnbuiltWebRootAnswersHowToBuild) {
  TempDir dir;
  const std::string config_path = WriteDashboardConfig(dir);
  ServerProcess server(config_path, {}, {"--web", dir / "no-such-dir"});
  ASSERT_NE(server.port(), 0);
  HttpClient http(server.port());
  Reply r = http.Get("/", false);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("scripts/build-web.sh"), std::string::npos);
  EXPECT_EQ(http.Get("/assets/a.js", false).status, 404);
  r = http.Get("/v1/status");
  EXPECT_EQ(r.json(), json::parse(R"({"clock":null,"live_clock":true,"inputs":0,"accounts":0,
                                      "open_signals":0})"));
  EXPECT_EQ(server.Terminate(), 0);
}

}  // namespace
}  // namespace headroom::server::testing
