#include "calendar/lunar.hpp"

#include <cmath>
#include <numbers>

// Hồ Ngọc Đức's algorithm works on Julian day numbers (JDN, the integer day count used by
// astronomers); every function below keeps his structure and names in snake_case so it can be
// checked line by line against the published JavaScript.

namespace tthc::calendar {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;
// JDN of 1970-01-01, to move between sys_days and Julian day numbers.
constexpr int kUnixEpochJdn = 2440588;
// Mean length of a lunation in days.
constexpr double kSynodicMonth = 29.530588853;
// Julian date of the new moon number k = 0 (1900-01-01 13:51 UTC), the origin of k.
constexpr double kNewMoonEpoch = 2415021.076998695;
// Sun-longitude sector (30° each, counted from the March equinox) holding the winter solstice.
constexpr int kWinterSolsticeSector = 9;

int floor_to_int(double x) {
  return static_cast<int>(std::floor(x));
}

int jdn_from_date(year_month_day date) {
  return static_cast<int>(sys_days{date}.time_since_epoch().count()) + kUnixEpochJdn;
}

year_month_day date_from_jdn(int jdn) {
  return year_month_day{sys_days{days{jdn - kUnixEpochJdn}}};
}

year_month_day invalid_date() {
  return year_month_day{std::chrono::year{0}, std::chrono::month{0}, std::chrono::day{0}};
}

// The local day (JDN) of the k-th new moon after kNewMoonEpoch, from Meeus' "Astronomical
// Algorithms" (1998) truncated to the terms that matter at day resolution.
int new_moon_day(int k, double time_zone) {
  const double kk = static_cast<double>(k);
  const double t = kk / 1236.85;  // Julian centuries since 1900-01-01
  const double t2 = t * t;
  const double t3 = t2 * t;
  double jd1 = 2415020.75933 + 29.53058868 * kk + 0.0001178 * t2 - 0.000000155 * t3;
  jd1 += 0.00033 * std::sin((166.56 + 132.87 * t - 0.009173 * t2) * kRadiansPerDegree);
  // Mean anomalies of the sun (m) and moon (mpr), and the moon's argument of latitude (f).
  const double m =
      (359.2242 + 29.10535608 * kk - 0.0000333 * t2 - 0.00000347 * t3) * kRadiansPerDegree;
  const double mpr =
      (306.0253 + 385.81691806 * kk + 0.0107306 * t2 + 0.00001236 * t3) * kRadiansPerDegree;
  const double f =
      (21.2964 + 390.67050646 * kk - 0.0016528 * t2 - 0.00000239 * t3) * kRadiansPerDegree;
  double c1 = (0.1734 - 0.000393 * t) * std::sin(m) + 0.0021 * std::sin(2 * m);
  c1 = c1 - 0.4068 * std::sin(mpr) + 0.0161 * std::sin(2 * mpr);
  c1 = c1 - 0.0004 * std::sin(3 * mpr);
  c1 = c1 + 0.0104 * std::sin(2 * f) - 0.0051 * std::sin(m + mpr);
  c1 = c1 - 0.0074 * std::sin(m - mpr) + 0.0004 * std::sin(2 * f + m);
  c1 = c1 - 0.0004 * std::sin(2 * f - m) - 0.0006 * std::sin(2 * f + mpr);
  c1 = c1 + 0.0010 * std::sin(2 * f - mpr) + 0.0005 * std::sin(2 * mpr + m);
  // ΔT (TT − UT) in days: the new moon is computed in dynamical time, the calendar runs on UT.
  double delta_t = 0.0;
  if (t < -11) {
    delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3;
  } else {
    delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2;
  }
  const double jd_new = jd1 + c1 - delta_t;
  // + 0.5 because a Julian date starts at noon; the time zone decides which local day it is.
  return floor_to_int(jd_new + 0.5 + time_zone / 24.0);
}

// Which 30° sector (0..11) the sun's apparent longitude is in at the start of local day `jdn`.
// Sector boundaries are the major solar terms (trung khí); sector 9 starts at the winter solstice.
int sun_longitude_sector(int jdn, double time_zone) {
  // Julian centuries since J2000.0, measured from local midnight.
  const double t = (static_cast<double>(jdn) - 2451545.5 - time_zone / 24.0) / 36525.0;
  const double t2 = t * t;
  const double m =
      (357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2) * kRadiansPerDegree;
  const double l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  double dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * std::sin(m);
  dl += (0.019993 - 0.000101 * t) * std::sin(2 * m) + 0.000290 * std::sin(3 * m);
  constexpr double kTwoPi = 2.0 * std::numbers::pi;
  double l = (l0 + dl) * kRadiansPerDegree;
  l -= kTwoPi * std::floor(l / kTwoPi);  // normalise to [0, 2π)
  return floor_to_int(l / std::numbers::pi * 6.0);
}

// JDN of the first day of lunar month 11 of `year`: the last new moon on or before the winter
// solstice of that year (month 11 is the month holding the solstice).
int lunar_month_11(int year, double time_zone) {
  const int dec31 = jdn_from_date(
      year_month_day{std::chrono::year{year}, std::chrono::December, std::chrono::day{31}});
  const int k = floor_to_int(static_cast<double>(dec31 - 2415021) / kSynodicMonth);
  const int nm = new_moon_day(k, time_zone);
  // A new moon after the solstice (sun already in sector 9) opens month 12, so take the previous.
  if (sun_longitude_sector(nm, time_zone) >= kWinterSolsticeSector) {
    return new_moon_day(k - 1, time_zone);
  }
  return nm;
}

// In a 13-month year starting at month 11 (JDN `a11`), how many months after month 11 the leap
// month is: the first month whose span holds no major solar term, i.e. the sun stays in the
// same sector from its first day to the first day of the next month.
int leap_month_offset(int a11, double time_zone) {
  const int k = floor_to_int((static_cast<double>(a11) - kNewMoonEpoch) / kSynodicMonth + 0.5);
  int i = 1;
  int arc = sun_longitude_sector(new_moon_day(k + i, time_zone), time_zone);
  int last = 0;
  do {
    last = arc;
    ++i;
    arc = sun_longitude_sector(new_moon_day(k + i, time_zone), time_zone);
  } while (arc != last && i < 14);
  return i - 1;
}

}  // namespace

