// The webhook API handlers as plain functions (the HTTP server mounts them):
//   GET  /v1/webhooks/dead              -> DeadLetters
//   POST /v1/webhooks/dead/{id}/retry   -> RetryDead
//   GET  /v1/webhooks/stats             -> Stats
// Each takes the caller's Store (any connection; one thread at a time) and
// returns the HTTP status and JSON body. Bodies are documented in
// docs/WEBHOOKS.md. Errors use the "<field>: <rule>" vocabulary.
#pragma once

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "config/config.h"
#include "store/store.h"

namespace headroom {

struct ApiResponse {
  int status = 200;
  nlohmann::json body;
};

// 200: array of dead rows (OutboxRowJson), most recent failure first, at most `limit`.
ApiResponse DeadLetters(Store& store, int64_t limit = 1000);

// 200: the row, now pending and due at `now` (one more attempt; if it fails
// it is dead again). 404 when no dead row has this id; 400 when `id` is not
// an integer. Call DeliveryService::Notify() afterwards to send it at once.
ApiResponse RetryDead(Store& store, std::string_view id, TimeMs now);

// 200: one object per configured endpoint, in config order:
// {index, url, format, events, pending, retrying, delivered, dead, skipped,
//  last_error, last_error_at}; plus rows of endpoints no longer configured
// ("orphaned": true).
ApiResponse Stats(Store& store, const Config& config);

}  // namespace headroom
