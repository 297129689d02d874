// replay_bench: engine replay throughput (issue 7, "engine replay: parse +
// metrics + triggers + score, one core"). Reads an NDJSON file into memory,
// then, per pass, replays it the way `rebuild` does: parse every line
// (InputParser, into one reused Input), number it (seq), attribute it (Attributor) and Apply it to
// a fresh Engine with change tracking off. Prints the median of the passes:
//   engine replay: <N> events in <s> s = <X> events/s
//   cpu: <s> s = <X> events/s (thread CPU time, median)
// The CPU-time figure is the steadier one on a shared machine: it excludes time
// the thread spent waiting for a core.
//
//   replay_bench CONFIG EVENTS.ndjson [PASSES=3] [--dump OUT] [--track] [--no-reuse]
//
// --dump OUT writes, after the last pass, every account's detail JSON, every
// signal and every firing (and with --track every effect) to OUT, one JSON
// document per line in a fixed order: two builds replaying the same file must
// write byte-identical dumps. --track replays with change tracking on (the
// import path) instead of off (the rebuild path). --no-reuse parses each line
// into a new Result<Input> (InputParser::Parse(text), as ingest's rebuild does)
// instead of into one reused Input.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "config/loader.h"
#include "engine/engine.h"
#include "engine/json.h"
#include "input/attributor.h"
#include "input/parser.h"

namespace {

std::string ReadFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string_view> Lines(const std::string& text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    if (end > pos) lines.emplace_back(text.data() + pos, end - pos);
    pos = end + 1;
  }
  return lines;
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct PassResult {
  double seconds = 0;
  double cpu_seconds = 0;
  uint64_t applied = 0;
  uint64_t rejected = 0;
};

// One replay into `engine`; effects are collected into `effects` when tracking.
PassResult Replay(headroom::Engine& engine, const std::vector<std::string_view>& lines, bool track,
                  bool reuse, std::vector<headroom::Effect>* effects) {
  PassResult r;
  headroom::InputParser parser(engine.property_interest());
  headroom::Attributor attributor;
  engine.set_track_changes(track);
  uint64_t seq = 0;
  auto apply = [&](headroom::Input& in) {
    in.seq = ++seq;
    attributor.Attribute(in);
    if (in.type == headroom::MessageType::kGroup) attributor.AddGroup(in);
    engine.Apply(in);
    if (track && (seq & 1023) == 0) {
      headroom::EngineChanges c = engine.TakeChanges();
      if (effects)
        for (auto& e : c.effects) effects->push_back(std::move(e));
    }
  };
  headroom::Input reused;  // parsed into in place, reusing its capacity
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = ThreadCpuSeconds();
  for (std::string_view line : lines) {
    if (reuse) {
      if (parser.Parse(line, reused)) {
        ++r.rejected;
        continue;
      }
      apply(reused);
    } else {
      headroom::Result<headroom::Input> parsed = parser.Parse(line);
      if (!parsed.ok()) {
        ++r.rejected;
        continue;
      }
      apply(parsed.value());
    }
  }
  if (track) {
    headroom::EngineChanges c = engine.TakeChanges();
    if (effects)
      for (auto& e : c.effects) effects->push_back(std::move(e));
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.cpu_seconds = ThreadCpuSeconds() - cpu0;
  r.applied = seq;
  return r;
}

void Dump(const char* path, headroom::Engine& engine,
          const std::vector<headroom::Effect>& effects) {
  std::FILE* out = std::fopen(path, "wb");
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", path);
    std::exit(1);
  }
  for (const std::string& id : engine.AccountIds()) {
    const auto a = engine.Account(id);
    const headroom::Signal* s = a->signal_id ? engine.FindSignal(*a->signal_id) : nullptr;
    std::fprintf(out, "%s\n", headroom::AccountDetailJson(*a, s).dump().c_str());
  }
  std::vector<const headroom::Signal*> signals = engine.Signals();
  std::sort(signals.begin(), signals.end(),
            [](const auto* x, const auto* y) { return x->signal_id < y->signal_id; });
  for (const auto* s : signals) std::fprintf(out, "%s\n", headroom::ToJson(*s).dump().c_str());
  for (const auto& f : engine.Firings())
    std::fprintf(out, "%s\n", headroom::ToJson(f).dump().c_str());
  for (const auto& e : effects)
    std::fprintf(out, "%s %s %lld %s %s\n", e.id.c_str(), e.type.c_str(),
                 static_cast<long long>(e.at), e.account_id.c_str(), e.data.dump().c_str());
  std::fclose(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: replay_bench CONFIG EVENTS.ndjson [PASSES=3] [--dump OUT] [--track] "
                 "[--no-reuse]\n");
    return 2;
  }
  int passes = 3;
  const char* dump = nullptr;
  bool track = false;
  bool reuse = true;
  for (int i = 3; i < argc; ++i) {
    if (std::strcmp(argv[i], "--dump") == 0 && i + 1 < argc) {
      dump = argv[++i];
    } else if (std::strcmp(argv[i], "--track") == 0) {
      track = true;
    } else if (std::strcmp(argv[i], "--no-reuse") == 0) {
      reuse = false;
    } else {
      passes = std::max(1, std::atoi(argv[i]));
    }
  }
  auto loaded = headroom::LoadConfig(ReadFile(argv[1]));
  if (!loaded.config) {
    std::fprintf(stderr, "bad config %s\n", argv[1]);
    return 1;
  }
  const headroom::Config& config = *loaded.config;
  const std::string text = ReadFile(argv[2]);
  const std::vector<std::string_view> lines = Lines(text);

  std::vector<double> seconds, cpu_seconds;
  PassResult last;
  for (int p = 0; p < passes; ++p) {
    headroom::Engine engine(config);
    std::vector<headroom::Effect> effects;
    const bool final_pass = p + 1 == passes;
    last = Replay(engine, lines, track, reuse, final_pass && dump ? &effects : nullptr);
    seconds.push_back(last.seconds);
    cpu_seconds.push_back(last.cpu_seconds);
    std::fprintf(stderr, "pass %d: %.3f s (cpu %.3f s)\n", p + 1, last.seconds, last.cpu_seconds);
    if (final_pass && dump) Dump(dump, engine, effects);
  }
  std::sort(seconds.begin(), seconds.end());
  std::sort(cpu_seconds.begin(), cpu_seconds.end());
  const double median = seconds[seconds.size() / 2];
  const double cpu_median = cpu_seconds[cpu_seconds.size() / 2];
  std::printf("engine replay: %llu events in %.3f s = %.0f events/s\n",
              static_cast<unsigned long long>(last.applied), median,
              static_cast<double>(last.applied) / median);
  std::printf("cpu: %.3f s = %.0f events/s\n", cpu_median,
              static_cast<double>(last.applied) / cpu_median);
  if (last.rejected)
    std::printf("(%llu lines rejected by the parser)\n",
                static_cast<unsigned long long>(last.rejected));
  return 0;
}
