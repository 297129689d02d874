#include "ingest/series_recorder.h"

namespace headroom {

void SeriesRecorder::AdvanceTo(Engine& engine, TimeMs t) {
  const auto w = engine.clock();
  if (!w) return;
  for (Day day = DayOf(*w) + 1; DayStart(day) <= t; ++day) {
    engine.AdvanceTo(DayStart(day));
    if (!store_.InTransaction()) store_.Begin();
    for (const std::string& id : engine.AccountIds()) {
      const AccountView* view = engine.Account(id);
      series_.Put(day, id, view->score, view->metrics.dump());
    }
  }
}

}  // namespace headroom
