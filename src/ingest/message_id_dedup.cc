#include "ingest/message_id_dedup.h"

#include <algorithm>

namespace headroom {

MessageIdDedup::MessageIdDedup(Limits limits, std::function<std::unique_ptr<Store>()> open_lookup)
    : limits_(limits), open_lookup_(std::move(open_lookup)), filter_(limits.filter_capacity) {}

MessageIdDedup::~MessageIdDedup() {
  lookup_runs_.reset();  // its statement before the connection
  lookup_store_.reset();
}

uint64_t MessageIdDedup::Load(MessageIdRuns& runs) {
  uint64_t through = 0;
  for (const MessageIdRunInfo& r : runs.Runs()) {
    through = std::max(through, r.through_seq);
    runs_ = std::max(runs_, r.run);
  }
  runs.ForEach([&](const MessageIdFingerprint& fp) { filter_.Insert(fp); });
  return through;
}

bool MessageIdDedup::InStoredRuns(const MessageIdFingerprint& fp) {
  if (last_run_ && std::binary_search(last_run_->begin(), last_run_->end(), fp)) return true;
  // The last run may not be committed yet: it was searched in memory above.
  const uint64_t committed = last_run_ ? runs_ - 1 : runs_;
  if (committed == 0 || (limits_.filter && !filter_.MayContain(fp))) return false;
  ++disk_lookups_;
  if (!lookup_runs_) {
    lookup_store_ = open_lookup_();
    // A lookup reads a few pages per run; the Store's default 32 MB cache would
    // only grow the process as lookups wander over the runs.
    lookup_store_->database().Exec("PRAGMA cache_size = -1024");
    lookup_runs_ = std::make_unique<MessageIdRuns>(lookup_store_->database());
  }
  return lookup_runs_->Contains(fp, committed);
}

bool MessageIdDedup::Insert(std::string_view id) {
  const MessageIdFingerprint fp = MessageIdSet::Of(id);
  if (recent_.Contains(fp) || InStoredRuns(fp)) return false;
  recent_.Insert(fp);
  return true;
}

std::optional<MessageIdDedup::Run> MessageIdDedup::Seal(uint64_t through_seq) {
  last_run_.reset();
  if (recent_.size() < limits_.recent_ids || recent_.size() == 0) return std::nullopt;
  auto ids = std::make_shared<const std::vector<MessageIdFingerprint>>(recent_.Sorted());
  for (const MessageIdFingerprint& fp : *ids) filter_.Insert(fp);
  // Keep the table for the next ids unless it grew far past the limit (a
  // store without runs loads every id of its log into it once).
  if (recent_.size() > 2 * limits_.recent_ids)
    recent_ = MessageIdSet();
  else
    recent_.Clear();
  last_run_ = ids;
  return Run{++runs_, through_seq, std::move(ids)};
}

MessageIdDedup::Stats MessageIdDedup::stats() const {
  Stats s;
  s.recent = recent_.size();
  s.stored = filter_.size();
  s.runs = runs_;
  s.disk_lookups = disk_lookups_;
  s.memory_bytes = recent_.memory_bytes() + filter_.memory_bytes() +
                   (last_run_ ? last_run_->capacity() * sizeof(MessageIdFingerprint) : 0);
  return s;
}

}  // namespace headroom
