// LoadConfig (config/loader.h). Three layers:
//   1. scalar typing: YAML 1.2 core schema on top of yaml-cpp's Tag() ("?" plain,
//      "!" quoted);
//   2. a Loader with typed readers (number, integer, string, window, duration...)
//      that report a FieldError and return nullopt on a bad value, and Walk(),
//      which visits a mapping's keys in document order and reports unknown,
//      duplicate and non-string keys;
//   3. one small parser per section of SPEC 2.
// The walk follows the document, so errors come out in document order; the only
// look-ahead is to sibling keys of the same mapping and to the metric names
// (collected before the walk, so triggers may precede metrics).
#include "config/loader.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace headroom {
namespace {

constexpr size_t kMaxErrors = 200;
constexpr int64_t kMaxDays = 36500;         // 100 years: day counts, windows, durations
constexpr double kMaxHours = 24.0 * 36500;  // SLA hours
constexpr int64_t kMaxQueue = 1'000'000'000;

// ---------------------------------------------------------------- paths, errors

std::string Child(std::string_view path, std::string_view key) {
  std::string out(path);
  if (!out.empty()) out += '.';
  out += key;
  return out;
}

std::string Item(std::string_view path, size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// Collects problems in the order found; stops storing after kMaxErrors.
class Errors {
 public:
  void Add(std::string path, std::string rule) {
    if (list_.size() < kMaxErrors) {
      list_.push_back(FieldError{std::move(path), std::move(rule)});
    } else {
      truncated_ = true;
    }
  }
  bool empty() const { return list_.empty(); }
  std::vector<FieldError> Take() {
    if (truncated_)
      list_.push_back(FieldError{
          "", "too many errors; only the first " + std::to_string(kMaxErrors) + " are shown"});
    return std::move(list_);
  }

 private:
  std::vector<FieldError> list_;
  bool truncated_ = false;
};

// ---------------------------------------------------------------- core schema

struct Scalar {
  enum class Type { kNull, kBool, kNumber, kString, kCollection, kInvalid };
  Type type = Type::kNull;
  bool boolean = false;
  double number = 0;
  std::string text;  // kString: the string; kInvalid: what is wrong
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsOctalDigit(char c) { return c >= '0' && c <= '7'; }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

size_t SkipDigits(std::string_view s, size_t i) {
  while (i < s.size() && IsDigit(s[i])) ++i;
  return i;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? — the core schema's int
// and float forms in one.
bool IsDecimalNumber(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  const size_t int_start = i;
  i = SkipDigits(s, i);
  const bool has_int_digits = i > int_start;
  if (i < s.size() && s[i] == '.') {
    const size_t frac_start = ++i;
    i = SkipDigits(s, i);
    if (!has_int_digits && i == frac_start) return false;
  } else if (!has_int_digits) {
    return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    const size_t exp_start = i;
    i = SkipDigits(s, i);
    if (i == exp_start) return false;
  }
  return i == s.size();
}

// 0o17 / 0x1F. Out of range is infinity (rejected later as not finite).
std::optional<double> PrefixedInteger(std::string_view s) {
  if (s.size() < 3 || s[0] != '0' || (s[1] != 'o' && s[1] != 'x')) return std::nullopt;
  const int base = s[1] == 'o' ? 8 : 16;
  const std::string_view digits = s.substr(2);
  for (char c : digits)
    if (base == 8 ? !IsOctalDigit(c) : !IsHexDigit(c)) return std::nullopt;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
  if (ec == std::errc::result_out_of_range) return std::numeric_limits<double>::infinity();
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return static_cast<double>(v);
}

std::optional<double> SpecialFloat(std::string_view s) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double sign = 1;
  std::string_view body = s;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    sign = body[0] == '-' ? -1 : 1;
    body.remove_prefix(1);
  }
  if (body == ".inf" || body == ".Inf" || body == ".INF") return sign * kInf;
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return std::numeric_limits<double>::quiet_NaN();
  return std::nullopt;
}

// A plain scalar's number per the core schema, or nullopt when it is not one.
std::optional<double> CoreNumber(std::string_view s) {
  if (auto v = PrefixedInteger(s)) return v;
  if (auto v = SpecialFloat(s)) return v;
  if (!IsDecimalNumber(s)) return std::nullopt;
  const std::string_view body = s[0] == '+' ? s.substr(1) : s;
  double v = 0;
  auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
  if (ec == std::errc::result_out_of_range) return std::numeric_limits<double>::infinity();
  if (ec != std::errc() || end != body.data() + body.size()) return std::nullopt;
  return v;
}

Scalar ResolvePlain(const std::string& text) {
  Scalar s;
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    s.type = Scalar::Type::kNull;
  } else if (text == "true" || text == "True" || text == "TRUE" || text == "false" ||
             text == "False" || text == "FALSE") {
    s.type = Scalar::Type::kBool;
    s.boolean = text[0] == 't' || text[0] == 'T';
  } else if (auto n = CoreNumber(text)) {
    s.type = Scalar::Type::kNumber;
    s.number = *n;
  } else {
    s.type = Scalar::Type::kString;
    s.text = text;
  }
  return s;
}

constexpr std::string_view kCoreTagPrefix = "tag:yaml.org,2002:";

Scalar Invalid(std::string problem) {
  Scalar s;
  s.type = Scalar::Type::kInvalid;
  s.text = std::move(problem);
  return s;
}

// An explicitly tagged scalar: !!str is a string; !!int, !!float, !!bool and
// !!null must resolve to their type; any other tag is refused.
Scalar ResolveTagged(const std::string& tag, const std::string& text) {
  if (tag.rfind(kCoreTagPrefix, 0) != 0) return Invalid("unsupported tag " + Quoted(tag));
  const std::string name = tag.substr(kCoreTagPrefix.size());
  if (name == "str") {
    Scalar s;
    s.type = Scalar::Type::kString;
    s.text = text;
    return s;
  }
  Scalar s = ResolvePlain(text);
  Scalar::Type wanted;
  if (name == "int" || name == "float")
    wanted = Scalar::Type::kNumber;
  else if (name == "bool")
    wanted = Scalar::Type::kBool;
  else if (name == "null")
    wanted = Scalar::Type::kNull;
  else
    return Invalid("unsupported tag '!!" + name + "'");
  const bool fits = s.type == wanted;
  if (!fits) return Invalid("not a valid !!" + name);
  return s;
}

Scalar Resolve(const YAML::Node& node) {
  if (node.IsMap() || node.IsSequence()) {
    Scalar s;
    s.type = Scalar::Type::kCollection;
    return s;
  }
  if (!node.IsScalar()) return Scalar{};  // null or undefined
  const std::string& tag = node.Tag();
  if (tag == "?") return ResolvePlain(node.Scalar());
  if (tag == "!") {
    Scalar s;
    s.type = Scalar::Type::kString;
    s.text = node.Scalar();
    return s;
  }
  return ResolveTagged(tag, node.Scalar());
}

// ---------------------------------------------------------------- small checks

// Metric, trigger and criterion names: letters, digits, '_' and '-'.
constexpr const char* kInvalidName = "invalid name (use letters, digits, '_' or '-')";

bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!IsAlnum(c) && c != '_' && c != '-') return false;
  return true;
}

