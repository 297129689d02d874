// MessageIdSet: an in-memory set of messageIds, for the idempotency rule
// (SPEC 1.1, 3.7 rule 3): the recent tier of MessageIdDedup
// (ingest/message_id_dedup.h), which moves older ids to disk.
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

#include "store/message_id_runs.h"

namespace headroom {

class MessageIdSet {
 public:
  MessageIdSet() = default;

  static MessageIdFingerprint Of(std::string_view id);  // never {0, 0}

  // Adds `id`; false when it was already present.
  bool Insert(std::string_view id) { return Insert(Of(id)); }
  bool Contains(std::string_view id) const { return Contains(Of(id)); }
  bool Insert(const MessageIdFingerprint& fp);
  bool Contains(const MessageIdFingerprint& fp) const;

  // The fingerprints held, in MessageIdFingerprint order.
  std::vector<MessageIdFingerprint> Sorted() const;
  // Empties the set, keeping its table (the next ids need no allocation).
  void Clear();

  size_t size() const { return size_; }
  // Bytes held by the table (the whole of this set's heap memory).
  size_t memory_bytes() const { return slots_.capacity() * sizeof(MessageIdFingerprint); }

 private:
  static bool Empty(const MessageIdFingerprint& fp) { return fp.lo == 0 && fp.hi == 0; }
  // The slot holding `fp`, or the empty slot where it belongs.
  size_t Find(const MessageIdFingerprint& fp) const;
  void Grow();

  std::vector<MessageIdFingerprint> slots_;  // size a power of two, or 0; {0, 0} = empty
  size_t size_ = 0;
};

}  // namespace headroom
