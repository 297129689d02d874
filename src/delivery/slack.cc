#include "delivery/slack.h"

#include <cctype>
#include <cmath>
#include <cstdio>

namespace headroom {

namespace {

std::string Str(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// Slack mrkdwn control characters (&, <, >) in user-provided text.
std::string Escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out.push_back(c);
  }
  return out;
}

// Integers as integers, else up to two decimals ("0.96", "12.5").
std::string Num(const nlohmann::json& v) {
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (!v.is_number()) return "–";
  const double d = v.get<double>();
  if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<int64_t>(d));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", d);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string Get(const nlohmann::json& j, const char* a, const char* b = nullptr) {
  if (!j.is_object() || !j.contains(a)) return "–";
  const nlohmann::json& v = j[a];
  if (b == nullptr) return Num(v);
  if (!v.is_object() || !v.contains(b)) return "–";
  return Num(v[b]);
}

std::string PartsText(const nlohmann::json& parts) {
  return "firmographic " + Get(parts, "firmographic") + " · usage " +
         Num(nlohmann::json(
             (parts.is_object() && parts.contains("usage") && parts["usage"].is_object())
                 ? parts["usage"].value("capacity", 0.0) + parts["usage"].value("adoption", 0.0) +
                       parts["usage"].value("value", 0.0)
                 : 0.0)) +
         " (capacity " + Get(parts, "usage", "capacity") + ", adoption " +
         Get(parts, "usage", "adoption") + ", value " + Get(parts, "usage", "value") +
         ") · committee " + Get(parts, "committee");
}

// "<!date^1773316800^{date_short_pretty} {time}|2026-03-12 12:00 UTC>"
std::string SlackDate(const std::string& iso) {
  const auto t = ParseIsoTime(iso);
  if (!t) return Escape(iso);
  return "<!date^" + std::to_string(*t / 1000) + "^{date_short_pretty} {time}|" + SlackUtc(iso) +
         ">";
}

std::string Headline(const std::string& type, bool* is_signal) {
  *is_signal = type.rfind("signal.", 0) == 0;
  if (type == "signal.created") return "New PQA signal";
  if (type == "signal.routed") return "PQA signal moved to the AE";
  if (type == "signal.escalated") return "PQA signal escalated: no touch within SLA";
  if (type == "signal.closed") return "PQA signal closed";
  if (type == "trigger.fired") return "Trigger fired";
  if (type == "trigger.urgent") return "Urgent trigger";
  return type;
}

// "seat_capacity (capacity): 0.96 ≥ 0.8 of limit seats, sustained 20/20 days, ..."
std::string TriggerLine(const std::string& name, const nlohmann::json& account) {
  std::string line = "• *" + Escape(name) + "*";
  if (!account.is_object() || !account.contains("evidence") || !account["evidence"].is_object())
    return line;
  const nlohmann::json& evidence = account["evidence"];
  if (!evidence.contains("triggers") || !evidence["triggers"].is_array()) return line;
  const nlohmann::json* ev = nullptr;
  for (const auto& t : evidence["triggers"])
    if (Str(t, "name") == name) ev = &t;
  if (ev == nullptr) return line;
  const nlohmann::json& e = *ev;
  line += " (" + Escape(Str(e, "class")) + "): " + Get(e, "value") + " ≥ " + Get(e, "threshold");
  if (!Str(e, "limit").empty()) line += " of limit `" + Escape(Str(e, "limit")) + "`";
  if (e.contains("sustained_days") && e["sustained_days"].is_number())
    line +=
        ", sustained " + Get(e, "sustained_run_days") + "/" + Get(e, "sustained_days") + " days";
  if (!Str(e, "fired_at").empty()) line += ", fired " + SlackDate(Str(e, "fired_at"));
  if (!Str(e, "urgent_at").empty()) line += ", *urgent* since " + SlackDate(Str(e, "urgent_at"));
  return line;
}

nlohmann::json Field(const std::string& title, const std::string& value) {
  return {{"type", "mrkdwn"}, {"text", "*" + title + "*\n" + value}};
}

std::string Truncate(std::string s, size_t max) {
  if (s.size() <= max) return s;
  s.resize(max - 3);
  // Do not cut a UTF-8 sequence in half.
  while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
  if (!s.empty() && (static_cast<unsigned char>(s.back()) & 0x80)) s.pop_back();
  return s + "...";
}

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string UrlComponent(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

}  // namespace