bool IsHttpUrl(std::string_view url) {
  for (std::string_view scheme : {"http://", "https://"})
    if (url.size() > scheme.size() && url.substr(0, scheme.size()) == scheme) return true;
  return false;
}

// host:port, port 0..65535, host non-empty.
bool IsHostPort(std::string_view s) {
  const size_t colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string_view port = s.substr(colon + 1);
  if (port.empty() || port.size() > 5) return false;
  for (char c : port)
    if (!IsDigit(c)) return false;
  for (char c : s.substr(0, colon))
    if (c == ' ' || c == '\t' || c == '/') return false;
  return std::stoi(std::string(port)) <= 65535;
}

// Standard base64 (RFC 4648 alphabet), padded or not.
bool IsBase64(std::string_view s) {
  size_t pad = 0;
  while (!s.empty() && s.back() == '=' && pad < 2) {
    s.remove_suffix(1);
    ++pad;
  }
  if (s.empty()) return false;
  for (char c : s)
    if (!IsAlnum(c) && c != '+' && c != '/') return false;
  return pad > 0 ? (s.size() + pad) % 4 == 0 : s.size() % 4 != 1;
}

constexpr std::string_view kWebhookSecretPrefix = "whsec_";

bool IsWebhookSecret(std::string_view s) {
  return s.substr(0, kWebhookSecretPrefix.size()) == kWebhookSecretPrefix &&
         IsBase64(s.substr(kWebhookSecretPrefix.size()));
}

const std::set<std::string, std::less<>>& WebhookEvents() {
  static const std::set<std::string, std::less<>> kEvents = {"signal.created",
                                                             "signal.routed",
                                                             "signal.escalated",
                                                             "signal.closed",
                                                             "trigger.fired",
                                                             "trigger.urgent",
                                                             "*"};
  return kEvents;
}

std::string ToLowerAscii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool HasAlnum(std::string_view s) {
  for (char c : s)
    if (IsAlnum(c)) return true;
  return false;
}

// "<digits><unit>" -> (n, unit). Used for windows ("30d") and durations.
struct CountWithUnit {
  int64_t n = 0;
  char unit = 0;
  bool too_big = false;
};

std::optional<CountWithUnit> SplitCount(std::string_view s) {
  if (s.size() < 2) return std::nullopt;
  const std::string_view digits = s.substr(0, s.size() - 1);
  for (char c : digits)
    if (!IsDigit(c)) return std::nullopt;
  CountWithUnit out;
  out.unit = s.back();
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out.n);
  if (ec == std::errc::result_out_of_range) {
    out.too_big = true;
  } else if (ec != std::errc() || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return out;
}

TimeMs UnitMs(char unit) {
  switch (unit) {
    case 's': return kMsPerSecond;
    case 'm': return 60 * kMsPerSecond;
    case 'h': return kMsPerHour;
    case 'd': return kMsPerDay;
    default: return 0;
  }
}

// ---------------------------------------------------------------- mappings

// A mapping's entries in document order; the first occurrence of each key is
// indexed for look-ups among siblings.
class Fields {
 public:
  enum class Status { kFirst, kDuplicate, kBadKey };
  struct Entry {
    std::string key;
    YAML::Node value;
    Status status;
  };

  Fields() = default;
  explicit Fields(const YAML::Node& map) {
    if (!map.IsMap()) return;
    for (auto it = map.begin(); it != map.end(); ++it) {
      Entry e{"", it->second, Status::kFirst};
      if (!it->first.IsScalar() || it->first.Scalar().empty()) {
        e.status = Status::kBadKey;
      } else {
        e.key = it->first.Scalar();
        if (first_.count(e.key))
          e.status = Status::kDuplicate;
        else
          first_.emplace(e.key, entries_.size());
      }
      entries_.push_back(std::move(e));
    }
  }

  const std::vector<Entry>& entries() const { return entries_; }
  bool Has(std::string_view key) const { return first_.find(key) != first_.end(); }
  const YAML::Node* Find(std::string_view key) const {
    auto it = first_.find(key);
    return it == first_.end() ? nullptr : &entries_[it->second].value;
  }
  // The first of `keys` present, in document order; "" when none is.
  std::string FirstOf(std::initializer_list<std::string_view> keys) const {
    for (const Entry& e : entries_) {
      if (e.status != Status::kFirst) continue;
      for (std::string_view k : keys)
        if (e.key == k) return e.key;
    }
    return "";
  }

 private:
  std::vector<Entry> entries_;
  std::map<std::string, size_t, std::less<>> first_;
};

using Handler = std::function<void(const YAML::Node& value, const std::string& at)>;
struct KeyHandler {
  std::string_view key;
  Handler handle;
};
using Handlers = std::vector<KeyHandler>;

// The forms of SPEC 3.2 and the committee-only kinds of SPEC 3.4.
constexpr std::string_view kCount = "count", kSum = "sum", kDistinct = "distinct",
                           kDaysActive = "days_active", kLatest = "latest",
                           kNewSeniorUsers = "new_senior_users",
                           kDistinctUserTrait = "distinct_user_trait", kMetricRef = "metric";

// ---------------------------------------------------------------- the loader

class Loader {
 public:
  explicit Loader(Errors& errors) : errors_(errors) {}

  Config Load(const YAML::Node& root);

 private:
  void Error(const std::string& path, std::string rule) { errors_.Add(path, std::move(rule)); }

  // ---- structure
  std::optional<Fields> MapAt(const YAML::Node& node, const std::string& path);
  std::optional<std::vector<YAML::Node>> ListAt(const YAML::Node& node, const std::string& path);
  using EntryFn =
      std::function<void(const std::string& key, const YAML::Node& value, const std::string& at)>;
  void ForEachEntry(const Fields& fields, const std::string& path, const EntryFn& fn);
  void Walk(const Fields& fields, const std::string& path, const Handlers& handlers);
  void Require(const Fields& fields, const std::string& path,
               std::initializer_list<std::string_view> keys);
  bool Claim(std::string& taken, std::string_view key, const std::string& path);

  // ---- typed values (nullopt after reporting)
  std::optional<Scalar> Typed(const YAML::Node& node, const std::string& path);
  std::optional<std::string> String(const YAML::Node& node, const std::string& path);
  std::optional<std::string> Name(const YAML::Node& node, const std::string& path);
  enum class Bound { kAny, kNonNegative, kPositive, kUnit, kOpenUnit };
  std::optional<double> Number(const YAML::Node& node, const std::string& path,
                               Bound bound = Bound::kAny);
  std::optional<int64_t> Integer(const YAML::Node& node, const std::string& path, int64_t min,
                                 int64_t max);
  std::optional<int> Days(const YAML::Node& node, const std::string& path, int min);
  std::optional<double> Hours(const YAML::Node& node, const std::string& path);
  std::optional<bool> Bool(const YAML::Node& node, const std::string& path);
  std::optional<Value> ScalarValue(const YAML::Node& node, const std::string& path);
  std::optional<std::vector<Value>> ScalarValues(const YAML::Node& node, const std::string& path);
  std::optional<Window> WindowOf(const YAML::Node& node, const std::string& path);
  std::optional<TimeMs> Duration(const YAML::Node& node, const std::string& path, bool positive);
  std::optional<std::vector<std::string>> Strings(const YAML::Node& node, const std::string& path);
  std::optional<std::vector<std::string>> Events(const YAML::Node& node, const std::string& path);
  std::optional<std::vector<std::pair<std::string, Value>>> Where(const YAML::Node& node,
                                                                  const std::string& path);
  std::optional<std::string> MetricRef(const YAML::Node& node, const std::string& path);
  std::optional<std::string> OneOf(const YAML::Node& node, const std::string& path,
                                   std::initializer_list<std::string_view> allowed);
  template <typename T>
  static void SetIf(std::optional<T> v, T& out) {
    if (v) out = std::move(*v);
  }

