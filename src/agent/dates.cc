#include "agent/dates.h"

#include <algorithm>
#include <cstdio>

#include "common/strings.h"

namespace atiende::agent {

int64_t days_from_civil(const CivilDate& date) {
  int64_t y = date.year;
  const unsigned m = static_cast<unsigned>(date.month);
  const unsigned d = static_cast<unsigned>(date.day);
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilDate civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

int weekday_of(int64_t days) {
  int64_t r = (days + 4) % 7;  // 1970-01-01 was a Thursday
  if (r < 0) r += 7;
  return static_cast<int>(r);
}

CivilDate local_date_of(int64_t unix_millis) {
  int64_t seconds = unix_millis / 1000 + kColombiaOffsetSeconds;
  int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  return civil_from_days(days);
}

std::string iso_date(const CivilDate& date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buf;
}

std::optional<int64_t> parse_iso_millis(std::string_view text) {
  auto num = [&](size_t pos, size_t len) -> std::optional<int64_t> {
    if (pos + len > text.size()) return std::nullopt;
    for (size_t i = pos; i < pos + len; ++i) if (text[i] < '0' || text[i] > '9') return std::nullopt;
    return parse_int64(text.substr(pos, len));
  };
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = num(0, 4), mo = num(5, 2), d = num(8, 2);
  if (!y || !mo || !d || *mo < 1 || *mo > 12 || *d < 1 || *d > 31) return std::nullopt;
  const int64_t days = days_from_civil({static_cast<int>(*y), static_cast<int>(*mo), static_cast<int>(*d)});
  if (text.size() == 10) return (days * 86400 - kColombiaOffsetSeconds) * 1000;
  if (text.size() < 19 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  auto h = num(11, 2), mi = num(14, 2), s = num(17, 2);
  if (!h || !mi || !s || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
  size_t pos = 19;
  int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    for (; digits < 3; ++digits) millis *= 10;
  }
  int64_t offset = 0;
  if (pos == text.size()) return std::nullopt;
  if (text[pos] == 'Z' && pos + 1 == text.size()) {
    offset = 0;
  } else if ((text[pos] == '+' || text[pos] == '-') && pos + 6 == text.size() && text[pos + 3] == ':') {
    auto oh = num(pos + 1, 2), om = num(pos + 4, 2);
    if (!oh || !om) return std::nullopt;
    offset = (*oh * 3600 + *om * 60) * (text[pos] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  const int64_t seconds = days * 86400 + *h * 3600 + *mi * 60 + *s - offset;
  return seconds * 1000 + millis;
}

CivilDate add_business_days(const CivilDate& date, int n) {
  int64_t days = days_from_civil(date);
  while (n > 0) {
    ++days;
    const int wd = weekday_of(days);
    if (wd != 0 && wd != 6) --n;
  }
  return civil_from_days(days);
}

CivilDate next_cycle_start(const CivilDate& date, int cycle_day) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  auto month_len = [](int y, int m) {
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
  };
  if (cycle_day < 1) cycle_day = 1;
  CivilDate candidate{date.year, date.month, std::min(cycle_day, month_len(date.year, date.month))};
  if (days_from_civil(candidate) > days_from_civil(date)) return candidate;
  int y = date.year, m = date.month + 1;
  if (m > 12) { m = 1; ++y; }
  return {y, m, std::min(cycle_day, month_len(y, m))};
}

}  // namespace atiende::agent
