// import_bench: the durable-import figure of issue 7. Imports an NDJSON file
// into a fresh store, exactly as `headroom import` does (Store::Open with the
// config's storage.synchronous, Ingestor::Open, Ingest per non-blank line, the
// webhook outbox listener, a final Flush), and times it from opening the store
// to the return of the final Flush (everything committed). Runs RUNS times,
// each into a new temporary directory under BASE (removed afterwards), and
// prints each run (with the CPU seconds of the ingest thread and of the whole
// process: on a loaded machine they show what an idle one would do) and the
// median:
//   durable import: <N> events in <s> s = <X> events/s
//
//   import_bench CONFIG FILE [RUNS=3] [BASE=/tmp] [DOCUMENTS_EVERY]
//   import_bench CONFIG FILE parse     # parse-only pass over the same lines
// DOCUMENTS_EVERY sets Ingestor::set_documents_every (default 10: every tenth
// automatic flush writes the derived documents; 1 writes them on every flush,
// as imports did before 2026-12-04).
// The file is read into memory first, so disk reads are not timed.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <sys/resource.h>
#include <time.h>

#include "config/loader.h"
#include "delivery/outbox_writer.h"
#include "ingest/ingestor.h"
#include "input/parser.h"
#include "store/store.h"

namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    lines.push_back(line);
  }
  return lines;
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double ProcessCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto sec = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
  };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

struct RunResult {
  double seconds = 0;
  double ingest_cpu = 0;   // CPU seconds of the calling (ingest) thread
  double process_cpu = 0;  // CPU seconds of the whole process (with the writer thread)
  headroom::IngestCounts counts;
};

RunResult ImportOnce(const headroom::Config& config, const std::vector<std::string>& lines,
                     const std::string& file, const std::string& base, uint64_t documents_every) {
  std::string tmpl = base + "/import-bench-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::perror("mkdtemp");
    std::exit(1);
  }
  const std::string dir = tmpl;
  RunResult r;
  const double cpu0 = ThreadCpuSeconds();
  const double proc0 = ProcessCpuSeconds();
  const auto start = Clock::now();
  {
    auto store = headroom::Store::Open(dir, config.storage.synchronous);
    headroom::Ingestor ingestor(config, *store);
    headroom::OutboxWriter outbox(config, *store);
    ingestor.set_effect_listener([&outbox](const headroom::Effect& e) { outbox.Write(e); });
    ingestor.set_documents_every(documents_every);
    ingestor.Open(false);
    int64_t line_no = 0;
    for (const std::string& line : lines) ingestor.Ingest(line, file, ++line_no);
    ingestor.Flush();
    r.counts = ingestor.counts();
    r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    r.ingest_cpu = ThreadCpuSeconds() - cpu0;
  }
  r.process_cpu = ProcessCpuSeconds() - proc0;
  std::filesystem::remove_all(dir);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: import_bench CONFIG FILE [RUNS=3|parse] [BASE=/tmp] [DOCUMENTS_EVERY]\n");
    return 2;
  }
  std::ifstream cin(argv[1]);
  std::stringstream ss;
  ss << cin.rdbuf();
  auto loaded = headroom::LoadConfig(ss.str());
  if (!loaded.config) {
    std::fprintf(stderr, "bad config %s\n", argv[1]);
    return 1;
  }
  const headroom::Config& config = *loaded.config;
  const std::string file = argv[2];
  const std::vector<std::string> lines = ReadLines(file);
  const std::string mode = argc > 3 ? argv[3] : "3";
  const std::string base = argc > 4 ? argv[4] : "/tmp";
  const uint64_t documents_every =
      argc > 5 ? std::strtoull(argv[5], nullptr, 10) : headroom::Ingestor::kDocumentsEvery;

  if (mode == "parse") {
    headroom::Engine engine(config);
    headroom::InputParser parser(engine.property_interest());
    const auto start = Clock::now();
    uint64_t ok = 0;
    for (const std::string& line : lines) ok += parser.Parse(line).ok() ? 1 : 0;
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("parse only: %zu lines (%llu valid) in %.3f s = %.0f lines/s\n", lines.size(),
                static_cast<unsigned long long>(ok), s, static_cast<double>(lines.size()) / s);
    return 0;
  }

  const int runs = std::max(1, std::atoi(mode.c_str()));
  std::vector<double> seconds;
  uint64_t stored = 0;
  for (int i = 0; i < runs; ++i) {
    const RunResult r = ImportOnce(config, lines, file, base, documents_every);
    stored = r.counts.stored;
    seconds.push_back(r.seconds);
    std::printf(
        "run %d: stored %llu, duplicates %llu, quarantined %llu in %.3f s = %.0f events/s "
        "(CPU: ingest thread %.3f s, process %.3f s)\n",
        i + 1, static_cast<unsigned long long>(r.counts.stored),
        static_cast<unsigned long long>(r.counts.duplicates),
        static_cast<unsigned long long>(r.counts.quarantined), r.seconds,
        static_cast<double>(r.counts.stored) / r.seconds, r.ingest_cpu, r.process_cpu);
    std::fflush(stdout);
  }
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  std::printf("durable import: %llu events in %.3f s = %.0f events/s\n",
              static_cast<unsigned long long>(stored), median,
              static_cast<double>(stored) / median);
  return 0;
}
