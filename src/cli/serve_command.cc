#include "cli/serve_command.h"

#include <iostream>

namespace headroom {

int RunServeCommand(const CliOptions&) {
  std::cerr << "headroom serve: not available in this build yet\n";
  return 2;
}

}  // namespace headroom
