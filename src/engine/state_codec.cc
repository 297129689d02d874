#include "engine/state_codec.h"

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "engine/distinct_values.h"

namespace headroom {

namespace {

void PutOptTime(SnapshotWriter& w, const std::optional<TimeMs>& t) {
  w.Opt(t, [&](TimeMs v) { w.I64(v); });
}
std::optional<TimeMs> GetOptTime(SnapshotReader& r, const char* what) {
  return r.Opt<TimeMs>(what, [&] { return r.I64(what); });
}
void PutOptStr(SnapshotWriter& w, const std::optional<std::string>& s) {
  w.Opt(s, [&](const std::string& v) { w.Str(v); });
}
std::optional<std::string> GetOptStr(SnapshotReader& r, const char* what) {
  return r.Opt<std::string>(what, [&] { return r.Str(what); });
}
void PutOptBool(SnapshotWriter& w, const std::optional<bool>& b) {
  w.Opt(b, [&](bool v) { w.Bool(v); });
}
std::optional<bool> GetOptBool(SnapshotReader& r, const char* what) {
  return r.Opt<bool>(what, [&] { return r.Bool(what); });
}
void PutOptNum(SnapshotWriter& w, const std::optional<double>& d) {
  w.Opt(d, [&](double v) { PutNum(w, v); });
}
std::optional<double> GetOptNum(SnapshotReader& r, const char* what) {
  return r.Opt<double>(what, [&] { return GetNum(r, what); });
}
void PutStrings(SnapshotWriter& w, const std::vector<std::string>& v) {
  w.U64(v.size());
  for (const auto& s : v) w.Str(s);
}
std::vector<std::string> GetStrings(SnapshotReader& r, const char* what) {
  std::vector<std::string> v(r.Count(what));
  for (auto& s : v) s = r.Str(what);
  return v;
}

void PutTraits(SnapshotWriter& w, const TraitMap& t) {
  w.U64(t.size());
  for (const auto& [k, v] : t) {
    w.Str(k);
    PutValue(w, v);
  }
}
TraitMap GetTraits(SnapshotReader& r) {
  TraitMap t;
  const size_t n = r.Count("traits");
  for (size_t i = 0; i < n; ++i) {
    std::string k = r.Str("trait key");
    t.emplace_hint(t.end(), std::move(k), GetValue(r, "trait value"));
  }
  return t;
}

void PutParts(SnapshotWriter& w, const ScoreParts& p) {
  for (double v : {p.firmographic, p.capacity, p.adoption, p.value, p.committee, p.total})
    PutNum(w, v);
}
ScoreParts GetParts(SnapshotReader& r) {
  ScoreParts p;
  for (double* v : {&p.firmographic, &p.capacity, &p.adoption, &p.value, &p.committee, &p.total})
    *v = GetNum(r, "score part");
  return p;
}

void PutOwners(SnapshotWriter& w, const AccountOwners& o) {
  PutOptStr(w, o.ae);
  PutOptStr(w, o.csm);
}
AccountOwners GetOwners(SnapshotReader& r) {
  AccountOwners o;
  o.ae = GetOptStr(r, "owners.ae");
  o.csm = GetOptStr(r, "owners.csm");
  return o;
}

template <typename Rec, typename PutRec>
void PutVersioned(SnapshotWriter& w, const Versioned<Rec>& v, PutRec&& put) {
  put(v.rec);
  w.I64(v.time);
  w.U64(v.seq);
}
template <typename Rec, typename GetRec>
Versioned<Rec> GetVersioned(SnapshotReader& r, GetRec&& get) {
  Versioned<Rec> v;
  v.rec = get();
  v.time = r.I64("version time");
  v.seq = r.U64("version seq");
  return v;
}

void PutContract(SnapshotWriter& w, const ContractRecord& c) {
  w.Str(c.plan);
  PutNum(w, c.arr);
  w.I64(c.start);
  PutOptTime(w, c.end);
  PutTraits(w, c.limits);
  w.Str(c.renewal_status);
}
ContractRecord GetContract(SnapshotReader& r) {
  ContractRecord c;
  c.plan = r.Str("contract.plan");
  c.arr = GetNum(r, "contract.arr");
  c.start = r.I64("contract.start");
  c.end = GetOptTime(r, "contract.end");
  c.limits = GetTraits(r);
  c.renewal_status = r.Str("contract.renewal_status");
  return c;
}

void PutOpportunity(SnapshotWriter& w, const OpportunityRecord& o) {
  w.Str(o.opportunity_id);
  PutOptStr(w, o.signal_id);
  w.Str(o.owner_id);
  w.I64(o.created_at);
  w.Str(o.stage);
  PutOptTime(w, o.closed_at);
  PutNum(w, o.amount);
  PutNum(w, o.discount);
  PutNum(w, o.term_months);
}
OpportunityRecord GetOpportunity(SnapshotReader& r) {
  OpportunityRecord o;
  o.opportunity_id = r.Str("opportunity.id");
  o.signal_id = GetOptStr(r, "opportunity.signal_id");
  o.owner_id = r.Str("opportunity.owner_id");
  o.created_at = r.I64("opportunity.created_at");
  o.stage = r.Str("opportunity.stage");
  o.closed_at = GetOptTime(r, "opportunity.closed_at");
  o.amount = GetNum(r, "opportunity.amount");
  o.discount = GetNum(r, "opportunity.discount");
  o.term_months = GetNum(r, "opportunity.term_months");
  return o;
}

void PutCondition(SnapshotWriter& w, const ConditionResult& c) {
  w.Bool(c.holds);
  w.Bool(c.urgent);
  PutOptNum(w, c.quantity);
  w.I64(c.run_days);
  w.Opt(c.broken_on, [&](Day d) { w.I64(d); });
  PutOptBool(w, c.activation_ok);
}
ConditionResult GetCondition(SnapshotReader& r) {
  ConditionResult c;
  c.holds = r.Bool("condition.holds");
  c.urgent = r.Bool("condition.urgent");
  c.quantity = GetOptNum(r, "condition.quantity");
  c.run_days = r.Int("condition.run_days", 0, std::numeric_limits<int>::max());
  c.broken_on = r.Opt<Day>("condition.broken_on", [&] {
    return r.Int("condition.broken_on", std::numeric_limits<Day>::min(),
                 std::numeric_limits<Day>::max());
  });
  c.activation_ok = GetOptBool(r, "condition.activation_ok");
  return c;
}

}  // namespace

// Integral doubles in (-2^53, 2^53), not -0: (2 * zigzag(n)) as one varint;
// anything else: 1, then the 8 bytes.
void PutNum(SnapshotWriter& w, double v) {
  constexpr double kLimit = 9007199254740992.0;  // 2^53
  if (v > -kLimit && v < kLimit && v == std::trunc(v) && !(v == 0 && std::signbit(v))) {
    const auto n = static_cast<int64_t>(v);
    w.U64(((static_cast<uint64_t>(n) << 1) ^ static_cast<uint64_t>(n >> 63)) << 1);
    return;
  }
  w.U64(1);
  w.F64(v);
}

double GetNum(SnapshotReader& r, const char* what) {
  const uint64_t tag = r.U64(what);
  if (tag == 1) return r.F64(what);
  if (tag & 1) r.Fail(what, "bad number tag");
  const uint64_t z = tag >> 1;
  return static_cast<double>(static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1)));
}

