// generate_events: a deterministic synthetic event stream for benchmarks.
//   generate_events EVENTS DAYS ACCOUNTS [SEED] [--users] > events.ndjson
// Writes account and contract records first (with --users also one identify
// per user, with a title and a department, so the buying-committee criteria
// have something to find), then EVENTS track calls spread
// evenly over DAYS days (starting 2026-01-01), in time order, across ACCOUNTS
// accounts with 40 users each; event names cover the SPEC 2 example metrics.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "common/time.h"

int main(int argc, char** argv) {
  bool with_users = false;
  if (argc > 1 && std::string(argv[argc - 1]) == "--users") {
    with_users = true;
    --argc;
  }
  if (argc < 4) {
    std::fprintf(stderr, "usage: generate_events EVENTS DAYS ACCOUNTS [SEED] [--users]\n");
    return 2;
  }
  const uint64_t events = std::strtoull(argv[1], nullptr, 10);
  const int days = std::atoi(argv[2]);
  const int accounts = std::atoi(argv[3]);
  const uint64_t seed = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 42;
  std::mt19937_64 rng(seed);
  const headroom::TimeMs start = *headroom::ParseIsoTime("2026-01-01T00:00:00Z");
  for (int a = 0; a < accounts; ++a) {
    std::printf(
        "{\"type\":\"account\",\"account_id\":\"acct%04d\",\"name\":\"Account "
        "%d\",\"owners\":{\"ae\":\"ae%d\",\"csm\":\"csm%d\"},\"traits\":{\"icp_fit\":%s,"
        "\"headcount_growth_pct\":%d},\"timestamp\":\"2025-12-01T00:00:00Z\"}\n",
        a, a, a % 7, a % 5, a % 3 == 0 ? "true" : "false", a % 20);
    std::printf(
        "{\"type\":\"contract\",\"account_id\":\"acct%04d\",\"plan\":\"team\",\"arr\":24000,"
        "\"start\":\"2025-06-01\",\"limits\":{\"seats\":%d,\"gb_ingested\":1000}}\n",
        a, 30 + a % 40);
  }
  if (with_users) {
    static const char* kTitles[] = {
        "Software Engineer", "VP Engineering", "Data Analyst", "Head of Data",
        "Product Manager",   "Director of IT", "Engineer",     "CFO"};
    static const char* kDepartments[] = {"engineering", "data", "finance", "it", "product"};
    std::mt19937_64 urng(seed + 1);
    for (int a = 0; a < accounts; ++a) {
      for (int u = 0; u < 40; ++u) {
        std::printf(
            "{\"type\":\"identify\",\"userId\":\"acct%04d-u%d\",\"traits\":{\"title\":\"%s\","
            "\"department\":\"%s\"},\"timestamp\":\"2025-12-01T00:00:00Z\"}\n",
            a, u, kTitles[urng() % 8], kDepartments[urng() % 5]);
      }
    }
  }
  static const char* kEvents[] = {"Feature Used",       "Feature Used",  "Feature Used",
                                  "API Request",        "Data Ingested", "Workflow Started",
                                  "Workflow Completed", "Paywall Hit",   "Workspace Created",
                                  "Module Activated"};
  const double span = static_cast<double>(days) * headroom::kMsPerDay;
  for (uint64_t i = 0; i < events; ++i) {
    const auto t = start + static_cast<headroom::TimeMs>(span * static_cast<double>(i) /
                                                         static_cast<double>(events));
    const int a = static_cast<int>(rng() % static_cast<uint64_t>(accounts));
    const int u = static_cast<int>(rng() % 40);
    const char* ev = kEvents[rng() % 10];
    std::string props;
    if (ev[0] == 'D')
      props = ",\"properties\":{\"gb\":" + std::to_string(rng() % 10) + "}";
    else if (ev[0] == 'W' && ev[1] == 'o' && ev[4] == 's')
      props = ",\"properties\":{\"workspace_id\":\"w" + std::to_string(rng() % 3) + "\"}";
    else if (ev[0] == 'M')
      props = ",\"properties\":{\"module\":\"m" + std::to_string(rng() % 4) + "\"}";
    std::printf(
        "{\"type\":\"track\",\"event\":\"%s\",\"userId\":\"acct%04d-u%d\",\"context\":{\"groupId\":"
        "\"acct%04d\"}%s,\"timestamp\":\"%s\",\"messageId\":\"m%" PRIu64 "\"}\n",
        ev, a, u, a, props.c_str(), headroom::FormatIsoTime(t).c_str(), i);
  }
  return 0;
}
