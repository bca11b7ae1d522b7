#include "calendar/holiday_table.hpp"

#include "calendar/lunar.hpp"

#include <algorithm>

namespace tthc::calendar {

namespace {

using std::chrono::days;
using std::chrono::Monday;
using std::chrono::Saturday;
using std::chrono::weekday;

void sort_unique(std::vector<Date>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

int year_of(Date d) {
  return static_cast<int>(std::chrono::year_month_day{d}.year());
}

}  // namespace

Result<HolidayTable> validate_table(HolidayTable t) {
  const std::string where = "holidays " + std::to_string(t.year) + ": ";
  if (t.year < 1900 || t.year > 2199) {
    return Error{where + "year out of range: " + std::to_string(t.year)};
  }
  sort_unique(t.days_off);
  sort_unique(t.working_saturdays);
  for (const Date d : t.days_off) {
    if (year_of(d) != t.year) {
      return Error{where + "days_off: " + format_date(d) + " is not in " + std::to_string(t.year)};
    }
    if (is_weekend(d)) {
      return Error{where + "days_off: " + format_date(d) +
                   " is a weekend day; list only Monday–Friday days off"};
    }
  }
  for (const Date d : t.working_saturdays) {
    if (year_of(d) != t.year) {
      return Error{where + "working_saturdays: " + format_date(d) + " is not in " +
                   std::to_string(t.year)};
    }
    if (weekday{d} != Saturday) {
      return Error{where + "working_saturdays: " + format_date(d) + " is not a Saturday"};
    }
  }
  return t;
}

std::vector<Date> statutory_days(int year) {
  std::vector<Date> out;
  out.push_back(make_date(year, 1, 1));
  const Date tet_day = Date{tet(year)};
  for (int i = -1; i <= 3; ++i) out.push_back(tet_day + days{i});
  out.push_back(Date{gio_to(year)});
  out.push_back(make_date(year, 4, 30));
  out.push_back(make_date(year, 5, 1));
  const Date national_day = make_date(year, 9, 2);
  out.push_back(national_day);
  out.push_back(weekday{national_day} == Monday ? national_day + days{1} : national_day - days{1});
  if (year >= 2026) out.push_back(make_date(year, 11, 24));  // Ngày Văn hóa Việt Nam
  sort_unique(out);
  return out;
}

HolidayTable provisional_table(int year) {
  HolidayTable t;
  t.year = year;
  t.provisional = true;
  t.source = "provisional: Labour Code 2019 art. 112, no official notice loaded";
  const std::vector<Date> statutory = statutory_days(year);
  auto taken = [&](Date d) {
    return std::binary_search(statutory.begin(), statutory.end(), d) ||
           std::find(t.days_off.begin(), t.days_off.end(), d) != t.days_off.end();
  };
  for (const Date d : statutory) {
    if (!is_weekend(d)) t.days_off.push_back(d);
  }
  for (const Date d : statutory) {
    if (!is_weekend(d)) continue;
    Date c = d + days{1};
    while (is_weekend(c) || taken(c)) c += days{1};
    t.days_off.push_back(c);
  }
  // A compensatory day can fall in January of the next year (a Saturday 31/12 is not
  // statutory today, but keep the table to its own year whatever the law becomes).
  std::erase_if(t.days_off, [&](Date d) { return year_of(d) != year; });
  sort_unique(t.days_off);
  return t;
}

}  // namespace tthc::calendar