void PutValue(SnapshotWriter& w, const Value& v) {
  w.U64(static_cast<uint64_t>(v.kind()));
  switch (v.kind()) {
    case Value::Kind::kMissing:
    case Value::Kind::kNull: break;
    case Value::Kind::kBool: w.Bool(v.boolean()); break;
    case Value::Kind::kNumber: PutNum(w, v.number()); break;
    case Value::Kind::kString:
    case Value::Kind::kRaw: w.Str(v.str()); break;
  }
}

Value GetValue(SnapshotReader& r, const char* what) {
  switch (r.U64(what)) {
    case static_cast<uint64_t>(Value::Kind::kMissing): return Value();
    case static_cast<uint64_t>(Value::Kind::kNull): return Value::Null();
    case static_cast<uint64_t>(Value::Kind::kBool): return Value::Bool(r.Bool(what));
    case static_cast<uint64_t>(Value::Kind::kNumber): return Value::Number(GetNum(r, what));
    case static_cast<uint64_t>(Value::Kind::kString): return Value::String(r.Str(what));
    case static_cast<uint64_t>(Value::Kind::kRaw): return Value::Raw(r.Str(what));
    default: r.Fail(what, "unknown value kind");
  }
}

void PutTimedTraits(SnapshotWriter& w, const TimedTraits& t) {
  w.U64(t.size());
  for (const auto& [k, v] : t) {
    w.Str(k);
    PutValue(w, v.value);
    w.I64(v.time);
    w.U64(v.seq);
  }
}

