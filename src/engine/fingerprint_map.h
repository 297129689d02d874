// FingerprintMap<V>: a small open-addressing map from a 64-bit fingerprint
// (DistinctValues::FingerprintOf*) to a trivially copyable V, for per-account
// indexes that must cost a few bytes per entry and one cache miss per look-up
// (an account's users: 16 bytes a slot, at most 3/4 full). Key 0 is reserved
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
      if (s.key == key) return {&s.value, false};
    }
    if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
    Slot& s = slots_[Find(key)];
    s.key = key;
    s.value = init;
    ++size_;
    return {&s.value, true};
  }

  size_t size() const { return size_; }
  void reserve(size_t n) {
    while (n * 4 > slots_.size() * 3) Grow();
  }

 private:
  struct Slot {
    uint64_t key = 0;  // 0: empty
    V value{};
  };
  size_t Find(uint64_t key) const {
    const size_t mask = slots_.size() - 1;
    size_t i = static_cast<size_t>(key) & mask;
    while (slots_[i].key != 0 && slots_[i].key != key) i = (i + 1) & mask;
    return i;
  }
  void Grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 4 : old.size() * 2, Slot{});
    for (const Slot& s : old)
      if (s.key != 0) slots_[Find(s.key)] = s;
  }

  std::vector<Slot> slots_;  // size a power of two, or 0
  size_t size_ = 0;
};

}  // namespace headroom
