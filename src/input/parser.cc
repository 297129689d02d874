#include "input/parser.h"

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace headroom {
namespace {

namespace dom = simdjson::dom;

// simdjson does not count an empty innermost [] or {} as a level and rejects
// a document whose depth reaches its max_depth: with kMaxJsonDepth + 1 it
// accepts exactly kMaxJsonDepth levels of non-empty containers.
constexpr size_t kSimdjsonDepth = kMaxJsonDepth + 1;
constexpr size_t kInitialCapacity = 4096;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Early return of the first error. Every check below yields
// std::optional<FieldError> (nullopt = fine).
#define HR_TRY(expr)                            \
  do {                                          \
    if (auto hr_err_ = (expr)) return *hr_err_; \
  } while (false)

using Check = std::optional<FieldError>;

FieldError Err(std::string_view field, std::string rule) {
  return FieldError{std::string(field), std::move(rule)};
}

// `text` for an error message: at most 40 bytes, cut on a UTF-8 boundary.
std::string Quoted(std::string_view text) {
  constexpr size_t kMax = 40;
  std::string out = "'";
  if (text.size() <= kMax) {
    out += text;
  } else {
    size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    out += text.substr(0, cut);
    out += "...";
  }
  out += "'";
  return out;
}

FieldError BodyError(simdjson::error_code e) {
  switch (e) {
    case simdjson::UTF8_ERROR: return Err("body", "invalid UTF-8");
    case simdjson::DEPTH_ERROR: return Err("body", "nested too deeply");
    case simdjson::EMPTY: return Err("body", "empty");
    case simdjson::CAPACITY: return Err("body", "too large");
    case simdjson::MEMALLOC: return Err("body", "out of memory");
    case simdjson::NUMBER_ERROR:
      return Err("body", "not valid JSON (a number is malformed or out of range)");
    default: return Err("body", "not valid JSON");
  }
}

// The field named `key`; the last one wins when a key repeats (as in
// JavaScript). JSON null counts as absent (every optional field may be null).
std::optional<dom::element> FindRaw(dom::object obj, std::string_view key) {
  std::optional<dom::element> found;
  for (dom::key_value_pair kv : obj)
    if (kv.key == key) found = kv.value;
  return found;
}
std::optional<dom::element> NonNull(std::optional<dom::element> e) {
  if (e && e->is_null()) return std::nullopt;
  return e;
}
std::optional<dom::element> Get(dom::object obj, std::string_view key) {
  return NonNull(FindRaw(obj, key));
}

// key == kLiteral, with the comparison inlined (a fixed-size memcmp).
template <size_t N>
inline bool KeyIs(std::string_view key, const char (&literal)[N]) {
  return key.size() == N - 1 && std::memcmp(key.data(), literal, N - 1) == 0;
}

// a == b, the lengths compared inline first.
inline bool SameText(const std::string& a, std::string_view b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), b.size()) == 0;
}

// Get(obj, kLiteral) for the hot paths.
template <size_t N>
std::optional<dom::element> GetKey(dom::object obj, const char (&literal)[N]) {
  std::optional<dom::element> found;
  for (dom::key_value_pair kv : obj)
    if (KeyIs(kv.key, literal)) found = kv.value;
  return NonNull(found);
}

// The top-level fields a Segment message reads, found in one pass over the
// object; each is as Get would find it (the last one wins when a key repeats,
// as FindRaw, and JSON null counts as absent, as NonNull).
struct SegmentFields {
  std::optional<dom::element> type, timestamp, original_timestamp, message_id, user_id,
      anonymous_id, context, properties, traits, event, name, group_id, previous_id;

  explicit SegmentFields(dom::object obj) {
    for (dom::key_value_pair kv : obj) {
      if (std::optional<dom::element>* slot = Slot(kv.key)) {
        if (kv.value.is_null()) {
          slot->reset();
        } else {
          *slot = kv.value;
        }
      }
    }
  }

 private:
  std::optional<dom::element>* Slot(std::string_view key) {
    switch (key.size()) {
      case 4:
        if (KeyIs(key, "type")) return &type;
        if (KeyIs(key, "name")) return &name;
        break;
      case 5:
        if (KeyIs(key, "event")) return &event;
        break;
      case 6:
        if (KeyIs(key, "userId")) return &user_id;
        if (KeyIs(key, "traits")) return &traits;
        break;
      case 7:
        if (KeyIs(key, "context")) return &context;
        if (KeyIs(key, "groupId")) return &group_id;
        break;
      case 9:
        if (KeyIs(key, "timestamp")) return &timestamp;
        if (KeyIs(key, "messageId")) return &message_id;
        break;
      case 10:
        if (KeyIs(key, "properties")) return &properties;
        if (KeyIs(key, "previousId")) return &previous_id;
        break;
      case 11:
        if (KeyIs(key, "anonymousId")) return &anonymous_id;
        break;
      case 17:
        if (KeyIs(key, "originalTimestamp")) return &original_timestamp;
        break;
      default: break;
    }
    return nullptr;
  }
};

