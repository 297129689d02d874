#include "engine/user_directory.h"

#include <algorithm>
#include <cstring>

namespace headroom {

// A key is its length as a little-endian base-128 varint, then its bytes. An
// address is chunk * kChunkBytes + offset; a key that fits no chunk gets a
// chunk of its own (its address's offset is 0).
uint64_t KeyArena::Append(std::string_view key) {
  unsigned char length[10];
  size_t n = 0;
  for (uint64_t v = key.size();; v >>= 7) {
    length[n++] = static_cast<unsigned char>((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
    if (v < 0x80) break;
  }
  const size_t bytes = n + key.size();
  if (bytes > kChunkBytes - used_) {
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(std::max(bytes, kChunkBytes)));
    used_ = 0;
  }
  char* at = chunks_.back().get() + used_;
  std::memcpy(at, length, n);
  if (!key.empty()) std::memcpy(at + n, key.data(), key.size());
  const uint64_t address = (chunks_.size() - 1) * kChunkBytes + used_;
  // A chunk of its own is full: the next key starts a new chunk.
  used_ = bytes > kChunkBytes ? kChunkBytes : used_ + bytes;
  return address;
}

std::string_view KeyArena::At(uint64_t address) const {
  const auto* p = reinterpret_cast<const unsigned char*>(chunks_[address / kChunkBytes].get() +
                                                         address % kChunkBytes);
  uint64_t length = 0;
  for (int shift = 0;; shift += 7) {
    const unsigned char b = *p++;
    length |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (b < 0x80) break;
  }
  return {reinterpret_cast<const char*>(p), static_cast<size_t>(length)};
}

}  // namespace headroom
