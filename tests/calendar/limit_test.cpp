#include "calendar/limit.hpp"

#include "support/calendar.hpp"
#include "support/moments.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace {

using namespace std::chrono_literals;
using tthc::format_iso;
using tthc::make_moment;
using tthc::Moment;
using tthc::calendar::compute_due;
using tthc::calendar::kMaxLimitAmount;
using tthc::calendar::Limit;
using tthc::calendar::parse_limit;
using tthc::calendar::to_string;

const tthc::calendar::WorkingCalendar& cal() {
  return tthc::test::official_calendar();
}

using tthc::test::iso_at;

Limit limit(std::string_view text) {
  auto l = parse_limit(text);
  EXPECT_TRUE(l) << text << ": " << (l ? "" : l.error().message);
  return l ? *l : Limit{};
}

// The due as ISO text, "none" for no due date.
std::string due(Moment received, std::string_view text) {
  const std::optional<Moment> d = compute_due(cal(), received, limit(text));
  return d ? format_iso(*d) : "none";
}

// --- parse_limit -----------------------------------------------------------------------------

TEST(ParseLimit, Units) {
  EXPECT_EQ(limit("15wd"), (Limit{Limit::Unit::WorkingDays, 15, {}}));
  EXPECT_EQ(limit("4wh"), (Limit{Limit::Unit::WorkingHours, 4, {}}));
  EXPECT_EQ(limit("10d"), (Limit{Limit::Unit::CalendarDays, 10, {}}));
  EXPECT_EQ(limit("1wd"), (Limit{Limit::Unit::WorkingDays, 1, {}}));
  const Limit same = limit("sameday@15:00");
  EXPECT_EQ(same.unit, Limit::Unit::SameDay);
  EXPECT_EQ(same.cutoff, 15h);
  EXPECT_EQ(limit("sameday@07:05").cutoff, 7h + 5min);
  EXPECT_EQ(limit("sameday@00:00").cutoff, 0h);
  EXPECT_EQ(limit("sameday@23:59").cutoff, 23h + 59min);
  EXPECT_TRUE(limit("15wd").has_due());
  EXPECT_TRUE(same.has_due());
}

TEST(ParseLimit, EmptyAndSpacesMeanNoDueDate) {
  for (std::string_view text : {"", " ", "   ", "\t"}) {
    SCOPED_TRACE(text);
    const Limit l = limit(text);
    EXPECT_EQ(l.unit, Limit::Unit::None);
    EXPECT_FALSE(l.has_due());
  }
  EXPECT_EQ(limit(" 15wd "), limit("15wd"));
}

TEST(ParseLimit, BoundsOfTheAmount) {
  EXPECT_EQ(limit(std::to_string(kMaxLimitAmount) + "wd").amount, kMaxLimitAmount);
  EXPECT_FALSE(parse_limit(std::to_string(kMaxLimitAmount + 1) + "wd"));
}

TEST(ParseLimit, ErrorsNameTheValue) {
  for (std::string_view bad : {"3x",           "wd",       "0wd",
                               "-1wd",         "99999wd",  "sameday@25:00",
                               "sameday@1500", "sameday@", "sameday@15:60",
                               "sameday@9:00", "15 wd",    "1.5wd",
                               "15WD",         "15",       "d",
                               "0d",           "0wh",      "99999999999999999999wd",
                               "sameday",      "15wd3",    "+3wd",
                               "3wd,4wd"}) {
    SCOPED_TRACE(bad);
    auto r = parse_limit(bad);
    ASSERT_FALSE(r) << "accepted as " << to_string(*r);
    EXPECT_NE(r.error().message.find("\"" + std::string(bad) + "\""), std::string::npos)
        << r.error().message;
  }
}

// The cut-off must be HH:MM in ASCII digits; a sign is not a digit.
TEST(ParseLimit, SignedCutOffIsRejected) {
  for (std::string_view bad :
       {"sameday@-0:00", "sameday@15:-0", "sameday@-1:00", "sameday@+1:00"}) {
    SCOPED_TRACE(bad);
    auto r = parse_limit(bad);
    if (r) {
      ADD_FAILURE() << "\"" << bad << "\" accepted as " << to_string(*r);
      continue;
    }
    EXPECT_NE(r.error().message.find("\"" + std::string(bad) + "\""), std::string::npos)
        << r.error().message;
  }
}