  // ---- sections
  void CollectMetricNames(const YAML::Node& root);
  void ParseServer(const YAML::Node& node, const std::string& path);
  void ParseStorage(const YAML::Node& node, const std::string& path);
  void ParseMetrics(const YAML::Node& node, const std::string& path);
  void ParseMetric(const std::string& name, const YAML::Node& node, const std::string& path);
  Handlers MetricFormHandlers(const Fields& fields, MetricDef& def, std::string& form,
                              bool committee);
  void ParseTriggers(const YAML::Node& node, const std::string& path);
  void ParseTrigger(const std::string& name, const YAML::Node& node, const std::string& path);
  std::optional<std::pair<std::string, std::string>> Ratio(const YAML::Node& node,
                                                           const std::string& path);
  void ParseScore(const YAML::Node& node, const std::string& path);
  void ParseFirmographic(const YAML::Node& node, const std::string& path);
  std::optional<FirmographicCriterion> FirmographicItem(const YAML::Node& node,
                                                        const std::string& path,
                                                        std::set<std::string>& names);
  void ParseUsage(const YAML::Node& node, const std::string& path);
  void ParseCommittee(const YAML::Node& node, const std::string& path);
  std::optional<CommitteeCriterion> CommitteeItem(const YAML::Node& node, const std::string& path,
                                                  std::set<std::string>& names);
  void ParseSuppress(const YAML::Node& node, const std::string& path);
  std::optional<TraitCondition> TraitItem(const YAML::Node& node, const std::string& path);
  void ParseRouting(const YAML::Node& node, const std::string& path);
  void ParseCredit(const YAML::Node& node, const std::string& path);
  void ParseDealDesk(const YAML::Node& node, const std::string& path);
  void ParseReports(const YAML::Node& node, const std::string& path);
  void ParseWebhooks(const YAML::Node& node, const std::string& path);
  std::optional<WebhookConfig> WebhookItem(const YAML::Node& node, const std::string& path);
  void ParseDelivery(const YAML::Node& node, const std::string& path);
  std::optional<std::string> UniqueName(const YAML::Node& node, const std::string& path,
                                        std::set<std::string>& seen);
  void Finish();

  Errors& errors_;
  Config config_;
  // Metric names (first occurrences) -> whether the metric is a `latest` one.
  std::map<std::string, bool, std::less<>> metric_names_;
  std::vector<std::optional<int>> trigger_hold_days_;  // parallel to config_.triggers
  // Committee criteria naming a metric, resolved once all metrics are parsed.
  struct PendingMetricRef {
    size_t criterion;
    std::string metric;
    bool window_given;
  };
  std::vector<PendingMetricRef> pending_refs_;
};

// ---------------------------------------------------------------- structure

std::optional<Fields> Loader::MapAt(const YAML::Node& node, const std::string& path) {
  if (node.IsNull()) return Fields();
  if (!node.IsMap()) {
    Error(path, "must be a mapping");
    return std::nullopt;
  }
  return Fields(node);
}

std::optional<std::vector<YAML::Node>> Loader::ListAt(const YAML::Node& node,
                                                      const std::string& path) {
  if (node.IsNull()) return std::vector<YAML::Node>{};
  if (!node.IsSequence()) {
    Error(path, "must be a list");
    return std::nullopt;
  }
  std::vector<YAML::Node> items;
  for (const auto& item : node) items.push_back(item);
  return items;
}

// Calls `fn` for the first occurrence of each key, in document order; reports
// non-string and repeated keys.
void Loader::ForEachEntry(const Fields& fields, const std::string& path, const EntryFn& fn) {
  for (const Fields::Entry& e : fields.entries()) {
    if (e.status == Fields::Status::kBadKey) {
      Error(path, "key must be a non-empty string");
      continue;
    }
    const std::string at = Child(path, e.key);
    if (e.status == Fields::Status::kDuplicate) {
      Error(at, "duplicate key");
      continue;
    }
    fn(e.key, e.value, at);
  }
}

// A mapping with a fixed set of keys: each key's handler runs on its value;
// any other key is an error.
void Loader::Walk(const Fields& fields, const std::string& path, const Handlers& handlers) {
  ForEachEntry(fields, path,
               [&](const std::string& key, const YAML::Node& value, const std::string& at) {
                 for (const KeyHandler& h : handlers) {
                   if (h.key != key) continue;
                   h.handle(value, at);
                   return;
                 }
                 Error(at, "unknown key");
               });
}

void Loader::Require(const Fields& fields, const std::string& path,
                     std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys)
    if (!fields.Has(key)) Error(Child(path, key), "required");
}

// For mutually exclusive keys: the first one seen wins, later ones are errors.
bool Loader::Claim(std::string& taken, std::string_view key, const std::string& path) {
  if (taken.empty()) {
    taken = key;
    return true;
  }
  Error(path, "conflicts with " + taken);
  return false;
}

// ---------------------------------------------------------------- typed values

