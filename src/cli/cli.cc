#include "cli/cli.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/config_file.h"
#include "cli/demo_command.h"
#include "cli/progress.h"
#include "cli/query_commands.h"
#include "cli/report_commands.h"
#include "cli/serve_command.h"
#include "config/loader.h"
#include "delivery/outbox_writer.h"
#include "ingest/ingestor.h"
#include "store/store.h"

namespace headroom {

namespace {

constexpr const char* kUsage = R"(usage: headroom COMMAND [options]

commands:
  import FILE...              import NDJSON files of Segment messages and records
  accounts [--route R] [--limit N]
  account ID
  signals [--status S] [--owner O] [--account A]
  firings [--account A] [--trigger T]
  check-config                validate the config and list every problem
  rebuild                     recompute all state from the stored history
  serve [--listen HOST:PORT] [--web DIR] [--no-live-clock]
                              run the HTTP service (ingestion, API, dashboard)
  report NAME [--horizon D]   triggers | funnel | nrr | attribution | ttv | releases |
                              features | pilot | audit
  backtest TRIGGER --set KEY=V1,V2 [--set ...]
  audit                       the event inventory
  demo [--accounts N] [--months M] [--seed S] [--listen HOST:PORT] [--web DIR] [--no-serve]
                              generate, import and rank a synthetic company, then
                              serve the dashboard over it (clock at the end of the data)

options:
  --config FILE   config file (default ./headroom.yaml)
  --data DIR      data directory (default: storage.path, else ./headroom-data)
  --json          machine-readable output (SPEC 6.3 shapes)
)";

const std::set<std::string> kValueFlags = {"route",   "limit",   "status",   "owner",
                                           "account", "trigger", "horizon",  "listen",
                                           "seed",    "months",  "accounts", "web"};
// Flags without a value (stored as "1").
const std::set<std::string> kSwitchFlags = {"no-live-clock", "no-serve"};

std::string DataDir(const CliOptions& o, const Config* config) {
  if (o.data_dir) return *o.data_dir;
  if (config) return config->storage.path;
  // Query commands still honour storage.path of a readable config.
  if (const auto text = ReadTextFile(o.config_path)) {
    ConfigLoadResult r = LoadConfig(*text);
    if (r.config) return r.config->storage.path;
  }
  return "./headroom-data";
}

int RunCheckConfig(const CliOptions& o) {
  const auto text = ReadTextFile(o.config_path);
  if (!text) {
    std::cerr << "headroom: cannot read config '" << o.config_path << "'\n";
    return 1;
  }
  ConfigLoadResult r = LoadConfig(*text);
  if (o.json) {
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& e : r.errors) errors.push_back({{"field", e.field}, {"rule", e.rule}});
    std::cout << nlohmann::json{{"valid", r.errors.empty()}, {"errors", errors}}.dump(2) << "\n";
  } else if (r.errors.empty()) {
    std::cout << o.config_path << ": ok (" << r.config->metrics.size() << " metrics, "
              << r.config->triggers.size() << " triggers, " << r.config->webhooks.size()
              << " webhooks)\n";
  } else {
    std::cout << o.config_path << ": " << r.errors.size() << " problem"
              << (r.errors.size() == 1 ? "" : "s") << "\n";
    for (const auto& e : r.errors) std::cout << "  " << e.ToString() << "\n";
  }
  return r.errors.empty() ? 0 : 1;
}

void PrintSummary(const CliOptions& o, const IngestCounts& c, const Engine& engine, bool rebuilt) {
  const auto w = engine.clock();
  if (o.json) {
    std::cout << nlohmann::json{{"stored", c.stored},
                                {"duplicates", c.duplicates},
                                {"quarantined", c.quarantined},
                                {"rebuilt", rebuilt},
                                {"clock", w ? nlohmann::json(FormatIsoTime(*w)) : nlohmann::json()}}
                     .dump(2)
              << "\n";
    return;
  }
  std::cout << "stored " << c.stored << ", duplicates " << c.duplicates << ", quarantined "
            << c.quarantined << (rebuilt ? " (state rebuilt from history)" : "") << "\n";
  if (w) std::cout << "clock (W): " << FormatIsoTime(*w) << "\n";
}

int RunImport(const CliOptions& o) {
  if (o.args.empty()) {
    std::cerr << "headroom import: at least one FILE is required\n";
    return 2;
  }
  auto config = LoadConfigOrReport(o);
  if (!config) return 1;
  for (const auto& f : o.args) {
    if (!std::filesystem::is_regular_file(f)) {
      std::cerr << "headroom import: cannot read '" << f << "'\n";
      return 1;
    }
  }
  auto store = Store::Open(DataDir(o, &*config), config->storage.synchronous);
  Ingestor ingestor(*config, *store);
  // Webhook outbox rows commit with the state change that caused them; effects
  // older than delivery.skip_older_than are recorded as skipped (docs/WEBHOOKS.md).
  OutboxWriter outbox(*config, *store);
  ingestor.set_effect_listener([&outbox](const Effect& e) { outbox.Write(e); });
  bool rebuilt;
  {
    ProgressBar bar("loading ", store->LastSeq());
    rebuilt = ingestor.Open(false, [&](uint64_t done, uint64_t) { bar.Update(done); });
  }
  uint64_t total_bytes = 0;
  for (const auto& f : o.args) total_bytes += std::filesystem::file_size(f);
  ProgressBar bar("importing", total_bytes);
  uint64_t bytes = 0;
  int shown_errors = 0;
  for (const auto& f : o.args) {
    std::ifstream in(f, std::ios::binary);
    std::string line;
    int64_t line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      bytes += line.size() + 1;
      if ((line_no & 4095) == 0) bar.Update(bytes);
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      std::string error;
      if (ingestor.Ingest(line, f, line_no, &error) == IngestOutcome::kQuarantined &&
          shown_errors++ < 20)
        std::cerr << f << ":" << line_no << ": quarantined: " << error << "\n";
    }
  }
  ingestor.Flush();
  // A snapshot of the state for the next start (SPEC 7; docs/STORE.md "snapshots").
  ingestor.SaveSnapshot();
  bar.Finish();
  PrintSummary(o, ingestor.counts(), ingestor.engine(), rebuilt);
  if (!o.json && !config->webhooks.empty())
    std::cout << "webhooks: " << outbox.pending_written() << " queued (sent by `headroom serve`), "
              << outbox.skipped_written() << " recorded as skipped (older than skip_older_than)\n";
  return 0;
}

