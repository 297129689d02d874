#include "demo/generator.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <stdexcept>

#include "config/loader.h"
#include "demo/demo_config.h"
#include "demo/simulation.h"
#include "demo/writer.h"

namespace headroom::demo {
namespace sim {

DemoStats Simulation::Run(const std::function<void(int, int)>& progress) {
  const int total = company_.end_day - company_.first_day;
  WriteOpening();
  for (Day d = company_.first_day; d < company_.end_day; ++d) {
    SimulateDay(d);
    if (progress) progress(d - company_.first_day + 1, total);
  }
  // Actions due after the last day are dropped: the data ends there.
  return stats_;
}

Config Simulation::LoadDemoConfig() {
  ConfigLoadResult r = LoadConfig(DemoConfigYaml("./headroom-data"));
  if (!r.config) throw std::logic_error("demo config invalid: " + r.errors.front().ToString());
  return std::move(*r.config);
}

void Simulation::Feed(const std::string& line, TimeMs at) {
  out_.write(line.data(), static_cast<std::streamsize>(line.size()));
  out_.put('\n');
  uint64_t fnv = stats_.fnv1a;  // a local: chars may alias stats_, a member would reload
  for (const char c : line) {
    fnv ^= static_cast<unsigned char>(c);
    fnv *= 0x100000001b3ULL;
  }
  fnv ^= '\n';
  fnv *= 0x100000001b3ULL;
  stats_.fnv1a = fnv;
  stats_.bytes += line.size() + 1;
  if (stats_.lines == 0) stats_.first_time = at;
  ++stats_.lines;
  stats_.last_time = at;
  now_ = at;
  Result<Input> r = parser_.Parse(line);
  if (!r)
    throw std::logic_error("demo generated an invalid line (" + r.error().ToString() +
                           "): " + line);
  Input in = std::move(*r);
  in.seq = stats_.lines;
  if (in.type == MessageType::kRecord)
    ++stats_.records;
  else if (in.type == MessageType::kTrack || in.type == MessageType::kPage)
    ++stats_.events;
  if (in.type == MessageType::kGroup)
    attributor_.AddGroup(in);
  else
    attributor_.Attribute(in);
  engine_.Apply(in);
}

std::string Simulation::NextMessageId() {
  // "d" + the sequence number zero-padded to 10 digits (printf's "d%010llu").
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, ++message_seq_);
  const size_t n = static_cast<size_t>(end - digits);
  std::string id;
  id.reserve(12);
  id += 'd';
  if (n < 10) id.append(10 - n, '0');
  id.append(digits, n);
  return id;
}

void Simulation::Schedule(Action a) {
  a.at = std::max(a.at, now_);
  a.order = ++order_;
  actions_.push(std::move(a));
}

void Simulation::ScheduleLine(TimeMs at, std::string line) {
  Action a;
  a.at = at;
  a.kind = ActionKind::kLine;
  a.line = std::move(line);
  Schedule(std::move(a));
}

void Simulation::WriteOpening() {
  const TimeMs t0 = DayStart(company_.first_day);
  for (const Owner& o : company_.owners) {
    JsonLine l;
    l.Str("type", "owner").Str("owner_id", o.id).Str("role", o.role).Str("name", o.name);
    if (!o.manager.empty()) l.Str("manager", o.manager);
    if (!o.group.empty()) l.Str("group", o.group);
    Feed(l.Time("timestamp", t0).Done(), t0);
  }
  for (const Account& a : company_.accounts) {
    JsonLine l;
    l.Str("type", "account").Str("account_id", a.id).Str("name", a.name).Begin("owners");
    l.Str("ae", a.ae);
    if (a.csm.empty())
      l.Null("csm");
    else
      l.Str("csm", a.csm);
    l.End().Begin("traits");
    l.Bool("icp_fit", a.icp_fit)
        .Int("employees", a.employees)
        .Int("headcount_growth_pct", a.headcount_growth_pct)
        .Int("intent_score", a.intent_score)
        .Str("industry", a.industry)
        .Str("region", a.region);
    if (a.competitor_renewal)
      l.Str("competitor_renewal_date",
            FormatIsoTime(DayStart(*a.competitor_renewal)).substr(0, 10));
    if (a.do_not_contact) l.Bool("do_not_contact", true);
    Feed(l.End().Time("timestamp", t0).Done(), t0);
  }
  for (const Release& r : company_.releases) {
    ScheduleLine(DayStart(r.day) + 15 * kHour,
                 JsonLine()
                     .Str("type", "release")
                     .Str("feature", r.feature)
                     .Time("released_at", DayStart(r.day) + 15 * kHour)
                     .Str("tier", r.tier)
                     .Str("adoption_event", r.adoption_event)
                     .Done());
  }
  for (const Account& a : company_.accounts) {
    if (a.signup >= company_.first_day) continue;  // signs up later
    Feed(ContractLine(a, t0, "none"), t0);
    Feed(RevenueLine(a, t0), t0);
  }
}

void Simulation::SimulateDay(Day d) {
  std::vector<Item>& items = items_;  // reused: keeps its capacity from day to day
  items.clear();
  const TimeMs start = DayStart(d);
  const int weekday = static_cast<int>(((d % 7) + 7 + 3) % 7);  // 0 = Monday (1970-01-01 Thu)
  const bool weekend = weekday >= 5;
  for (size_t i = 0; i < company_.accounts.size(); ++i)
    SimulateAccountDay(i, d, weekend, weekday, items);
  // `order` is unique, so this is the stable order by time.
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.at != b.at ? a.at < b.at : a.order < b.order;
  });
  const TimeMs end = start + kDay;
  size_t next = 0;
  constexpr TimeMs kNever = std::numeric_limits<TimeMs>::max();
  while (true) {
    const TimeMs item_at = next < items.size() ? items[next].at : kNever;
    const bool action_due = !actions_.empty() && actions_.top().at < end;
    const TimeMs action_at = action_due ? actions_.top().at : kNever;
    const TimeMs cand = std::min(item_at, action_at);
    if (cand == kNever) break;
    if (cand >= next_poll_) {
      Poll();
      next_poll_ = (cand / kHour + 1) * kHour;
      continue;
    }
    if (action_due && (action_at < item_at ||
                       (action_at == item_at && actions_.top().order < items[next].order))) {
      Action a = actions_.top();
      actions_.pop();
      Execute(a);
    } else {
      Feed(items[next].line, items[next].at);
      ++next;
    }
  }
  Poll();
}

