#include "engine/engine.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <unordered_map>

#include "common/on_all_cores.h"
#include "common/snapshot_codec.h"
#include "engine/account_index.h"
#include "engine/account_state.h"
#include "engine/compiled_rules.h"
#include "engine/distinct_values.h"
#include "engine/json.h"
#include "engine/score.h"
#include "engine/state_codec.h"
#include "engine/suppression.h"
#include "engine/trigger_condition.h"
#include "engine/user_directory.h"

namespace headroom {

namespace {

// AccountState::stale_inputs: one bit per metric, the last shared by the
// metrics from 63 on and by every input that is not a metric.
constexpr uint64_t kOtherInputs = uint64_t{1} << 63;
constexpr uint64_t kAllInputs = ~uint64_t{0};
uint64_t InputBit(int metric) { return metric < 63 ? uint64_t{1} << metric : kOtherInputs; }

TimeMs HoursMs(double hours) { return static_cast<TimeMs>(std::llround(hours * kMsPerHour)); }
TimeMs DaysMs(int days) { return static_cast<TimeMs>(days) * kMsPerDay; }
double RoundMicro(double v) { return std::round(v * 1e6) / 1e6; }

// SPEC 6.3: a signal's history is in time order. A change applied late (a
// touch or an opportunity stamped before changes already recorded, a close at
// an earlier closed_at) goes to its place, after the entries of the same instant.
void AddHistory(Signal& s, SignalHistoryEntry e) {
  auto pos = std::upper_bound(s.history.begin(), s.history.end(), e.at,
                              [](TimeMs at, const SignalHistoryEntry& h) { return at < h.at; });
  s.history.insert(pos, std::move(e));
}

using AccountMap = std::map<std::string, AccountState, std::less<>>;

template <typename... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <typename... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace

class Engine::Impl {
 public:
  Impl(const Config& config, EvaluationMode mode)
      : config_(config),
        rules_(config),
        scorer_(rules_),
        mode_(mode),
        proven_(rules_.triggers().size(), true) {
    const auto& triggers = rules_.triggers();
    for (size_t i = 0; i < triggers.size(); ++i) {
      same_quantity_as_previous_.push_back(i > 0 && SameQuantity(triggers[i - 1], triggers[i]));
      uint64_t inputs = kOtherInputs;
      for (int m : {triggers[i].metric, triggers[i].numerator, triggers[i].denominator})
        if (m >= 0) inputs |= InputBit(m);
      trigger_inputs_.push_back(inputs);
    }
  }

  const PropertyInterest& interest() const { return rules_.interest(); }

  void Apply(const Input& in) {
    AdvanceTo(in.time);
    const bool evaluates = std::visit(
        Overloaded{
            [&](const EventMsg& e) { return ApplyEvent(in, e); },
            [&](const IdentifyMsg& m) {
              const uint32_t ordinal =
                  users_
                      .TryEmplaceOrdinal(in.user_id, DistinctValues::FingerprintOfUser(in.user_id))
                      .first;
              if (MergeTraits(users_.record(ordinal).MutableTraits(), m.traits, in.time, in.seq,
                              &scorer_.user_traits_read())) {
                scorer_.UserTraitsChanged(ordinal);  // a title or a committee trait moved
                ++traits_version_;
              }
              if (!in.account_id.empty()) Known(in.account_id);
              return true;
            },
            [&](const GroupMsg& m) {
              AccountState& a = Known(in.account_id);
              if (MergeTraits(a.traits, m.traits, in.time, in.seq)) ++a.traits_version;
              return true;
            },
            [&](const AliasMsg&) { return false; },
            [&](const AccountRecord& r) {
              AccountState& a = Known(in.account_id);
              if (!a.record || Supersedes(in.time, in.seq, a.record->time, a.record->seq))
                a.record = Versioned<AccountHead>{AccountHead{r.name}, in.time,
                                                  in.seq};  // traits: merged below
              Versioned<AccountOwners> owners{r.owners, in.time, in.seq};
              a.owner_versions.insert(
                  std::upper_bound(a.owner_versions.begin(), a.owner_versions.end(), owners,
                                   [](const auto& x, const auto& y) {
                                     return x.time != y.time ? x.time < y.time : x.seq < y.seq;
                                   }),
                  std::move(owners));
              if (MergeTraits(a.traits, r.traits, in.time, in.seq)) ++a.traits_version;
              return true;
            },
            [&](const OwnerRecord& r) {
              auto it = owners_.find(r.owner_id);
              if (it == owners_.end() ||
                  Supersedes(in.time, in.seq, it->second.time, it->second.seq))
                owners_[r.owner_id] = Versioned<OwnerRecord>{r, in.time, in.seq};
              return false;
            },
            [&](const ContractRecord& r) {
              auto& list = Known(in.account_id).contracts;
              Versioned<ContractRecord> v{r, in.time, in.seq};
              auto pos =
                  std::upper_bound(list.begin(), list.end(), v, [](const auto& a, const auto& b) {
                    return a.time != b.time ? a.time < b.time : a.seq < b.seq;
                  });
              list.insert(pos, std::move(v));
              return true;
            },
            [&](const TicketRecord& r) {
              auto& tickets = Known(in.account_id).MutableRare().tickets;
              auto it = tickets.find(r.ticket_id);
              if (it == tickets.end() ||
                  Supersedes(in.time, in.seq, it->second.time, it->second.seq))
                tickets[r.ticket_id] = Versioned<TicketRecord>{r, in.time, in.seq};
              return true;
            },
            [&](const TouchRecord& r) {
              ApplyTouch(Known(in.account_id), r);
              return true;
            },
            [&](const OpportunityRecord& r) {
              ApplyOpportunity(Known(in.account_id), in, r);
              return true;
            },
            [&](const RevenueRecord&) {
              Known(in.account_id);
              return true;
            },
            [&](const ReleaseRecord&) { return false; },
            [&](const ClockTick&) { return false; },
        },
        in.body);
    if (evaluates && !in.account_id.empty()) {
      AccountState& a =
          known_ && known_->id == in.account_id ? *known_ : *index_.Find(in.account_id);
      // An event marks the metrics it moved (ApplyEvent); anything else may
      // have moved a contract: every condition is read again.
      if (!std::holds_alternative<EventMsg>(in.body)) a.stale_inputs = kAllInputs;
      Evaluate(a, *w_);
    }
  }

