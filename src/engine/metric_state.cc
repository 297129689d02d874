#include "engine/metric_state.h"

#include <algorithm>
#include <limits>

#include "engine/state_codec.h"

namespace headroom {

Day WindowStart(const Window& w, Day d) {
  switch (w.kind) {
    case Window::Kind::kDays: return d - w.days + 1;
    case Window::Kind::kMonth: return MonthStart(d);
    case Window::Kind::kAll: return std::numeric_limits<Day>::min();
  }
  return d;
}

namespace {
int Span(const MetricDef& def) {
  switch (def.window.kind) {
    case Window::Kind::kDays: return def.window.days;
    case Window::Kind::kMonth: return 31;
    case Window::Kind::kAll: return 1;
  }
  return 1;
}
}  // namespace

namespace {
bool IsDistinct(const MetricDef& def) {
  return def.form == MetricForm::kDistinct || def.form == MetricForm::kDistinctUser;
}
}  // namespace

// Each form sizes only the rings it reads (the others are idle, size 0, and
// allocate nothing): memory per account is most of it rings. Past day values (the cache) are
// asked for only when the lookback goes beyond the window.
MetricState::MetricState(const MetricDef& def, int lookback_days)
    : def_(&def),
      lookback_(std::max(lookback_days, Span(def)) + 1),
      keep_history_(lookback_days > Span(def)),
      buckets_(!IsDistinct(def) && def.form != MetricForm::kLatest ? lookback_ : 0),
      values_(IsDistinct(def) && keep_history_ ? lookback_ : 0),
      by_last_(IsDistinct(def) ? lookback_ : 0),
      by_first_(IsDistinct(def) ? lookback_ : 0),
      cache_(keep_history_ ? lookback_ : 0) {}

void MetricState::MoveCount(DayRing<int>& ring, Day from, Day to) {
  if (int* old = ring.Mutable(from)) --*old;
  if (int* now = ring.Mutable(to)) ++*now;
}

void MetricState::Add(const MetricEvent& e, Day today) {
  const Day day = DayOf(e.time);
  bool changed = true;
  switch (def_->form) {
    case MetricForm::kCount:
    case MetricForm::kSum:
    case MetricForm::kDaysActive: {
      double x = 1;
      if (def_->form == MetricForm::kSum) {
        if (!e.prop || !e.prop->is_number()) return;  // rule 12: only JSON numbers
        x = e.prop->number();
      }
      lifetime_ += x;
      double* slot = buckets_.Mutable(day);
      const bool first_of_day = slot && *slot == 0;
      if (slot) *slot += (def_->form == MetricForm::kDaysActive ? 1 : x);
      if (def_->form != MetricForm::kDaysActive) {
        if (InCurrentWindow(day)) current_value_ += x;
      } else if (def_->window.kind != Window::Kind::kAll) {
        if (!slot)
          current_day_ = std::numeric_limits<Day>::min();
        else if (first_of_day && InCurrentWindow(day))
          current_value_ += 1;
      }
      if (def_->form == MetricForm::kDaysActive && def_->window.kind == Window::Kind::kAll) {
        auto it = std::lower_bound(active_days_.begin(), active_days_.end(), day);
        if (it == active_days_.end() || *it != day) {
          active_days_.insert(it, day);
          if (InCurrentWindow(day)) current_value_ += 1;
        } else {
          changed = false;
        }
      }
      break;
    }
    case MetricForm::kDistinct:
    case MetricForm::kDistinctUser: {
      uint64_t key;
      if (def_->form == MetricForm::kDistinctUser) {
        if (e.user_key == 0) return;  // rule 13: anonymous events count no user
        key = e.user_key;
      } else {
        if (!e.prop || !e.prop->present()) return;  // rule 12: null and missing not counted
        key = DistinctValues::FingerprintOf(*e.prop);
      }
      const auto [slot, inserted] = values_.Insert(key, day);
      const DistinctValues::Entry entry = values_.entry(slot);  // before this event
      const bool all = def_->window.kind == Window::Kind::kAll;
      if (inserted) {
        if (InCurrentWindow(day)) current_value_ += 1;
        if (int* c = by_last_.Mutable(day)) ++*c;
        if (int* c = by_first_.Mutable(day)) ++*c;
        break;
      }
      const bool was_in = current_day_ != std::numeric_limits<Day>::min() &&
                          entry.last_day >= WindowStart(def_->window, current_day_);
      if (day > entry.last_day) {
        MoveCount(by_last_, entry.last_day, day);
        if (!all && !was_in && InCurrentWindow(day)) current_value_ += 1;
      }
      if (day < entry.first_day) MoveCount(by_first_, entry.first_day, day);
      values_.See(slot, day);
      break;
    }
    case MetricForm::kLatest: {
      if (!e.prop || !e.prop->present()) return;  // rule 12: latest non-null P
      LatestEntry entry{e.time, e.seq, *e.prop};
      auto pos = std::upper_bound(latest_.begin(), latest_.end(), entry,
                                  [](const LatestEntry& a, const LatestEntry& b) {
                                    return a.time != b.time ? a.time < b.time : a.seq < b.seq;
                                  });
      latest_.insert(pos, std::move(entry));
      // Keep what day values within the lookback need: entries after the
      // cutoff plus the last one before it.
      const TimeMs cutoff = DayStart(today - lookback_);
      size_t first_needed = 0;
      while (first_needed + 1 < latest_.size() && latest_[first_needed + 1].time < cutoff)
        ++first_needed;
      if (first_needed > 0)
        latest_.erase(latest_.begin(), latest_.begin() + static_cast<long>(first_needed));
      break;
    }
  }
  if (changed && day < today) {
    ++past_generation_;
    Invalidate(day, today);
  }
}

bool MetricState::InCurrentWindow(Day day) const {
  return current_day_ != std::numeric_limits<Day>::min() && day <= current_day_ &&
         day >= WindowStart(def_->window, current_day_);
}

void MetricState::Invalidate(Day from_day, Day today) {
  for (Day d = std::max(from_day, today - lookback_); d < today; ++d) {
    if (const CachedDay* c = cache_.Find(d); c && c->valid()) *cache_.Mutable(d) = CachedDay{};
  }
}

double MetricState::SumBuckets(Day from, Day to) const {
  double s = 0;
  buckets_.ForRange(from, to, [&](double v) { s += v; });
  return s;
}

int MetricState::ActiveDays(Day from, Day to) const {
  int n = 0;
  buckets_.ForRange(from, to, [&](double v) { n += v > 0 ? 1 : 0; });
  return n;
}

int MetricState::CountRing(const DayRing<int>& ring, Day from, Day to) const {
  int n = 0;
  ring.ForRange(from, to, [&](int v) { n += v; });
  return n;
}

std::optional<double> MetricState::Compute(Day d, Day today) const {
  const bool all = def_->window.kind == Window::Kind::kAll;
  const Day start = WindowStart(def_->window, d);
  switch (def_->form) {
    case MetricForm::kCount:
    case MetricForm::kSum:
      if (all) return lifetime_ - (d < today ? SumBuckets(d + 1, today) : 0.0);
      return SumBuckets(start, d);
    case MetricForm::kDaysActive:
      if (all) {
        return static_cast<double>(std::upper_bound(active_days_.begin(), active_days_.end(), d) -
                                   active_days_.begin());
      }
      return ActiveDays(start, d);
    case MetricForm::kDistinct:
    case MetricForm::kDistinctUser: {
      if (all) {
        return static_cast<double>(values_.size()) -
               (d < today ? CountRing(by_first_, d + 1, today) : 0);
      }
      if (d == today) return CountRing(by_last_, start, today);
      int n = 0;
      values_.ForEach([&](size_t slot) {
        const DistinctValues::Entry& entry = values_.entry(slot);
        if (entry.last_day < start || entry.first_day > d) return;
        if (entry.last_day <= d || values_.SeenWithin(slot, start, d)) ++n;
      });
      return n;
    }
    case MetricForm::kLatest: {
      const TimeMs end = DayStart(d + 1);
      for (auto it = latest_.rbegin(); it != latest_.rend(); ++it) {
        if (it->time < end) {
          if (it->value.is_number()) return it->value.number();
          return std::nullopt;
        }
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

Value MetricState::Current(Day today) const {
  if (def_->form == MetricForm::kLatest) return latest_.empty() ? Value() : latest_.back().value;
  return Value::Number(*CurrentNumber(today));
}

std::optional<double> MetricState::CurrentNumber(Day today) const {
  if (def_->form == MetricForm::kLatest) {
    if (latest_.empty() || !latest_.back().value.is_number()) return std::nullopt;
    return latest_.back().value.number();
  }
  if (current_day_ != today) {
    current_value_ = *Compute(today, today);
    current_day_ = today;
  }
  return current_value_;
}

std::optional<double> MetricState::DayNumber(Day d, Day today) {
  if (d >= today) return CurrentNumber(today);
  if (const CachedDay* c = cache_.Find(d); c && c->valid()) return c->value();
  std::optional<double> v = Compute(d, today);
  if (CachedDay* slot = cache_.Mutable(d)) *slot = CachedDay::Of(v);
  return v;
}

void MetricState::Save(SnapshotWriter& w) const {
  PutRing(w, buckets_, [&](double v) { PutNum(w, v); });
  PutNum(w, lifetime_);
  w.U64(active_days_.size());
  for (Day d : active_days_) w.I64(d);
  w.U64(values_.size());
  values_.ForEach([&](size_t slot) {
    const DistinctValues::Entry& entry = values_.entry(slot);
    w.Fixed64(entry.key);
    w.I64(entry.first_day);
    w.I64(entry.last_day);
    for (int i = 0; i < values_.history_words(); ++i) w.U64(values_.bits(slot)[i]);
  });
  PutRing(w, by_last_, [&](int v) { w.I64(v); });
  PutRing(w, by_first_, [&](int v) { w.I64(v); });
  w.U64(latest_.size());
  for (const auto& e : latest_) {
    w.I64(e.time);
    w.U64(e.seq);
    PutValue(w, e.value);
  }
  PutRing(w, cache_, [&](const CachedDay& c) {  // valid ones only: T{} is not written
    w.Opt(c.value(), [&](double v) { PutNum(w, v); });
  });
  w.I64(current_day_);
  PutNum(w, current_value_);
}

void MetricState::Load(SnapshotReader& r) {
  constexpr Day kMin = std::numeric_limits<Day>::min();
  constexpr Day kMax = std::numeric_limits<Day>::max();
  GetRing(r, buckets_, [&] { return GetNum(r, "metric bucket"); });
  lifetime_ = GetNum(r, "metric lifetime");
  active_days_.resize(r.Count("metric active days"));
  for (Day& d : active_days_) d = r.Int("metric active day", kMin, kMax);
  const size_t values = r.Count("metric values");
  std::vector<uint64_t> bits(static_cast<size_t>(values_.history_words()));
  for (size_t i = 0; i < values; ++i) {
    DistinctValues::Entry entry;
    entry.key = r.Fixed64("metric value");
    if (entry.key == 0) r.Fail("metric value", "zero fingerprint");
    entry.first_day = r.Int("metric value first day", kMin, kMax);
    entry.last_day = r.Int("metric value last day", kMin, kMax);
    for (uint64_t& word : bits) word = r.U64("metric value seen days");
    if (!values_.Restore(entry, bits)) r.Fail("metric value", "duplicate");
  }
  const auto count = [&] {
    return r.Int("metric ring count", std::numeric_limits<int>::min(),
                 std::numeric_limits<int>::max());
  };
  GetRing(r, by_last_, count);
  GetRing(r, by_first_, count);
  latest_.resize(r.Count("metric latest"));
  for (auto& e : latest_) {
    e.time = r.I64("metric latest time");
    e.seq = r.U64("metric latest seq");
    e.value = GetValue(r, "metric latest value");
  }
  GetRing(r, cache_, [&] {
    return CachedDay::Of(r.Opt<double>("metric cache", [&] { return GetNum(r, "metric cache"); }));
  });
  current_day_ = r.Int("metric current day", kMin, kMax);
  current_value_ = GetNum(r, "metric current value");
}

}  // namespace headroom
