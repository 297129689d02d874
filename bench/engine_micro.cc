// engine_micro: Google Benchmark micro-benchmarks of the engine's hot paths
// (issue 7), all with the SPEC 2 example rules (bench/headroom.yaml, read from
// the working directory or $HEADROOM_CONFIG):
//   BM_ParseTrack       parse one track message (InputParser)
//   BM_ParseTrackInto   the same into one reused Input (the replay loop's form)
//   BM_MetricAdd/...    MetricState::Add of one event (distinct user 30d, count 30d)
//   BM_ApplyEvent       Engine::Apply of one track event to a loaded account
//                       (metric updates + evaluation of the account)
//   BM_EvaluateAccount  evaluation of one loaded account (an input that only
//                       re-evaluates: a revenue record)
//
//   ./build/engine_micro [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "config/loader.h"
#include "engine/engine.h"
#include "engine/metric_state.h"
#include "input/parser.h"

namespace {

using headroom::Input;
using headroom::TimeMs;

const headroom::Config& BenchConfig() {
  static const headroom::Config config = [] {
    const char* env = std::getenv("HEADROOM_CONFIG");
    std::ifstream in(env ? env : "bench/headroom.yaml");
    std::stringstream ss;
    ss << in.rdbuf();
    auto loaded = headroom::LoadConfig(ss.str());
    if (!loaded.config) {
      std::fprintf(stderr, "cannot load bench/headroom.yaml (run from the repository root)\n");
      std::exit(1);
    }
    return *loaded.config;
  }();
  return config;
}

const headroom::MetricDef& Metric(const std::string& name) {
  for (const auto& m : BenchConfig().metrics)
    if (m.name == name) return m;
  std::fprintf(stderr, "no metric %s\n", name.c_str());
  std::exit(1);
}

constexpr std::string_view kTrack =
    R"({"type":"track","event":"Module Activated","userId":"acct0042-u17",)"
    R"("context":{"groupId":"acct0042"},"properties":{"module":"m2"},)"
    R"("timestamp":"2026-02-03T04:05:06.789Z","messageId":"m123456"})";

void BM_ParseTrack(benchmark::State& state) {
  headroom::Engine engine(BenchConfig());
  headroom::InputParser parser(engine.property_interest());
  for (auto _ : state) {
    auto r = parser.Parse(kTrack);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParseTrack);

// The same into one reused Input (the replay loop's form).
void BM_ParseTrackInto(benchmark::State& state) {
  headroom::Engine engine(BenchConfig());
  headroom::InputParser parser(engine.property_interest());
  Input in;
  for (auto _ : state) {
    auto err = parser.Parse(kTrack, in);
    benchmark::DoNotOptimize(err);
    benchmark::DoNotOptimize(in);
  }
}
BENCHMARK(BM_ParseTrackInto);

// One event per iteration, 40 users, ~20 events per day.
void MetricAdd(benchmark::State& state, const char* metric) {
  headroom::MetricState m(Metric(metric), 30 + 19);
  const TimeMs start = *headroom::ParseIsoTime("2026-01-01T00:00:00Z");
  uint64_t users[40];  // the engine fingerprints a user once per input, before the metrics
  for (int u = 0; u < 40; ++u)
    users[u] = headroom::DistinctValues::FingerprintOfUser("acct0001-u" + std::to_string(u));
  uint64_t i = 0;
  for (auto _ : state) {
    ++i;
    const TimeMs t = start + static_cast<TimeMs>(i) * (headroom::kMsPerDay / 20);
    headroom::MetricEvent e{t, i, nullptr, users[i % 40]};
    m.Add(e, headroom::DayOf(t));
    if ((i & 15) == 0) benchmark::DoNotOptimize(m.CurrentNumber(headroom::DayOf(t)));
  }
}
void BM_MetricAdd_DistinctUser(benchmark::State& state) { MetricAdd(state, "active_users"); }
void BM_MetricAdd_Count(benchmark::State& state) { MetricAdd(state, "workflows_done"); }
BENCHMARK(BM_MetricAdd_DistinctUser);
BENCHMARK(BM_MetricAdd_Count);

// An engine with one account, its contract, and 60 days of 20 events a day.
struct Loaded {
  headroom::Engine engine{BenchConfig()};
  uint64_t seq = 0;
  TimeMs now = 0;
  Loaded() {
    engine.set_track_changes(false);
    const TimeMs start = *headroom::ParseIsoTime("2026-01-01T00:00:00Z");
    Input c;
    c.seq = ++seq;
    c.time = start;
    c.type = headroom::MessageType::kRecord;
    c.account_id = "acct0001";
    headroom::ContractRecord cr;
    cr.plan = "team";
    cr.start = start - 400 * headroom::kMsPerDay;
    cr.limits["seats"] = headroom::Value::Number(50);
    c.body = cr;
    engine.Apply(c);
    for (int i = 0; i < 60 * 20; ++i) Apply(start + i * (headroom::kMsPerDay / 20));
  }
  Input Event(TimeMs t) {
    static const char* kEvents[] = {"Feature Used", "API Request", "Workflow Started",
                                    "Workflow Completed", "Paywall Hit"};
    Input in;
    in.seq = ++seq;
    in.time = t;
    in.account_id = "acct0001";
    in.explicit_account = true;
    in.user_id = "acct0001-u" + std::to_string(seq % 40);
    headroom::EventMsg e;
    e.event = kEvents[seq % 5];
    e.props.resize(engine.property_interest().names.size());
    in.body = std::move(e);
    return in;
  }
  void Apply(TimeMs t) {
    now = t;
    engine.Apply(Event(t));
  }
};

void BM_ApplyEvent(benchmark::State& state) {
  Loaded l;
  Input in = l.Event(l.now);
  for (auto _ : state) {
    in.seq = ++l.seq;
    l.engine.Apply(in);
  }
}
BENCHMARK(BM_ApplyEvent);

void BM_EvaluateAccount(benchmark::State& state) {
  Loaded l;
  Input in;
  in.time = l.now;
  in.type = headroom::MessageType::kRecord;
  in.account_id = "acct0001";
  in.body = headroom::RevenueRecord{l.now, 100, "team"};
  for (auto _ : state) {
    in.seq = ++l.seq;
    l.engine.Apply(in);
  }
}
BENCHMARK(BM_EvaluateAccount);

}  // namespace

BENCHMARK_MAIN();
