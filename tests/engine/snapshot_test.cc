// Engine snapshots (issue 7): the codec's bounds checks, and the promise of
// engine.h: an engine loaded from a snapshot taken after inputs 1..k, then fed
// k+1..n, gives exactly the account views, signals, firings and effects of
// one engine fed 1..n — for cuts mid-day, right before and right after a
// midnight, and with live signals, active triggers and armed deadlines.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "common/snapshot_codec.h"
#include "engine/state_codec.h"
#include "harness.h"

namespace headroom::testing {
namespace {

Value N(double d) { return Value::Number(d); }
Value S(std::string s) { return Value::String(std::move(s)); }
Value B(bool b) { return Value::Bool(b); }

uint64_t Bits(double d) {
  uint64_t b = 0;
  std::memcpy(&b, &d, sizeof b);
  return b;
}

// ---- Codec -------------------------------------------------------------------

TEST(SnapshotCodec, RoundTripsExactly) {
  SnapshotWriter w;
  w.U64(0);
  w.U64(127);
  w.U64(128);
  w.U64(std::numeric_limits<uint64_t>::max());
  w.I64(-1);
  w.I64(std::numeric_limits<int64_t>::min());
  w.F64(0.1);
  w.F64(-0.0);
  w.Str("héllo");
  w.Bool(true);
  // Varint sizes: 0 and 127 one byte, 128 two bytes, 2^64-1 ten bytes.
  EXPECT_EQ(w.size(), 1u + 1 + 2 + 10 + 1 + 10 + 8 + 8 + (1 + 6) + 1);
  SnapshotReader r(w.bytes());
  EXPECT_EQ(r.U64("a"), 0u);
  EXPECT_EQ(r.U64("a"), 127u);
  EXPECT_EQ(r.U64("a"), 128u);
  EXPECT_EQ(r.U64("a"), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(r.I64("a"), -1);
  EXPECT_EQ(r.I64("a"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(Bits(r.F64("a")), Bits(0.1));
  EXPECT_EQ(Bits(r.F64("a")), Bits(-0.0));
  EXPECT_EQ(r.Str("a"), "héllo");
  EXPECT_TRUE(r.Bool("a"));
  EXPECT_TRUE(r.at_end());
}

TEST(SnapshotCodec, NumbersStayBitExact) {
  const double values[] = {0.0,
                           -0.0,
                           1.0,
                           -7.0,
                           0.1 + 0.2,
                           9007199254740991.0,  // 2^53 - 1: a varint
                           9007199254740992.0,  // 2^53: raw bytes
                           1e300,
                           std::numeric_limits<double>::quiet_NaN(),
                           -std::numeric_limits<double>::infinity()};
  SnapshotWriter w;
  for (double v : values) PutNum(w, v);
  SnapshotReader r(w.bytes());
  for (double v : values) EXPECT_EQ(Bits(GetNum(r, "n")), Bits(v)) << v;
  EXPECT_TRUE(r.at_end());
  SnapshotWriter small;
  PutNum(small, 12);  // integral: one varint byte
  EXPECT_EQ(small.size(), 1u);
  SnapshotWriter frac;
  PutNum(frac, 0.5);  // tag + 8 bytes
  EXPECT_EQ(frac.size(), 9u);
}

TEST(SnapshotCodec, ReadsAreBoundsChecked) {
  SnapshotWriter w;
  w.Str("abc");
  const std::string bytes = w.bytes();
  {
    SnapshotReader r(std::string_view(bytes).substr(0, 2));  // length 3, one byte left
    try {
      r.Str("account id");
      FAIL() << "no error";
    } catch (const SnapshotCorrupt& e) {
      EXPECT_STREQ(e.what(),
                   "snapshot: account id: string longer than the bytes left (at byte 1 of 2)");
    }
  }
  {
    const std::string eleven(11, '\xff');  // a varint that never ends
    SnapshotReader r(eleven);
    EXPECT_THROW(r.U64("n"), SnapshotCorrupt);
  }
  {
    SnapshotWriter c;
    c.U64(1000);  // a count of 1000 with 2 bytes in the buffer
    SnapshotReader r(c.bytes());
    try {
      r.Count("accounts");
      FAIL() << "no error";
    } catch (const SnapshotCorrupt& e) {
      EXPECT_STREQ(e.what(),
                   "snapshot: accounts: count larger than the bytes left (at byte 2 of 2)");
    }
  }
  {
    SnapshotReader r("\x02");
    EXPECT_THROW(r.Bool("flag"), SnapshotCorrupt);
  }
  {
    SnapshotReader r("");
    EXPECT_THROW(r.F64("x"), SnapshotCorrupt);
  }
}

// ---- Engine ------------------------------------------------------------------

// SPEC 2's metrics and triggers in code (fractional gb sums included) with the
// default score and suppression, and routing with short touch SLAs.
Config SnapshotConfig() {
  Config c;
  c.metrics.push_back(Metric("active_users", MetricForm::kDistinctUser, {}, "", Days(30)));
  c.metrics.push_back(Metric("gb_ingested", MetricForm::kSum, {"Data Ingested"}, "gb", Month()));
  c.metrics.push_back(
      Metric("paywall_days", MetricForm::kDaysActive, {"Paywall Hit"}, "", Days(14)));
  c.metrics.push_back(
      Metric("workflows_done", MetricForm::kCount, {"Workflow Completed"}, "", Days(30)));
  c.metrics.push_back(
      Metric("workflows_started", MetricForm::kCount, {"Workflow Started"}, "", Days(30)));
  c.metrics.push_back(
      Metric("seats_reported", MetricForm::kLatest, {"Seats Synced"}, "seats_in_use", All()));
  c.metrics.push_back(Metric("features", MetricForm::kDistinct, {"Feature Used"}, "name", All()));
  c.metrics.push_back(Metric("lifetime_gb", MetricForm::kSum, {"Data Ingested"}, "gb", All()));
  c.metrics.push_back(
      Metric("paywall_days_all", MetricForm::kDaysActive, {"Paywall Hit"}, "", All()));
  TriggerDef seat;
  seat.name = "seat_capacity";
  seat.cls = TriggerClass::kCapacity;
  seat.metric = "active_users";
  seat.limit = "seats";
  seat.at = 0.8;
  seat.sustained_days = 3;
  seat.buffer = 0.15;
  c.triggers.push_back(seat);
  TriggerDef paywall;
  paywall.name = "paywall_repeat";
  paywall.cls = TriggerClass::kAdoption;
  paywall.metric = "paywall_days";
  paywall.at = 3;
  c.triggers.push_back(paywall);
  TriggerDef value;
  value.name = "workflow_value";
  value.cls = TriggerClass::kValue;
  value.ratio = std::make_pair(std::string("workflows_done"), std::string("workflows_started"));
  value.at = 0.4;
  value.min_denominator = 5;
  c.triggers.push_back(value);
  // Short SLAs: touch deadlines fall between inputs, not on midnights, so
  // the armed deadlines (not just the midnights) decide some evaluations.
  c.routing.ae_touch_sla_hours = 4.5;
  c.routing.csm_touch_sla_hours = 7.25;
  return c;
}

class Lcg {
 public:
  uint32_t Next(uint32_t n) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>((state_ >> 33) % n);
  }

 private:
  uint64_t state_ = 20261204;
};

// Builds the input stream once; engines are fed slices of it.
class Stream {
 public:
  explicit Stream(const Engine& e) : names_(e.property_interest().names) {}
  const std::vector<Input>& inputs() const { return inputs_; }

  void Add(Input in) {
    in.seq = inputs_.size() + 1;
    inputs_.push_back(std::move(in));
  }
  void Track(TimeMs t, const std::string& account, const std::string& user,
             const std::string& event, const std::map<std::string, Value>& props = {},
             bool anonymous = false) {
    Input in;
    in.time = t;
    in.type = MessageType::kTrack;
    in.user_id = user;
    in.anonymous = anonymous;
    in.account_id = account;
    EventMsg e;
    e.event = event;
    for (const auto& name : names_) {
      auto it = props.find(name);
      e.props.push_back(it == props.end() ? Value() : it->second);
    }
    in.body = std::move(e);
    Add(std::move(in));
  }
  void Identify(TimeMs t, const std::string& user, TraitMap traits, const std::string& account) {
    Input in;
    in.time = t;
    in.type = MessageType::kIdentify;
    in.user_id = user;
    in.account_id = account;
    in.body = IdentifyMsg{std::move(traits)};
    Add(std::move(in));
  }
  void Record(TimeMs t, const std::string& account, InputBody body) {
    Input in;
    in.time = t;
    in.type = MessageType::kRecord;
    in.account_id = account;
    in.body = std::move(body);
    Add(std::move(in));
  }

 private:
  std::vector<std::string> names_;
  std::vector<Input> inputs_;
};

ContractRecord SeatContract(TimeMs start) {
  ContractRecord c;
  c.plan = "team";
  c.arr = 12000;
  c.start = start;
  c.limits["seats"] = N(10);
  return c;
}

// 2026-03-01 .. 2026-04-19 (50 days), eight accounts: owners, account records,
// contracts, identifies with titles (and a title change mid-stream), growing
// daily usage, fractional gb, paywall hits, workflows, late events, touches,
// opportunities (linked, won, lost), a sev-1 ticket, an anonymous user, an
// unattributed event.
Stream BuildStream(const Engine& engine) {
  Stream d(engine);
  const TimeMs day0 = T("2026-03-01T00:00:00Z");
  auto at = [&](int day, int hour, int minute = 0) {
    return day0 + day * kMsPerDay + hour * kMsPerHour + minute * 60 * kMsPerSecond;
  };
  const std::vector<std::string> accounts = {"acme",    "beta", "gamma", "delta",
                                             "epsilon", "zeta", "eta",   "theta"};
  for (const auto& [id, role, manager] :
       std::vector<std::tuple<std::string, std::string, std::string>>{{"ae1", "ae", "mgr1"},
                                                                      {"ae2", "ae", "mgr1"},
                                                                      {"csm1", "csm", "mgr2"},
                                                                      {"mgr1", "manager", ""},
                                                                      {"mgr2", "manager", ""},
                                                                      {"rv1", "revops", ""}}) {
    OwnerRecord r;
    r.owner_id = id;
    r.role = role;
    r.name = id;
    if (!manager.empty()) r.manager = manager;
    d.Record(at(0, 0), "", r);
  }
  const std::map<std::string, int> rate = {{"acme", 4},    {"beta", 3}, {"gamma", 2}, {"delta", 4},
                                           {"epsilon", 1}, {"zeta", 3}, {"eta", 2},   {"theta", 5}};
  for (size_t i = 0; i < accounts.size(); ++i) {
    const std::string& a = accounts[i];
    AccountRecord r;
    r.name = "Account " + a;
    r.owners.ae = i % 3 == 2 ? std::optional<std::string>()
                             : std::optional<std::string>(i % 2 ? "ae2" : "ae1");
    if (i % 2 == 0) r.owners.csm = "csm1";
    r.traits["icp_fit"] = B(i != 4);
    r.traits["headcount_growth_pct"] = N(i % 2 ? 12 : 4);
    if (a == "zeta") r.traits["do_not_contact"] = B(true);
    d.Record(at(0, 1), a, r);
    if (a != "eta") d.Record(at(0, 1), a, SeatContract(T("2025-01-01T00:00:00Z")));
    for (int u = 0; u < 12; ++u) {
      TraitMap traits;
      traits["department"] = S(u % 3 == 0 ? "Engineering" : u % 3 == 1 ? "Sales" : "Finance");
      traits["title"] = S(u == 0 ? "VP of Engineering" : u == 5 ? "Sr. Director, IT" : "Engineer");
      d.Identify(at(0, 2), a + "-u" + std::to_string(u), traits, u < 2 ? a : "");
    }
  }
  Lcg rng;
  for (int day = 0; day < 50; ++day) {
    for (const auto& a : accounts) {
      const int users = std::min(12, 2 + day * rate.at(a) / 4);
      for (int u = 0; u < users; ++u) {
        if (rng.Next(4) == 0) continue;
        d.Track(at(day, 8 + static_cast<int>(rng.Next(10)), static_cast<int>(rng.Next(60))), a,
                a + "-u" + std::to_string(u), "Feature Used",
                {{"name", S("f" + std::to_string(rng.Next(9)))}});
      }
      if (rng.Next(3) == 0) d.Track(at(day, 19), a, a + "-u1", "Paywall Hit");
      if (rng.Next(2) == 0) {
        d.Track(at(day, 20), a, a + "-u2", "Workflow Started");
        if (rng.Next(2) == 0) d.Track(at(day, 20, 30), a, a + "-u2", "Workflow Completed");
      }
      d.Track(at(day, 21), a, "anon-" + a, "Data Ingested", {{"gb", N(rng.Next(500) / 7.0)}}, true);
      if (day % 7 == 6) d.Track(at(day - 2, 12), a, a + "-u3", "Paywall Hit");  // late
      if (day % 5 == 0)
        d.Track(at(day, 22), a, a + "-u4", "Seats Synced", {{"seats_in_use", N(users)}});
    }
    if (day == 14) d.Record(at(day, 0), "eta", SeatContract(T("2026-03-15T00:00:00Z")));
    if (day == 3) d.Track(at(day, 23), "", "nobody", "Feature Used");  // unattributed
    if (day == 9) {
      TicketRecord t;
      t.ticket_id = "t-delta";
      t.severity = N(1);
      t.opened_at = at(9, 23);
      d.Record(at(9, 23), "delta", t);
    }
    if (day == 20) {  // a title change: committee caches must follow
      TraitMap traits;
      traits["title"] = S("Chief Technology Officer");
      d.Identify(at(day, 7), "beta-u3", traits, "");
    }
    if (day == 12 || day == 22 || day == 33) {
      for (const auto& a : {"acme", "beta", "theta"}) {
        TouchRecord t;
        t.signal_id = std::string(a) + (day == 12 ? ":1" : ":2");
        t.owner_id = "ae1";
        t.at = at(day, 23, 30);
        t.channel = "email";
        d.Record(t.at, a, t);
      }
      TouchRecord t;
      t.owner_id = "csm1";
      t.at = at(day, 23, 40);
      t.channel = "call";
      d.Record(t.at, "gamma", t);
    }
    if (day == 15 || day == 25) {
      for (const auto& a : {"acme", "gamma", "theta"}) {
        OpportunityRecord o;
        o.opportunity_id = std::string("opp-") + a + std::to_string(day);
        if (std::string(a) == "acme") o.signal_id = "acme:1";
        o.owner_id = "ae1";
        o.created_at = at(day, 23, 50);
        o.stage = "open";
        o.amount = 10000;
        o.discount = std::string(a) == "theta" ? 0.2 : 0.1;
        o.term_months = 12;
        d.Record(o.created_at, a, o);
      }
    }
    if (day == 30 || day == 40) {
      OpportunityRecord o;
      o.opportunity_id = day == 30 ? "opp-gamma15" : "opp-theta25";
      o.owner_id = "ae1";
      o.created_at = at(day == 30 ? 15 : 25, 23, 50);
      o.stage = day == 30 ? "won" : "lost";
      o.closed_at = at(day, 10);
      o.amount = 12345.5;
      d.Record(at(day, 10), day == 30 ? "gamma" : "theta", o);
    }
  }
  return d;
}

void Feed(Engine& e, const std::vector<Input>& inputs, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) e.Apply(inputs[i]);
}

nlohmann::json EffectsJson(const std::vector<Effect>& effects) {
  nlohmann::json out = nlohmann::json::array();
  for (const Effect& e : effects)
    out.push_back({{"id", e.id},
                   {"type", e.type},
                   {"at", e.at},
                   {"account", e.account_id},
                   {"data", e.data}});
  return out;
}

// Every output of an engine, as JSON text (byte-compared).
struct Outputs {
  std::map<std::string, std::string> accounts, signals;
  std::vector<std::string> firings;
  std::string clock, next;
};

Outputs Collect(const Engine& e) {
  Outputs o;
  for (const auto& id : e.AccountIds()) {
    const auto v = e.Account(id);
    const Signal* s = v->signal_id ? e.FindSignal(*v->signal_id) : nullptr;
    o.accounts[id] = AccountDetailJson(*v, s).dump();
  }
  for (const Signal* s : e.Signals()) o.signals[s->signal_id] = ToJson(*s).dump();
  for (const Firing& f : e.Firings()) o.firings.push_back(ToJson(f).dump());
  std::sort(o.firings.begin(), o.firings.end());
  o.clock = Iso(e.clock());
  o.next = Iso(e.NextEvaluationPoint());
  return o;
}

void ExpectSame(const Outputs& a, const Outputs& b, const std::string& label) {
  EXPECT_EQ(a.clock, b.clock) << label;
  EXPECT_EQ(a.next, b.next) << label;
  EXPECT_EQ(a.accounts, b.accounts) << label;
  EXPECT_EQ(a.signals, b.signals) << label;
  EXPECT_EQ(a.firings, b.firings) << label;
}

// The index of the last input stamped before the midnight that starts `day`.
size_t LastBefore(const std::vector<Input>& in, TimeMs midnight) {
  size_t k = 0;
  for (size_t i = 0; i < in.size(); ++i)
    if (in[i].time < midnight) k = i + 1;
  return k;
}

TEST(EngineSnapshot, SnapshotPlusReplayEqualsFullReplay) {
  const Config config = SnapshotConfig();
  Engine probe(config);
  const Stream stream = BuildStream(probe);
  const std::vector<Input>& in = stream.inputs();
  ASSERT_GT(in.size(), 4000u);

  // A cut right before a touch deadline that escalates: the deadline is
  // armed in the snapshot and fires in the replayed tail.
  size_t before_escalation = 0;
  {
    Engine full(config);
    Feed(full, in, 0, in.size());
    std::optional<TimeMs> due;
    for (const Signal* s : full.Signals())
      if (s->escalated_at && (!due || *s->escalated_at < *due)) due = *s->escalated_at;
    ASSERT_TRUE(due.has_value());
    before_escalation = LastBefore(in, *due);
  }
  const TimeMs d20 = T("2026-03-21T00:00:00Z");
  const std::vector<std::pair<size_t, std::string>> cuts = {
      {1, "after the first input"},
      {in.size() / 3, "mid-day"},
      {LastBefore(in, d20), "right before a midnight"},
      {LastBefore(in, d20) + 1, "right after a midnight"},
      {LastBefore(in, T("2026-04-02T00:00:00Z")) - 7, "late on 2026-04-01"},
      {before_escalation, "before a touch deadline"},
      {in.size() - 1, "before the last input"},
      {in.size(), "after every input"},
  };
  bool saw_live = false, saw_active = false, saw_deadline = false;
  for (const auto& [k, label] : cuts) {
    // Reference: one engine fed 1..n (changes taken at k, as the cut does).
    Engine full(config);
    Feed(full, in, 0, k);
    (void)full.TakeChanges();
    Feed(full, in, k, in.size());
    const std::vector<Effect> full_effects = full.TakeChanges().effects;

    Engine first(config);
    Feed(first, in, 0, k);
    (void)first.TakeChanges();
    const std::string blob = first.SaveSnapshot();
    for (const Signal* s : first.Signals()) saw_live |= s->live();
    for (const Firing& f : first.Firings()) saw_active |= !f.ended_at.has_value();
    for (const Signal* s : first.Signals())  // an armed touch deadline
      saw_deadline |= s->live() && !s->first_touch_at && !s->escalated_at;

    Engine loaded(config);
    Result<SnapshotStats> stats = loaded.LoadSnapshot(blob);
    ASSERT_TRUE(stats.ok()) << label << ": " << stats.error().ToString();
    EXPECT_EQ(stats->accounts, first.AccountIds().size()) << label;
    EXPECT_EQ(stats->signals, first.Signals().size()) << label;
    EXPECT_EQ(stats->firings, first.Firings().size()) << label;
    Feed(loaded, in, k, in.size());
    const std::vector<Effect> loaded_effects = loaded.TakeChanges().effects;

    EXPECT_EQ(EffectsJson(loaded_effects).dump(), EffectsJson(full_effects).dump()) << label;
    ExpectSame(Collect(loaded), Collect(full), label);
    if (k == in.size()) {
      EXPECT_TRUE(loaded_effects.empty()) << label;
    }
  }
  // The cuts covered what a restart must carry.
  EXPECT_TRUE(saw_live);
  EXPECT_TRUE(saw_active);
  EXPECT_TRUE(saw_deadline);

  // And the stream exercised the engine: signals, firings and effects.
  Engine full(config);
  Feed(full, in, 0, in.size());
  EXPECT_GE(full.Signals().size(), 8u);
  EXPECT_GE(full.Firings().size(), 10u);
}

TEST(EngineSnapshot, SnapshotOfALoadedEngineLoadsToTheSameState) {
  const Config config = SnapshotConfig();
  Engine probe(config);
  const Stream stream = BuildStream(probe);
  const std::vector<Input>& in = stream.inputs();
  const size_t k = in.size() / 2;
  Engine first(config);
  Feed(first, in, 0, k);
  Engine second(config);
  ASSERT_TRUE(second.LoadSnapshot(first.SaveSnapshot()).ok());
  Engine third(config);
  ASSERT_TRUE(third.LoadSnapshot(second.SaveSnapshot()).ok());
  Feed(first, in, k, in.size());
  Feed(third, in, k, in.size());
  ExpectSame(Collect(third), Collect(first), "twice loaded");
}

TEST(EngineSnapshot, BadBlobsAreErrorsAndChangeNothing) {
  const Config config = SnapshotConfig();
  Engine probe(config);
  const Stream stream = BuildStream(probe);
  const std::vector<Input>& in = stream.inputs();
  Engine first(config);
  Feed(first, in, 0, 2000);
  const std::string blob = first.SaveSnapshot();

  Engine e(config);
  {
    Result<SnapshotStats> r = e.LoadSnapshot("");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().ToString(), "snapshot: not an engine snapshot");
  }
  {
    std::string wrong = blob;
    wrong[8] = '\x02';  // the format varint after the 8-byte magic
    Result<SnapshotStats> r = e.LoadSnapshot(wrong);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().ToString(), "snapshot: format 2 is not supported (expected 8)");
  }
  {
    Result<SnapshotStats> r = e.LoadSnapshot(blob + "x");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().rule.rfind("snapshot: engine: trailing bytes", 0), 0u) << r.error().rule;
  }
  // Every strict prefix is an error (a count or a field runs past the end).
  for (size_t len = 9; len < blob.size(); len += 37) {
    Result<SnapshotStats> r = e.LoadSnapshot(std::string_view(blob).substr(0, len));
    ASSERT_FALSE(r.ok()) << len;
  }
  // Flipped bytes: an error or a state, never a crash (ASan/UBSan build).
  size_t rejected = 0;
  for (size_t pos = 9; pos < blob.size(); pos += 101) {
    std::string bad = blob;
    bad[pos] = static_cast<char>(bad[pos] ^ 0x5a);
    Engine scratch(config);
    if (!scratch.LoadSnapshot(bad).ok()) ++rejected;
  }
  EXPECT_GT(rejected, 0u);
  // Rules of another shape.
  Config other = SnapshotConfig();
  other.triggers.pop_back();
  Engine e2(other);
  Result<SnapshotStats> r = e2.LoadSnapshot(blob);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().rule.rfind("snapshot: rules: the snapshot was taken with other rules", 0),
            0u);
  // Rules of the same shape whose triggers have other names: the snapshot's
  // firings name triggers these rules do not have.
  ASSERT_FALSE(first.Firings().empty());
  Config renamed = SnapshotConfig();
  for (TriggerDef& t : renamed.triggers) t.name += "_renamed";
  Engine e3(renamed);
  Result<SnapshotStats> r3 = e3.LoadSnapshot(blob);
  ASSERT_FALSE(r3.ok());
  EXPECT_EQ(r3.error().rule.rfind("snapshot: firing.trigger: no such trigger in these rules", 0),
            0u)
      << r3.error().rule;
  // After all of that, `e` is still fresh: the good blob loads.
  EXPECT_FALSE(e.clock().has_value());
  EXPECT_TRUE(e.AccountIds().empty());
  ASSERT_TRUE(e.LoadSnapshot(blob).ok());
  EXPECT_EQ(e.AccountIds(), first.AccountIds());
  // A second load into a used engine is refused.
  Result<SnapshotStats> again = e.LoadSnapshot(blob);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().rule.rfind("snapshot: engine: LoadSnapshot needs a fresh engine", 0), 0u);
}

