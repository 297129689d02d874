#include "ingest/ingestor.h"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "common/snapshot_codec.h"
#include "engine/json.h"
#include "ingest/series_recorder.h"

namespace headroom {

namespace {

template <typename... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <typename... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

constexpr std::string_view kFingerprintKey = "rules_fingerprint";
constexpr std::string_view kDerivedSeqKey = "derived_seq";
constexpr std::string_view kSnapshotMagic = "HRSNAPSH";
static_assert(Engine::kSnapshotFormat == 8,
              "the engine's snapshot layout changed: bump Ingestor::kSnapshotFormat too");

}  // namespace

std::string InputTypeName(const Input& in) {
  switch (in.type) {
    case MessageType::kTrack: return "track";
    case MessageType::kPage: return "page";
    case MessageType::kScreen: return "screen";
    case MessageType::kIdentify: return "identify";
    case MessageType::kGroup: return "group";
    case MessageType::kAlias: return "alias";
    case MessageType::kClock: return "clock";
    case MessageType::kRecord: break;
  }
  return std::visit(Overloaded{
                        [](const AccountRecord&) { return "record:account"; },
                        [](const OwnerRecord&) { return "record:owner"; },
                        [](const ContractRecord&) { return "record:contract"; },
                        [](const TicketRecord&) { return "record:ticket"; },
                        [](const TouchRecord&) { return "record:touch"; },
                        [](const OpportunityRecord&) { return "record:opportunity"; },
                        [](const RevenueRecord&) { return "record:revenue"; },
                        [](const ReleaseRecord&) { return "record:release"; },
                        [](const auto&) { return "record:?"; },
                    },
                    in.body);
}

std::string RecordKey(const Input& in) {
  return std::visit(
      Overloaded{
          [&](const AccountRecord&) { return in.account_id; },
          [](const OwnerRecord& r) { return r.owner_id; },
          [&](const ContractRecord&) { return in.account_id; },
          [](const TicketRecord& r) { return r.ticket_id; },
          [](const TouchRecord& r) { return r.touch_id.value_or(""); },
          [](const OpportunityRecord& r) { return r.opportunity_id; },
          [&](const RevenueRecord& r) { return in.account_id + "|" + FormatIsoTime(r.at); },
          [](const ReleaseRecord& r) { return r.feature; },
          [](const auto&) { return std::string(); },
      },
      in.body);
}

// Rows produced on the ingest thread, written by WriteBatchNow or the writer
// thread. Documents are kept as JSON trees: serialising them is the writer's.
struct Ingestor::Batch {
  struct Record {
    uint64_t seq;
    std::string type, key, account_id;
    int64_t time;
    size_t input;  // index in `inputs`: the raw text is the input's
  };
  struct AccountRow {
    std::string id;
    double score;
    std::string route;
    nlohmann::json summary, detail;
  };
  struct SignalRow {
    std::string id, account_id, status, owner;
    int64_t created_at;
    nlohmann::json doc;
  };
  struct FiringRow {
    std::string account_id, trigger;
    int64_t fired_at;
    nlohmann::json doc;
  };
  std::vector<Store::LoggedInput> inputs;
  std::vector<Record> records;
  std::vector<SeriesRecorder::Point> series;  // midnights crossed by these inputs
  std::vector<AccountRow> accounts;
  std::vector<SignalRow> signals;
  std::vector<FiringRow> firings;
  std::optional<MessageIdDedup::Run> id_run;  // messageIds of these and earlier rows

  // Inserts every row (the connection locked by the caller): log rows, the
  // daily series, the messageId run, then accounts, signals, firings.
  void WriteTo(Store& store, SeriesRecorder& recorder, MessageIdRuns& runs) const {
    for (const auto& in : inputs) store.AppendInput(in);
    if (id_run) runs.Append(id_run->number, id_run->through_seq, *id_run->ids);
    for (const auto& r : records)
      store.AppendRecord(r.seq, r.type, r.key, r.account_id, r.time, inputs[r.input].raw);
    recorder.Write(series);
    for (const auto& a : accounts) store.PutAccount(a.id, a.score, a.route, a.summary, a.detail);
    for (const auto& x : signals)
      store.PutSignal(x.id, x.account_id, x.status, x.owner, x.created_at, x.doc);
    for (const auto& f : firings) store.PutFiring(f.account_id, f.trigger, f.fired_at, f.doc);
  }
  void Clear() {
    inputs.clear();
    records.clear();
    series.clear();
    accounts.clear();
    signals.clear();
    firings.clear();
    id_run.reset();
  }
};

// One thread, one batch at a time: inserts it into the open transaction (or
// a new one) and commits, holding the connection's mutex throughout.
class Ingestor::Writer {
 public:
  Writer(Store& store, SeriesRecorder& recorder, MessageIdRuns& runs)
      : store_(store), recorder_(recorder), runs_(runs), thread_([this] { Run(); }) {}
  ~Writer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();  // finishes the batch in flight first
  }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void Submit(std::unique_ptr<Batch> batch) {
    {
      std::lock_guard lock(mu_);
      job_ = std::move(batch);
    }
    cv_.notify_all();
  }

