// Time in Headroom: every instant is UTC milliseconds since the Unix epoch
// (TimeMs); a day is a UTC calendar day, numbered from 1970-01-01 (Day).
// Pure functions, no clock is read here. Parsing follows SPEC 3.7 rule 2.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace headroom {

using TimeMs = int64_t;  // UTC milliseconds since 1970-01-01T00:00:00Z
using Day = int32_t;     // UTC day number since 1970-01-01

inline constexpr TimeMs kMsPerSecond = 1000;
inline constexpr TimeMs kMsPerHour = 3'600'000;
inline constexpr TimeMs kMsPerDay = 86'400'000;

// Floor division: instants before the epoch land in the right day.
constexpr Day DayOf(TimeMs t) {
  return static_cast<Day>(t >= 0 ? t / kMsPerDay : -((-t + kMsPerDay - 1) / kMsPerDay));
}
constexpr TimeMs DayStart(Day d) { return static_cast<TimeMs>(d) * kMsPerDay; }

// First day of the calendar month containing d.
Day MonthStart(Day d);

// Civil date <-> day number (proleptic Gregorian).
Day DaysFromCivil(int year, unsigned month, unsigned day);
void CivilFromDays(Day d, int& year, unsigned& month, unsigned& day);

// ISO-8601 per SPEC 3.7 rule 2: "2026-03-20T10:00:00Z", offsets "+02:00"/"+0200",
// fractional seconds truncated to milliseconds, no offset = UTC, date-only =
// 00:00:00.000Z of that day. Returns nullopt when the text is not such a time.
// The canonical form "YYYY-MM-DDTHH:MM:SS[.fff]Z" takes a fast path; anything
// else goes through ParseIsoTimeGeneral, which accepts every form above.
std::optional<TimeMs> ParseIsoTime(std::string_view text);
// The general parser alone, without the fast path (the reference the fast
// path is tested against; callers want ParseIsoTime).
std::optional<TimeMs> ParseIsoTimeGeneral(std::string_view text);

// "2026-03-20T00:00:00.000Z" (SPEC 6.3).
std::string FormatIsoTime(TimeMs t);

// Durations of SPEC 2: "<n>s|m|h|d" (n a non-negative integer) in milliseconds.
std::optional<TimeMs> ParseDuration(std::string_view text);

}  // namespace headroom