std::optional<Scalar> Loader::Typed(const YAML::Node& node, const std::string& path) {
  Scalar s = Resolve(node);
  if (s.type == Scalar::Type::kInvalid) {
    Error(path, s.text);
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> Loader::String(const YAML::Node& node, const std::string& path) {
  auto s = Typed(node, path);
  if (!s) return std::nullopt;
  if (s->type != Scalar::Type::kString) {
    Error(path, "must be a string");
    return std::nullopt;
  }
  if (s->text.empty()) {
    Error(path, "must not be empty");
    return std::nullopt;
  }
  return std::move(s->text);
}

std::optional<std::string> Loader::Name(const YAML::Node& node, const std::string& path) {
  auto s = String(node, path);
  if (s && !IsValidName(*s)) {
    Error(path, kInvalidName);
    return std::nullopt;
  }
  return s;
}

std::optional<double> Loader::Number(const YAML::Node& node, const std::string& path, Bound bound) {
  auto s = Typed(node, path);
  if (!s) return std::nullopt;
  if (s->type != Scalar::Type::kNumber) {
    Error(path, "must be a number");
    return std::nullopt;
  }
  const double v = s->number;
  if (!std::isfinite(v)) {
    Error(path, "must be a finite number");
    return std::nullopt;
  }
  const char* problem = nullptr;
  switch (bound) {
    case Bound::kAny: break;
    case Bound::kNonNegative:
      if (v < 0) problem = "must be >= 0";
      break;
    case Bound::kPositive:
      if (v <= 0) problem = "must be > 0";
      break;
    case Bound::kUnit:
      if (v < 0 || v > 1) problem = "must be between 0 and 1";
      break;
    case Bound::kOpenUnit:
      if (v <= 0 || v >= 1) problem = "must be greater than 0 and less than 1";
      break;
  }
  if (problem != nullptr) {
    Error(path, problem);
    return std::nullopt;
  }
  return v;
}

std::optional<int64_t> Loader::Integer(const YAML::Node& node, const std::string& path, int64_t min,
                                       int64_t max) {
  auto v = Number(node, path);
  if (!v) return std::nullopt;
  if (std::floor(*v) != *v) {
    Error(path, "must be an integer");
    return std::nullopt;
  }
  if (*v < static_cast<double>(min)) {
    Error(path, "must be >= " + std::to_string(min));
    return std::nullopt;
  }
  if (*v > static_cast<double>(max)) {
    Error(path, "must be <= " + std::to_string(max));
    return std::nullopt;
  }
  return static_cast<int64_t>(*v);
}

std::optional<int> Loader::Days(const YAML::Node& node, const std::string& path, int min) {
  auto v = Integer(node, path, min, kMaxDays);
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

std::optional<double> Loader::Hours(const YAML::Node& node, const std::string& path) {
  auto v = Number(node, path, Bound::kPositive);
  if (v && *v > kMaxHours) {
    Error(path, "must be <= " + std::to_string(static_cast<int64_t>(kMaxHours)));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> Loader::Bool(const YAML::Node& node, const std::string& path) {
  auto s = Typed(node, path);
  if (!s) return std::nullopt;
  if (s->type != Scalar::Type::kBool) {
    Error(path, "must be true or false");
    return std::nullopt;
  }
  return s->boolean;
}

std::optional<Value> Loader::ScalarValue(const YAML::Node& node, const std::string& path) {
  auto s = Typed(node, path);
  if (!s) return std::nullopt;
  switch (s->type) {
    case Scalar::Type::kBool: return Value::Bool(s->boolean);
    case Scalar::Type::kString: return Value::String(std::move(s->text));
    case Scalar::Type::kNumber:
      if (std::isfinite(s->number)) return Value::Number(s->number);
      Error(path, "must be a finite number");
      return std::nullopt;
    default: Error(path, "must be a string, number or boolean"); return std::nullopt;
  }
}

std::optional<std::vector<Value>> Loader::ScalarValues(const YAML::Node& node,
                                                       const std::string& path) {
  auto items = ListAt(node, path);
  if (!items) return std::nullopt;
  if (items->empty()) {
    Error(path, "must not be empty");
    return std::nullopt;
  }
  std::vector<Value> out;
  bool ok = true;
  for (size_t i = 0; i < items->size(); ++i) {
    auto v = ScalarValue((*items)[i], Item(path, i));
    if (v)
      out.push_back(std::move(*v));
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<Window> Loader::WindowOf(const YAML::Node& node, const std::string& path) {
  static constexpr const char* kNotAWindow = "not a window (Nd, month or all)";
  auto s = Typed(node, path);
  if (!s) return std::nullopt;
  if (s->type != Scalar::Type::kString) {
    Error(path, kNotAWindow);
    return std::nullopt;
  }
  if (s->text == "all") return Window{Window::Kind::kAll, 0};
  if (s->text == "month") return Window{Window::Kind::kMonth, 0};
  auto count = SplitCount(s->text);
  if (!count || count->unit != 'd' || (!count->too_big && count->n < 1)) {
    Error(path, kNotAWindow);
    return std::nullopt;
  }
  if (count->too_big || count->n > kMaxDays) {
    Error(path, "window too long (at most " + std::to_string(kMaxDays) + "d)");
    return std::nullopt;
  }
  return Window{Window::Kind::kDays, static_cast<int>(count->n)};
}

std::optional<TimeMs> Loader::Duration(const YAML::Node& node, const std::string& path,
                                       bool positive) {
  static constexpr const char* kNotADuration = "not a duration (<n>s, <n>m, <n>h or <n>d)";
  auto s = Typed(node, path);
  if (!s) return std::nullopt;
  std::optional<CountWithUnit> count;
  if (s->type == Scalar::Type::kString) count = SplitCount(s->text);
  if (!count || UnitMs(count->unit) == 0) {
    Error(path, kNotADuration);
    return std::nullopt;
  }
  if (count->too_big || count->n > kMaxDays * kMsPerDay / UnitMs(count->unit)) {
    Error(path, "duration too long (at most " + std::to_string(kMaxDays) + "d)");
    return std::nullopt;
  }
  auto ms = ParseDuration(s->text);
  if (!ms) {
    Error(path, kNotADuration);
    return std::nullopt;
  }
  if (positive && *ms <= 0) {
    Error(path, "must be longer than 0s");
    return std::nullopt;
  }
  return ms;
}

std::optional<std::vector<std::string>> Loader::Strings(const YAML::Node& node,
                                                        const std::string& path) {
  auto items = ListAt(node, path);
  if (!items) return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  for (size_t i = 0; i < items->size(); ++i) {
    auto s = String((*items)[i], Item(path, i));
    if (s)
      out.push_back(std::move(*s));
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

// An event name or a non-empty list of them.
std::optional<std::vector<std::string>> Loader::Events(const YAML::Node& node,
                                                       const std::string& path) {
  if (!node.IsSequence()) {
    auto s = Resolve(node);
    if (s.type != Scalar::Type::kString && s.type != Scalar::Type::kInvalid) {
      Error(path, "must be an event name or a list of event names");
      return std::nullopt;
    }
    auto name = String(node, path);
    if (!name) return std::nullopt;
    return std::vector<std::string>{std::move(*name)};
  }
  auto names = Strings(node, path);
  if (names && names->empty()) {
    Error(path, "must not be empty");
    return std::nullopt;
  }
  return names;
}

std::optional<std::vector<std::pair<std::string, Value>>> Loader::Where(const YAML::Node& node,
                                                                        const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return std::nullopt;
  std::vector<std::pair<std::string, Value>> out;
  ForEachEntry(*fields, path,
               [&](const std::string& key, const YAML::Node& value, const std::string& at) {
                 if (auto v = ScalarValue(value, at)) out.emplace_back(key, std::move(*v));
               });
  return out;
}

std::optional<std::string> Loader::MetricRef(const YAML::Node& node, const std::string& path) {
  auto name = String(node, path);
  if (name && metric_names_.find(*name) == metric_names_.end()) {
    Error(path, "unknown metric " + Quoted(*name));
    return std::nullopt;
  }
  return name;
}

std::optional<std::string> Loader::OneOf(const YAML::Node& node, const std::string& path,
                                         std::initializer_list<std::string_view> allowed) {
  auto s = Typed(node, path);
  if (!s) return std::nullopt;
  if (s->type == Scalar::Type::kString)
    for (std::string_view a : allowed)
      if (s->text == a) return s->text;
  std::string list;
  for (std::string_view a : allowed) {
    if (!list.empty()) list += ", ";
    list += a;
  }
  Error(path, "must be one of " + list);
  return std::nullopt;
}

// A criterion name, unique within its list.
std::optional<std::string> Loader::UniqueName(const YAML::Node& node, const std::string& path,
                                              std::set<std::string>& seen) {
  auto name = Name(node, path);
  if (name && !seen.insert(*name).second) {
    Error(path, "duplicate name " + Quoted(*name));
    return std::nullopt;
  }
  return name;
}

// ---------------------------------------------------------------- top level

Config Loader::Load(const YAML::Node& root) {
  if (!root.IsNull() && !root.IsMap()) {
    Error("", "the config must be a mapping of sections");
    return config_;
  }
  const Fields top(root);
  CollectMetricNames(root);
  std::optional<int> hold_days;
  Walk(top, "",
       {
           {"server", [&](const YAML::Node& v, const std::string& at) { ParseServer(v, at); }},
           {"storage", [&](const YAML::Node& v, const std::string& at) { ParseStorage(v, at); }},
           {"metrics", [&](const YAML::Node& v, const std::string& at) { ParseMetrics(v, at); }},
           {"triggers", [&](const YAML::Node& v, const std::string& at) { ParseTriggers(v, at); }},
           {"hold_days",
            [&](const YAML::Node& v, const std::string& at) { hold_days = Days(v, at, 0); }},
           {"score", [&](const YAML::Node& v, const std::string& at) { ParseScore(v, at); }},
           {"suppress", [&](const YAML::Node& v, const std::string& at) { ParseSuppress(v, at); }},
           {"routing", [&](const YAML::Node& v, const std::string& at) { ParseRouting(v, at); }},
           {"credit", [&](const YAML::Node& v, const std::string& at) { ParseCredit(v, at); }},
           {"deal_desk", [&](const YAML::Node& v, const std::string& at) { ParseDealDesk(v, at); }},
           {"reports", [&](const YAML::Node& v, const std::string& at) { ParseReports(v, at); }},
           {"webhooks", [&](const YAML::Node& v, const std::string& at) { ParseWebhooks(v, at); }},
           {"delivery", [&](const YAML::Node& v, const std::string& at) { ParseDelivery(v, at); }},
       });
  SetIf(hold_days, config_.hold_days);
  Finish();
  return config_;
}

// Metric names are known before the walk, so a trigger or committee criterion
// may name a metric defined further down; invalid metrics still count as
// defined (their own errors are reported where they are).
void Loader::CollectMetricNames(const YAML::Node& root) {
  const Fields top(root);
  const YAML::Node* metrics = top.Find("metrics");
  if (metrics == nullptr || !metrics->IsMap()) return;
  const Fields entries(*metrics);
  for (const Fields::Entry& e : entries.entries()) {
    if (e.status != Fields::Status::kFirst) continue;
    const bool is_latest = e.value.IsMap() && Fields(e.value).Has(kLatest);
    metric_names_.emplace(e.key, is_latest);
  }
}

// Defaults that depend on other values: trigger hold_days, committee criteria
// naming a metric, server.public_url.
void Loader::Finish() {
  for (size_t i = 0; i < config_.triggers.size(); ++i)
    config_.triggers[i].hold_days = trigger_hold_days_[i].value_or(config_.hold_days);
  for (const PendingMetricRef& ref : pending_refs_) {
    const MetricDef* def = config_.FindMetric(ref.metric);
    if (def == nullptr) continue;  // the metric itself is invalid (already reported)
    CommitteeCriterion& c = config_.score.committee[ref.criterion];
    const Window window = c.window;
    c.metric = *def;
    c.metric.name = c.name;
    if (ref.window_given) c.metric.window = window;
    c.window = c.metric.window;
  }
  if (config_.server.public_url.empty())
    config_.server.public_url = "http://" + config_.server.listen;
}

// ---------------------------------------------------------------- server, storage

void Loader::ParseServer(const YAML::Node& node, const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return;
  ServerConfig& out = config_.server;
  Walk(*fields, path,
       {
           {"listen",
            [&](const YAML::Node& v, const std::string& at) {
              auto s = String(v, at);
              if (s && !IsHostPort(*s))
                Error(at, "must be host:port");
              else
                SetIf(s, out.listen);
            }},
           {"write_keys", [&](const YAML::Node& v,
                              const std::string& at) { SetIf(Strings(v, at), out.write_keys); }},
           {"api_tokens", [&](const YAML::Node& v,
                              const std::string& at) { SetIf(Strings(v, at), out.api_tokens); }},
           {"public_url",
            [&](const YAML::Node& v, const std::string& at) {
              auto s = String(v, at);
              if (s && !IsHttpUrl(*s))
                Error(at, "must be an http:// or https:// URL");
              else
                SetIf(s, out.public_url);
            }},
           {"max_queue",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Integer(v, at, 1, kMaxQueue), out.max_queue);
            }},
       });
}

void Loader::ParseStorage(const YAML::Node& node, const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return;
  StorageConfig& out = config_.storage;
  Walk(*fields, path,
       {
           {"path",
            [&](const YAML::Node& v, const std::string& at) { SetIf(String(v, at), out.path); }},
           {"synchronous",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(OneOf(v, at, {"normal", "full"}), out.synchronous);
            }},
           {"snapshot_every",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Duration(v, at, /*positive=*/true), out.snapshot_every);
            }},
       });
}

// ---------------------------------------------------------------- metrics

void Loader::ParseMetrics(const YAML::Node& node, const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return;
  ForEachEntry(*fields, path,
               [&](const std::string& name, const YAML::Node& value, const std::string& at) {
                 if (!IsValidName(name)) Error(at, kInvalidName);
                 ParseMetric(name, value, at);
               });
}

// The keys of SPEC 3.2 shared by metrics and committee criteria: the form keys
// (count, sum, distinct, days_active, and latest outside the committee), event
// and where. `form` is the form key claimed first.
Handlers Loader::MetricFormHandlers(const Fields& fields, MetricDef& def, std::string& form,
                                    bool committee) {
  // Pointers, not references, so the handlers may outlive this call's frame.
  MetricDef* out = &def;
  std::string* taken = &form;
  const Fields* siblings = &fields;
  auto events_form = [this, out, taken](MetricForm f) {
    return [this, out, taken, f](const YAML::Node& v, const std::string& at) {
      if (!Claim(*taken, f == MetricForm::kCount ? kCount : kDaysActive, at)) return;
      out->form = f;
      SetIf(Events(v, at), out->events);
    };
  };
  auto property_form = [this, out, taken](std::string_view key, MetricForm f) {
    return [this, out, taken, key, f](const YAML::Node& v, const std::string& at) {
      if (!Claim(*taken, key, at)) return;
      out->form = f;
      auto property = String(v, at);
      if (!property) return;
      if (f == MetricForm::kDistinct && *property == "user") {
        out->form = MetricForm::kDistinctUser;
      } else {
        out->property = std::move(*property);
      }
    };
  };
  // The form that decides whether `event` / `where` are allowed: the first
  // form key of the mapping, in document order.
  auto deciding_form = [siblings, committee]() {
    return committee ? siblings->FirstOf({kNewSeniorUsers, kDistinctUserTrait, kCount, kSum,
                                          kDistinct, kDaysActive, kMetricRef})
                     : siblings->FirstOf({kCount, kSum, kDistinct, kDaysActive, kLatest});
  };
  Handlers handlers = {
      {kCount, events_form(MetricForm::kCount)},
      {kDaysActive, events_form(MetricForm::kDaysActive)},
      {kSum, property_form(kSum, MetricForm::kSum)},
      {kDistinct, property_form(kDistinct, MetricForm::kDistinct)},
      {"event",
       [this, out, deciding_form](const YAML::Node& v, const std::string& at) {
         const std::string f = deciding_form();
         if (f == kSum || f == kDistinct || f == kLatest)
           SetIf(Events(v, at), out->events);
         else if (!f.empty())
           Error(at, "not allowed with " + f);
       }},
      {"where",
       [this, out, deciding_form](const YAML::Node& v, const std::string& at) {
         const std::string f = deciding_form();
         if (f == kNewSeniorUsers || f == kDistinctUserTrait || f == kMetricRef)
           Error(at, "not allowed with " + f);
         else
           SetIf(Where(v, at), out->where);
       }},
  };
  if (!committee) handlers.push_back({kLatest, property_form(kLatest, MetricForm::kLatest)});
  return handlers;
}

void Loader::ParseMetric(const std::string& name, const YAML::Node& node, const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return;
  MetricDef def;
  def.name = name;
  std::string form;
  Handlers handlers = MetricFormHandlers(*fields, def, form, /*committee=*/false);
  handlers.push_back(
      {"window", [&](const YAML::Node& v, const std::string& at) {
         auto w = WindowOf(v, at);
         if (w && fields->FirstOf({kCount, kSum, kDistinct, kDaysActive, kLatest}) == kLatest)
           Error(at, "latest has no window");
         else
           SetIf(w, def.window);
       }});
  Walk(*fields, path, handlers);
  if (form.empty()) Error(path, "needs one of count, sum, distinct, days_active, latest");
  config_.metrics.push_back(std::move(def));
}

// ---------------------------------------------------------------- triggers

void Loader::ParseTriggers(const YAML::Node& node, const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return;
  ForEachEntry(*fields, path,
               [&](const std::string& name, const YAML::Node& value, const std::string& at) {
                 if (!IsValidName(name)) Error(at, kInvalidName);
                 ParseTrigger(name, value, at);
               });
}

std::optional<std::pair<std::string, std::string>> Loader::Ratio(const YAML::Node& node,
                                                                 const std::string& path) {
  if (!node.IsSequence() || node.size() != 2) {
    Error(path, "must be a list of two metric names [A, B]");
    return std::nullopt;
  }
  auto a = MetricRef(node[0], Item(path, 0));
  auto b = MetricRef(node[1], Item(path, 1));
  if (!a || !b) return std::nullopt;
  return std::make_pair(std::move(*a), std::move(*b));
}

void Loader::ParseTrigger(const std::string& name, const YAML::Node& node,
                          const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return;
  TriggerDef t;
  t.name = name;
  std::optional<int> hold_days;
  std::string quantity;  // "metric" or "ratio", whichever came first
  Walk(*fields, path,
       {
           {"class",
            [&](const YAML::Node& v, const std::string& at) {
              auto c = OneOf(v, at, {"capacity", "adoption", "value"});
              if (c)
                t.cls = *c == "capacity"   ? TriggerClass::kCapacity
                        : *c == "adoption" ? TriggerClass::kAdoption
                                           : TriggerClass::kValue;
            }},
           {"metric",
            [&](const YAML::Node& v, const std::string& at) {
              if (Claim(quantity, "metric", at)) SetIf(MetricRef(v, at), t.metric);
            }},
           {"ratio",
            [&](const YAML::Node& v, const std::string& at) {
              if (Claim(quantity, "ratio", at)) t.ratio = Ratio(v, at);
            }},
           {"at", [&](const YAML::Node& v, const std::string& at) { SetIf(Number(v, at), t.at); }},
           {"hold_days",
            [&](const YAML::Node& v, const std::string& at) { hold_days = Days(v, at, 0); }},
           {"sustained_days",
            [&](const YAML::Node& v, const std::string& at) { t.sustained_days = Days(v, at, 1); }},
           {"buffer",
            [&](const YAML::Node& v, const std::string& at) {
              t.buffer = Number(v, at, Bound::kOpenUnit);
              if (t.buffer && !fields->Has("limit")) Error(at, "requires limit");
            }},
           {"limit",
            [&](const YAML::Node& v, const std::string& at) {
              t.limit = String(v, at);
              if (t.limit && fields->Has("ratio")) Error(at, "not allowed with ratio");
            }},
           {"within_days_of_activation",
            [&](const YAML::Node& v, const std::string& at) {
              t.within_days_of_activation = Days(v, at, 1);
            }},
           {"min_denominator",
            [&](const YAML::Node& v, const std::string& at) {
              t.min_denominator = Number(v, at, Bound::kNonNegative);
              if (t.min_denominator && !fields->Has("ratio")) Error(at, "requires ratio");
            }},
           {"motion",
            [&](const YAML::Node& v, const std::string& at) { SetIf(String(v, at), t.motion); }},
       });
  Require(*fields, path, {"class"});
  if (quantity.empty()) Error(path, "needs metric or ratio");
  Require(*fields, path, {"at"});
  config_.triggers.push_back(std::move(t));
  trigger_hold_days_.push_back(hold_days);
}

// ---------------------------------------------------------------- score

void Loader::ParseScore(const YAML::Node& node, const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return;
  Walk(
      *fields, path,
      {
          {"firmographic",
           [&](const YAML::Node& v, const std::string& at) { ParseFirmographic(v, at); }},
          {"usage", [&](const YAML::Node& v, const std::string& at) { ParseUsage(v, at); }},
          {"committee", [&](const YAML::Node& v, const std::string& at) { ParseCommittee(v, at); }},
      });
}

void Loader::ParseFirmographic(const YAML::Node& node, const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return;
  ScoreConfig& out = config_.score;
  Walk(*fields, path,
       {
           {"max",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Number(v, at, Bound::kNonNegative), out.firmographic_max);
            }},
           {"criteria",
            [&](const YAML::Node& v, const std::string& at) {
              auto items = ListAt(v, at);
              if (!items) return;
              out.firmographic.clear();
              std::set<std::string> names;
              for (size_t i = 0; i < items->size(); ++i) {
                auto c = FirmographicItem((*items)[i], Item(at, i), names);
                if (c) out.firmographic.push_back(std::move(*c));
              }
            }},
       });
}

std::optional<FirmographicCriterion> Loader::FirmographicItem(const YAML::Node& node,
                                                              const std::string& path,
                                                              std::set<std::string>& names) {
  using Op = FirmographicCriterion::Op;
  auto fields = MapAt(node, path);
  if (!fields) return std::nullopt;
  FirmographicCriterion c;
  std::string op;
  auto claim_op = [&](std::string_view key, Op o, const std::string& at) {
    if (!Claim(op, key, at)) return false;
    c.op = o;
    return true;
  };
  Walk(*fields, path,
       {
           {"name", [&](const YAML::Node& v,
                        const std::string& at) { SetIf(UniqueName(v, at, names), c.name); }},
           {"trait",
            [&](const YAML::Node& v, const std::string& at) { SetIf(String(v, at), c.trait); }},
           {"equals",
            [&](const YAML::Node& v, const std::string& at) {
              if (claim_op("equals", Op::kEquals, at)) SetIf(ScalarValue(v, at), c.value);
            }},
           {"gte",
            [&](const YAML::Node& v, const std::string& at) {
              if (claim_op("gte", Op::kGte, at)) SetIf(Number(v, at), c.number);
            }},
           {"lte",
            [&](const YAML::Node& v, const std::string& at) {
              if (claim_op("lte", Op::kLte, at)) SetIf(Number(v, at), c.number);
            }},
           {"in",
            [&](const YAML::Node& v, const std::string& at) {
              if (claim_op("in", Op::kIn, at)) SetIf(ScalarValues(v, at), c.values);
            }},
           {"within_days",
            [&](const YAML::Node& v, const std::string& at) {
              if (claim_op("within_days", Op::kWithinDays, at)) SetIf(Days(v, at, 1), c.days);
            }},
           {"points",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Number(v, at, Bound::kNonNegative), c.points);
            }},
       });
  Require(*fields, path, {"name", "trait"});
  if (op.empty()) Error(path, "needs one of equals, gte, lte, in, within_days");
  Require(*fields, path, {"points"});
  return c;
}

