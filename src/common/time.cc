#include "common/time.h"

#include <charconv>
#include <cstdio>

namespace headroom {

// Howard Hinnant's days_from_civil / civil_from_days.
Day DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<Day>(era * 146097 + static_cast<int>(doe) - 719468);
}

void CivilFromDays(Day z0, int& y, unsigned& m, unsigned& d) {
  const int z = z0 + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yoe) + era * 400 + (m <= 2);
}

Day MonthStart(Day d) {
  int y;
  unsigned m, dd;
  CivilFromDays(d, y, m, dd);
  return d - static_cast<Day>(dd - 1);
}

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

unsigned DaysInMonth(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// The digit at p as 0-9; anything else is > 9.
inline unsigned DigitAt(const char* p) { return static_cast<unsigned char>(*p) - unsigned{'0'}; }

// The canonical form "YYYY-MM-DDTHH:MM:SS[.f+]Z" (upper-case T and Z, seconds
// 00-59), which nearly every message carries. nullopt means "not canonical",
// not "invalid": the caller then runs the general parser. Whatever this
// accepts, ParseIsoTimeGeneral accepts with the same value (tests/input/time_test.cc).
inline std::optional<TimeMs> ParseCanonicalIsoTime(std::string_view s) {
  const size_t n = s.size();
  if (n < 20 || s[n - 1] != 'Z') return std::nullopt;
  const char* p = s.data();
  if (p[4] != '-' || p[7] != '-' || p[10] != 'T' || p[13] != ':' || p[16] != ':')
    return std::nullopt;
  const unsigned y0 = DigitAt(p), y1 = DigitAt(p + 1), y2 = DigitAt(p + 2), y3 = DigitAt(p + 3);
  const unsigned mo0 = DigitAt(p + 5), mo1 = DigitAt(p + 6), d0 = DigitAt(p + 8),
                 d1 = DigitAt(p + 9);
  const unsigned h0 = DigitAt(p + 11), h1 = DigitAt(p + 12), mi0 = DigitAt(p + 14),
                 mi1 = DigitAt(p + 15), s0 = DigitAt(p + 17), s1 = DigitAt(p + 18);
  // Straight-line checks (no early exits): one branch for all fourteen digits.
  const bool bad = (y0 > 9) | (y1 > 9) | (y2 > 9) | (y3 > 9) | (mo0 > 9) | (mo1 > 9) | (d0 > 9) |
                   (d1 > 9) | (h0 > 9) | (h1 > 9) | (mi0 > 9) | (mi1 > 9) | (s0 > 9) | (s1 > 9);
  if (bad) return std::nullopt;
  const int year = static_cast<int>(y0 * 1000 + y1 * 100 + y2 * 10 + y3);
  const int month = static_cast<int>(mo0 * 10 + mo1), day = static_cast<int>(d0 * 10 + d1);
  const int hh = static_cast<int>(h0 * 10 + h1), mm = static_cast<int>(mi0 * 10 + mi1),
            ss = static_cast<int>(s0 * 10 + s1);
  int ms = 0;
  if (n == 24) {
    // ".fffZ", the common case.
    const unsigned f0 = DigitAt(p + 20), f1 = DigitAt(p + 21), f2 = DigitAt(p + 22);
    if (p[19] != '.' || (f0 > 9) | (f1 > 9) | (f2 > 9)) return std::nullopt;
    ms = static_cast<int>(f0 * 100 + f1 * 10 + f2);
  } else if (n != 20) {
    // ".f+Z": at least one digit; digits beyond the third are truncated.
    if (p[19] != '.' || n < 22) return std::nullopt;
    const size_t digits = n - 21;
    for (size_t i = 0; i < digits; ++i) {
      const unsigned d = DigitAt(p + 20 + i);
      if (d > 9) return std::nullopt;
      if (i < 3) ms = ms * 10 + static_cast<int>(d);
    }
    for (size_t i = digits; i < 3; ++i) ms *= 10;
  }
  if (month < 1 || month > 12 || day < 1 || hh > 23 || mm > 59 || ss > 59 ||
      static_cast<unsigned>(day) > DaysInMonth(year, static_cast<unsigned>(month)))
    return std::nullopt;
  return DayStart(DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day))) +
         hh * kMsPerHour + mm * 60'000 + ss * kMsPerSecond + ms;
}

}  // namespace

