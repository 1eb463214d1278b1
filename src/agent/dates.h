#pragma once
/// Calendar helpers for previews (effective dates, delivery estimates). The demo company works
/// in Colombia time, a fixed UTC-05:00 (no daylight saving).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace atiende::agent {

inline constexpr int64_t kColombiaOffsetSeconds = -5 * 3600;

struct CivilDate {
  int year = 1970;
  int month = 1;  ///< 1..12
  int day = 1;    ///< 1..31
};

/// Days since 1970-01-01 of a civil date (proleptic Gregorian), and back.
int64_t days_from_civil(const CivilDate& date);
CivilDate civil_from_days(int64_t days);
/// 0 = Sunday ... 6 = Saturday.
int weekday_of(int64_t days);
/// Local (UTC-05:00) date of a unix time in milliseconds.
CivilDate local_date_of(int64_t unix_millis);
/// "2026-11-22".
std::string iso_date(const CivilDate& date);
/// Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)" into unix millis (a bare date is
/// local midnight). nullopt on anything else.
std::optional<int64_t> parse_iso_millis(std::string_view text);
/// `date` plus `n` business days (Monday..Friday).
CivilDate add_business_days(const CivilDate& date, int n);
/// The next occurrence of day-of-month `cycle_day` strictly after `date` (clamped to the month's
/// last day), i.e. the start of the next billing cycle.
CivilDate next_cycle_start(const CivilDate& date, int cycle_day);

}  // namespace atiende::agent