  // SPEC 3.1 / 3.7 rule 9: midnights and live deadlines in (W, t], in time
  // order; at one instant the midnight first, then deadlines by account id.
  void AdvanceTo(TimeMs t) {
    if (!w_) {
      w_ = t;
      return;
    }
    while (true) {
      const TimeMs midnight = DayStart(DayOf(*w_) + 1);
      const TimeMs deadline =
          deadlines_.empty() ? std::numeric_limits<TimeMs>::max() : deadlines_.begin()->first;
      const TimeMs x = std::min(midnight, deadline);
      if (x > t) break;
      w_ = x;
      if (x == midnight)
        for (auto& [id, account] : accounts_) Evaluate(account, x);
      while (!deadlines_.empty() && deadlines_.begin()->first <= x) {
        const std::string id = deadlines_.begin()->second;
        deadlines_.erase(deadlines_.begin());
        AccountState* a = index_.Find(id);
        if (a && HasLiveDeadlineAt(*a, x)) Evaluate(*a, x);
      }
    }
    if (t > *w_) w_ = t;
  }

  std::optional<TimeMs> clock() const { return w_; }
  std::optional<TimeMs> NextEvaluationPoint() const {
    if (!w_) return std::nullopt;
    const TimeMs midnight = DayStart(DayOf(*w_) + 1);
    if (deadlines_.empty()) return midnight;
    return std::min(midnight, deadlines_.begin()->first);
  }

  std::optional<AccountView> Account(std::string_view id) const {
    auto it = accounts_.find(id);
    if (it == accounts_.end()) return std::nullopt;
    return ViewOf(it->second);
  }
  void ForEachScore(const Engine::ScoreVisitor& visit) const {
    const nlohmann::json none;
    for (const auto& [id, a] : accounts_) {
      if (!a.evaluated_at) {
        visit(id, 0, none);
        continue;
      }
      visit(id, a.parts.total, MetricsJson(a, DayOf(*a.evaluated_at)));
    }
  }
  const Signal* FindSignal(std::string_view id) const {
    auto it = signals_.find(std::string(id));
    return it == signals_.end() ? nullptr : &it->second;
  }
  EngineCounts Counts() const {
    return {accounts_.size(), users_.size(), signals_.size(), firings_.size()};
  }

  std::vector<std::string> AccountIds() const {
    std::vector<std::string> ids;
    for (const auto& [id, a] : accounts_) ids.push_back(id);
    return ids;
  }
  std::vector<const Signal*> AllSignals() const {
    std::vector<const Signal*> out;
    for (const auto& [id, s] : signals_) out.push_back(&s);
    return out;
  }
  bool Proven(size_t trigger) const { return proven_.at(trigger); }
  std::vector<Firing> AllFirings() const {
    std::vector<Firing> out;
    out.reserve(firings_.size());
    for (const Episode& e : firings_) out.push_back(FiringOf(e));
    return out;
  }

  EngineChanges TakeChanges() { return std::exchange(changes_, EngineChanges{}); }
  bool HasPendingEffects() const { return !changes_.effects.empty(); }
  void set_track(bool track) { track_ = track; }
  void set_chunk_accounts(size_t accounts) { chunk_accounts_ = std::max<size_t>(accounts, 1); }

  // ---- Snapshots (engine.h) ------------------------------------------------

  void Save(SnapshotWriter& w) const {
    w.U64(rules_.metrics().size());
    w.U64(rules_.triggers().size());
    w.Opt(w_, [&](TimeMs t) { w.I64(t); });
    w.U64(traits_version_);
    w.U64(owners_.size());
    for (const auto& [id, o] : owners_) {
      w.Str(id);
      PutOwner(w, o);
    }
    // The directory in order; accounts refer to users by ordinal.
    w.U64(users_.size());
    for (uint32_t u = 0; u < users_.size(); ++u) {
      w.Str(users_.key(u));
      const UserRecord& record = users_.record(u);
      PutTimedTraits(w, record.identified ? record.identified->traits : TimedTraits{});
    }
    w.U64(signals_.size());
    for (const auto& [id, s] : signals_) PutSignal(w, s);
    w.U64(firings_.size());
    for (const Episode& e : firings_) PutFiring(w, FiringOf(e));
    w.U64(deadlines_.size());
    for (const auto& [t, id] : deadlines_) {
      w.I64(t);
      w.Str(id);
    }
    // Accounts in chunks, each its account count and its bytes as a string,
    // so that Load can hand whole chunks to threads.
    w.U64(accounts_.size());
    SnapshotWriter chunk;
    size_t in_chunk = 0;
    auto end_chunk = [&] {
      w.U64(in_chunk);
      w.Str(chunk.bytes());
      chunk = SnapshotWriter{};
      in_chunk = 0;
    };
    for (const auto& [id, a] : accounts_) {
      PutAccount(chunk, a);  // the id first
      for (const auto& m : a.metrics) m.Save(chunk);
      if (++in_chunk == chunk_accounts_) end_chunk();
    }
    if (in_chunk > 0) end_chunk();
  }

