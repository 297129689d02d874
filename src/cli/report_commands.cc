#include "cli/report_commands.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/config_file.h"
#include "cli/progress.h"
#include "cli/table.h"
#include "config/loader.h"
#include "reports/backtest.h"
#include "reports/reports.h"
#include "store/store.h"

namespace headroom {

namespace {

using nlohmann::json;
using Align = Table::Align;

constexpr int kUsageError = 2;

const json& F(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  const auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::string Num(const json& v, int decimals = 2) {
  if (!v.is_number()) return v.is_string() ? v.get<std::string>() : "-";
  const double d = v.get<double>();
  if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<int64_t>(d));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, d);
  return buf;
}

std::string Pct(const json& v) {
  if (!v.is_number()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", v.get<double>() * 100);
  return buf;
}

std::string Day10(const json& v) {
  return v.is_string() ? v.get<std::string>().substr(0, 10) : "-";
}

std::string YesNo(const json& v) { return v.is_boolean() && v.get<bool>() ? "yes" : "no"; }

void KeyValues(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& kv) {
  Table t;
  t.AddColumn("");
  t.AddColumn("", Align::kRight);
  for (const auto& [k, v] : kv) t.AddRow({k, v});
  t.Render(out);
}

void Triggers(const json& r, std::ostream& out) {
  out << "upgrades " << Num(F(r, "upgrades")) << ", base rate " << Pct(F(r, "base_rate"))
      << " (horizon " << Num(F(r, "horizon_days")) << " days, as of " << Num(F(r, "as_of"))
      << ")\n";
  Table t;
  t.AddColumn("TRIGGER");
  t.AddColumn("CLASS");
  for (const char* h : {"EPISODES", "ACCOUNTS", "PRECISION", "RECALL", "LIFT", "LEAD DAYS"})
    t.AddColumn(h, Align::kRight);
  for (const auto& row : F(r, "triggers"))
    t.AddRow({Num(F(row, "trigger")), Num(F(row, "class")), Num(F(row, "episodes")),
              Num(F(row, "accounts")), Pct(F(row, "precision")), Pct(F(row, "recall")),
              Num(F(row, "lift")), Num(F(row, "median_lead_days"), 1)});
  t.Render(out);
}

void Funnel(const json& r, std::ostream& out) {
  const json& conv = F(r, "conversion");
  std::string routes;
  for (const auto& [k, v] : F(r, "by_route").items())
    routes += (routes.empty() ? "" : ", ") + k + " " + Num(v);
  KeyValues(out, {{"signals", Num(F(r, "signals")) + (routes.empty() ? "" : " (" + routes + ")")},
                  {"touched", Num(F(r, "touched"))},
                  {"touched within SLA", Num(F(r, "touched_within_sla"))},
                  {"escalated", Num(F(r, "escalated"))},
                  {"with opportunity", Num(F(r, "with_opportunity"))},
                  {"won", Num(F(r, "won"))},
                  {"lost", Num(F(r, "lost"))},
                  {"touched / signals", Pct(F(conv, "touched_per_signal"))},
                  {"opportunities / touched", Pct(F(conv, "opportunities_per_touched"))},
                  {"won / opportunities", Pct(F(conv, "won_per_opportunity"))},
                  {"won / signals", Pct(F(conv, "won_per_signal"))},
                  {"hours to first touch (median / p90)",
                   Num(F(F(r, "hours_to_first_touch"), "median"), 1) + " / " +
                       Num(F(F(r, "hours_to_first_touch"), "p90"), 1)},
                  {"hours to opportunity (median / p90)",
                   Num(F(F(r, "hours_to_opportunity"), "median"), 1) + " / " +
                       Num(F(F(r, "hours_to_opportunity"), "p90"), 1)}});
  out << "\nleaderboard\n";
  Table t;
  t.AddColumn("#", Align::kRight);
  t.AddColumn("OWNER");
  for (const char* h : {"SIGNALS", "SLA", "CONVERSION", "CREDITED ARR"})
    t.AddColumn(h, Align::kRight);
  for (const auto& row : F(r, "leaderboard"))
    t.AddRow({Num(F(row, "rank")), Num(F(row, "owner_id")), Num(F(row, "signals")),
              Pct(F(row, "sla_compliance")), Pct(F(row, "conversion")),
              Num(F(row, "credited_expansion_arr"))});
  t.Render(out);
}

void Nrr(const json& r, std::ostream& out) {
  const json& ttm = F(r, "trailing_twelve_months");
  out << "trailing twelve months NRR " << Pct(F(ttm, "nrr")) << " (start MRR "
      << Num(F(ttm, "start_mrr")) << ", expansion " << Num(F(ttm, "expansion_mrr"))
      << ", contraction " << Num(F(ttm, "contraction_mrr")) << ", churn "
      << Num(F(ttm, "churn_mrr")) << ")\n";
  Table t;
  t.AddColumn("MONTH");
  for (const char* h : {"NRR", "CHANGE", "COHORT", "START MRR", "EXPANSION", "CONTRACTION", "CHURN",
                        "NEW BUSINESS"})
    t.AddColumn(h, Align::kRight);
  for (const auto& m : F(r, "months")) {
    const json& ch = F(m, "change_vs_prior");
    t.AddRow({Num(F(m, "month")), Pct(F(m, "nrr")),
              ch.is_number() ? Num(json(ch.get<double>() * 100), 1) + " pts" : "-",
              Num(F(m, "cohort_accounts")), Num(F(m, "start_mrr")), Num(F(m, "expansion_mrr")),
              Num(F(m, "contraction_mrr")), Num(F(m, "churn_mrr")), Num(F(m, "new_business_mrr"))});
  }
  t.Render(out);
  if (!F(ttm, "expansion_arr_by_ae").empty()) {
    out << "\nexpansion ARR per AE (trailing twelve months)\n";
    Table a;
    a.AddColumn("AE");
    a.AddColumn("EXPANSION ARR", Align::kRight);
    for (const auto& [ae, v] : F(ttm, "expansion_arr_by_ae").items()) a.AddRow({ae, Num(v)});
    a.Render(out);
  }
}

void Attribution(const json& r, std::ostream& out) {
  out << "upgrades " << Num(F(r, "upgrades")) << ", expansion MRR " << Num(F(r, "expansion_mrr"))
      << ", blind spot " << Num(F(r, "blind_spot")) << " (" << Pct(F(r, "blind_spot_share"))
      << ")\n";
  Table t;
  t.AddColumn("TRIGGER");
  for (const char* h : {"UPGRADES", "FIRST-TOUCH MRR", "LAST-TOUCH MRR", "LINEAR MRR"})
    t.AddColumn(h, Align::kRight);
  for (const auto& row : F(r, "per_trigger"))
    t.AddRow({Num(F(row, "trigger")), Num(F(row, "upgrades")), Num(F(row, "first_touch_mrr")),
              Num(F(row, "last_touch_mrr")), Num(F(row, "linear_mrr"))});
  t.Render(out);
}

void Ttv(const json& r, std::ostream& out) {
  out << "activated accounts " << Num(F(r, "activated_accounts")) << "\n";
  Table t;
  t.AddColumn("TRIGGERS");
  for (const char* h : {"FIRED", "MEDIAN D", "P75 D", "P90 D", "<=30D", "<=60D", "<=90D"})
    t.AddColumn(h, Align::kRight);
  auto add = [&](const std::string& label, const json& s) {
    t.AddRow({label, Num(F(s, "accounts_fired")), Num(F(s, "median_days"), 1),
              Num(F(s, "p75_days"), 1), Num(F(s, "p90_days"), 1), Pct(F(s, "share_within_30d")),
              Pct(F(s, "share_within_60d")), Pct(F(s, "share_within_90d"))});
  };
  add("any", F(r, "any"));
  for (const auto& [cls, s] : F(r, "by_class").items()) add(cls, s);
  t.Render(out);
}

void Releases(const json& r, std::ostream& out) {
  Table t;
  t.AddColumn("FEATURE");
  t.AddColumn("RELEASED");
  t.AddColumn("TIER");
  for (const char* h :
       {"ADOPTERS", "ADOPTER UPG", "NON-ADOPTER UPG", "LIFT", "TIER UPG BEFORE", "AFTER"})
    t.AddColumn(h, Align::kRight);
  for (const auto& row : F(r, "releases"))
    t.AddRow({Num(F(row, "feature")), Day10(F(row, "released_at")), Num(F(row, "tier")),
              Num(F(row, "adopters")), Pct(F(row, "adopter_upgrade_rate")),
              Pct(F(row, "non_adopter_upgrade_rate")), Num(F(row, "lift")),
              Num(F(row, "tier_upgrades_before")), Num(F(row, "tier_upgrades_after"))});
  t.Render(out);
}

void Features(const json& r, std::ostream& out) {
  out << "an account adopts a feature when it uses it on at least "
      << Num(F(r, "adoption_min_days")) << " days\n";
  Table t;
  t.AddColumn("#", Align::kRight);
  t.AddColumn("EVENT");
  for (const char* h : {"ADOPTERS", "UPGRADE", "OTHERS", "LIFT", "CHURN", "OTHERS", "CHURN LIFT"})
    t.AddColumn(h, Align::kRight);
  for (const auto& row : F(r, "features"))
    t.AddRow({Num(F(row, "rank")), Num(F(row, "event")), Num(F(row, "adopters")),
              Pct(F(row, "adopter_upgrade_rate")), Pct(F(row, "other_upgrade_rate")),
              Num(F(row, "upgrade_lift")), Pct(F(row, "adopter_churn_rate")),
              Pct(F(row, "other_churn_rate")), Num(F(row, "churn_lift"))});
  t.Render(out);
}

void Pilot(const json& r, std::ostream& out) {
  const json& p = F(r, "pilot");
  const json& c = F(r, "control");
  const json& pv = F(r, "p_values");
  Table t;
  t.AddColumn("");
  for (const char* h : {"PILOT", "CONTROL", "P-VALUE"}) t.AddColumn(h, Align::kRight);
  t.AddRow({"signal -> opportunity", Pct(F(p, "signal_to_opportunity")),
            Pct(F(c, "signal_to_opportunity")), Num(F(pv, "signal_to_opportunity"), 4)});
  t.AddRow({"opportunity -> won", Pct(F(p, "opportunity_to_won")), Pct(F(c, "opportunity_to_won")),
            Num(F(pv, "opportunity_to_won"), 4)});
  t.AddRow({"SLA compliance", Pct(F(p, "sla_compliance")), Pct(F(c, "sla_compliance")),
            Num(F(pv, "sla_compliance"), 4)});
  t.AddRow({"median hours to first touch", Num(F(p, "median_hours_to_first_touch"), 1),
            Num(F(c, "median_hours_to_first_touch"), 1), ""});
  t.AddRow({"owners", Num(F(p, "owners")), Num(F(c, "owners")), ""});
  t.AddRow({"signals", Num(F(p, "signals")), Num(F(c, "signals")), ""});
  t.AddRow({"opportunities", Num(F(p, "opportunities")), Num(F(c, "opportunities")), ""});
  t.AddRow({"won", Num(F(p, "won")), Num(F(c, "won")), ""});
  t.Render(out);
}

void Audit(const json& r, std::ostream& out) {
  Table t;
  t.AddColumn("EVENT");
  for (const char* h : {"COUNT", "ACCOUNTS", "USERS"}) t.AddColumn(h, Align::kRight);
  for (const char* h :
       {"FIRST", "LAST", "RELIABLE", "REVENUE", "DISTINCT", "TRIGGER-GRADE", "MISSING PROPERTIES"})
    t.AddColumn(h);
  for (const auto& e : F(r, "events")) {
    std::string missing;
    for (const auto& p : F(e, "properties"))
      if (F(p, "missing_share").is_number() && F(p, "missing_share").get<double>() > 0)
        missing += (missing.empty() ? "" : ", ") + Num(F(p, "property")) + " " +
                   Pct(F(p, "missing_share"));
    t.AddRow({Num(F(e, "event")), Num(F(e, "count")), Num(F(e, "accounts")), Num(F(e, "users")),
              Day10(F(e, "first_seen")), Day10(F(e, "last_seen")), YesNo(F(e, "fires_reliably")),
              YesNo(F(e, "maps_to_revenue")), YesNo(F(e, "distinct")), YesNo(F(e, "trigger_grade")),
              missing.empty() ? "-" : missing});
  }
  t.Render(out);
  std::vector<std::pair<std::string, std::string>> kv = {
      {"unattributed events", Num(F(r, "unattributed_events"))},
      {"quarantined messages", Num(F(r, "quarantined_messages"))},
      {"duplicate messages ignored", Num(F(r, "duplicate_messages"))}};
  for (const auto& [metric, n] : F(r, "non_numeric_sum_values").items())
    kv.emplace_back("non-numeric values in sum metric " + metric, Num(n));
  out << "\n";
  KeyValues(out, kv);
}

std::unique_ptr<Store> OpenStore(const CliOptions& o, const Config& config) {
  const std::string dir = o.data_dir.value_or(config.storage.path);
  if (!std::filesystem::exists(std::filesystem::path(dir) / Store::kFileName)) {
    std::cerr << "headroom: no data in '" << dir << "' (run `headroom import` first)\n";
    return nullptr;
  }
  return Store::Open(dir, config.storage.synchronous);
}

std::optional<int> Horizon(const CliOptions& o, bool& bad) {
  bad = false;
  const auto v = o.Flag("horizon");
  if (!v) return std::nullopt;
  std::string error;
  const auto h = reports::ParseHorizonDays(*v, error);
  if (!h) {
    std::cerr << "headroom: " << error << "\n";
    bad = true;
  }
  return h;
}

int Report(const CliOptions& o, const std::string& name) {
  const auto& names = reports::ReportNames();
  if (name != "all" && std::find(names.begin(), names.end(), name) == names.end()) {
    std::cerr << "headroom report: unknown report '" << name
              << "' (triggers, funnel, nrr, attribution, ttv, releases, features, pilot, "
                 "audit, all)\n";
    return kUsageError;
  }
  bool bad = false;
  const auto horizon = Horizon(o, bad);
  if (bad) return kUsageError;
  auto config = LoadConfigOrReport(o);
  if (!config) return 1;
  auto store = OpenStore(o, *config);
  if (!store) return 1;
  const auto context = reports::MakeReportContext(*store, *config, horizon);
  if (name == "all") {  // every report from one load of the history
    const json all = reports::ComputeReports(names, context);
    if (o.json) {
      std::cout << all.dump(2) << "\n";
    } else {
      for (const auto& n : names) {
        std::cout << (n == names.front() ? "" : "\n") << "== " << n << "\n";
        PrintReportTables(n, all[n], std::cout);
      }
    }
    return 0;
  }
  const json report = reports::ComputeReport(name, context);
  if (o.json) {
    std::cout << report.dump(2) << "\n";
  } else {
    PrintReportTables(name, report, std::cout);
  }
  return 0;
}

}  // namespace

void PrintReportTables(std::string_view name, const json& r, std::ostream& out) {
  if (name == "triggers") Triggers(r, out);
  if (name == "funnel") Funnel(r, out);
  if (name == "nrr") Nrr(r, out);
  if (name == "attribution") Attribution(r, out);
  if (name == "ttv") Ttv(r, out);
  if (name == "releases") Releases(r, out);
  if (name == "features") Features(r, out);
  if (name == "pilot") Pilot(r, out);
  if (name == "audit") Audit(r, out);
}

void PrintBacktestTable(const json& b, std::ostream& out) {
  out << "backtest of " << Num(F(b, "trigger")) << ": " << F(b, "combinations").size()
      << " combinations, one replay of " << Num(F(b, "inputs_replayed")) << " inputs";
  if (b.contains("combinations_replayed_in_full") && F(b, "combinations_replayed_in_full") != 0)
    out << " plus one full replay for " << Num(F(b, "combinations_replayed_in_full")) << " of them";
  out << " (horizon " << Num(F(b, "horizon_days")) << " days)\n";
  Table t;
  t.AddColumn("");
  std::vector<std::string> keys;
  if (!F(b, "combinations").empty())
    for (const auto& [k, v] : F(F(b, "combinations")[0], "combination").items()) keys.push_back(k);
  for (const auto& k : keys) t.AddColumn(k, Align::kRight);
  for (const char* h : {"EPISODES", "ACCOUNTS", "PRECISION", "RECALL", "LIFT", "LEAD DAYS", "F1"})
    t.AddColumn(h, Align::kRight);
  for (const auto& row : F(b, "combinations")) {
    std::vector<std::string> cells = {F(row, "configured").get<bool>() ? "*" : ""};
    for (const auto& k : keys) cells.push_back(Num(F(F(row, "combination"), k.c_str()), 3));
    for (const char* k : {"episodes", "accounts"}) cells.push_back(Num(F(row, k)));
    cells.push_back(Pct(F(row, "precision")));
    cells.push_back(Pct(F(row, "recall")));
    cells.push_back(Num(F(row, "lift")));
    cells.push_back(Num(F(row, "median_lead_days"), 1));
    cells.push_back(Num(F(row, "f1"), 3));
    t.AddRow(std::move(cells));
  }
  t.Render(out);
  out << "* = the configured combination\n";
}

int RunReportCommand(const CliOptions& o) {
  if (o.args.size() != 1) {
    std::cerr << "headroom report: usage: headroom report NAME [--horizon D] [--json]\n";
    return kUsageError;
  }
  return Report(o, o.args[0]);
}

int RunAuditCommand(const CliOptions& o) {
  if (!o.args.empty()) {
    std::cerr << "headroom audit: usage: headroom audit [--json]\n";
    return kUsageError;
  }
  return Report(o, "audit");
}

int RunBacktestCommand(const CliOptions& o) {
  // One parser for the CLI and GET /v1/backtest (reports/backtest.h).
  std::string error;
  const auto parsed = reports::ParseBacktestGrid(o.sets, error);
  if (o.args.size() != 1 || (parsed && parsed->empty())) {
    std::cerr << "headroom backtest: usage: headroom backtest TRIGGER --set KEY=V1,V2,... "
                 "[--set ...] [--horizon D] [--json]\n";
    return kUsageError;
  }
  if (!parsed) {
    std::cerr << "headroom backtest: " << error << "\n";
    return kUsageError;
  }
  const std::vector<reports::BacktestAxis>& grid = *parsed;
  bool bad = false;
  const auto horizon = Horizon(o, bad);
  if (bad) return kUsageError;
  auto config = LoadConfigOrReport(o);
  if (!config) return 1;
  auto store = OpenStore(o, *config);
  if (!store) return 1;
  reports::BacktestResult result;
  try {
    ProgressBar bar("backtest ", store->LastSeq());
    result = reports::RunBacktest(*store, *config, o.args[0], grid,
                                  horizon.value_or(config->reports_horizon_days),
                                  [&](uint64_t done, uint64_t) { bar.Update(done); });
  } catch (const std::invalid_argument& e) {
    std::cerr << "headroom backtest: " << e.what() << "\n";
    return kUsageError;
  }
  const json j = reports::BacktestJson(result);
  if (o.json) {
    std::cout << j.dump(2) << "\n";
  } else {
    PrintBacktestTable(j, std::cout);
  }
  return 0;
}

}  // namespace headroom