TEST(ParseLimit, ToStringRoundTrips) {
  for (std::string_view text : {"15wd", "1wd", "4wh", "10d", "3650d", "sameday@15:00",
                                "sameday@07:05", "sameday@00:00", ""}) {
    SCOPED_TRACE(text);
    const Limit l = limit(text);
    EXPECT_EQ(to_string(l), text);
    EXPECT_EQ(limit(to_string(l)), l);
  }
  EXPECT_EQ(to_string(Limit{}), "");
}

// --- compute_due: working days and hours -----------------------------------------------------

TEST(ComputeDue, NoLimitNoDue) {
  EXPECT_EQ(due(make_moment(2026, 4, 24, 9), ""), "none");
}

TEST(ComputeDue, WorkedExamplesOfTheSpec) {
  EXPECT_EQ(due(make_moment(2026, 4, 24, 9), "3wd"), iso_at(2026, 5, 4, 9));
  EXPECT_EQ(due(make_moment(2026, 4, 24, 17, 30), "3wd"), iso_at(2026, 5, 4, 17));
  EXPECT_EQ(due(make_moment(2026, 4, 28, 10), "4wh"), iso_at(2026, 4, 28, 16));
}

TEST(ComputeDue, WorkingDaysAndHours) {
  EXPECT_EQ(due(make_moment(2026, 4, 28, 16), "4wh"), iso_at(2026, 4, 29, 10));
  EXPECT_EQ(due(make_moment(2026, 4, 28, 7), "1wd"), iso_at(2026, 4, 28, 17));
  // Received in the lunch break: 13:30–17:00, then 07:00–11:30 the next day.
  EXPECT_EQ(due(make_moment(2026, 4, 28, 12), "1wd"), iso_at(2026, 4, 29, 11, 30));
  EXPECT_EQ(due(make_moment(2026, 4, 25, 10), "1wh"), iso_at(2026, 4, 28, 8));  // Saturday
  // Over Tết 2026: Friday 13/2 09:00 + 1wd → Monday 23/2 09:00.
  EXPECT_EQ(due(make_moment(2026, 2, 13, 9), "1wd"), iso_at(2026, 2, 23, 9));
  // A make-up Saturday counts: Friday 9/1/2026 09:00 + 1wd → Saturday 10/1 09:00.
  EXPECT_EQ(due(make_moment(2026, 1, 9, 9), "1wd"), iso_at(2026, 1, 10, 9));
}

TEST(ComputeDue, WorkingDaysAreTheCalendarsDayLength) {
  tthc::calendar::WorkingCalendar::Options o;
  o.hours = tthc::calendar::WorkingHours{{tthc::calendar::Session{8h, 12h}}};  // 4 h a day
  auto c = tthc::calendar::WorkingCalendar::create({cal().table(2026)}, o);
  ASSERT_TRUE(c) << c.error().message;
  const auto d = compute_due(*c, make_moment(2026, 4, 28, 9), limit("2wd"));
  ASSERT_TRUE(d);
  // 28/4 09–12 (3 h), 29/4 (4 h), 30/4 and 1/5 off, 4/5 08–09 (1 h).
  EXPECT_EQ(format_iso(*d), iso_at(2026, 5, 4, 9));
  const auto h = compute_due(*c, make_moment(2026, 4, 28, 9), limit("4wh"));
  ASSERT_TRUE(h);
  EXPECT_EQ(format_iso(*h), iso_at(2026, 4, 29, 9));
}

// --- compute_due: calendar days --------------------------------------------------------------

TEST(ComputeDue, CalendarDaysFromTheNormalisedReceipt) {
  EXPECT_EQ(due(make_moment(2026, 4, 28, 10), "1d"), iso_at(2026, 4, 29, 10));
  EXPECT_EQ(due(make_moment(2026, 4, 28, 16, 30), "1d"), iso_at(2026, 4, 29, 16, 30));
  // Received on Saturday 25/4: the clock starts Tuesday 28/4 07:00 (27/4 is off), so + 1 day is
  // Wednesday 29/4 07:00 — not Sunday 26/4 10:00 rolled forward to 28/4.
  EXPECT_EQ(due(make_moment(2026, 4, 25, 10), "1d"), iso_at(2026, 4, 29, 7));
  // Received in the lunch break: 13:30 + 1 day.
  EXPECT_EQ(due(make_moment(2026, 4, 28, 12), "1d"), iso_at(2026, 4, 29, 13, 30));
}

