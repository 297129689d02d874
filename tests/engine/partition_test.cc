// SPEC 7 "partitioning by account": a PartitionedEngine fed the same input
// stream as one Engine produces exactly the same firings, signals and account
// views, each partition holding only its own accounts.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "engine/partitioned_engine.h"
#include "harness.h"

namespace headroom::testing {
namespace {

Value N(double d) { return Value::Number(d); }
Value S(std::string s) { return Value::String(std::move(s)); }
Value B(bool b) { return Value::Bool(b); }

// The example config of SPEC 2 in code (its metrics, triggers, and the
// default score, suppression and routing), with seat_capacity sustained 3
// days so that it fires within the stream.
Config PartitionConfig() {
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
  return c;
}

// Builds inputs the way the harness does and feeds one Engine and a
// PartitionedEngine with the same sequence.
class Dual {
 public:
  explicit Dual(const Config& config) : single_(config), parts_(config, 2) {}

  Engine& single() { return single_; }
  PartitionedEngine& parts() { return parts_; }

  void Feed(Input in) {
    in.seq = ++seq_;
    single_.Apply(in);
    parts_.Apply(in);
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
    for (const auto& name : single_.property_interest().names) {
      auto it = props.find(name);
      e.props.push_back(it == props.end() ? Value() : it->second);
    }
    in.body = std::move(e);
    Feed(std::move(in));
  }
  void Identify(TimeMs t, const std::string& user, TraitMap traits, const std::string& account) {
    Input in;
    in.time = t;
    in.type = MessageType::kIdentify;
    in.user_id = user;
    in.account_id = account;
    in.body = IdentifyMsg{std::move(traits)};
    Feed(std::move(in));
  }
  void Record(TimeMs t, const std::string& account, InputBody body) {
    Input in;
    in.time = t;
    in.type = MessageType::kRecord;
    in.account_id = account;
    in.body = std::move(body);
    Feed(std::move(in));
  }

 private:
  Engine single_;
  PartitionedEngine parts_;
  uint64_t seq_ = 0;
};

// Deterministic pseudo-random numbers (a 64-bit LCG) so the stream is fixed.
class Lcg {
 public:
  uint32_t Next(uint32_t n) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>((state_ >> 33) % n);
  }

 private:
  uint64_t state_ = 20260301;
};

ContractRecord SeatContract(const std::string& start) {
  ContractRecord c;
  c.plan = "team";
  c.arr = 12000;
  c.start = T(start);
  c.limits["seats"] = N(10);
  return c;
}

std::vector<nlohmann::json> FiringsJson(const std::vector<Firing>& firings) {
  std::vector<nlohmann::json> out;
  for (const Firing& f : firings) out.push_back(ToJson(f));
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.dump() < b.dump(); });
  return out;
}

std::map<std::string, nlohmann::json> SignalsJson(const Engine& e) {
  std::map<std::string, nlohmann::json> out;
  for (const Signal* s : e.Signals()) out[s->signal_id] = ToJson(*s);
  return out;
}

nlohmann::json AccountJson(const Engine& e, const std::string& id) {
  const auto v = e.Account(id);
  if (!v) return "missing";
  const Signal* s = v->signal_id ? e.FindSignal(*v->signal_id) : nullptr;
  return AccountDetailJson(*v, s);
}

