#include "engine/metric_state.h"

#include <algorithm>
#include <limits>
#include <type_traits>
#include <utility>

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

Day LastDayWindowStartsBy(const Window& w, Day m, Day today) {
  switch (w.kind) {
    case Window::Kind::kDays: return m + w.days - 1;
    // Every month has at most 31 days: 31 days after a month's first is in
    // the next month.
    case Window::Kind::kMonth: return MonthStart(MonthStart(today) + 31) - 1;
    case Window::Kind::kAll: return std::numeric_limits<Day>::max();
  }
  return today;
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

// Each form holds only what it reads: memory per account is most of it
// metric states and their rings. Past day values (the cache) are asked for
// only when the lookback goes beyond the window.
MetricState::MetricState(const MetricDef& def, int lookback_days)
    : def_(&def),
      data_(MakeData(def, std::max(lookback_days, Span(def)) + 1,
                     std::max(lookback_days - Span(def), 0))) {}

static_assert(sizeof(MetricState) == 64);

int MetricState::lookback() const {
  if (const SumData* d = std::get_if<SumData>(&data_)) return d->buckets.size();
  if (const CountData* d = std::get_if<CountData>(&data_)) return d->buckets.size();
  if (const DistinctData* d = std::get_if<DistinctData>(&data_)) return d->by_day.size();
  return std::get<LatestData>(data_).lookback;
}

// The day values asked are those of the `past_days` days before today (the
// sustained runs of triggers reading the metric): the cache holds them and
// one more, while the buckets and a distinct form's seen-day bits reach back
// the whole lookback (a past day's value reads its own window).
MetricState::Data MetricState::MakeData(const MetricDef& def, int lookback, int past_days) {
  const int cache = past_days > 0 ? past_days + 1 : 0;
  const int history = past_days > 0 ? lookback : 0;
  const auto wide_cache = [&] {
    return cache > 0 ? std::make_unique<DayRing<CachedDay>>(cache) : nullptr;
  };
  switch (def.form) {
    case MetricForm::kSum:
      return SumData{.buckets = NarrowDayRing(lookback), .cache = wide_cache()};
    case MetricForm::kCount:
    case MetricForm::kDaysActive:
      return CountData{.buckets = NarrowDayRing(lookback), .cache = wide_cache()};
    case MetricForm::kDistinct:
    case MetricForm::kDistinctUser:
      return DistinctData{.values = DistinctValues(history),
                          .by_day = NarrowDayRing(lookback),
                          .cache = cache > 0 ? std::make_unique<NarrowDayRing>(cache) : nullptr};
    case MetricForm::kLatest: break;
  }
  return LatestData{.cache = wide_cache(), .lookback = lookback};
}

namespace {
void MoveCount(NarrowDayRing& ring, Day from, Day to) {
  ring.Add(from, -1);
  ring.Add(to, 1);
}
}  // namespace

bool MetricState::Add(const MetricEvent& e, Day today) {
  const Day day = DayOf(e.time);
  bool changed = true;
  switch (def_->form) {
    case MetricForm::kSum: {
      if (!e.prop || !e.prop->is_number()) return false;  // rule 12: only JSON numbers
      const double x = e.prop->number();
      SumData& d = std::get<SumData>(data_);
      d.lifetime += x;
      d.buckets.Add(day, x);
      if (InCurrentWindow(day)) current_value_ += x;
      break;
    }
    case MetricForm::kCount:
    case MetricForm::kDaysActive: {
      CountData& d = std::get<CountData>(data_);
      d.lifetime += 1;
      const std::optional<double> before = d.buckets.Add(day, 1);
      const bool first_of_day = before && *before == 0;
      if (def_->form == MetricForm::kCount) {
        if (InCurrentWindow(day)) current_value_ += 1;
      } else if (!all_window()) {
        if (!before)
          current_day_ = std::numeric_limits<Day>::min();
        else if (first_of_day && InCurrentWindow(day))
          current_value_ += 1;
      } else {
        if (!d.active_days) d.active_days = std::make_unique<std::vector<Day>>();
        std::vector<Day>& days = *d.active_days;
        auto it = std::lower_bound(days.begin(), days.end(), day);
        if (it == days.end() || *it != day) {
          days.insert(it, day);
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
        if (e.user_key == 0) return false;  // rule 13: anonymous events count no user
        key = e.user_key;
      } else {
        if (!e.prop || !e.prop->present()) return false;  // rule 12: null and missing not counted
        key = DistinctValues::FingerprintOf(*e.prop);
      }
      DistinctData& d = std::get<DistinctData>(data_);
      const auto [slot, inserted] = d.values.Insert(key, day);
      const DistinctValues::Entry entry = d.values.entry(slot);  // before this event
      const bool all = all_window();
      if (inserted) {
        if (InCurrentWindow(day)) current_value_ += 1;
        d.by_day.Add(day, 1);
        break;
      }
      // Seen again on its last day: the bits and days hold that already.
      if (day == entry.last_day && day >= entry.first_day) return false;
      const bool was_in = current_day_ != std::numeric_limits<Day>::min() &&
                          entry.last_day >= WindowStart(def_->window, current_day_);
      if (day > entry.last_day) {
        if (!all) MoveCount(d.by_day, entry.last_day, day);
        if (!all && !was_in && InCurrentWindow(day)) current_value_ += 1;
      }
      if (day < entry.first_day && all) MoveCount(d.by_day, entry.first_day, day);
      d.values.See(slot, day);
      // A value seen today that today's window already counted leaves every
      // answer as it was: today's count, and the closed days' (an event of
      // today changes none of them).
      if (day == today && (all || entry.last_day >= WindowStart(def_->window, today))) return false;
      break;
    }
    case MetricForm::kLatest: {
      if (!e.prop || !e.prop->present()) return false;  // rule 12: latest non-null P
      std::vector<LatestEntry>& latest = std::get<LatestData>(data_).entries;
      LatestEntry entry{e.time, e.seq, *e.prop};
      auto pos = std::upper_bound(latest.begin(), latest.end(), entry,
                                  [](const LatestEntry& a, const LatestEntry& b) {
                                    return a.time != b.time ? a.time < b.time : a.seq < b.seq;
                                  });
      // Only the last entry of each day is ever read (a day's value is the
      // last one by its end; the current value the last of all), so a day
      // holds one: an entry followed by a later one of its day is dropped, an
      // earlier one of its day is replaced.
      if (pos != latest.end() && DayOf(pos->time) == day) return false;
      if (pos != latest.begin() && DayOf(std::prev(pos)->time) == day)
        *std::prev(pos) = std::move(entry);
      else
        latest.insert(pos, std::move(entry));
      // Keep what day values within the lookback need: entries after the
      // cutoff plus the last one before it.
      const TimeMs cutoff = DayStart(today - lookback());
      size_t first_needed = 0;
      while (first_needed + 1 < latest.size() && latest[first_needed + 1].time < cutoff)
        ++first_needed;
      if (first_needed > 0)
        latest.erase(latest.begin(), latest.begin() + static_cast<long>(first_needed));
      break;
    }
  }
  if (changed && day < today) Invalidate(day, today);
  return changed;
}

bool MetricState::InCurrentWindow(Day day) const {
  return current_day_ != std::numeric_limits<Day>::min() && day <= current_day_ &&
         day >= WindowStart(def_->window, current_day_);
}

void MetricState::Invalidate(Day from_day, Day today) {
  const Day from = std::max(from_day, today - lookback());
  if (DistinctData* data = std::get_if<DistinctData>(&data_)) {
    if (NarrowDayRing* cache = data->cache.get())
      for (Day d = from; d < today; ++d)
        if (cache->Get(d) != 0) cache->Set(d, 0);
    return;
  }
  if (DayRing<CachedDay>* cache = WideCache())
    for (Day d = from; d < today; ++d)
      if (const CachedDay* c = cache->Find(d); c && c->valid()) cache->Set(d, CachedDay{});
}

double MetricState::SumBuckets(Day from, Day to) const {
  double s = 0;
  if (const SumData* d = std::get_if<SumData>(&data_))
    d->buckets.ForRange(from, to, [&](double v) { s += v; });
  else
    std::get<CountData>(data_).buckets.ForRange(from, to, [&](double v) { s += v; });
  return s;
}

int MetricState::ActiveDays(Day from, Day to) const {
  int n = 0;
  std::get<CountData>(data_).buckets.ForRange(from, to, [&](double v) { n += v > 0 ? 1 : 0; });
  return n;
}

std::optional<double> MetricState::Compute(Day d, Day today) const {
  const bool all = all_window();
  const Day start = WindowStart(def_->window, d);
  switch (def_->form) {
    case MetricForm::kCount:
    case MetricForm::kSum:
      if (all) {
        const double lifetime = def_->form == MetricForm::kSum
                                    ? std::get<SumData>(data_).lifetime
                                    : std::get<CountData>(data_).lifetime;
        return lifetime - (d < today ? SumBuckets(d + 1, today) : 0.0);
      }
      return SumBuckets(start, d);
    case MetricForm::kDaysActive:
      if (all) {
        const std::vector<Day>* days = std::get<CountData>(data_).active_days.get();
        if (!days) return 0.0;
        return static_cast<double>(std::upper_bound(days->begin(), days->end(), d) - days->begin());
      }
      return ActiveDays(start, d);
    case MetricForm::kDistinct:
    case MetricForm::kDistinctUser: {
      const DistinctData& data = std::get<DistinctData>(data_);
      const auto count = [&](Day from, Day to) {
        int n = 0;
        data.by_day.ForRange(from, to, [&](double v) { n += static_cast<int>(v); });
        return n;
      };
      if (all) {
        return static_cast<double>(data.values.size()) - (d < today ? count(d + 1, today) : 0);
      }
      if (d == today) return count(start, today);
      int n = 0;
      data.values.ForEach([&](size_t slot) {
        const DistinctValues::Entry& entry = data.values.entry(slot);
        if (entry.last_day < start || entry.first_day > d) return;
        if (entry.last_day <= d || data.values.SeenWithin(slot, start, d)) ++n;
      });
      return n;
    }
    case MetricForm::kLatest: {
      const std::vector<LatestEntry>& latest = std::get<LatestData>(data_).entries;
      const TimeMs end = DayStart(d + 1);
      for (auto it = latest.rbegin(); it != latest.rend(); ++it) {
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
  if (const LatestData* latest = std::get_if<LatestData>(&data_))
    return latest->entries.empty() ? Value() : latest->entries.back().value;
  return Value::Number(*CurrentNumber(today));
}

std::optional<double> MetricState::CurrentNumber(Day today) const {
  if (const LatestData* latest = std::get_if<LatestData>(&data_)) {
    const std::vector<LatestEntry>& entries = latest->entries;
    if (entries.empty() || !entries.back().value.is_number()) return std::nullopt;
    return entries.back().value.number();
  }
  if (current_day_ != today) {
    current_value_ = *Compute(today, today);
    current_day_ = today;
  }
  return current_value_;
}

DayRing<MetricState::CachedDay>* MetricState::WideCache() {
  return const_cast<DayRing<CachedDay>*>(std::as_const(*this).WideCache());
}

const DayRing<MetricState::CachedDay>* MetricState::WideCache() const {
  if (const SumData* d = std::get_if<SumData>(&data_)) return d->cache.get();
  if (const CountData* d = std::get_if<CountData>(&data_)) return d->cache.get();
  if (const LatestData* d = std::get_if<LatestData>(&data_)) return d->cache.get();
  return nullptr;  // distinct: DistinctData::cache
}

std::optional<double> MetricState::DayNumber(Day d, Day today) {
  if (d >= today) return CurrentNumber(today);
  if (DistinctData* data = std::get_if<DistinctData>(&data_)) {
    NarrowDayRing* cache = data->cache.get();
    if (!cache) return Compute(d, today);
    if (const double c = cache->Get(d); c != 0) return c - 1;
    const std::optional<double> v = Compute(d, today);  // a count
    cache->Set(d, *v + 1);
    return v;
  }
  DayRing<CachedDay>* cache = WideCache();
  if (!cache) return Compute(d, today);
  if (const CachedDay* c = cache->Find(d); c && c->valid()) return c->value();
  std::optional<double> v = Compute(d, today);
  cache->Set(d, CachedDay::Of(v));
  return v;
}

// Per form: its rings and fields; then the cache and the current value.
void MetricState::Save(SnapshotWriter& w) const {
  const auto put_count = [&](double v) { w.I64(static_cast<int64_t>(v)); };
  switch (def_->form) {
    case MetricForm::kSum: {
      const SumData& d = std::get<SumData>(data_);
      PutRing(w, d.buckets, [&](double v) { PutNum(w, v); });
      PutNum(w, d.lifetime);
      break;
    }
    case MetricForm::kCount:
    case MetricForm::kDaysActive: {
      const CountData& d = std::get<CountData>(data_);
      PutRing(w, d.buckets, put_count);
      PutNum(w, d.lifetime);
      w.U64(d.active_days ? d.active_days->size() : 0);
      if (d.active_days)
        for (Day day : *d.active_days) w.I64(day);
      break;
    }
    case MetricForm::kDistinct:
    case MetricForm::kDistinctUser: {
      const DistinctData& d = std::get<DistinctData>(data_);
      w.U64(d.values.size());
      d.values.ForEach([&](size_t slot) {
        const DistinctValues::Entry& entry = d.values.entry(slot);
        w.Fixed64(entry.key);
        w.I64(entry.first_day);
        w.I64(entry.last_day);
        for (int i = 0; i < d.values.history_words(); ++i) w.U64(d.values.bits(slot)[i]);
      });
      PutRing(w, d.by_day, put_count);
      break;
    }
    case MetricForm::kLatest: {
      const std::vector<LatestEntry>& latest = std::get<LatestData>(data_).entries;
      w.U64(latest.size());
      for (const auto& e : latest) {
        w.I64(e.time);
        w.U64(e.seq);
        PutValue(w, e.value);
      }
      break;
    }
  }
  if (const DistinctData* data = std::get_if<DistinctData>(&data_)) {
    // Known ones only (value + 1): 0 is not written.
    PutRingOrNone(w, data->cache.get(), put_count);
  } else {
    PutRingOrNone(w, WideCache(), [&](const CachedDay& c) {  // valid ones only: T{} is not written
      w.Opt(c.value(), [&](double v) { PutNum(w, v); });
    });
  }
  w.I64(current_day_);
  PutNum(w, current_value_);
}

void MetricState::Load(SnapshotReader& r) {
  constexpr Day kMin = std::numeric_limits<Day>::min();
  constexpr Day kMax = std::numeric_limits<Day>::max();
  const auto count = [&] {
    return static_cast<int32_t>(r.Int("metric ring count", std::numeric_limits<int32_t>::min(),
                                      std::numeric_limits<int32_t>::max()));
  };
  switch (def_->form) {
    case MetricForm::kSum: {
      SumData& d = std::get<SumData>(data_);
      GetRing(r, d.buckets, [&] { return GetNum(r, "metric bucket"); });
      d.lifetime = GetNum(r, "metric lifetime");
      break;
    }
    case MetricForm::kCount:
    case MetricForm::kDaysActive: {
      CountData& d = std::get<CountData>(data_);
      GetRing(r, d.buckets, count);
      d.lifetime = GetNum(r, "metric lifetime");
      if (const size_t days = r.Count("metric active days"); days > 0) {
        d.active_days = std::make_unique<std::vector<Day>>(days);
        for (Day& day : *d.active_days) day = r.Int("metric active day", kMin, kMax);
      }
      break;
    }
    case MetricForm::kDistinct:
    case MetricForm::kDistinctUser: {
      DistinctData& d = std::get<DistinctData>(data_);
      const size_t values = r.Count("metric values");
      std::vector<uint64_t> bits(static_cast<size_t>(d.values.history_words()));
      // A value takes 10 bytes at least (its key and two days): a corrupt
      // count reserves no more than the bytes left could hold.
      d.values.Reserve(std::min<size_t>(values, r.remaining() / 10));
      for (size_t i = 0; i < values; ++i) {
        DistinctValues::Entry entry;
        entry.key = r.Fixed64("metric value");
        if (entry.key == 0) r.Fail("metric value", "zero fingerprint");
        entry.first_day = r.Int("metric value first day", kMin, kMax);
        entry.last_day = r.Int("metric value last day", kMin, kMax);
        for (uint64_t& word : bits) word = r.U64("metric value seen days");
        if (!d.values.Restore(entry, bits)) r.Fail("metric value", "duplicate");
      }
      GetRing(r, d.by_day, count);
      break;
    }
    case MetricForm::kLatest: {
      std::vector<LatestEntry>& latest = std::get<LatestData>(data_).entries;
      latest.resize(r.Count("metric latest"));
      for (auto& e : latest) {
        e.time = r.I64("metric latest time");
        e.seq = r.U64("metric latest seq");
        e.value = GetValue(r, "metric latest value");
      }
      break;
    }
  }
  if (DistinctData* data = std::get_if<DistinctData>(&data_)) {
    GetRingOrNone(r, data->cache.get(), [&] {
      return static_cast<int32_t>(r.Int("metric cache", 1, std::numeric_limits<int32_t>::max()));
    });
  } else {
    GetRingOrNone(r, WideCache(), [&] {
      return CachedDay::Of(
          r.Opt<double>("metric cache", [&] { return GetNum(r, "metric cache"); }));
    });
  }
  current_day_ = r.Int("metric current day", kMin, kMax);
  current_value_ = GetNum(r, "metric current value");
}

}  // namespace headroom
