// FingerprintMap<V>: a small open-addressing map from a 64-bit fingerprint
// (DistinctValues::FingerprintOf*) to a trivially copyable V, for per-account
// indexes that must cost a few bytes per entry and one cache miss per look-up
// (an account's users: 20 bytes a slot, the key stored as two 32-bit halves so
// a V of 4-byte members packs without padding; at most 3/4 full). Key 0 is reserved
// (fingerprints are never 0). Entries are never removed. Pointers returned
// stay valid until the next insertion. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace headroom {

template <typename V>
class FingerprintMap {
 public:
  // The value of `key`, inserted as `init` when absent; second: inserted.
  std::pair<V*, bool> TryEmplace(uint64_t key, V init) {
    if (!slots_.empty()) {
      Slot& s = slots_[Find(key)];
      if (s.key() == key) return {&s.value, false};
    }
    if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
    Slot& s = slots_[Find(key)];
    s.set_key(key);
    s.value = init;
    ++size_;
    return {&s.value, true};
  }

  size_t size() const { return size_; }
  size_t capacity() const { return slots_.size(); }  // slots
  // fn(value) for every entry, in slot order (deterministic for one
  // insertion history, not insertion order).
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const Slot& s : slots_)
      if (s.key() != 0) fn(s.value);
  }
  static constexpr size_t slot_bytes() { return sizeof(Slot); }
  // A hint that `key` is about to be looked up: fetches its first slot's
  // cache line, so a batch of look-ups into a large table overlaps its misses.
  void Prefetch(uint64_t key) const {
    if (!slots_.empty())
      __builtin_prefetch(&slots_[static_cast<size_t>(key) & (slots_.size() - 1)]);
  }
  void reserve(size_t n) {
    size_t capacity = slots_.empty() ? 4 : slots_.size();
    while (n * 4 > capacity * 3) capacity *= 2;
    if (capacity != slots_.size()) Rehash(capacity);  // one allocation, not one per doubling
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
    const size_t mask = slots_.size() - 1;
    size_t i = static_cast<size_t>(key) & mask;
    while (slots_[i].key() != 0 && slots_[i].key() != key) i = (i + 1) & mask;
    return i;
  }
  void Grow() { Rehash(slots_.empty() ? 4 : slots_.size() * 2); }
  void Rehash(size_t capacity) {  // a power of two
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(capacity, Slot{});
    for (const Slot& s : old)
      if (s.key() != 0) slots_[Find(s.key())] = s;
  }

  std::vector<Slot> slots_;  // size a power of two, or 0
  size_t size_ = 0;
};

}  // namespace headroom
