#include "reports/period.hpp"

#include <cassert>
#include <charconv>
#include <cstdio>

namespace tthc::reports {

namespace {

using std::chrono::months;
using std::chrono::year_month;

Moment day_moment(year_month ym, int day) {
  return Moment(Date(ym / std::chrono::day{static_cast<unsigned>(day)}));
}

}  // namespace

std::string Period::label() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", year % 10000, month % 100);
  return buf;
}

Period period_of(int year, unsigned month, int start_day) {
  assert(start_day >= 1 && start_day <= kMaxPeriodStartDay);
  const year_month ym{std::chrono::year{year}, std::chrono::month{month}};
  // The period whose last day is in `ym`: E is D of the month after when D = 1, else D of ym.
  const year_month end_month = start_day == 1 ? ym + months{1} : ym;
  Period p;
  p.year = year;
  p.month = month;
  p.start_day = start_day;
  p.end = day_moment(end_month, start_day);
  p.start = day_moment(end_month - months{1}, start_day);
  return p;
}

Result<Period> parse_period(std::string_view text, int start_day) {
  int year = 0;
  unsigned month = 0;
  const char* end = text.data() + text.size();
  const auto y = std::from_chars(text.data(), end, year);
  bool ok = text.size() == 7 && y.ptr == text.data() + 4 && *y.ptr == '-';
  if (ok) ok = std::from_chars(y.ptr + 1, end, month).ptr == end;
  if (!ok || year < 2000 || year > 2100 || month < 1 || month > 12) {
    return Error{"not a month: \"" + std::string(text) + "\" (expected YYYY-MM, 2000-2100)"};
  }
  if (start_day < 1 || start_day > kMaxPeriodStartDay) {
    return Error{"period start day " + std::to_string(start_day) + " is not in 1-28"};
  }
  return period_of(year, month, start_day);
}

Period period_containing(Moment m, int start_day) {
  const std::chrono::year_month_day ymd{day_of(m)};
  Period p = period_of(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), start_day);
  if (m >= p.end) return next(p);
  if (m < p.start) return previous(p);
  return p;
}

Period previous(const Period& p) {
  const auto ym = year_month{std::chrono::year{p.year}, std::chrono::month{p.month}} - months{1};
  return period_of(static_cast<int>(ym.year()), static_cast<unsigned>(ym.month()), p.start_day);
}

Period next(const Period& p) {
  const auto ym = year_month{std::chrono::year{p.year}, std::chrono::month{p.month}} + months{1};
  return period_of(static_cast<int>(ym.year()), static_cast<unsigned>(ym.month()), p.start_day);
}

}  // namespace tthc::reports