std::string SlackUtc(const std::string& iso) {
  if (iso.size() < 16) return iso;
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

nlohmann::json SlackMessage(const Effect& e, const std::optional<nlohmann::json>& account_doc,
                            const std::string& public_url) {
  const nlohmann::json account = account_doc.value_or(nlohmann::json::object());
  const nlohmann::json& d = e.data;
  bool is_signal = false;
  const std::string headline = Headline(e.type, &is_signal);
  std::string name = Str(account, "name");
  if (name.empty()) name = e.account_id;
  std::string base = public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string link = base + "/#/accounts/" + UrlComponent(e.account_id);

  // Score, parts, route and owner: the signal's (as of the effect) or the account's.
  const nlohmann::json& scored = is_signal ? d : account;
  const std::string score = Get(scored, "score");
  const nlohmann::json parts = scored.value("parts", nlohmann::json::object());
  std::string route = Str(scored, "route");
  std::string owner;
  if (is_signal) {
    owner = Str(d, "owner");
  } else if (account.contains("owners") && account["owners"].is_object()) {
    owner = Str(account["owners"], route == "csm" ? "csm" : "ae");
  }
  if (route.empty()) route = "–";
  if (owner.empty()) owner = "unassigned";

  std::vector<std::string> triggers;
  if (is_signal) {
    for (const auto& t : d.value("triggers", nlohmann::json::array()))
      if (t.is_string()) triggers.push_back(t.get<std::string>());
  } else {
    triggers.push_back(Str(d, "trigger"));
    for (const auto& t : account.value("active_triggers", nlohmann::json::array()))
      if (t.is_string() && t.get<std::string>() != triggers.front())
        triggers.push_back(t.get<std::string>());
  }
  std::vector<std::string> escalated_to;
  if (is_signal && d.contains("escalated_to") && d["escalated_to"].is_array())
    for (const auto& t : d["escalated_to"])
      if (t.is_string()) escalated_to.push_back(t.get<std::string>());
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  };

  // text: the one-line summary.
  std::string text = headline + ": ";
  if (!is_signal) text += Str(d, "trigger") + " on ";
  text += name + " (" + e.account_id + ") — score " + score + ", route " + route + " → " + owner;
  const std::string due = Str(d, "touch_due");
  if (is_signal && !due.empty()) text += ", touch due " + SlackUtc(due);
  if (!escalated_to.empty()) text += ", escalated to " + join(escalated_to);
  if (e.type == "signal.closed" && !Str(d, "close_reason").empty())
    text += ", closed: " + Str(d, "close_reason");

  nlohmann::json blocks = nlohmann::json::array();
  blocks.push_back({{"type", "header"},
                    {"text",
                     {{"type", "plain_text"},
                      {"text", Truncate(headline + ": " + name, 150)},
                      {"emoji", true}}}});
  std::string intro = "*<" + link + "|" + Escape(name) + ">* (`" + Escape(e.account_id) + "`)";
  if (is_signal)
    intro += " · signal `" + Escape(Str(d, "signal_id")) + "` · " + Escape(Str(d, "motion"));
  else
    intro += " · trigger `" + Escape(Str(d, "trigger")) + "` (" + Escape(Str(d, "class")) + ")";
  blocks.push_back({{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", intro}}}});

  nlohmann::json fields = nlohmann::json::array();
  fields.push_back(Field("Score", score + " / 100"));
  fields.push_back(Field("Parts", PartsText(parts)));
  fields.push_back(Field("Route · owner", Escape(route) + " · " + Escape(owner)));
  if (is_signal && !due.empty()) fields.push_back(Field("Touch due (SLA)", SlackDate(due)));
  if (!escalated_to.empty()) fields.push_back(Field("Escalated to", Escape(join(escalated_to))));
  if (e.type == "signal.closed") fields.push_back(Field("Closed", Escape(Str(d, "close_reason"))));
  blocks.push_back({{"type", "section"}, {"fields", fields}});

  std::string trig = "*Active triggers*";
  if (triggers.empty()) trig += "\nnone";
  for (const auto& t : triggers) trig += "\n" + TriggerLine(t, account);
  blocks.push_back(
      {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", Truncate(trig, 3000)}}}});
  blocks.push_back(
      {{"type", "actions"},
       {"elements",
        nlohmann::json::array({{{"type", "button"},
                                {"text", {{"type", "plain_text"}, {"text", "Open in Headroom"}}},
                                {"url", link}}})}});
  blocks.push_back(
      {{"type", "context"},
       {"elements",
        nlohmann::json::array(
            {{{"type", "mrkdwn"},
              {"text", e.type + " · " + SlackDate(FormatIsoTime(e.at)) + " · Headroom"}}})}});
  return {{"text", text}, {"blocks", blocks}};
}

}  // namespace headroom
