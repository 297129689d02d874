#include "reports/history.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include <simdjson.h>

#include "input/parser.h"

namespace headroom::reports {

namespace {

struct Version {
  TimeMs time = 0;
  uint64_t seq = 0;
  Input input;
};

// Equality of a JSON property value with a `where` value (SPEC 3.7 rule 12).
bool ElementEquals(simdjson::dom::element e, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull: return e.is_null();
    case Value::Kind::kBool: return e.is_bool() && e.get_bool().value() == v.boolean();
    case Value::Kind::kNumber: return e.is_number() && e.get_double().value() == v.number();
    case Value::Kind::kString: {
      std::string_view s;
      return !e.get_string().get(s) && s == v.str();
    }
    default: return simdjson::minify(e) == v.str();
  }
}

// Appends only when different from the last value: the log is mostly in time
// order, so this removes most duplicates before the final sort.
template <typename T>
void PushNew(std::vector<T>& v, T x) {
  if (v.empty() || v.back() != x) v.push_back(x);
}
template <typename T>
void SortUnique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

struct EventAcc {
  EventStats stats;
  std::vector<uint64_t> account_days;
  std::vector<Day> days;
  std::vector<size_t> users;
  std::vector<std::pair<std::string, int64_t>> properties;
};

}  // namespace

std::optional<TimeMs> LogClock(Store& store) {
  Statement s(store.database(), "SELECT max(time) FROM inputs");
  Statement::Use use(s);
  if (!s.Step() || s.IsNull(0)) return std::nullopt;
  return s.Int(0);
}

HistoryReader::HistoryReader(Store& store, const Config& config, TimeMs w, unsigned parts) : w_(w) {
  if (parts & (kKnown | kEvents)) LoadAccountsFromLog(store);
  if (parts & kEvents) LoadEvents(store, config);
  LoadRecords(store, parts);
  if (parts & kFirings) {
    for (const auto& f : store.Firings(std::nullopt, std::nullopt)) {
      FiringFact ff;
      ff.account_id = f.value("account_id", "");
      ff.trigger = f.value("trigger", "");
      ff.cls = f.value("class", "");
      ff.fired_at = ParseIsoTime(f.value("fired_at", "")).value_or(0);
      firings_.push_back(std::move(ff));
    }
  }
  if (parts & kSignals) signals_ = store.Signals(std::nullopt, std::nullopt, std::nullopt);
  quarantined_ = static_cast<int64_t>(store.QuarantineCount());
  duplicates_ = store.GetCounter("duplicates");
}

void HistoryReader::LoadAccountsFromLog(Store& store) {
  // One plain scan (no GROUP BY: SQLite would sort a million rows).
  Statement s(store.database(), "SELECT type, time, account_id FROM inputs ORDER BY seq");
  Statement::Use use(s);
  std::unordered_map<std::string, std::pair<TimeMs, TimeMs>> seen;  // known, activation
  constexpr TimeMs kNever = std::numeric_limits<TimeMs>::max();
  std::pair<TimeMs, TimeMs>* last = nullptr;
  std::string last_id;
  bool first = true;
  first_day_ = DayOf(w_);
  while (s.Step()) {
    const TimeMs time = s.Int(1);
    if (first) {
      first_day_ = DayOf(time);
      first = false;
    }
    const std::string_view account = s.Text(2);
    if (account.empty()) continue;
    if (!last || account != last_id) {
      last_id.assign(account);
      last = &seen.try_emplace(last_id, kNever, kNever).first->second;
    }
    last->first = std::min(last->first, time);
    const std::string_view type = s.Text(0);
    if (type == "track" || type == "page" || type == "screen")
      last->second = std::min(last->second, time);
  }
  for (const auto& [id, times] : seen) {
    accounts_.push_back(id);
    known_since_[id] = DayOf(times.first);
    if (times.second != kNever) activation_[id] = times.second;
  }
  std::sort(accounts_.begin(), accounts_.end());
}

int HistoryReader::AccountIndex(std::string_view id) const {
  const auto it = std::lower_bound(accounts_.begin(), accounts_.end(), id);
  return it != accounts_.end() && *it == id ? static_cast<int>(it - accounts_.begin()) : -1;
}

std::optional<TimeMs> HistoryReader::Activation(std::string_view account) const {
  const auto it = activation_.find(account);
  if (it == activation_.end()) return std::nullopt;
  return it->second;
}

