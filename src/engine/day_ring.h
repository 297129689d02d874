// DayRing: a fixed number of per-day slots addressed by UTC day number, the
// building block of every windowed metric. Slot d holds the value for day d
// while d is among the ring's most recent `size` days; writing a newer day into
// a slot recycles it. Reading a day the ring no longer (or never) held gives
// the default T{}. Not thread-safe. Units: days (common/time.h Day).
#pragma once

#include <cstddef>
#include <vector>

#include "common/time.h"

namespace headroom {

template <typename T>
class DayRing {
 public:
  explicit DayRing(int size = 1) : slots_(static_cast<size_t>(size < 1 ? 1 : size)) {}

  int size() const { return static_cast<int>(slots_.size()); }

  // The slot for day d, recycled if it held an older day. Returns nullptr when
  // d is older than the day the slot holds (d fell out of the ring).
  T* Mutable(Day d) {
    Slot& s = slots_[Index(d)];
    if (s.day == d) return &s.value;
    if (s.used && s.day > d) return nullptr;
    s.day = d;
    s.used = true;
    s.value = T{};
    return &s.value;
  }

  // The value stored for day d, or nullptr if none.
  const T* Find(Day d) const {
    const Slot& s = slots_[Index(d)];
    return s.used && s.day == d ? &s.value : nullptr;
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
      const Slot& s = slots_[i];
      fn(s.used && s.day == d ? s.value : T{});
      if (++i == slots_.size()) i = 0;
    }
  }

  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const Slot& s : slots_)
      if (s.used) fn(s.day, s.value);
  }

 private:
  struct Slot {
    Day day = 0;
    bool used = false;
    T value{};
  };
  size_t Index(Day d) const {
    if (d >= 0) return static_cast<uint32_t>(d) % static_cast<uint32_t>(slots_.size());
    const auto n = static_cast<int64_t>(slots_.size());
    return static_cast<size_t>(((static_cast<int64_t>(d) % n) + n) % n);
  }
  std::vector<Slot> slots_;
};

}  // namespace headroom
