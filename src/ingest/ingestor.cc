#include "ingest/ingestor.h"

#include <stdexcept>

#include "engine/json.h"

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

Ingestor::Ingestor(const Config& config, Store& store)
    : config_(config),
      store_(store),
      engine_(std::make_unique<Engine>(config)),
      parser_(engine_->property_interest()) {}

Ingestor::~Ingestor() = default;

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
  const bool rebuild = force_rebuild ||
                       (fingerprint && *fingerprint != config_.rules_fingerprint) ||
                       derived_seq > last_seq_;
  const uint64_t track_after = rebuild ? 0 : derived_seq;
  for (const auto& q : store_.Quarantine(-1)) quarantined_.insert(q.value("raw", ""));
  if (rebuild) {
    EnsureTransaction();
    store_.ClearDerived();
  }
  engine_->set_track_changes(rebuild);
  Replay(rebuild, progress, track_after);
  engine_->set_track_changes(true);
  Flush();
  return rebuild;
}

void Ingestor::Replay(bool persist, const Progress& progress, uint64_t track_after) {
  const uint64_t total = last_seq_;
  uint64_t done = 0;
  bool tracking = persist;
  store_.ForEachInput(0, [&](const Store::LoggedInput& logged) {
    ++done;
    if (!tracking && logged.seq > track_after) {
      engine_->set_track_changes(true);
      tracking = true;
    }
    if (!logged.message_id.empty()) message_ids_.insert(logged.message_id);
    if (logged.type.rfind("record:", 0) == 0) record_lines_.insert(logged.raw);
    if (logged.type == "clock") {
      engine_->AdvanceTo(logged.time);
    } else {
      Result<Input> parsed = parser_.Parse(logged.raw);
      if (!parsed.ok()) {
        throw std::runtime_error("input log row " + std::to_string(logged.seq) +
                                 " no longer parses: " + parsed.error().ToString());
      }
      Input& in = parsed.value();
      in.seq = logged.seq;
      in.account_id = logged.account_id;  // attribution is fixed when stored (rule 4)
      if (in.type == MessageType::kGroup) attributor_.AddGroup(in);
      engine_->Apply(in);
    }
    if (persist && done % kFlushEvery == 0) {
      PersistChanges(engine_->TakeChanges());
      store_.Commit();
      store_.Begin();
    }
    if (progress && (done % 65536 == 0 || done == total)) progress(done, total);
  });
}

void Ingestor::EnsureTransaction() {
  if (!store_.InTransaction()) store_.Begin();
}

void Ingestor::Quarantine(std::string_view text, std::string_view source, int64_t line,
                          std::string_view reason) {
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
  EnsureTransaction();
  Result<Input> parsed = parser_.Parse(text);
  std::optional<FieldError> rejected;
  if (!parsed.ok())
    rejected = parsed.error();
  else
    rejected = CheckKind(parsed.value(), checks);
  if (rejected) {
    const std::string reason = rejected->ToString();
    Quarantine(text, source, line, reason);
    if (error) *error = reason;
    return IngestOutcome::kQuarantined;
  }
  Input& in = parsed.value();
  // Rule 3: a repeated messageId is ignored entirely; records are upserts, and
  // an identical record line changes nothing (rule 6), so it is skipped too.
  if (in.type == MessageType::kRecord) {
    if (!record_lines_.insert(std::string(text)).second) {
      ++counts_.duplicates;
      ++unsaved_duplicates_;
      return IngestOutcome::kDuplicate;
    }
  } else if (!in.message_id.empty() && !message_ids_.insert(in.message_id).second) {
    ++counts_.duplicates;
    ++unsaved_duplicates_;
    return IngestOutcome::kDuplicate;
  }
  attributor_.Attribute(in);
  if (in.type == MessageType::kGroup) attributor_.AddGroup(in);
  in.seq = ++last_seq_;
  const std::string type = InputTypeName(in);
  store_.AppendInput({in.seq, type, in.time, in.account_id, in.message_id, std::string(text)});
  if (in.type == MessageType::kRecord)
    store_.AppendRecord(in.seq, type.substr(7), RecordKey(in), in.account_id, in.time, text);
  engine_->Apply(in);
  ++counts_.stored;
  if (++pending_ >= kFlushEvery) Flush();
  return IngestOutcome::kStored;
}

bool Ingestor::AdvanceClock(TimeMs now) {
  const auto next = engine_->NextEvaluationPoint();
  if (!next || now < *next) return false;
  EnsureTransaction();
  const uint64_t seq = ++last_seq_;
  const std::string raw = "{\"type\":\"clock\",\"timestamp\":\"" + FormatIsoTime(now) + "\"}";
  store_.AppendInput({seq, "clock", now, "", "", raw});
  engine_->AdvanceTo(now);
  ++pending_;
  return true;
}

void Ingestor::PersistChanges(EngineChanges changes) {
  for (const std::string& id : changes.accounts) {
    const AccountView* view = engine_->Account(id);
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
  for (const Effect& e : changes.effects) {
    store_.AppendEffect(e.id, e.type, e.at, e.account_id, e.data);
    if (effect_listener_) effect_listener_(e);
  }
}

void Ingestor::PersistEverything() {
  EngineChanges all;
  for (const std::string& id : engine_->AccountIds()) all.accounts.insert(id);
  for (const Signal* s : engine_->Signals()) all.signals.insert(s->signal_id);
  for (const Firing* f : engine_->Firings()) all.firings.push_back(*f);
  PersistChanges(std::move(all));
}

void Ingestor::CommitLog() {
  if (store_.InTransaction()) store_.Commit();
}

void Ingestor::Flush() {
  EnsureTransaction();
  PersistChanges(engine_->TakeChanges());
  if (unsaved_duplicates_)
    store_.AddCounter("duplicates", static_cast<int64_t>(unsaved_duplicates_));
  store_.SetMeta(kFingerprintKey, config_.rules_fingerprint);
  store_.SetMeta(kDerivedSeqKey, std::to_string(last_seq_));
  store_.Commit();
  unsaved_duplicates_ = 0;
  pending_ = 0;
}

}  // namespace headroom