void HistoryReader::LoadEvents(Store& store, const Config& config) {
  std::vector<const MetricDef*> sums;
  for (const auto& m : config.metrics)
    if (m.form == MetricForm::kSum) {
      sums.push_back(&m);
      non_numeric_[m.name] = 0;
    }
  std::unordered_map<std::string, EventAcc> acc;
  EventAcc* last_acc = nullptr;
  simdjson::dom::parser parser;
  std::string name;
  Statement s(store.database(),
              "SELECT type, time, account_id, raw FROM inputs "
              "WHERE type IN ('track', 'page', 'screen') ORDER BY seq");
  Statement::Use use(s);
  std::string account_cache;
  int account_index = -1;
  while (s.Step()) {
    const std::string_view type = s.Text(0);
    const TimeMs time = s.Int(1);
    const std::string_view account = s.Text(2);
    simdjson::dom::element doc;
    if (parser.parse(s.Text(3)).get(doc)) continue;
    simdjson::dom::element props;
    const bool has_props = !doc["properties"].get(props) && props.is_object();
    std::string_view sv;
    if (type == "track") {
      if (doc["event"].get_string().get(sv)) continue;
      name.assign(sv);
    } else {
      const char* kind = type == "page" ? "Page" : "Screen";
      std::string_view page;
      if (doc["name"].get_string().get(page) && has_props) {
        if (props["name"].get_string().get(page)) page = {};
      }
      name =
          page.empty() ? std::string("Viewed ") + kind : "Viewed " + std::string(page) + " " + kind;
    }
    if (!last_acc || last_acc->stats.name != name) {
      last_acc = &acc[name];
      last_acc->stats.name = name;
    }
    EventAcc& e = *last_acc;
    if (e.stats.count == 0) {
      e.stats.first_seen = time;
      e.stats.last_seen = time;
    }
    ++e.stats.count;
    PushNew(e.days, DayOf(time));
    e.stats.first_seen = std::min(e.stats.first_seen, time);
    e.stats.last_seen = std::max(e.stats.last_seen, time);
    if (!doc["userId"].get_string().get(sv) && !sv.empty())
      PushNew(e.users, std::hash<std::string_view>()(sv));
    if (account.empty()) {
      ++unattributed_;
    } else {
      if (account != account_cache) {
        account_cache.assign(account);
        account_index = AccountIndex(account);
      }
      if (account_index >= 0)
        PushNew(e.account_days, AccountDayKey(static_cast<uint32_t>(account_index), DayOf(time)));
    }
    if (has_props) {
      for (auto field : simdjson::dom::object(props)) {
        if (field.value.is_null()) continue;
        auto it = std::find_if(e.properties.begin(), e.properties.end(),
                               [&](const auto& p) { return p.first == field.key; });
        if (it == e.properties.end())
          e.properties.emplace_back(std::string(field.key), 1);
        else
          ++it->second;
      }
    }
    for (const MetricDef* m : sums) {
      if (!m->events.empty() &&
          std::find(m->events.begin(), m->events.end(), name) == m->events.end())
        continue;
      bool where_ok = true;
      for (const auto& [key, value] : m->where) {
        simdjson::dom::element pv;
        if (!has_props || props[key].get(pv) || !ElementEquals(pv, value)) {
          where_ok = false;
          break;
        }
      }
      if (!where_ok) continue;
      simdjson::dom::element pv;
      if (!has_props || props[m->property].get(pv) || !pv.is_number()) ++non_numeric_[m->name];
    }
  }
  for (auto& [key, e] : acc) {
    SortUnique(e.users);
    SortUnique(e.account_days);
    SortUnique(e.days);
    e.stats.users = static_cast<int64_t>(e.users.size());
    std::vector<uint32_t> accounts;
    for (const uint64_t k : e.account_days) PushNew(accounts, KeyAccount(k));
    e.stats.accounts = static_cast<int64_t>(accounts.size());
    e.stats.account_days = std::move(e.account_days);
    e.stats.days = std::move(e.days);
    for (auto& [prop, n] : e.properties) e.stats.properties.emplace(std::move(prop), n);
    events_.push_back(std::move(e.stats));
  }
  std::sort(events_.begin(), events_.end(),
            [](const EventStats& a, const EventStats& b) { return a.name < b.name; });
}

