// MessageIdFilter: an in-memory "maybe seen" filter over the messageId
// fingerprints moved to disk (store/message_id_runs.h): a blocked Bloom
// filter (one 64-byte block per id, 8 bits set in it), 16 bits per id of
// capacity, which answers "no" for ~99.8% of new ids at full load, so only
// the rest costs a disk lookup. Never a false "no".
//
// It grows without rehashing: when the newest generation is full, a new one
// of twice its capacity takes the next ids, and a query checks every
// generation (one cache line each; log2 of the growth many). Memory is
// 2 bytes per id of capacity, at most ~4 bytes per id held.
//
// Not thread-safe (the ingest thread owns it).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "store/message_id_runs.h"

namespace headroom {

class MessageIdFilter {
 public:
  // `first_capacity`: ids the first generation holds (at least 64).
  explicit MessageIdFilter(size_t first_capacity = size_t{1} << 20);

  void Insert(const MessageIdFingerprint& fp);
  bool MayContain(const MessageIdFingerprint& fp) const;

  size_t size() const { return size_; }
  size_t generations() const { return generations_.size(); }
  size_t memory_bytes() const;

 private:
  using Block = std::array<uint64_t, 8>;  // 512 bits, one cache line
  struct Generation {
    std::vector<Block> blocks;
    size_t capacity = 0;
    size_t size = 0;
  };
  static bool Test(const Generation& g, const MessageIdFingerprint& fp);

  size_t first_capacity_;
  std::vector<Generation> generations_;
  size_t size_ = 0;
};

}  // namespace headroom
