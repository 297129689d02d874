// DayRing: per-day slots for the most recent `size` days, the building block
// of every windowed metric. The ring holds the days (newest - size, newest],
// where `newest` is the latest day ever written; writing a newer day moves the
// span forward and clears the slots of the days it skips. Reading a day
// outside the span gives the default T{} (and Find gives nullptr); writing one
// older than the span is refused (Mutable gives nullptr).
//
// A slot is just a T (no day tag) and a ring is 16 bytes: rings are most of
// an account's memory. Slots that fit in 8 bytes (two counts of a 1-day
// window, one day of an `all` window) live inside the ring instead of in an
// allocation of their own (a 32-byte heap chunk). T is trivially copyable.
// Day INT32_MIN marks an empty ring and is never held. Not thread-safe.
// Units: days (common/time.h Day).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "common/time.h"

namespace headroom {

// The slot of day d in a ring of n > 0 slots: d mod n, for negative days too.
// Shared by DayRing and NarrowDayRing.
inline size_t DaySlot(Day d, uint32_t n) {
  if (d >= 0) return static_cast<uint32_t>(d) % n;
  const auto m = static_cast<int64_t>(n);
  return static_cast<size_t>(((static_cast<int64_t>(d) % m) + m) % m);
}

template <typename T>
class DayRing {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  // size 0 makes an idle ring: nothing is allocated and nothing is held
  // (Mutable gives nullptr), for the rings a metric's form does not read.
  explicit DayRing(int size = 1) : size_(size < 0 ? 0 : size) {
    if (size_ == 0) return;
    if (!is_inline()) storage_.heap = new T[static_cast<size_t>(size_)];
    std::fill(slots(), slots() + size_, T{});
  }
  DayRing(const DayRing& o) : size_(o.size_), newest_(o.newest_) {
    if (size_ > 0 && !is_inline()) storage_.heap = new T[static_cast<size_t>(size_)];
    std::copy(o.slots(), o.slots() + size_, slots());
  }
  DayRing& operator=(const DayRing& o) {
    if (this != &o) *this = DayRing(o);
    return *this;
  }
  DayRing(DayRing&& o) noexcept : storage_(o.storage_), size_(o.size_), newest_(o.newest_) {
    o.size_ = 0;  // o keeps no allocation
    o.newest_ = kNone;
  }
  DayRing& operator=(DayRing&& o) noexcept {
    if (this != &o) {
      Free();
      storage_ = o.storage_;
      size_ = o.size_;
      newest_ = o.newest_;
      o.size_ = 0;
      o.newest_ = kNone;
    }
    return *this;
  }
  ~DayRing() { Free(); }

  int size() const { return size_; }
  bool empty() const { return newest_ == kNone; }
  Day newest() const { return newest_; }  // meaningful when !empty()

  // The slot for day d, or nullptr when d is older than the span (or the
  // ring is idle, or d is the one day no ring holds, INT32_MIN).
  T* Mutable(Day d) {
    if (size_ == 0 || d == kNone) return nullptr;
    if (newest_ == kNone) {
      newest_ = d;
    } else if (d > newest_) {
      const int64_t skipped = static_cast<int64_t>(d) - newest_;
      if (skipped >= size_) {
        std::fill(slots(), slots() + size_, T{});
      } else {
        for (int64_t x = static_cast<int64_t>(newest_) + 1; x <= d; ++x)
          slots()[Index(static_cast<Day>(x))] = T{};
      }
      newest_ = d;
    } else if (!Holds(d)) {
      return nullptr;
    }
    return &slots()[Index(d)];
  }

  // Mutable(d), storing v in the slot; false when refused.
  bool Set(Day d, const T& v) {
    T* slot = Mutable(d);
    if (slot) *slot = v;
    return slot != nullptr;
  }
  // Moves the span to hold day d, as a write would; false when refused.
  bool Touch(Day d) { return Mutable(d) != nullptr; }

  // The value stored for day d, or nullptr when d is outside the span.
  const T* Find(Day d) const {
    return newest_ != kNone && d <= newest_ && Holds(d) ? &slots()[Index(d)] : nullptr;
  }

  T Get(Day d) const {
    const T* v = Find(d);
    return v ? *v : T{};
  }

  // fn(Get(d)) for every day d in [from, to], in day order (no division per day).
  template <typename Fn>
  void ForRange(Day from, Day to, Fn&& fn) const {
    if (from > to) return;
    if (size_ == 0) {
      for (Day d = from; d <= to; ++d) fn(T{});
      return;
    }
    const T* slot = slots();
    size_t i = Index(from);
    for (Day d = from; d <= to; ++d) {
      fn(newest_ != kNone && d <= newest_ && Holds(d) ? slot[i] : T{});
      if (++i == static_cast<size_t>(size_)) i = 0;
    }
  }

  // fn(day, value) for every day of the span whose value is not T{}, newest first.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    if (newest_ == kNone) return;
    for (int64_t k = 0; k < size_; ++k) {
      const auto d = static_cast<Day>(static_cast<int64_t>(newest_) - k);
      const T& v = slots()[Index(d)];
      if (!(v == T{})) fn(d, v);
    }
  }

 private:
  static constexpr Day kNone = std::numeric_limits<Day>::min();  // newest_ of an empty ring
  bool Holds(Day d) const { return static_cast<int64_t>(newest_) - d < size_; }
  size_t Index(Day d) const { return DaySlot(d, static_cast<uint32_t>(size_)); }
  static constexpr size_t kInlineBytes = 8;
  bool is_inline() const { return static_cast<size_t>(size_) * sizeof(T) <= kInlineBytes; }
  T* slots() { return is_inline() ? reinterpret_cast<T*>(storage_.bytes) : storage_.heap; }
  const T* slots() const {
    return is_inline() ? reinterpret_cast<const T*>(storage_.bytes) : storage_.heap;
  }
  void Free() {
    if (!is_inline()) delete[] storage_.heap;
  }

  union Storage {
    T* heap;  // size_ slots, when they do not fit inline
    alignas(T) unsigned char bytes[kInlineBytes];
  } storage_{};
  int32_t size_;
  Day newest_ = kNone;
};

}  // namespace headroom