// A stream over 2026-03-01 .. 2026-04-09 (40 days) for eight accounts:
// owners, account records (owners, icp_fit, growth, one do_not_contact),
// contracts with 10 seats (one young), identifies with titles and
// departments, daily usage growing at per-account rates, paywall hits,
// workflows, a late event every 7th day, touches, opportunities (linked by
// signal_id and by account, won with credit), a sev-1 ticket, an anonymous
// user and an unattributed event.
TEST(Partition, UnionEqualsOneEngine) {
  const Config config = PartitionConfig();
  Dual d(config);
  const TimeMs day0 = T("2026-03-01T00:00:00Z");
  auto at = [&](int day, int hour, int minute = 0) {
    return day0 + day * kMsPerDay + hour * kMsPerHour + minute * 60 * kMsPerSecond;
  };
  const std::vector<std::string> accounts = {"acme",    "beta", "gamma", "delta",
                                             "epsilon", "zeta", "eta",   "theta"};
  ASSERT_EQ(d.parts().size(), 2u);
  std::set<size_t> used;
  for (const auto& a : accounts) used.insert(d.parts().PartitionOf(a));
  ASSERT_EQ(used.size(), 2u) << "both partitions must own accounts";

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
  // Growth of active users per day (users = min(12, 2 + day * rate / 4)).
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
    if (a != "eta") d.Record(at(0, 1), a, SeatContract("2025-01-01"));
    for (int u = 0; u < 12; ++u) {
      TraitMap traits;
      traits["department"] = S(u % 3 == 0 ? "Engineering" : u % 3 == 1 ? "Sales" : "Finance");
      traits["title"] = S(u == 0 ? "VP of Engineering" : u == 5 ? "Sr. Director, IT" : "Engineer");
      d.Identify(at(0, 2), a + "-u" + std::to_string(u), traits, u < 2 ? a : "");
    }
  }
  Lcg rng;
  for (int day = 0; day < 40; ++day) {
    for (const auto& a : accounts) {
      const int users = std::min(12, 2 + day * rate.at(a) / 4);
      for (int u = 0; u < users; ++u) {
        if (rng.Next(4) == 0) continue;  // not everyone every day
        d.Track(at(day, 8 + static_cast<int>(rng.Next(10)), static_cast<int>(rng.Next(60))), a,
                a + "-u" + std::to_string(u), "Feature Used");
      }
      if (rng.Next(3) == 0) d.Track(at(day, 19), a, a + "-u1", "Paywall Hit");
      if (rng.Next(2) == 0) {
        d.Track(at(day, 20), a, a + "-u2", "Workflow Started");
        if (rng.Next(2) == 0) d.Track(at(day, 20, 30), a, a + "-u2", "Workflow Completed");
      }
      d.Track(at(day, 21), a, "anon-" + a, "Data Ingested", {{"gb", N(rng.Next(50))}}, true);
      if (day % 7 == 6)  // a late event, two days back
        d.Track(at(day - 2, 12), a, a + "-u3", "Paywall Hit");
      if (day % 5 == 0)
        d.Track(at(day, 22), a, a + "-u4", "Seats Synced", {{"seats_in_use", N(users)}});
    }
    if (day == 14) d.Record(at(day, 0), "eta", SeatContract("2026-03-15"));  // young until May 14
    if (day == 3) d.Track(at(day, 23), "", "nobody", "Feature Used");        // unattributed
    if (day == 9) {
      TicketRecord t;
      t.ticket_id = "t-delta";
      t.severity = N(1);
      t.opened_at = at(9, 23);
      d.Record(at(9, 23), "delta", t);
    }
    if (day == 12 || day == 22) {
      for (const auto& a : {"acme", "beta", "theta"}) {
        TouchRecord t;
        t.signal_id = std::string(a) + (day == 12 ? ":1" : ":2");
        t.owner_id = "ae1";
        t.at = at(day, 23, 30);
        t.channel = "email";
        d.Record(t.at, a, t);
      }
      TouchRecord t;  // by account
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
    if (day == 30) {
      OpportunityRecord o;
      o.opportunity_id = "opp-gamma15";
      o.owner_id = "ae1";
      o.created_at = at(15, 23, 50);
      o.stage = "won";
      o.closed_at = at(30, 10);
      o.amount = 12345;
      d.Record(at(30, 10), "gamma", o);
    }
  }

  Engine& single = d.single();
  ASSERT_GE(single.Signals().size(), 3u);
  ASSERT_GE(single.Firings().size(), 5u);

  // Firings: the union of the partitions' equals the single engine's.
  std::vector<Firing> part_firings;
  std::map<std::string, nlohmann::json> part_signals;
  std::map<std::string, nlohmann::json> part_accounts;
  for (size_t p = 0; p < d.parts().size(); ++p) {
    Engine& e = d.parts().partition(p);
    EXPECT_EQ(e.clock(), single.clock()) << "partition " << p;
    const auto ids = e.AccountIds();
    EXPECT_FALSE(ids.empty()) << "partition " << p;
    for (const auto& id : ids) {
      EXPECT_EQ(d.parts().PartitionOf(id), p) << id;
      part_accounts[id] = AccountJson(e, id);
    }
    for (const Firing& f : e.Firings()) {
      EXPECT_EQ(d.parts().PartitionOf(f.account_id), p) << f.account_id;
      part_firings.push_back(f);
    }
    size_t signals = 0;
    for (const auto& [id, s] : SignalsJson(e)) {
      EXPECT_EQ(d.parts().PartitionOf(s["account_id"].get<std::string>()), p) << id;
      EXPECT_TRUE(part_signals.emplace(id, s).second) << id;
      ++signals;
    }
    EXPECT_GE(signals, 1u) << "partition " << p;
  }
  EXPECT_EQ(FiringsJson(part_firings), FiringsJson(single.Firings()));
  EXPECT_EQ(part_signals, SignalsJson(single));
  std::map<std::string, nlohmann::json> single_accounts;
  for (const auto& id : single.AccountIds()) single_accounts[id] = AccountJson(single, id);
  const std::vector<std::string> sorted_ids = {"acme", "beta",  "delta", "epsilon",
                                               "eta",  "gamma", "theta", "zeta"};
  EXPECT_EQ(single.AccountIds(), sorted_ids);  // the unattributed event names none
  EXPECT_EQ(part_accounts, single_accounts);
}

}  // namespace
}  // namespace headroom::testing