const EventStats* HistoryReader::FindEvent(std::string_view name) const {
  const auto it =
      std::lower_bound(events_.begin(), events_.end(), name,
                       [](const EventStats& e, std::string_view n) { return e.name < n; });
  return it != events_.end() && it->name == name ? &*it : nullptr;
}

void HistoryReader::LoadRecords(Store& store, unsigned parts) {
  std::string types;
  auto add = [&](unsigned part, const char* type) {
    if (!(parts & part)) return;
    types += types.empty() ? "'" : ", '";
    types += type;
    types += "'";
  };
  add(kRevenue, "revenue");
  add(kAccounts, "account");
  add(kOwners, "owner");
  add(kReleases, "release");
  add(kOpportunities, "opportunity");
  if (types.empty()) return;
  Statement s(store.database(),
              "SELECT seq, type, key, account_id, time, raw FROM records "
              "WHERE type IN (" +
                  types + ") ORDER BY time, seq");
  InputParser parser;
  // Current versions by natural key: rows come in (time, seq) order, so the
  // last one seen wins.
  std::map<std::pair<std::string, TimeMs>, RevenueRecord> revenue;
  std::map<std::string, ReleaseRecord> releases;
  Statement::Use use(s);
  while (s.Step()) {
    Result<Input> parsed = parser.Parse(s.Text(5));
    if (!parsed.ok()) continue;
    const Input& in = parsed.value();
    const std::string account(s.Text(3));
    const TimeMs time = s.Int(4);
    if (const auto* r = std::get_if<RevenueRecord>(&in.body)) {
      revenue[{account, r->at}] = *r;
    } else if (const auto* a = std::get_if<AccountRecord>(&in.body)) {
      owners_at_[account].emplace_back(time, a->owners);
    } else if (const auto* o = std::get_if<OwnerRecord>(&in.body)) {
      owners_[o->owner_id] = *o;
    } else if (const auto* rel = std::get_if<ReleaseRecord>(&in.body)) {
      releases[rel->feature] = *rel;
    } else if (const auto* op = std::get_if<OpportunityRecord>(&in.body)) {
      opportunities_[op->opportunity_id] = *op;
    }
  }
  for (auto& [feature, r] : releases) releases_.push_back(std::move(r));
  for (const auto& [key, r] : revenue) {  // by account, then at
    auto& changes = revenue_[key.first];
    RevenueChange c;
    c.account_id = key.first;
    c.at = r.at;
    c.mrr = r.mrr;
    c.plan = r.plan;
    if (!changes.empty()) {
      c.prev_mrr = changes.back().mrr;
      c.prev_plan = changes.back().plan;
    }
    changes.push_back(std::move(c));
    if (changes.back().is_upgrade()) upgrades_.push_back(changes.back());
  }
  std::sort(upgrades_.begin(), upgrades_.end(), [](const RevenueChange& a, const RevenueChange& b) {
    return a.at != b.at ? a.at < b.at : a.account_id < b.account_id;
  });
}

double HistoryReader::MrrAt(std::string_view account, TimeMs t) const {
  const auto it = revenue_.find(account);
  if (it == revenue_.end()) return 0;
  double mrr = 0;
  for (const auto& c : it->second) {
    if (c.at > t) break;
    mrr = c.mrr;
  }
  return mrr;
}

std::string HistoryReader::PlanAt(std::string_view account, TimeMs t) const {
  const auto it = revenue_.find(account);
  if (it == revenue_.end()) return "";
  std::string plan;
  for (const auto& c : it->second) {
    if (c.at > t) break;
    plan = c.plan;
  }
  return plan;
}

std::optional<std::string> HistoryReader::AeAt(std::string_view account, TimeMs t) const {
  const auto it = owners_at_.find(account);
  if (it == owners_at_.end()) return std::nullopt;
  std::optional<std::string> ae;
  for (const auto& [time, owners] : it->second) {
    if (time > t) break;
    ae = owners.ae;
  }
  return ae;
}

std::optional<std::string> HistoryReader::CsmAt(std::string_view account, TimeMs t) const {
  const auto it = owners_at_.find(account);
  if (it == owners_at_.end()) return std::nullopt;
  std::optional<std::string> csm;
  for (const auto& [time, owners] : it->second) {
    if (time > t) break;
    csm = owners.csm;
  }
  return csm;
}

}  // namespace headroom::reports
