#pragma once
// The Vietnamese lunisolar calendar (âm lịch), computed with Hồ Ngọc Đức's published algorithm
// ("Thuật toán tính âm lịch", https://www.informatik.uni-leipzig.de/~duc/amlich/): new moons and
// the sun's longitude from simplified Meeus formulas, month 11 is the month holding the winter
// solstice, and in a year with 13 months the leap month is the first one without a major solar
// term. Only the time zone separates it from the Chinese calendar (UTC+8).
//
// Valid range: solar years 1800–2199 (lunar years 1800–2199). The astronomical approximations are
// accurate to minutes there; outside it the functions still return a date, never throw, but the
// result may be off by a day near a new moon or a solar term. All functions are pure and
// thread-safe; a call costs a few microseconds.

#include <chrono>

namespace tthc::calendar {

/// A date of the Vietnamese lunisolar calendar.
struct LunarDate {
  int year = 0;       ///< lunar year (the solar year in which its month 1 begins)
  int month = 0;      ///< 1..12
  int day = 0;        ///< 1..30
  bool leap = false;  ///< true for the leap (intercalary) month
  friend bool operator==(const LunarDate&, const LunarDate&) = default;
};

/// Vietnam's time zone, hours east of UTC. UTC+8 gives the Chinese calendar, which differs in
/// some years.
inline constexpr double kVietnamTimeZone = 7.0;

/// The lunar date of a solar (Gregorian) date. A !ok() `date` gives a default LunarDate (all 0).
LunarDate solar_to_lunar(std::chrono::year_month_day date, double time_zone = kVietnamTimeZone);

/// The solar date of a lunar date. Returns a !ok() year_month_day when the lunar date does not
/// exist (e.g. leap=true for a month that is not leap that year, day 30 of a 29-day month, month
/// or day out of range).
std::chrono::year_month_day lunar_to_solar(const LunarDate& date,
                                           double time_zone = kVietnamTimeZone);

/// Tết: lunar 1/1 of the lunar year that begins in solar `year`.
std::chrono::year_month_day tet(int year, double time_zone = kVietnamTimeZone);

/// Giỗ Tổ Hùng Vương: lunar 10/3 of lunar year `year`.
std::chrono::year_month_day gio_to(int year, double time_zone = kVietnamTimeZone);

}  // namespace tthc::calendar