  // Decodes into local containers, then adopts them: nothing changes on failure.
  SnapshotStats Load(SnapshotReader& r) {
    if (w_ || !accounts_.empty() || !users_.empty() || !owners_.empty() || !firings_.empty())
      r.Fail("engine", "LoadSnapshot needs a fresh engine");
    if (r.U64("metric count") != rules_.metrics().size() ||
        r.U64("trigger count") != rules_.triggers().size())
      r.Fail("rules", "the snapshot was taken with other rules");
    const auto w = r.Opt<TimeMs>("clock", [&] { return r.I64("clock"); });
    const uint64_t traits_version = r.U64("traits version");
    std::map<std::string, Versioned<OwnerRecord>> owners;
    for (size_t n = r.Count("owners"); n > 0; --n) {
      std::string id = r.Str("owner id");
      owners.emplace_hint(owners.end(), std::move(id), GetOwner(r));
    }
    // The directory is read here (the keys' fingerprints, the traits of the
    // users that have some) and built by the first core while the others
    // start on the accounts, which need only the fingerprints.
    const size_t user_count = r.Count("users");
    const SnapshotReader directory_at = r;      // the building pass reads the keys again
    UserFingerprints fingerprints(user_count);  // by ordinal
    struct Identified {
      uint32_t ordinal;
      size_t bytes;  // of its traits' encoding
      TimedTraits traits;
    };
    std::vector<Identified> identified;
    for (size_t u = 0; u < user_count; ++u) {
      fingerprints[u] = DistinctValues::FingerprintOfUser(r.Bytes(r.Count("user key"), "user key"));
      const size_t before = r.remaining();
      if (TimedTraits traits = GetTimedTraits(r); !traits.empty())
        identified.push_back({static_cast<uint32_t>(u), before - r.remaining(), std::move(traits)});
    }
    UserDirectory users;
    // Inserts prefetch the table slot of the user 16 ahead, so the cache
    // misses of a large directory overlap instead of following one another.
    const auto build_directory = [&] {
      SnapshotReader dr = directory_at;
      users.reserve(user_count);
      constexpr size_t kAhead = 16;
      for (size_t u = 0; u < std::min(kAhead, user_count); ++u) users.Prefetch(fingerprints[u]);
      auto next_identified = identified.begin();
      for (size_t u = 0; u < user_count; ++u) {
        if (u + kAhead < user_count) users.Prefetch(fingerprints[u + kAhead]);
        const std::string_view key = dr.Bytes(dr.Count("user key"), "user key");
        const auto [ordinal, inserted] = users.TryEmplaceOrdinal(key, fingerprints[u]);
        if (!inserted)
          directory_at.Fail("user", ("duplicate key (user " + std::to_string(u) + ")").c_str());
        if (next_identified != identified.end() && next_identified->ordinal == u) {
          dr.Bytes(next_identified->bytes, "user traits");  // read by the first pass
          users.record(ordinal).MutableTraits() = std::move(next_identified->traits);
          ++next_identified;
        } else {
          dr.U64("user traits");  // none: a zero count
        }
      }
    };
    std::unordered_map<std::string, Signal> signals;
    const size_t signal_count = r.Count("signals");
    signals.reserve(signal_count);
    for (size_t n = signal_count; n > 0; --n) {
      Signal s = GetSignal(r);
      std::string id = s.signal_id;
      if (!signals.emplace(std::move(id), std::move(s)).second) r.Fail("signal", "duplicate id");
    }
    // Firings name their account, linked once the accounts are read.
    std::vector<Firing> firings(r.Count("firings"));
    for (auto& f : firings) f = GetFiring(r);
    std::set<std::pair<TimeMs, std::string>> deadlines;
    for (size_t n = r.Count("deadlines"); n > 0; --n) {
      const TimeMs t = r.I64("deadline time");
      deadlines.emplace_hint(deadlines.end(), t, r.Str("deadline account"));
    }
    const size_t account_count = r.Count("accounts");
    std::vector<std::pair<size_t, std::string_view>> chunks;  // accounts, bytes
    for (size_t listed = 0; listed < account_count;) {
      const size_t n = r.Count("account chunk");
      if (n == 0 || n > account_count - listed) r.Fail("account chunk", "count out of range");
      chunks.emplace_back(n, r.Bytes(r.Count("account chunk bytes"), "account chunk"));
      listed += n;
    }
    if (!r.at_end()) r.Fail("engine", "trailing bytes");
    // Every core decodes whole chunks into a map of its own (its own heap
    // arena, its own page faults); the maps' nodes are then spliced into one.
    const size_t parts = Cores(std::min<size_t>(chunks.size(), 8));
    std::vector<AccountMap> decoded(parts);
    std::atomic<size_t> next{0};
    OnAllCores(parts, [&](size_t part) {
      if (part == 0) build_directory();
      for (size_t c = next++; c < chunks.size(); c = next++) {
        SnapshotReader cr(chunks[c].second);
        for (size_t n = chunks[c].first; n > 0; --n) {
          std::string id = cr.Str("account id");
          auto [it, inserted] = decoded[part].try_emplace(id);
          if (!inserted) cr.Fail("account", "duplicate id");
          AccountState& a = it->second;
          InitAccount(a, id);
          GetAccount(cr, a, fingerprints, signals, firings.size());
          for (auto& m : a.metrics) m.Load(cr);
        }
        if (!cr.at_end()) cr.Fail("account chunk", "trailing bytes");
      }
    });
    AccountMap accounts;
    for (AccountMap& part : decoded) {
      accounts.merge(part);
      if (!part.empty()) r.Fail("account", "duplicate id");
    }
    AccountIndex index;
    index.reserve(accounts.size());
    for (auto& [id, a] : accounts) index.Insert(&a);
    std::deque<Episode> episodes;
    for (const Firing& f : firings) episodes.push_back(EpisodeOf(r, f, index));
    w_ = w;
    traits_version_ = traits_version;
    owners_ = std::move(owners);
    users_ = std::move(users);
    signals_ = std::move(signals);
    firings_ = std::move(episodes);
    deadlines_ = std::move(deadlines);
    accounts_ = std::move(accounts);
    index_ = std::move(index);
    known_ = nullptr;
    return Counts();
  }

