// Standard Webhooks signing (https://www.standardwebhooks.com/) with OpenSSL:
// base64, HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>", and the
// stable webhook-id of an effect (SPEC 3.7 rule 35). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace headroom {

// Standard base64 with padding (EVP_EncodeBlock).
std::string Base64Encode(std::string_view bytes);
// Standard base64; padding optional. nullopt when `text` is not base64.
std::optional<std::string> Base64Decode(std::string_view text);

// Raw 32-byte HMAC-SHA256 of `message` under `key`.
std::string HmacSha256(std::string_view key, std::string_view message);

// The HMAC key of a secret "whsec_<base64>" (the prefix is optional, as in the
// Standard Webhooks libraries). Error names "secret" when it is not base64.
Result<std::string> WebhookKey(std::string_view secret);

// "v1,<base64 HMAC-SHA256(key, id + '.' + timestamp + '.' + body)>".
// `timestamp` is unix seconds, as sent in the webhook-timestamp header.
Result<std::string> SignWebhook(std::string_view secret, std::string_view webhook_id,
                                int64_t timestamp, std::string_view body);

// The webhook-id of an effect: "msg_" + the first 32 hex digits of
// SHA-256(effect id). The effect id is "<type>:<subject>:<ISO time>" (engine),
// so a rebuild or restart reproduces it; the same effect sent to several
// endpoints carries the same webhook-id (one message, several deliveries).
std::string WebhookIdFor(std::string_view effect_id);

}  // namespace headroom