  // Waits until no batch is in flight; rethrows the last batch's failure.
  void Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !job_; });
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stop_ || job_; });
      if (!job_) return;
      Batch* batch = job_.get();
      lock.unlock();
      std::exception_ptr error;
      try {
        std::lock_guard db(store_.database().mutex());
        try {
          if (!store_.InTransaction()) store_.Begin();
          batch->WriteTo(store_, recorder_, runs_);
          store_.Commit();
        } catch (...) {
          if (store_.InTransaction()) store_.Rollback();
          throw;
        }
      } catch (...) {
        error = std::current_exception();
      }
      batch->Clear();  // frees the rows on this thread
      lock.lock();
      job_.reset();
      error_ = error;
      cv_.notify_all();
    }
  }

  Store& store_;
  SeriesRecorder& recorder_;
  MessageIdRuns& runs_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::unique_ptr<Batch> job_;  // the batch in flight, null when idle
  std::exception_ptr error_;
  bool stop_ = false;
  std::thread thread_;  // last: started after the members above exist
};

Ingestor::Ingestor(const Config& config, Store& store)
    : config_(config),
      store_(store),
      engine_(std::make_unique<Engine>(config)),
      parser_(engine_->property_interest()),
      series_(std::make_unique<SeriesRecorder>(store)),
      batch_(std::make_unique<Batch>()) {
  snapshots_ = std::make_unique<SnapshotStore>(store.database());
  id_runs_ = std::make_unique<MessageIdRuns>(store.database());
  set_message_id_limits({});
}

void Ingestor::set_message_id_limits(const MessageIdDedup::Limits& limits) {
  // Disk lookups read committed runs on a connection of their own.
  message_ids_ = std::make_unique<MessageIdDedup>(limits, [this] {
    return Store::Open(std::filesystem::path(store_.path()).parent_path().string(),
                       config_.storage.synchronous);
  });
  message_ids_loaded_ = false;
}

Ingestor::~Ingestor() {
  try {
    writer_.reset();  // joins; a failure nobody asked for is dropped
  } catch (...) {
  }
}

bool Ingestor::Open(bool force_rebuild, const Progress& progress) {
  last_seq_ = store_.LastSeq();
  const auto fingerprint = store_.GetMeta(kFingerprintKey);
  const auto derived = store_.GetMeta(kDerivedSeqKey);
  // Derived rows lag the log only if written by another version; recompute.
  uint64_t derived_seq = last_seq_;
  if (derived) {
    try {
      derived_seq = std::stoull(*derived);
    } catch (const std::exception&) {
      derived_seq = last_seq_ + 1;  // unreadable: recompute
    }
  }
  // Derived rows may lag the log after a crash of a server that commits the
  // log more often than the derived rows (CommitLog): catch up by persisting
  // what the inputs after derived_seq change. Anything else: recompute.
  const bool rebuild = force_rebuild || series_->NeedsRebuild() ||
                       (fingerprint && *fingerprint != config_.rules_fingerprint) ||
                       derived_seq > last_seq_;
  const uint64_t track_after = rebuild ? 0 : derived_seq;
  for (const auto& q : store_.Quarantine(-1)) quarantined_.insert(q.value("raw", ""));
  open_stats_ = OpenStats{};
  open_stats_.rebuilt = rebuild;
  if (rebuild) {
    EnsureTransaction();
    store_.ClearDerived();
    series_->Clear();
    snapshots_->Clear();
  }
  const uint64_t after_seq = rebuild ? 0 : LoadSnapshot(derived_seq);
  if (!message_ids_loaded_) {  // a snapshot start loads them beside its decode
    sealed_seq_ = message_ids_->Load(*id_runs_);
    message_ids_loaded_ = true;
  }
  engine_->set_track_changes(rebuild);
  Replay(rebuild, progress, track_after, after_seq);
  engine_->set_track_changes(true);
  Flush();
  return rebuild;
}

