#include "server/gzip.h"

#include <zlib.h>

#include <algorithm>

namespace headroom::server {

GunzipStatus Gunzip(std::string_view in, size_t cap, std::string& out) {
  out.clear();
  z_stream zs{};
  // 32 + MAX_WBITS: accept gzip and zlib headers.
  if (inflateInit2(&zs, 32 + MAX_WBITS) != Z_OK) return GunzipStatus::kCorrupt;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  char chunk[16384];
  GunzipStatus status = GunzipStatus::kCorrupt;
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    const size_t produced = sizeof chunk - zs.avail_out;
    if (out.size() + produced > cap) {
      status = GunzipStatus::kTooLarge;
      break;
    }
    out.append(chunk, produced);
    if (rc == Z_STREAM_END) {
      status = GunzipStatus::kOk;
      break;
    }
    if (rc != Z_OK) break;  // Z_BUF_ERROR here means a truncated stream
    if (zs.avail_in == 0 && produced == 0) break;
  }
  inflateEnd(&zs);
  if (status != GunzipStatus::kOk) out.clear();
  return status;
}

}  // namespace headroom::server
