// The `headroom` binary end to end: a malformed config is rejected with every
// problem listed; re-import, a restart between imports, and `rebuild` leave
// exactly the state of one uninterrupted import.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "server/harness.h"
#include "store/account_series.h"
#include "store/store.h"

namespace {

using nlohmann::json;

const std::string kSource = HEADROOM_SOURCE_DIR;
const std::string kBinary = HEADROOM_BINARY;
const std::string kConfig = kSource + "/examples/headroom.yaml";

struct Output {
  int status;
  std::string text;
};

// Runs a shell command; stderr is merged into the output unless `quiet`.
Output Shell(const std::string& command, bool quiet = false) {
  std::string out;
  FILE* pipe = popen((command + (quiet ? " 2>/dev/null" : " 2>&1")).c_str(), "r");
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  const int rc = pclose(pipe);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

std::string TempPath(const std::string& stem) {
  std::random_device rd;
  return (std::filesystem::temp_directory_path() / (stem + std::to_string(rd()))).string();
}

std::string Headroom(const std::string& args, const std::string& data) {
  return Shell(kBinary + " " + args + " --config " + kConfig + " --data " + data, true).text;
}

std::string State(const std::string& data) {
  return Headroom("accounts --json", data) + Headroom("signals --json", data) +
         Headroom("firings --json", data) + Headroom("account acme --json", data);
}

TEST(Cli, MalformedConfigListsEveryProblem) {
  const std::string path = TempPath("headroom-bad-") + ".yaml";
  std::ofstream(path)
      << "metrics:\n"
         "  active_users: { distinct: user, window: 30 }\n"
         "triggers:\n"
         "  seat_capacity: { class: capacity, metric: seat, at: 0.8, buffer: 0.15 }\n"
         "routing:\n"
         "  ae_att: 70\n";
  Output out = Shell(kBinary + " check-config --config " + path);
  std::filesystem::remove(path);
  EXPECT_EQ(out.status, 1);
  EXPECT_EQ(out.text, path +
                          ": 4 problems\n"
                          "  metrics.active_users.window: not a window (Nd, month or all)\n"
                          "  triggers.seat_capacity.metric: unknown metric 'seat'\n"
                          "  triggers.seat_capacity.buffer: requires limit\n"
                          "  routing.ae_att: unknown key\n");
}

TEST(Cli, ValidConfigIsOk) {
  Output out = Shell(kBinary + " check-config --config " + kConfig);
  EXPECT_EQ(out.status, 0);
  EXPECT_EQ(out.text, kConfig + ": ok (5 metrics, 4 triggers, 0 webhooks)\n");
}

TEST(Cli, ReimportRestartAndRebuildChangeNothing) {
  const std::string one = TempPath("headroom-one-"), two = TempPath("headroom-two-");
  const std::string records = kSource + "/examples/records.ndjson";
  const std::string events = kSource + "/examples/events.ndjson";
  Headroom("import " + records + " " + events, one);
  const std::string state = State(one);
  ASSERT_NE(state.find("acme:1"), std::string::npos);

  // Re-import: every line is a duplicate (the malformed line is counted again
  // but not stored again), nothing changes.
  EXPECT_EQ(Headroom("import " + records + " " + events, one).substr(0, 42),
            "stored 0, duplicates 1116, quarantined 1\nc");
  EXPECT_EQ(State(one), state);

  // A restart between two files gives the same state as one import.
  Headroom("import " + records, two);
  Headroom("import " + events, two);
  EXPECT_EQ(State(two), state);

  // rebuild recomputes everything from the log: same state.
  EXPECT_EQ(Headroom("rebuild", one), "rebuilt from 1115 stored inputs\n");
  EXPECT_EQ(State(one), state);
  std::filesystem::remove_all(one);
  std::filesystem::remove_all(two);
}

// --horizon reaches the report; every repeated --set is an axis of the grid,
// replayed with one read of the log. seat_capacity fired twice in the golden
// example (acme, umbrella: examples/README.md), at the configured at=0.8,
// sustained_days=5.
TEST(Cli, ReportHorizonAndBacktestGrid) {
  const std::string data = TempPath("headroom-report-");
  Headroom("import " + kSource + "/examples/records.ndjson " + kSource + "/examples/events.ndjson",
           data);
  const json report = json::parse(Headroom("report triggers --horizon 30 --json", data));
  EXPECT_EQ(report["horizon_days"], 30);
  const json grid = json::parse(
      Headroom("backtest seat_capacity --set at=0.8,0.9 --set sustained_days=5,6 --json", data));
  EXPECT_EQ(grid["log_reads"], 1);
  ASSERT_EQ(grid["combinations"].size(), 4u);
  int configured = 0;
  for (const auto& c : grid["combinations"]) {
    if (!c["configured"].get<bool>()) continue;
    ++configured;
    EXPECT_EQ(c["combination"]["at"], 0.8);
    EXPECT_EQ(c["combination"]["sustained_days"], 5);
    EXPECT_EQ(c["episodes"], 2);
    EXPECT_EQ(c["accounts"], 2);
  }
  EXPECT_EQ(configured, 1);
  std::filesystem::remove_all(data);
}

// `headroom demo` serves the API and dashboard over its data with the clock
// frozen at the end of the data (issue 6): `--no-serve` exits after printing;
// the serving run prints exactly one "dashboard:" line once listening, W
// equals the last stored input's time, the series endpoint returns the stored
// midnights, and SIGTERM ends it with status 0.
TEST(Cli, DemoServesTheDashboardWithTheClockAtTheEndOfTheData) {
  const std::string data = TempPath("headroom-demo-");
  const std::string flags =
      " --accounts 20 --months 3 --seed 5 --data " + data + " --config " + data + "/none.yaml";
  const Output first = Shell(kBinary + " demo" + flags + " --no-serve", true);
  ASSERT_EQ(first.status, 0) << first.text;
  EXPECT_EQ(first.text.find("dashboard:"), std::string::npos);

  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    ::close(out[1]);
    const std::string cmd = "exec " + kBinary + " demo" + flags + " --listen 127.0.0.1:0";
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  FILE* f = ::fdopen(out[0], "r");
  char line[4096];
  std::string dashboard;
  int dashboard_lines = 0;
  while (std::fgets(line, sizeof line, f)) {
    if (std::string(line).rfind("dashboard:", 0) == 0) {
      dashboard = line;
      ++dashboard_lines;
      break;
    }
  }
  ASSERT_EQ(dashboard_lines, 1);
  const std::string prefix = "dashboard: http://127.0.0.1:";
  ASSERT_EQ(dashboard.substr(0, prefix.size()), prefix) << dashboard;
  const auto slash = dashboard.find('/', prefix.size());
  const int port = std::stoi(dashboard.substr(prefix.size(), slash - prefix.size()));
  EXPECT_EQ(dashboard.substr(slash), "/ (API token tok_demo)\n");

  headroom::server::testing::HttpClient http(static_cast<uint16_t>(port));
  const std::map<std::string, std::string> auth = {{"Authorization", "Bearer tok_demo"}};
  auto r = http.Send("GET", "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["Content-Type"], "text/html; charset=utf-8");

  // The store as written: W must be the last stored input's time, exactly.
  int64_t last_time = 0;
  uint64_t inputs = 0;
  size_t open_signals = 0;
  {
    auto store = headroom::Store::Open(data, "normal");
    headroom::Statement max(store->database(), "SELECT max(time) FROM inputs");
    headroom::Statement::Use use(max);
    ASSERT_TRUE(max.Step());
    last_time = max.Int(0);
    inputs = store->LastSeq();
    open_signals = store->Signals("open", std::nullopt, std::nullopt).size() +
                   store->Signals("opportunity", std::nullopt, std::nullopt).size();
  }
  r = http.Send("GET", "/v1/status", "", auth);
  ASSERT_EQ(r.status, 200) << r.body;
  const json status = r.json();
  EXPECT_EQ(status["clock"], headroom::FormatIsoTime(last_time));
  EXPECT_EQ(status["live_clock"], false);
  EXPECT_EQ(status["inputs"], inputs);
  EXPECT_EQ(status["accounts"], 20);
  EXPECT_EQ(status["open_signals"], open_signals);

  r = http.Send("GET", "/v1/accounts?limit=1", "", auth);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string id = r.json()[0]["account_id"];
  r = http.Send("GET", "/v1/accounts/" + id + "/series?days=30", "", auth);
  ASSERT_EQ(r.status, 200) << r.body;
  const json series = r.json();
  const headroom::Day last_day = headroom::DayOf(last_time);
  ASSERT_EQ(series["days"].size(), 30u);
  EXPECT_EQ(series["days"][29], headroom::FormatIsoTime(headroom::DayStart(last_day)));
  EXPECT_EQ(series["days"][0], headroom::FormatIsoTime(headroom::DayStart(last_day - 29)));
  ASSERT_EQ(series["score"].size(), 30u);
  {
    auto store = headroom::Store::Open(data, "normal");
    headroom::AccountSeries stored(store->database());
    const auto points = stored.Read(id, last_day - 29, last_day);
    ASSERT_EQ(points.size(), 30u);  // the top account existed for the whole month
    for (size_t i = 0; i < points.size(); ++i) {
      EXPECT_EQ(series["score"][i].get<double>(), points[i].score) << i;
      const json metrics = json::parse(points[i].metrics);
      for (const auto& [name, values] : series["metrics"].items()) {
        ASSERT_EQ(values.size(), 30u) << name;
        EXPECT_EQ(values[i], metrics[name]) << name << " " << i;
      }
    }
  }

  ::kill(pid, SIGTERM);
  int wait_status = 0;
  ::waitpid(pid, &wait_status, 0);
  std::fclose(f);
  ASSERT_TRUE(WIFEXITED(wait_status));
  EXPECT_EQ(WEXITSTATUS(wait_status), 0);
  std::filesystem::remove_all(data);
}

}  // namespace
