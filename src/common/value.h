// Value: one JSON value as Headroom compares it (SPEC 3.7 rule 12). Equality
// compares JSON type and value, numbers by value (1 == 1.0, "1" != 1). Objects
// and arrays are kept as their minified JSON text (kind kRaw) and compare by text.
// Missing is distinct from null: a property that is absent is Missing.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace headroom {

class Value {
 public:
  enum class Kind : uint8_t { kMissing, kNull, kBool, kNumber, kString, kRaw };

  Value() = default;
  static Value Null() { return Value(Kind::kNull); }
  static Value Bool(bool b) {
    Value v(Kind::kBool);
    v.num_ = b ? 1 : 0;
    return v;
  }
  static Value Number(double d) {
    Value v(Kind::kNumber);
    v.num_ = d;
    return v;
  }
  static Value String(std::string s) {
    Value v(Kind::kString);
    v.str_ = std::move(s);
    return v;
  }
  static Value Raw(std::string json) {
    Value v(Kind::kRaw);
    v.str_ = std::move(json);
    return v;
  }

  Kind kind() const { return kind_; }
  bool missing() const { return kind_ == Kind::kMissing; }
  // Present and not null: counts for distinct, latest and equality (rule 12).
  bool present() const { return kind_ != Kind::kMissing && kind_ != Kind::kNull; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  double number() const { return num_; }
  bool boolean() const { return num_ != 0; }
  const std::string& str() const { return str_; }

  bool operator==(const Value& o) const;
  // A total order for sorted containers (kind first, then value).
  bool operator<(const Value& o) const;

  // JSON text of the value ("null" for missing too); numbers print integral
  // values without a fraction.
  std::string ToJson() const;
  nlohmann::json ToJsonValue() const;
  // Human form for tables: strings unquoted.
  std::string ToDisplay() const;

 private:
  explicit Value(Kind k) : kind_(k) {}
  Kind kind_ = Kind::kMissing;
  double num_ = 0;
  std::string str_;
};

using TraitMap = std::map<std::string, Value, std::less<>>;

struct ValueHash {
  size_t operator()(const Value& v) const;
};

}  // namespace headroom