LunarDate solar_to_lunar(year_month_day date, double time_zone) {
  if (!date.ok()) return {};
  const int day_number = jdn_from_date(date);
  const int solar_year = static_cast<int>(date.year());

  // First day of the lunar month holding `date`.
  const int k = floor_to_int((static_cast<double>(day_number) - kNewMoonEpoch) / kSynodicMonth);
  int month_start = new_moon_day(k + 1, time_zone);
  if (month_start > day_number) month_start = new_moon_day(k, time_zone);

  // Bracket the date between two consecutive months 11 (a11 <= month_start < b11).
  int a11 = lunar_month_11(solar_year, time_zone);
  int b11 = a11;
  int lunar_year = 0;
  if (a11 >= month_start) {
    lunar_year = solar_year;
    a11 = lunar_month_11(solar_year - 1, time_zone);
  } else {
    lunar_year = solar_year + 1;
    b11 = lunar_month_11(solar_year + 1, time_zone);
  }

  LunarDate result;
  result.day = day_number - month_start + 1;
  // Months since month 11; every lunar month is 29 or 30 days, so dividing by 29 counts them.
  const int diff = (month_start - a11) / 29;
  result.month = diff + 11;
  // More than 365 days between months 11 means 13 months: one of them is the leap month.
  if (b11 - a11 > 365) {
    const int leap_diff = leap_month_offset(a11, time_zone);
    if (diff >= leap_diff) {
      result.month = diff + 10;
      result.leap = diff == leap_diff;
    }
  }
  if (result.month > 12) result.month -= 12;
  // Months 11 and 12 near a11 still belong to the previous lunar year (Tết comes after them).
  if (result.month >= 11 && diff < 4) lunar_year -= 1;
  result.year = lunar_year;
  return result;
}

year_month_day lunar_to_solar(const LunarDate& date, double time_zone) {
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > 30) return invalid_date();

  // Months 11 and 12 of lunar year Y start after month 11 of solar year Y; the others after
  // month 11 of Y − 1.
  int a11 = 0;
  int b11 = 0;
  if (date.month < 11) {
    a11 = lunar_month_11(date.year - 1, time_zone);
    b11 = lunar_month_11(date.year, time_zone);
  } else {
    a11 = lunar_month_11(date.year, time_zone);
    b11 = lunar_month_11(date.year + 1, time_zone);
  }
  const int k = floor_to_int(0.5 + (static_cast<double>(a11) - kNewMoonEpoch) / kSynodicMonth);
  int off = date.month - 11;
  if (off < 0) off += 12;

  if (b11 - a11 > 365) {
    const int leap_off = leap_month_offset(a11, time_zone);
    int leap_month = leap_off - 2;
    if (leap_month < 0) leap_month += 12;
    if (date.leap && date.month != leap_month) return invalid_date();
    // The leap month follows the regular month of the same number, shifting every later month.
    if (date.leap || off >= leap_off) off += 1;
  } else if (date.leap) {
    return invalid_date();  // a 12-month year has no leap month
  }

  const int month_start = new_moon_day(k + off, time_zone);
  const int day_number = month_start + date.day - 1;
  // Day 30 of a 29-day month does not exist; it would silently be day 1 of the next month.
  if (day_number >= new_moon_day(k + off + 1, time_zone)) return invalid_date();
  return date_from_jdn(day_number);
}

year_month_day tet(int year, double time_zone) {
  return lunar_to_solar(LunarDate{year, 1, 1, false}, time_zone);
}

year_month_day gio_to(int year, double time_zone) {
  return lunar_to_solar(LunarDate{year, 3, 10, false}, time_zone);
}

}  // namespace tthc::calendar
