// DistinctValues: the values one distinct metric of one account has seen
// (SPEC 3.2 distinct forms), as an open-addressing table of 64-bit XXH3
// fingerprints with each value's first and last seen day and, when the metric
// keeps history, a bit per recent day it was seen.
//
// Memory is the point (issue 7: <= 64 B per (account, user) pair): a slot is
// 16 bytes (fingerprint, first day, last day) followed by its seen-day bits,
// `history_words` 64-bit words, in one array (a look-up and its bits are one
// cache miss, not two); the table is at most 3/4 full. Two values
// of one account's metric share a fingerprint with probability ~n^2 / 2^65
// (below 1e-13 for 1,000 values), which the metric accepts as never.
//
// Seen-day bits are kept relative to the entry's last day: bit i means "seen
// on day last_day - i", for i < 64 * history_words. Days further back are
// forgotten, so history_words must cover the metric's lookback.
//
// Not thread-safe. Iteration order is slot order: deterministic for the same
// insertions (fingerprints are unseeded).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "common/time.h"
#include "common/value.h"

namespace headroom {

class DistinctValues {
 public:
  struct Entry {
    uint64_t key = 0;  // fingerprint; 0 marks an empty slot
    Day first_day = 0;
    Day last_day = 0;
  };

  // history_days: how many days back (from an entry's last day) SeenWithin is
  // asked about; 0 keeps no seen-day bits.
  explicit DistinctValues(int history_days);
  DistinctValues(const DistinctValues& o);
  DistinctValues& operator=(const DistinctValues& o);
  DistinctValues(DistinctValues&&) noexcept = default;
  DistinctValues& operator=(DistinctValues&&) noexcept = default;

  // The fingerprint of a distinct value (type and value, numbers by value,
  // SPEC 3.7 rule 12) and of a user id (distinct: user).
  static uint64_t FingerprintOf(const Value& v);
  static uint64_t FingerprintOfUser(std::string_view user_id);

  // The slot of `key`, inserted as first = last = day (seen on day) when new.
  // Slot indexes stay valid until the next insertion.
  std::pair<size_t, bool> Insert(uint64_t key, Day day);
  Entry entry(size_t slot) const {
    const uint64_t* s = Slot(slot);
    return Entry{s[0], static_cast<Day>(static_cast<uint32_t>(s[1])),
                 static_cast<Day>(static_cast<uint32_t>(s[1] >> 32))};
  }
  // Records that the value in `slot` was seen on `day` (moves its first and
  // last days, and its seen-day bits).
  void See(size_t slot, Day day);
  // Whether the value was seen on a day in [from, to] (to < its last day; days
  // older than the kept history read as not seen).
  bool SeenWithin(size_t slot, Day from, Day to) const;

  size_t size() const { return size_; }
  size_t capacity() const {  // slots
    return capacity_log2_ == 0 ? 0 : size_t{1} << capacity_log2_;
  }
  int history_words() const { return words_; }

  // fn(slot) for every used slot, in slot order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (size_t i = 0, n = capacity(); i < n; ++i)
      if (Slot(i)[0] != 0) fn(i);
  }

  // Snapshot access: the seen-day words of a slot, and restoring one entry.
  const uint64_t* bits(size_t slot) const { return words_ ? Slot(slot) + 2 : nullptr; }
  // False when the key is already present.
  bool Restore(const Entry& e, const std::vector<uint64_t>& bits);
  // Makes room for `n` values in one allocation (the capacity n values
  // inserted one by one would reach), so a snapshot restore does not grow
  // the table once per doubling. Only on an empty table.
  void Reserve(size_t n);

 private:
  // A slot's words: [0] the key, [1] first day (low half) and last day (high
  // half), [2, 2 + words_) the seen-day bits.
  static uint64_t Days(Day first, Day last) {
    return static_cast<uint32_t>(first) | (uint64_t{static_cast<uint32_t>(last)} << 32);
  }
  size_t stride() const { return 2 + static_cast<size_t>(words_); }
  const uint64_t* Slot(size_t slot) const { return &table_[slot * stride()]; }
  uint64_t* Slot(size_t slot) { return &table_[slot * stride()]; }
  size_t Find(uint64_t key) const;  // the slot holding key, or the empty slot for it
  void Grow();
  void Allocate(size_t capacity);  // an empty table of `capacity` slots (a power of two)

  // 16 bytes in all (a metric state holds one): the capacity as its log2,
  // the seen-day words in 16 bits (windows are at most 36,500 days).
  uint16_t words_;
  uint8_t capacity_log2_ = 0;          // slots: 2^capacity_log2_, none when 0
  uint32_t size_ = 0;                  // used slots
  std::unique_ptr<uint64_t[]> table_;  // capacity() slots of stride() words
};

}  // namespace headroom