void Ingestor::Replay(bool persist, const Progress& progress, uint64_t track_after,
                      uint64_t after_seq) {
  const uint64_t total = last_seq_ > after_seq ? last_seq_ - after_seq : 0;
  uint64_t done = 0;
  bool tracking = persist;
  store_.ForEachInput(after_seq, [&](const Store::LoggedInput& logged) {
    ++done;
    ++open_stats_.replayed;
    if (!tracking && logged.seq > track_after) {
      engine_->set_track_changes(true);
      tracking = true;
    }
    if (logged.seq > sealed_seq_ && !logged.message_id.empty())
      message_ids_->AddRecent(logged.message_id);
    if (logged.type.rfind("record:", 0) == 0) record_lines_.Insert(logged.raw);
    if (tracking) series_->AdvanceTo(*engine_, logged.time, batch_->series);
    if (logged.type == "clock") {
      engine_->AdvanceTo(logged.time);
    } else {
      Input& in = input_;  // reused: its strings keep their capacity
      if (std::optional<FieldError> bad = parser_.Parse(logged.raw, in)) {
        throw std::runtime_error("input log row " + std::to_string(logged.seq) +
                                 " no longer parses: " + bad->ToString());
      }
      in.seq = logged.seq;
      in.account_id = logged.account_id;  // attribution is fixed when stored (rule 4)
      if (in.type == MessageType::kGroup) attributor_.AddGroup(in);
      engine_->Apply(in);
    }
    if (persist && done % kFlushEvery == 0) {
      const EngineChanges changes = engine_->TakeChanges();
      WriteEffects(changes.effects);
      WriteBatchNow();
      WriteChangesNow(changes);
      store_.Commit();
      store_.Begin();
    }
    if (progress && (done % 65536 == 0 || done == total)) progress(done, total);
  });
}

uint64_t Ingestor::LoadSnapshot(uint64_t derived_seq) {
  std::optional<StoredSnapshot> snap = snapshots_->Latest();
  if (!snap) return 0;
  const auto ignore = [&](const std::string& why) -> uint64_t {
    open_stats_.snapshot_error = why;
    std::cerr << "headroom: warning: ignoring the snapshot at seq " << snap->seq << " (" << why
              << "); replaying the whole log\n";
    return 0;
  };
  if (snap->format != kSnapshotFormat)
    return ignore("format " + std::to_string(snap->format) + ", expected " +
                  std::to_string(kSnapshotFormat));
  if (snap->rules_fingerprint != config_.rules_fingerprint) return ignore("taken with other rules");
  if (snap->seq == 0 || snap->seq > last_seq_ || snap->seq > derived_seq)
    return ignore("newer than the stored log");
  const std::string_view body = snap->body;
  if (body.size() < kSnapshotMagic.size() + 8) return ignore("truncated");
  const std::string_view covered = body.substr(0, body.size() - 8);
  SnapshotReader sum_reader(body.substr(covered.size()));
  if (SnapshotChecksum(covered) != sum_reader.Fixed64("checksum"))
    return ignore("checksum mismatch");
  // The dedupe sets, as a replay of rows 1..seq would have filled them (the
  // replay of the rows after seq adds theirs again: no effect), are read from
  // the log on a second connection while this thread decodes the snapshot:
  // the message-id scan reads the whole `inputs` table. Should the snapshot
  // turn out unusable, the full replay inserts the same ids again.
  std::exception_ptr fill_error;
  std::thread fill([&] {
    try {
      auto reader = Store::Open(std::filesystem::path(store_.path()).parent_path().string(),
                                config_.storage.synchronous);
      MessageIdRuns runs(reader->database());
      sealed_seq_ = message_ids_->Load(runs);
      reader->ForEachMessageId(sealed_seq_,
                               [&](std::string_view id) { message_ids_->AddRecent(id); });
      message_ids_loaded_ = true;
      reader->ForEachRecordLine([&](std::string_view raw) { record_lines_.Insert(raw); });
    } catch (...) {
      fill_error = std::current_exception();
    }
  });
  struct Join {
    std::thread& t;
    ~Join() {
      if (t.joinable()) t.join();
    }
  } join{fill};
  Attributor attributor;
  try {
    SnapshotReader r(covered);
    if (r.Bytes(kSnapshotMagic.size(), "magic") != kSnapshotMagic) return ignore("not a snapshot");
    if (r.U64("format") != kSnapshotFormat) return ignore("format differs from its row");
    if (r.U64("seq") != snap->seq) return ignore("seq differs from its row");
    if (r.Str("rules fingerprint") != snap->rules_fingerprint)
      return ignore("rules fingerprint differs from its row");
    attributor.LoadSnapshot(r);
    Result<SnapshotStats> loaded = engine_->LoadSnapshot(r.Rest());
    if (!loaded.ok()) return ignore(loaded.error().ToString());
  } catch (const SnapshotCorrupt& e) {
    return ignore(e.what());
  }
  attributor_ = std::move(attributor);
  fill.join();
  if (fill_error) std::rethrow_exception(fill_error);
  open_stats_.snapshot_seq = snapshot_seq_ = snap->seq;
  return snap->seq;
}

