#include "domain/time.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace std::chrono_literals;
using tthc::Date;
using tthc::Duration;
using tthc::format_compact;
using tthc::format_date;
using tthc::format_iso;
using tthc::format_working;
using tthc::make_date;
using tthc::make_moment;
using tthc::Moment;
using tthc::parse_data_moment;
using tthc::parse_date;
using tthc::parse_user_moment;
using tthc::Result;

// Moments are compared as ISO text: libstdc++ 12 cannot print chrono time points.
std::string data(std::string_view text) {
  auto m = parse_data_moment(text);
  return m ? format_iso(*m) : "error: " + m.error().message;
}

std::string user(std::string_view text) {
  auto m = parse_user_moment(text);
  return m ? format_iso(*m) : "error: " + m.error().message;
}

// The error must say what was wrong and quote the value as given.
void expect_rejected(const Result<Moment>& r, std::string_view text) {
  ASSERT_FALSE(r.has_value()) << "accepted \"" << text << "\" as " << format_iso(*r);
  EXPECT_NE(r.error().message.find("\"" + std::string(text) + "\""), std::string::npos)
      << r.error().message;
}

// --- parse_data_moment: accepted forms -------------------------------------------------------

TEST(ParseDataMoment, CompactForm) {
  EXPECT_EQ(data("20260424090000"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(data("20251231235959"), "2025-12-31T23:59:59+07:00");
  EXPECT_EQ(data("20260101000000"), "2026-01-01T00:00:00+07:00");
}

TEST(ParseDataMoment, IsoWithSeconds) {
  EXPECT_EQ(data("2026-04-24T09:00:00"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(data("2026-04-24T13:45:07"), "2026-04-24T13:45:07+07:00");
  auto m = parse_data_moment("2026-04-24T13:45:07");
  ASSERT_TRUE(m);
  EXPECT_EQ(*m, make_moment(2026, 4, 24, 13, 45, 7));
}

TEST(ParseDataMoment, FractionalSecondsAreDropped) {
  EXPECT_EQ(data("2026-04-24T09:00:00.123"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(data("2026-04-24T09:00:59.999"), "2026-04-24T09:00:59+07:00");
  EXPECT_EQ(data("2026-04-24T09:00:00.5"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(data("2026-04-24T09:00:00.123456789"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(data("2026-04-24T09:00:00.250+07:00"), "2026-04-24T09:00:00+07:00");
}

TEST(ParseDataMoment, UtcDesignatorIsConvertedToVietnamTime) {
  EXPECT_EQ(data("2026-04-24T02:00:00Z"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(data("2026-04-24T00:30:15Z"), "2026-04-24T07:30:15+07:00");
  // Crosses the date (and the year) when converted.
  EXPECT_EQ(data("2026-12-31T20:00:00Z"), "2027-01-01T03:00:00+07:00");
  EXPECT_EQ(data("2026-04-24T02:00:00.999Z"), "2026-04-24T09:00:00+07:00");
}

TEST(ParseDataMoment, OffsetsAreConvertedToVietnamTime) {
  EXPECT_EQ(data("2026-04-24T09:00:00+07:00"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(data("2026-04-24T10:00:00+08:00"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(data("2026-04-24T02:00:00+00:00"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(data("2026-04-24T02:00:00-00:00"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(data("2026-04-23T21:00:00-05:00"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(data("2026-04-24T07:30:00+05:30"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(data("2026-04-24T00:00:00+14:00"), "2026-04-23T17:00:00+07:00");
  EXPECT_EQ(data("2026-03-01T01:00:00+09:00"), "2026-02-28T23:00:00+07:00");
}

TEST(ParseDataMoment, SpaceInsteadOfT) {
  EXPECT_EQ(data("2026-06-08 14:07:53"), "2026-06-08T14:07:53+07:00");
  EXPECT_EQ(data("2026-06-08 14:07:53.123"), "2026-06-08T14:07:53+07:00");
  EXPECT_EQ(data("2026-06-08 07:07:53Z"), "2026-06-08T14:07:53+07:00");
  EXPECT_EQ(data("2026-06-08 09:07:53+02:00"), "2026-06-08T14:07:53+07:00");
}

TEST(ParseDataMoment, DayFirstVietnameseForms) {
  EXPECT_EQ(data("08/06/2026 14:07:53"), "2026-06-08T14:07:53+07:00");
  EXPECT_EQ(data("08/06/2026"), "2026-06-08T00:00:00+07:00");
  EXPECT_EQ(data("29/02/2024"), "2024-02-29T00:00:00+07:00");
  EXPECT_EQ(data("31/12/2025 23:59:59"), "2025-12-31T23:59:59+07:00");
  expect_rejected(parse_data_moment("29/02/2026"), "29/02/2026");
  expect_rejected(parse_data_moment("31/04/2026 09:00:00"), "31/04/2026 09:00:00");
}

TEST(ParseDataMoment, EveryFormGivesTheSameMoment) {
  for (std::string_view text :
       {"20260608140753", "2026-06-08 14:07:53", "2026-06-08T14:07:53", "2026-06-08T14:07:53.5",
        "2026-06-08 14:07:53.000", "2026-06-08T07:07:53Z", "2026-06-08T07:07:53.250Z",
        "2026-06-08T14:07:53+07:00", "2026-06-08T08:07:53+01:00", "2026-06-08T02:07:53-05:00",
        "08/06/2026 14:07:53"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(data(text), "2026-06-08T14:07:53+07:00");
  }
}

TEST(ParseDataMoment, LeapDays) {
  EXPECT_EQ(data("2024-02-29T12:00:00"), "2024-02-29T12:00:00+07:00");
  EXPECT_EQ(data("20240229120000"), "2024-02-29T12:00:00+07:00");
  EXPECT_EQ(data("2000-02-29T00:00:00"), "2000-02-29T00:00:00+07:00");  // divisible by 400
  expect_rejected(parse_data_moment("1900-02-29T00:00:00"), "1900-02-29T00:00:00");  // by 100
  expect_rejected(parse_data_moment("2026-02-29T00:00:00"), "2026-02-29T00:00:00");
  expect_rejected(parse_data_moment("20260229000000"), "20260229000000");
}

// --- parse_data_moment: rejected values ------------------------------------------------------

TEST(ParseDataMoment, ImpossibleDatesAndTimesAreRejected) {
  for (std::string_view bad :
       {"2025-13-40T00:00:00", "20251340000000", "2026-02-29T09:00:00", "2024-02-30T09:00:00",
        "20240230090000", "2026-04-31T09:00:00", "2026-00-10T09:00:00", "2026-04-00T09:00:00",
        "2026-04-24T25:00:00", "20260424250000", "2026-04-24T24:00:00", "2026-04-24T09:60:00",
        "2026-04-24T09:00:60", "20260424096000", "0000-01-01T00:00:00"}) {
    SCOPED_TRACE(bad);
    expect_rejected(parse_data_moment(bad), bad);
  }
}

TEST(ParseDataMoment, MalformedTextIsRejected) {
  for (std::string_view bad : {"",
                               "garbage",
                               "2026",
                               "2026-04-24",
                               "2026-04-24T09",
                               "2026-04-24T09:00",
                               "2026-04-24 09:00",  // data requires the seconds
                               "2026-04-24  09:00:00",
                               "2026-04-24T9:00:00",
                               "2026-4-24T09:00:00",
                               "24/04/2026 09:00",
                               "24/4/2026 09:00:00",
                               "24/04/26",
                               "24-04-2026",
                               "24/04/2026T09:00:00",
                               "24/04/2026 09:00:00Z",
                               "24/04/2026 9:00:00",
                               "31/02/2026",
                               "24/13/2026 09:00:00",
                               "24/04/2026 24:00:00",
                               "2026-04-24T09:00:00abc",  // trailing junk
                               "2026-04-24T09:00:00Zjunk",
                               "2026-04-24T09:00:00 ",
                               " 2026-04-24T09:00:00",
                               "20260424090000 ",
                               "2026042409000",
                               "202604240900000",
                               "2026-04-24T09:00:00.",
                               "2026-04-24T09:00:00+7:00",
                               "2026-04-24T09:00:00+0700",
                               "2026-04-24T09:00:00+15:00",
                               "2026-04-24T09:00:00+07:60",
                               "2026-04-24T09:00:00+07",
                               "2026-04-24t09:00:00",
                               "2026-04-24T09:00:00z",
                               "2026-04-24T09:0a:00",
                               "2O26-04-24T09:00:00"}) {
    SCOPED_TRACE(bad);
    expect_rejected(parse_data_moment(bad), bad);
  }
}

TEST(ParseDataMoment, NonAsciiDigitsAreRejected) {
  // Full-width digits (U+FF10..) and Arabic-Indic digits (U+0660..) are digits in Unicode.
  for (std::string_view bad :
       {"\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x92\xEF\xBC\x96-04-24T09:00:00",
        "2026-04-24T\xD9\xA0\xD9\xA9:00:00",
        "\xD9\xA2\xD9\xA0\xD9\xA2\xD9\xA6\xD9\xA0\xD9\xA4\xD9\xA2\xD9\xA4\xD9\xA0\xD9\xA9"
        "\xD9\xA0\xD9\xA0\xD9\xA0\xD9\xA0",
        "2026-04-2\xEF\xBC\x94T09:00:00"}) {
    SCOPED_TRACE(bad);
    expect_rejected(parse_data_moment(bad), bad);
  }
}

TEST(ParseDataMoment, ErrorMessageQuotesTheValue) {
  auto r = parse_data_moment("2025-13-40");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "not a date: \"2025-13-40\"");
  auto empty = parse_data_moment("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, "not a date: \"\"");
}

// --- parse_user_moment -----------------------------------------------------------------------

TEST(ParseUserMoment, AcceptsWhatPeopleType) {
  EXPECT_EQ(user("2026-04-24T09:00"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(user("2026-04-24 09:00"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(user("2026-04-24"), "2026-04-24T00:00:00+07:00");
  EXPECT_EQ(user("2026-04-24 17:30:15"), "2026-04-24T17:30:15+07:00");
  EXPECT_EQ(user("2026-04-24T17:30"), "2026-04-24T17:30:00+07:00");
  EXPECT_EQ(user("2024-02-29"), "2024-02-29T00:00:00+07:00");
}

TEST(ParseUserMoment, AcceptsEverythingDataAccepts) {
  EXPECT_EQ(user("24/04/2026"), "2026-04-24T00:00:00+07:00");
  EXPECT_EQ(user("24/04/2026 09:00:00"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(user("20260424090000"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(user("2026-04-24T09:00:00.5"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(user("2026-04-24T02:00:00Z"), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(user("2026-04-24T10:00:00+08:00"), "2026-04-24T09:00:00+07:00");
}

TEST(ParseUserMoment, RejectsImpossibleOrMalformedValues) {
  for (std::string_view bad : {"2026-02-30", "2026-02-29", "2026-02-30T09:00", "2026-04-24T25:00",
                               "2026-04-24T9:00", "24/04/2026 09:00", "", "tomorrow", "2026-04-24T",
                               "2026-04-24 09:00 junk", "2026-04-24  09:00"}) {
    SCOPED_TRACE(bad);
    expect_rejected(parse_user_moment(bad), bad);
  }
}

// --- parse_date / formatting -----------------------------------------------------------------

TEST(ParseDate, AcceptsOnlyValidCalendarDates) {
  auto d = parse_date("2024-02-29");
  ASSERT_TRUE(d);
  EXPECT_EQ(*d, make_date(2024, 2, 29));
  EXPECT_EQ(format_date(*d), "2024-02-29");
  for (std::string_view bad : {"2026-02-29", "2025-13-01", "2026-04-24T09:00", "26-04-24", ""}) {
    SCOPED_TRACE(bad);
    auto r = parse_date(bad);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("\"" + std::string(bad) + "\""), std::string::npos);
  }
}

TEST(Format, KnownValues) {
  const Moment m = make_moment(2026, 5, 4, 9, 0, 0);
  EXPECT_EQ(format_iso(m), "2026-05-04T09:00:00+07:00");
  EXPECT_EQ(format_compact(m), "20260504090000");
  EXPECT_EQ(format_date(make_date(2026, 5, 4)), "2026-05-04");
  EXPECT_EQ(format_iso(make_moment(2027, 1, 1, 23, 59, 59)), "2027-01-01T23:59:59+07:00");
  EXPECT_EQ(format_compact(make_moment(2024, 2, 29, 7, 5, 3)), "20240229070503");
  EXPECT_EQ(format_date(make_date(1999, 12, 31)), "1999-12-31");
}

TEST(Format, DayOfAndTimeOfDay) {
  const Moment m = make_moment(2026, 4, 24, 13, 30, 5);
  EXPECT_EQ(tthc::day_of(m), make_date(2026, 4, 24));
  EXPECT_EQ(tthc::time_of_day(m), 13h + 30min + 5s);
  EXPECT_EQ(tthc::time_of_day(make_moment(2026, 4, 24)), Duration::zero());
}

TEST(Format, RoundTripsOverRandomMoments) {
  std::mt19937 rng(20260424);
  const std::int64_t lo = make_moment(1990, 1, 1).time_since_epoch().count();
  const std::int64_t hi = make_moment(2100, 12, 31, 23, 59, 59).time_since_epoch().count();
  std::uniform_int_distribution<std::int64_t> pick(lo, hi);
  for (int i = 0; i < 5000; ++i) {
    const Moment m{Duration{pick(rng)}};
    const std::string iso = format_iso(m);
    const std::string compact = format_compact(m);
    auto from_iso = parse_data_moment(iso);
    auto from_compact = parse_data_moment(compact);
    auto from_user = parse_user_moment(iso);
    ASSERT_TRUE(from_iso) << iso;
    ASSERT_TRUE(from_compact) << compact;
    ASSERT_TRUE(from_user) << iso;
    ASSERT_EQ(*from_iso, m) << iso;
    ASSERT_EQ(*from_compact, m) << compact;
    ASSERT_EQ(*from_user, m) << iso;
    ASSERT_EQ(compact.size(), 14U);
    ASSERT_EQ(iso.substr(0, 10), format_date(tthc::day_of(m)));
    auto date = parse_date(format_date(tthc::day_of(m)));
    ASSERT_TRUE(date);
    ASSERT_EQ(*date, tthc::day_of(m));
  }
}

TEST(Format, HoursAndMinutesOfATimeOfDay) {
  EXPECT_EQ(tthc::format_hhmm(7h), "07:00");
  EXPECT_EQ(tthc::format_hhmm(13h + 30min), "13:30");
  EXPECT_EQ(tthc::format_hhmm(Duration::zero()), "00:00");
  EXPECT_EQ(tthc::format_hhmm(23h + 59min + 59s), "23:59");  // seconds are not shown
  EXPECT_EQ(tthc::format_hhmm(24h), "24:00");
}

// --- format_working --------------------------------------------------------------------------

TEST(FormatWorking, DaysHoursMinutesSeconds) {
  const Duration day = 8h;
  EXPECT_EQ(format_working(Duration::zero(), day), "0");
  EXPECT_EQ(format_working(8h, day), "1wd");
  EXPECT_EQ(format_working(24h, day), "3wd");
  EXPECT_EQ(format_working(10h, day), "1wd 2h");
  EXPECT_EQ(format_working(4h, day), "4h");
  EXPECT_EQ(format_working(30min, day), "30m");
  EXPECT_EQ(format_working(45s, day), "45s");
  EXPECT_EQ(format_working(8h + 1s, day), "1wd 1s");
  EXPECT_EQ(format_working(16h + 5min, day), "2wd 5m");
}

// time.hpp documents the format as "`1wd 2h30m` style text": no space inside the clock part.
TEST(FormatWorking, MatchesTheDocumentedExample) {
  EXPECT_EQ(format_working(10h + 30min, 8h), "1wd 2h30m");
  EXPECT_EQ(format_working(90min, 8h), "1h30m");
  EXPECT_EQ(format_working(17h + 1min + 1s, 8h), "2wd 1h1m1s");
  EXPECT_EQ(format_working(-(9h + 30min), 8h), "-1wd 1h30m");
}

TEST(FormatWorking, NegativeIsLateAndDayLengthMatters) {
  EXPECT_EQ(format_working(-4h, 8h), "-4h");
  EXPECT_EQ(format_working(-(8h + 30min), 8h), "-1wd 30m");
  EXPECT_EQ(format_working(-45s, 8h), "-45s");
  EXPECT_EQ(format_working(8h, 4h), "2wd");
  EXPECT_EQ(format_working(9h, 6h), "1wd 3h");
}

}  // namespace

namespace tthc {
namespace {

TEST(MonthArithmetic, FirstOfMonthAndMonthsAcrossYears) {
  EXPECT_EQ(first_of_month(make_moment(2026, 3, 31, 23, 59, 59)), make_moment(2026, 3, 1));
  EXPECT_EQ(add_months(make_moment(2026, 12, 6, 14), 1), make_moment(2027, 1, 1));
  EXPECT_EQ(add_months(make_moment(2026, 1, 31), -11), make_moment(2025, 2, 1));
  EXPECT_EQ(add_months(make_moment(2024, 2, 29), 0), make_moment(2024, 2, 1));
}

TEST(UnixTime, VietnamIsSevenHoursAhead) {
  EXPECT_EQ(from_unix(0), make_moment(1970, 1, 1, 7));
  EXPECT_EQ(to_unix(make_moment(2026, 12, 6, 14)), 1796540400);
  EXPECT_EQ(to_unix(from_unix(1796540400)), 1796540400);
}

TEST(TimeOfDay, HhmmParsesZeroToTwentyFour) {
  EXPECT_EQ(parse_hhmm("07:30"), Duration{7h + 30min});
  EXPECT_EQ(parse_hhmm("00:00"), Duration{0});
  EXPECT_EQ(parse_hhmm("24:00"), Duration{24h});
  EXPECT_FALSE(parse_hhmm("24:01"));
  EXPECT_FALSE(parse_hhmm("12:60"));
  EXPECT_FALSE(parse_hhmm("1230"));
  EXPECT_FALSE(parse_hhmm("7:30"));
  EXPECT_FALSE(parse_hhmm("ab:00"));
}

TEST(TimeOfDay, CompactAppendsWhatFormatGives) {
  std::string out = "x";
  append_compact(out, make_moment(2026, 5, 4, 9, 5, 7));
  EXPECT_EQ(out, "x20260504090507");
  EXPECT_EQ(format_compact(make_moment(999, 1, 2, 3, 4, 5)), "09990102030405");
  EXPECT_EQ(format_compact(make_moment(12345, 1, 2)), "123450102000000");
}

TEST(Weekend, SaturdayAndSundayOnly) {
  EXPECT_TRUE(is_weekend(make_date(2026, 12, 5)));
  EXPECT_TRUE(is_weekend(make_date(2026, 12, 6)));
  EXPECT_FALSE(is_weekend(make_date(2026, 12, 7)));
  EXPECT_FALSE(is_weekend(make_date(2026, 12, 4)));
}

}  // namespace
}  // namespace tthc