void Loader::ParseUsage(const YAML::Node& node, const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return;
  ScoreConfig& out = config_.score;
  auto points = [&](double& field) {
    return [&](const YAML::Node& v, const std::string& at) {
      SetIf(Number(v, at, Bound::kNonNegative), field);
    };
  };
  Walk(*fields, path,
       {
           {"capacity", points(out.usage_capacity)},
           {"adoption", points(out.usage_adoption)},
           {"value", points(out.usage_value)},
       });
}

void Loader::ParseCommittee(const YAML::Node& node, const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return;
  ScoreConfig& out = config_.score;
  Walk(*fields, path,
       {
           {"max",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Number(v, at, Bound::kNonNegative), out.committee_max);
            }},
           {"criteria",
            [&](const YAML::Node& v, const std::string& at) {
              auto items = ListAt(v, at);
              if (!items) return;
              out.committee.clear();
              pending_refs_.clear();
              std::set<std::string> names;
              for (size_t i = 0; i < items->size(); ++i) {
                auto c = CommitteeItem((*items)[i], Item(at, i), names);
                if (c) out.committee.push_back(std::move(*c));
              }
            }},
       });
}

// One committee criterion. A `metric: name` reference is completed in Finish()
// (the metric may be defined further down); other metric forms build their
// MetricDef here, named after the criterion.
std::optional<CommitteeCriterion> Loader::CommitteeItem(const YAML::Node& node,
                                                        const std::string& path,
                                                        std::set<std::string>& names) {
  using Kind = CommitteeCriterion::Kind;
  auto fields = MapAt(node, path);
  if (!fields) return std::nullopt;
  CommitteeCriterion c;
  std::string form;
  std::optional<Window> window;
  std::optional<std::string> metric_ref;
  Handlers handlers = MetricFormHandlers(*fields, c.metric, form, /*committee=*/true);
  const Handlers own = {
      {"name", [&](const YAML::Node& v,
                   const std::string& at) { SetIf(UniqueName(v, at, names), c.name); }},
      {kNewSeniorUsers,
       [&](const YAML::Node& v, const std::string& at) {
         if (!Claim(form, kNewSeniorUsers, at)) return;
         c.kind = Kind::kNewSeniorUsers;
         auto words = Strings(v, at);
         if (!words) return;
         if (words->empty()) Error(at, "must not be empty");
         for (size_t i = 0; i < words->size(); ++i) {
           if (!HasAlnum((*words)[i])) Error(Item(at, i), "must contain a letter or digit");
           c.words.push_back(ToLowerAscii((*words)[i]));
         }
       }},
      {kDistinctUserTrait,
       [&](const YAML::Node& v, const std::string& at) {
         if (!Claim(form, kDistinctUserTrait, at)) return;
         c.kind = Kind::kDistinctUserTrait;
         SetIf(String(v, at), c.trait);
       }},
      {kMetricRef,
       [&](const YAML::Node& v, const std::string& at) {
         if (Claim(form, kMetricRef, at)) metric_ref = MetricRef(v, at);
       }},
      {"window",
       [&](const YAML::Node& v, const std::string& at) {
         window = WindowOf(v, at);
         auto ref = fields->Find(kMetricRef);
         if (!window || ref == nullptr ||
             fields->FirstOf({kNewSeniorUsers, kDistinctUserTrait, kCount, kSum, kDistinct,
                              kDaysActive, kMetricRef}) != kMetricRef)
           return;
         auto it = ref->IsScalar() ? metric_names_.find(ref->Scalar()) : metric_names_.end();
         if (it != metric_names_.end() && it->second) Error(at, "latest has no window");
       }},
      {"gte", [&](const YAML::Node& v, const std::string& at) { SetIf(Number(v, at), c.gte); }},
      {"points",
       [&](const YAML::Node& v, const std::string& at) {
         SetIf(Number(v, at, Bound::kNonNegative), c.points);
       }},
  };
  handlers.insert(handlers.end(), own.begin(), own.end());
  Walk(*fields, path, handlers);
  Require(*fields, path, {"name"});
  if (form.empty())
    Error(path,
          "needs one of new_senior_users, distinct_user_trait, count, sum, distinct, "
          "days_active, metric");
  Require(*fields, path, {"points"});

  c.window = window.value_or(Window{Window::Kind::kDays, 30});
  const bool metric_form =
      form == kCount || form == kSum || form == kDistinct || form == kDaysActive;
  if (metric_form) {
    c.kind = Kind::kMetric;
    c.metric.name = c.name;
    c.metric.window = c.window;
  } else if (form == kMetricRef) {
    c.kind = Kind::kMetric;
    if (metric_ref)
      pending_refs_.push_back({config_.score.committee.size(), *metric_ref, window.has_value()});
  }
  return c;
}

