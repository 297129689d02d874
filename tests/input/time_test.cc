// common/time.h edge cases as the input parser relies on them (SPEC 3.7 rule 2).
#include "common/time.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace headroom {
namespace {

constexpr TimeMs kT0 = 1'774'000'800'000;  // 2026-03-20T10:00:00Z

TEST(TimeTest, ParseIsoTimeAccepts) {
  struct Case {
    const char* text;
    TimeMs t;
  };
  const std::vector<Case> cases = {
      {"2026-03-20T10:00:00Z", kT0},
      {"2026-03-20T10:00:00.000Z", kT0},
      {"2026-03-20T10:00:00.123999Z", kT0 + 123},  // truncated, not rounded
      {"2026-03-20T10:00:00.999999999Z", kT0 + 999},
      {"2026-03-20T10:00:00.12Z", kT0 + 120},
      {"2026-03-20T10:00:00,5Z", kT0 + 500},
      {"2026-03-20T10:00:00", kT0},   // no offset: UTC
      {"2026-03-20T10:00Z", kT0},     // no seconds
      {"2026-03-20 10:00:00Z", kT0},  // space separator
      {"2026-03-20t10:00:00z", kT0},
      {"2026-03-20", kT0 - 10 * kMsPerHour},  // date only: 00:00Z
      {"2026-03-20T12:00:00+02:00", kT0},
      {"2026-03-20T12:00:00+0200", kT0},
      {"2026-03-20T12:00:00+02", kT0},
      {"2026-03-20T08:00:00-02:00", kT0},
      {"2026-03-21T00:30:00+14:30", kT0},
      {"1970-01-01T00:00:00Z", 0},
      {"1969-12-31T23:59:59.999Z", -1},
      {"2024-02-29T00:00:00Z", 1'709'164'800'000},
      {"2026-03-20T10:00:60Z", kT0 + 59'000},  // leap second clamped
  };
  for (const auto& c : cases) EXPECT_EQ(ParseIsoTime(c.text), std::optional<TimeMs>(c.t)) << c.text;
}

TEST(TimeTest, ParseIsoTimeRejects) {
  for (const char* text : {"",
                           "2026",
                           "2026-03",
                           "2026-3-20",
                           "20260320",
                           "2026-13-01",
                           "2026-00-10",
                           "2026-02-29",
                           "2025-02-29T00:00:00Z",
                           "2026-04-31",
                           "2026-03-20T",
                           "2026-03-20T10",
                           "2026-03-20T24:00:00Z",
                           "2026-03-20T10:60:00Z",
                           "2026-03-20T10:00:61Z",
                           "2026-03-20T10:00:00.Z",
                           "2026-03-20T10:00:00ZZ",
                           "2026-03-20T10:00:00+",
                           "2026-03-20T10:00:00+2",
                           "2026-03-20T10:00:00+02:0",
                           "2026-03-20T10:00:00+25:00",
                           "2026-03-20T10:00:00+02:60",
                           "2026-03-20X10:00:00Z",
                           " 2026-03-20",
                           "2026-03-20 ",
                           "1774000800000",
                           "yesterday"}) {
    EXPECT_EQ(ParseIsoTime(text), std::nullopt) << text;
  }
}

TEST(TimeTest, FormatIsoTime) {
  EXPECT_EQ(FormatIsoTime(kT0), "2026-03-20T10:00:00.000Z");
  EXPECT_EQ(FormatIsoTime(kT0 + 123), "2026-03-20T10:00:00.123Z");
  EXPECT_EQ(FormatIsoTime(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoTime(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIsoTime(1'709'164'800'000), "2024-02-29T00:00:00.000Z");
  for (TimeMs t : {kT0, kT0 + 1, TimeMs{-86'400'001}, TimeMs{253'402'300'799'999}})
    EXPECT_EQ(ParseIsoTime(FormatIsoTime(t)), std::optional<TimeMs>(t)) << t;
}

TEST(TimeTest, DaysAndMonths) {
  EXPECT_EQ(DayOf(0), 0);
  EXPECT_EQ(DayOf(-1), -1);
  EXPECT_EQ(DayOf(kMsPerDay - 1), 0);
  EXPECT_EQ(DayStart(DayOf(kT0)), kT0 - 10 * kMsPerHour);
  EXPECT_EQ(MonthStart(DayOf(kT0)), DaysFromCivil(2026, 3, 1));
  int y;
  unsigned m, d;
  CivilFromDays(DayOf(kT0), y, m, d);
  EXPECT_EQ(y, 2026);
  EXPECT_EQ(m, 3u);
  EXPECT_EQ(d, 20u);
}

}  // namespace
}  // namespace headroom