// Format 5 writes accounts in chunks that load on every core: eight accounts
// in chunks of 3 (3 + 3 + 2) restore the same engine as one chunk does, and
// a damaged chunk is an error whichever thread decodes it.
TEST(EngineSnapshot, AccountsInChunksLoadOnEveryCore) {
  const Config config = SnapshotConfig();
  Engine probe(config);
  const Stream stream = BuildStream(probe);
  const std::vector<Input>& in = stream.inputs();
  const size_t k = in.size() / 2;
  Engine first(config);
  Feed(first, in, 0, k);
  ASSERT_EQ(first.AccountIds().size(), 8u);
  const std::string whole = first.SaveSnapshot();
  first.set_snapshot_chunk_accounts(3);
  const std::string chunked = first.SaveSnapshot();
  // Two more chunk headers (a count byte and a one-byte length each at most
  // two bytes): the accounts' bytes are the same.
  EXPECT_GE(chunked.size(), whole.size() + 4);
  EXPECT_LE(chunked.size(), whole.size() + 6);

  Engine loaded(config);
  Result<SnapshotStats> stats = loaded.LoadSnapshot(chunked);
  ASSERT_TRUE(stats.ok()) << stats.error().ToString();
  EXPECT_EQ(stats->accounts, 8u);
  EXPECT_EQ(loaded.AccountIds(), first.AccountIds());
  Feed(first, in, k, in.size());
  Feed(loaded, in, k, in.size());
  ExpectSame(Collect(loaded), Collect(first), "chunks of 3");

  // Every strict prefix is an error; flipped bytes are an error or a state.
  for (size_t len = 9; len < chunked.size(); len += 29) {
    Engine scratch(config);
    ASSERT_FALSE(scratch.LoadSnapshot(std::string_view(chunked).substr(0, len)).ok()) << len;
  }
  size_t rejected = 0;
  for (size_t pos = chunked.size() / 2; pos < chunked.size(); pos += 53) {
    std::string bad = chunked;
    bad[pos] = static_cast<char>(bad[pos] ^ 0x5a);
    Engine scratch(config);
    if (!scratch.LoadSnapshot(bad).ok()) ++rejected;
  }
  EXPECT_GT(rejected, 0u);
}