 private:
  // One trigger episode as the engine keeps it: 40 bytes, where the Firing
  // it stands for (views.h: two strings, two optionals) takes 112 and an
  // account gathers one every few weeks per trigger. Firings are built from
  // it when read (FiringOf). The account is a map node (never moves).
  struct Episode {
    static constexpr TimeMs kNone = std::numeric_limits<TimeMs>::min();  // no time
    const AccountState* account;
    TimeMs fired_at;
    TimeMs urgent_at;
    TimeMs ended_at;   // kNone while active
    uint32_t trigger;  // CompiledRules::triggers() index
  };
  static_assert(sizeof(Episode) == 40);

  Firing FiringOf(const Episode& e) const {
    const TriggerDef& def = *rules_.triggers()[e.trigger].def;
    Firing f{e.account->id, def.name, def.cls, e.fired_at, std::nullopt, std::nullopt};
    if (e.urgent_at != Episode::kNone) f.urgent_at = e.urgent_at;
    if (e.ended_at != Episode::kNone) f.ended_at = e.ended_at;
    return f;
  }

  // A snapshot's firing, linked to its account and trigger (by name).
  Episode EpisodeOf(SnapshotReader& r, const Firing& f, const AccountIndex& accounts) const {
    const AccountState* account = accounts.Find(f.account_id);
    if (!account) r.Fail("firing.account_id", "no such account");
    const auto& triggers = rules_.triggers();
    size_t i = 0;
    while (i < triggers.size() && triggers[i].def->name != f.trigger) ++i;
    if (i == triggers.size()) r.Fail("firing.trigger", "no such trigger in these rules");
    if (triggers[i].def->cls != f.cls) r.Fail("firing.class", "differs from the rules");
    if (f.urgent_at == Episode::kNone || f.ended_at == Episode::kNone)
      r.Fail("firing", "time out of range");
    return Episode{account, f.fired_at, f.urgent_at.value_or(Episode::kNone),
                   f.ended_at.value_or(Episode::kNone), static_cast<uint32_t>(i)};
  }

  void InitAccount(AccountState& a, const std::string& id) const {
    a.id = id;
    a.metrics.reserve(rules_.metrics().size());
    for (const auto& m : rules_.metrics()) a.metrics.emplace_back(*m.def, m.lookback_days);
    a.triggers.resize(rules_.triggers().size());
    if (rules_.sustained_runs() > 0)
      a.runs = std::make_unique<SustainedRunCache[]>(rules_.sustained_runs());
  }

  AccountState& Known(const std::string& id) {
    if (AccountState* found = index_.Find(id)) return *(known_ = found);
    AccountState& a = accounts_[id];
    known_ = &a;
    InitAccount(a, id);
    index_.Insert(&a);  // a stable node
    return a;
  }

  bool ApplyEvent(const Input& in, const EventMsg& e) {
    if (in.account_id.empty()) return false;  // unattributed: stored, affects no account
    AccountState& a = Known(in.account_id);
    if (!a.activation || in.time < *a.activation) {
      a.activation = in.time;
      a.stale_inputs |= kOtherInputs;
    }
    const uint64_t user_key =
        in.anonymous || in.user_id.empty() ? 0 : DistinctValues::FingerprintOfUser(in.user_id);
    if (user_key != 0 && mode_ == EvaluationMode::kFull) {  // the committee's users
      const Day day = DayOf(in.time);
      auto [u, inserted] = a.users.TryEmplace(user_key, UserInAccount{day, day, 0});
      if (inserted) {
        u->user = users_.TryEmplaceOrdinal(in.user_id, user_key).first;
        ++a.users_version;
      } else {
        if (day < u->first_day) {
          u->first_day = day;
          ++a.users_version;
        }
        if (day > u->last_day) {
          // The committee's user sets change only if the user was outside some
          // window of today (Scorer::LatestUserWindowStart); otherwise the
          // cached committee values stay exact.
          if (u->last_day < scorer_.LatestUserWindowStart(DayOf(*w_))) ++a.users_version;
          u->last_day = day;
        }
      }
    }
    const Day today = DayOf(*w_);
    rules_.ForEachMetricOf(e.event, [&](int m) {
      if (!rules_.Matches(m, e)) return;
      const CompiledMetric& cm = rules_.metrics()[static_cast<size_t>(m)];
      MetricEvent me{in.time, in.seq,
                     cm.prop >= 0 && static_cast<size_t>(cm.prop) < e.props.size()
                         ? &e.props[static_cast<size_t>(cm.prop)]
                         : nullptr,
                     user_key};
      if (a.metrics[static_cast<size_t>(m)].Add(me, today)) {
        a.stale_inputs |= InputBit(m);
        if (DayOf(in.time) < today) ++a.past_generation;
      }
    });
    return true;
  }

