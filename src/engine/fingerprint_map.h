// FingerprintMap<V>: a small open-addressing map from a 64-bit fingerprint
// (DistinctValues::FingerprintOf*) to a trivially copyable V, for per-account
// indexes that must cost a few bytes per entry and one cache miss per look-up
// (an account's users: 20 bytes a slot, the key stored as two 32-bit halves so
// a V of 4-byte members packs without padding; at most 3/4 full; the map
// itself 16 bytes). Key 0 is reserved (fingerprints are never 0). At most
// 2^32 slots (std::length_error past that). Entries are never removed.
// Pointers returned stay valid until the next insertion. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <utility>

namespace headroom {

template <typename V>
class FingerprintMap {
 public:
  // The value of `key`, inserted as `init` when absent; second: inserted.
  std::pair<V*, bool> TryEmplace(uint64_t key, V init) {
    if (capacity_ > 0) {
      Slot& s = slots_[Find(key)];
      if (s.key() == key) return {&s.value, false};
    }
    if ((size_t{size_} + 1) * 4 > size_t{capacity_} * 3) Grow();
    Slot& s = slots_[Find(key)];
    s.set_key(key);
    s.value = init;
    ++size_;
    return {&s.value, true};
  }

  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }  // slots
  // fn(value) for every entry, in slot order (deterministic for one
  // insertion history, not insertion order).
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (size_t i = 0; i < capacity_; ++i)
      if (slots_[i].key() != 0) fn(slots_[i].value);
  }
  static constexpr size_t slot_bytes() { return sizeof(Slot); }
  // A hint that `key` is about to be looked up: fetches its first slot's
  // cache line, so a batch of look-ups into a large table overlaps its misses.
  void Prefetch(uint64_t key) const {
    if (capacity_ > 0) __builtin_prefetch(&slots_[static_cast<size_t>(key) & (capacity_ - 1)]);
  }
  void reserve(size_t n) {
    size_t capacity = capacity_ == 0 ? 4 : capacity_;
    while (n * 4 > capacity * 3) capacity *= 2;
    if (capacity != capacity_) Rehash(capacity);  // one allocation, not one per doubling
  }

 private:
  struct Slot {
    uint32_t lo = 0, hi = 0;  // the key's halves; key 0: empty
    V value{};
    uint64_t key() const { return (static_cast<uint64_t>(hi) << 32) | lo; }
    void set_key(uint64_t k) {
      lo = static_cast<uint32_t>(k);
      hi = static_cast<uint32_t>(k >> 32);
    }
  };
  size_t Find(uint64_t key) const {
    const size_t mask = capacity_ - 1;
    size_t i = static_cast<size_t>(key) & mask;
    while (slots_[i].key() != 0 && slots_[i].key() != key) i = (i + 1) & mask;
    return i;
  }
  void Grow() { Rehash(capacity_ == 0 ? 4 : size_t{capacity_} * 2); }
  void Rehash(size_t capacity) {  // a power of two
    if (capacity > std::numeric_limits<uint32_t>::max()) throw std::length_error("FingerprintMap");
    std::unique_ptr<Slot[]> old = std::exchange(slots_, std::make_unique<Slot[]>(capacity));
    const size_t old_capacity = std::exchange(capacity_, static_cast<uint32_t>(capacity));
    for (size_t i = 0; i < old_capacity; ++i)
      if (old[i].key() != 0) slots_[Find(old[i].key())] = old[i];
  }

  // 16 bytes (an account holds one): a power-of-two array of slots, or none.
  std::unique_ptr<Slot[]> slots_;
  uint32_t capacity_ = 0;
  uint32_t size_ = 0;
};

}  // namespace headroom
