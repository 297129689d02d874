#include "common/snapshot_codec.h"

#include <cstring>
#include <limits>

namespace headroom {

void SnapshotWriter::U64(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void SnapshotWriter::I64(int64_t v) {
  U64((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

void SnapshotWriter::Fixed64(uint64_t v) {
  for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void SnapshotWriter::F64(double v) {
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  Fixed64(bits);
}

void SnapshotWriter::Str(std::string_view s) {
  U64(s.size());
  out_.append(s);
}

void SnapshotReader::Fail(const char* what, const char* rule) const {
  throw SnapshotCorrupt(std::string("snapshot: ") + what + ": " + rule + " (at byte " +
                        std::to_string(pos_) + " of " + std::to_string(p_.size()) + ")");
}

uint64_t SnapshotReader::U64(const char* what) {
  uint64_t v = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (pos_ >= p_.size()) Fail(what, "truncated");
    const auto byte = static_cast<uint8_t>(p_[pos_++]);
    if (shift == 63 && byte > 1) Fail(what, "varint overflows 64 bits");
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return v;
  }
  Fail(what, "varint longer than 10 bytes");
}

int64_t SnapshotReader::I64(const char* what) {
  const uint64_t z = U64(what);
  return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
}

int SnapshotReader::Int(const char* what, int lo, int hi) {
  const int64_t v = I64(what);
  if (v < lo || v > hi) Fail(what, "out of range");
  return static_cast<int>(v);
}

uint64_t SnapshotReader::Fixed64(const char* what) {
  const std::string_view b = Bytes(8, what);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v |= static_cast<uint64_t>(static_cast<uint8_t>(b[static_cast<size_t>(i)])) << (8 * i);
  return v;
}

double SnapshotReader::F64(const char* what) {
  const uint64_t bits = Fixed64(what);
  double v = 0;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

bool SnapshotReader::Bool(const char* what) {
  if (pos_ >= p_.size()) Fail(what, "truncated");
  const char c = p_[pos_++];
  if (c != '\0' && c != '\1') Fail(what, "not a boolean");
  return c == '\1';
}

std::string_view SnapshotReader::Bytes(size_t n, const char* what) {
  if (n > remaining()) Fail(what, "truncated");
  const std::string_view out = p_.substr(pos_, n);
  pos_ += n;
  return out;
}

std::string SnapshotReader::Str(const char* what) {
  const uint64_t n = U64(what);
  if (n > remaining()) Fail(what, "string longer than the bytes left");
  return std::string(Bytes(static_cast<size_t>(n), what));
}

size_t SnapshotReader::Count(const char* what) {
  const uint64_t n = U64(what);
  if (n > remaining()) Fail(what, "count larger than the bytes left");
  return static_cast<size_t>(n);
}

uint64_t SnapshotChecksum(std::string_view bytes) {
  // 8 bytes per step (little-endian words, the tail zero-padded), each mixed
  // by a multiply and a shift: fast on 100 MB bodies, sensitive to every bit.
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ bytes.size();
  size_t i = 0;
  const auto mix = [&](uint64_t word) {
    h = (h ^ word) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
  };
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, bytes.data() + i, 8);
    mix(word);
  }
  uint64_t tail = 0;
  for (size_t k = 0; i + k < bytes.size(); ++k)
    tail |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[i + k])) << (8 * k);
  mix(tail);
  return h;
}

}  // namespace headroom
