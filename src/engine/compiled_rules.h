// CompiledRules: the config's metrics, triggers and committee criteria
// resolved to indices once, so the per-event path does no name look-ups:
// which metrics an event name feeds, which property slot each metric reads,
// how far back each metric must remember. Built from a validated Config;
// immutable afterwards.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "model/input.h"

namespace headroom {

struct CompiledMetric {
  const MetricDef* def = nullptr;
  int prop = -1;  // slot in EventMsg::props of def->property (sum/distinct/latest)
  std::vector<std::pair<int, Value>> where;  // (prop slot, required value)
  int lookback_days = 0;  // window span + (sustained_days - 1) of triggers reading it
};

struct CompiledTrigger {
  const TriggerDef* def = nullptr;
  int metric = -1;       // metric index (metric or utilization)
  int numerator = -1;    // ratio
  int denominator = -1;  // ratio
  int run = -1;          // sustained_days > 1: its AccountState::runs slot
};

class CompiledRules {
 public:
  explicit CompiledRules(const Config& config);

  const Config& config() const { return *config_; }
  const PropertyInterest& interest() const { return interest_; }
  // Config metrics first, then one per committee metric criterion.
  const std::vector<CompiledMetric>& metrics() const { return metrics_; }
  size_t config_metric_count() const { return config_->metrics.size(); }
  const std::vector<CompiledTrigger>& triggers() const { return triggers_; }
  // Triggers with a sustained run (sustained_days > 1): CompiledTrigger::run < this.
  size_t sustained_runs() const { return sustained_runs_; }
  // Metric index of committee criterion i (kMetric kind), else -1.
  int committee_metric(size_t i) const { return committee_metric_[i]; }

  // Metrics an event with this name feeds, before `where` filtering.
  template <typename Fn>
  void ForEachMetricOf(std::string_view event, Fn&& fn) const {
    for (int m : all_events_) fn(m);
    if (auto it = by_event_.find(event); it != by_event_.end())
      for (int m : it->second) fn(m);
  }
  bool Matches(int metric, const EventMsg& e) const;

 private:
  int AddMetric(const MetricDef& def);

  const Config* config_;
  PropertyInterest interest_;
  std::vector<CompiledMetric> metrics_;
  std::vector<CompiledTrigger> triggers_;
  size_t sustained_runs_ = 0;
  std::vector<int> committee_metric_;
  std::vector<int> all_events_;
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, std::vector<int>, NameHash, std::equal_to<>> by_event_;
};

}  // namespace headroom
