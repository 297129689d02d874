#include "demo/demo_config.h"

#include "demo/spec2_rules.h"  // generated from examples/spec2-rules.yaml
#include "demo/writer.h"

namespace headroom::demo {

std::string DemoConfigYaml(const std::string& data_dir) {
  std::string path;
  AppendEscaped(path, data_dir);
  std::string yaml = R"(# Written by `headroom demo` (docs/DEMO.md): the demo's server and storage
# keys, then the SPEC 2 example rules (examples/spec2-rules.yaml). Use it with any
# command, e.g.
#   headroom serve --config <this file>
server:
  listen: 127.0.0.1:8080
  write_keys: [wk_demo]
  api_tokens: [tok_demo]
storage:
  path: ")";
  yaml += path;
  yaml += R"("
  synchronous: normal

)";
  yaml += kSpec2RulesYaml;
  return yaml;
}

}  // namespace headroom::demo
