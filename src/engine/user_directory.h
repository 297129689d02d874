// UserDirectory: every user the engine knows, by link key (SPEC 3.7 rule 1:
// traits are global to the user), in the order they became known.
//
// Entries live in a deque, so their addresses are stable and a directory of
// millions costs no allocation per user; accounts refer to users by ordinal
// (AccountState::users); a FingerprintMap finds a key's entry by its 64-bit
// fingerprint (DistinctValues::FingerprintOfUser, which the caller has
// already computed). Look-ups stay exact: the entry's key is compared, and a
// key whose fingerprint an earlier key already holds goes to an overflow map
// keyed by the whole string. Entries are never removed. Not thread-safe;
// concurrent reads of a directory nobody writes are fine.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "engine/account_state.h"
#include "engine/fingerprint_map.h"

namespace headroom {

class UserDirectory {
 public:
  struct Entry {
    std::string key;
    UserRecord record;
  };

  // The ordinal (position in entries()) of `key`, whose FingerprintOfUser is
  // `fingerprint` (never 0), appended when absent; second: appended.
  std::pair<uint32_t, bool> TryEmplaceOrdinal(std::string_view key, uint64_t fingerprint) {
    const auto next = static_cast<uint32_t>(entries_.size());
    auto [ordinal, added] = by_fingerprint_.TryEmplace(fingerprint, next);
    if (added) return {Append(key), true};
    if (entries_[*ordinal].key == key) return {*ordinal, false};
    // Another key with the same fingerprint (odds ~n^2/2^65): exact map.
    auto [it, new_key] = overflow_.try_emplace(std::string(key), next);
    if (new_key) return {Append(key), true};
    return {it->second, false};
  }
  // The same, as the entry.
  std::pair<Entry*, bool> TryEmplace(std::string_view key, uint64_t fingerprint) {
    auto [ordinal, added] = TryEmplaceOrdinal(key, fingerprint);
    return {&entries_[ordinal], added};
  }
  UserRecord& record(uint32_t ordinal) { return entries_[ordinal].record; }

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  void reserve(size_t users) { by_fingerprint_.reserve(users); }
  // Every entry, in the order the users became known (snapshots keep it).
  const std::deque<Entry>& entries() const { return entries_; }

 private:
  uint32_t Append(std::string_view key) {
    entries_.push_back(Entry{std::string(key), UserRecord{}});
    return static_cast<uint32_t>(entries_.size() - 1);
  }

  std::deque<Entry> entries_;
  FingerprintMap<uint32_t> by_fingerprint_;             // fingerprint -> position
  std::unordered_map<std::string, uint32_t> overflow_;  // keys whose fingerprint was taken
};

}  // namespace headroom