  // ---- Signals -------------------------------------------------------------

  Signal* LiveSignal(AccountState& a) {
    Signal* s = a.latest_signal;
    return s && s->live() ? s : nullptr;
  }

  TimeMs ExpiryOf(const Signal& s) const {
    return s.created_at + DaysMs(config_.routing.signal_expire_days);
  }
  bool TouchDeadlineLive(const Signal& s) const {
    return s.live() && !s.first_touch_at && !s.escalated_at;
  }
  bool HasLiveDeadlineAt(AccountState& a, TimeMs x) {
    const Signal* s = LiveSignal(a);
    if (!s) return false;
    return (TouchDeadlineLive(*s) && s->touch_due == x) ||
           (s->status == SignalStatus::kOpen && ExpiryOf(*s) == x);
  }
  void ArmDeadlines(const Signal& s) {
    if (TouchDeadlineLive(s)) deadlines_.emplace(s.touch_due, s.account_id);
    if (s.status == SignalStatus::kOpen) deadlines_.emplace(ExpiryOf(s), s.account_id);
  }

  void SignalChanged(const Signal& s, const char* effect_type, TimeMs at) {
    if (!track_) return;
    changes_.signals.insert(s.signal_id);
    if (effect_type) Emit(effect_type, s.signal_id, at, s.account_id, ToJson(s));
  }

  void Emit(const std::string& type, const std::string& subject, TimeMs at,
            const std::string& account, nlohmann::json data) {
    if (!track_) return;
    Effect e;
    e.id = type + ":" + subject + ":" + FormatIsoTime(at);
    e.type = type;
    e.at = at;
    e.account_id = account;
    e.data = std::move(data);
    changes_.effects.push_back(std::move(e));
  }

  std::string OwnerFor(const AccountState& a, const std::string& route) const {
    const auto owner = route == "ae" ? a.Ae() : a.Csm();
    return owner.value_or("unassigned");
  }

  void CreateSignal(AccountState& a, TimeMs t, const std::string& route,
                    const std::vector<std::string>& active, bool all_capacity) {
    Signal s;
    s.signal_id = a.SignalIdOf(a.signal_count + 1);
    s.account_id = a.id;
    s.route = route;
    s.owner = OwnerFor(a, route);
    s.score = a.parts.total;
    s.parts = a.parts;
    s.triggers = active;
    s.motion = !active.empty() && all_capacity ? "transactional" : "strategic";
    s.created_at = t;
    s.touch_due = t + HoursMs(route == "ae" ? config_.routing.ae_touch_sla_hours
                                            : config_.routing.csm_touch_sla_hours);
    AddHistory(s, {t, "created", {{"route", route}, {"owner", s.owner}}});
    ++a.signal_count;
    auto [it, inserted] = signals_.emplace(s.signal_id, std::move(s));
    a.latest_signal = &it->second;
    ArmDeadlines(it->second);
    SignalChanged(it->second, "signal.created", t);
  }

  void MoveToAe(AccountState& a, Signal& s, TimeMs t) {
    s.route = "ae";
    s.owner = OwnerFor(a, "ae");
    s.routed_at = t;
    s.touch_due = t + HoursMs(config_.routing.ae_touch_sla_hours);
    s.first_touch_at.reset();
    s.touched_within_sla.reset();
    s.escalated_at.reset();
    s.escalated_to.clear();
    AddHistory(s, {t, "routed", {{"from", "csm"}, {"route", "ae"}, {"owner", s.owner}}});
    ArmDeadlines(s);
    SignalChanged(s, "signal.routed", t);
  }

  // Rule 27: the owner's manager, then every other revops owner by owner_id.
  std::vector<std::string> EscalationTargets(const std::string& owner) const {
    std::vector<std::string> to;
    if (auto it = owners_.find(owner);
        it != owners_.end() && it->second.rec.manager && !it->second.rec.manager->empty())
      to.push_back(*it->second.rec.manager);
    for (const auto& [id, o] : owners_) {
      if (o.rec.role != "revops" || id == owner) continue;
      if (std::find(to.begin(), to.end(), id) == to.end()) to.push_back(id);
    }
    return to;
  }

  void Escalate(Signal& s) {
    s.escalated_at = s.touch_due;
    s.escalated_to = EscalationTargets(s.owner);
    AddHistory(s, {s.touch_due, "escalated", {{"to", s.escalated_to}, {"task", "coaching"}}});
    SignalChanged(s, "signal.escalated", s.touch_due);
  }

  void Close(AccountState& a, Signal& s, SignalStatus status, const std::string& reason,
             TimeMs at) {
    s.status = status;
    s.close_reason = reason;
    s.closed_at = at;
    if (!a.last_closed_at || at > *a.last_closed_at) a.last_closed_at = at;
    AddHistory(s, {at, "closed", {{"reason", reason}}});
    SignalChanged(s, "signal.closed", at);
  }

  // Rule 28.
  void ApplyTouch(AccountState& a, const TouchRecord& r) {
    const std::string key = r.touch_id ? "id:" + *r.touch_id
                                       : r.signal_id.value_or("") + "|" + r.owner_id + "|" +
                                             std::to_string(r.at) + "|" + r.channel;
    if (!a.MutableRare().touch_keys.insert(key).second) return;
    Signal* s = nullptr;
    if (r.signal_id) {
      auto it = signals_.find(*r.signal_id);
      if (it == signals_.end() || !it->second.live() || it->second.account_id != a.id) return;
      s = &it->second;
    } else {
      s = LiveSignal(a);
      if (!s) return;
    }
    if (r.at < s->routed_at.value_or(s->created_at)) return;
    if (s->first_touch_at) return;  // only the first touch on the current route counts
    s->first_touch_at = r.at;
    s->touched_within_sla = r.at < s->touch_due;
    s->ever_touched = true;
    AddHistory(
        *s,
        {r.at,
         "touched",
         {{"owner", r.owner_id}, {"channel", r.channel}, {"within_sla", *s->touched_within_sla}}});
    SignalChanged(*s, nullptr, r.at);
  }

