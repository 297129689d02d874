// GenerateDemo: writes the synthetic company of docs/DEMO.md as one NDJSON
// stream of Segment messages and SPEC 1.2 records, in time order (ties in a
// fixed order), deterministic per DemoParams: same params, same bytes.
//
// While it writes, it feeds every line through the real parser and a real
// Engine running the demo config (demo_config.h), and its simulated sales team
// and billing react to that engine's actual trigger firings and signals
// (touches and opportunities name the real signal ids). Importing the stream
// with the demo config therefore reproduces exactly the signals the sales
// team reacted to.
//
// Not thread-safe (one call drives one simulation); throws std::logic_error
// if it ever produces a line the parser rejects (a generator bug).
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>

#include "common/time.h"
#include "demo/company.h"

namespace headroom::demo {

struct DemoStats {
  uint64_t lines = 0;
  uint64_t events = 0;   // track and page calls
  uint64_t records = 0;  // business records
  uint64_t bytes = 0;
  uint64_t fnv1a = 0xcbf29ce484222325ULL;  // FNV-1a 64 of every byte written
  uint64_t signals = 0;                    // seen by the simulated sales team
  uint64_t touches = 0;
  uint64_t opportunities = 0;
  uint64_t won = 0;
  uint64_t upgrades = 0;
  uint64_t planted_upgrades = 0;  // scheduled because seat_capacity fired
  uint64_t churned = 0;
  TimeMs first_time = 0;
  TimeMs last_time = 0;
};

// `progress(days_done, days_total)` is called once per simulated day.
DemoStats GenerateDemo(const DemoParams& params, std::ostream& out,
                       const std::function<void(int, int)>& progress = {});

}  // namespace headroom::demo
