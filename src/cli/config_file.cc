#include "cli/config_file.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "config/loader.h"

namespace headroom {

std::optional<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<Config> LoadConfigOrReport(const CliOptions& o) {
  const auto text = ReadTextFile(o.config_path);
  if (!text) {
    std::cerr << "headroom: cannot read config '" << o.config_path << "'\n";
    return std::nullopt;
  }
  ConfigLoadResult r = LoadConfig(*text);
  if (!r.config) {
    std::cerr << "headroom: invalid config " << o.config_path << ":\n";
    for (const auto& e : r.errors) std::cerr << "  " << e.ToString() << "\n";
    return std::nullopt;
  }
  return std::move(r.config);
}

}  // namespace headroom
