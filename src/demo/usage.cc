// Product usage: users joining and leaving, events with a weekday rhythm,
// workflows, paywall hits, API traffic, workspaces, modules, releases, tickets.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "demo/simulation.h"
#include "demo/writer.h"

namespace headroom::demo::sim {

TimeMs Simulation::WorkTime(DemoRng& r, TimeMs day_start) {
  const double h = std::clamp(r.Normal(14.5, 2.8), 0.05, 23.9);
  return day_start + static_cast<TimeMs>(h * static_cast<double>(kHour)) + r.Int(0, 59999);
}

void Simulation::Add(std::vector<Item>& items, TimeMs at, std::string line) {
  items.push_back({at, ++order_, std::move(line)});
}

void Simulation::AddUser(size_t i, DemoRng& r, TimeMs at, std::vector<Item>& items,
                         bool executive) {
  Account& a = company_.accounts[i];
  User u;
  u.id = a.id + "_u" + std::to_string(a.next_user++);
  u.senior = r.Chance(0.03 + 0.1 * a.hidden.expansion) || executive;
  u.title = u.senior ? r.Pick(kSeniorTitles) : r.Pick(kTitles);
  u.department = r.Chance(0.65) ? kDepartments[i % kDepartments.size()] : r.Pick(kDepartments);
  u.activity = std::clamp(r.Normal(0.6, 0.2), 0.15, 0.95);
  const std::string email = u.id + "@" + a.id + ".example";
  Add(items, at,
      JsonLine()
          .Str("type", "identify")
          .Str("messageId", NextMessageId())
          .Str("userId", u.id)
          .Begin("traits")
          .Str("name", "User " + u.id.substr(a.id.size() + 2))
          .Str("title", u.title)
          .Str("department", u.department)
          .Str("email", email)
          .End()
          .Begin("context")
          .Str("groupId", a.id)
          .End()
          .Time("timestamp", at)
          .Done());
  Add(items, at + 1000,
      JsonLine()
          .Str("type", "group")
          .Str("messageId", NextMessageId())
          .Str("userId", u.id)
          .Str("groupId", a.id)
          .Begin("traits")
          .Str("name", a.name)
          .Str("plan", a.plan)
          .End()
          .Time("timestamp", at + 1000)
          .Done());
  a.users.push_back(std::move(u));
}

void Simulation::SimulateAccountDay(size_t i, Day d, bool weekend, int weekday,
                                    std::vector<Item>& items) {
  Account& a = company_.accounts[i];
  SalesState& s = sales_[i];
  DemoRng& r = usage_rng_[i];
  const Propensity& h = a.hidden;
  if (a.churned || d < a.signup) return;
  const TimeMs start = DayStart(d);
  const bool new_signup = d == a.signup;
  if (new_signup) {
    Add(items, start + 8 * kHour, ContractLine(a, start + 8 * kHour, "none"));
    Add(items, start + 8 * kHour, RevenueLine(a, start + 8 * kHour));
  }

  // Renewals: negotiation opens 40 days before the end; at the end the
  // account renews (same, fewer or more seats) or churns.
  if (d == a.contract_end - 40)
    Add(items, start + 9 * kHour, ContractLine(a, start + 9 * kHour, "negotiating"));
  if (d == a.contract_end) {
    Renew(i, r, start + 9 * kHour, items);
    if (a.churned) return;
  }

  // Roster: active users follow a growth curve toward target_util x seats.
  const Day ref = std::max(a.signup, company_.first_day);
  const double u0 = new_signup || a.signup >= company_.first_day ? 0.25 : h.start_util;
  const double age = static_cast<double>(d - ref);
  const double util = u0 + (h.target_util - u0) * (1.0 - std::exp(-age / h.ramp_days));
  const double wobble =
      1.0 + 0.03 * std::sin(static_cast<double>(d) / 9.0 + static_cast<double>(i));
  const int target =
      std::max(2, static_cast<int>(std::round(s.seats0 * util * s.growth_boost * wobble)));
  int active = 0;
  for (const User& u : a.users) active += u.active ? 1 : 0;
  if (a.users.empty() || (d == company_.first_day)) {
    for (int k = active; k < target; ++k) AddUser(i, r, start + 6 * kHour + k * kMinute, items);
  } else if (active < target && !weekend) {
    const int add = std::min(target - active, 1 + r.Poisson(0.5));
    for (int k = 0; k < add; ++k) AddUser(i, r, WorkTime(r, start), items);
  } else if (active > target + 1 && r.Chance(0.3)) {
    std::vector<size_t> live;
    for (size_t k = 0; k < a.users.size(); ++k)
      if (a.users[k].active) live.push_back(k);
    a.users[live[static_cast<size_t>(r.Int(0, static_cast<int64_t>(live.size()) - 1))]].active =
        false;
  }

  // A buying committee forms ahead of an upgrade: an executive joins.
  if (s.upgrade_pending && !weekend && r.Chance(0.03))
    AddUser(i, r, WorkTime(r, start), items, true);

  // Product usage of the active users (a.users is not resized below).
  const double wd = weekend ? 0.12 : 1.0;
  std::vector<const User*> today;
  for (const User& u : a.users) {
    if (!u.active || !r.Chance(u.activity * wd)) continue;
    today.push_back(&u);
    const int n = 1 + r.Poisson(h.events_per_user - 1);
    for (int k = 0; k < n; ++k) {
      const TimeMs at = WorkTime(r, start);
      if (r.Chance(0.7)) {
        Add(items, at,
            TrackLine(NextMessageId(), u.id, false, a.id, "Feature Used", at, "feature",
                      r.Pick(kFeatures)));
      } else {
        Add(items, at, PageLine(NextMessageId(), u.id, a.id, r.Pick(kPages), at));
      }
    }
  }
  auto someone = [&]() -> const User* {
    return today.empty()
               ? nullptr
               : today[static_cast<size_t>(r.Int(0, static_cast<int64_t>(today.size()) - 1))];
  };
  const double maturity = 1.0 - 0.5 * std::exp(-static_cast<double>(d - a.signup) / 60.0);
  if (h.workflow_rate > 0) {
    const int n = r.Poisson(h.workflow_rate * wd * maturity);
    for (int k = 0; k < n; ++k) {
      const User* u = someone();
      if (!u) break;
      const TimeMs at = WorkTime(r, start);
      const std::string wf = "\"workflow\":\"wf_" + std::to_string(r.Int(1, 12)) + "\"";
      Add(items, at, TrackLine(NextMessageId(), u->id, false, a.id, "Workflow Started", at, wf));
      if (r.Chance(h.completion * maturity)) {
        const TimeMs done = std::min(at + r.Int(5 * kMinute, 3 * kHour), start + kDay - 1);
        Add(items, done,
            TrackLine(NextMessageId(), u->id, false, a.id, "Workflow Completed", done, wf));
      }
    }
  }
  if (h.paywall_rate > 0) {
    const int n = r.Poisson(h.paywall_rate * wd);
    for (int k = 0; k < n; ++k) {
      const User* u = someone();
      if (!u) break;
      const TimeMs at = WorkTime(r, start);
      Add(items, at,
          TrackLine(NextMessageId(), u->id, false, a.id, "Paywall Hit", at, "feature",
                    r.Pick(kPaywalled)));
    }
  }
  const std::string service = "svc_" + a.id;
  if (h.api_rate > 0) {
    const int n = r.Poisson(h.api_rate * (weekend ? 0.5 : 1.0));
    for (int k = 0; k < n; ++k) {
      const TimeMs at = start + r.Int(0, kDay - 1);
      Add(items, at,
          TrackLine(NextMessageId(), service, true, a.id, "API Request", at, "endpoint",
                    r.Pick(kEndpoints)));
    }
    const TimeMs at = start + 3 * kHour + r.Int(0, kHour);
    char gb[64];
    std::snprintf(gb, sizeof gb, "\"gb\":%.2f", r.Uniform(0.2, 2.0) * a.seats / 10.0);
    Add(items, at, TrackLine(NextMessageId(), service, true, a.id, "Data Ingested", at, gb));
  }
  if (weekday == 0) {
    const TimeMs at = start + 2 * kHour;
    Add(items, at,
        TrackLine(NextMessageId(), service, true, a.id, "Seats Synced", at,
                  "\"seats_in_use\":" + std::to_string(active)));
  }
  if (const User* u = someone(); u && (new_signup || r.Chance(h.workspace_rate))) {
    const TimeMs at = WorkTime(r, start);
    Add(items, at,
        TrackLine(NextMessageId(), u->id, false, a.id, "Workspace Created", at,
                  "\"workspace_id\":\"ws_" + a.id + "_" + std::to_string(++a.workspaces) + "\""));
  }
  if (const User* u = someone();
      u && a.modules < static_cast<int>(kModules.size()) && r.Chance(h.module_rate)) {
    const TimeMs at = WorkTime(r, start);
    Add(items, at,
        TrackLine(NextMessageId(), u->id, false, a.id, "Module Activated", at,
                  "\"module\":\"" + kModules[static_cast<size_t>(a.modules++)] + "\""));
  }
  // Procurement comes up ahead of an upgrade.
  if (const User* u = someone(); u && s.upgrade_pending && r.Chance(0.06)) {
    const TimeMs at = WorkTime(r, start);
    Add(items, at, TrackLine(NextMessageId(), u->id, false, a.id, "Procurement Mentioned", at, ""));
  }
  for (size_t k = 0; k < company_.releases.size(); ++k) {
    const Release& rel = company_.releases[k];
    if (d <= rel.day) continue;
    const bool adopted = std::find(a.adopted_releases.begin(), a.adopted_releases.end(),
                                   static_cast<int>(k)) != a.adopted_releases.end();
    if (!adopted) {
      if (r.Chance((0.1 + 0.5 * h.expansion) / 30.0))
        a.adopted_releases.push_back(static_cast<int>(k));
      continue;
    }
    if (const User* u = someone(); u && r.Chance(0.5)) {
      const TimeMs at = WorkTime(r, start);
      Add(items, at, TrackLine(NextMessageId(), u->id, false, a.id, rel.adoption_event, at, ""));
    }
  }

  // Support tickets.
  if (r.Chance(h.ticket_rate / 30.0 * (weekend ? 0.3 : 1.3))) {
    const TimeMs at = WorkTime(r, start);
    const int severity = static_cast<int>(r.Weighted({0.04, 0.16, 0.4, 0.4})) + 1;
    const std::string id = "tkt_" + std::to_string(++tickets_);
    const std::string topic = severity == 1 ? "outage" : r.Pick(kTicketTopics);
    auto ticket = [&](std::optional<TimeMs> resolved, TimeMs ts) {
      JsonLine l;
      l.Str("type", "ticket")
          .Str("ticket_id", id)
          .Str("account_id", a.id)
          .Int("severity", severity);
      l.Time("opened_at", at);
      if (resolved) l.Time("resolved_at", *resolved);
      return l.Str("topic", topic).Time("timestamp", ts).Done();
    };
    Add(items, at, ticket(std::nullopt, at));
    const TimeMs resolved = at + (severity == 1 ? r.Int(2, 12) * kHour : r.Int(4, 24 * 6) * kHour);
    ScheduleLine(resolved, ticket(resolved, resolved));
  }

  // Organic upgrades, unrelated to any trigger: the base rate.
  if (a.mrr > 0 && !s.upgrade_pending && r.Chance(0.12 / 365.0 * (0.4 + h.expansion))) {
    Action up;
    up.at = WorkTime(r, start);
    up.kind = ActionKind::kUpgrade;
    up.account = i;
    up.reason = "organic";
    s.upgrade_pending = true;
    Schedule(std::move(up));
  }
}

}  // namespace headroom::demo::sim
