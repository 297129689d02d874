// SeriesRecorder: the ingest path's hook that fills store/account_series.h.
//
// Before the Ingestor moves the engine's clock to `t` (an input's time or a
// live clock input), AdvanceTo steps the engine through every UTC midnight in
// (W, t] one at a time and, after each midnight's evaluation, collects every
// known account's score and metric values as points. Stepping through a
// midnight then on to t is exactly what Engine::AdvanceTo(t) does in one call
// (midnights and deadlines in time order), so no engine output changes.
//
// The points travel with the Ingestor's batch of the input that crossed the
// midnight and are written by Write (on whichever thread writes that batch,
// the connection's mutex held) inside the batch's transaction, so they commit
// with the log rows of the same inputs without stalling the ingest thread.
// Not thread-safe: AdvanceTo on the ingest thread, Write on the writer's, never
// at once (the Ingestor waits for the writer before writing on its own).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "engine/engine.h"
#include "store/account_series.h"
#include "store/store.h"

namespace headroom {

class SeriesRecorder {
 public:
  explicit SeriesRecorder(Store& store) : store_(store), series_(store.database()) {}

  struct Point {
    Day day;
    std::string account_id;
    double score;
    nlohmann::json metrics;  // serialised by Write, off the ingest thread
  };

  // See above: appends the points of each midnight in (W, t] to `out`. Does
  // nothing before the engine's first input.
  void AdvanceTo(Engine& engine, TimeMs t, std::vector<Point>& out);
  // Upserts the points (inside the caller's transaction).
  void Write(const std::vector<Point>& points);

  // True when the store predates the series table and has inputs: its rows
  // are missing, so the Ingestor recomputes everything once.
  bool NeedsRebuild() { return series_.created() && store_.LastSeq() > 0; }
  void Clear() { series_.Clear(); }

 private:
  Store& store_;
  AccountSeries series_;
};

}  // namespace headroom
