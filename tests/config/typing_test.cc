// YAML 1.2 core-schema typing (SPEC 2): plain true/false are booleans, plain
// numbers are numbers, anything else (and anything quoted) is a string.
#include <gtest/gtest.h>

#include <string>

#include "config/loader.h"

namespace headroom {
namespace {

struct ScalarCase {
  const char* yaml;  // the scalar as written after `equals: `
  Value expected;
};

// The value a scalar becomes, read through suppress.traits[0].equals.
class CoreSchema : public ::testing::TestWithParam<ScalarCase> {};

TEST_P(CoreSchema, EqualsValue) {
  const std::string yaml =
      std::string("suppress:\n  traits:\n    - trait: t\n      equals: ") + GetParam().yaml + "\n";
  ConfigLoadResult r = LoadConfig(yaml);
  ASSERT_TRUE(r.config.has_value()) << (r.errors.empty() ? "" : r.errors[0].ToString());
  ASSERT_EQ(r.config->suppress.traits.size(), 1u);
  const Value& v = r.config->suppress.traits[0].equals;
  EXPECT_EQ(v.kind(), GetParam().expected.kind()) << GetParam().yaml;
  EXPECT_EQ(v, GetParam().expected) << GetParam().yaml << " -> " << v.ToJson();
}

INSTANTIATE_TEST_SUITE_P(
    Scalars, CoreSchema,
    ::testing::Values(
        ScalarCase{"yes", Value::String("yes")}, ScalarCase{"no", Value::String("no")},
        ScalarCase{"on", Value::String("on")}, ScalarCase{"y", Value::String("y")},
        ScalarCase{"true", Value::Bool(true)}, ScalarCase{"false", Value::Bool(false)},
        ScalarCase{"True", Value::Bool(true)}, ScalarCase{"FALSE", Value::Bool(false)},
        ScalarCase{"\"true\"", Value::String("true")},
        ScalarCase{"'false'", Value::String("false")}, ScalarCase{"15", Value::Number(15)},
        ScalarCase{"\"15\"", Value::String("15")}, ScalarCase{"1.5", Value::Number(1.5)},
        ScalarCase{"-2", Value::Number(-2)}, ScalarCase{"+3", Value::Number(3)},
        ScalarCase{".5", Value::Number(0.5)}, ScalarCase{"1.", Value::Number(1)},
        ScalarCase{"1e3", Value::Number(1000)}, ScalarCase{"2.5E-1", Value::Number(0.25)},
        ScalarCase{"0x1F", Value::Number(31)}, ScalarCase{"0o17", Value::Number(15)},
        ScalarCase{"007", Value::Number(7)}, ScalarCase{"1_000", Value::String("1_000")},
        ScalarCase{"0b101", Value::String("0b101")}, ScalarCase{"1e", Value::String("1e")},
        ScalarCase{"12abc", Value::String("12abc")},
        ScalarCase{"2026-01-22", Value::String("2026-01-22")},
        ScalarCase{"\"null\"", Value::String("null")}, ScalarCase{"!!str 15", Value::String("15")},
        ScalarCase{"!!int 15", Value::Number(15)}, ScalarCase{"!!bool true", Value::Bool(true)},
        ScalarCase{"|\n        block", Value::String("block\n")},
        ScalarCase{"hello world", Value::String("hello world")}));

TEST(CoreSchemaErrors, NullsAndNonFiniteAndBadTags) {
  auto errors = [](const std::string& scalar) {
    ConfigLoadResult r =
        LoadConfig("suppress:\n  traits:\n    - {trait: t, equals: " + scalar + "}\n");
    std::vector<std::string> out;
    for (const FieldError& e : r.errors) out.push_back(e.ToString());
    return out;
  };
  const std::string path = "suppress.traits[0].equals: ";
  EXPECT_EQ(errors("~"), std::vector<std::string>{path + "must be a string, number or boolean"});
  EXPECT_EQ(errors("null"), std::vector<std::string>{path + "must be a string, number or boolean"});
  EXPECT_EQ(errors(".inf"), std::vector<std::string>{path + "must be a finite number"});
  EXPECT_EQ(errors(".nan"), std::vector<std::string>{path + "must be a finite number"});
  EXPECT_EQ(errors("1e999"), std::vector<std::string>{path + "must be a finite number"});
  EXPECT_EQ(errors("!foo x"), std::vector<std::string>{path + "unsupported tag '!foo'"});
  EXPECT_EQ(errors("!!int abc"), std::vector<std::string>{path + "not a valid !!int"});
  EXPECT_EQ(errors("!!binary AAAA"), std::vector<std::string>{path + "unsupported tag '!!binary'"});
}

TEST(CoreSchemaFields, NumbersMustBePlainAndStringsMustNotBe) {
  ConfigLoadResult r = LoadConfig(R"yaml(
metrics:
  m: { count: E, where: { plan: yes, seats: 15, ratio: 1.5, beta: "true" } }
triggers:
  quoted_at: { class: value, metric: m, at: "2" }
  bool_at:   { class: value, metric: m, at: true }
  num_limit: { class: capacity, metric: m, at: 1, limit: 5 }
routing: { ae_at: 1e2 }
hold_days: 3e1
)yaml");
  std::vector<std::string> errors;
  for (const FieldError& e : r.errors) errors.push_back(e.ToString());
  EXPECT_EQ(errors, (std::vector<std::string>{"triggers.quoted_at.at: must be a number",
                                              "triggers.bool_at.at: must be a number",
                                              "triggers.num_limit.limit: must be a string"}));
}

TEST(CoreSchemaFields, WhereValuesAreTyped) {
  ConfigLoadResult r = LoadConfig(R"yaml(
metrics:
  m: { count: E, where: { plan: yes, seats: 15, ratio: 1.5, beta: "true", on: true } }
routing: { ae_at: 1e2 }
hold_days: 3e1
)yaml");
  ASSERT_TRUE(r.config.has_value());
  const auto& where = r.config->metrics[0].where;
  ASSERT_EQ(where.size(), 5u);
  EXPECT_EQ(where[0].second, Value::String("yes"));
  EXPECT_EQ(where[1].second, Value::Number(15));
  EXPECT_EQ(where[2].second, Value::Number(1.5));
  EXPECT_EQ(where[3].second, Value::String("true"));
  EXPECT_EQ(where[4].first, "on");
  EXPECT_EQ(where[4].second, Value::Bool(true));
  EXPECT_DOUBLE_EQ(r.config->routing.ae_at, 100);
  EXPECT_EQ(r.config->hold_days, 30);  // 3e1 is the integer 30
}

}  // namespace
}  // namespace headroom
