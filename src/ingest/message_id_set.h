// MessageIdSet: every messageId the store holds, for the idempotency rule
// (SPEC 1.1: a messageId seen before is acknowledged and ignored, also across
// restarts; 3.7 rule 3). A random-key index in SQLite would cut batched
// inserts ~7x (NOTES "SQLite throughput"), so the set lives in memory, filled
// from the log at start.
//
// It keeps 128-bit XXH3 fingerprints, not the ids: 16 bytes per slot in one
// open-addressing table (linear probing, at most 3/4 full), about 21-43 bytes
// per id instead of ~130 for a set of strings. Two different ids share a
// fingerprint with probability ~n^2 / 2^129 (below 1e-20 for a billion ids),
// which this set accepts as never.
//
// Not thread-safe (the ingest thread owns it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace headroom {

class MessageIdSet {
 public:
  MessageIdSet() = default;

  // Adds `id`; false when it was already present.
  bool Insert(std::string_view id);
  bool Contains(std::string_view id) const;

  size_t size() const { return size_; }
  // Bytes held by the table (the whole of this set's heap memory).
  size_t memory_bytes() const { return slots_.capacity() * sizeof(Fingerprint); }

 private:
  struct Fingerprint {
    uint64_t lo = 0;
    uint64_t hi = 0;  // {0, 0} marks an empty slot
    bool empty() const { return lo == 0 && hi == 0; }
    bool operator==(const Fingerprint&) const = default;
  };
  static Fingerprint Of(std::string_view id);
  // The slot holding `fp`, or the empty slot where it belongs.
  size_t Find(const Fingerprint& fp) const;
  void Grow();

  std::vector<Fingerprint> slots_;  // size a power of two, or 0
  size_t size_ = 0;
};

}  // namespace headroom
