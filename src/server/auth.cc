#include "server/auth.h"

#include <cctype>

#include <boost/beast/core/detail/base64.hpp>

namespace headroom::server {

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  const std::string_view other = a.size() == b.size() ? b : a;
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ other[i]);
  return diff == 0;
}

bool KeySet::Contains(std::string_view candidate) const {
  bool found = false;
  for (const std::string& key : keys_) found |= ConstantTimeEquals(candidate, key);
  return found && !candidate.empty();
}

namespace {

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> BasicUser(std::string_view authorization) {
  if (!StartsWithNoCase(authorization, "basic ")) return std::nullopt;
  const std::string_view b64 = Trim(authorization.substr(6));
  namespace b = boost::beast::detail::base64;
  // Beast's decoded_size is n / 4 * 3, but decode also writes the 1-2 bytes of
  // a trailing partial quantum: room for whole quanta (a heap overflow found
  // by tests/fuzz/fuzz_http_ingest).
  std::string decoded((b64.size() + 3) / 4 * 3, '\0');
  const auto [written, read] = b::decode(decoded.data(), b64.data(), b64.size());
  if (b64.find_first_not_of('=', read) != std::string_view::npos) return std::nullopt;
  decoded.resize(written);
  const auto colon = decoded.find(':');
  return colon == std::string::npos ? decoded : decoded.substr(0, colon);
}

std::optional<std::string> BearerToken(std::string_view authorization) {
  if (!StartsWithNoCase(authorization, "bearer ")) return std::nullopt;
  const std::string_view token = Trim(authorization.substr(7));
  if (token.empty()) return std::nullopt;
  return std::string(token);
}

}  // namespace headroom::server
