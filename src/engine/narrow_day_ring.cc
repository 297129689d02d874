#include "engine/narrow_day_ring.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace headroom {

NarrowDayRing::NarrowDayRing(int size)
    : size_(size < 0 ? 0u : static_cast<uint32_t>(size) & kMaxSize), width_(kInt8) {
  if (size > kMaxSize) throw std::length_error("NarrowDayRing: more than 2^30 - 1 days");
  if (!is_inline()) storage_.heap = new unsigned char[bytes()];
  ClearSlots(0, size_);
}

NarrowDayRing::NarrowDayRing(const NarrowDayRing& o)
    : size_(o.size_), width_(o.width_), newest_(o.newest_) {
  if (!is_inline()) storage_.heap = new unsigned char[bytes()];
  if (bytes() > 0) std::memcpy(slots(), o.slots(), bytes());
}

NarrowDayRing& NarrowDayRing::operator=(const NarrowDayRing& o) {
  if (this != &o) *this = NarrowDayRing(o);
  return *this;
}

NarrowDayRing::NarrowDayRing(NarrowDayRing&& o) noexcept
    : storage_(o.storage_), size_(o.size_), width_(o.width_), newest_(o.newest_) {
  o.size_ = 0;  // o keeps no allocation
  o.newest_ = kNone;
}

NarrowDayRing& NarrowDayRing::operator=(NarrowDayRing&& o) noexcept {
  if (this != &o) {
    Free();
    storage_ = o.storage_;
    size_ = o.size_;
    width_ = o.width_;
    newest_ = o.newest_;
    o.size_ = 0;
    o.newest_ = kNone;
  }
  return *this;
}

NarrowDayRing::Width NarrowDayRing::WidthOf(double v) {
  if (v == 0) return std::signbit(v) ? kDouble : kInt8;
  if (!(v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()))
    return kDouble;  // out of range, infinite or NaN
  const auto i = static_cast<int32_t>(v);
  if (i != v) return kDouble;  // a fraction
  if (i >= std::numeric_limits<int8_t>::min() && i <= std::numeric_limits<int8_t>::max())
    return kInt8;
  if (i >= std::numeric_limits<int16_t>::min() && i <= std::numeric_limits<int16_t>::max())
    return kInt16;
  return kInt32;
}

int64_t NarrowDayRing::Reach(Day d) {
  if (size_ == 0 || d == kNone) return -1;
  if (newest_ == kNone) {
    newest_ = d;
  } else if (d > newest_) {
    const int64_t skipped = static_cast<int64_t>(d) - newest_;
    if (skipped >= static_cast<int64_t>(size_)) {
      ClearSlots(0, size_);
    } else {
      // The skipped days' slots follow the newest's, wrapping at the end.
      const size_t first = (Index(newest_) + 1) % size_;
      const auto count = static_cast<size_t>(skipped);
      const size_t head = std::min(count, size_ - first);
      ClearSlots(first, head);
      ClearSlots(0, count - head);
    }
    newest_ = d;
  } else if (!Holds(d)) {
    return -1;
  }
  return static_cast<int64_t>(Index(d));
}

void NarrowDayRing::ClearSlots(size_t from, size_t count) {
  if (count > 0) std::memset(slots() + (from << width_), 0, count << width_);
}

void NarrowDayRing::Widen(Width to) {
  NarrowDayRing wide(0);
  wide.size_ = size_;
  wide.width_ = to;
  wide.newest_ = newest_;
  if (!wide.is_inline()) wide.storage_.heap = new unsigned char[wide.bytes()];
  for (size_t i = 0; i < size_; ++i) {
    const double v = At(i);
    switch (to) {
      case kInt8: wide.Save(i, static_cast<int8_t>(v)); break;
      case kInt16: wide.Save(i, static_cast<int16_t>(v)); break;
      case kInt32: wide.Save(i, static_cast<int32_t>(v)); break;
      default: wide.Save(i, v); break;
    }
  }
  *this = std::move(wide);
}

}  // namespace headroom