// ---------------------------------------------------------------- suppress, routing...

void Loader::ParseSuppress(const YAML::Node& node, const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return;
  SuppressConfig& out = config_.suppress;
  Walk(*fields, path,
       {
           {"contract_younger_than_days",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Days(v, at, 0), out.contract_younger_than_days);
            }},
           {"sev1_ticket_within_days",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Days(v, at, 0), out.sev1_ticket_within_days);
            }},
           {"renewal_in_negotiation",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Bool(v, at), out.renewal_in_negotiation);
            }},
           {"traits",
            [&](const YAML::Node& v, const std::string& at) {
              auto items = ListAt(v, at);
              if (!items) return;
              out.traits.clear();
              for (size_t i = 0; i < items->size(); ++i) {
                auto t = TraitItem((*items)[i], Item(at, i));
                if (t) out.traits.push_back(std::move(*t));
              }
            }},
       });
}

std::optional<TraitCondition> Loader::TraitItem(const YAML::Node& node, const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return std::nullopt;
  TraitCondition t;
  Walk(*fields, path,
       {
           {"trait",
            [&](const YAML::Node& v, const std::string& at) { SetIf(String(v, at), t.trait); }},
           {"equals", [&](const YAML::Node& v,
                          const std::string& at) { SetIf(ScalarValue(v, at), t.equals); }},
       });
  Require(*fields, path, {"trait", "equals"});
  return t;
}