uint64_t Ingestor::SaveSnapshot() {
  Flush();
  if (last_seq_ == 0) return 0;
  if (snapshot_seq_ == last_seq_) return last_seq_;
  SnapshotWriter w;
  w.Raw(kSnapshotMagic);
  w.U64(kSnapshotFormat);
  w.U64(last_seq_);
  w.Str(config_.rules_fingerprint);
  attributor_.SaveSnapshot(w);
  engine_->SaveSnapshot(w);
  const uint64_t sum = SnapshotChecksum(w.bytes());
  w.Fixed64(sum);
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  EnsureTransaction();
  snapshots_->Put(last_seq_, config_.rules_fingerprint, kSnapshotFormat, now, w.bytes());
  store_.Commit();
  snapshot_seq_ = last_seq_;
  return last_seq_;
}

void Ingestor::EnsureTransaction() {
  if (!store_.InTransaction()) store_.Begin();
}

void Ingestor::SyncWriter() {
  if (writer_) writer_->Wait();
}

void Ingestor::Quarantine(std::string_view text, std::string_view source, int64_t line,
                          std::string_view reason) {
  SyncWriter();
  EnsureTransaction();
  // A line rejected before (e.g. by a re-import) is not quarantined twice.
  if (quarantined_.insert(std::string(text)).second)
    store_.AppendQuarantine(source, line, text, reason, last_seq_);
  ++counts_.quarantined;
}

namespace {

std::optional<FieldError> CheckKind(const Input& in, const IngestChecks& checks) {
  const bool record = in.type == MessageType::kRecord;
  if (record && !checks.records)
    return FieldError{"type",
                      "must be a Segment message type (track, identify, group, page, screen, "
                      "alias)"};
  if (!record && !checks.messages)
    return FieldError{"type",
                      "must be a record type (account, owner, contract, ticket, touch, "
                      "opportunity, revenue, release)"};
  if (checks.not_after && in.time > *checks.not_after)
    return FieldError{"timestamp", "in the future"};
  return std::nullopt;
}

}  // namespace

IngestOutcome Ingestor::Ingest(std::string_view text, std::string_view source, int64_t line,
                               std::string* error, const IngestChecks& checks) {
  Input& in = input_;  // reused: its strings keep their capacity
  std::optional<FieldError> rejected = parser_.Parse(text, in);
  if (!rejected) rejected = CheckKind(in, checks);
  if (rejected) {
    const std::string reason = rejected->ToString();
    Quarantine(text, source, line, reason);
    if (error) *error = reason;
    return IngestOutcome::kQuarantined;
  }
  // Rule 3: a repeated messageId is ignored entirely; records are upserts, and
  // an identical record line changes nothing (rule 6), so it is skipped too.
  if (in.type == MessageType::kRecord) {
    if (!record_lines_.Insert(text)) {
      ++counts_.duplicates;
      ++unsaved_duplicates_;
      return IngestOutcome::kDuplicate;
    }
  } else if (!in.message_id.empty() && !message_ids_->Insert(in.message_id)) {
    ++counts_.duplicates;
    ++unsaved_duplicates_;
    return IngestOutcome::kDuplicate;
  }
  attributor_.Attribute(in);
  if (in.type == MessageType::kGroup) attributor_.AddGroup(in);
  in.seq = ++last_seq_;
  std::string type = InputTypeName(in);
  if (in.type == MessageType::kRecord)
    batch_->records.push_back(
        {in.seq, type.substr(7), RecordKey(in), in.account_id, in.time, batch_->inputs.size()});
  batch_->inputs.push_back(
      {in.seq, std::move(type), in.time, in.account_id, in.message_id, std::string(text)});
  series_->AdvanceTo(*engine_, in.time, batch_->series);
  engine_->Apply(in);
  ++counts_.stored;
  if (++pending_ >= flush_every_) {
    if (++flushes_without_documents_ >= documents_every_)
      FlushBatch(/*pipelined=*/true);
    else
      FlushLogPipelined();
  }
  return IngestOutcome::kStored;
}

