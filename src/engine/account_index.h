// AccountIndex: the engine's accounts by id, for the look-up every input
// makes. An open-addressing table of (XXH3 hash of the id, account) in
// 16-byte slots, at most half full: a look-up reads one slot (one cache miss)
// and compares the id only when the whole 64-bit hash matched, so it is exact
// and costs no hashing by std::hash, no modulo and no node chase.
//
// Contract: the accounts are owned elsewhere and outlive the index (the
// engine's map nodes, which never move); each is inserted once, under its own
// `id`, and never removed. Not thread-safe; concurrent reads are fine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace headroom {

struct AccountState;

class AccountIndex {
 public:
  // The account whose id is `id`, or nullptr.
  AccountState* Find(std::string_view id) const;
  // Adds `account` under account->id, which must not be present.
  void Insert(AccountState* account);
  void reserve(size_t accounts);
  size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    AccountState* account = nullptr;  // nullptr: empty
  };
  static uint64_t HashOf(std::string_view id);
  void Place(const Slot& slot);  // into the first free slot of its probe run
  void Grow(size_t capacity);    // a power of two

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace headroom