TimedTraits GetTimedTraits(SnapshotReader& r) {
  TimedTraits t;
  const size_t n = r.Count("traits");
  for (size_t i = 0; i < n; ++i) {
    std::string k = r.Str("trait key");
    TimedValue v;
    v.value = GetValue(r, "trait value");
    v.time = r.I64("trait time");
    v.seq = r.U64("trait seq");
    t.emplace_hint(t.end(), std::move(k), std::move(v));
  }
  return t;
}

void PutOwner(SnapshotWriter& w, const Versioned<OwnerRecord>& o) {
  PutVersioned(w, o, [&](const OwnerRecord& rec) {
    w.Str(rec.owner_id);
    w.Str(rec.role);
    w.Str(rec.name);
    PutOptStr(w, rec.manager);
    PutOptStr(w, rec.group);
  });
}

Versioned<OwnerRecord> GetOwner(SnapshotReader& r) {
  return GetVersioned<OwnerRecord>(r, [&] {
    OwnerRecord rec;
    rec.owner_id = r.Str("owner.owner_id");
    rec.role = r.Str("owner.role");
    rec.name = r.Str("owner.name");
    rec.manager = GetOptStr(r, "owner.manager");
    rec.group = GetOptStr(r, "owner.group");
    return rec;
  });
}

void PutSignal(SnapshotWriter& w, const Signal& s) {
  w.Str(s.signal_id);
  w.Str(s.account_id);
  w.Str(s.route);
  w.Str(s.owner);
  w.U64(static_cast<uint64_t>(s.status));
  PutOptStr(w, s.close_reason);
  PutNum(w, s.score);
  PutParts(w, s.parts);
  w.Str(s.motion);
  PutStrings(w, s.triggers);
  w.I64(s.created_at);
  PutOptTime(w, s.routed_at);
  w.I64(s.touch_due);
  PutOptTime(w, s.first_touch_at);
  PutOptBool(w, s.touched_within_sla);
  PutOptTime(w, s.escalated_at);
  PutStrings(w, s.escalated_to);
  w.Bool(s.ever_touched);
  PutOptStr(w, s.opportunity_id);
  PutOptTime(w, s.closed_at);
  PutOptNum(w, s.amount);
  w.U64(s.credit.size());
  for (const auto& [owner, amount] : s.credit) {
    w.Str(owner);
    PutNum(w, amount);
  }
  PutOptBool(w, s.deal_desk_required);
  PutOptBool(w, s.fast_track);
  w.U64(s.history.size());
  for (const auto& h : s.history) {
    w.I64(h.at);
    w.Str(h.change);
    w.Str(h.details.dump());
  }
}

