// Credentials (SPEC 6.1): Segment write keys (HTTP Basic user with an empty
// password, or `writeKey` in the body) and bearer API tokens. Every comparison
// runs in time independent of where the strings differ; keys are never logged.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace headroom::server {

// Constant-time for equal lengths; different lengths compare the candidate
// against itself so the time does not depend on the stored key's content.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

class KeySet {
 public:
  explicit KeySet(std::vector<std::string> keys) : keys_(std::move(keys)) {}
  // Compares against every key (no early exit).
  bool Contains(std::string_view candidate) const;

 private:
  std::vector<std::string> keys_;
};

// The user of "Basic base64(user:password)"; nullopt when not Basic or malformed.
std::optional<std::string> BasicUser(std::string_view authorization);
// The token of "Bearer <token>"; nullopt otherwise.
std::optional<std::string> BearerToken(std::string_view authorization);

}  // namespace headroom::server
