// RulesFingerprint (config/loader.h): FNV-1a 64 over a canonical, unambiguous
// dump of the rule sections. Every string is length-prefixed and every field
// labelled, so no two different configs dump to the same bytes.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/loader.h"

namespace headroom {
namespace {

// Builds the canonical dump: `label=value;` items, strings as <len>:<bytes>.
class CanonicalDump {
 public:
  void Str(std::string_view label, std::string_view s) {
    Label(label);
    out_ += std::to_string(s.size());
    out_ += ':';
    out_ += s;
    out_ += ';';
  }
  void Num(std::string_view label, double d) {
    Label(label);
    if (d == 0) d = 0;  // -0 prints as 0
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
    out_.append(buf, ec == std::errc() ? end : buf);
    out_ += ';';
  }
  void Int(std::string_view label, int64_t i) {
    Label(label);
    out_ += std::to_string(i);
    out_ += ';';
  }
  void Flag(std::string_view label, bool b) { Int(label, b ? 1 : 0); }
  void Begin(std::string_view label) {
    Label(label);
    out_ += '{';
  }
  void End() { out_ += "};"; }

  const std::string& text() const { return out_; }

 private:
  void Label(std::string_view label) {
    out_ += label;
    out_ += '=';
  }
  std::string out_;
};

void DumpValue(CanonicalDump& d, std::string_view label, const Value& v) {
  d.Begin(label);
  d.Int("kind", static_cast<int>(v.kind()));
  if (v.is_bool() || v.is_number()) d.Num("num", v.number());
  if (v.is_string() || v.kind() == Value::Kind::kRaw) d.Str("str", v.str());
  d.End();
}

void DumpWindow(CanonicalDump& d, const Window& w) {
  d.Begin("window");
  d.Int("kind", static_cast<int>(w.kind));
  d.Int("days", w.days);
  d.End();
}

void DumpMetric(CanonicalDump& d, const MetricDef& m) {
  d.Begin("metric");
  d.Str("name", m.name);
  d.Int("form", static_cast<int>(m.form));
  d.Int("events", static_cast<int64_t>(m.events.size()));
  for (const auto& e : m.events) d.Str("event", e);
  d.Str("property", m.property);
  DumpWindow(d, m.window);
  d.Int("where", static_cast<int64_t>(m.where.size()));
  for (const auto& [prop, value] : m.where) {
    d.Str("prop", prop);
    DumpValue(d, "value", value);
  }
  d.End();
}

template <typename T, typename F>
void DumpOptional(CanonicalDump& d, std::string_view label, const std::optional<T>& v, F dump) {
  d.Flag(label, v.has_value());
  if (v) dump(*v);
}

void DumpTrigger(CanonicalDump& d, const TriggerDef& t) {
  d.Begin("trigger");
  d.Str("name", t.name);
  d.Int("class", static_cast<int>(t.cls));
  d.Str("metric", t.metric);
  DumpOptional(d, "ratio", t.ratio, [&](const auto& r) {
    d.Str("a", r.first);
    d.Str("b", r.second);
  });
  d.Num("at", t.at);
  d.Int("hold_days", t.hold_days);
  DumpOptional(d, "sustained_days", t.sustained_days, [&](int v) { d.Int("v", v); });
  DumpOptional(d, "buffer", t.buffer, [&](double v) { d.Num("v", v); });
  DumpOptional(d, "limit", t.limit, [&](const std::string& v) { d.Str("v", v); });
  DumpOptional(d, "within_days_of_activation", t.within_days_of_activation,
               [&](int v) { d.Int("v", v); });
  DumpOptional(d, "min_denominator", t.min_denominator, [&](double v) { d.Num("v", v); });
  d.Str("motion", t.motion);
  d.End();
}

void DumpFirmographic(CanonicalDump& d, const FirmographicCriterion& c) {
  d.Begin("firmographic");
  d.Str("name", c.name);
  d.Str("trait", c.trait);
  d.Int("op", static_cast<int>(c.op));
  DumpValue(d, "value", c.value);
  d.Num("number", c.number);
  d.Int("values", static_cast<int64_t>(c.values.size()));
  for (const auto& v : c.values) DumpValue(d, "v", v);
  d.Int("days", c.days);
  d.Num("points", c.points);
  d.End();
}

void DumpCommittee(CanonicalDump& d, const CommitteeCriterion& c) {
  d.Begin("committee");
  d.Str("name", c.name);
  d.Int("kind", static_cast<int>(c.kind));
  d.Int("words", static_cast<int64_t>(c.words.size()));
  for (const auto& w : c.words) d.Str("w", w);
  d.Str("trait", c.trait);
  DumpMetric(d, c.metric);
  DumpWindow(d, c.window);
  d.Num("gte", c.gte);
  d.Num("points", c.points);
  d.End();
}

void DumpScore(CanonicalDump& d, const ScoreConfig& s) {
  d.Begin("score");
  d.Num("firmographic_max", s.firmographic_max);
  for (const auto& c : s.firmographic) DumpFirmographic(d, c);
  d.Num("usage_capacity", s.usage_capacity);
  d.Num("usage_adoption", s.usage_adoption);
  d.Num("usage_value", s.usage_value);
  d.Num("committee_max", s.committee_max);
  for (const auto& c : s.committee) DumpCommittee(d, c);
  d.End();
}

void DumpSuppress(CanonicalDump& d, const SuppressConfig& s) {
  d.Begin("suppress");
  d.Int("contract_younger_than_days", s.contract_younger_than_days);
  d.Int("sev1_ticket_within_days", s.sev1_ticket_within_days);
  d.Flag("renewal_in_negotiation", s.renewal_in_negotiation);
  for (const auto& t : s.traits) {
    d.Str("trait", t.trait);
    DumpValue(d, "equals", t.equals);
  }
  d.End();
}

void DumpRouting(CanonicalDump& d, const RoutingConfig& r) {
  d.Begin("routing");
  d.Num("ae_at", r.ae_at);
  d.Num("csm_at", r.csm_at);
  d.Num("ae_touch_sla_hours", r.ae_touch_sla_hours);
  d.Num("csm_touch_sla_hours", r.csm_touch_sla_hours);
  d.Int("signal_expire_days", r.signal_expire_days);
  d.Int("resignal_cooldown_days", r.resignal_cooldown_days);
  d.End();
}

uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string Hex16(uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<size_t>(i)] = kDigits[v & 0xf];
  return out;
}

}  // namespace

std::string RulesFingerprint(const Config& config) {
  CanonicalDump d;
  d.Str("format", "headroom-rules-v1");
  for (const auto& m : config.metrics) DumpMetric(d, m);
  for (const auto& t : config.triggers) DumpTrigger(d, t);
  d.Int("hold_days", config.hold_days);
  DumpScore(d, config.score);
  DumpSuppress(d, config.suppress);
  DumpRouting(d, config.routing);
  d.Num("credit_ae", config.credit_ae);
  d.Num("credit_csm", config.credit_csm);
  d.Num("deal_desk_max_discount", config.deal_desk_max_discount);
  d.Num("deal_desk_max_term_months", config.deal_desk_max_term_months);
  return Hex16(Fnv1a64(d.text()));
}

}  // namespace headroom
