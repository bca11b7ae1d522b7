#pragma once
// A year's table of days off and make-up working Saturdays, from the official notice or, for a
// year with no notice yet, derived from the Labour Code 2019 art. 112 (a provisional table).

#include "base/result.hpp"
#include "domain/time.hpp"

#include <string>
#include <vector>

namespace tthc::calendar {

struct HolidayTable {
  int year = 0;
  std::vector<Date> days_off;           ///< Monday–Friday dates that are off, sorted
  std::vector<Date> working_saturdays;  ///< Saturdays worked (làm bù), sorted
  bool provisional = false;             ///< derived from the law, no notice loaded
  std::string source;                   ///< the notice, or how the table was derived
};

/// Checks a table read from a file: every date in `year`, days off on Monday–Friday, working
/// Saturdays on Saturdays, no date in both lists. Sorts and removes duplicates.
Result<HolidayTable> validate_table(HolidayTable table);

/// The public holidays of the Labour Code 2019 art. 112 for `year`, in date order, whatever
/// day of the week they fall on (Tết: the last day of the lunar year and lunar 1–4/1).
std::vector<Date> statutory_days(int year);

/// The provisional table: statutory weekdays off, plus one compensatory day for each statutory
/// day on a weekend (in date order, the first Monday–Friday after it that is neither statutory
/// nor already given); no working Saturdays.
HolidayTable provisional_table(int year);

}  // namespace tthc::calendar
