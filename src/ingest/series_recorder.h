// SeriesRecorder: the ingest path's hook that fills store/account_series.h.
//
// Before the Ingestor moves the engine's clock to `t` (an input's time or a
// live clock input), AdvanceTo steps the engine through every UTC midnight in
// (W, t] one at a time and, after each midnight's evaluation, records every
// known account's score and metric values. Stepping through a midnight then
// on to t is exactly what Engine::AdvanceTo(t) does in one call (midnights
// and deadlines in time order), so no engine output changes.
//
// Rows are written on the Store's connection inside the current transaction
// (one is begun when none is open), so they commit with the log rows and
// derived rows of the same inputs. Not thread-safe (the ingest thread).
#pragma once

#include "common/time.h"
#include "engine/engine.h"
#include "store/account_series.h"
#include "store/store.h"

namespace headroom {

class SeriesRecorder {
 public:
  explicit SeriesRecorder(Store& store) : store_(store), series_(store.database()) {}

  // See above. Does nothing before the engine's first input.
  void AdvanceTo(Engine& engine, TimeMs t);

  // True when the store predates the series table and has inputs: its rows
  // are missing, so the Ingestor recomputes everything once.
  bool NeedsRebuild() { return series_.created() && store_.LastSeq() > 0; }
  void Clear() { series_.Clear(); }

 private:
  Store& store_;
  AccountSeries series_;
};

}  // namespace headroom
