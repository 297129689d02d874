// UserDirectory: every user the engine knows, by link key (SPEC 3.7 rule 1:
// traits are global to the user), in the order they became known. Accounts
// refer to users by ordinal (AccountState::users, position in that order).
//
// Memory is the point (issue 7: bytes per (account, user) pair): a user costs
// 16 bytes and its key's bytes. Keys are packed in 64 KB chunks (a length
// byte or two, then the bytes; a key longer than a chunk gets its own), found
// by an 8-byte address kept beside the user's record (8 bytes: most users
// are never identified) in a deque by ordinal (no growth slack, no copies as
// it grows); a FingerprintMap finds a key's ordinal by its
// 64-bit fingerprint (DistinctValues::FingerprintOfUser, which the caller has
// already computed). Look-ups stay exact: the stored key is compared, and a
// key whose fingerprint an earlier key already holds goes to an overflow map
// keyed by the whole string. Entries are never removed.
//
// References from record() stay valid (entries never move). Not
// thread-safe; concurrent reads of a directory nobody writes are fine.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/account_state.h"
#include "engine/fingerprint_map.h"

namespace headroom {

// Strings appended into chunks, each found by the address Append returned.
class KeyArena {
 public:
  static constexpr size_t kChunkBytes = 64 * 1024;
  uint64_t Append(std::string_view key);
  std::string_view At(uint64_t address) const;

 private:
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t used_ = kChunkBytes;  // bytes used in the last chunk (full: none yet)
};

class UserDirectory {
 public:
  // The ordinal of `key`, whose FingerprintOfUser is `fingerprint` (never
  // 0), appended when absent; second: appended.
  std::pair<uint32_t, bool> TryEmplaceOrdinal(std::string_view key, uint64_t fingerprint) {
    const auto next = static_cast<uint32_t>(entries_.size());
    auto [ordinal, added] = by_fingerprint_.TryEmplace(fingerprint, next);
    if (added) return {Append(key), true};
    if (this->key(*ordinal) == key) return {*ordinal, false};
    // Another key with the same fingerprint (odds ~n^2/2^65): exact map.
    auto [it, new_key] = overflow_.try_emplace(std::string(key), next);
    if (new_key) return {Append(key), true};
    return {it->second, false};
  }
  UserRecord& record(uint32_t ordinal) { return entries_[ordinal].record; }
  const UserRecord& record(uint32_t ordinal) const { return entries_[ordinal].record; }
  std::string_view key(uint32_t ordinal) const { return keys_.At(entries_[ordinal].key); }

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  void reserve(size_t users) { by_fingerprint_.reserve(users); }
  void Prefetch(uint64_t fingerprint) const { by_fingerprint_.Prefetch(fingerprint); }

 private:
  struct Entry {
    uint64_t key;  // KeyArena address
    UserRecord record;
  };
  uint32_t Append(std::string_view key) {
    entries_.push_back(Entry{keys_.Append(key), UserRecord{}});
    return static_cast<uint32_t>(entries_.size() - 1);
  }

  KeyArena keys_;
  std::deque<Entry> entries_;                           // by ordinal
  FingerprintMap<uint32_t> by_fingerprint_;             // fingerprint -> ordinal
  std::unordered_map<std::string, uint32_t> overflow_;  // keys whose fingerprint was taken
};

}  // namespace headroom
