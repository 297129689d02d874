#include "ingest/series_recorder.h"

namespace headroom {

void SeriesRecorder::AdvanceTo(Engine& engine, TimeMs t, std::vector<Point>& out) {
  const auto w = engine.clock();
  if (!w) return;
  for (Day day = DayOf(*w) + 1; DayStart(day) <= t; ++day) {
    engine.AdvanceTo(DayStart(day));
    engine.ForEachScore([&](const std::string& id, double score, const nlohmann::json& metrics) {
      out.push_back(Point{day, id, score, metrics});
    });
  }
}

void SeriesRecorder::Write(const std::vector<Point>& points) {
  for (const Point& p : points) series_.Put(p.day, p.account_id, p.score, p.metrics.dump());
}

}  // namespace headroom