// The directory is built on one core while the others decode accounts: a
// key written twice is still an error naming the user. Users "dup-aa" and
// "dup-bb" of one account; the second key is rewritten as the first.
TEST(EngineSnapshot, ADuplicateUserKeyIsAnError) {
  const Config config = SnapshotConfig();
  Engine e(config);
  Stream d(e);
  d.Track(T("2026-03-01T10:00:00Z"), "acme", "dup-aa", "Feature Used", {{"name", S("f1")}});
  d.Track(T("2026-03-01T11:00:00Z"), "acme", "dup-bb", "Feature Used", {{"name", S("f1")}});
  Feed(e, d.inputs(), 0, 2);
  std::string blob = e.SaveSnapshot();
  Engine good(config);
  ASSERT_TRUE(good.LoadSnapshot(blob).ok());
  const size_t at = blob.find("dup-bb");
  ASSERT_NE(at, std::string::npos);
  ASSERT_EQ(blob.find("dup-bb", at + 1), std::string::npos);  // written once
  blob.replace(at, 6, "dup-aa");
  Engine bad(config);
  Result<SnapshotStats> r = bad.LoadSnapshot(blob);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().rule.rfind("snapshot: user: duplicate key (user 1)", 0), 0u)
      << r.error().rule;
  EXPECT_TRUE(bad.AccountIds().empty());
}

TEST(EngineSnapshot, FewUsedRingSlotsMakeASmallSnapshot) {
  const Config config = SnapshotConfig();
  Engine e(config);
  Stream d(e);
  d.Track(T("2026-03-01T10:00:00Z"), "acme", "u1", "Feature Used", {{"name", S("f1")}});
  Feed(e, d.inputs(), 0, 1);
  const std::string blob = e.SaveSnapshot();
  // One account, one user, eight metrics each holding at most one day: the
  // rings are written as their used slots only (all slots would take at
  // least 8 metrics x 31 slots x 2 bytes = 496 bytes).
  EXPECT_LT(blob.size(), 400u);
  Engine loaded(config);
  ASSERT_TRUE(loaded.LoadSnapshot(blob).ok());
  ExpectSame(Collect(loaded), Collect(e), "one event");
}

}  // namespace
}  // namespace headroom::testing
