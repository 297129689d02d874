#include "common/value.h"

#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>

namespace headroom {

bool Value::operator==(const Value& o) const {
  if (kind_ != o.kind_) return false;
  switch (kind_) {
    case Kind::kMissing:
    case Kind::kNull: return true;
    case Kind::kBool:
    case Kind::kNumber: return num_ == o.num_;
    case Kind::kString:
    case Kind::kRaw: return str_ == o.str_;
  }
  return false;
}

bool Value::operator<(const Value& o) const {
  if (kind_ != o.kind_) return kind_ < o.kind_;
  switch (kind_) {
    case Kind::kMissing:
    case Kind::kNull: return false;
    case Kind::kBool:
    case Kind::kNumber: return num_ < o.num_;
    case Kind::kString:
    case Kind::kRaw: return str_ < o.str_;
  }
  return false;
}

size_t ValueHash::operator()(const Value& v) const {
  const size_t k = static_cast<size_t>(v.kind()) * 0x9e3779b97f4a7c15ULL;
  switch (v.kind()) {
    case Value::Kind::kBool:
    case Value::Kind::kNumber: {
      double d = v.number();
      if (d == 0) d = 0;  // -0 == 0
      return k ^ std::hash<double>()(d);
    }
    case Value::Kind::kString:
    case Value::Kind::kRaw: return k ^ std::hash<std::string>()(v.str());
    default: return k;
  }
}

nlohmann::json Value::ToJsonValue() const {
  switch (kind_) {
    case Kind::kMissing:
    case Kind::kNull: return nullptr;
    case Kind::kBool: return num_ != 0;
    case Kind::kNumber:
      if (std::floor(num_) == num_ && std::fabs(num_) < 9e15) return static_cast<int64_t>(num_);
      return num_;
    case Kind::kString: return str_;
    case Kind::kRaw: {
      auto j = nlohmann::json::parse(str_, nullptr, false);
      return j.is_discarded() ? nlohmann::json(str_) : j;
    }
  }
  return nullptr;
}

std::string Value::ToJson() const { return ToJsonValue().dump(); }

std::string Value::ToDisplay() const {
  if (kind_ == Kind::kString) return str_;
  if (kind_ == Kind::kMissing) return "";
  return ToJson();
}

}  // namespace headroom