int RunRebuild(const CliOptions& o) {
  auto config = LoadConfigOrReport(o);
  if (!config) return 1;
  auto store = Store::Open(DataDir(o, &*config), config->storage.synchronous);
  Ingestor ingestor(*config, *store);
  // A rebuild re-emits effects with the same ids: existing outbox rows are
  // kept (INSERT OR IGNORE), so nothing is sent twice (SPEC 3.7 rule 35).
  OutboxWriter outbox(*config, *store);
  ingestor.set_effect_listener([&outbox](const Effect& e) { outbox.Write(e); });
  ProgressBar bar("rebuilding", store->LastSeq());
  ingestor.Open(true, [&](uint64_t done, uint64_t) { bar.Update(done); });
  ingestor.SaveSnapshot();  // the rebuilt state, for the next start
  bar.Finish();
  if (o.json) {
    std::cout << nlohmann::json{{"inputs", store->LastSeq()}}.dump(2) << "\n";
  } else {
    std::cout << "rebuilt from " << store->LastSeq() << " stored inputs\n";
  }
  return 0;
}

int RunQuery(const CliOptions& o) {
  const std::string dir = DataDir(o, nullptr);
  if (!std::filesystem::exists(std::filesystem::path(dir) / "headroom.db")) {
    std::cerr << "headroom: no data in '" << dir << "' (run `headroom import` first)\n";
    return 1;
  }
  auto store = Store::Open(dir, "normal");
  if (o.command == "accounts") return RunAccountsCommand(*store, o, std::cout);
  if (o.command == "account") return RunAccountCommand(*store, o, std::cout);
  if (o.command == "signals") return RunSignalsCommand(*store, o, std::cout);
  return RunFiringsCommand(*store, o, std::cout);
}

}  // namespace

std::optional<CliOptions> ParseCliOptions(const std::vector<std::string>& args,
                                          std::string& error) {
  CliOptions o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) == 0) {
      std::string name = a.substr(2), value;
      const auto eq = name.find('=');
      const bool inline_value = eq != std::string::npos;
      if (inline_value) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      if (kSwitchFlags.count(name) && !inline_value) {
        o.flags[name] = "1";
        continue;
      }
      if (name == "json" || name == "help") {
        if (name == "json")
          o.json = true;
        else
          o.flags["help"] = "1";
        continue;
      }
      if (name != "config" && name != "data" && name != "set" && !kValueFlags.count(name)) {
        error = "unknown option --" + name;
        return std::nullopt;
      }
      if (!inline_value) {
        if (i + 1 >= args.size()) {
          error = "--" + name + " needs a value";
          return std::nullopt;
        }
        value = args[++i];
      }
      if (name == "config")
        o.config_path = value;
      else if (name == "data")
        o.data_dir = value;
      else if (name == "set")
        o.sets.push_back(value);
      else
        o.flags[name] = value;
    } else if (o.command.empty()) {
      o.command = a;
    } else {
      o.args.push_back(a);
    }
  }
  return o;
}

int RunCli(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string error;
  auto options = ParseCliOptions(args, error);
  if (!options) {
    std::cerr << "headroom: " << error << "\n" << kUsage;
    return 2;
  }
  const CliOptions& o = *options;
  if (o.command.empty() || o.command == "help" || o.flags.count("help")) {
    std::cout << kUsage;
    return o.command.empty() && !o.flags.count("help") ? 2 : 0;
  }
  try {
    if (o.command == "check-config") return RunCheckConfig(o);
    if (o.command == "import") return RunImport(o);
    if (o.command == "rebuild") return RunRebuild(o);
    if (o.command == "serve") return RunServeCommand(o);
    if (o.command == "report") return RunReportCommand(o);
    if (o.command == "backtest") return RunBacktestCommand(o);
    if (o.command == "audit") return RunAuditCommand(o);
    if (o.command == "demo") return RunDemoCommand(o);
    if (o.command == "accounts" || o.command == "account" || o.command == "signals" ||
        o.command == "firings")
      return RunQuery(o);
  } catch (const std::exception& e) {
    std::cerr << "headroom " << o.command << ": " << e.what() << "\n";
    return 1;
  }
  std::cerr << "headroom: unknown command '" << o.command << "'\n" << kUsage;
  return 2;
}

}  // namespace headroom
