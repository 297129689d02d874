#include "cli/demo_command.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/progress.h"
#include "cli/query_commands.h"
#include "cli/report_commands.h"
#include "cli/serve_command.h"
#include "config/loader.h"
#include "demo/demo_config.h"
#include "demo/generator.h"
#include "ingest/ingestor.h"
#include "store/store.h"

namespace headroom {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Bumped whenever the generator's output for given parameters changes, so a
// stale dataset is regenerated rather than reused.
constexpr int kGeneratorVersion = 1;

std::optional<int64_t> IntFlag(const CliOptions& o, const std::string& name, int64_t fallback,
                               int64_t lo, int64_t hi) {
  const auto v = o.Flag(name);
  if (!v) return fallback;
  try {
    size_t used = 0;
    const long long x = std::stoll(*v, &used);
    if (used != v->size() || x < lo || x > hi) return std::nullopt;
    return x;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteText(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

void RemoveStore(const fs::path& dir) {
  for (const char* suffix : {"", "-wal", "-shm"})
    fs::remove(dir / (std::string(Store::kFileName) + suffix));
}

}  // namespace

int ServeDemo(const CliOptions& o, const Config& config, const std::string& config_path,
              const std::string& data_dir) {
  const std::string token =
      config.server.api_tokens.empty() ? "none" : config.server.api_tokens.front();
  if (o.Flag("no-serve")) {
    std::cout << "\nServe the dashboard and API over this data with\n"
              << "  headroom serve --config " << config_path << " --data " << data_dir
              << " --no-live-clock\n"
              << "(API token " << token << ")" << std::endl;
    return 0;
  }
  ServeSettings settings;
  settings.listen = o.Flag("listen").value_or(config.server.listen);
  if (o.Flag("listen")) settings.listen_source = "--listen";
  settings.web_root = o.Flag("web").value_or("");
  settings.live_clock = false;  // history served with W at the end of the data
  settings.print_listening = false;
  settings.dashboard_suffix = " (API token " + token + ")";
  std::cout << "\nServing the API and dashboard (clock frozen at the end of the data; "
               "Ctrl-C stops)\n";
  return RunServer(config, data_dir, settings, "headroom demo");
}

int RunDemoCommand(const CliOptions& o) {
  const auto accounts = IntFlag(o, "accounts", 500, 1, 100000);
  const auto months = IntFlag(o, "months", 12, 1, 60);
  const auto seed = IntFlag(o, "seed", 42, 0, INT64_MAX);
  if (!accounts || !months || !seed) {
    std::cerr << "headroom demo: --accounts must be 1..100000, --months 1..60, --seed >= 0\n";
    return 2;
  }
  demo::DemoParams params;
  params.accounts = static_cast<int>(*accounts);
  params.months = static_cast<int>(*months);
  params.seed = static_cast<uint64_t>(*seed);

  // The config: the --config file when it exists, else the demo's own.
  std::string config_path = o.config_path;
  std::string data_dir;
  std::optional<Config> config;
  if (fs::exists(config_path)) {
    ConfigLoadResult r = LoadConfig(*ReadText(config_path));
    if (!r.config) {
      std::cerr << "headroom: invalid config " << config_path << ":\n";
      for (const auto& e : r.errors) std::cerr << "  " << e.ToString() << "\n";
      return 1;
    }
    config = std::move(r.config);
    data_dir = o.data_dir ? *o.data_dir : config->storage.path;
  } else {
    data_dir = o.data_dir ? *o.data_dir : "./headroom-data";
    fs::create_directories(data_dir);
    config_path = (fs::path(data_dir) / "headroom.yaml").string();
    WriteText(config_path,
              demo::DemoConfigYaml(fs::absolute(data_dir).lexically_normal().string()));
    config = std::move(LoadConfig(*ReadText(config_path)).config);
    if (!config) throw std::logic_error("the demo config does not load");
    std::cout << "config: " << config_path << " (the demo config; SPEC 2 rules)\n";
  }

  const fs::path dir(data_dir);
  const fs::path demo_dir = dir / "demo";
  const fs::path data_file = demo_dir / "company.ndjson";
  const fs::path manifest_file = demo_dir / "manifest.json";
  fs::create_directories(demo_dir);

  nlohmann::json manifest;
  if (const auto text = ReadText(manifest_file)) {
    manifest = nlohmann::json::parse(*text, nullptr, false);
    if (manifest.is_discarded()) manifest = nlohmann::json();
  }
  const nlohmann::json wanted = {{"generator", kGeneratorVersion},
                                 {"accounts", params.accounts},
                                 {"months", params.months},
                                 {"seed", params.seed}};
  bool reuse = manifest.is_object();
  for (const auto& [k, v] : wanted.items())
    reuse = reuse && manifest.value(k, nlohmann::json()) == v;
  reuse = reuse && fs::exists(data_file) &&
          fs::file_size(data_file) == manifest.value("bytes", uint64_t{0});

  const bool store_exists = fs::exists(dir / Store::kFileName);
  if (!reuse) {
    if (store_exists && !manifest.is_object()) {
      std::cerr << "headroom demo: " << data_dir
                << " already holds a store that the demo did not create; use --data DIR\n";
      return 1;
    }
    RemoveStore(dir);  // an older demo's store: its data is replaced
    const auto t0 = Clock::now();
    demo::DemoStats stats;
    {
      std::ofstream out(data_file.string() + ".tmp", std::ios::binary | std::ios::trunc);
      const int total_days = 31 * params.months;
      ProgressBar bar("generating", static_cast<uint64_t>(total_days));
      stats = demo::GenerateDemo(params, out,
                                 [&](int done, int) { bar.Update(static_cast<uint64_t>(done)); });
      out.flush();
      if (!out) throw std::runtime_error("cannot write " + data_file.string());
      bar.Finish();
    }
    fs::rename(data_file.string() + ".tmp", data_file);
    const double secs = Seconds(t0);
    manifest = wanted;
    manifest["file"] = "company.ndjson";
    manifest["lines"] = stats.lines;
    manifest["events"] = stats.events;
    manifest["records"] = stats.records;
    manifest["bytes"] = stats.bytes;
    char hash[24];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(stats.fnv1a));
    manifest["fnv1a"] = hash;
    manifest["first"] = FormatIsoTime(stats.first_time);
    manifest["last"] = FormatIsoTime(stats.last_time);
    manifest["generate_seconds"] = secs;
    manifest["imported"] = false;
    WriteText(manifest_file, manifest.dump(2) + "\n");
    std::cout << "generated " << stats.lines << " lines (" << stats.events << " events, "
              << stats.records << " records) for " << params.accounts << " accounts over "
              << params.months << " months in " << static_cast<int>(secs + 0.5) << " s -> "
              << data_file.string() << "\n"
              << "  the simulated team saw " << stats.signals << " signals: " << stats.touches
              << " touches, " << stats.opportunities << " opportunities, " << stats.won << " won; "
              << stats.upgrades << " upgrades, " << stats.churned << " churned\n";
  } else {
    std::cout << "reusing " << data_file.string() << " (" << manifest.value("lines", uint64_t{0})
              << " lines, same --accounts/--months/--seed)\n";
  }

  auto store = Store::Open(data_dir, config->storage.synchronous);
  if (!(manifest.value("imported", false) && store->LastSeq() > 0)) {
    const auto t0 = Clock::now();
    Ingestor ingestor(*config, *store);
    {
      ProgressBar bar("loading ", store->LastSeq());
      ingestor.Open(false, [&](uint64_t done, uint64_t) { bar.Update(done); });
    }
    ProgressBar bar("importing", fs::file_size(data_file));
    std::ifstream in(data_file, std::ios::binary);
    std::string line;
    int64_t line_no = 0;
    uint64_t bytes = 0;
    while (std::getline(in, line)) {
      ++line_no;
      bytes += line.size() + 1;
      if ((line_no & 4095) == 0) bar.Update(bytes);
      std::string error;
      if (ingestor.Ingest(line, data_file.string(), line_no, &error) == IngestOutcome::kQuarantined)
        std::cerr << data_file.string() << ":" << line_no << ": quarantined: " << error << "\n";
    }
    ingestor.Flush();
    bar.Finish();
    const double secs = Seconds(t0);
    const IngestCounts& c = ingestor.counts();
    std::cout << "imported: stored " << c.stored << ", duplicates " << c.duplicates
              << ", quarantined " << c.quarantined << " in " << static_cast<int>(secs + 0.5)
              << " s";
    if (secs > 0)
      std::cout << " (" << static_cast<uint64_t>(static_cast<double>(line_no) / secs)
                << " inputs/s)";
    std::cout << "\n";
    if (const auto w = ingestor.engine().clock())
      std::cout << "clock (W): " << FormatIsoTime(*w) << "\n";
    manifest["imported"] = true;
    manifest["import_seconds"] = secs;
    WriteText(manifest_file, manifest.dump(2) + "\n");
  } else {
    std::cout << "already imported into " << data_dir << "\n";
  }

  std::cout << "\nTop PQAs\n";
  CliOptions accounts_options = o;
  accounts_options.command = "accounts";
  accounts_options.args.clear();
  accounts_options.json = false;
  accounts_options.flags = {{"limit", "20"}};
  RunAccountsCommand(*store, accounts_options, std::cout);
  store.reset();

  std::cout << "\nTrigger report\n";
  CliOptions report_options;
  report_options.command = "report";
  report_options.args = {"triggers"};
  report_options.config_path = config_path;
  report_options.data_dir = data_dir;
  std::cout.flush();
  if (RunReportCommand(report_options) != 0) std::cout << "(the trigger report is not available)\n";
  return ServeDemo(o, *config, config_path, data_dir);
}

}  // namespace headroom
