#include "calendar/holiday_table.hpp"

#include "calendar/lunar.hpp"
#include "config/settings.hpp"
#include "support/calendar.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace {

using namespace std::chrono;
using tthc::Date;
using tthc::format_date;
using tthc::make_date;
using tthc::calendar::HolidayTable;
using tthc::calendar::provisional_table;
using tthc::calendar::statutory_days;
using tthc::calendar::validate_table;

using Dates = std::vector<std::string>;

Dates iso(const std::vector<Date>& dates) {
  Dates out;
  for (const Date d : dates) out.push_back(format_date(d));
  return out;
}

// The table of domain.md §3, typed in from the spec (not from config/holidays).
struct SpecYear {
  Dates days_off;
  Dates working_saturdays;
};

const std::map<int, SpecYear>& spec_tables() {
  static const std::map<int, SpecYear> t = {
      {2021,
       {{"2021-01-01", "2021-02-10", "2021-02-11", "2021-02-12", "2021-02-15", "2021-02-16",
         "2021-04-21", "2021-04-30", "2021-05-03", "2021-09-02", "2021-09-03"},
        {}}},
      {2022,
       {{"2022-01-03", "2022-01-31", "2022-02-01", "2022-02-02", "2022-02-03", "2022-02-04",
         "2022-04-11", "2022-05-02", "2022-05-03", "2022-09-01", "2022-09-02"},
        {}}},
      {2023,
       {{"2023-01-02", "2023-01-20", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26",
         "2023-05-01", "2023-05-02", "2023-05-03", "2023-09-01", "2023-09-04"},
        {}}},
      {2024,
       {{"2024-01-01", "2024-02-08", "2024-02-09", "2024-02-12", "2024-02-13", "2024-02-14",
         "2024-04-18", "2024-04-29", "2024-04-30", "2024-05-01", "2024-09-02", "2024-09-03"},
        {"2024-05-04"}}},
      {2025,
       {{"2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
         "2025-04-07", "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02"},
        {"2025-04-26"}}},
      {2026,
       {{"2026-01-01", "2026-01-02", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
         "2026-02-20", "2026-04-27", "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01",
         "2026-09-02", "2026-11-24"},
        {"2026-01-10", "2026-08-22"}}},
  };
  return t;
}

bool is_weekend(Date d) {
  const weekday w{d};
  return w == Saturday || w == Sunday;
}

// --- The shipped official tables -------------------------------------------------------------

TEST(OfficialTables, ShippedFilesEqualTheSpecTable) {
  auto tables = tthc::config::load_holiday_dir(tthc::test::source_dir() / "config" / "holidays");
  ASSERT_TRUE(tables) << tables.error().message;
  ASSERT_EQ(tables->size(), spec_tables().size());
  for (const HolidayTable& t : *tables) {
    SCOPED_TRACE(t.year);
    const auto it = spec_tables().find(t.year);
    ASSERT_NE(it, spec_tables().end()) << "unexpected year " << t.year;
    EXPECT_EQ(iso(t.days_off), it->second.days_off);
    EXPECT_EQ(iso(t.working_saturdays), it->second.working_saturdays);
    EXPECT_FALSE(t.provisional);
    EXPECT_FALSE(t.source.empty());
  }
}

TEST(OfficialTables, TheCalendarUsesThemForTheirYears) {
  const auto& cal = tthc::test::official_calendar();
  for (const auto& [year, spec] : spec_tables()) {
    SCOPED_TRACE(year);
    EXPECT_FALSE(cal.is_provisional(year));
    EXPECT_EQ(iso(cal.table(year).days_off), spec.days_off);
    EXPECT_EQ(iso(cal.table(year).working_saturdays), spec.working_saturdays);
  }
  EXPECT_TRUE(cal.is_provisional(2020));
  EXPECT_TRUE(cal.is_provisional(2027));
}

