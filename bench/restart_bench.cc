// restart_bench: the "restart with a snapshot" figure of issue 7. Times
// Ingestor::Open (what `headroom serve` and `import` do at start: Store::Open,
// the Ingestor, Open(false), i.e. everything until the engine can take
// inputs) on an existing store, with its latest snapshot (RUNS times) and
// without one (a full replay of the log: once when the store has no snapshot
// at its last seq yet, that Open then takes one; plus N times with
// --full-runs N, the snapshot rows set aside meanwhile and put back after).
// Prints each run and the medians:
//   restart with a snapshot: <A> accounts, snapshot <B> MB at seq <S>, <R> rows replayed:
//   <x> s wall, <c> s CPU (medians); without: <y> s wall, <d> s CPU (full replay of <N> inputs)
// CPU is the opening thread's own CPU clock: what an idle machine would take.
//
//   restart_bench CONFIG DATA_DIR [RUNS=3] [--build FILE] [--full-runs N]
//
// DATA_DIR is a store written by `headroom import --data DATA_DIR` with the
// same config. `--build FILE` first writes a fresh store there from an NDJSON
// file the quick way: the input log (and records table) only, each line parsed
// and attributed exactly as the Ingestor does, without evaluating or writing
// derived rows (an import of 100K accounts x 90 days spends most of its time
// writing 9M daily series rows, which a restart never reads). The engine state
// then comes from the first Open's full replay, as after any import.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <time.h>

#include "config/loader.h"
#include "engine/engine.h"
#include "ingest/ingestor.h"
#include "ingest/message_id_dedup.h"
#include "input/attributor.h"
#include "input/parser.h"
#include "store/snapshots.h"
#include "store/store.h"

namespace {

using Clock = std::chrono::steady_clock;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Timed {
  double seconds = 0;
  double cpu = 0;  // this thread's CPU seconds (Open runs on it)
  headroom::OpenStats stats;
  size_t accounts = 0;
};

Timed OpenOnce(const headroom::Config& config, const std::string& dir) {
  const auto t0 = Clock::now();
  const double c0 = ThreadCpuSeconds();
  auto store = headroom::Store::Open(dir, config.storage.synchronous);
  headroom::Ingestor ingestor(config, *store);
  (void)ingestor.Open(false);
  Timed t;
  t.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  t.cpu = ThreadCpuSeconds() - c0;
  t.stats = ingestor.open_stats();
  t.accounts = ingestor.engine().AccountIds().size();
  return t;
}

// The input log of FILE, as Ingestor::Ingest would store it (no engine).
int BuildStore(const headroom::Config& config, const std::string& dir, const std::string& file) {
  std::filesystem::remove_all(dir);
  auto store = headroom::Store::Open(dir, config.storage.synchronous);
  {
    headroom::Ingestor creates_tables(config, *store);  // account_series etc.
  }
  headroom::Engine engine(config);
  headroom::InputParser parser(engine.property_interest());
  headroom::Attributor attributor;
  std::ifstream in(file, std::ios::binary);
  std::string line;
  uint64_t seq = 0, rejected = 0;
  store->Begin();
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    headroom::Result<headroom::Input> parsed = parser.Parse(line);
    if (!parsed.ok()) {
      ++rejected;
      continue;
    }
    headroom::Input& input = parsed.value();
    attributor.Attribute(input);
    if (input.type == headroom::MessageType::kGroup) attributor.AddGroup(input);
    input.seq = ++seq;
    const std::string type = headroom::InputTypeName(input);
    if (input.type == headroom::MessageType::kRecord)
      store->AppendRecord(input.seq, type.substr(7), headroom::RecordKey(input), input.account_id,
                          input.time, line);
    store->AppendInput({input.seq, type, input.time, input.account_id, input.message_id, line});
    if (seq % 100000 == 0) {
      store->Commit();
      store->Begin();
    }
  }
  store->Commit();
  std::printf("built %s: %llu inputs (%llu lines rejected)\n", dir.c_str(),
              static_cast<unsigned long long>(seq), static_cast<unsigned long long>(rejected));
  return seq > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string build_from;
  int full_runs = 0;
  while (argc > 2) {
    const std::string flag = argv[argc - 2];
    if (flag == "--build") {
      build_from = argv[argc - 1];
    } else if (flag == "--full-runs") {
      full_runs = std::max(0, std::atoi(argv[argc - 1]));
    } else {
      break;
    }
    argc -= 2;
  }
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: restart_bench CONFIG DATA_DIR [RUNS=3] [--build FILE] [--full-runs N]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  headroom::ConfigLoadResult loaded = headroom::LoadConfig(text.str());
  if (!loaded.config) {
    std::fprintf(stderr, "restart_bench: %s: %s\n", argv[1],
                 loaded.errors.empty() ? "invalid" : loaded.errors[0].ToString().c_str());
    return 1;
  }
  const headroom::Config& config = *loaded.config;
  const std::string dir = argv[2];
  const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
  if (!build_from.empty() && BuildStore(config, dir, build_from) != 0) return 1;

  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  uint64_t last_seq = 0;
  std::optional<headroom::StoredSnapshot> snap;
  std::vector<double> with, without, with_cpu, without_cpu;
  {
    auto store = headroom::Store::Open(dir, config.storage.synchronous);
    last_seq = store->LastSeq();
    headroom::SnapshotStore snaps(store->database());
    snap = snaps.Latest();
  }
  if (!snap || snap->seq != last_seq || snap->format != headroom::Ingestor::kSnapshotFormat) {
    // No usable snapshot at the last seq (none, older, or of an older format):
    // this Open is a full replay (timed, one run), then the snapshot is taken.
    {
      auto store = headroom::Store::Open(dir, config.storage.synchronous);
      headroom::SnapshotStore(store->database()).Clear();
    }
    auto store = headroom::Store::Open(dir, config.storage.synchronous);
    const auto t0 = Clock::now();
    const double c0 = ThreadCpuSeconds();
    headroom::Ingestor ingestor(config, *store);
    (void)ingestor.Open(false);
    without.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    without_cpu.push_back(ThreadCpuSeconds() - c0);
    std::printf("without snapshot run 1: %.3f s wall, %.3f s CPU (%llu rows replayed)\n",
                without.back(), without_cpu.back(),
                static_cast<unsigned long long>(ingestor.open_stats().replayed));
    const auto s0 = Clock::now();
    ingestor.SaveSnapshot();
    std::printf("snapshot taken at seq %llu in %.3f s\n", static_cast<unsigned long long>(last_seq),
                std::chrono::duration<double>(Clock::now() - s0).count());
    snap = headroom::SnapshotStore(store->database()).Latest();
  }
  if (!snap) {
    std::fprintf(stderr, "restart_bench: %s holds no inputs\n", dir.c_str());
    return 1;
  }