std::string NumberText(dom::element e) {
  switch (e.type()) {
    case dom::element_type::INT64: return std::to_string(int64_t(e.get_int64().value_unsafe()));
    case dom::element_type::UINT64: return std::to_string(uint64_t(e.get_uint64().value_unsafe()));
    default: break;
  }
  const double d = e.get_double().value_unsafe();
  if (std::floor(d) == d && std::fabs(d) < 9e15) return std::to_string(static_cast<int64_t>(d));
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

bool IsNumber(dom::element e) {
  const auto t = e.type();
  return t == dom::element_type::INT64 || t == dom::element_type::UINT64 ||
         t == dom::element_type::DOUBLE;
}

Value ToValue(dom::element e) {
  switch (e.type()) {
    case dom::element_type::ARRAY:
    case dom::element_type::OBJECT: return Value::Raw(simdjson::minify(e));
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: return Value::Number(e.get_double().value_unsafe());
    case dom::element_type::STRING:
      return Value::String(std::string(e.get_string().value_unsafe()));
    case dom::element_type::BOOL: return Value::Bool(e.get_bool().value_unsafe());
    case dom::element_type::NULL_VALUE: return Value::Null();
  }
  return Value();
}

TraitMap ToTraits(dom::object obj) {
  TraitMap out;
  for (dom::key_value_pair kv : obj) out.insert_or_assign(std::string(kv.key), ToValue(kv.value));
  return out;
}

// out = s, reusing out's capacity (cheaper than std::string::assign).
inline void AssignText(std::string& out, std::string_view s) {
  out.clear();
  out.append(s.data(), s.size());
}

// ---- field readers: absent / null leave `out` untouched ----

// An object, or absent.
Check OptObject(std::optional<dom::element> e, std::string_view field,
                std::optional<dom::object>& out) {
  if (!e) return std::nullopt;
  dom::object o;
  if (e->get_object().get(o)) return Err(field, "must be an object");
  out = o;
  return std::nullopt;
}
Check OptObject(dom::object obj, std::string_view field, std::optional<dom::object>& out) {
  return OptObject(Get(obj, field), field, out);
}

// An identifier: a string, or a number written as decimal text.
Check IdText(std::optional<dom::element> e, std::string_view field, std::string& out) {
  if (!e) return std::nullopt;
  std::string_view s;
  if (!e->get_string().get(s)) {
    AssignText(out, s);
    return std::nullopt;
  }
  if (IsNumber(*e)) {
    out = NumberText(*e);
    return std::nullopt;
  }
  return Err(field, "must be a string");
}
// What IdText checks, without keeping the text.
Check IdCheck(std::optional<dom::element> e, std::string_view field) {
  if (!e || e->type() == dom::element_type::STRING || IsNumber(*e)) return std::nullopt;
  return Err(field, "must be a string");
}
Check OptId(dom::object obj, std::string_view field, std::string& out) {
  return IdText(Get(obj, field), field, out);
}
Check OptId(dom::object obj, std::string_view field, std::optional<std::string>& out) {
  std::string s;
  HR_TRY(OptId(obj, field, s));
  if (!s.empty()) out = std::move(s);
  return std::nullopt;
}
// Absent, null and "" are all "required for <type>".
Check RequiredId(std::optional<dom::element> e, std::string_view field, std::string_view type,
                 std::string& out) {
  HR_TRY(IdText(e, field, out));
  if (out.empty()) return Err(field, "required for " + std::string(type));
  return std::nullopt;
}
Check RequiredId(dom::object obj, std::string_view field, std::string_view type, std::string& out) {
  return RequiredId(Get(obj, field), field, type, out);
}

// account.owners.ae / .csm: an owner id, null or absent ("" = none).
Check OwnerRef(dom::object owners, std::string_view key, std::optional<std::string>& out) {
  if (OptId(owners, key, out)) return Err("owners." + std::string(key), "must be a string or null");
  return std::nullopt;
}

Check OptString(std::optional<dom::element> e, std::string_view field, std::string& out) {
  if (!e) return std::nullopt;
  std::string_view s;
  if (e->get_string().get(s)) return Err(field, "must be a string");
  AssignText(out, s);
  return std::nullopt;
}
// OptString, viewing the text (valid while the parser's document lives).
Check OptStringView(std::optional<dom::element> e, std::string_view field, std::string_view& out) {
  if (!e) return std::nullopt;
  if (e->get_string().get(out)) return Err(field, "must be a string");
  return std::nullopt;
}
Check OptString(dom::object obj, std::string_view field, std::string& out) {
  return OptString(Get(obj, field), field, out);
}
Check RequiredString(std::optional<dom::element> e, std::string_view field, std::string_view type,
                     std::string& out) {
  HR_TRY(OptString(e, field, out));
  if (out.empty()) return Err(field, "required for " + std::string(type));
  return std::nullopt;
}
Check RequiredString(dom::object obj, std::string_view field, std::string_view type,
                     std::string& out) {
  return RequiredString(Get(obj, field), field, type, out);
}

Check OptNumber(dom::object obj, std::string_view field, double& out) {
  auto e = Get(obj, field);
  if (!e) return std::nullopt;
  if (!IsNumber(*e)) return Err(field, "must be a number");
  out = e->get_double().value_unsafe();
  return std::nullopt;
}

Check ParseTime(dom::element e, std::string_view field, TimeMs& out) {
  std::string_view s;
  std::optional<TimeMs> t;
  if (e.get_string().get(s) || !(t = ParseIsoTime(s))) return Err(field, "not an ISO-8601 time");
  out = *t;
  return std::nullopt;
}
Check OptTime(dom::object obj, std::string_view field, std::optional<TimeMs>& out) {
  auto e = Get(obj, field);
  if (!e) return std::nullopt;
  TimeMs t = 0;
  HR_TRY(ParseTime(*e, field, t));
  out = t;
  return std::nullopt;
}
Check RequiredTime(dom::object obj, std::string_view field, std::string_view type, TimeMs& out) {
  std::optional<TimeMs> t;
  HR_TRY(OptTime(obj, field, t));
  if (!t) return Err(field, "required for " + std::string(type));
  out = *t;
  return std::nullopt;
}

// One of `allowed`; absent leaves `out` (its default) unless `required_for`
// names the record type, which makes the field required.
Check Enum(dom::object obj, std::string_view field, std::initializer_list<std::string_view> allowed,
           std::string_view required_for, std::string& out) {
  auto e = Get(obj, field);
  if (!e) {
    if (required_for.empty()) return std::nullopt;
    return Err(field, "required for " + std::string(required_for));
  }
  std::string_view s;
  if (!e->get_string().get(s)) {
    for (auto a : allowed)
      if (s == a) {
        out = std::string(s);
        return std::nullopt;
      }
  }
  std::string rule = "must be one of ";
  for (auto a : allowed) {
    if (a != *allowed.begin()) rule += ", ";
    rule += a;
  }
  return Err(field, rule);
}

// ---- Segment messages (SPEC 1.1) ----

enum class Seg : uint8_t { kTrack, kPage, kScreen, kIdentify, kGroup, kAlias };

std::optional<Seg> SegmentType(std::string_view t) {
  if (KeyIs(t, "track")) return Seg::kTrack;
  if (KeyIs(t, "page")) return Seg::kPage;
  if (KeyIs(t, "screen")) return Seg::kScreen;
  if (KeyIs(t, "identify")) return Seg::kIdentify;
  if (KeyIs(t, "group")) return Seg::kGroup;
  if (KeyIs(t, "alias")) return Seg::kAlias;
  return std::nullopt;
}

Check EventTime(const SegmentFields& f, TimeMs& out) {
  if (f.timestamp) return ParseTime(*f.timestamp, "timestamp", out);
  if (f.original_timestamp) return ParseTime(*f.original_timestamp, "originalTimestamp", out);
  return Err("timestamp", "required (timestamp or originalTimestamp)");
}

// Fills every field of `in` (reusing its capacity when it already holds an
// EventMsg); on an error `in` is left half-filled.
Check ParseSegment(const SegmentFields& f, Seg seg, const PropertyInterest& interest, Input& in) {
  switch (seg) {
    case Seg::kTrack: in.type = MessageType::kTrack; break;
    case Seg::kPage: in.type = MessageType::kPage; break;
    case Seg::kScreen: in.type = MessageType::kScreen; break;
    case Seg::kIdentify: in.type = MessageType::kIdentify; break;
    case Seg::kGroup: in.type = MessageType::kGroup; break;
    case Seg::kAlias: in.type = MessageType::kAlias; break;
  }
  in.seq = 0;
  in.time = 0;
  in.message_id.clear();
  in.user_id.clear();
  in.anonymous = false;
  in.account_id.clear();
  in.explicit_account = false;
  HR_TRY(EventTime(f, in.time));
  HR_TRY(IdText(f.message_id, "messageId", in.message_id));

  // userId, else anonymousId; both are checked even when userId is given.
  HR_TRY(IdText(f.user_id, "userId", in.user_id));
  if (!in.user_id.empty()) {
    HR_TRY(IdCheck(f.anonymous_id, "anonymousId"));
  } else {
    HR_TRY(IdText(f.anonymous_id, "anonymousId", in.user_id));
    if (in.user_id.empty()) return Err("userId", "required (userId or anonymousId)");
    in.anonymous = true;
  }

  std::optional<dom::object> context, properties, traits;
  HR_TRY(OptObject(f.context, "context", context));
  HR_TRY(OptObject(f.properties, "properties", properties));
  HR_TRY(OptObject(f.traits, "traits", traits));

  const bool attributable = seg != Seg::kGroup && seg != Seg::kAlias;
  if (attributable && context) {
    HR_TRY(IdText(GetKey(*context, "groupId"), "context.groupId", in.account_id));
    in.explicit_account = !in.account_id.empty();
  }

  switch (seg) {
    case Seg::kTrack:
    case Seg::kPage:
    case Seg::kScreen: {
      EventMsg* ev = std::get_if<EventMsg>(&in.body);
      if (!ev) ev = &in.body.emplace<EventMsg>();
      std::string_view name;
      if (seg == Seg::kTrack) {
        ev->event.clear();
        HR_TRY(RequiredString(f.event, "event", "track", ev->event));
      } else {
        HR_TRY(OptStringView(f.name, "name", name));
      }
      // One pass over properties: the interesting ones (the last wins when a
      // key repeats) and, for a page/screen without a name, properties.name.
      const size_t n = interest.names.size();
      if (ev->props.size() != n) {
        ev->props.assign(n, Value());
      } else {
        for (Value& v : ev->props)
          if (!v.missing()) v = Value();
      }
      const bool want_name = seg != Seg::kTrack && name.empty();
      if (properties && (n != 0 || want_name)) {
        std::optional<dom::element> property_name;
        for (dom::key_value_pair kv : *properties) {
          if (want_name && KeyIs(kv.key, "name")) property_name = kv.value;
          for (size_t i = 0; i < n; ++i)
            if (SameText(interest.names[i], kv.key)) ev->props[i] = ToValue(kv.value);
        }
        if (property_name) {
          std::string_view s;
          if (!property_name->get_string().get(s)) name = s;
        }
      }
      if (seg != Seg::kTrack) {
        ev->event.assign("Viewed ");
        if (!name.empty()) {
          ev->event.append(name);
          ev->event.push_back(' ');
        }
        ev->event.append(seg == Seg::kPage ? "Page" : "Screen");
      }
      break;
    }
    case Seg::kIdentify: {
      IdentifyMsg& id = in.body.emplace<IdentifyMsg>();
      if (traits) id.traits = ToTraits(*traits);
      break;
    }
    case Seg::kGroup: {
      GroupMsg& g = in.body.emplace<GroupMsg>();
      HR_TRY(RequiredId(f.group_id, "groupId", "group", g.group_id));
      if (traits) g.traits = ToTraits(*traits);
      in.account_id = g.group_id;
      break;
    }
    case Seg::kAlias: {
      AliasMsg& a = in.body.emplace<AliasMsg>();
      HR_TRY(RequiredId(f.previous_id, "previousId", "alias", a.previous_id));
      break;
    }
  }
  return std::nullopt;
}

// ---- business records (SPEC 1.2) ----

enum class Rec : uint8_t {
  kAccount,
  kOwner,
  kContract,
  kTicket,
  kTouch,
  kOpportunity,
  kRevenue,
  kRelease
};

std::optional<Rec> RecordType(std::string_view t) {
  if (t == "account") return Rec::kAccount;
  if (t == "owner") return Rec::kOwner;
  if (t == "contract") return Rec::kContract;
  if (t == "ticket") return Rec::kTicket;
  if (t == "touch") return Rec::kTouch;
  if (t == "opportunity") return Rec::kOpportunity;
  if (t == "revenue") return Rec::kRevenue;
  if (t == "release") return Rec::kRelease;
  return std::nullopt;
}

Result<Input> ParseRecord(dom::object obj, Rec rec, std::string_view type) {
  Input in;
  in.type = MessageType::kRecord;
  std::optional<TimeMs> timestamp;
  HR_TRY(OptTime(obj, "timestamp", timestamp));

  switch (rec) {
    case Rec::kAccount: {
      AccountRecord r;
      HR_TRY(RequiredId(obj, "account_id", type, in.account_id));
      HR_TRY(OptString(obj, "name", r.name));
      std::optional<dom::object> owners, traits;
      HR_TRY(OptObject(obj, "owners", owners));
      if (owners) {
        HR_TRY(OwnerRef(*owners, "ae", r.owners.ae));
        HR_TRY(OwnerRef(*owners, "csm", r.owners.csm));
      }
      HR_TRY(OptObject(obj, "traits", traits));
      if (traits) r.traits = ToTraits(*traits);
      if (!timestamp) return Err("timestamp", "required for account");
      in.body = std::move(r);
      break;
    }
    case Rec::kOwner: {
      OwnerRecord r;
      HR_TRY(RequiredId(obj, "owner_id", type, r.owner_id));
      HR_TRY(Enum(obj, "role", {"ae", "csm", "manager", "revops"}, type, r.role));
      HR_TRY(OptString(obj, "name", r.name));
      HR_TRY(OptId(obj, "manager", r.manager));
      std::string group;
      HR_TRY(Enum(obj, "group", {"pilot", "control"}, {}, group));
      if (!group.empty()) r.group = std::move(group);
      if (!timestamp) return Err("timestamp", "required for owner");
      in.body = std::move(r);
      break;
    }
    case Rec::kContract: {
      ContractRecord r;
      HR_TRY(RequiredId(obj, "account_id", type, in.account_id));
      HR_TRY(OptString(obj, "plan", r.plan));
      HR_TRY(OptNumber(obj, "arr", r.arr));
      HR_TRY(RequiredTime(obj, "start", type, r.start));
      HR_TRY(OptTime(obj, "end", r.end));
      std::optional<dom::object> limits;
      HR_TRY(OptObject(obj, "limits", limits));
      if (limits) r.limits = ToTraits(*limits);
      HR_TRY(Enum(obj, "renewal_status", {"none", "negotiating"}, {}, r.renewal_status));
      if (!timestamp) timestamp = r.start;
      in.body = std::move(r);
      break;
    }
    case Rec::kTicket: {
      TicketRecord r;
      HR_TRY(RequiredId(obj, "ticket_id", type, r.ticket_id));
      HR_TRY(RequiredId(obj, "account_id", type, in.account_id));
      auto severity = FindRaw(obj, "severity");
      if (!severity) return Err("severity", "required for ticket");
      r.severity = ToValue(*severity);
      HR_TRY(RequiredTime(obj, "opened_at", type, r.opened_at));
      HR_TRY(OptTime(obj, "resolved_at", r.resolved_at));
      HR_TRY(OptString(obj, "topic", r.topic));
      if (!timestamp) timestamp = r.opened_at;
      in.body = std::move(r);
      break;
    }
    case Rec::kTouch: {
      TouchRecord r;
      HR_TRY(OptId(obj, "touch_id", r.touch_id));
      HR_TRY(OptId(obj, "signal_id", r.signal_id));
      HR_TRY(OptId(obj, "account_id", in.account_id));
      if (in.account_id.empty()) {
        if (!r.signal_id) return Err("account_id", "required for touch (account_id or signal_id)");
        in.account_id = AccountOfSignalId(*r.signal_id);
        if (in.account_id.empty()) return Err("signal_id", "must be '<account_id>:<n>'");
      }
      HR_TRY(RequiredId(obj, "owner_id", type, r.owner_id));
      HR_TRY(RequiredTime(obj, "at", type, r.at));
      HR_TRY(OptString(obj, "channel", r.channel));
      if (!timestamp) timestamp = r.at;
      in.body = std::move(r);
      break;
    }
    case Rec::kOpportunity: {
      OpportunityRecord r;
      HR_TRY(RequiredId(obj, "opportunity_id", type, r.opportunity_id));
      HR_TRY(RequiredId(obj, "account_id", type, in.account_id));
      HR_TRY(OptId(obj, "signal_id", r.signal_id));
      HR_TRY(OptId(obj, "owner_id", r.owner_id));
      HR_TRY(RequiredTime(obj, "created_at", type, r.created_at));
      HR_TRY(Enum(obj, "stage", {"open", "won", "lost"}, type, r.stage));
      HR_TRY(OptTime(obj, "closed_at", r.closed_at));
      HR_TRY(OptNumber(obj, "amount", r.amount));
      HR_TRY(OptNumber(obj, "discount", r.discount));
      HR_TRY(OptNumber(obj, "term_months", r.term_months));
      if (!timestamp) timestamp = r.closed_at ? *r.closed_at : r.created_at;
      in.body = std::move(r);
      break;
    }
    case Rec::kRevenue: {
      RevenueRecord r;
      HR_TRY(RequiredId(obj, "account_id", type, in.account_id));
      HR_TRY(RequiredTime(obj, "at", type, r.at));
      if (!Get(obj, "mrr")) return Err("mrr", "required for revenue");
      HR_TRY(OptNumber(obj, "mrr", r.mrr));
      if (!(r.mrr >= 0)) return Err("mrr", "must be >= 0");
      HR_TRY(OptString(obj, "plan", r.plan));
      if (!timestamp) timestamp = r.at;
      in.body = std::move(r);
      break;
    }
    case Rec::kRelease: {
      ReleaseRecord r;
      HR_TRY(RequiredString(obj, "feature", type, r.feature));
      HR_TRY(RequiredTime(obj, "released_at", type, r.released_at));
      HR_TRY(OptString(obj, "tier", r.tier));
      HR_TRY(RequiredString(obj, "adoption_event", type, r.adoption_event));
      if (!timestamp) timestamp = r.released_at;
      in.body = std::move(r);
      break;
    }
  }
  in.time = *timestamp;
  return in;
}

Check ParseInto(dom::parser& parser, std::string_view text, const PropertyInterest& interest,
                Input& out) {
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  if (text.empty()) return Err("body", "empty");
  if (parser.max_depth() != kSimdjsonDepth || parser.capacity() == 0) {
    if (parser.allocate(kInitialCapacity, kSimdjsonDepth)) return Err("body", "out of memory");
  }
  dom::element root;
  if (auto err = parser.parse(text.data(), text.size(), /*realloc_if_needed=*/true).get(root)) {
    // simdjson may report a structural error first; bad UTF-8 anywhere is named as such.
    if (err != simdjson::UTF8_ERROR && !simdjson::validate_utf8(text.data(), text.size()))
      err = simdjson::UTF8_ERROR;
    return BodyError(err);
  }
  dom::object obj;
  if (root.get_object().get(obj)) return Err("body", "must be a JSON object");

  const SegmentFields fields(obj);
  const auto& type_el = fields.type;
  if (!type_el) return Err("type", "required");
  std::string_view type;
  if (type_el->get_string().get(type)) return Err("type", "must be a string");
  if (auto seg = SegmentType(type)) return ParseSegment(fields, *seg, interest, out);
  if (auto rec = RecordType(type)) {
    Result<Input> r = ParseRecord(obj, *rec, type);
    if (!r.ok()) return r.error();
    out = std::move(r.value());
    return std::nullopt;
  }
  return Err("type", "unknown type " + Quoted(type));
}

Result<Input> ParseWith(dom::parser& parser, std::string_view text,
                        const PropertyInterest& interest) {
  Input in;
  if (Check err = ParseInto(parser, text, interest, in)) return std::move(*err);
  return in;
}

#undef HR_TRY

}  // namespace

struct InputParser::Impl {
  explicit Impl(PropertyInterest i) : interest(std::move(i)) {}
  PropertyInterest interest;
  dom::parser parser;
};

InputParser::InputParser(PropertyInterest interest)
    : impl_(std::make_unique<Impl>(std::move(interest))) {}
InputParser::~InputParser() = default;
InputParser::InputParser(InputParser&&) noexcept = default;
InputParser& InputParser::operator=(InputParser&&) noexcept = default;

Result<Input> InputParser::Parse(std::string_view json_text) {
  return ParseWith(impl_->parser, json_text, impl_->interest);
}

std::optional<FieldError> InputParser::Parse(std::string_view json_text, Input& out) {
  return ParseInto(impl_->parser, json_text, impl_->interest, out);
}

const PropertyInterest& InputParser::interest() const { return impl_->interest; }

Result<Input> ParseInputLine(std::string_view json_text, const PropertyInterest& interest) {
  thread_local dom::parser parser;
  return ParseWith(parser, json_text, interest);
}

}  // namespace headroom
