#include "ingest/message_id_set.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace headroom {

MessageIdSet::Fingerprint MessageIdSet::Of(std::string_view id) {
  const XXH128_hash_t h = XXH3_128bits(id.data(), id.size());
  Fingerprint fp{h.low64, h.high64};
  if (fp.empty()) fp.lo = 1;  // {0, 0} is the empty-slot mark
  return fp;
}

size_t MessageIdSet::Find(const Fingerprint& fp) const {
  const size_t mask = slots_.size() - 1;
  size_t i = fp.lo & mask;
  while (!slots_[i].empty() && !(slots_[i] == fp)) i = (i + 1) & mask;
  return i;
}

bool MessageIdSet::Contains(std::string_view id) const {
  if (slots_.empty()) return false;
  return !slots_[Find(Of(id))].empty();
}

bool MessageIdSet::Insert(std::string_view id) {
  // Keep at most 3/4 of the slots in use, so a miss probes a few slots only.
  if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
  const Fingerprint fp = Of(id);
  Fingerprint& slot = slots_[Find(fp)];
  if (!slot.empty()) return false;
  slot = fp;
  ++size_;
  return true;
}

void MessageIdSet::Grow() {
  std::vector<Fingerprint> old;
  old.swap(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Fingerprint{});
  for (const Fingerprint& fp : old)
    if (!fp.empty()) slots_[Find(fp)] = fp;
}

}  // namespace headroom
