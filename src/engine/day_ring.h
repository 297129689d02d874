// DayRing: per-day slots for the most recent `size` days, the building block
// of every windowed metric. The ring holds the days (newest - size, newest],
// where `newest` is the latest day ever written; writing a newer day moves the
// span forward and clears the slots of the days it skips. Reading a day
// outside the span gives the default T{} (and Find gives nullptr); writing one
// older than the span is refused (Mutable gives nullptr).
//
// A slot is just a T (no day tag): rings are most of an account's memory.
// Not thread-safe. Units: days (common/time.h Day).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/time.h"

namespace headroom {

template <typename T>
class DayRing {
 public:
  explicit DayRing(int size = 1) : slots_(static_cast<size_t>(size < 1 ? 1 : size)) {}

  int size() const { return static_cast<int>(slots_.size()); }
  bool empty() const { return !used_; }
  Day newest() const { return newest_; }  // meaningful when !empty()

  // The slot for day d, or nullptr when d is older than the span.
  T* Mutable(Day d) {
    if (!used_) {
      used_ = true;
      newest_ = d;
    } else if (d > newest_) {
      const int64_t skipped = static_cast<int64_t>(d) - newest_;
      if (skipped >= size()) {
        std::fill(slots_.begin(), slots_.end(), T{});
      } else {
        for (int64_t x = static_cast<int64_t>(newest_) + 1; x <= d; ++x)
          slots_[Index(static_cast<Day>(x))] = T{};
      }
      newest_ = d;
    } else if (!Holds(d)) {
      return nullptr;
    }
    return &slots_[Index(d)];
  }

  // The value stored for day d, or nullptr when d is outside the span.
  const T* Find(Day d) const {
    return used_ && d <= newest_ && Holds(d) ? &slots_[Index(d)] : nullptr;
  }

  T Get(Day d) const {
    const T* v = Find(d);
    return v ? *v : T{};
  }

  // fn(Get(d)) for every day d in [from, to], in day order (no division per day).
  template <typename Fn>
  void ForRange(Day from, Day to, Fn&& fn) const {
    if (from > to) return;
    size_t i = Index(from);
    for (Day d = from; d <= to; ++d) {
      fn(used_ && d <= newest_ && Holds(d) ? slots_[i] : T{});
      if (++i == slots_.size()) i = 0;
    }
  }

  // fn(day, value) for every day of the span whose value is not T{}, newest first.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    if (!used_) return;
    for (int64_t k = 0; k < size(); ++k) {
      const auto d = static_cast<Day>(static_cast<int64_t>(newest_) - k);
      const T& v = slots_[Index(d)];
      if (!(v == T{})) fn(d, v);
    }
  }

 private:
  bool Holds(Day d) const { return static_cast<int64_t>(newest_) - d < size(); }
  size_t Index(Day d) const {
    if (d >= 0) return static_cast<uint32_t>(d) % static_cast<uint32_t>(slots_.size());
    const auto n = static_cast<int64_t>(slots_.size());
    return static_cast<size_t>(((static_cast<int64_t>(d) % n) + n) % n);
  }
  std::vector<T> slots_;
  Day newest_ = 0;
  bool used_ = false;
};

}  // namespace headroom
