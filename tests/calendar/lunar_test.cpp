#include "calendar/lunar.hpp"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ostream>
#include <string>

namespace tthc::calendar {
// Found by ADL, so failing assertions print lunar dates readably; static so that it cannot clash
// with another test file linked into the same binary.
[[maybe_unused]] static void PrintTo(const LunarDate& d, std::ostream* os) {
  *os << d.day << "/" << d.month << (d.leap ? " (leap)" : "") << "/" << d.year;
}
}  // namespace tthc::calendar

namespace {

using namespace std::chrono;
using tthc::calendar::gio_to;
using tthc::calendar::lunar_to_solar;
using tthc::calendar::LunarDate;
using tthc::calendar::solar_to_lunar;
using tthc::calendar::tet;

constexpr year_month_day ymd(int y, unsigned m, unsigned d) {
  return year{y} / month{m} / day{d};
}

// libstdc++ 12 cannot stream calendar types, so assertions compare ISO strings to stay readable.
std::string iso(year_month_day d) {
  if (!d.ok()) return "invalid";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}
std::string iso(sys_days d) {
  return iso(year_month_day{d});
}

// --- Reference data -------------------------------------------------------------------------
//
// Tết and Giỗ Tổ dates, 1990–2050, from the python-holidays project (github.com/vacanza/holidays,
// holidays/calendars/chinese.py): LUNAR_NEW_YEAR_DATES and HUNG_KINGS_DATES give the Chinese
// calendar, and VIETNAMESE_CALENDAR_LUNAR_NEW_YEAR_DATES / VIETNAMESE_CALENDAR_HUNG_KINGS_DATES
// list the years where Vietnam (UTC+7) differs. Every Tết date is cross-checked below against
// a second, independent source: the year codes Hồ Ngọc Đức publishes with his calendar
// (amlich-hnd.js, tables TK20/TK21, "Copyright 2004 Ho Ngoc Duc"), which encode for each lunar
// year the offset of Tết from 1 January, the leap month and every month's length.
//
// Within 1990–2050 the Vietnamese and Chinese new year differ in 2007 and 2030 only; Giỗ Tổ
// differs in 2009, 2037 and 2038.
struct HolidayRow {
  int year;
  unsigned vn_month, vn_day;  // Vietnam, UTC+7
  unsigned cn_month, cn_day;  // China, UTC+8
};

constexpr std::array<HolidayRow, 61> kTet{{
    {1990, 1, 27, 1, 27},
    {1991, 2, 15, 2, 15},
    {1992, 2, 4, 2, 4},
    {1993, 1, 23, 1, 23},
    {1994, 2, 10, 2, 10},
    {1995, 1, 31, 1, 31},
    {1996, 2, 19, 2, 19},
    {1997, 2, 7, 2, 7},
    {1998, 1, 28, 1, 28},
    {1999, 2, 16, 2, 16},
    {2000, 2, 5, 2, 5},
    {2001, 1, 24, 1, 24},
    {2002, 2, 12, 2, 12},
    {2003, 2, 1, 2, 1},
    {2004, 1, 22, 1, 22},
    {2005, 2, 9, 2, 9},
    {2006, 1, 29, 1, 29},
    {2007, 2, 17, 2, 18},  // differs: new moon 2007-02-17 16:14 UTC, before
                           // midnight at UTC+7
    {2008, 2, 7, 2, 7},
    {2009, 1, 26, 1, 26},
    {2010, 2, 14, 2, 14},
    {2011, 2, 3, 2, 3},
    {2012, 1, 23, 1, 23},
    {2013, 2, 10, 2, 10},
    {2014, 1, 31, 1, 31},
    {2015, 2, 19, 2, 19},
    {2016, 2, 8, 2, 8},
    {2017, 1, 28, 1, 28},
    {2018, 2, 16, 2, 16},
    {2019, 2, 5, 2, 5},
    {2020, 1, 25, 1, 25},
    {2021, 2, 12, 2, 12},
    {2022, 2, 1, 2, 1},
    {2023, 1, 22, 1, 22},
    {2024, 2, 10, 2, 10},
    {2025, 1, 29, 1, 29},
    {2026, 2, 17, 2, 17},
    {2027, 2, 6, 2, 6},
    {2028, 1, 26, 1, 26},
    {2029, 2, 13, 2, 13},
    {2030, 2, 2, 2, 3},  // differs: new moon 2030-02-02
                         // 16:07 UTC, before midnight
                         // at UTC+7
    {2031, 1, 23, 1, 23},
    {2032, 2, 11, 2, 11},
    {2033, 1, 31, 1, 31},
    {2034, 2, 19, 2, 19},
    {2035, 2, 8, 2, 8},
    {2036, 1, 28, 1, 28},
    {2037, 2, 15, 2, 15},
    {2038, 2, 4, 2, 4},
    {2039, 1, 24, 1, 24},
    {2040, 2, 12, 2, 12},
    {2041, 2, 1, 2, 1},
    {2042, 1, 22, 1, 22},
    {2043, 2, 10, 2, 10},
    {2044, 1, 30, 1, 30},
    {2045, 2, 17, 2, 17},
    {2046, 2, 6, 2, 6},
    {2047, 1, 26, 1, 26},
    {2048, 2, 14, 2, 14},
    {2049, 2, 2, 2, 2},
    {2050, 1, 23, 1, 23},
}};

constexpr std::array<HolidayRow, 61> kGioTo{{
    {1990, 4, 5, 4, 5},   {1991, 4, 24, 4, 24}, {1992, 4, 12, 4, 12}, {1993, 4, 1, 4, 1},
    {1994, 4, 20, 4, 20}, {1995, 4, 9, 4, 9},   {1996, 4, 27, 4, 27}, {1997, 4, 16, 4, 16},
    {1998, 4, 6, 4, 6},   {1999, 4, 25, 4, 25}, {2000, 4, 14, 4, 14}, {2001, 4, 3, 4, 3},
    {2002, 4, 22, 4, 22}, {2003, 4, 11, 4, 11}, {2004, 4, 28, 4, 28}, {2005, 4, 18, 4, 18},
    {2006, 4, 7, 4, 7},   {2007, 4, 26, 4, 26}, {2008, 4, 15, 4, 15}, {2009, 4, 4, 4, 5},
    {2010, 4, 23, 4, 23}, {2011, 4, 12, 4, 12}, {2012, 3, 31, 3, 31}, {2013, 4, 19, 4, 19},
    {2014, 4, 9, 4, 9},   {2015, 4, 28, 4, 28}, {2016, 4, 16, 4, 16}, {2017, 4, 6, 4, 6},
    {2018, 4, 25, 4, 25}, {2019, 4, 14, 4, 14}, {2020, 4, 2, 4, 2},   {2021, 4, 21, 4, 21},
    {2022, 4, 10, 4, 10}, {2023, 4, 29, 4, 29}, {2024, 4, 18, 4, 18}, {2025, 4, 7, 4, 7},
    {2026, 4, 26, 4, 26}, {2027, 4, 16, 4, 16}, {2028, 4, 4, 4, 4},   {2029, 4, 23, 4, 23},
    {2030, 4, 12, 4, 12}, {2031, 4, 1, 4, 1},   {2032, 4, 19, 4, 19}, {2033, 4, 9, 4, 9},
    {2034, 4, 28, 4, 28}, {2035, 4, 17, 4, 17}, {2036, 4, 6, 4, 6},   {2037, 4, 24, 4, 25},
    {2038, 4, 13, 4, 14}, {2039, 4, 3, 4, 3},   {2040, 4, 20, 4, 20}, {2041, 4, 10, 4, 10},
    {2042, 4, 29, 4, 29}, {2043, 4, 19, 4, 19}, {2044, 4, 7, 4, 7},   {2045, 4, 26, 4, 26},
    {2046, 4, 15, 4, 15}, {2047, 4, 4, 4, 4},   {2048, 4, 22, 4, 22}, {2049, 4, 11, 4, 11},
    {2050, 4, 1, 4, 1},
}};

// Hồ Ngọc Đức's year codes for lunar years 1990–2050 (TK20[90..99], TK21[0..50]). Bits:
// 17+ = days from 1 January to Tết; 16 = leap month has 30 days; 15..4 = months 1..12 have 30
// days; 3..0 = leap month (0: none).
constexpr int kFirstCodeYear = 1990;
constexpr std::array<std::uint32_t, 61> kYearCodes{{
    0x344af5, 0x5a4970, 0x4464b0, 0x2c74a3, 0x50ea50, 0x3d6a58, 0x6256a0, 0x4aaad0, 0x3696d5,
    0x5c92e0,  // 1990–1999
    0x46c960, 0x2ed954, 0x54d4a0, 0x3eda50, 0x2a7552, 0x4e56a0, 0x38a7a7, 0x5ea5d0, 0x4a92b0,
    0x32aab5,  // 2000–2009
    0x58a950, 0x42b4a0, 0x2cbaa4, 0x50ad50, 0x3c55d9, 0x624ba0, 0x4ca5b0, 0x375176, 0x5c5270,
    0x466930,  // 2010–2019
    0x307934, 0x546aa0, 0x3ead50, 0x2a5b52, 0x504b60, 0x38a6e6, 0x5ea4e0, 0x48d260, 0x32ea65,
    0x56d520,  // 2020–2029
    0x40daa0, 0x2d56a3, 0x5256d0, 0x3c4afb, 0x6249d0, 0x4ca4d0, 0x37d0b6, 0x5ab250, 0x44b520,
    0x2edd25,  // 2030–2039
    0x54b5a0, 0x3e55d0, 0x2a55b2, 0x5049b0, 0x3aa577, 0x5ea4b0, 0x48aa50, 0x33b255, 0x586d20,
    0x40ad60,  // 2040–2049
    0x2d4b63,  // 2050
}};

struct DecodedYear {
  sys_days tet;
  int leap_month;                  // 0 when the year has 12 months
  std::array<int, 12> month_days;  // months 1..12
  int leap_month_days;
};

DecodedYear decode_year(int y) {
  const std::uint32_t code = kYearCodes.at(static_cast<std::size_t>(y - kFirstCodeYear));
  DecodedYear out{};
  out.tet = sys_days{ymd(y, 1, 1)} + days{code >> 17};
  out.leap_month = static_cast<int>(code & 0xfU);
  out.leap_month_days = ((code >> 16) & 1U) != 0 ? 30 : 29;
  for (std::size_t m = 0; m < 12; ++m) {
    out.month_days.at(m) = ((code >> (15 - m)) & 1U) != 0 ? 30 : 29;
  }
  return out;
}

// Number of days in a lunar month according to the implementation: 30 if day 30 exists.
int month_length(int y, int m, bool leap) {
  return lunar_to_solar(LunarDate{y, m, 30, leap}).ok() ? 30 : 29;
}

// --- Tết and Giỗ Tổ against the published tables -------------------------------------------

TEST(LunarTet, MatchesPublishedVietnameseTable1990To2050) {
  for (const auto& row : kTet) {
    EXPECT_EQ(iso(tet(row.year)), iso(ymd(row.year, row.vn_month, row.vn_day)))
        << "Tết " << row.year;
  }
}

TEST(LunarTet, TableAgreesWithHoNgocDucYearCodes) {
  // Guards the transcription of both sources: they must agree before they judge the code.
  for (const auto& row : kTet) {
    EXPECT_EQ(iso(decode_year(row.year).tet), iso(ymd(row.year, row.vn_month, row.vn_day)))
        << row.year;
  }
}

TEST(LunarTet, ChineseTimeZoneGivesChineseDateWhereTheyDiffer) {
  int differing = 0;
  for (const auto& row : kTet) {
    if (row.vn_month == row.cn_month && row.vn_day == row.cn_day) continue;
    ++differing;
    EXPECT_EQ(iso(tet(row.year, 8.0)), iso(ymd(row.year, row.cn_month, row.cn_day))) << row.year;
    EXPECT_NE(iso(tet(row.year, 8.0)), iso(tet(row.year))) << row.year;
  }
  EXPECT_EQ(differing, 2);  // 2007 and 2030
  EXPECT_EQ(iso(tet(2007, 8.0)), iso(ymd(2007, 2, 18)));
  EXPECT_EQ(iso(tet(2007)), iso(ymd(2007, 2, 17)));
  EXPECT_EQ(iso(tet(2030, 8.0)), iso(ymd(2030, 2, 3)));
  EXPECT_EQ(iso(tet(2030)), iso(ymd(2030, 2, 2)));
}

TEST(LunarTet, ChineseTimeZoneMatchesChineseTableEveryYear) {
  for (const auto& row : kTet) {
    EXPECT_EQ(iso(tet(row.year, 8.0)), iso(ymd(row.year, row.cn_month, row.cn_day))) << row.year;
  }
}

TEST(LunarGioTo, MatchesPublishedTable1990To2050) {
  for (const auto& row : kGioTo) {
    EXPECT_EQ(iso(gio_to(row.year)), iso(ymd(row.year, row.vn_month, row.vn_day)))
        << "Giỗ Tổ " << row.year;
    EXPECT_EQ(iso(gio_to(row.year, 8.0)), iso(ymd(row.year, row.cn_month, row.cn_day))) << row.year;
  }
}

TEST(LunarKnownDates, TetFromSpec) {
  EXPECT_EQ(iso(tet(2023)), iso(ymd(2023, 1, 22)));
  EXPECT_EQ(iso(tet(2024)), iso(ymd(2024, 2, 10)));
  EXPECT_EQ(iso(tet(2025)), iso(ymd(2025, 1, 29)));
  EXPECT_EQ(iso(tet(2026)), iso(ymd(2026, 2, 17)));
  EXPECT_EQ(iso(tet(2027)), iso(ymd(2027, 2, 6)));
}

TEST(LunarKnownDates, GioToFromSpec) {
  EXPECT_EQ(iso(gio_to(2023)), iso(ymd(2023, 4, 29)));
  EXPECT_EQ(iso(gio_to(2024)), iso(ymd(2024, 4, 18)));
  EXPECT_EQ(iso(gio_to(2025)), iso(ymd(2025, 4, 7)));
  EXPECT_EQ(iso(gio_to(2026)), iso(ymd(2026, 4, 26)));
  EXPECT_EQ(iso(gio_to(2027)), iso(ymd(2027, 4, 16)));
}

TEST(LunarKnownDates, SolarToLunar) {
  EXPECT_EQ(solar_to_lunar(ymd(2024, 2, 10)), (LunarDate{2024, 1, 1, false}));
  EXPECT_EQ(solar_to_lunar(ymd(2024, 2, 9)), (LunarDate{2023, 12, 30, false}));
  EXPECT_EQ(solar_to_lunar(ymd(2023, 4, 29)), (LunarDate{2023, 3, 10, false}));
  // Leap month 2 of Quý Mão began on 22 March 2023.
  EXPECT_EQ(solar_to_lunar(ymd(2023, 3, 22)), (LunarDate{2023, 2, 1, true}));
  EXPECT_EQ(solar_to_lunar(ymd(2023, 3, 21)), (LunarDate{2023, 2, 30, false}));
  EXPECT_EQ(iso(lunar_to_solar(LunarDate{2023, 2, 1, true})), "2023-03-22");
}

// --- Month structure against Hồ Ngọc Đức's year codes -----------------------------------------

TEST(LunarMonths, LeapMonthsAndLengthsMatchHoNgocDucYearCodes) {
  for (int y = 1990; y <= 2050; ++y) {
    const DecodedYear expected = decode_year(y);
    sys_days start = expected.tet;
    for (int m = 1; m <= 12; ++m) {
      const int len = expected.month_days.at(static_cast<std::size_t>(m - 1));
      EXPECT_EQ(iso(lunar_to_solar(LunarDate{y, m, 1, false})), iso(start)) << y << "/" << m;
      EXPECT_EQ(month_length(y, m, false), len) << y << "/" << m;
      start += days{len};
      const bool is_leap = m == expected.leap_month;
      EXPECT_EQ(lunar_to_solar(LunarDate{y, m, 1, true}).ok(), is_leap) << y << "/" << m;
      if (is_leap) {
        EXPECT_EQ(iso(lunar_to_solar(LunarDate{y, m, 1, true})), iso(start)) << y << " leap";
        EXPECT_EQ(month_length(y, m, true), expected.leap_month_days) << y << " leap";
        start += days{expected.leap_month_days};
      }
    }
    if (y < 2050) {
      EXPECT_EQ(iso(start), iso(tet(y + 1))) << "year " << y << " does not end at next Tết";
    }
  }
}

TEST(LunarMonths, KnownLeapYears) {
  // Vietnamese calendar: 2020 leap 4, 2023 leap 2, 2025 leap 6 (Hồ Ngọc Đức's TK21 codes).
  struct Leap {
    int year;
    int month;
  };
  for (const Leap& l : {Leap{2020, 4}, Leap{2023, 2}, Leap{2025, 6}, Leap{2033, 11}}) {
    EXPECT_EQ(decode_year(l.year).leap_month, l.month) << l.year;
    EXPECT_TRUE(lunar_to_solar(LunarDate{l.year, l.month, 1, true}).ok()) << l.year;
    const LunarDate first = solar_to_lunar(lunar_to_solar(LunarDate{l.year, l.month, 1, true}));
    EXPECT_EQ(first, (LunarDate{l.year, l.month, 1, true})) << l.year;
    EXPECT_FALSE(lunar_to_solar(LunarDate{l.year, l.month + 1, 1, true}).ok()) << l.year;
    EXPECT_FALSE(lunar_to_solar(LunarDate{l.year, l.month - 1, 1, true}).ok()) << l.year;
  }
}

TEST(LunarMonths, NonExistentDatesAreNotOk) {
  EXPECT_FALSE(lunar_to_solar(LunarDate{2024, 2, 1, true}).ok());  // 2024 has no leap month
  EXPECT_FALSE(lunar_to_solar(LunarDate{2023, 3, 1, true}).ok());  // 2023's leap month is 2
  EXPECT_FALSE(lunar_to_solar(LunarDate{2024, 0, 1, false}).ok());
  EXPECT_FALSE(lunar_to_solar(LunarDate{2024, 13, 1, false}).ok());
  EXPECT_FALSE(lunar_to_solar(LunarDate{2024, 1, 0, false}).ok());
  EXPECT_FALSE(lunar_to_solar(LunarDate{2024, 1, 31, false}).ok());
  // Month 1 of 2024 has 29 days (bit 15 of its TK21 code 0x504b60 is 0), so day 30 is missing.
  EXPECT_EQ(decode_year(2024).month_days.at(0), 29);
  EXPECT_FALSE(lunar_to_solar(LunarDate{2024, 1, 30, false}).ok());
  EXPECT_EQ(solar_to_lunar(year_month_day{year{2024}, month{2}, day{30}}), LunarDate{});
}

// --- Round trips and ranges over every day ---------------------------------------------------

TEST(LunarRoundTrip, EveryDay1990To2050) {
  const sys_days first{ymd(1990, 1, 1)};
  const sys_days last{ymd(2050, 12, 31)};
  LunarDate previous = solar_to_lunar(year_month_day{first - days{1}});
  for (sys_days d = first; d <= last; d += days{1}) {
    const year_month_day solar{d};
    const LunarDate lunar = solar_to_lunar(solar);
    ASSERT_GE(lunar.month, 1) << iso(solar);
    ASSERT_LE(lunar.month, 12) << iso(solar);
    ASSERT_GE(lunar.day, 1) << iso(solar);
    ASSERT_LE(lunar.day, 30) << iso(solar);
    ASSERT_EQ(iso(lunar_to_solar(lunar)), iso(solar)) << iso(solar);
    // Consecutive days either continue the month or start a new one on day 1.
    if (lunar.day == 1) {
      ASSERT_GE(previous.day, 29) << iso(solar);
    } else {
      ASSERT_EQ(lunar.day, previous.day + 1) << iso(solar);
      ASSERT_EQ(lunar.month, previous.month) << iso(solar);
      ASSERT_EQ(lunar.leap, previous.leap) << iso(solar);
      ASSERT_EQ(lunar.year, previous.year) << iso(solar);
    }
    previous = lunar;
  }
}

TEST(LunarRoundTrip, ChineseTimeZoneAlsoRoundTrips) {
  for (sys_days d{ymd(2006, 1, 1)}; d <= sys_days{ymd(2008, 12, 31)}; d += days{1}) {
    const year_month_day solar{d};
    ASSERT_EQ(iso(lunar_to_solar(solar_to_lunar(solar, 8.0), 8.0)), iso(solar));
  }
}

TEST(LunarYearEnd, DayBeforeTetIsDay29Or30OfMonth12) {
  for (int y = 1990; y <= 2050; ++y) {
    const LunarDate eve = solar_to_lunar(year_month_day{sys_days{tet(y)} - days{1}});
    EXPECT_EQ(eve.year, y - 1) << y;
    EXPECT_EQ(eve.month, 12) << y;
    EXPECT_FALSE(eve.leap) << y;
    EXPECT_TRUE(eve.day == 29 || eve.day == 30) << y << ": " << eve.day;
    EXPECT_EQ(solar_to_lunar(tet(y)), (LunarDate{y, 1, 1, false})) << y;
  }
}

TEST(LunarRange, WorksAcrossDocumentedRange) {
  // Spot checks at the ends of the documented 1800–2199 range: Tết exists, round trips and
  // falls in its usual window (21 January – 20 February).
  for (int y : {1800, 1801, 1899, 1900, 2100, 2198, 2199}) {
    const year_month_day t = tet(y);
    ASSERT_TRUE(t.ok()) << y;
    EXPECT_EQ(solar_to_lunar(t), (LunarDate{y, 1, 1, false})) << y;
    EXPECT_GE(sys_days{t}, sys_days{ymd(y, 1, 21)}) << y;
    EXPECT_LE(sys_days{t}, sys_days{ymd(y, 2, 20)}) << y;
  }
}

}  // namespace
