#include "engine/account_index.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "engine/account_state.h"

namespace headroom {

uint64_t AccountIndex::HashOf(std::string_view id) { return XXH3_64bits(id.data(), id.size()); }

AccountState* AccountIndex::Find(std::string_view id) const {
  if (slots_.empty()) return nullptr;
  const uint64_t hash = HashOf(id);
  const size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>(hash) & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (!s.account) return nullptr;
    if (s.hash == hash && s.account->id == id) return s.account;
  }
}

void AccountIndex::Insert(AccountState* account) {
  if ((size_ + 1) * 2 > slots_.size()) Grow(slots_.empty() ? 16 : slots_.size() * 2);
  Place(Slot{HashOf(account->id), account});
  ++size_;
}

void AccountIndex::Place(const Slot& slot) {
  const size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(slot.hash) & mask;
  while (slots_[i].account) i = (i + 1) & mask;
  slots_[i] = slot;
}

void AccountIndex::reserve(size_t accounts) {
  size_t capacity = slots_.empty() ? 16 : slots_.size();
  while (accounts * 2 > capacity) capacity *= 2;
  if (capacity > slots_.size()) Grow(capacity);
}

void AccountIndex::Grow(size_t capacity) {
  std::vector<Slot> old(capacity);
  old.swap(slots_);
  for (const Slot& s : old)
    if (s.account) Place(s);
}

}  // namespace headroom
