// OutboxWriter: the Ingestor's effect listener (Ingestor::set_effect_listener).
// For every effect it writes one outbox row per configured endpoint that
// subscribes to the effect's type, through the ingestor's own Store, so the
// rows commit (or roll back) in the same SQLite transaction as the state
// change that produced the effect (SPEC 5 "durable outbox").
//
// * Idempotent: INSERT OR IGNORE on (effect id, endpoint); a rebuild or a
//   replay re-emits effects with the same ids and adds nothing.
// * History imports: an effect whose time `at` is more than
//   delivery.skip_older_than before the wall clock (at the moment it is
//   written) gets state 'skipped' and is never sent.
// * A pending row's first attempt is due at now + retry_delays[0].
//
// Not thread-safe; runs on the ingesting thread. Config and Store must outlive
// it. Throws StoreError (the ingest transaction then rolls back).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "config/config.h"
#include "delivery/clock.h"
#include "delivery/endpoint.h"
#include "delivery/outbox.h"
#include "engine/views.h"
#include "store/store.h"

namespace headroom {

class OutboxWriter {
 public:
  OutboxWriter(const Config& config, Store& store, Clock clock = SystemClock());

  // The listener body: writes the effect's rows.
  void Write(const Effect& e);

  uint64_t pending_written() const { return pending_; }
  uint64_t skipped_written() const { return skipped_; }

 private:
  const Config& config_;
  Store& store_;
  Clock clock_;
  std::vector<Endpoint> endpoints_;
  std::unique_ptr<Outbox> outbox_;  // created only when there are endpoints
  uint64_t pending_ = 0;
  uint64_t skipped_ = 0;
};

}  // namespace headroom