Signal GetSignal(SnapshotReader& r) {
  Signal s;
  s.signal_id = r.Str("signal.signal_id");
  s.account_id = r.Str("signal.account_id");
  s.route = r.Str("signal.route");
  s.owner = r.Str("signal.owner");
  const uint64_t status = r.U64("signal.status");
  if (status > static_cast<uint64_t>(SignalStatus::kSuppressed)) r.Fail("signal.status", "unknown");
  s.status = static_cast<SignalStatus>(status);
  s.close_reason = GetOptStr(r, "signal.close_reason");
  s.score = GetNum(r, "signal.score");
  s.parts = GetParts(r);
  s.motion = r.Str("signal.motion");
  s.triggers = GetStrings(r, "signal.triggers");
  s.created_at = r.I64("signal.created_at");
  s.routed_at = GetOptTime(r, "signal.routed_at");
  s.touch_due = r.I64("signal.touch_due");
  s.first_touch_at = GetOptTime(r, "signal.first_touch_at");
  s.touched_within_sla = GetOptBool(r, "signal.touched_within_sla");
  s.escalated_at = GetOptTime(r, "signal.escalated_at");
  s.escalated_to = GetStrings(r, "signal.escalated_to");
  s.ever_touched = r.Bool("signal.ever_touched");
  s.opportunity_id = GetOptStr(r, "signal.opportunity_id");
  s.closed_at = GetOptTime(r, "signal.closed_at");
  s.amount = GetOptNum(r, "signal.amount");
  const size_t credits = r.Count("signal.credit");
  for (size_t i = 0; i < credits; ++i) {
    std::string owner = r.Str("signal.credit");
    s.credit.emplace_hint(s.credit.end(), std::move(owner), GetNum(r, "signal.credit"));
  }
  s.deal_desk_required = GetOptBool(r, "signal.deal_desk_required");
  s.fast_track = GetOptBool(r, "signal.fast_track");
  s.history.resize(r.Count("signal.history"));
  for (auto& h : s.history) {
    h.at = r.I64("signal.history.at");
    h.change = r.Str("signal.history.change");
    const std::string details = r.Str("signal.history.details");
    h.details = nlohmann::json::parse(details, nullptr, /*allow_exceptions=*/false);
    if (h.details.is_discarded()) r.Fail("signal.history.details", "not JSON");
  }
  return s;
}

void PutFiring(SnapshotWriter& w, const Firing& f) {
  w.Str(f.account_id);
  w.Str(f.trigger);
  w.U64(static_cast<uint64_t>(f.cls));
  w.I64(f.fired_at);
  PutOptTime(w, f.urgent_at);
  PutOptTime(w, f.ended_at);
}

Firing GetFiring(SnapshotReader& r) {
  Firing f;
  f.account_id = r.Str("firing.account_id");
  f.trigger = r.Str("firing.trigger");
  const uint64_t cls = r.U64("firing.class");
  if (cls > static_cast<uint64_t>(TriggerClass::kValue)) r.Fail("firing.class", "unknown");
  f.cls = static_cast<TriggerClass>(cls);
  f.fired_at = r.I64("firing.fired_at");
  f.urgent_at = GetOptTime(r, "firing.urgent_at");
  f.ended_at = GetOptTime(r, "firing.ended_at");
  return f;
}

