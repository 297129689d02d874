#include "ingest/series_recorder.h"

namespace headroom {

void SeriesRecorder::AdvanceTo(Engine& engine, TimeMs t) {
  const auto w = engine.clock();
  if (!w) return;
  for (Day day = DayOf(*w) + 1; DayStart(day) <= t; ++day) {
    engine.AdvanceTo(DayStart(day));
    if (!store_.InTransaction()) store_.Begin();
    engine.ForEachScore([&](const std::string& id, double score, const nlohmann::json& metrics) {
      series_.Put(day, id, score, metrics.dump());
    });
  }
}

}  // namespace headroom
