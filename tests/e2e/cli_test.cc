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

}  // namespace
