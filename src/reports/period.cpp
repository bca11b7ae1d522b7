#include "reports/period.hpp"

#include <cassert>
#include <charconv>
#include <cstdio>
#include <optional>
#include <utility>

namespace tthc::reports {

namespace {

using std::chrono::months;
using std::chrono::year_month;

Moment day_moment(year_month ym, int day) {
  return Moment(Date(ym / std::chrono::day{static_cast<unsigned>(day)}));
}

// Months counted from year 0: a span's arithmetic without year_month's casts.
int month_index(int year, unsigned month) {
  return year * 12 + static_cast<int>(month) - 1;
}

std::pair<int, unsigned> from_index(int index) {
  return {index / 12, static_cast<unsigned>(index % 12 + 1)};
}

std::string month_label(int year, unsigned month) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", year % 10000, month % 100);
  return buf;
}

// The span of months [first, last] of a kind, from S of the first to E of the last.
Period span(PeriodKind kind, int first, int last, int start_day) {
  assert(first <= last);
  const auto [fy, fm] = from_index(first);
  const auto [ly, lm] = from_index(last);
  Period p = period_of(ly, lm, start_day);
  p.kind = kind;
  p.first_year = fy;
  p.first_month = fm;
  p.start = period_of(fy, fm, start_day).start;
  return p;
}

// "2025": a year of 2000–2100, exactly four digits.
std::optional<int> parse_year(std::string_view text) {
  int year = 0;
  const char* end = text.data() + text.size();
  if (text.size() != 4 || std::from_chars(text.data(), end, year).ptr != end) return std::nullopt;
  if (year < 2000 || year > 2100) return std::nullopt;
  return year;
}

// "2025-03", "2025-Q3", "2025-H1": the year and what follows the dash.
std::optional<std::pair<int, std::string_view>> parse_year_dash(std::string_view text) {
  if (text.size() < 6 || text[4] != '-') return std::nullopt;
  const auto year = parse_year(text.substr(0, 4));
  if (!year) return std::nullopt;
  return std::pair{*year, text.substr(5)};
}

std::optional<int> parse_month_index(std::string_view text) {
  const auto yd = parse_year_dash(text);
  unsigned month = 0;
  if (!yd || yd->second.size() != 2) return std::nullopt;
  const char* end = yd->second.data() + 2;
  if (std::from_chars(yd->second.data(), end, month).ptr != end) return std::nullopt;
  if (month < 1 || month > 12) return std::nullopt;
  return month_index(yd->first, month);
}

// A quarter ("Q1".."Q4") or a half ("H1", "H2") of a year.
std::optional<Period> parse_part(std::string_view text, int start_day) {
  const auto yd = parse_year_dash(text);
  if (!yd || yd->second.size() != 2) return std::nullopt;
  const char letter = yd->second[0];
  const int n = yd->second[1] - '0';
  if (letter == 'Q' && n >= 1 && n <= 4) return quarter_of(yd->first, n, start_day);
  if (letter == 'H' && n >= 1 && n <= 2) return half_year_of(yd->first, n, start_day);
  return std::nullopt;
}

// "2025-01..2025-09" or "2022..2025", first not after last.
std::optional<Period> parse_range(std::string_view text, int start_day) {
  const std::size_t dots = text.find("..");
  if (dots == std::string_view::npos) return std::nullopt;
  const std::string_view a = text.substr(0, dots), b = text.substr(dots + 2);
  if (const auto fy = parse_year(a), ly = parse_year(b); fy && ly && *fy <= *ly) {
    return year_range(*fy, *ly, start_day);
  }
  if (const auto f = parse_month_index(a), l = parse_month_index(b); f && l && *f <= *l) {
    return span(PeriodKind::MonthRange, *f, *l, start_day);
  }
  return std::nullopt;
}

std::optional<Error> check_start_day(int start_day) {
  if (start_day < 1 || start_day > kMaxPeriodStartDay) {
    return Error{"period start day " + std::to_string(start_day) + " is not in 1-28"};
  }
  return std::nullopt;
}

const char* const kRoman[] = {"I", "II", "III", "IV"};

}  // namespace

std::string_view to_string(PeriodKind k) {
  switch (k) {
    case PeriodKind::Month: return "month";
    case PeriodKind::Quarter: return "quarter";
    case PeriodKind::HalfYear: return "half_year";
    case PeriodKind::Year: return "year";
    case PeriodKind::MonthRange: return "month_range";
    case PeriodKind::YearRange: return "year_range";
  }
  return "month";
}

std::string Period::label() const {
  const Period first = first_month_period();
  switch (kind) {
    case PeriodKind::Month: break;
    case PeriodKind::Quarter: return std::to_string(year) + "-Q" + std::to_string((month + 2) / 3);
    case PeriodKind::HalfYear: return std::to_string(year) + "-H" + std::to_string((month + 5) / 6);
    case PeriodKind::Year: return std::to_string(year);
    case PeriodKind::MonthRange:
      return month_label(first.year, first.month) + ".." + month_label(year, month);
    case PeriodKind::YearRange: return std::to_string(first.year) + ".." + std::to_string(year);
  }
  return month_label(year, month);
}

Period Period::first_month_period() const {
  if (first_month == 0) return period_of(year, month, start_day);
  return period_of(first_year, first_month, start_day);
}

Period Period::last_month_period() const {
  return period_of(year, month, start_day);
}

