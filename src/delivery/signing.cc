#include "delivery/signing.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

namespace headroom {

namespace {
constexpr std::string_view kSecretPrefix = "whsec_";

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), Bytes(bytes),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  std::string padded(text);
  while (padded.size() % 4 != 0) padded.push_back('=');
  for (char c : padded) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/' || c == '=';
    if (!ok) return std::nullopt;
  }
  std::string out(padded.size() / 4 * 3 + 1, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), Bytes(padded),
                                static_cast<int>(padded.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the bytes the padding stands for (NOTES): drop them.
  size_t pad = 0;
  for (size_t i = padded.size(); i > 0 && padded[i - 1] == '=' && pad < 2; --i) ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), Bytes(message), message.size(),
       md.data(), &len);
  return std::string(reinterpret_cast<const char*>(md.data()), len);
}

Result<std::string> WebhookKey(std::string_view secret) {
  if (secret.substr(0, kSecretPrefix.size()) == kSecretPrefix)
    secret.remove_prefix(kSecretPrefix.size());
  auto key = Base64Decode(secret);
  if (!key || key->empty()) return FieldError{"secret", "must be whsec_ followed by base64"};
  return std::move(*key);
}

Result<std::string> SignWebhook(std::string_view secret, std::string_view webhook_id,
                                int64_t timestamp, std::string_view body) {
  auto key = WebhookKey(secret);
  if (!key.ok()) return key.error();
  std::string message;
  message.reserve(webhook_id.size() + body.size() + 24);
  message.append(webhook_id).append(".").append(std::to_string(timestamp)).append(".");
  message.append(body);
  return "v1," + Base64Encode(HmacSha256(*key, message));
}

std::string WebhookIdFor(std::string_view effect_id) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_Digest(effect_id.data(), effect_id.size(), md.data(), &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "msg_";
  for (unsigned int i = 0; i < 16 && i < len; ++i) {
    id.push_back(kHex[md[i] >> 4]);
    id.push_back(kHex[md[i] & 0xf]);
  }
  return id;
}

}  // namespace headroom
