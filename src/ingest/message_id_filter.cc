#include "ingest/message_id_filter.h"

#include <algorithm>

namespace headroom {

namespace {

constexpr size_t kBitsPerId = 16;
constexpr size_t kBlockBits = 512;

// The block of `fp` among `n` (< 2^32): hi's top 32 bits scaled to [0, n).
size_t BlockOf(const MessageIdFingerprint& fp, size_t n) {
  return static_cast<size_t>(((fp.hi >> 32) * n) >> 32);
}

// The 8 bit positions in the block: seven 9-bit slices of lo, one of hi's low bits
// (the block index reads hi's high bits).
template <typename F>
void ForEachBit(const MessageIdFingerprint& fp, F&& f) {
  uint64_t bits = fp.lo;
  for (int k = 0; k < 7; ++k, bits >>= 9) f(static_cast<unsigned>(bits & 511));
  f(static_cast<unsigned>(fp.hi & 511));
}

}  // namespace

MessageIdFilter::MessageIdFilter(size_t first_capacity)
    : first_capacity_(std::max<size_t>(first_capacity, 64)) {}

void MessageIdFilter::Insert(const MessageIdFingerprint& fp) {
  if (generations_.empty() || generations_.back().size == generations_.back().capacity) {
    Generation g;
    g.capacity = generations_.empty() ? first_capacity_ : generations_.back().capacity * 2;
    g.blocks.assign(g.capacity * kBitsPerId / kBlockBits, Block{});
    generations_.push_back(std::move(g));
  }
  Generation& g = generations_.back();
  Block& b = g.blocks[BlockOf(fp, g.blocks.size())];
  ForEachBit(fp, [&](unsigned bit) { b[bit >> 6] |= uint64_t{1} << (bit & 63); });
  ++g.size;
  ++size_;
}

bool MessageIdFilter::Test(const Generation& g, const MessageIdFingerprint& fp) {
  const Block& b = g.blocks[BlockOf(fp, g.blocks.size())];
  bool all = true;
  ForEachBit(fp, [&](unsigned bit) { all = all && (b[bit >> 6] >> (bit & 63) & 1); });
  return all;
}

bool MessageIdFilter::MayContain(const MessageIdFingerprint& fp) const {
  for (const Generation& g : generations_)
    if (Test(g, fp)) return true;
  return false;
}

size_t MessageIdFilter::memory_bytes() const {
  size_t bytes = 0;
  for (const Generation& g : generations_) bytes += g.blocks.capacity() * sizeof(Block);
  return bytes;
}

}  // namespace headroom
