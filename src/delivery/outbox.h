// Outbox: the durable table of webhook deliveries, in the same SQLite file as
// the engine's state (<data>/headroom.db, table `outbox`, schema in
// docs/WEBHOOKS.md). One row per (effect, subscribed endpoint).
//
// Row states:
//   pending   --2xx-->                      delivered
//   pending   --failure, attempts < N-->    pending (next_attempt_at = now + delay)
//   pending   --failure, attempts >= N-->   dead    (N = len(delivery.retry_delays))
//   dead      --RetryDead (manual)-->       pending (one more attempt; fails -> dead)
//   skipped   (effect older than delivery.skip_older_than when written; never sent)
//
// Threading: an Outbox wraps one connection (Database) and belongs to the
// thread that owns that connection. The writer side (OutboxWriter, inside the
// ingest transaction) and the worker side (its own Store) are separate Outbox
// objects over separate connections. Times are UTC ms (wall clock).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "store/sqlite.h"

namespace headroom {

struct OutboxRow {
  int64_t id = 0;  // rowid; the dead-letter API names rows by it
  std::string effect_id;
  int endpoint_index = 0;
  std::string endpoint_url;
  std::string webhook_id;
  std::string type;
  std::string account_id;
  TimeMs effect_at = 0;   // the effect's time (engine clock)
  TimeMs created_at = 0;  // wall clock when the row was written
  std::string state;      // pending | delivered | dead | skipped
  int attempts = 0;
  std::optional<TimeMs> next_attempt_at;  // pending rows only
  std::optional<TimeMs> last_attempt_at;
  std::optional<int> last_status;  // HTTP status of the last attempt, none when no response
  std::optional<std::string> last_error;
  std::optional<TimeMs> delivered_at;
  std::string body;  // the request body; empty for skipped rows
};

// One attempt's outcome, as the worker records it.
struct AttemptResult {
  int64_t id = 0;
  TimeMs at = 0;  // when the attempt finished
  bool ok = false;
  std::optional<int> status;
  std::string error;  // "" when ok
};

struct EndpointStats {
  int index = 0;
  std::string url;
  int64_t pending = 0;   // never attempted
  int64_t retrying = 0;  // pending with at least one failed attempt
  int64_t delivered = 0;
  int64_t dead = 0;
  int64_t skipped = 0;
  std::optional<std::string> last_error;
  std::optional<TimeMs> last_error_at;
};

class Outbox {
 public:
  // Creates the table and its indexes when missing.
  explicit Outbox(Database& db);
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // INSERT OR IGNORE on (effect_id, endpoint_index, endpoint_url): returns
  // false when the row already existed (a rebuild re-emitting the effect).
  bool Insert(const OutboxRow& row);

  // Pending rows of one endpoint with next_attempt_at <= now, oldest due first.
  std::vector<OutboxRow> Due(int endpoint_index, const std::string& url, TimeMs now, int64_t limit);

  // Applies one attempt's outcome to a pending row: delivered when r.ok;
  // else pending again, due at r.at + *next_delay (the caller applied the
  // retry policy and jitter), or dead when next_delay is nullopt.
  void Record(const AttemptResult& r, std::optional<TimeMs> next_delay);

  std::optional<OutboxRow> Get(int64_t id);
  // Dead rows, most recent last attempt first.
  std::vector<OutboxRow> Dead(int64_t limit);
  // dead -> pending due at `now`. false when the row is not dead.
  bool Requeue(int64_t id, TimeMs now);
  // Per (endpoint_index, endpoint_url) present in the table.
  std::vector<EndpointStats> Stats();
  // The earliest next_attempt_at of any pending row.
  std::optional<TimeMs> NextDue();

 private:
  struct Statements;
  Database& db_;
  std::unique_ptr<Statements> st_;
};

// The row as the API shows it (times ISO-8601, no body).
nlohmann::json OutboxRowJson(const OutboxRow& r);

}  // namespace headroom