void Loader::ParseRouting(const YAML::Node& node, const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return;
  RoutingConfig& out = config_.routing;
  Walk(*fields, path,
       {
           {"ae_at",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Number(v, at, Bound::kNonNegative), out.ae_at);
            }},
           {"csm_at",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Number(v, at, Bound::kNonNegative), out.csm_at);
            }},
           {"ae_touch_sla_hours",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Hours(v, at), out.ae_touch_sla_hours);
            }},
           {"csm_touch_sla_hours",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Hours(v, at), out.csm_touch_sla_hours);
            }},
           {"signal_expire_days",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Days(v, at, 1), out.signal_expire_days);
            }},
           {"resignal_cooldown_days",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Days(v, at, 0), out.resignal_cooldown_days);
            }},
       });
}

void Loader::ParseCredit(const YAML::Node& node, const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return;
  Walk(*fields, path,
       {
           {"ae",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Number(v, at, Bound::kUnit), config_.credit_ae);
            }},
           {"csm",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Number(v, at, Bound::kUnit), config_.credit_csm);
            }},
       });
}

void Loader::ParseDealDesk(const YAML::Node& node, const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return;
  Walk(*fields, path,
       {
           {"max_discount",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Number(v, at, Bound::kUnit), config_.deal_desk_max_discount);
            }},
           {"max_term_months",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Number(v, at, Bound::kNonNegative), config_.deal_desk_max_term_months);
            }},
       });
}