void PutAccount(SnapshotWriter& w, const AccountState& a) {
  w.Str(a.id);
  w.Opt(a.record, [&](const Versioned<AccountHead>& v) {
    PutVersioned(w, v, [&](const AccountHead& rec) { w.Str(rec.name); });
  });
  w.U64(a.owner_versions.size());
  for (const auto& v : a.owner_versions)
    PutVersioned(w, v, [&](const AccountOwners& o) { PutOwners(w, o); });
  PutTimedTraits(w, a.traits);
  w.U64(a.traits_version);
  PutOptTime(w, a.activation);
  // users: (directory ordinal, first day, last day), in slot order; the map's
  // key is the fingerprint of the directory entry's link key.
  w.U64(a.users.size());
  a.users.ForEach([&](const UserInAccount& u) {
    w.U64(u.user);
    w.I64(u.first_day);
    w.I64(u.last_day);
  });
  w.U64(a.contracts.size());
  for (const auto& c : a.contracts)
    PutVersioned(w, c, [&](const ContractRecord& rec) { PutContract(w, rec); });
  const AccountState::Rare& rare = a.RareOrNone();
  w.U64(rare.tickets.size());
  for (const auto& [key, t] : rare.tickets) {
    w.Str(key);
    PutVersioned(w, t, [&](const TicketRecord& rec) {
      w.Str(rec.ticket_id);
      PutValue(w, rec.severity);
      w.I64(rec.opened_at);
      PutOptTime(w, rec.resolved_at);
      w.Str(rec.topic);
    });
  }
  w.U64(rare.opportunities.size());
  for (const auto& [key, o] : rare.opportunities) {
    w.Str(key);
    PutVersioned(w, o.current, [&](const OpportunityRecord& rec) { PutOpportunity(w, rec); });
    PutOptStr(w, o.signal_id);
  }
  w.U64(a.triggers.size());
  for (const auto& t : a.triggers) {
    w.Bool(t.active);
    w.U64(t.firing);
    w.I64(t.last_held);
    w.Bool(t.urgent);
  }
  w.U64(a.signal_count);
  w.Bool(a.latest_signal != nullptr);
  w.U64(rare.touch_keys.size());
  for (const auto& k : rare.touch_keys) w.Str(k);
  PutOptTime(w, a.last_closed_at);
  // The last evaluation (the rest of the view is derived from the state).
  PutOptTime(w, a.evaluated_at);
  PutParts(w, a.parts);
  // What the last evaluation found, and the hot-path cache keys.
  w.U64(a.last_conditions.size());
  for (const auto& c : a.last_conditions) PutCondition(w, c);
  w.U64(a.firmographic_holds);
  w.U64(a.committee_values.size());
  for (double d : a.committee_values) PutNum(w, d);
  w.U64(a.active_triggers.size());
  for (int i : a.active_triggers) w.I64(i);
  w.U64(a.suppression_mask);
  w.U64(a.users_version);
  w.U64(a.committee_key_users);
  w.U64(a.committee_key_traits);
  w.I64(a.committee_stable_through);
  w.U64(a.firmographic_key);
  w.U64(a.suppress_trait_key);
  w.U64(a.suppress_trait_bits);
}