  Timed last;
  for (int r = 0; r < runs; ++r) {
    last = OpenOnce(config, dir);
    if (last.stats.snapshot_seq == 0) {
      std::fprintf(stderr, "restart_bench: the snapshot was not used: %s\n",
                   last.stats.snapshot_error.c_str());
      return 1;
    }
    with.push_back(last.seconds);
    with_cpu.push_back(last.cpu);
    std::printf(
        "with snapshot    run %d: %.3f s wall, %.3f s CPU (%zu accounts, %llu rows replayed)\n",
        r + 1, last.seconds, last.cpu, last.accounts,
        static_cast<unsigned long long>(last.stats.replayed));
  }
  // Where a snapshot start goes, part by part (one run each).
  {
    auto store = headroom::Store::Open(dir, config.storage.synchronous);
    auto t0 = Clock::now();
    const auto seconds = [&] {
      const double s = std::chrono::duration<double>(Clock::now() - t0).count();
      t0 = Clock::now();
      return s;
    };
    std::optional<headroom::StoredSnapshot> latest =
        headroom::SnapshotStore(store->database()).Latest();
    const double read = seconds();
    // As Ingestor::Open fills its messageId tiers: the runs into the filter,
    // the ids of the log rows after the last run into memory.
    headroom::MessageIdDedup ids({}, nullptr);
    headroom::MessageIdRuns stored_runs(store->database());
    const uint64_t sealed = ids.Load(stored_runs);
    store->ForEachMessageId(sealed, [&](std::string_view id) { ids.AddRecent(id); });
    const uint64_t n_ids = ids.stats().stored + ids.stats().recent;
    const double message_ids = seconds();
    uint64_t n_records = 0;
    store->ForEachRecordLine([&](std::string_view) { ++n_records; });
    const double records = seconds();
    std::printf(
        "parts: read the snapshot row %.3f s; message ids (runs and log tail) %.3f s (%llu ids); "
        "record "
        "lines %.3f s (%llu); the rest (checksum, engine and attributor decode) is the remainder\n",
        read, message_ids, static_cast<unsigned long long>(n_ids), records,
        static_cast<unsigned long long>(n_records));
  }
  // Full replays (with --full-runs N): the snapshot rows are set aside meanwhile.
  if (full_runs > 0) {
    {
      auto store = headroom::Store::Open(dir, config.storage.synchronous);
      headroom::SnapshotStore(store->database()).Clear();
    }
    for (int r = 0; r < full_runs; ++r) {
      const Timed t = OpenOnce(config, dir);
      without.push_back(t.seconds);
      without_cpu.push_back(t.cpu);
      std::printf("without snapshot run %zu: %.3f s wall, %.3f s CPU (%llu rows replayed)\n",
                  without.size(), t.seconds, t.cpu,
                  static_cast<unsigned long long>(t.stats.replayed));
    }
    auto store = headroom::Store::Open(dir, config.storage.synchronous);
    headroom::SnapshotStore(store->database())
        .Put(snap->seq, snap->rules_fingerprint, snap->format, snap->created_at, snap->body);
  }
  if (without.empty()) {
    without.push_back(0);
    without_cpu.push_back(0);
  }
  std::printf(
      "restart with a snapshot: %zu accounts, snapshot %.1f MB at seq %llu, %llu rows replayed: "
      "%.3f s wall, %.3f s CPU (medians of %d); without: %.3f s wall, %.3f s CPU (full replay "
      "of %llu inputs; 0 when not run)\n",
      last.accounts, static_cast<double>(snap->body.size()) / 1e6,
      static_cast<unsigned long long>(snap->seq),
      static_cast<unsigned long long>(last.stats.replayed), Median(with), Median(with_cpu), runs,
      Median(without), Median(without_cpu), static_cast<unsigned long long>(last_seq));
  return 0;
}