  // Rule 30: the CSM is the account's CSM at closed_at.
  void CreditWon(AccountState& a, Signal& s, double amount, TimeMs closed_at) {
    if (s.route == "ae") {
      const auto csm = a.CsmAt(closed_at);
      if (csm) {
        s.credit[s.owner] = RoundMicro(s.credit[s.owner] + amount * config_.credit_ae);
        s.credit[*csm] = RoundMicro(s.credit[*csm] + amount * config_.credit_csm);
        return;
      }
    }
    s.credit[s.owner] = RoundMicro(s.credit[s.owner] + amount);
  }

  // Rules 29, 30, 34.
  void ApplyOpportunity(AccountState& a, const Input& in, const OpportunityRecord& r) {
    auto [it, first] = a.MutableRare().opportunities.try_emplace(r.opportunity_id);
    OpportunityState& o = it->second;
    if (first) {
      o.current = {r, in.time, in.seq};
      Signal* s = nullptr;
      if (r.signal_id) {
        auto sit = signals_.find(*r.signal_id);
        if (sit != signals_.end() && sit->second.live() && !sit->second.opportunity_id &&
            sit->second.account_id == a.id)
          s = &sit->second;
      } else {
        s = LiveSignal(a);
        if (s && s->opportunity_id) s = nullptr;
      }
      if (s) {
        o.signal_id = s->signal_id;
        s->opportunity_id = r.opportunity_id;
        if (s->status == SignalStatus::kOpen) s->status = SignalStatus::kOpportunity;
        AddHistory(*s, {in.time, "opportunity", {{"opportunity_id", r.opportunity_id}}});
        SignalChanged(*s, "signal.opportunity", in.time);
      }
    } else if (Supersedes(in.time, in.seq, o.current.time, o.current.seq)) {
      o.current = {r, in.time, in.seq};
    }
    if (!o.signal_id) return;
    Signal& s = signals_.at(*o.signal_id);
    if (!s.live()) return;
    const OpportunityRecord& cur = o.current.rec;
    s.deal_desk_required = cur.discount > config_.deal_desk_max_discount ||
                           cur.term_months > config_.deal_desk_max_term_months;
    s.fast_track = true;
    if (cur.stage == "won" || cur.stage == "lost") {
      s.amount = cur.amount;
      const TimeMs closed_at = cur.closed_at.value_or(o.current.time);
      if (cur.stage == "won") CreditWon(a, s, cur.amount, closed_at);
      Close(a, s, cur.stage == "won" ? SignalStatus::kWon : SignalStatus::kLost, cur.stage,
            closed_at);
    } else {
      SignalChanged(s, nullptr, in.time);
    }
  }

  // ---- Evaluation (rule 23) ------------------------------------------------

  // Rule 18 for trigger i of `a` at t: ends an episode whose hold has run
  // out, evaluates the condition (kept in last_conditions), starts an episode
  // or marks it urgent. In kTriggersOnly mode also keeps UnseenDeadlines.
  const TriggerState& StepTrigger(AccountState& a, size_t i, TimeMs t,
                                  const std::optional<double>* now = nullptr) {
    const CompiledTrigger& ct = rules_.triggers()[i];
    const TriggerDef& def = *ct.def;
    TriggerState& ts = a.triggers[i];
    const TimeMs hold = DaysMs(def.hold_days);
    if (ts.active && t >= ts.last_held + hold) {
      Episode& f = firings_[ts.firing];
      f.ended_at = ts.last_held + hold;
      ts.active = false;
      if (a.unseen) a.unseen[i].Ended(t, hold);
      if (track_) changes_.firings.push_back(FiringOf(f));
    }
    ConditionResult& cond = a.last_conditions[i];
    if (!InputsCurrent(a, i, t))
      cond = EvaluateCondition(ct, a, t, now);
    else if (def.within_days_of_activation)
      ConcludeCondition(def, a, t, cond);  // the activation window reads t
    if (a.unseen && !a.unseen[i].Evaluated(t, cond.holds, cond.holds && !ts.active, hold))
      proven_[i] = false;
    if (cond.holds) {
      if (!ts.active) {
        ts.active = true;
        ts.urgent = false;
        ts.firing = static_cast<uint32_t>(firings_.size());
        firings_.push_back(
            Episode{&a, t, Episode::kNone, Episode::kNone, static_cast<uint32_t>(i)});
        if (track_) {
          changes_.firings.push_back(FiringOf(firings_.back()));
          Emit("trigger.fired", a.id + "/" + def.name, t, a.id, ToJson(changes_.firings.back()));
        }
      }
      ts.last_held = t;
      if (cond.urgent && !ts.urgent) {
        ts.urgent = true;
        Episode& f = firings_[ts.firing];
        f.urgent_at = t;
        if (track_) {
          changes_.firings.push_back(FiringOf(f));
          Emit("trigger.urgent", a.id + "/" + def.name, t, a.id, ToJson(changes_.firings.back()));
        }
      }
    }
    return ts;
  }

