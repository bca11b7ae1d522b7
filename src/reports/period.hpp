#pragma once
// Report periods (domain.md §6.1, §8.8): [S, E) with E exclusive. By default a calendar month;
// with a start day D > 1 (some offices use the 15th), the period labelled month M runs from D of
// the month before M to D of M: the period whose last day falls in M.
//
// A longer period — a quarter, a half-year, a year, a range of months or of years — is a span of
// whole months under the same cut-off: from S of its first month's period to E of its last
// month's. With D = 15 the third quarter of 2025 runs from 15/06 to 14/09 and the year 2025 from
// 15/12/2024 to 14/12/2025. Its reports follow the month's rules over [S, E), so its received and
// resolved are those of its months added up, its carried-over its first month's and its pending
// its last month's.

#include "base/result.hpp"
#include "domain/time.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::reports {

inline constexpr int kMaxPeriodStartDay = 28;  ///< every month has the day

enum class PeriodKind : std::uint8_t { Month, Quarter, HalfYear, Year, MonthRange, YearRange };

/// "month", "quarter", "half_year", "year", "month_range", "year_range".
std::string_view to_string(PeriodKind k);

struct Period {
  int year = 0;
  unsigned month = 0;  ///< the period's last month (its last day's month); a month: the month
  int start_day = 1;
  Moment start{};  ///< S, inclusive
  Moment end{};    ///< E, exclusive
  PeriodKind kind = PeriodKind::Month;
  int first_year = 0;        ///< the first month; 0: the same as the last (a month)
  unsigned first_month = 0;  ///< 1..12; 0: the same as the last

  /// "2025-03", "2025-Q3", "2025-H1", "2025", "2025-01..2025-09", "2022..2025": also the name of
  /// the period's snapshot folder.
  std::string label() const;
  /// The last day of the period (E − 1 day).
  Date last_day() const { return day_of(end) - std::chrono::days{1}; }
  bool is_month() const { return kind == PeriodKind::Month; }
  /// The period of its first month, and of its last.
  Period first_month_period() const;
  Period last_month_period() const;
  /// Its months' periods, first to last (a month: itself).
  std::vector<Period> months() const;
  friend bool operator==(const Period&, const Period&) = default;
};

/// The period labelled year-month; `start_day` in 1..28.
Period period_of(int year, unsigned month, int start_day);
/// The quarter 1..4, the half 1..2, the year of `year`; `start_day` in 1..28.
Period quarter_of(int year, int quarter, int start_day);
Period half_year_of(int year, int half, int start_day);
Period year_period(int year, int start_day);
/// The months first..last (first not after last), the years first..last.
Period month_range(int first_year, unsigned first_month, int last_year, unsigned last_month,
                   int start_day);
Period year_range(int first_year, int last_year, int start_day);

/// "2025-03" → its period; the error names the value.
Result<Period> parse_period(std::string_view month, int start_day);
/// Any label: "2025-07", "2025-Q3", "2025-H1", "2025", "2025-01..2025-09", "2022..2025"; years
/// 2000–2100. The error names the value and what was expected.
Result<Period> parse_period_spec(std::string_view text, int start_day);
/// The month period containing `m` (S <= m < E).
Period period_containing(Moment m, int start_day);
/// The month, quarter, half-year or year containing `m` (a range kind: its month's).
Period period_containing(PeriodKind kind, Moment m, int start_day);
/// The period of the same kind and length just before `p`, and just after (a quarter: the
/// quarter before; a range: the range of as many months before it).
Period previous(const Period& p);
Period next(const Period& p);
/// The quarter, half-year and year (in that order) that end with the month `month`: the periods
/// that close when it closes.
std::vector<Period> periods_closing_with(const Period& month);

/// In the offices' Vietnamese: "tháng 07/2025", "Quý III năm 2025", "6 tháng đầu năm 2025",
/// "Năm 2025", "Từ tháng 01/2025 đến tháng 09/2025", "Từ năm 2022 đến năm 2025".
std::string period_name_vi(const Period& p);

}  // namespace tthc::reports