TEST(OfficialTables, SpecTableIsWellFormed) {
  // Guards the expected data itself: days off on Monday–Friday, worked days on Saturdays.
  for (const auto& [year, spec] : spec_tables()) {
    for (const auto& s : spec.days_off) {
      auto d = tthc::parse_date(s);
      ASSERT_TRUE(d) << s;
      EXPECT_FALSE(is_weekend(*d)) << s;
    }
    for (const auto& s : spec.working_saturdays) {
      auto d = tthc::parse_date(s);
      ASSERT_TRUE(d) << s;
      EXPECT_EQ(weekday{*d}, Saturday) << s;
    }
  }
}

// --- Provisional tables ----------------------------------------------------------------------

TEST(ProvisionalTable, Reproduces2022) {
  const HolidayTable t = provisional_table(2022);
  EXPECT_EQ(t.year, 2022);
  EXPECT_TRUE(t.provisional);
  EXPECT_FALSE(t.source.empty());
  EXPECT_EQ(iso(t.days_off), spec_tables().at(2022).days_off);
  EXPECT_TRUE(t.working_saturdays.empty());
}

TEST(ProvisionalTable, Year2027TetOnSaturday) {
  // Tết 6/2/2027 is a Saturday: 5/2 (last day of the year), 8/2, 9/2 off; 6/2 and 7/2 give
  // 10/2 and 11/2. 1/5 is a Saturday: 3/5. 24/11 (from 2026) is a Wednesday.
  const HolidayTable t = provisional_table(2027);
  EXPECT_TRUE(t.provisional);
  EXPECT_EQ(iso(t.days_off), (Dates{"2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09",
                                    "2027-02-10", "2027-02-11", "2027-04-16", "2027-04-30",
                                    "2027-05-03", "2027-09-01", "2027-09-02", "2027-11-24"}));
  EXPECT_TRUE(t.working_saturdays.empty());
}

TEST(ProvisionalTable, Year2030NationalDayOnMonday) {
  // 2/9/2030 is a Monday: the adjacent day is 3/9, not 1/9. Tết (Vietnam, UTC+7) is Saturday
  // 2/2/2030 — China's is 3/2 — so 1/2 is the last day of the lunar year and 2/2, 3/2 give 6/2
  // and 7/2. 24/11/2030 is a Sunday: 25/11.
  ASSERT_EQ(weekday{make_date(2030, 9, 2)}, Monday);
  const std::vector<Date> statutory = statutory_days(2030);
  EXPECT_NE(std::find(statutory.begin(), statutory.end(), make_date(2030, 9, 3)), statutory.end());
  EXPECT_EQ(std::find(statutory.begin(), statutory.end(), make_date(2030, 9, 1)), statutory.end());
  const HolidayTable t = provisional_table(2030);
  EXPECT_EQ(iso(t.days_off), (Dates{"2030-01-01", "2030-02-01", "2030-02-04", "2030-02-05",
                                    "2030-02-06", "2030-02-07", "2030-04-12", "2030-04-30",
                                    "2030-05-01", "2030-09-02", "2030-09-03", "2030-11-25"}));
}

TEST(ProvisionalTable, NationalDayAdjacentDayIsFirstSeptemberOtherwise) {
  for (int year = 2021; year <= 2060; ++year) {
    SCOPED_TRACE(year);
    const Date national_day = make_date(year, 9, 2);
    const std::vector<Date> s = statutory_days(year);
    const bool monday = weekday{national_day} == Monday;
    const Date expected = monday ? make_date(year, 9, 3) : make_date(year, 9, 1);
    const Date other = monday ? make_date(year, 9, 1) : make_date(year, 9, 3);
    EXPECT_NE(std::find(s.begin(), s.end(), national_day), s.end());
    EXPECT_NE(std::find(s.begin(), s.end(), expected), s.end());
    EXPECT_EQ(std::find(s.begin(), s.end(), other), s.end());
  }
}