std::optional<TimeMs> ParseIsoTime(std::string_view s) {
  if (auto t = ParseCanonicalIsoTime(s)) return t;
  return ParseIsoTimeGeneral(s);
}

std::optional<TimeMs> ParseIsoTimeGeneral(std::string_view s) {
  int year, month, day;
  if (!Digits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, month) ||
      s[7] != '-' || !Digits(s, 8, 2, day))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > DaysInMonth(year, static_cast<unsigned>(month)))
    return std::nullopt;
  TimeMs t =
      DayStart(DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)));
  if (s.size() == 10) return t;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  int hh, mm, ss = 0;
  if (!Digits(s, 11, 2, hh) || s.size() < 16 || s[13] != ':' || !Digits(s, 14, 2, mm))
    return std::nullopt;
  size_t pos = 16;
  int ms = 0;
  if (pos < s.size() && s[pos] == ':') {
    if (!Digits(s, pos + 1, 2, ss)) return std::nullopt;
    pos += 3;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      size_t digits = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (digits < 3) ms = ms * 10 + (s[pos] - '0');
        ++digits;
        ++pos;
      }
      if (digits == 0) return std::nullopt;
      for (size_t i = digits; i < 3; ++i) ms *= 10;
    }
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  if (ss == 60) ss = 59;  // leap second: clamp into the minute
  t += hh * kMsPerHour + mm * 60'000 + ss * kMsPerSecond + ms;
  if (pos == s.size()) return t;  // no offset: UTC
  if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) return t;
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  const int sign = s[pos] == '+' ? 1 : -1;
  int oh, om = 0;
  if (!Digits(s, pos + 1, 2, oh)) return std::nullopt;
  size_t rest = pos + 3;
  if (rest < s.size()) {
    if (s[rest] == ':') ++rest;
    if (!Digits(s, rest, 2, om) || rest + 2 != s.size()) return std::nullopt;
  }
  if (oh > 23 || om > 59) return std::nullopt;
  return t - sign * (oh * kMsPerHour + om * 60'000);
}

std::string FormatIsoTime(TimeMs t) {
  const Day d = DayOf(t);
  TimeMs rem = t - DayStart(d);
  int y;
  unsigned m, dd;
  CivilFromDays(d, y, m, dd);
  const int hh = static_cast<int>(rem / kMsPerHour);
  const int mi = static_cast<int>(rem / 60'000 % 60);
  const int ss = static_cast<int>(rem / 1000 % 60);
  const int ms = static_cast<int>(rem % 1000);
  if (y < 0 || y > 9999) {  // rare: snprintf's sign and width rules
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", y, m, dd, hh, mi, ss, ms);
    return buf;
  }
  // The same text written digit by digit (snprintf was ~3,800 instructions a call).
  std::string out = "0000-00-00T00:00:00.000Z";
  const auto put = [&](size_t at, int value, int digits) {
    for (int i = digits - 1; i >= 0; --i, value /= 10)
      out[at + static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  put(0, y, 4);
  put(5, static_cast<int>(m), 2);
  put(8, static_cast<int>(dd), 2);
  put(11, hh, 2);
  put(14, mi, 2);
  put(17, ss, 2);
  put(20, ms, 3);
  return out;
}

std::optional<TimeMs> ParseDuration(std::string_view s) {
  if (s.size() < 2) return std::nullopt;
  TimeMs unit;
  switch (s.back()) {
    case 's': unit = kMsPerSecond; break;
    case 'm': unit = 60 * kMsPerSecond; break;
    case 'h': unit = kMsPerHour; break;
    case 'd': unit = kMsPerDay; break;
    default: return std::nullopt;
  }
  int64_t n = 0;
  const char* end = s.data() + s.size() - 1;
  auto [p, ec] = std::from_chars(s.data(), end, n);
  if (ec != std::errc() || p != end || n < 0) return std::nullopt;
  return n * unit;
}

}  // namespace headroom
