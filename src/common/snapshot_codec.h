// SnapshotWriter / SnapshotReader: the compact binary encoding of engine
// snapshots (Engine::SaveSnapshot / LoadSnapshot) and of whatever a caller
// appends around them (the Ingestor adds the attributor's links, input/attributor.h). No I/O:
// bytes in a std::string out, a string_view in.
//
// Encoding: unsigned integers as LEB128 varints, signed ones zig-zagged first,
// doubles as their 8 IEEE-754 bytes (bit-exact, little-endian), strings as a
// varint length then the bytes, booleans as one byte 0/1. No field names: the
// reader must read exactly what the writer wrote, in order, so every layout
// change bumps the format version of its producer.
//
// Contract (reader): every read is bounds-checked. Reading past the end, a
// varint longer than 10 bytes, a boolean other than 0/1, or a count larger
// than the bytes left (Count: each element takes at least one byte) throws
// SnapshotCorrupt naming what was being read — never undefined behaviour, never
// an allocation sized by an unchecked count. Callers turn SnapshotCorrupt into
// a FieldError at their boundary (it never crosses a public API).
// Not thread-safe; a reader does not own the bytes it reads.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace headroom {

class SnapshotCorrupt : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SnapshotWriter {
 public:
  void U64(uint64_t v);
  void I64(int64_t v);       // zig-zag
  void F64(double v);        // bit-exact
  void Fixed64(uint64_t v);  // 8 bytes, little-endian
  void Bool(bool b) { out_.push_back(b ? '\1' : '\0'); }
  void Str(std::string_view s);
  void Raw(std::string_view bytes) { out_.append(bytes); }
  template <typename T, typename Fn>
  void Opt(const std::optional<T>& v, Fn&& put) {
    Bool(v.has_value());
    if (v) put(*v);
  }

  const std::string& bytes() const { return out_; }
  std::string Take() { return std::move(out_); }
  size_t size() const { return out_.size(); }

 private:
  std::string out_;
};

class SnapshotReader {
 public:
  explicit SnapshotReader(std::string_view bytes) : p_(bytes) {}

  uint64_t U64(const char* what);
  int64_t I64(const char* what);
  // A U64 that must fit in an int and lie in [lo, hi].
  int Int(const char* what, int lo, int hi);
  double F64(const char* what);
  uint64_t Fixed64(const char* what);
  bool Bool(const char* what);
  std::string Str(const char* what);
  std::string_view Bytes(size_t n, const char* what);
  // An element count: at most the bytes left (each element takes >= 1 byte).
  size_t Count(const char* what);
  template <typename T, typename Fn>
  std::optional<T> Opt(const char* what, Fn&& get) {
    if (!Bool(what)) return std::nullopt;
    return get();
  }

  size_t remaining() const { return p_.size() - pos_; }
  // The bytes not read yet, consumed (a nested blob that ends the buffer).
  std::string_view Rest() {
    const std::string_view rest = p_.substr(pos_);
    pos_ = p_.size();
    return rest;
  }
  bool at_end() const { return pos_ == p_.size(); }
  [[noreturn]] void Fail(const char* what, const char* rule) const;

 private:
  std::string_view p_;
  size_t pos_ = 0;
};

// A 64-bit checksum of `bytes` (word-wise multiply-xorshift): the snapshot checksum (detects a
// damaged blob before decoding it; decoding stays bounds-checked regardless).
uint64_t SnapshotChecksum(std::string_view bytes);

}  // namespace headroom
