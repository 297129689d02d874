#include "cli/query_commands.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cli/table.h"
#include "common/time.h"

namespace headroom {

namespace {

using nlohmann::json;
using Align = Table::Align;

constexpr int kOk = 0;
constexpr int kNotFound = 1;
constexpr int kUsage = 2;

// --- Reading documents without throwing -------------------------------------------------

const json& Field(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  const auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

// --- Human formatting of JSON values ------------------------------------------------

std::string Number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) {
    return std::to_string(static_cast<int64_t>(v));
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

// "2026-03-20T10:00:00.000Z" -> "2026-03-20 10:00"; other text unchanged.
std::string CompactTime(const std::string& s) {
  if (s.size() == 24 && s[10] == 'T' && s[23] == 'Z' && ParseIsoTime(s)) {
    return s.substr(0, 10) + " " + s.substr(11, 5);
  }
  return s;
}

std::string Text(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
    case json::value_t::discarded: return "-";
    case json::value_t::string: return CompactTime(v.get_ref<const std::string&>());
    case json::value_t::boolean: return v.get<bool>() ? "yes" : "no";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return v.dump();
    case json::value_t::number_float: return Number(v.get<double>());
    case json::value_t::array: {
      if (v.empty()) return "-";
      std::string s;
      for (const auto& e : v) {
        if (!s.empty()) s += ", ";
        s += Text(e);
      }
      return s;
    }
    case json::value_t::object: {
      if (v.empty()) return "-";
      std::string s;
      for (const auto& [k, e] : v.items()) {
        if (!s.empty()) s += ", ";
        s += k + ": " + Text(e);
      }
      return s;
    }
    case json::value_t::binary: break;
  }
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Right-aligned when every present value is a number (and one is).
Align AlignFor(const std::vector<const json*>& values) {
  bool any_number = false;
  for (const json* v : values) {
    if (v->is_null()) continue;
    if (!v->is_number()) return Align::kLeft;
    any_number = true;
  }
  return any_number ? Align::kRight : Align::kLeft;
}

void PrintJson(std::ostream& out, const json& j) {
  out << j.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

void PrintJsonList(std::ostream& out, const std::vector<json>& docs) { PrintJson(out, json(docs)); }

// --- Flags ------------------------------------------------------------------------------

bool OneOf(const std::string& v, std::initializer_list<std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), v) != allowed.end();
}

// Checks an enumerated flag; prints "--name: must be one of a, b" when bad.
bool CheckEnum(const CliOptions& options, const char* name,
               std::initializer_list<std::string_view> allowed, std::ostream& err) {
  const auto v = options.Flag(name);
  if (!v || OneOf(*v, allowed)) return true;
  err << "--" << name << ": must be one of ";
  bool first = true;
  for (const auto a : allowed) {
    err << (first ? "" : ", ") << a;
    first = false;
  }
  err << ", not '" << *v << "'\n";
  return false;
}

// --- Key/value blocks ----------------------------------------------------------------------

// Renders `obj`'s keys: first those of `order` that are present, then the rest
// (in the object's order) except those in `skip`.
void KeyValues(std::ostream& out, const json& obj, std::initializer_list<const char*> order,
               std::initializer_list<const char*> skip, std::string_view indent) {
  Table t;
  t.AddColumn("");
  t.AddColumn("");
  std::set<std::string, std::less<>> done(skip.begin(), skip.end());
  for (const char* k : order) {
    if (obj.contains(k) && !done.count(k)) {
      t.AddRow({k, Text(obj.at(k))});
      done.insert(k);
    }
  }
  for (const auto& [k, v] : obj.items()) {
    if (!done.count(k)) t.AddRow({k, Text(v)});
  }
  t.Render(out, indent);
}

// A list of objects as a table: the preferred columns first, then any other
// key in first-seen order; headers are the keys upper-cased.
void ObjectList(std::ostream& out, const json& list, std::initializer_list<const char*> preferred,
                std::string_view indent) {
  std::vector<std::string> keys;
  auto add_key = [&](const std::string& k) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  };
  for (const char* k : preferred) {
    for (const auto& e : list) {
      if (e.is_object() && e.contains(k)) {
        add_key(k);
        break;
      }
    }
  }
  for (const auto& e : list) {
    if (!e.is_object()) continue;
    for (const auto& [k, v] : e.items()) add_key(k);
  }
  Table t;
  for (const auto& k : keys) {
    std::vector<const json*> column;
    for (const auto& e : list) column.push_back(&Field(e, k.c_str()));
    std::string header = k;
    std::transform(header.begin(), header.end(), header.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    t.AddColumn(header, AlignFor(column));
  }
  for (const auto& e : list) {
    std::vector<std::string> row;
    for (const auto& k : keys) row.push_back(Text(Field(e, k.c_str())));
    t.AddRow(std::move(row));
  }
  t.Render(out, indent);
}

// --- Account detail ---------------------------------------------------------------------------

void PrintEvidence(std::ostream& out, const json& evidence) {
  if (!evidence.is_object() || evidence.empty()) {
    out << "\nevidence  " << (evidence.is_object() || evidence.is_null() ? "none" : Text(evidence))
        << '\n';
    return;
  }
  out << "\nevidence\n";
  std::vector<std::string> categories;
  for (const char* k : {"firmographic", "usage", "committee", "triggers"}) {
    if (evidence.contains(k)) categories.emplace_back(k);
  }
  for (const auto& [k, v] : evidence.items()) {
    if (std::find(categories.begin(), categories.end(), k) == categories.end()) {
      categories.push_back(k);
    }
  }
  for (const auto& category : categories) {
    const json& entries = evidence.at(category);
    out << "  " << category << '\n';
    if (entries.is_array() && !entries.empty() &&
        std::all_of(entries.begin(), entries.end(), [](const json& e) { return e.is_object(); })) {
      ObjectList(out, entries, {"name", "value", "threshold", "points", "holds"}, "    ");
    } else {
      out << "    " << (entries.is_array() && entries.empty() ? "none" : Text(entries)) << '\n';
    }
  }
}

void PrintSignalSection(std::ostream& out, const json& signal) {
  if (!signal.is_object()) {
    out << "\nsignal  " << (signal.is_null() ? "none" : Text(signal)) << '\n';
    return;
  }
  out << "\nsignal\n";
  KeyValues(out, signal,
            {"signal_id", "status", "close_reason", "route", "owner", "score", "motion", "triggers",
             "created_at", "routed_at", "touch_due", "first_touch_at", "touched_within_sla",
             "escalated_at", "escalated_to", "opportunity_id", "closed_at", "amount", "credit"},
            {"history", "parts", "account_id"}, "  ");
  const json& history = Field(signal, "history");
  if (history.is_array() && !history.empty()) {
    out << "  history\n";
    Table t;
    t.AddColumn("");
    t.AddColumn("");
    t.AddColumn("");
    for (const auto& h : history) {
      json details = h.is_object() ? h : json::object();
      details.erase("at");
      details.erase("change");
      t.AddRow(
          {Text(Field(h, "at")), Text(Field(h, "change")), details.empty() ? "" : Text(details)});
    }
    t.Render(out, "    ");
  }
}

void PrintAccountDetail(std::ostream& out, const json& a) {
  const json& name = Field(a, "name");
  const std::string id = Text(Field(a, "account_id"));
  if (name.is_string() && !name.get_ref<const std::string&>().empty()) {
    out << name.get_ref<const std::string&>() << " (" << id << ")";
  } else {
    out << id;
  }
  out << ": score " << Text(Field(a, "score")) << ", route " << Text(Field(a, "route")) << '\n';
  {
    Table t;
    t.AddColumn("");
    t.AddColumn("");
    t.AddRow({"suppressed by", Text(Field(a, "suppressed_by"))});
    t.AddRow({"triggers", Text(Field(a, "active_triggers"))});
    t.AddRow({"owners", Text(Field(a, "owners"))});
    t.AddRow({"evaluated", Text(Field(a, "evaluated_at"))});
    t.Render(out, "  ");
  }

  const json& parts = Field(a, "parts");
  const json& usage = Field(parts, "usage");
  out << "\nparts\n";
  {
    Table t;
    t.AddColumn("");
    t.AddColumn("", Align::kRight);
    t.AddRow({"firmographic", Text(Field(parts, "firmographic"))});
    t.AddRow({"capacity", Text(Field(usage, "capacity"))});
    t.AddRow({"adoption", Text(Field(usage, "adoption"))});
    t.AddRow({"value", Text(Field(usage, "value"))});
    t.AddRow({"committee", Text(Field(parts, "committee"))});
    t.Render(out, "  ");
  }

  PrintEvidence(out, Field(a, "evidence"));

  const json& metrics = Field(a, "metrics");
  if (metrics.is_object() && !metrics.empty()) {
    out << "\nmetrics\n";
    Table t;
    std::vector<const json*> values;
    for (const auto& [k, v] : metrics.items()) values.push_back(&v);
    t.AddColumn("");
    t.AddColumn("", AlignFor(values));
    for (const auto& [k, v] : metrics.items()) t.AddRow({k, Text(v)});
    t.Render(out, "  ");
  } else {
    out << "\nmetrics  none\n";
  }

  const json& contract = Field(a, "contract");
  if (contract.is_object() && !contract.empty()) {
    out << "\ncontract\n";
    KeyValues(out, contract,
              {"plan", "arr", "start", "end", "renewal_status", "limits", "utilization"}, {}, "  ");
  } else {
    out << "\ncontract  " << (contract.is_null() || contract.empty() ? "none" : Text(contract))
        << '\n';
  }

  PrintSignalSection(out, Field(a, "signal"));
}

}  // namespace

// --- Commands -----------------------------------------------------------------------------------

int RunAccountsCommand(Store& store, const CliOptions& options, std::ostream& out,
                       std::ostream& err) {
  if (!CheckEnum(options, "route", {"ae", "csm", "nurture", "suppressed"}, err)) return kUsage;
  std::optional<int64_t> limit;
  if (const auto text = options.Flag("limit")) {
    int64_t n = 0;
    const auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (ec != std::errc() || p != text->data() + text->size() || n < 1) {
      err << "--limit: must be a positive integer, not '" << *text << "'\n";
      return kUsage;
    }
    limit = n;
  }
  const auto accounts = store.Accounts(options.Flag("route"), limit);
  if (options.json) {
    PrintJsonList(out, accounts);
    return kOk;
  }
  if (accounts.empty()) {
    out << "no accounts\n";
    return kOk;
  }
  Table t;
  t.AddColumn("RANK", Align::kRight);
  t.AddColumn("ACCOUNT");
  t.AddColumn("NAME");
  for (const char* h : {"SCORE", "FIRMO", "CAP", "ADOPT", "VALUE", "COMMITTEE"}) {
    t.AddColumn(h, Align::kRight);
  }
  t.AddColumn("ROUTE");
  t.AddColumn("TRIGGERS");
  t.AddColumn("SUPPRESSED");
  size_t rank = 0;
  for (const auto& a : accounts) {
    const json& parts = Field(a, "parts");
    const json& usage = Field(parts, "usage");
    t.AddRow({std::to_string(++rank), Text(Field(a, "account_id")), Text(Field(a, "name")),
              Text(Field(a, "score")), Text(Field(parts, "firmographic")),
              Text(Field(usage, "capacity")), Text(Field(usage, "adoption")),
              Text(Field(usage, "value")), Text(Field(parts, "committee")), Text(Field(a, "route")),
              Text(Field(a, "active_triggers")), Text(Field(a, "suppressed_by"))});
  }
  t.Render(out);
  return kOk;
}

int RunAccountCommand(Store& store, const CliOptions& options, std::ostream& out,
                      std::ostream& err) {
  if (options.args.empty()) {
    err << "account: missing account ID (usage: headroom account ID)\n";
    return kUsage;
  }
  const std::string& id = options.args[0];
  const auto account = store.Account(id);
  if (!account) {
    err << "account '" << id << "' not found\n";
    return kNotFound;
  }
  if (options.json) {
    PrintJson(out, *account);
  } else {
    PrintAccountDetail(out, *account);
  }
  return kOk;
}

int RunSignalsCommand(Store& store, const CliOptions& options, std::ostream& out,
                      std::ostream& err) {
  if (!CheckEnum(options, "status", {"open", "opportunity", "won", "lost", "expired", "suppressed"},
                 err)) {
    return kUsage;
  }
  const auto signals =
      store.Signals(options.Flag("status"), options.Flag("owner"), options.Flag("account"));
  if (options.json) {
    PrintJsonList(out, signals);
    return kOk;
  }
  if (signals.empty()) {
    out << "no signals\n";
    return kOk;
  }
  Table t;
  for (const char* h : {"SIGNAL", "ACCOUNT", "ROUTE", "OWNER", "STATUS"}) t.AddColumn(h);
  t.AddColumn("SCORE", Align::kRight);
  for (const char* h : {"CREATED", "TOUCH_DUE", "FIRST_TOUCH", "ESCALATED", "CLOSED"}) {
    t.AddColumn(h);
  }
  for (const auto& s : signals) {
    t.AddRow({Text(Field(s, "signal_id")), Text(Field(s, "account_id")), Text(Field(s, "route")),
              Text(Field(s, "owner")), Text(Field(s, "status")), Text(Field(s, "score")),
              Text(Field(s, "created_at")), Text(Field(s, "touch_due")),
              Text(Field(s, "first_touch_at")), Text(Field(s, "escalated_at")),
              Text(Field(s, "closed_at"))});
  }
  t.Render(out);
  return kOk;
}

int RunFiringsCommand(Store& store, const CliOptions& options, std::ostream& out,
                      std::ostream& /*err*/) {
  const auto firings = store.Firings(options.Flag("account"), options.Flag("trigger"));
  if (options.json) {
    PrintJsonList(out, firings);
    return kOk;
  }
  if (firings.empty()) {
    out << "no firings\n";
    return kOk;
  }
  Table t;
  for (const char* h : {"ACCOUNT", "TRIGGER", "CLASS", "FIRED", "URGENT", "ENDED"}) t.AddColumn(h);
  for (const auto& f : firings) {
    const json& ended = Field(f, "ended_at");
    t.AddRow({Text(Field(f, "account_id")), Text(Field(f, "trigger")), Text(Field(f, "class")),
              Text(Field(f, "fired_at")), Text(Field(f, "urgent_at")),
              ended.is_null() ? "active" : Text(ended)});
  }
  t.Render(out);
  return kOk;
}

}  // namespace headroom
