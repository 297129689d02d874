// history_bench: shows that the engine's work per event does not grow with
// history. For each history length H (days), applies H days of events to a
// fresh engine, then times the next `measure` events (the same workload every
// time: same accounts, users, event mix and rate) and prints ns per event.
//   history_bench [CONFIG] [ACCOUNTS] [EVENTS_PER_DAY] [MEASURE_EVENTS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "config/loader.h"
#include "engine/engine.h"

namespace {

using headroom::Input;

struct Workload {
  const headroom::Engine& engine;
  int accounts;
  int per_day;
  std::mt19937_64 rng{7};
  uint64_t seq = 0;

  Input Make(headroom::TimeMs t) {
    static const char* kEvents[] = {"Feature Used",  "Feature Used",      "API Request",
                                    "Data Ingested", "Workflow Started",  "Workflow Completed",
                                    "Paywall Hit",   "Workspace Created", "Module Activated",
                                    "Feature Used"};
    Input in;
    in.seq = ++seq;
    in.time = t;
    const int a = static_cast<int>(rng() % static_cast<uint64_t>(accounts));
    char buf[32];
    std::snprintf(buf, sizeof buf, "acct%04d", a);
    in.account_id = buf;
    in.user_id = in.account_id + "-u" + std::to_string(rng() % 40);
    headroom::EventMsg e;
    e.event = kEvents[rng() % 10];
    for (const auto& name : engine.property_interest().names) {
      if (name == "gb")
        e.props.push_back(headroom::Value::Number(static_cast<double>(rng() % 10)));
      else if (name == "workspace_id")
        e.props.push_back(headroom::Value::String("w" + std::to_string(rng() % 3)));
      else if (name == "module")
        e.props.push_back(headroom::Value::String("m" + std::to_string(rng() % 4)));
      else
        e.props.emplace_back();
    }
    in.body = std::move(e);
    return in;
  }
};

headroom::Input Contract(const std::string& account, uint64_t seq, headroom::TimeMs t) {
  Input in;
  in.seq = seq;
  in.time = t;
  in.type = headroom::MessageType::kRecord;
  in.account_id = account;
  headroom::ContractRecord c;
  c.plan = "team";
  c.start = t - 400 * headroom::kMsPerDay;
  c.limits["seats"] = headroom::Value::Number(50);
  in.body = c;
  return in;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string config_path = argc > 1 ? argv[1] : "bench/headroom.yaml";
  const int accounts = argc > 2 ? std::atoi(argv[2]) : 500;
  const int per_day = argc > 3 ? std::atoi(argv[3]) : 10000;
  const int measure = argc > 4 ? std::atoi(argv[4]) : 200000;
  std::ifstream in(config_path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto loaded = headroom::LoadConfig(ss.str());
  if (!loaded.config) {
    std::fprintf(stderr, "bad config %s\n", config_path.c_str());
    return 1;
  }
  const headroom::Config& config = *loaded.config;
  const headroom::TimeMs start = *headroom::ParseIsoTime("2026-01-01T00:00:00Z");
  std::printf("history_days  history_events  measured_events  ns_per_event\n");
  for (int history_days : {30, 300}) {
    headroom::Engine engine(config);
    engine.set_track_changes(false);
    Workload w{engine, accounts, per_day};
    for (int a = 0; a < accounts; ++a) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "acct%04d", a);
      engine.Apply(Contract(buf, ++w.seq, start));
    }
    const uint64_t history_events =
        static_cast<uint64_t>(history_days) * static_cast<uint64_t>(per_day);
    const double gap = static_cast<double>(headroom::kMsPerDay) / per_day;
    uint64_t i = 0;
    for (; i < history_events; ++i)
      engine.Apply(w.Make(start + static_cast<headroom::TimeMs>(static_cast<double>(i) * gap)));
    engine.set_track_changes(true);
    const auto t0 = std::chrono::steady_clock::now();
    for (int k = 0; k < measure; ++k, ++i) {
      engine.Apply(w.Make(start + static_cast<headroom::TimeMs>(static_cast<double>(i) * gap)));
      if ((k & 1023) == 0) (void)engine.TakeChanges();
    }
    const double ns =
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%12d  %14llu  %15d  %12.0f\n", history_days,
                static_cast<unsigned long long>(history_events), measure, ns / measure);
    std::fflush(stdout);
  }
  return 0;
}
