#include "engine/compiled_rules.h"

#include <algorithm>

namespace headroom {

namespace {
int WindowSpan(const Window& w) {
  switch (w.kind) {
    case Window::Kind::kDays: return w.days;
    case Window::Kind::kMonth: return 31;
    case Window::Kind::kAll: return 1;
  }
  return 1;
}

int InterestSlot(PropertyInterest& interest, const std::string& name) {
  int i = interest.IndexOf(name);
  if (i >= 0) return i;
  interest.names.push_back(name);
  return static_cast<int>(interest.names.size()) - 1;
}
}  // namespace

CompiledRules::CompiledRules(const Config& config) : config_(&config) {
  // Stable addresses: reserve before taking pointers into config vectors.
  for (const MetricDef& m : config.metrics) AddMetric(m);
  auto metric_index = [&](const std::string& name) {
    for (size_t i = 0; i < config.metrics.size(); ++i)
      if (config.metrics[i].name == name) return static_cast<int>(i);
    return -1;
  };
  for (const TriggerDef& t : config.triggers) {
    CompiledTrigger ct;
    ct.def = &t;
    if (t.ratio) {
      ct.numerator = metric_index(t.ratio->first);
      ct.denominator = metric_index(t.ratio->second);
    } else {
      ct.metric = metric_index(t.metric);
    }
    const int extra = t.sustained_days ? *t.sustained_days - 1 : 0;
    if (extra > 0) ct.run = static_cast<int>(sustained_runs_++);
    for (int m : {ct.metric, ct.numerator, ct.denominator}) {
      if (m < 0) continue;
      metrics_[static_cast<size_t>(m)].lookback_days =
          std::max(metrics_[static_cast<size_t>(m)].lookback_days,
                   WindowSpan(config.metrics[static_cast<size_t>(m)].window) + extra);
    }
    triggers_.push_back(ct);
  }
  for (const CommitteeCriterion& c : config.score.committee) {
    committee_metric_.push_back(c.kind == CommitteeCriterion::Kind::kMetric ? AddMetric(c.metric)
                                                                            : -1);
  }
}

int CompiledRules::AddMetric(const MetricDef& def) {
  CompiledMetric cm;
  cm.def = &def;
  if (!def.property.empty() && def.form != MetricForm::kDistinctUser)
    cm.prop = InterestSlot(interest_, def.property);
  for (const auto& [key, value] : def.where)
    cm.where.emplace_back(InterestSlot(interest_, key), value);
  cm.lookback_days = WindowSpan(def.window);
  const int index = static_cast<int>(metrics_.size());
  metrics_.push_back(std::move(cm));
  if (def.events.empty()) {
    all_events_.push_back(index);
  } else {
    for (const std::string& e : def.events) {
      auto& list = by_event_[e];
      if (std::find(list.begin(), list.end(), index) == list.end()) list.push_back(index);
    }
  }
  return index;
}

bool CompiledRules::Matches(int metric, const EventMsg& e) const {
  for (const auto& [slot, required] : metrics_[static_cast<size_t>(metric)].where) {
    if (static_cast<size_t>(slot) >= e.props.size()) return false;
    const Value& v = e.props[static_cast<size_t>(slot)];
    if (!v.present() || !(v == required)) return false;  // rule 12: null/missing never equal
  }
  return true;
}

}  // namespace headroom
