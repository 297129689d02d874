// The demo's configuration: the SPEC 2 example rules (metrics, triggers,
// score, suppression, routing, credit, deal desk, reports; the one copy is
// examples/spec2-rules.yaml, embedded at build time) with the demo's
// server credentials (write key `wk_demo`, API token `tok_demo`), listening on
// 127.0.0.1:8080, storage.path = the demo's data directory, and no webhooks
// (a demo never sends anything off the machine). The generator's own engine
// runs these rules, so the generated sales team reacts to the signals an
// import with this config produces.
#pragma once

#include <string>

namespace headroom::demo {

// The YAML text; `data_dir` is written as storage.path (quoted).
std::string DemoConfigYaml(const std::string& data_dir);

}  // namespace headroom::demo
