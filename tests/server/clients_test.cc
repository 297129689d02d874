// SPEC 1.1 "What real clients send": the real npm clients @segment/analytics-node
// (writeKey in the Basic header and the body, batches to /v1/batch) and
// @rudderstack/rudder-sdk-node (Basic header, gzip, x-www-form-urlencoded) send
// 1,050 tracks and a group call each (send.js), in batches of 100, to the real
// `headroom serve`. Each account's `events` count must be exact: 400/300/200/100
// by context.groupId and 50 attributed through the group call.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "harness.h"

namespace headroom::server::testing {
namespace {

const std::string kClients = std::string(HEADROOM_SOURCE_DIR) + "/tests/server/clients";

void EnsureNodeModules() {
  if (std::filesystem::exists(kClients + "/node_modules/@segment/analytics-node") &&
      std::filesystem::exists(kClients + "/node_modules/@rudderstack/rudder-sdk-node"))
    return;
  // As scripts/test.sh: `npm ci` trips over this lock's optional platform
  // packages (an npm bug); `npm install` then installs the same versions.
  const std::string cmd = "cd '" + kClients +
                          "' && { npm ci --no-audit --no-fund >/dev/null 2>&1 || "
                          "npm install --no-save --no-audit --no-fund >/dev/null 2>&1; }";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << "npm ci / npm install failed in " << kClients;
}

void RunClient(const std::string& kind, uint16_t port, const std::string& prefix) {
  const std::string cmd = "cd '" + kClients + "' && node send.js " + kind +
                          " http://127.0.0.1:" + std::to_string(port) + " " + kWriteKey + " " +
                          prefix;
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

void ExpectCounts(HttpClient& http, const std::string& prefix) {
  EXPECT_EQ(SettledEventsOf(http, prefix + "_a", 400), 400);
  EXPECT_EQ(SettledEventsOf(http, prefix + "_b", 300), 300);
  EXPECT_EQ(SettledEventsOf(http, prefix + "_c", 200), 200);
  EXPECT_EQ(SettledEventsOf(http, prefix + "_d", 100), 100);
  EXPECT_EQ(SettledEventsOf(http, prefix + "_grp", 50), 50);
}

TEST(RealClients, SegmentAndRudderStackEventsCountExactlyOnce) {
  EnsureNodeModules();
  TempDir dir;
  ServerProcess server(WriteConfig(dir));
  ASSERT_NE(server.port(), 0);
  HttpClient http(server.port());

  RunClient("segment", server.port(), "seg");
  const double segment_requests = MetricValue(http, "headroom_ingest_requests_total");
  EXPECT_GE(segment_requests, 10);
  EXPECT_EQ(MetricValue(http, "headroom_ingest_gzip_requests_total"), 0);
  ExpectCounts(http, "seg");

  RunClient("rudder", server.port(), "rud");
  EXPECT_GE(MetricValue(http, "headroom_ingest_gzip_requests_total"), 10);
  ExpectCounts(http, "rud");

  // 2 x (1,050 tracks + 1 group), nothing rejected or doubled.
  EXPECT_EQ(MetricValue(http, "headroom_inputs_ingested_total"), 2102);
  EXPECT_EQ(MetricValue(http, "headroom_inputs_rejected_total"), 0);
  EXPECT_EQ(MetricValue(http, "headroom_inputs_duplicate_total"), 0);
  EXPECT_EQ(http.Get("/v1/quarantine").body, "[]");
  // The accounts list has the 10 accounts.
  EXPECT_EQ(http.Get("/v1/accounts").json().size(), 10u);
  EXPECT_EQ(server.Terminate(), 0);
}

}  // namespace
}  // namespace headroom::server::testing
