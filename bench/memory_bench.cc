// memory_bench: engine memory per idle account and per (account, user) pair
// (issue 7 targets: <= 2 KB per idle account, <= 64 B per pair in a 30-day
// window). Builds, in process, ACCOUNTS accounts with an account and a contract
// record each and 90 days of track events from USERS users per account
// (EVENTS_PER_DAY per account and day, the generate_events mix), then advances
// the clock past the last day so every account is idle ("90 days of history
// and no events today"). Measures heap bytes in use (glibc mallinfo2) and RSS
// before and after, and prints bytes per account.
//
//   memory_bench [CONFIG] [ACCOUNTS=2000] [USERS=40] [EVENTS_PER_DAY=20]
//
// Bytes per pair = (bytes at USERS users - bytes at 1 user) / (ACCOUNTS *
// (USERS - 1)), both runs in this process with the same event count. With
// USERS users the seat_capacity trigger fires and signals follow (about one
// per account), which 1 user never does, so that difference also counts
// signals and firings. A second pair of runs isolates the state per pair:
// seat limits out of reach, so both runs fire the same triggers and create
// the same signals (the counts are printed; the users are never identified,
// so the committee scores nothing in either).
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>

#include "config/loader.h"
#include "engine/engine.h"

namespace {

using headroom::Input;
using headroom::TimeMs;

size_t HeapBytes() {
  const struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

size_t RssBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4096;
}

struct Loaded {
  size_t heap = 0;
  size_t rss = 0;
  uint64_t events = 0;
  headroom::EngineCounts counts;
};

struct Options {
  bool seats_out_of_reach = false;  // contracts of 10^9 seats
};

// Heap and RSS growth caused by an engine holding `accounts` idle accounts.
Loaded Load(const headroom::Config& config, int accounts, int users, int per_day,
            const Options& options, std::unique_ptr<headroom::Engine>& keep) {
  malloc_trim(0);
  const size_t heap0 = HeapBytes();
  const size_t rss0 = RssBytes();
  keep = std::make_unique<headroom::Engine>(config);
  headroom::Engine& engine = *keep;
  engine.set_track_changes(false);
  const TimeMs start = *headroom::ParseIsoTime("2026-01-01T00:00:00Z");
  uint64_t seq = 0;
  for (int a = 0; a < accounts; ++a) {
    char id[32];
    std::snprintf(id, sizeof id, "acct%05d", a);
    Input rec;
    rec.seq = ++seq;
    rec.time = start;
    rec.type = headroom::MessageType::kRecord;
    rec.account_id = id;
    headroom::AccountRecord ar;
    ar.name = std::string("Account ") + id;
    ar.owners.ae = "ae" + std::to_string(a % 7);
    ar.owners.csm = "csm" + std::to_string(a % 5);
    ar.traits["icp_fit"] = headroom::Value::Bool(a % 3 == 0);
    rec.body = ar;
    engine.Apply(rec);
    Input con = rec;
    con.seq = ++seq;
    headroom::ContractRecord c;
    c.plan = "team";
    c.arr = 24000;
    c.start = start - 200 * headroom::kMsPerDay;
    c.limits["seats"] = headroom::Value::Number(options.seats_out_of_reach ? 1e9 : 30 + a % 40);
    con.body = c;
    engine.Apply(con);
  }
  static const char* kEvents[] = {"Feature Used",       "Feature Used",  "Feature Used",
                                  "API Request",        "Data Ingested", "Workflow Started",
                                  "Workflow Completed", "Paywall Hit",   "Workspace Created",
                                  "Module Activated"};
  const auto& names = engine.property_interest().names;
  std::mt19937_64 rng(42);
  const uint64_t total = static_cast<uint64_t>(accounts) * static_cast<uint64_t>(per_day) * 90;
  const double gap = 90.0 * headroom::kMsPerDay / static_cast<double>(total);
  for (uint64_t i = 0; i < total; ++i) {
    Input in;
    in.seq = ++seq;
    in.time = start + static_cast<TimeMs>(gap * static_cast<double>(i));
    const int a = static_cast<int>(rng() % static_cast<uint64_t>(accounts));
    char id[32];
    std::snprintf(id, sizeof id, "acct%05d", a);
    in.account_id = id;
    in.explicit_account = true;
    in.user_id = in.account_id + "-u" + std::to_string(rng() % static_cast<uint64_t>(users));
    headroom::EventMsg e;
    e.event = kEvents[rng() % 10];
    const uint64_t r = rng();
    for (const auto& n : names) {
      if (n == "gb" && e.event == "Data Ingested")
        e.props.push_back(headroom::Value::Number(static_cast<double>(r % 10)));
      else if (n == "workspace_id" && e.event == "Workspace Created")
        e.props.push_back(headroom::Value::String("w" + std::to_string(r % 3)));
      else if (n == "module" && e.event == "Module Activated")
        e.props.push_back(headroom::Value::String("m" + std::to_string(r % 4)));
      else
        e.props.emplace_back();
    }
    in.body = std::move(e);
    engine.Apply(in);
  }
  // Idle: no events today.
  engine.AdvanceTo(start + 91 * headroom::kMsPerDay);
  malloc_trim(0);
  return Loaded{HeapBytes() - heap0, RssBytes() - rss0, total, engine.Counts()};
}

}  // namespace

