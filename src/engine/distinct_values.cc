#include "engine/distinct_values.h"

#include <algorithm>
#include <bit>
#include <cstring>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace headroom {

namespace {

constexpr uint32_t kFirstCapacity = 4;

uint64_t NonZero(uint64_t h) { return h == 0 ? 1 : h; }  // 0 marks an empty slot

// bits <<= s over `words` words, bit i of the whole meaning "day last - i".
void ShiftOlder(uint64_t* bits, int words, int64_t s) {
  if (s >= 64LL * words) {
    std::memset(bits, 0, sizeof(uint64_t) * static_cast<size_t>(words));
    return;
  }
  const int ws = static_cast<int>(s / 64);
  const int bs = static_cast<int>(s % 64);
  for (int w = words - 1; w >= 0; --w) {
    const int src = w - ws;
    uint64_t v = 0;
    if (src >= 0) {
      v = bits[src] << bs;
      if (bs != 0 && src >= 1) v |= bits[src - 1] >> (64 - bs);
    }
    bits[w] = v;
  }
}

}  // namespace

DistinctValues::DistinctValues(int history_days)
    : words_(static_cast<uint16_t>(history_days > 0 ? (history_days + 64) / 64 : 0)) {}

static_assert(sizeof(DistinctValues) == 16);

uint64_t DistinctValues::FingerprintOf(const Value& v) {
  const auto seed = static_cast<uint64_t>(v.kind());
  switch (v.kind()) {
    case Value::Kind::kNumber:
    case Value::Kind::kBool: {
      double d = v.number();
      if (d == 0) d = 0;  // -0 == 0
      const auto bits = std::bit_cast<uint64_t>(d);
      return NonZero(XXH3_64bits_withSeed(&bits, sizeof bits, seed));
    }
    case Value::Kind::kString:
    case Value::Kind::kRaw:
      return NonZero(XXH3_64bits_withSeed(v.str().data(), v.str().size(), seed));
    case Value::Kind::kMissing:
    case Value::Kind::kNull: break;
  }
  return NonZero(XXH3_64bits_withSeed(nullptr, 0, seed));
}

uint64_t DistinctValues::FingerprintOfUser(std::string_view user_id) {
  // Same as FingerprintOf(Value::String(user_id)), without the copy.
  return NonZero(XXH3_64bits_withSeed(user_id.data(), user_id.size(),
                                      static_cast<uint64_t>(Value::Kind::kString)));
}

DistinctValues::DistinctValues(const DistinctValues& o)
    : words_(o.words_), capacity_log2_(o.capacity_log2_), size_(o.size_) {
  if (capacity() == 0) return;
  const size_t words = capacity() * stride();
  table_ = std::make_unique<uint64_t[]>(words);
  std::copy(o.table_.get(), o.table_.get() + words, table_.get());
}

DistinctValues& DistinctValues::operator=(const DistinctValues& o) {
  if (this != &o) *this = DistinctValues(o);
  return *this;
}

size_t DistinctValues::Find(uint64_t key) const {
  const size_t mask = capacity() - 1;
  size_t i = static_cast<size_t>(key) & mask;
  while (Slot(i)[0] != 0 && Slot(i)[0] != key) i = (i + 1) & mask;
  return i;
}

void DistinctValues::Allocate(size_t capacity) {
  capacity_log2_ = static_cast<uint8_t>(std::countr_zero(capacity));
  table_ = std::make_unique<uint64_t[]>(capacity * stride());  // zeroed: key 0, empty
}

void DistinctValues::Reserve(size_t n) {
  if (size_ != 0 || n == 0) return;
  size_t capacity = kFirstCapacity;
  while (n * 4 > capacity * 3) capacity *= 2;  // Insert's rule
  Allocate(capacity);
}

void DistinctValues::Grow() {
  std::unique_ptr<uint64_t[]> old = std::move(table_);
  const size_t old_capacity = capacity();
  Allocate(old_capacity == 0 ? kFirstCapacity : old_capacity * 2);
  for (size_t i = 0; i < old_capacity; ++i) {
    const uint64_t* from = &old[i * stride()];
    if (from[0] == 0) continue;
    std::copy(from, from + stride(), Slot(Find(from[0])));
  }
}

std::pair<size_t, bool> DistinctValues::Insert(uint64_t key, Day day) {
  if (capacity_log2_ != 0) {
    const size_t i = Find(key);
    if (Slot(i)[0] == key) return {i, false};
  }
  // At most 3/4 of the slots in use, so a miss probes a few slots only.
  if ((size_t{size_} + 1) * 4 > capacity() * 3) Grow();
  const size_t i = Find(key);
  uint64_t* s = Slot(i);
  s[0] = key;
  s[1] = Days(day, day);
  if (words_ > 0) s[2] = 1;
  ++size_;
  return {i, true};
}

void DistinctValues::See(size_t slot, Day day) {
  uint64_t* s = Slot(slot);
  Entry e = entry(slot);
  if (words_ > 0) {
    uint64_t* bits = s + 2;
    if (day > e.last_day) {
      ShiftOlder(bits, words_, static_cast<int64_t>(day) - e.last_day);
      bits[0] |= 1;
    } else {
      const int64_t i = static_cast<int64_t>(e.last_day) - day;
      if (i < 64LL * words_) bits[i / 64] |= uint64_t{1} << (i % 64);
    }
  }
  if (day > e.last_day) e.last_day = day;
  if (day < e.first_day) e.first_day = day;
  s[1] = Days(e.first_day, e.last_day);
}

bool DistinctValues::SeenWithin(size_t slot, Day from, Day to) const {
  if (words_ == 0 || from > to) return false;
  const Entry e = entry(slot);
  int64_t lo = static_cast<int64_t>(e.last_day) - to;
  int64_t hi = static_cast<int64_t>(e.last_day) - from;
  if (lo < 0) lo = 0;
  if (hi > 64LL * words_ - 1) hi = 64LL * words_ - 1;
  const uint64_t* bits = Slot(slot) + 2;
  for (int64_t i = lo; i <= hi;) {
    const int64_t w = i / 64;
    const int64_t b = i % 64;
    const int64_t last = std::min<int64_t>(hi, w * 64 + 63);
    const int64_t n = last - i + 1;  // bits of word w to test: [b, b + n)
    const uint64_t mask = (n == 64 ? ~uint64_t{0} : ((uint64_t{1} << n) - 1)) << b;
    if (bits[w] & mask) return true;
    i = last + 1;
  }
  return false;
}

bool DistinctValues::Restore(const Entry& e, const std::vector<uint64_t>& bits) {
  auto [slot, inserted] = Insert(e.key, e.first_day);
  if (!inserted) return false;
  uint64_t* s = Slot(slot);
  s[1] = Days(e.first_day, e.last_day);
  if (words_ > 0) std::copy(bits.begin(), bits.begin() + words_, s + 2);
  return true;
}

}  // namespace headroom