TEST(ProvisionalTable, WeekendNationalDaysGiveCompensatoryDaysInDateOrder) {
  // 2028: 1/9 Friday, 2/9 Saturday → Monday 4/9.
  {
    const Dates off = iso(provisional_table(2028).days_off);
    EXPECT_NE(std::find(off.begin(), off.end(), "2028-09-01"), off.end());
    EXPECT_NE(std::find(off.begin(), off.end(), "2028-09-04"), off.end());
    EXPECT_EQ(std::find(off.begin(), off.end(), "2028-09-05"), off.end());
  }
  // 2029: 1/9 Saturday and 2/9 Sunday → Monday 3/9 and Tuesday 4/9.
  {
    const Dates off = iso(provisional_table(2029).days_off);
    EXPECT_NE(std::find(off.begin(), off.end(), "2029-09-03"), off.end());
    EXPECT_NE(std::find(off.begin(), off.end(), "2029-09-04"), off.end());
    EXPECT_EQ(std::find(off.begin(), off.end(), "2029-09-05"), off.end());
  }
}

TEST(ProvisionalTable, CultureDayOnlyFrom2026) {
  for (int year = 2021; year <= 2035; ++year) {
    SCOPED_TRACE(year);
    const std::vector<Date> s = statutory_days(year);
    const bool listed = std::find(s.begin(), s.end(), make_date(year, 11, 24)) != s.end();
    EXPECT_EQ(listed, year >= 2026);
  }
}

TEST(ProvisionalTable, StatutoryDaysFollowTheLaw) {
  for (int year = 2021; year <= 2060; ++year) {
    SCOPED_TRACE(year);
    const std::vector<Date> s = statutory_days(year);
    EXPECT_TRUE(std::is_sorted(s.begin(), s.end()));
    EXPECT_EQ(std::adjacent_find(s.begin(), s.end()), s.end()) << "duplicates";
    const Date tet = Date{tthc::calendar::tet(year)};
    Dates expected = {format_date(make_date(year, 1, 1))};
    for (int i = -1; i <= 3; ++i) expected.push_back(format_date(tet + days{i}));
    expected.push_back(format_date(Date{tthc::calendar::gio_to(year)}));
    expected.push_back(format_date(make_date(year, 4, 30)));
    expected.push_back(format_date(make_date(year, 5, 1)));
    expected.push_back(format_date(make_date(year, 9, 2)));
    expected.push_back(format_date(
        weekday{make_date(year, 9, 2)} == Monday ? make_date(year, 9, 3) : make_date(year, 9, 1)));
    if (year >= 2026) expected.push_back(format_date(make_date(year, 11, 24)));
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(iso(s), expected);
    EXPECT_EQ(s.size(), year >= 2026 ? 12U : 11U);
  }
}

TEST(ProvisionalTable, KnownTetAndGioToDatesOfTheSpec) {
  auto contains = [](const std::vector<Date>& v, Date d) {
    return std::find(v.begin(), v.end(), d) != v.end();
  };
  struct Known {
    int year;
    Date tet;
    Date gio_to;
  };
  for (const Known& k : {Known{2023, make_date(2023, 1, 22), make_date(2023, 4, 29)},
                         Known{2024, make_date(2024, 2, 10), make_date(2024, 4, 18)},
                         Known{2025, make_date(2025, 1, 29), make_date(2025, 4, 7)},
                         Known{2026, make_date(2026, 2, 17), make_date(2026, 4, 26)},
                         Known{2027, make_date(2027, 2, 6), make_date(2027, 4, 16)}}) {
    SCOPED_TRACE(k.year);
    const std::vector<Date> s = statutory_days(k.year);
    for (int i = -1; i <= 3; ++i) EXPECT_TRUE(contains(s, k.tet + days{i})) << i;
    EXPECT_FALSE(contains(s, k.tet - days{2}));
    EXPECT_FALSE(contains(s, k.tet + days{4}));
    EXPECT_TRUE(contains(s, k.gio_to));
  }
}

