// common/time.h edge cases as the input parser relies on them (SPEC 3.7 rule 2).
#include "common/time.h"

#include <gtest/gtest.h>

#include <cstdio>
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

// ParseIsoTime takes a fast path for "YYYY-MM-DDTHH:MM:SS[.f+]Z" and falls
// back to ParseIsoTimeGeneral for everything else: both must agree everywhere.
TEST(TimeTest, ParseIsoTimeFastPathAgreesWithGeneral) {
  for (const char* text :
       {// canonical: the fast path
        "2026-03-20T10:00:00Z", "2026-03-20T10:00:00.000Z", "2026-03-20T10:00:00.1Z",
        "2026-03-20T10:00:00.12Z", "2026-03-20T10:00:00.123Z", "2026-03-20T10:00:00.1234Z",
        "2026-03-20T10:00:00.123999999Z", "2026-03-20T23:59:59.999Z", "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.999Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z",
        "2024-02-29T12:00:00.500Z", "2000-02-29T00:00:00Z",
        // canonical shape but invalid: the general path rejects them too
        "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00.000Z",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z",
        "2026-03-20T24:00:00Z", "2026-03-20T10:60:00Z", "2026-03-20T10:00:61Z",
        "2026-03-20T10:00:00.Z", "2026-03-20T10:00:00.1a3Z", "2026-03-20T10:00:00.12aZ",
        "2026-03-20T10:00:00,123Z", "2026-03-20T10:00:00:123Z", "2026-03-20T10:0a:00Z",
        "2026-03-20T1:00:00.000Z", "2026-03-2aT10:00:00.000Z", "2026/03/20T10:00:00Z",
        "2026-03-20T10:00:00ZZ", "2026-03-20T10:00:00.123ZZ",
        // other forms: the general path
        "2026-03-20T10:00:60Z", "2026-03-20T10:00:60.500Z", "2026-03-20t10:00:00z",
        "2026-03-20 10:00:00Z", "2026-03-20T10:00:00z", "2026-03-20T10:00:00",
        "2026-03-20T10:00:00.123", "2026-03-20T10:00Z", "2026-03-20", "2026-03-20T12:00:00+02:00",
        "2026-03-20T12:00:00.123+02:00", "2026-03-20T08:00:00-0200", "2026-03-20T12:00:00+02",
        "2026-03-20T10:00:00.123+00:00", "2026-03-20T10:00:00-00:00", "2024-02-29", "2023-02-29",
        "", "Z", "2026-03-20T10:00:00.123456789012345678901234567890Z"}) {
    EXPECT_EQ(ParseIsoTime(text), ParseIsoTimeGeneral(text)) << text;
  }
}