void Simulation::Poll() {
  EngineChanges changes = engine_.TakeChanges();
  for (const Effect& e : changes.effects) {
    const auto it = index_.find(e.account_id);
    if (it == index_.end()) continue;
    const size_t i = it->second;
    if (e.type == "trigger.fired") {
      OnFiring(i, e.data.value("trigger", ""), e.at);
    } else if (e.type == "signal.created" || e.type == "signal.routed") {
      const Signal* sig = engine_.FindSignal(e.data.value("signal_id", ""));
      if (sig && sig->live()) OnSignal(i, *sig, e.type == "signal.created");
    }
  }
}

void Simulation::Execute(const Action& act) {
  switch (act.kind) {
    case ActionKind::kLine: Feed(act.line, act.at); return;
    case ActionKind::kTouch: return Touch(act);
    case ActionKind::kOppOpen: return OpenOpportunity(act);
    case ActionKind::kOppClose: return CloseOpportunity(act.account, act.at, false);
    case ActionKind::kUpgrade: return Upgrade(act.account, act.at, act.reason);
  }
}

}  // namespace sim

DemoStats GenerateDemo(const DemoParams& params, std::ostream& out,
                       const std::function<void(int, int)>& progress) {
  sim::Simulation simulation(params, out);
  return simulation.Run(progress);
}

}  // namespace headroom::demo
