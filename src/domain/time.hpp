#pragma once
// Moments and durations in Vietnam local time (UTC+7, no daylight saving), to the second.
// A Moment is local wall-clock time: 2026-04-24T09:00 in Hà Nội is Moment 2026-04-24 09:00.

#include "base/result.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tthc {

using Moment = std::chrono::local_seconds;
using Duration = std::chrono::seconds;
using Date = std::chrono::local_days;

/// Vietnam's offset from UTC.
inline constexpr Duration kVietnamUtcOffset = std::chrono::hours(7);

/// A half-open span of time [begin, end).
struct Interval {
  Moment begin;
  Moment end;
  friend bool operator==(const Interval&, const Interval&) = default;
};

/// Builds a moment from its parts; the parts must form a valid date and time.
Moment make_moment(int year, unsigned month, unsigned day, int hour = 0, int minute = 0,
                   int second = 0);
Date make_date(int year, unsigned month, unsigned day);

/// The times found in dossier data (domain.md §2): `yyyyMMddHHmmss` (checked first: the bulk of
/// the data); ISO 8601 `yyyy-MM-ddTHH:mm:ss` or `yyyy-MM-dd HH:mm:ss` with optional fractional
/// seconds (dropped) and optional `Z`/`±hh:mm` offset (converted to UTC+7); `dd/MM/yyyy
/// HH:mm:ss` and `dd/MM/yyyy` (midnight). No offset means Vietnam time. The error names the
/// value: `not a date: "2025-13-40"`.
Result<Moment> parse_data_moment(std::string_view text);

/// What a person types on the command line: everything parse_data_moment accepts, plus
/// `yyyy-MM-dd` and `yyyy-MM-ddTHH:mm` (or with a space instead of `T`).
Result<Moment> parse_user_moment(std::string_view text);

/// `yyyy-MM-dd`.
Result<Date> parse_date(std::string_view text);

/// `HH:MM` as a time of day, 00:00 to 24:00 (24:00: the end of the day, for a session end);
/// nothing when it is not one.
std::optional<Duration> parse_hhmm(std::string_view text);

/// Saturday or Sunday.
inline bool is_weekend(Date d) {
  const std::chrono::weekday w{d};
  return w == std::chrono::Saturday || w == std::chrono::Sunday;
}

/// `2026-05-04T09:00:00+07:00`.
std::string format_iso(Moment m);
/// `2026-05-04`.
std::string format_date(Date d);
/// `HH:MM` of a time of day (an offset from midnight).
std::string format_hhmm(Duration time_of_day);
/// `yyyyMMddHHmmss`, the MC data format.
std::string format_compact(Moment m);
/// Appends format_compact(m) to `out`, allocating nothing more.
void append_compact(std::string& out, Moment m);

/// Seconds into the day of a moment, and the day it falls on.
/// Unix seconds (UTC) as a Vietnam-time moment, and back.
inline Moment from_unix(std::int64_t unix_seconds) {
  return Moment{Duration{unix_seconds} + kVietnamUtcOffset};
}
inline std::int64_t to_unix(Moment m) {
  return (m.time_since_epoch() - kVietnamUtcOffset).count();
}

/// Midnight of the first day of the month of `m`.
Moment first_of_month(Moment m);
/// Midnight of the first day of the month `months` after (or before) the month of `m`.
Moment add_months(Moment m, int months);

inline Date day_of(Moment m) {
  return std::chrono::floor<std::chrono::days>(m);
}
inline Duration time_of_day(Moment m) {
  return m - day_of(m);
}

/// Working time as `1wd 2h30m` style text (a working day of `day_length`), for people.
std::string format_working(Duration d, Duration day_length);

}  // namespace tthc