TEST(TimeTest, ParseIsoTimeFastPathValues) {
  EXPECT_EQ(ParseIsoTime("2026-03-20T10:00:00.1Z"), kT0 + 100);
  EXPECT_EQ(ParseIsoTime("2026-03-20T10:00:00.12Z"), kT0 + 120);
  EXPECT_EQ(ParseIsoTime("2026-03-20T10:00:00.123Z"), kT0 + 123);
  EXPECT_EQ(ParseIsoTime("2026-03-20T10:00:00.1239Z"), kT0 + 123);  // truncated, not rounded
  EXPECT_EQ(ParseIsoTime("2026-03-20T10:00:00.999999Z"), kT0 + 999);
  EXPECT_EQ(ParseIsoTime("2026-03-20T10:00:60.500Z"), kT0 + 59'500);  // leap second, general path
  EXPECT_EQ(ParseIsoTime("2026-03-20T10:00:00.Z"), std::nullopt);
  // Leap days: 2024 and 2000 have one, 2023 and 1900 do not.
  EXPECT_EQ(ParseIsoTime("2024-02-29T00:00:00Z"), 1'709'164'800'000);
  EXPECT_EQ(ParseIsoTime("2024-03-01T00:00:00.000Z"), 1'709'164'800'000 + kMsPerDay);
  EXPECT_EQ(ParseIsoTime("2000-02-29T00:00:00Z"), 951'782'400'000);
  EXPECT_EQ(ParseIsoTime("2023-02-29T00:00:00Z"), std::nullopt);
  EXPECT_EQ(ParseIsoTime("1900-02-29T00:00:00.000Z"), std::nullopt);
  EXPECT_EQ(ParseIsoTime("2100-02-29T00:00:00Z"), std::nullopt);
}

// Every day from 1899 to 2101 in canonical form, at a few times of day:
// the fast path, the general path and FormatIsoTime agree.
TEST(TimeTest, ParseIsoTimeFastPathEveryDay) {
  const Day first = DaysFromCivil(1899, 1, 1), last = DaysFromCivil(2101, 12, 31);
  for (Day d = first; d <= last; ++d) {
    for (TimeMs ms : {TimeMs{0}, TimeMs{12 * kMsPerHour + 34 * 60'000 + 56'789}, kMsPerDay - 1}) {
      const TimeMs t = DayStart(d) + ms;
      const std::string text = FormatIsoTime(t);  // "YYYY-MM-DDTHH:MM:SS.fffZ"
      ASSERT_EQ(ParseIsoTime(text), t) << text;
      ASSERT_EQ(ParseIsoTimeGeneral(text), t) << text;
      const std::string no_fraction = text.substr(0, 19) + "Z";
      ASSERT_EQ(ParseIsoTime(no_fraction), t - (t % 1000 + 1000) % 1000) << no_fraction;
    }
  }
}

// Mutations of canonical strings (one byte replaced, inserted or removed, or
// the text cut): the fast path never accepts what the general path rejects,
// nor gives another value.
TEST(TimeTest, ParseIsoTimeFastPathAgreesOnMutations) {
  const std::string seeds[] = {"2024-02-29T23:59:59.999Z", "2026-03-20T10:00:00Z",
                               "1999-12-31T00:00:00.5Z", "2026-03-20T10:00:00.1234567Z"};
  constexpr char kBytes[] = "0123456789-:.,TtZz +\x00\xff";
  const std::string bytes(kBytes, sizeof kBytes - 1);
  size_t checked = 0;
  for (const std::string& seed : seeds) {
    for (size_t i = 0; i <= seed.size(); ++i) {
      const std::string cut = seed.substr(0, i);
      EXPECT_EQ(ParseIsoTime(cut), ParseIsoTimeGeneral(cut)) << cut;
      if (i < seed.size()) {
        std::string removed = seed;
        removed.erase(i, 1);
        EXPECT_EQ(ParseIsoTime(removed), ParseIsoTimeGeneral(removed)) << removed;
      }
      for (char b : bytes) {
        std::string inserted = seed;
        inserted.insert(i, 1, b);
        EXPECT_EQ(ParseIsoTime(inserted), ParseIsoTimeGeneral(inserted)) << inserted;
        if (i < seed.size()) {
          std::string replaced = seed;
          replaced[i] = b;
          EXPECT_EQ(ParseIsoTime(replaced), ParseIsoTimeGeneral(replaced)) << replaced;
        }
        checked += 2;
      }
    }
  }
  EXPECT_GT(checked, 1000u);
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

// The digit-by-digit writer gives snprintf's text: a sweep of times from
// year 0 to 9999, and the years either side that take snprintf itself.
TEST(TimeTest, FormatIsoTimeMatchesPrintf) {
  const auto reference = [](TimeMs t) {
    const Day d = DayOf(t);
    const TimeMs rem = t - DayStart(d);
    int y;
    unsigned m, dd;
    CivilFromDays(d, y, m, dd);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", y, m, dd,
                  static_cast<int>(rem / kMsPerHour), static_cast<int>(rem / 60'000 % 60),
                  static_cast<int>(rem / 1000 % 60), static_cast<int>(rem % 1000));
    return std::string(buf);
  };
  const TimeMs first = DayStart(DaysFromCivil(0, 1, 1));
  const TimeMs last = DayStart(DaysFromCivil(9999, 12, 31)) + kMsPerDay - 1;
  size_t checked = 0;
  for (TimeMs t = first; t <= last; t += 7 * kMsPerDay + 3'723'457, ++checked)
    ASSERT_EQ(FormatIsoTime(t), reference(t)) << t;
  EXPECT_GT(checked, 500'000u);
  for (TimeMs t : {first, last, first - 1, last + 1, TimeMs{0}, TimeMs{-1}})
    EXPECT_EQ(FormatIsoTime(t), reference(t)) << t;
  EXPECT_EQ(FormatIsoTime(first - 1), "-001-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIsoTime(last + 1), "10000-01-01T00:00:00.000Z");
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