std::vector<Period> Period::months() const {
  std::vector<Period> out;
  for (Period p = first_month_period();; p = next(p)) {
    out.push_back(p);
    if (p.year == year && p.month == month) return out;
  }
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
  p.first_year = year;
  p.first_month = month;
  return p;
}

Period quarter_of(int year, int quarter, int start_day) {
  assert(quarter >= 1 && quarter <= 4);
  const int last = month_index(year, static_cast<unsigned>(quarter * 3));
  return span(PeriodKind::Quarter, last - 2, last, start_day);
}

Period half_year_of(int year, int half, int start_day) {
  assert(half >= 1 && half <= 2);
  const int last = month_index(year, static_cast<unsigned>(half * 6));
  return span(PeriodKind::HalfYear, last - 5, last, start_day);
}

Period year_period(int year, int start_day) {
  return span(PeriodKind::Year, month_index(year, 1), month_index(year, 12), start_day);
}

Period month_range(int first_year, unsigned first_month, int last_year, unsigned last_month,
                   int start_day) {
  return span(PeriodKind::MonthRange, month_index(first_year, first_month),
              month_index(last_year, last_month), start_day);
}

Period year_range(int first_year, int last_year, int start_day) {
  return span(PeriodKind::YearRange, month_index(first_year, 1), month_index(last_year, 12),
              start_day);
}

Result<Period> parse_period(std::string_view text, int start_day) {
  const auto index = parse_month_index(text);
  if (!index || text.size() != 7) {
    return Error{"not a month: \"" + std::string(text) + "\" (expected YYYY-MM, 2000-2100)"};
  }
  TTHC_TRY_VOID(check_start_day(start_day));
  const auto [year, month] = from_index(*index);
  return period_of(year, month, start_day);
}

Result<Period> parse_period_spec(std::string_view text, int start_day) {
  TTHC_TRY_VOID(check_start_day(start_day));
  if (const auto index = parse_month_index(text); index && text.size() == 7) {
    const auto [year, month] = from_index(*index);
    return period_of(year, month, start_day);
  }
  if (const auto year = parse_year(text)) return year_period(*year, start_day);
  if (auto p = parse_part(text, start_day)) return *p;
  if (auto p = parse_range(text, start_day)) return *p;
  return Error{"not a period: \"" + std::string(text) +
               "\" (expected a month 2025-07, a quarter 2025-Q3, a half-year 2025-H1, a year "
               "2025, months 2025-01..2025-09 or years 2022..2025; years 2000-2100, the first "
               "not after the last)"};
}

Period period_containing(Moment m, int start_day) {
  const std::chrono::year_month_day ymd{day_of(m)};
  Period p = period_of(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), start_day);
  if (m >= p.end) return next(p);
  if (m < p.start) return previous(p);
  return p;
}

Period period_containing(PeriodKind kind, Moment m, int start_day) {
  const Period month = period_containing(m, start_day);
  const int n = static_cast<int>(month.month);
  switch (kind) {
    case PeriodKind::Quarter: return quarter_of(month.year, (n + 2) / 3, start_day);
    case PeriodKind::HalfYear: return half_year_of(month.year, (n + 5) / 6, start_day);
    case PeriodKind::Year: return year_period(month.year, start_day);
    default: return month;
  }
}

namespace {

// The period of the same kind shifted by `count` of its own lengths.
Period shifted(const Period& p, int count) {
  const Period first = p.first_month_period();
  const int f = month_index(first.year, first.month), l = month_index(p.year, p.month);
  const int by = (l - f + 1) * count;
  if (p.kind == PeriodKind::Month) {
    const auto [y, m] = from_index(l + by);
    return period_of(y, m, p.start_day);
  }
  return span(p.kind, f + by, l + by, p.start_day);
}

}  // namespace

Period previous(const Period& p) {
  return shifted(p, -1);
}

Period next(const Period& p) {
  return shifted(p, 1);
}

std::vector<Period> periods_closing_with(const Period& month) {
  std::vector<Period> out;
  if (month.month % 3 == 0) {
    out.push_back(quarter_of(month.year, static_cast<int>(month.month / 3), month.start_day));
  }
  if (month.month % 6 == 0) {
    out.push_back(half_year_of(month.year, static_cast<int>(month.month / 6), month.start_day));
  }
  if (month.month == 12) out.push_back(year_period(month.year, month.start_day));
  return out;
}

std::string period_name_vi(const Period& p) {
  const Period first = p.first_month_period();
  const std::string year = std::to_string(p.year);
  const auto month_vi = [](const Period& m) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02u/%04d", m.month % 100, m.year % 10000);
    return std::string("tháng ") + buf;
  };
  switch (p.kind) {
    case PeriodKind::Month: break;
    case PeriodKind::Quarter:
      return std::string("Quý ") + kRoman[(p.month - 1) / 3] + " năm " + year;
    case PeriodKind::HalfYear:
      return std::string(p.month == 6 ? "6 tháng đầu" : "6 tháng cuối") + " năm " + year;
    case PeriodKind::Year: return "Năm " + year;
    case PeriodKind::MonthRange: return "Từ " + month_vi(first) + " đến " + month_vi(p);
    case PeriodKind::YearRange: return "Từ năm " + std::to_string(first.year) + " đến năm " + year;
  }
  return month_vi(p);
}

}  // namespace tthc::reports