void GetAccount(SnapshotReader& r, AccountState& a, const UserFingerprints& users,
                std::unordered_map<std::string, Signal>& signals, size_t firing_count) {
  a.record = r.Opt<Versioned<AccountHead>>("account.record", [&] {
    return GetVersioned<AccountHead>(r, [&] {
      AccountHead rec;
      rec.name = r.Str("account.name");
      return rec;
    });
  });
  a.owner_versions.resize(r.Count("account.owner_versions"));
  for (auto& v : a.owner_versions) v = GetVersioned<AccountOwners>(r, [&] { return GetOwners(r); });
  a.traits = GetTimedTraits(r);
  a.traits_version = r.U64("account.traits_version");
  a.activation = GetOptTime(r, "account.activation");
  const size_t user_count = r.Count("account.users");
  a.users.reserve(user_count);
  // Read whole first, each user's fingerprint prefetched (the users of an
  // account are scattered over a directory of millions), then inserted.
  thread_local std::vector<UserInAccount> read;
  read.resize(user_count);
  for (UserInAccount& u : read) {
    const uint64_t ordinal = r.U64("account.user");
    if (ordinal >= users.size()) r.Fail("account.user", "no such user");
    __builtin_prefetch(&users[ordinal]);
    u.user = static_cast<uint32_t>(ordinal);
    u.first_day = r.Int("account.user.first_day", std::numeric_limits<Day>::min(),
                        std::numeric_limits<Day>::max());
    u.last_day = r.Int("account.user.last_day", std::numeric_limits<Day>::min(),
                       std::numeric_limits<Day>::max());
  }
  for (const UserInAccount& u : read)
    if (!a.users.TryEmplace(users[u.user], u).second) r.Fail("account.user", "duplicate user");
  a.contracts.resize(r.Count("account.contracts"));
  for (auto& c : a.contracts) c = GetVersioned<ContractRecord>(r, [&] { return GetContract(r); });
  const size_t tickets = r.Count("account.tickets");
  for (size_t i = 0; i < tickets; ++i) {
    std::string key = r.Str("account.ticket");
    auto& tickets_of = a.MutableRare().tickets;
    tickets_of.emplace_hint(tickets_of.end(), std::move(key), GetVersioned<TicketRecord>(r, [&] {
                              TicketRecord t;
                              t.ticket_id = r.Str("ticket.ticket_id");
                              t.severity = GetValue(r, "ticket.severity");
                              t.opened_at = r.I64("ticket.opened_at");
                              t.resolved_at = GetOptTime(r, "ticket.resolved_at");
                              t.topic = r.Str("ticket.topic");
                              return t;
                            }));
  }
  const size_t opportunities = r.Count("account.opportunities");
  for (size_t i = 0; i < opportunities; ++i) {
    std::string key = r.Str("account.opportunity");
    OpportunityState o;
    o.current = GetVersioned<OpportunityRecord>(r, [&] { return GetOpportunity(r); });
    o.signal_id = GetOptStr(r, "account.opportunity.signal_id");
    if (o.signal_id && !signals.count(*o.signal_id))
      r.Fail("account.opportunity.signal_id", "no such signal");
    auto& opportunities_of = a.MutableRare().opportunities;
    opportunities_of.emplace_hint(opportunities_of.end(), std::move(key), std::move(o));
  }
  if (r.Count("account.triggers") != a.triggers.size())
    r.Fail("account.triggers", "count differs from the rules");
  for (auto& t : a.triggers) {
    t.active = r.Bool("trigger.active");
    const uint64_t firing = r.U64("trigger.firing");
    if (firing > std::numeric_limits<uint32_t>::max() || (t.active && firing >= firing_count))
      r.Fail("trigger.firing", "no such firing");
    t.firing = static_cast<uint32_t>(firing);
    t.last_held = r.I64("trigger.last_held");
    t.urgent = r.Bool("trigger.urgent");
  }
  const uint64_t signal_count = r.U64("account.signal_count");
  if (signal_count > std::numeric_limits<uint32_t>::max())
    r.Fail("account.signal_count", "out of range");
  a.signal_count = static_cast<uint32_t>(signal_count);
  if (r.Bool("account.latest_signal")) {
    if (a.signal_count == 0) r.Fail("account.latest_signal", "no signals");
    auto it = signals.find(a.SignalIdOf(a.signal_count));
    if (it == signals.end()) r.Fail("account.latest_signal", "no such signal");
    a.latest_signal = &it->second;
  }
  const size_t touches = r.Count("account.touch_keys");
  for (size_t i = 0; i < touches; ++i) {
    auto& touch_keys = a.MutableRare().touch_keys;
    touch_keys.insert(touch_keys.end(), r.Str("touch key"));
  }
  a.last_closed_at = GetOptTime(r, "account.last_closed_at");
  a.evaluated_at = GetOptTime(r, "account.evaluated_at");
  a.parts = GetParts(r);
  a.last_conditions.resize(r.Count("account.last_conditions"));
  for (auto& c : a.last_conditions) c = GetCondition(r);
  a.firmographic_holds = r.U64("account.firmographic_holds");
  a.committee_values.resize(r.Count("account.committee_values"));
  for (double& d : a.committee_values) d = GetNum(r, "account.committee_values");
  a.active_triggers.resize(r.Count("account.active_triggers"));
  for (int& i : a.active_triggers) {
    i = r.Int("account.active_triggers", 0, static_cast<int>(a.triggers.size()) - 1);
  }
  a.suppression_mask = static_cast<uint32_t>(r.U64("account.suppression_mask"));
  a.users_version = r.U64("account.users_version");
  a.committee_key_users = r.U64("account.committee_key_users");
  a.committee_key_traits = r.U64("account.committee_key_traits");
  a.committee_stable_through =
      r.Int("account.committee_stable_through", std::numeric_limits<Day>::min(),
            std::numeric_limits<Day>::max());
  a.firmographic_key = r.U64("account.firmographic_key");
  a.suppress_trait_key = r.U64("account.suppress_trait_key");
  a.suppress_trait_bits = static_cast<uint32_t>(r.U64("account.suppress_trait_bits"));
}

}  // namespace headroom