  // Whether trigger i's quantity and sustained run found at a.conditions_at
  // are still its quantity and run at t: same day (the day values and
  // windows read) and none of its inputs moved. The contract in force is
  // among the inputs: a version is stamped with its arrival time, so none can
  // come into force between two evaluations without arriving.
  bool InputsCurrent(const AccountState& a, size_t i, TimeMs t) const {
    return a.conditions_at != SustainedRunCache::kNoTime && DayOf(a.conditions_at) == DayOf(t) &&
           !(a.stale_inputs & trigger_inputs_[i]);
  }
  void ConditionsFound(AccountState& a, TimeMs t) {
    a.conditions_at = t;
    a.stale_inputs = 0;
  }

  // EvaluationMode::kTriggersOnly: step (1) of rule 23 alone.
  void EvaluateTriggersOnly(AccountState& a, TimeMs t) {
    const size_t n = rules_.triggers().size();
    if (!a.unseen) a.unseen = std::make_unique<UnseenDeadlines[]>(n);
    a.last_conditions.resize(n);
    for (size_t i = 0; i < n; ++i) {
      // Variants of one trigger share the quantity: found once per evaluation.
      StepTrigger(a, i, t,
                  same_quantity_as_previous_[i] ? &a.last_conditions[i - 1].quantity : nullptr);
    }
    ConditionsFound(a, t);
  }

  void Evaluate(AccountState& a, TimeMs t) {
    if (mode_ == EvaluationMode::kTriggersOnly) return EvaluateTriggersOnly(a, t);
    // (1) triggers
    bool classes[3] = {false, false, false};
    bool all_capacity = true;
    active_scratch_.clear();
    a.last_conditions.resize(rules_.triggers().size());
    for (size_t i = 0; i < rules_.triggers().size(); ++i) {
      const TriggerDef& def = *rules_.triggers()[i].def;
      const TriggerState& ts = StepTrigger(a, i, t);
      if (ts.active) {
        classes[static_cast<int>(def.cls)] = true;
        active_scratch_.push_back(static_cast<int>(i));
        if (def.cls != TriggerClass::kCapacity) all_capacity = false;
      }
    }
    a.active_triggers = active_scratch_;
    ConditionsFound(a, t);

    // (2) score
    a.parts = scorer_.Score(a, t, classes, users_, traits_version_);
    // (3) suppression and route
    a.suppression_mask = SuppressionMaskCached(config_, a, t);
    a.evaluated_at = t;
    const Route route = RouteOf(config_.routing, a.suppression_mask != 0, a.parts.total);

    // (4) create, or move csm -> ae
    Signal* live = LiveSignal(a);
    if (route == Route::kAe || route == Route::kCsm) {
      if (!live) {
        if (!a.last_closed_at ||
            t - *a.last_closed_at >= DaysMs(config_.routing.resignal_cooldown_days))
          CreateSignal(a, t, RouteName(route), ActiveTriggerNames(a), all_capacity);
      } else if (route == Route::kAe && live->route == "csm") {
        MoveToAe(a, *live, t);
      }
    }
    live = LiveSignal(a);
    // (5) escalate if due
    if (live && TouchDeadlineLive(*live) && t >= live->touch_due) Escalate(*live);
    // (6) expire if due
    if (live && live->status == SignalStatus::kOpen && t >= ExpiryOf(*live))
      Close(a, *live, SignalStatus::kExpired, "expired", ExpiryOf(*live));
    live = LiveSignal(a);
    // (7) close as suppressed: open and never touched on any route
    if (route == Route::kSuppressed && live && live->status == SignalStatus::kOpen &&
        !live->ever_touched)
      Close(a, *live, SignalStatus::kSuppressed,
            "suppressed:" + SuppressionNames(config_, a.suppression_mask).front(), t);
    if (track_) changes_.accounts.insert(a.id);
  }

  // The names of the triggers active at the last evaluation, sorted.
  std::vector<std::string> ActiveTriggerNames(const AccountState& a) const {
    std::vector<std::string> names;
    names.reserve(a.active_triggers.size());
    for (int i : a.active_triggers)
      names.push_back(rules_.triggers()[static_cast<size_t>(i)].def->name);
    std::sort(names.begin(), names.end());
    return names;
  }

  // The view's `metrics` object: every configured metric's value on `today`.
  nlohmann::json MetricsJson(const AccountState& a, Day today) const {
    nlohmann::json metrics = nlohmann::json::object();
    for (size_t i = 0; i < rules_.config_metric_count(); ++i)
      metrics[rules_.metrics()[i].def->name] = a.metrics[i].Current(today).ToJsonValue();
    return metrics;
  }