void Loader::ParseReports(const YAML::Node& node, const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return;
  Walk(*fields, path,
       {
           {"horizon_days",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Days(v, at, 1), config_.reports_horizon_days);
            }},
       });
}

// ---------------------------------------------------------------- webhooks, delivery

void Loader::ParseWebhooks(const YAML::Node& node, const std::string& path) {
  auto items = ListAt(node, path);
  if (!items) return;
  for (size_t i = 0; i < items->size(); ++i) {
    auto w = WebhookItem((*items)[i], Item(path, i));
    if (w) config_.webhooks.push_back(std::move(*w));
  }
}

std::optional<WebhookConfig> Loader::WebhookItem(const YAML::Node& node, const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return std::nullopt;
  WebhookConfig w;
  w.events = {"*"};
  Walk(*fields, path,
       {
           {"url",
            [&](const YAML::Node& v, const std::string& at) {
              auto s = String(v, at);
              if (s && !IsHttpUrl(*s))
                Error(at, "must be an http:// or https:// URL");
              else
                SetIf(s, w.url);
            }},
           {"format",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(OneOf(v, at, {"json", "slack"}), w.format);
            }},
           {"secret",
            [&](const YAML::Node& v, const std::string& at) {
              auto s = String(v, at);
              if (!s) return;
              const YAML::Node* format = fields->Find("format");
              if (format != nullptr && format->IsScalar() && format->Scalar() == "slack")
                Error(at, "only for format json");
              else if (!IsWebhookSecret(*s))
                Error(at, "must be whsec_ followed by base64");
              else
                w.secret = std::move(*s);
            }},
           {"events",
            [&](const YAML::Node& v, const std::string& at) {
              auto events = Strings(v, at);
              if (!events) return;
              if (events->empty()) Error(at, "must not be empty");
              for (size_t i = 0; i < events->size(); ++i)
                if (!WebhookEvents().count((*events)[i]))
                  Error(Item(at, i), "unknown event " + Quoted((*events)[i]));
              w.events = std::move(*events);
            }},
       });
  Require(*fields, path, {"url"});
  return w;
}

void Loader::ParseDelivery(const YAML::Node& node, const std::string& path) {
  auto fields = MapAt(node, path);
  if (!fields) return;
  DeliveryConfig& out = config_.delivery;
  Walk(*fields, path,
       {
           {"retry_delays",
            [&](const YAML::Node& v, const std::string& at) {
              auto items = ListAt(v, at);
              if (!items) return;
              if (items->empty()) Error(at, "must not be empty");
              out.retry_delays.clear();
              for (size_t i = 0; i < items->size(); ++i) {
                auto d = Duration((*items)[i], Item(at, i), /*positive=*/false);
                if (d) out.retry_delays.push_back(*d);
              }
            }},
           {"skip_older_than",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Duration(v, at, /*positive=*/false), out.skip_older_than);
            }},
           {"timeout",
            [&](const YAML::Node& v, const std::string& at) {
              SetIf(Duration(v, at, /*positive=*/true), out.timeout);
            }},
       });
}

// ---------------------------------------------------------------- entry point

std::string AtLine(const YAML::Mark& mark, const std::string& rule) {
  if (mark.is_null()) return rule;
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) +
         ": " + rule;
}

// Counts documents through yaml-cpp's event interface. YAML::LoadAll is not
// used: on some malformed input (e.g. a leading ',') yaml-cpp 0.7 stops
// consuming tokens and yields the same empty document forever. A document
// starting where the previous one started is that situation: a syntax error.
class DocumentCounter : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (documents_ > 0 && mark.pos <= last_start_.pos) stuck_ = mark;
    last_start_ = mark;
    ++documents_;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  size_t documents() const { return documents_; }
  const std::optional<YAML::Mark>& stuck() const { return stuck_; }

 private:
  size_t documents_ = 0;
  YAML::Mark last_start_;
  std::optional<YAML::Mark> stuck_;
};

// Nullopt when `text` is one YAML document (or none), else the error.
std::optional<FieldError> CheckSingleDocument(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentCounter counter;
  while (!counter.stuck() && parser.HandleNextDocument(counter)) {
  }
  if (const auto& mark = counter.stuck()) {
    const size_t pos = static_cast<size_t>(mark->pos);
    const char c = pos < text.size() ? text[pos] : ' ';
    const bool printable = c > ' ' && c < 127;
    return FieldError{"", AtLine(*mark, printable ? "unexpected " + Quoted(std::string(1, c))
                                                  : std::string("unexpected content"))};
  }
  if (counter.documents() > 1)
    return FieldError{"",
                      "expected one YAML document, found " + std::to_string(counter.documents())};
  return std::nullopt;
}

}  // namespace

ConfigLoadResult LoadConfig(std::string_view yaml_text) {
  ConfigLoadResult result;
  try {
    const std::string text(yaml_text);
    if (auto error = CheckSingleDocument(text)) {
      result.errors.push_back(std::move(*error));
      return result;
    }
    Errors errors;
    Loader loader(errors);
    Config config = loader.Load(YAML::Load(text));
    if (errors.empty()) {
      config.rules_fingerprint = RulesFingerprint(config);
      result.config = std::move(config);
    } else {
      result.errors = errors.Take();
    }
  } catch (const YAML::DeepRecursion& e) {
    result.errors = {FieldError{"", AtLine(e.mark, "nesting too deep")}};
  } catch (const YAML::Exception& e) {
    result.errors = {FieldError{"", AtLine(e.mark, e.msg.empty() ? e.what() : e.msg)}};
  } catch (const std::exception& e) {
    result.errors = {FieldError{"", std::string("cannot read the config: ") + e.what()}};
  } catch (...) {
    result.errors = {FieldError{"", "cannot read the config"}};
  }
  return result;
}

}  // namespace headroom
