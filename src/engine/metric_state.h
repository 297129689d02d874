// MetricState: one metric (SPEC 3.2) of one account, kept incrementally from
// the matching events: per-day buckets for count/sum/days_active, per-value
// first/last-seen days for distinct, the last value of each day for latest. Never
// re-scans raw events; memory is bounded by the lookback, not by history.
//
// `lookback_days` is how many days back (from today) day values may be asked
// for: the window's span plus sustained_days - 1 of any trigger reading it.
// Day values of closed days are cached and invalidated by late events.
//
// Contract: every event added has time <= W (the engine clock), so "events
// with time <= t" at an evaluation is "every event stored". `today` is day(W).
// Not thread-safe.
#pragma once

#include <bit>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "common/snapshot_codec.h"
#include "common/time.h"
#include "common/value.h"
#include "config/config.h"
#include "engine/day_ring.h"
#include "engine/distinct_values.h"
#include "engine/narrow_day_ring.h"

namespace headroom {

struct MetricEvent {
  TimeMs time = 0;
  uint64_t seq = 0;
  const Value* prop = nullptr;  // the metric's property on this event (sum/distinct/latest)
  uint64_t user_key = 0;        // FingerprintOfUser(link key); 0: anonymous or no user
};

// First day of the window ending with day d.
Day WindowStart(const Window& w, Day d);
// The last day d >= today whose window still starts on or before day m
// (WindowStart(w, d) <= m), given WindowStart(w, today) <= m <= today: a
// value over items whose days are all >= m cannot lose one before the day
// after. The largest Day for `all`.
Day LastDayWindowStartsBy(const Window& w, Day m, Day today);

class MetricState {
 public:
  MetricState(const MetricDef& def, int lookback_days);

  // Adds one matching event (filters already applied by the caller).
  // Returns false when no value the state answers (Current, DayNumber, on
  // any day) can have moved: the event counted nothing (rules 12, 13),
  // repeated what the day already held (a distinct value or an active day
  // seen again that day, a latest value superseded within its day), or is a
  // distinct value today's window already counted, seen today. So true for
  // an event before `today` means a past day's value may have changed
  // (AccountState::past_generation).
  bool Add(const MetricEvent& e, Day today);

  // The value at an evaluation on day `today`. Numbers for every form but
  // latest, which gives the stored value (Missing when none).
  Value Current(Day today) const;
  std::optional<double> CurrentNumber(Day today) const;
  // The day value of a closed day d < today (value at the end of d); nullopt
  // when not a number (latest of a non-number, or nothing yet).
  std::optional<double> DayNumber(Day d, Day today);
  // Snapshots (common/snapshot_codec.h): every field but the definition and
  // the ring sizes, which come from the constructor. Only used ring slots are
  // written. Load expects a freshly constructed state of the same definition
  // and lookback; throws SnapshotCorrupt on malformed bytes.
  void Save(SnapshotWriter& w) const;
  void Load(SnapshotReader& r);

 private:
  struct LatestEntry {
    TimeMs time;
    uint64_t seq;
    Value value;
  };
  // A past day's value, packed in 8 bytes: not computed yet (the default and
  // T{} of the ring), computed but not a number, or a number. The two marks
  // are signalling NaNs, which arithmetic never produces.
  struct CachedDay {
    static constexpr uint64_t kUnknown = 0x7ff0'0000'0000'0001;
    static constexpr uint64_t kNotNumber = 0x7ff0'0000'0000'0002;
    uint64_t bits = kUnknown;
    bool valid() const { return bits != kUnknown; }
    std::optional<double> value() const {
      if (bits == kNotNumber) return std::nullopt;
      return std::bit_cast<double>(bits);
    }
    static CachedDay Of(std::optional<double> v) {
      return CachedDay{v ? std::bit_cast<uint64_t>(*v) : kNotNumber};
    }
    bool operator==(const CachedDay&) const = default;
  };

  // Per-form data (only one form's members exist: memory per account is
  // mostly metric states). Buckets are NarrowDayRings: counts and integral
  // sums take a byte or two a day, any other sum its double.
  // Each form's `cache` holds the day values of the past days a sustained
  // run asks for (sustained_days - 1 of them, plus one slot); it exists only
  // when the lookback goes beyond the window (null otherwise: 8 bytes, not
  // an idle ring's 16). Distinct forms' day values are counts, cached as
  // value + 1 in a NarrowDayRing (0: not computed).
  struct SumData {  // sum
    NarrowDayRing buckets;
    double lifetime = 0;
    std::unique_ptr<DayRing<CachedDay>> cache;
  };
  struct CountData {        // count / days_active
    NarrowDayRing buckets;  // events per day
    double lifetime = 0;
    // days_active over `all` only: every active day, sorted (null otherwise).
    std::unique_ptr<std::vector<Day>> active_days{};
    std::unique_ptr<DayRing<CachedDay>> cache;
  };
  struct DistinctData {  // distinct / distinct: user
    DistinctValues values;
    // Window `all`: number of values whose first seen day is d; other
    // windows: number of values whose last seen day is d. (Each window
    // reads only one of the two.)
    NarrowDayRing by_day;
    std::unique_ptr<NarrowDayRing> cache;
  };
  struct LatestData {                    // latest
    std::vector<LatestEntry> entries{};  // by (time, seq)
    std::unique_ptr<DayRing<CachedDay>> cache;
    int lookback = 0;  // the other forms' is their day ring's size
  };
  using Data = std::variant<SumData, CountData, DistinctData, LatestData>;
  static Data MakeData(const MetricDef& def, int lookback, int past_days);
  // The cache of every form but the distinct ones (nullptr for those, and
  // when there is none).
  DayRing<CachedDay>* WideCache();
  const DayRing<CachedDay>* WideCache() const;

  double SumBuckets(Day from, Day to) const;
  int ActiveDays(Day from, Day to) const;
  std::optional<double> Compute(Day d, Day today) const;  // value at end of d (d <= today)
  void Invalidate(Day from_day, Day today);
  bool all_window() const { return def_->window.kind == Window::Kind::kAll; }
  // How many days back day values may be asked for, plus today (the constructor's).
  int lookback() const;

  // 64 bytes (an account holds one per metric): current_day_ sits in the
  // variant's tail padding, after its index.
  const MetricDef* def_;
  // The value of the window ending today, kept current by Add (numeric forms).
  mutable double current_value_ = 0;
  [[no_unique_address]] Data data_;
  mutable Day current_day_ = std::numeric_limits<Day>::min();

  bool InCurrentWindow(Day day) const;
};

}  // namespace headroom