  // The account as of its last evaluation (SPEC 6.3), derived from the
  // state; before the first evaluation only the id is set.
  AccountView ViewOf(const AccountState& a) const {
    AccountView v;
    v.account_id = a.id;
    if (!a.evaluated_at) return v;
    const TimeMs t = *a.evaluated_at;
    v.evaluated_at = t;
    if (a.record) v.name = a.record->rec.name;
    v.ae = a.Ae();
    v.csm = a.Csm();
    if (a.latest_signal) v.signal_id = a.latest_signal->signal_id;
    v.parts = a.parts;
    v.score = a.parts.total;
    v.suppressed_by = SuppressionNames(config_, a.suppression_mask);
    v.route = RouteFor(config_.routing, a.suppression_mask != 0, v.score);
    v.active_triggers = ActiveTriggerNames(a);
    nlohmann::json evidence = scorer_.Evidence(a, v.parts, t);
    nlohmann::json triggers = nlohmann::json::array();
    for (size_t i = 0; i < rules_.triggers().size() && i < a.last_conditions.size(); ++i) {
      const TriggerDef& def = *rules_.triggers()[i].def;
      const TriggerState& ts = a.triggers[i];
      nlohmann::json ev = TriggerEvidenceJson(def, a.last_conditions[i], a);
      ev["active"] = ts.active;
      ev["points"] = NumberJson(0);
      if (ts.active) {
        const Firing f = FiringOf(firings_[ts.firing]);
        ev["fired_at"] = TimeJson(f.fired_at);
        ev["urgent_at"] = TimeJson(f.urgent_at);
        ev["last_held"] = TimeJson(ts.last_held);
        ev["active_until"] = TimeJson(ts.last_held + DaysMs(def.hold_days));
      }
      triggers.push_back(std::move(ev));
    }
    evidence["triggers"] = std::move(triggers);
    v.evidence = std::move(evidence);
    v.metrics = MetricsJson(a, DayOf(t));
    const ContractRecord* c = a.ContractAt(t);
    if (c) {
      nlohmann::json limits = nlohmann::json::object();
      for (const auto& [k, val] : c->limits) limits[k] = val.ToJsonValue();
      v.contract = {{"plan", c->plan},
                    {"arr", NumberJson(c->arr)},
                    {"start", TimeJson(c->start)},
                    {"end", TimeJson(c->end)},
                    {"limits", limits},
                    {"renewal_status", c->renewal_status}};
    } else {
      v.contract = nullptr;
    }
    return v;
  }

  const Config& config_;
  CompiledRules rules_;
  Scorer scorer_;
  std::optional<TimeMs> w_;
  AccountMap accounts_;  // id order: midnights
  AccountIndex index_;   // the same accounts, found by id in one probe
  UserDirectory users_;
  std::map<std::string, Versioned<OwnerRecord>> owners_;
  std::unordered_map<std::string, Signal> signals_;
  // Every episode, in creation order (TriggerState::firing indexes it): a
  // deque, which grows by small blocks instead of doubling one array.
  std::deque<Episode> firings_;
  std::set<std::pair<TimeMs, std::string>> deadlines_;
  bool track_ = true;
  size_t chunk_accounts_ = kSnapshotChunkAccounts;  // accounts per snapshot chunk
  EngineChanges changes_;
  std::vector<int> active_scratch_;
  EvaluationMode mode_;
  std::vector<bool> proven_;                     // per trigger: TriggerFiringsProven
  std::vector<bool> same_quantity_as_previous_;  // per trigger: SameQuantity(i - 1, i)
  AccountState* known_ = nullptr;                // the account Known() returned last
  uint64_t traits_version_ = 0;
  std::vector<uint64_t>
      trigger_inputs_;  // per trigger: the AccountState::stale_inputs bits it reads
};

Engine::Engine(const Config& config, EvaluationMode mode)
    : impl_(std::make_unique<Impl>(config, mode)) {}
Engine::~Engine() = default;
const PropertyInterest& Engine::property_interest() const { return impl_->interest(); }
void Engine::Apply(const Input& input) { impl_->Apply(input); }
void Engine::AdvanceTo(TimeMs t) { impl_->AdvanceTo(t); }
std::optional<TimeMs> Engine::clock() const { return impl_->clock(); }
std::optional<TimeMs> Engine::NextEvaluationPoint() const { return impl_->NextEvaluationPoint(); }
std::optional<AccountView> Engine::Account(std::string_view id) const { return impl_->Account(id); }
void Engine::ForEachScore(const ScoreVisitor& visit) const { impl_->ForEachScore(visit); }
const Signal* Engine::FindSignal(std::string_view id) const { return impl_->FindSignal(id); }
std::vector<std::string> Engine::AccountIds() const { return impl_->AccountIds(); }
EngineCounts Engine::Counts() const { return impl_->Counts(); }
std::vector<const Signal*> Engine::Signals() const { return impl_->AllSignals(); }
std::vector<Firing> Engine::Firings() const { return impl_->AllFirings(); }
bool Engine::TriggerFiringsProven(size_t trigger) const { return impl_->Proven(trigger); }
EngineChanges Engine::TakeChanges() { return impl_->TakeChanges(); }
bool Engine::HasPendingEffects() const { return impl_->HasPendingEffects(); }

namespace {
constexpr std::string_view kEngineMagic = "HRENGINE";
}  // namespace

std::string Engine::SaveSnapshot() const {
  SnapshotWriter w;
  SaveSnapshot(w);
  return w.Take();
}

void Engine::SaveSnapshot(SnapshotWriter& w) const {
  w.Raw(kEngineMagic);
  w.U64(kSnapshotFormat);
  impl_->Save(w);
}

Result<SnapshotStats> Engine::LoadSnapshot(std::string_view blob) {
  try {
    SnapshotReader r(blob);
    if (r.remaining() < kEngineMagic.size() ||
        r.Bytes(kEngineMagic.size(), "magic") != kEngineMagic)
      return FieldError{"snapshot", "not an engine snapshot"};
    const uint64_t format = r.U64("format");
    if (format != kSnapshotFormat)
      return FieldError{"snapshot", "format " + std::to_string(format) +
                                        " is not supported (expected " +
                                        std::to_string(kSnapshotFormat) + ")"};
    return impl_->Load(r);
  } catch (const SnapshotCorrupt& e) {
    return FieldError{"", e.what()};
  } catch (const std::bad_alloc&) {
    return FieldError{"snapshot", "too large to load"};
  }
}
void Engine::set_track_changes(bool track) { impl_->set_track(track); }
void Engine::set_snapshot_chunk_accounts(size_t accounts) { impl_->set_chunk_accounts(accounts); }

}  // namespace headroom
