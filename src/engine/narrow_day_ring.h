// NarrowDayRing: a DayRing (engine/day_ring.h) of numbers, each slot kept in
// the narrowest of int8, int16, int32 and double that holds every value the
// ring holds exactly. Day counts and most day sums are small integers: a
// 50-day ring of counts is 50 bytes instead of 200 (issue 7: memory per
// account is mostly rings). A value that does not fit widens the whole ring
// once (int8 -> int16 -> int32 -> double; never narrower again).
//
// Same span rules as DayRing: the days (newest - size, newest], `newest` the
// latest day written; writing a newer day moves the span and clears the days
// it skips; reading outside the span gives 0; writing a day older than the
// span is refused. Values read back are exactly the doubles written (a sum
// computed in double and stored here reads back bit for bit; -0 is kept as a
// double). Slots fitting 8 bytes live inside the ring (16 bytes in all).
// Not thread-safe. Units: days (common/time.h Day).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>

#include "common/time.h"
#include "engine/day_ring.h"

namespace headroom {

class NarrowDayRing {
 public:
  // size 0 makes an idle ring: nothing is held and every write is refused.
  // At most kMaxSize days (std::length_error beyond: a lookback is at most
  // two 36,500-day spans).
  static constexpr int kMaxSize = (1 << 30) - 1;
  explicit NarrowDayRing(int size = 1);
  NarrowDayRing(const NarrowDayRing& o);
  NarrowDayRing& operator=(const NarrowDayRing& o);
  NarrowDayRing(NarrowDayRing&& o) noexcept;
  NarrowDayRing& operator=(NarrowDayRing&& o) noexcept;
  ~NarrowDayRing() { Free(); }

  int size() const { return static_cast<int>(size_); }
  bool empty() const { return newest_ == kNone; }
  Day newest() const { return newest_; }  // meaningful when !empty()
  // Bytes per slot: 1, 2, 4 or 8 (tests, memory accounting).
  int slot_bytes() const { return 1 << width_; }

  // Adds `delta` to day d's value and gives the value before; nullopt when d
  // is older than the span (or the ring is idle, or d is INT32_MIN), and then
  // nothing is stored.
  std::optional<double> Add(Day d, double delta) {
    const int64_t i = Reach(d);
    if (i < 0) return std::nullopt;
    const double old = At(static_cast<size_t>(i));
    Store(static_cast<size_t>(i), old + delta);
    return old;
  }
  // Sets day d's value; false when refused (as Add).
  bool Set(Day d, double v) {
    const int64_t i = Reach(d);
    if (i < 0) return false;
    Store(static_cast<size_t>(i), v);
    return true;
  }
  // Moves the span to hold day d, as a write would, storing nothing; false
  // when d would be refused.
  bool Touch(Day d) { return Reach(d) >= 0; }

  // Day d's value; 0 outside the span.
  double Get(Day d) const {
    return newest_ != kNone && d <= newest_ && Holds(d) ? At(Index(d)) : 0.0;
  }

  // fn(Get(d)) for every day d in [from, to], in day order.
  template <typename Fn>
  void ForRange(Day from, Day to, Fn&& fn) const {
    switch (width_) {
      case kInt8: return ForRangeOf<int8_t>(from, to, fn);
      case kInt16: return ForRangeOf<int16_t>(from, to, fn);
      case kInt32: return ForRangeOf<int32_t>(from, to, fn);
      default: return ForRangeOf<double>(from, to, fn);
    }
  }

  // fn(day, value) for every day of the span whose value is not 0, newest first.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    if (newest_ == kNone) return;
    for (int64_t k = 0; k < static_cast<int64_t>(size_); ++k) {
      const auto d = static_cast<Day>(static_cast<int64_t>(newest_) - k);
      const double v = At(Index(d));
      if (v != 0) fn(d, v);
    }
  }

 private:
  enum Width : uint32_t { kInt8 = 0, kInt16 = 1, kInt32 = 2, kDouble = 3 };
  static constexpr Day kNone = std::numeric_limits<Day>::min();  // newest_ of an empty ring
  static constexpr size_t kInlineBytes = 8;

  // The narrowest width holding v exactly.
  static Width WidthOf(double v);
  bool Holds(Day d) const { return static_cast<int64_t>(newest_) - d < size_; }
  size_t Index(Day d) const { return DaySlot(d, size_); }
  // The slot index of day d after moving the span to hold it, or -1 when refused.
  int64_t Reach(Day d);
  template <typename T>
  T Load(size_t i) const {
    T v;
    std::memcpy(&v, slots() + i * sizeof(T), sizeof(T));
    return v;
  }
  template <typename T>
  void Save(size_t i, T v) {
    std::memcpy(slots() + i * sizeof(T), &v, sizeof(T));
  }
  double At(size_t i) const {
    switch (width_) {
      case kInt8: return Load<int8_t>(i);
      case kInt16: return Load<int16_t>(i);
      case kInt32: return Load<int32_t>(i);
      default: return Load<double>(i);
    }
  }
  void Store(size_t i, double v) {
    if (const Width need = WidthOf(v); need > width_) Widen(need);
    switch (width_) {
      case kInt8: return Save(i, static_cast<int8_t>(v));
      case kInt16: return Save(i, static_cast<int16_t>(v));
      case kInt32: return Save(i, static_cast<int32_t>(v));
      default: return Save(i, v);
    }
  }
  void Widen(Width to);  // every slot converted; the span is unchanged
  void ClearSlots(size_t from, size_t count);

  template <typename T, typename Fn>
  void ForRangeOf(Day from, Day to, Fn& fn) const {
    if (from > to) return;
    if (size_ == 0) {
      for (Day d = from; d <= to; ++d) fn(0.0);
      return;
    }
    size_t i = Index(from);
    for (Day d = from; d <= to; ++d) {
      fn(newest_ != kNone && d <= newest_ && Holds(d) ? static_cast<double>(Load<T>(i)) : 0.0);
      if (++i == size_) i = 0;
    }
  }

  size_t bytes() const { return static_cast<size_t>(size_) << width_; }
  bool is_inline() const { return bytes() <= kInlineBytes; }
  unsigned char* slots() { return is_inline() ? storage_.bytes : storage_.heap; }
  const unsigned char* slots() const { return is_inline() ? storage_.bytes : storage_.heap; }
  void Free() {
    if (!is_inline()) delete[] storage_.heap;
  }

  union Storage {
    unsigned char* heap;  // bytes() bytes, when they do not fit inline
    alignas(8) unsigned char bytes[kInlineBytes];
  } storage_{};
  uint32_t size_ : 30;
  uint32_t width_ : 2;
  Day newest_ = kNone;
};
static_assert(sizeof(NarrowDayRing) == 16);

}  // namespace headroom