// Every provisional table, for many years: the rule of §8.13 checked day by day.
TEST(ProvisionalTable, CompensatoryRuleHoldsForManyYears) {
  for (int year = 2021; year <= 2080; ++year) {
    SCOPED_TRACE(year);
    const HolidayTable t = provisional_table(year);
    EXPECT_TRUE(t.provisional);
    EXPECT_TRUE(t.working_saturdays.empty());
    EXPECT_TRUE(std::is_sorted(t.days_off.begin(), t.days_off.end()));
    EXPECT_EQ(std::adjacent_find(t.days_off.begin(), t.days_off.end()), t.days_off.end());
    const std::vector<Date> s = statutory_days(year);
    // Re-derive: statutory weekdays, then one compensatory day per weekend statutory day.
    std::vector<Date> expected;
    for (const Date d : s) {
      if (!is_weekend(d)) expected.push_back(d);
    }
    for (const Date d : s) {
      if (!is_weekend(d)) continue;
      Date c = d + days{1};
      while (is_weekend(c) || std::find(s.begin(), s.end(), c) != s.end() ||
             std::find(expected.begin(), expected.end(), c) != expected.end()) {
        c += days{1};
      }
      if (year_month_day{c}.year() == year_month_day{make_date(year, 1, 1)}.year()) {
        expected.push_back(c);
      }
    }
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(iso(t.days_off), iso(expected));
    for (const Date d : t.days_off) {
      EXPECT_FALSE(is_weekend(d)) << format_date(d);
      EXPECT_EQ(static_cast<int>(year_month_day{d}.year()), year) << format_date(d);
    }
    auto valid = validate_table(t);
    EXPECT_TRUE(valid) << (valid ? "" : valid.error().message);
  }
}

// --- validate_table --------------------------------------------------------------------------

HolidayTable table(int year, std::vector<Date> off, std::vector<Date> saturdays) {
  HolidayTable t;
  t.year = year;
  t.days_off = std::move(off);
  t.working_saturdays = std::move(saturdays);
  t.source = "test";
  return t;
}

TEST(ValidateTable, AcceptsAndSortsAndDeduplicates) {
  auto t = validate_table(
      table(2026, {make_date(2026, 9, 2), make_date(2026, 1, 1), make_date(2026, 9, 2)},
            {make_date(2026, 8, 22), make_date(2026, 1, 10)}));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(iso(t->days_off), (Dates{"2026-01-01", "2026-09-02"}));
  EXPECT_EQ(iso(t->working_saturdays), (Dates{"2026-01-10", "2026-08-22"}));
  EXPECT_EQ(t->source, "test");
}

void expect_error_naming(const tthc::Result<HolidayTable>& r, const std::string& date) {
  ASSERT_FALSE(r.has_value()) << "accepted a table with " << date;
  EXPECT_NE(r.error().message.find(date), std::string::npos) << r.error().message;
}

TEST(ValidateTable, WeekendDayOff) {
  expect_error_naming(validate_table(table(2026, {make_date(2026, 4, 25)}, {})), "2026-04-25");
  expect_error_naming(validate_table(table(2026, {make_date(2026, 4, 26)}, {})), "2026-04-26");
}

TEST(ValidateTable, WorkingSaturdayThatIsNoSaturday) {
  expect_error_naming(validate_table(table(2026, {}, {make_date(2026, 1, 9)})), "2026-01-09");
  expect_error_naming(validate_table(table(2026, {}, {make_date(2026, 1, 11)})), "2026-01-11");
}

TEST(ValidateTable, DateOfAnotherYear) {
  expect_error_naming(validate_table(table(2026, {make_date(2025, 12, 31)}, {})), "2025-12-31");
  expect_error_naming(validate_table(table(2026, {}, {make_date(2027, 1, 2)})), "2027-01-02");
}

TEST(ValidateTable, YearOutOfRange) {
  auto r = validate_table(table(1800, {}, {}));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("1800"), std::string::npos) << r.error().message;
}

}  // namespace