TEST(ComputeDue, CalendarDaysRollForwardToAWorkingMoment) {
  // Ends on a Sunday → Monday morning.
  EXPECT_EQ(due(make_moment(2026, 8, 20, 10), "3d"), iso_at(2026, 8, 24, 7));
  // Ends on a worked Saturday (22/8/2026) → stays.
  EXPECT_EQ(due(make_moment(2026, 8, 20, 10), "2d"), iso_at(2026, 8, 22, 10));
  // Ends on a holiday (31/8, 1/9, 2/9 off) → Thursday 3/9.
  EXPECT_EQ(due(make_moment(2026, 8, 21, 16), "10d"), iso_at(2026, 9, 3, 7));
  // Ends on a working day: the time of day of the normalised receipt is kept.
  EXPECT_EQ(due(make_moment(2026, 4, 28, 11, 0), "1d"), iso_at(2026, 4, 29, 11, 0));
  // Ends after hours: receipt 28/4 17:00 → starts 29/4 07:00; +1 day = 30/4 (off) → 4/5.
  EXPECT_EQ(due(make_moment(2026, 4, 28, 17), "1d"), iso_at(2026, 5, 4, 7));
  // Into Tết: Friday 13/2 09:00 + 3 days = Monday 16/2 (off) → Monday 23/2 07:00.
  EXPECT_EQ(due(make_moment(2026, 2, 13, 9), "3d"), iso_at(2026, 2, 23, 7));
}

// --- compute_due: same day with a cut-off ----------------------------------------------------

TEST(ComputeDue, SameDayBeforeTheCutOff) {
  EXPECT_EQ(due(make_moment(2026, 4, 28, 9), "sameday@15:00"), iso_at(2026, 4, 28, 17));
  EXPECT_EQ(due(make_moment(2026, 4, 28, 14, 59, 59), "sameday@15:00"), iso_at(2026, 4, 28, 17));
}

TEST(ComputeDue, SameDayAtOrAfterTheCutOff) {
  EXPECT_EQ(due(make_moment(2026, 4, 28, 15), "sameday@15:00"), iso_at(2026, 4, 29, 17));
  EXPECT_EQ(due(make_moment(2026, 4, 28, 16, 59, 59), "sameday@15:00"), iso_at(2026, 4, 29, 17));
  // Across a weekend: Friday 8/5/2026 → Monday 11/5.
  EXPECT_EQ(due(make_moment(2026, 5, 8, 15, 30), "sameday@15:00"), iso_at(2026, 5, 11, 17));
  // Across 30/4, 1/5 and the weekend: Wednesday 29/4 → Monday 4/5.
  EXPECT_EQ(due(make_moment(2026, 4, 29, 15, 30), "sameday@15:00"), iso_at(2026, 5, 4, 17));
  // Across Tết 2026: Friday 13/2 → Monday 23/2.
  EXPECT_EQ(due(make_moment(2026, 2, 13, 15, 30), "sameday@15:00"), iso_at(2026, 2, 23, 17));
  // To a make-up Saturday: Friday 9/1/2026 → Saturday 10/1.
  EXPECT_EQ(due(make_moment(2026, 1, 9, 15, 30), "sameday@15:00"), iso_at(2026, 1, 10, 17));
}

TEST(ComputeDue, SameDayComparesTheNormalisedReceipt) {
  // On an off day: normalised to Tuesday 28/4 07:00, before the cut-off.
  EXPECT_EQ(due(make_moment(2026, 4, 25, 16), "sameday@15:00"), iso_at(2026, 4, 28, 17));
  // After hours on Friday 24/4: the clock starts Tuesday 28/4 07:00.
  EXPECT_EQ(due(make_moment(2026, 4, 24, 17, 30), "sameday@15:00"), iso_at(2026, 4, 28, 17));
  // Cut-off in the lunch break: 11:45 is normalised to 13:30, which is after 12:00.
  EXPECT_EQ(due(make_moment(2026, 4, 28, 11, 45), "sameday@12:00"), iso_at(2026, 4, 29, 17));
  EXPECT_EQ(due(make_moment(2026, 4, 28, 11, 29), "sameday@12:00"), iso_at(2026, 4, 28, 17));
  // Before the first session: normalised to 07:00, equal to a 07:00 cut-off → next day.
  EXPECT_EQ(due(make_moment(2026, 4, 28, 6), "sameday@07:00"), iso_at(2026, 4, 29, 17));
}

TEST(ComputeDue, NormaliseReceipt) {
  EXPECT_EQ(format_iso(tthc::calendar::normalize_receipt(cal(), make_moment(2026, 4, 24, 17, 30))),
            iso_at(2026, 4, 28, 7));
  EXPECT_EQ(format_iso(tthc::calendar::normalize_receipt(cal(), make_moment(2026, 4, 28, 9))),
            iso_at(2026, 4, 28, 9));
}

}  // namespace
