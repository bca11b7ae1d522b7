// Report periods: every kind's label, bounds under both cut-offs, its months, the periods before
// and after, the Vietnamese names, and the parsing errors naming the value.
#include "reports/period.hpp"

#include "support/moments.hpp"

#include <gtest/gtest.h>

namespace tthc::reports {
namespace {

using test::at;

Period spec(std::string_view text, int start_day = 1) {
  return parse_period_spec(text, start_day).value();
}

TEST(PeriodSpec, EveryKindParsesToItsLabelAndCalendarBounds) {
  struct Case {
    const char* text;
    PeriodKind kind;
    Moment start, end;
    std::size_t months;
  };
  const Case cases[] = {
      {"2025-07", PeriodKind::Month, at(2025, 7, 1), at(2025, 8, 1), 1},
      {"2025-Q3", PeriodKind::Quarter, at(2025, 7, 1), at(2025, 10, 1), 3},
      {"2025-Q1", PeriodKind::Quarter, at(2025, 1, 1), at(2025, 4, 1), 3},
      {"2025-H1", PeriodKind::HalfYear, at(2025, 1, 1), at(2025, 7, 1), 6},
      {"2025-H2", PeriodKind::HalfYear, at(2025, 7, 1), at(2026, 1, 1), 6},
      {"2025", PeriodKind::Year, at(2025, 1, 1), at(2026, 1, 1), 12},
      {"2025-01..2025-09", PeriodKind::MonthRange, at(2025, 1, 1), at(2025, 10, 1), 9},
      {"2024-11..2025-02", PeriodKind::MonthRange, at(2024, 11, 1), at(2025, 3, 1), 4},
      {"2022..2025", PeriodKind::YearRange, at(2022, 1, 1), at(2026, 1, 1), 48},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const Period p = spec(c.text);
    EXPECT_EQ(p.kind, c.kind);
    EXPECT_EQ(p.label(), c.text);
    EXPECT_EQ(p.start, c.start);
    EXPECT_EQ(p.end, c.end);
    const std::vector<Period> months = p.months();
    ASSERT_EQ(months.size(), c.months);
    EXPECT_EQ(months.front().start, p.start);
    EXPECT_EQ(months.back().end, p.end);
    for (std::size_t i = 1; i < months.size(); ++i) EXPECT_EQ(months[i].start, months[i - 1].end);
    EXPECT_EQ(spec(p.label()), p);  // the label reads back as the period
  }
}

// From D of the month before: a quarter from D of the month before it to D−1 of its last month,
// a year from D/12 to (D−1)/12.
TEST(PeriodSpec, AStartDayMovesEveryBoundToThatDay) {
  EXPECT_EQ(spec("2025-Q3", 15).start, at(2025, 6, 15));
  EXPECT_EQ(spec("2025-Q3", 15).end, at(2025, 9, 15));
  EXPECT_EQ(spec("2025-Q3", 15).last_day(), make_date(2025, 9, 14));
  EXPECT_EQ(spec("2025-Q1", 15).start, at(2024, 12, 15));
  EXPECT_EQ(spec("2025-H2", 15).start, at(2025, 6, 15));
  EXPECT_EQ(spec("2025-H2", 15).end, at(2025, 12, 15));
  EXPECT_EQ(spec("2025", 15).start, at(2024, 12, 15));
  EXPECT_EQ(spec("2025", 15).last_day(), make_date(2025, 12, 14));
  EXPECT_EQ(spec("2025-01..2025-09", 15).start, at(2024, 12, 15));
  EXPECT_EQ(spec("2025-01..2025-09", 15).end, at(2025, 9, 15));
  EXPECT_EQ(spec("2022..2025", 15).start, at(2021, 12, 15));
  EXPECT_EQ(year_period(2025, 15), spec("2025", 15));
  EXPECT_EQ(quarter_of(2025, 3, 15), spec("2025-Q3", 15));
  // A month read either way is the same period as before.
  EXPECT_EQ(spec("2025-07", 15), period_of(2025, 7, 15));
  EXPECT_EQ(parse_period("2025-07", 15).value(), period_of(2025, 7, 15));
  EXPECT_TRUE(spec("2025-07").is_month());
  EXPECT_EQ(spec("2025", 15).first_month_period(), period_of(2025, 1, 15));
  EXPECT_EQ(spec("2025", 15).last_month_period(), period_of(2025, 12, 15));
}

TEST(PeriodSpec, BeforeAndAfterAreOfTheSameKindAndLength) {
  EXPECT_EQ(previous(spec("2025-Q1")).label(), "2024-Q4");
  EXPECT_EQ(next(spec("2025-Q4")).label(), "2026-Q1");
  EXPECT_EQ(previous(spec("2025-H1")).label(), "2024-H2");
  EXPECT_EQ(previous(spec("2025")).label(), "2024");
  EXPECT_EQ(previous(spec("2022..2025")).label(), "2018..2021");
  EXPECT_EQ(next(spec("2025-01..2025-09")).label(), "2025-10..2026-06");
  EXPECT_EQ(previous(spec("2025-01", 15)), period_of(2024, 12, 15));
  EXPECT_EQ(period_containing(PeriodKind::Quarter, at(2025, 9, 20), 15).label(), "2025-Q4");
  EXPECT_EQ(period_containing(PeriodKind::Quarter, at(2025, 9, 20), 1).label(), "2025-Q3");
  EXPECT_EQ(period_containing(PeriodKind::Year, at(2025, 12, 20), 15).label(), "2026");
  EXPECT_EQ(period_containing(PeriodKind::HalfYear, at(2025, 6, 30), 1).label(), "2025-H1");
}

TEST(PeriodSpec, TheQuarterHalfAndYearCloseWithTheirLastMonth) {
  const auto labels = [](int month) {
    std::vector<std::string> out;
    for (const Period& p : periods_closing_with(period_of(2025, static_cast<unsigned>(month), 15)))
      out.push_back(p.label());
    return out;
  };
  EXPECT_TRUE(labels(5).empty());
  EXPECT_EQ(labels(3), (std::vector<std::string>{"2025-Q1"}));
  EXPECT_EQ(labels(6), (std::vector<std::string>{"2025-Q2", "2025-H1"}));
  EXPECT_EQ(labels(12), (std::vector<std::string>{"2025-Q4", "2025-H2", "2025"}));
  EXPECT_EQ(periods_closing_with(period_of(2025, 12, 15)).back().end, period_of(2025, 12, 15).end);
}

TEST(PeriodSpec, TheVietnameseNamesAreTheOffices) {
  EXPECT_EQ(period_name_vi(spec("2025-Q3")), "Quý III năm 2025");
  EXPECT_EQ(period_name_vi(spec("2025-Q4")), "Quý IV năm 2025");
  EXPECT_EQ(period_name_vi(spec("2025-H1")), "6 tháng đầu năm 2025");
  EXPECT_EQ(period_name_vi(spec("2025-H2")), "6 tháng cuối năm 2025");
  EXPECT_EQ(period_name_vi(spec("2025")), "Năm 2025");
  EXPECT_EQ(period_name_vi(spec("2025-01..2025-09")), "Từ tháng 01/2025 đến tháng 09/2025");
  EXPECT_EQ(period_name_vi(spec("2022..2025")), "Từ năm 2022 đến năm 2025");
  EXPECT_EQ(period_name_vi(spec("2025-07")), "tháng 07/2025");
}

TEST(PeriodSpec, ABadSpecIsRefusedNamingTheValue) {
  for (const char* bad : {"", "2025-13", "2025-Q5", "2025-Q0", "2025-H3", "2025-q3", "1999", "2101",
                          "25", "2025-7", "2025-09..2025-01", "2025..2022", "2025..", "..2025",
                          "2025-01..2026", "2025-Q1..2025-Q2", "2025-07 ", "abcd"}) {
    SCOPED_TRACE(bad);
    const auto p = parse_period_spec(bad, 1);
    ASSERT_FALSE(p);
    EXPECT_NE(p.error().message.find("not a period: \"" + std::string(bad) + "\""),
              std::string::npos)
        << p.error().message;
    EXPECT_NE(p.error().message.find("2025-Q3"), std::string::npos);  // says what is expected
  }
  const auto day = parse_period_spec("2025-Q3", 29);
  ASSERT_FALSE(day);
  EXPECT_EQ(day.error().message, "period start day 29 is not in 1-28");
}

}  // namespace
}  // namespace tthc::reports
