#pragma once
// Report periods (domain.md §6.1, §8.8): [S, E) with E exclusive. By default a calendar month;
// with a start day D > 1 (some offices use the 15th), the period labelled month M runs from D of
// the month before M to D of M: the period whose last day falls in M.

#include "base/result.hpp"
#include "domain/time.hpp"

#include <string>
#include <string_view>

namespace tthc::reports {

inline constexpr int kMaxPeriodStartDay = 28;  ///< every month has the day

struct Period {
  int year = 0;
  unsigned month = 0;  ///< the month the period is labelled with (its last day's month)
  int start_day = 1;
  Moment start{};  ///< S, inclusive
  Moment end{};    ///< E, exclusive

  /// "2025-03".
  std::string label() const;
  /// The last day of the period (E − 1 day).
  Date last_day() const { return day_of(end) - std::chrono::days{1}; }
  friend bool operator==(const Period&, const Period&) = default;
};

/// The period labelled year-month; `start_day` in 1..28.
Period period_of(int year, unsigned month, int start_day);
/// "2025-03" → its period; the error names the value.
Result<Period> parse_period(std::string_view month, int start_day);
/// The period containing `m` (S <= m < E).
Period period_containing(Moment m, int start_day);
/// The period just before `p`, and just after.
Period previous(const Period& p);
Period next(const Period& p);

}  // namespace tthc::reports
