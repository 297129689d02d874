// Command-line options shared by every `headroom` command (SPEC 6.2).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace headroom {

struct CliOptions {
  std::string
      command;  // import | accounts | account | signals | firings | check-config | rebuild | ...
  std::vector<std::string> args;  // positional arguments after the command
  std::string config_path = "./headroom.yaml";
  std::optional<std::string>
      data_dir;       // --data; else the config's storage.path; else ./headroom-data
  bool json = false;  // --json
  std::map<std::string, std::string>
      flags;  // --route R, --limit N, --status S, --owner O, --account A, --trigger T, ...;
              // switches (--no-live-clock, --no-serve) are stored as "1"
  std::vector<std::string> sets;  // every --set KEY=V1,V2 (backtest), in order

  std::optional<std::string> Flag(const std::string& name) const {
    auto it = flags.find(name);
    if (it == flags.end()) return std::nullopt;
    return it->second;
  }
};

}  // namespace headroom
