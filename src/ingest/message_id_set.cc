#include "ingest/message_id_set.h"

#include <algorithm>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace headroom {

MessageIdFingerprint MessageIdSet::Of(std::string_view id) {
  const XXH128_hash_t h = XXH3_128bits(id.data(), id.size());
  MessageIdFingerprint fp{h.low64, h.high64};
  if (Empty(fp)) fp.lo = 1;  // {0, 0} is the empty-slot mark
  return fp;
}

size_t MessageIdSet::Find(const MessageIdFingerprint& fp) const {
  const size_t mask = slots_.size() - 1;
  size_t i = fp.lo & mask;
  while (!Empty(slots_[i]) && !(slots_[i] == fp)) i = (i + 1) & mask;
  return i;
}

bool MessageIdSet::Contains(const MessageIdFingerprint& fp) const {
  if (slots_.empty()) return false;
  return !Empty(slots_[Find(fp)]);
}

bool MessageIdSet::Insert(const MessageIdFingerprint& fp) {
  // Keep at most 3/4 of the slots in use, so a miss probes a few slots only.
  if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
  MessageIdFingerprint& slot = slots_[Find(fp)];
  if (!Empty(slot)) return false;
  slot = fp;
  ++size_;
  return true;
}

std::vector<MessageIdFingerprint> MessageIdSet::Sorted() const {
  std::vector<MessageIdFingerprint> out;
  out.reserve(size_);
  for (const MessageIdFingerprint& fp : slots_)
    if (!Empty(fp)) out.push_back(fp);
  std::sort(out.begin(), out.end());
  return out;
}

void MessageIdSet::Clear() {
  std::fill(slots_.begin(), slots_.end(), MessageIdFingerprint{});
  size_ = 0;
}

void MessageIdSet::Grow() {
  std::vector<MessageIdFingerprint> old;
  old.swap(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, MessageIdFingerprint{});
  for (const MessageIdFingerprint& fp : old)
    if (!Empty(fp)) slots_[Find(fp)] = fp;
}

}  // namespace headroom