int main(int argc, char** argv) {
  const std::string config_path = argc > 1 ? argv[1] : "bench/headroom.yaml";
  const int accounts = argc > 2 ? std::atoi(argv[2]) : 2000;
  const int users = argc > 3 ? std::atoi(argv[3]) : 40;
  const int per_day = argc > 4 ? std::atoi(argv[4]) : 20;
  std::ifstream in(config_path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto loaded = headroom::LoadConfig(ss.str());
  if (!loaded.config) {
    std::fprintf(stderr, "bad config %s\n", config_path.c_str());
    return 1;
  }
  std::unique_ptr<headroom::Engine> engine;
  const Options full;
  const Loaded one = Load(*loaded.config, accounts, 1, per_day, full, engine);
  engine.reset();
  const Loaded many = Load(*loaded.config, accounts, users, per_day, full, engine);
  engine.reset();
  const Options state_only{.seats_out_of_reach = true};
  const Loaded one_state = Load(*loaded.config, accounts, 1, per_day, state_only, engine);
  engine.reset();
  const Loaded many_state = Load(*loaded.config, accounts, users, per_day, state_only, engine);
  engine.reset();
  const auto pair_bytes = [&](const Loaded& a, const Loaded& b) {
    return (static_cast<double>(b.heap) - static_cast<double>(a.heap)) /
           (static_cast<double>(accounts) * (users - 1));
  };
  std::printf("accounts %d, users/account %d, events %llu over 90 days (idle at day 91)\n",
              accounts, users, static_cast<unsigned long long>(many.events));
  std::printf("heap: %.0f B per idle account with %d users (%.0f B with 1 user)\n",
              static_cast<double>(many.heap) / accounts, users,
              static_cast<double>(one.heap) / accounts);
  std::printf("heap: %.0f B per (account, user) pair (signals %zu vs %zu, firings %zu vs %zu)\n",
              pair_bytes(one, many), many.counts.signals, one.counts.signals, many.counts.firings,
              one.counts.firings);
  std::printf(
      "heap: %.0f B per (account, user) pair, state alone (seats out of reach: signals %zu vs "
      "%zu, firings %zu vs %zu)\n",
      pair_bytes(one_state, many_state), many_state.counts.signals, one_state.counts.signals,
      many_state.counts.firings, one_state.counts.firings);
  std::printf("rss:  %.0f B per idle account with %d users (%.0f B with 1 user)\n",
              static_cast<double>(many.rss) / accounts, users,
              static_cast<double>(one.rss) / accounts);
  return 0;
}