bool Ingestor::AdvanceClock(TimeMs now) {
  const auto next = engine_->NextEvaluationPoint();
  if (!next || now < *next) return false;
  SyncWriter();
  EnsureTransaction();
  const uint64_t seq = ++last_seq_;
  std::string raw = "{\"type\":\"clock\",\"timestamp\":\"" + FormatIsoTime(now) + "\"}";
  batch_->inputs.push_back({seq, "clock", now, "", "", std::move(raw)});
  series_->AdvanceTo(*engine_, now, batch_->series);
  engine_->AdvanceTo(now);
  ++pending_;
  return true;
}

void Ingestor::CollectChanges(const EngineChanges& changes) {
  for (const std::string& id : changes.accounts) {
    const auto view = engine_->Account(id);
    const Signal* signal = view->signal_id ? engine_->FindSignal(*view->signal_id) : nullptr;
    batch_->accounts.push_back({id, view->score, view->route, AccountSummaryJson(*view),
                                AccountDetailJson(*view, signal)});
  }
  for (const std::string& id : changes.signals) {
    const Signal* s = engine_->FindSignal(id);
    batch_->signals.push_back(
        {id, s->account_id, SignalStatusName(s->status), s->owner, s->created_at, ToJson(*s)});
  }
  for (const Firing& f : changes.firings)
    batch_->firings.push_back({f.account_id, f.trigger, f.fired_at, ToJson(f)});
}

void Ingestor::WriteChangesNow(const EngineChanges& changes) {
  for (const std::string& id : changes.accounts) {
    const auto view = engine_->Account(id);
    const Signal* signal = view->signal_id ? engine_->FindSignal(*view->signal_id) : nullptr;
    store_.PutAccount(id, view->score, view->route, AccountSummaryJson(*view),
                      AccountDetailJson(*view, signal));
  }
  for (const std::string& id : changes.signals) {
    const Signal* s = engine_->FindSignal(id);
    store_.PutSignal(id, s->account_id, SignalStatusName(s->status), s->owner, s->created_at,
                     ToJson(*s));
  }
  for (const Firing& f : changes.firings)
    store_.PutFiring(f.account_id, f.trigger, f.fired_at, ToJson(f));
}

void Ingestor::WriteEffects(const std::vector<Effect>& effects) {
  for (const Effect& e : effects) {
    store_.AppendEffect(e.id, e.type, e.at, e.account_id, e.data);
    if (effect_listener_) effect_listener_(e);
  }
}

void Ingestor::SealMessageIds() {
  if (auto run = message_ids_->Seal(last_seq_)) batch_->id_run = std::move(run);
}

void Ingestor::WriteBatchNow() {
  batch_->WriteTo(store_, *series_, *id_runs_);
  batch_->Clear();
}

void Ingestor::CommitLog() {
  SyncWriter();
  SealMessageIds();
  if (!batch_->inputs.empty() || batch_->id_run) {  // log rows only: documents are built by a flush
    EnsureTransaction();
    WriteBatchNow();
  }
  if (store_.InTransaction()) store_.Commit();
}

void Ingestor::FlushBatch(bool pipelined) {
  // The documents read the engine: built here, while the writer may still be
  // busy (pipelined), or one at a time as they are written (not pipelined: a
  // server's flush of every account changed in a second stays one document big).
  const EngineChanges changes = engine_->TakeChanges();
  if (pipelined) CollectChanges(changes);
  SyncWriter();
  SealMessageIds();
  EnsureTransaction();
  WriteEffects(changes.effects);
  if (unsaved_duplicates_)
    store_.AddCounter("duplicates", static_cast<int64_t>(unsaved_duplicates_));
  store_.SetMeta(kFingerprintKey, config_.rules_fingerprint);
  store_.SetMeta(kDerivedSeqKey, std::to_string(last_seq_));
  if (pipelined) {
    SubmitBatch();
  } else {
    WriteBatchNow();
    WriteChangesNow(changes);
    store_.Commit();
  }
  unsaved_duplicates_ = 0;
  pending_ = 0;
  flushes_without_documents_ = 0;
}

void Ingestor::FlushLogPipelined() {
  SyncWriter();  // quarantine rows written meanwhile commit with the batch
  SealMessageIds();
  SubmitBatch();
  pending_ = 0;
}

void Ingestor::SubmitBatch() {
  if (!writer_) writer_ = std::make_unique<Writer>(store_, *series_, *id_runs_);
  auto next = std::make_unique<Batch>();
  next->inputs.reserve(flush_every_);
  writer_->Submit(std::exchange(batch_, std::move(next)));
}

void Ingestor::Flush() { FlushBatch(/*pipelined=*/false); }

}  // namespace headroom
