// The one error vocabulary of Headroom. An expected failure (bad input, bad
// config, a full queue) is a value naming the field and the rule, rendered as
// "<field>: <rule>" (SPEC 1.3). Exceptions are reserved for bugs and for I/O
// failures that end a command.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace headroom {

struct FieldError {
  std::string field;  // dotted path, e.g. "triggers.seat_capacity.metric" or "timestamp"
  std::string rule;   // what was violated, e.g. "unknown metric 'seat'"
  std::string ToString() const { return field.empty() ? rule : field + ": " + rule; }
  bool operator==(const FieldError&) const = default;
};

// Either a T or the FieldError explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}           // NOLINT: implicit by design
  Result(FieldError error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const FieldError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, FieldError> v_;
};

}  // namespace headroom
