// Gunzip with a cap on the inflated size (SPEC 1.3: limits apply to the
// decompressed body; a gzip bomb must not exhaust memory). zlib.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace headroom::server {

enum class GunzipStatus { kOk, kTooLarge, kCorrupt };

// Inflates a gzip (or zlib) stream into `out`. kTooLarge as soon as the output
// would exceed `cap` bytes (inflation stops there); kCorrupt for anything zlib
// rejects or a truncated stream.
GunzipStatus Gunzip(std::string_view in, size_t cap, std::string& out);

}  // namespace headroom::server
