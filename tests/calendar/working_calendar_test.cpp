#include "calendar/working_calendar.hpp"

#include "support/calendar.hpp"
#include "support/moments.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using std::chrono::days;
using std::chrono::Saturday;
using std::chrono::Sunday;
using std::chrono::weekday;
using tthc::Date;
using tthc::Duration;
using tthc::format_date;
using tthc::format_iso;
using tthc::Interval;
using tthc::make_date;
using tthc::make_moment;
using tthc::Moment;
using tthc::calendar::HolidayTable;
using tthc::calendar::merge_intervals;
using tthc::calendar::Session;
using tthc::calendar::WorkingCalendar;
using tthc::calendar::WorkingHours;

const WorkingCalendar& cal() {
  return tthc::test::official_calendar();
}

// Moments are compared as ISO text: libstdc++ 12 cannot print chrono time points.
std::string iso(Moment m) {
  return format_iso(m);
}
using tthc::test::iso_at;

// The official days off and worked Saturdays of domain.md §3, typed in from the spec.
const std::set<std::string>& spec_days_off() {
  static const std::set<std::string> s = {
      "2021-01-01", "2021-02-10", "2021-02-11", "2021-02-12", "2021-02-15", "2021-02-16",
      "2021-04-21", "2021-04-30", "2021-05-03", "2021-09-02", "2021-09-03", "2022-01-03",
      "2022-01-31", "2022-02-01", "2022-02-02", "2022-02-03", "2022-02-04", "2022-04-11",
      "2022-05-02", "2022-05-03", "2022-09-01", "2022-09-02", "2023-01-02", "2023-01-20",
      "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26", "2023-05-01", "2023-05-02",
      "2023-05-03", "2023-09-01", "2023-09-04", "2024-01-01", "2024-02-08", "2024-02-09",
      "2024-02-12", "2024-02-13", "2024-02-14", "2024-04-18", "2024-04-29", "2024-04-30",
      "2024-05-01", "2024-09-02", "2024-09-03", "2025-01-01", "2025-01-27", "2025-01-28",
      "2025-01-29", "2025-01-30", "2025-01-31", "2025-04-07", "2025-04-30", "2025-05-01",
      "2025-05-02", "2025-09-01", "2025-09-02", "2026-01-01", "2026-01-02", "2026-02-16",
      "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-04-27", "2026-04-30",
      "2026-05-01", "2026-08-31", "2026-09-01", "2026-09-02", "2026-11-24"};
  return s;
}
const std::set<std::string>& spec_working_saturdays() {
  static const std::set<std::string> s = {"2024-05-04", "2025-04-26", "2026-01-10", "2026-08-22"};
  return s;
}

// --- The worked examples of domain.md §3 -----------------------------------------------------

TEST(WorkedExamples, ThreeWorkingDaysOverTheAprilMayHolidays) {
  const Moment received = make_moment(2026, 4, 24, 9);
  EXPECT_EQ(iso(cal().normalize(received)), iso_at(2026, 4, 24, 9));
  EXPECT_EQ(iso(cal().add(cal().normalize(received), 3 * cal().day_length())),
            iso_at(2026, 5, 4, 9));
}

TEST(WorkedExamples, AfterHoursReceiptEndsOnASessionEnd) {
  const Moment start = cal().normalize(make_moment(2026, 4, 24, 17, 30));
  EXPECT_EQ(iso(start), iso_at(2026, 4, 28, 7));
  EXPECT_EQ(iso(cal().add(start, 3 * cal().day_length())), iso_at(2026, 5, 4, 17));
}

TEST(WorkedExamples, FourWorkingHoursSkipTheLunchBreak) {
  EXPECT_EQ(iso(cal().add(make_moment(2026, 4, 28, 10), 4h)), iso_at(2026, 4, 28, 16));
}

// --- Calendar basics ---------------------------------------------------------------------------

TEST(WorkingCalendar, StandardHours) {
  const WorkingHours h = WorkingHours::standard();
  ASSERT_EQ(h.sessions.size(), 2U);
  EXPECT_EQ(h.sessions[0], (Session{7h, 11h + 30min}));
  EXPECT_EQ(h.sessions[1], (Session{13h + 30min, 17h}));
  EXPECT_EQ(h.day_length(), 8h);
  EXPECT_EQ(cal().day_length(), 8h);
  EXPECT_EQ(tthc::calendar::to_string(h), "07:00-11:30,13:30-17:00");
}

TEST(WorkingCalendar, VersionNamesTheOfficialYears) {
  EXPECT_EQ(cal().version().rfind("2021-2026@", 0), 0U) << cal().version();
  auto other = WorkingCalendar::create({});
  ASSERT_TRUE(other);
  EXPECT_NE(other->version(), cal().version());
  EXPECT_EQ(other->version().rfind("provisional-only@", 0), 0U) << other->version();
}

TEST(WorkingCalendar, IsWorkingDayMatchesTheSpecTables2021To2026) {
  int checked = 0;
  for (Date d = make_date(2021, 1, 1); d <= make_date(2026, 12, 31); d += days{1}) {
    const std::string s = format_date(d);
    const weekday w{d};
    const bool weekend = w == Saturday || w == Sunday;
    const bool expected =
        spec_working_saturdays().count(s) != 0 || (!weekend && spec_days_off().count(s) == 0);
    ASSERT_EQ(cal().is_working_day(d), expected) << s;
    ++checked;
  }
  EXPECT_EQ(checked, 365 * 6 + 1);
}

TEST(WorkingCalendar, MakeUpSaturdayIsAWorkingDay) {
  EXPECT_TRUE(cal().is_working_day(make_date(2026, 1, 10)));
  EXPECT_FALSE(cal().is_working_day(make_date(2026, 1, 17)));
  EXPECT_TRUE(cal().is_working_moment(make_moment(2026, 1, 10, 9)));
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 1, 10, 6))), iso_at(2026, 1, 10, 7));
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 1, 9, 17, 30))), iso_at(2026, 1, 10, 7));
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 1, 10, 17))), iso_at(2026, 1, 12, 7));
  // Friday 13:30 + 1 working day: 3.5 h on Friday, 4.5 h on the Saturday → 11:30 (a session end).
  EXPECT_EQ(iso(cal().add(make_moment(2026, 1, 9, 13, 30), 8h)), iso_at(2026, 1, 10, 11, 30));
}

// --- normalize -----------------------------------------------------------------------------

TEST(Normalize, WithinAWorkingDay) {
  // Tuesday 28/4/2026 is a working day.
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 4, 28, 0))), iso_at(2026, 4, 28, 7));
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 4, 28, 6, 59, 59))), iso_at(2026, 4, 28, 7));
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 4, 28, 7))), iso_at(2026, 4, 28, 7));
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 4, 28, 9, 15, 3))),
            iso_at(2026, 4, 28, 9, 15, 3));
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 4, 28, 11, 29, 59))),
            iso_at(2026, 4, 28, 11, 29, 59));
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 4, 28, 11, 30))), iso_at(2026, 4, 28, 13, 30));
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 4, 28, 12))), iso_at(2026, 4, 28, 13, 30));
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 4, 28, 13, 29, 59))),
            iso_at(2026, 4, 28, 13, 30));
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 4, 28, 13, 30))), iso_at(2026, 4, 28, 13, 30));
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 4, 28, 16, 59, 59))),
            iso_at(2026, 4, 28, 16, 59, 59));
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 4, 28, 17))), iso_at(2026, 4, 29, 7));
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 4, 28, 23, 59, 59))), iso_at(2026, 4, 29, 7));
}

TEST(Normalize, SessionEndsAreNotWorkingMoments) {
  EXPECT_FALSE(cal().is_working_moment(make_moment(2026, 4, 28, 11, 30)));
  EXPECT_FALSE(cal().is_working_moment(make_moment(2026, 4, 28, 17)));
  EXPECT_TRUE(cal().is_working_moment(make_moment(2026, 4, 28, 7)));
  EXPECT_TRUE(cal().is_working_moment(make_moment(2026, 4, 28, 13, 30)));
  EXPECT_FALSE(cal().is_working_moment(make_moment(2026, 4, 28, 6, 59, 59)));
}

TEST(Normalize, OffDaysMoveToTheNextWorkingMorning) {
  // Saturday 25/4 → Monday 27/4 is off → Tuesday 28/4.
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 4, 25, 10))), iso_at(2026, 4, 28, 7));
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 4, 27, 10))), iso_at(2026, 4, 28, 7));
  // Wednesday 29/4 after hours → 30/4, 1/5 off, weekend → Monday 4/5.
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 4, 29, 17))), iso_at(2026, 5, 4, 7));
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 4, 30, 9))), iso_at(2026, 5, 4, 7));
  // Tết 2026: Friday 13/2 after hours → Monday 23/2.
  EXPECT_EQ(iso(cal().normalize(make_moment(2026, 2, 13, 17, 0, 1))), iso_at(2026, 2, 23, 7));
  // New Year 2026 → Monday 5/1.
  EXPECT_EQ(iso(cal().normalize(make_moment(2025, 12, 31, 18))), iso_at(2026, 1, 5, 7));
  // 2027 is provisional: Friday 4/2/2027 → 5/2 (last lunar day) … 11/2 off → Friday 12/2.
  EXPECT_EQ(iso(cal().normalize(make_moment(2027, 2, 4, 17))), iso_at(2027, 2, 12, 7));
}

// --- nth_working_day_after -------------------------------------------------------------------

std::string nth(Date d, int n) {
  const auto r = cal().nth_working_day_after(d, n);
  return r ? format_date(*r) : "none";
}

TEST(NthWorkingDayAfter, SkipsWeekendsAndHolidays) {
  EXPECT_EQ(nth(make_date(2026, 4, 24), 1), "2026-04-28");
  EXPECT_EQ(nth(make_date(2026, 4, 24), 2), "2026-04-29");
  EXPECT_EQ(nth(make_date(2026, 4, 24), 3), "2026-05-04");
  EXPECT_EQ(nth(make_date(2026, 4, 30), 1), "2026-05-04");  // from a day off
  EXPECT_EQ(nth(make_date(2026, 4, 25), 1), "2026-04-28");  // from a Saturday
  EXPECT_EQ(nth(make_date(2026, 1, 9), 1), "2026-01-10");   // make-up Saturday
  EXPECT_EQ(nth(make_date(2026, 2, 13), 1), "2026-02-23");  // Tết
  EXPECT_EQ(nth(make_date(2026, 12, 31), 1), "2027-01-04");
  EXPECT_EQ(nth(make_date(2199, 12, 31), 1), "none");
}

TEST(NthWorkingDayAfter, AgreesWithIsWorkingDay) {
  for (Date d = make_date(2021, 1, 1); d <= make_date(2027, 12, 31); d += days{5}) {
    Date walk = d;
    for (int n = 1; n <= 12; ++n) {
      do {
        walk += days{1};
      } while (!cal().is_working_day(walk));
      ASSERT_EQ(nth(d, n), format_date(walk)) << format_date(d) << " n=" << n;
    }
  }
}

// --- add and between ---------------------------------------------------------------------------

TEST(Add, ZeroOrNegativeAmountIsTheSameMoment) {
  for (const Moment t : {make_moment(2026, 4, 28, 10), make_moment(2026, 4, 25, 10),
                         make_moment(2026, 4, 28, 17), make_moment(2026, 4, 28, 12)}) {
    EXPECT_EQ(iso(cal().add(t, Duration::zero())), iso(t));
    EXPECT_EQ(iso(cal().add(t, -1h)), iso(t));
  }
}

TEST(Add, DueOnASessionEndStaysThere) {
  EXPECT_EQ(iso(cal().add(make_moment(2026, 4, 28, 7), 4h + 30min)), iso_at(2026, 4, 28, 11, 30));
  EXPECT_EQ(iso(cal().add(make_moment(2026, 4, 28, 7), 8h)), iso_at(2026, 4, 28, 17));
  EXPECT_EQ(iso(cal().add(make_moment(2026, 4, 28, 13, 30), 3h + 30min)), iso_at(2026, 4, 28, 17));
  // One more second starts the next session.
  EXPECT_EQ(iso(cal().add(make_moment(2026, 4, 28, 7), 4h + 30min + 1s)),
            iso_at(2026, 4, 28, 13, 30, 1));
  EXPECT_EQ(iso(cal().add(make_moment(2026, 4, 29, 7), 8h + 1s)), iso_at(2026, 5, 4, 7, 0, 1));
}

TEST(Add, FromNonWorkingMoments) {
  // From Saturday: counts from the next working morning.
  EXPECT_EQ(iso(cal().add(make_moment(2026, 4, 25, 10), 1h)), iso_at(2026, 4, 28, 8));
  // From the lunch break.
  EXPECT_EQ(iso(cal().add(make_moment(2026, 4, 28, 12), 1h)), iso_at(2026, 4, 28, 14, 30));
  // From 17:00.
  EXPECT_EQ(iso(cal().add(make_moment(2026, 4, 28, 17), 30min)), iso_at(2026, 4, 29, 7, 30));
}

TEST(Between, KnownSpans) {
  EXPECT_EQ(cal().between(make_moment(2026, 4, 28, 7), make_moment(2026, 4, 28, 17)), 8h);
  EXPECT_EQ(cal().between(make_moment(2026, 4, 28, 0), make_moment(2026, 4, 29, 0)), 8h);
  EXPECT_EQ(cal().between(make_moment(2026, 4, 28, 10), make_moment(2026, 4, 28, 16)), 4h);
  EXPECT_EQ(cal().between(make_moment(2026, 4, 28, 11, 45), make_moment(2026, 4, 28, 13, 15)),
            Duration::zero());
  // Friday 24/4 09:00 to Monday 4/5 09:00: 24/4 (8h − 2h), 28/4, 29/4, 4/5 (2h) = 3 days.
  EXPECT_EQ(cal().between(make_moment(2026, 4, 24, 9), make_moment(2026, 5, 4, 9)), 24h);
  // Whole year 2026: working days × 8 h.
  int working = 0;
  for (Date d = make_date(2026, 1, 1); d <= make_date(2026, 12, 31); d += days{1}) {
    working += cal().is_working_day(d) ? 1 : 0;
  }
  EXPECT_EQ(cal().between(make_moment(2026, 1, 1, 0), make_moment(2027, 1, 1, 0)),
            Duration{working * 8 * 3600});
  // 2026: 261 weekdays − 14 days off + 2 Saturdays.
  EXPECT_EQ(working, 249);
}

TEST(Between, EmptyOrReversedIsZero) {
  const Moment a = make_moment(2026, 4, 28, 10);
  EXPECT_EQ(cal().between(a, a), Duration::zero());
  EXPECT_EQ(cal().between(a, a - 1h), Duration::zero());
  EXPECT_EQ(cal().between(a, a - 1h, std::vector<Interval>{}), Duration::zero());
}

TEST(Between, WithPauses) {
  const Moment a = make_moment(2026, 4, 28, 7);
  const Moment b = make_moment(2026, 4, 29, 17);  // 16 working hours
  std::vector<Interval> none;
  EXPECT_EQ(cal().between(a, b, none), 16h);
  // [28/4 13:30, 29/4 09:00): 3.5 h + 2 h paused.
  std::vector<Interval> one = {{make_moment(2026, 4, 28, 13, 30), make_moment(2026, 4, 29, 9)}};
  EXPECT_EQ(cal().between(a, b, one), 10h + 30min);
  // Pauses reaching outside [a, b) only count inside it.
  std::vector<Interval> outside = {
      {make_moment(2026, 4, 27, 0), make_moment(2026, 4, 28, 8)},    // 1 h inside
      {make_moment(2026, 4, 28, 12), make_moment(2026, 4, 28, 14)},  // 30 min inside
      {make_moment(2026, 4, 29, 16), make_moment(2026, 5, 5, 0)}};   // 1 h inside
  EXPECT_EQ(cal().between(a, b, outside), 13h + 30min);
  // A pause over a weekend/holiday takes no working time.
  std::vector<Interval> off = {{make_moment(2026, 4, 30, 0), make_moment(2026, 5, 4, 0)}};
  EXPECT_EQ(cal().between(make_moment(2026, 4, 29, 7), make_moment(2026, 5, 4, 17), off), 16h);
  // A pause covering everything leaves nothing.
  std::vector<Interval> all = {{a - 24h, b + 24h}};
  EXPECT_EQ(cal().between(a, b, all), Duration::zero());
  // Pauses entirely outside change nothing.
  std::vector<Interval> away = {{b, b + 48h}, {a - 48h, a}};
  EXPECT_EQ(cal().between(a, b, away), 16h);
}

// --- Properties over random moments ----------------------------------------------------------

class RandomMoments : public ::testing::Test {
 protected:
  Moment any_moment() {
    std::uniform_int_distribution<std::int64_t> pick(lo_, hi_);
    return Moment{Duration{pick(rng_)}};
  }
  // Mostly round minutes, sometimes exactly on a session boundary, sometimes any second.
  Moment interesting_moment() {
    const int kind = std::uniform_int_distribution<int>(0, 3)(rng_);
    const Moment m = any_moment();
    if (kind == 0) return m;
    const Date d = tthc::day_of(m);
    if (kind == 1) {
      static constexpr std::array<Duration, 6> kBoundaries = {
          Duration{0h},          Duration{7h},  Duration{11h + 30min},
          Duration{13h + 30min}, Duration{17h}, Duration{23h + 59min + 59s}};
      return d + kBoundaries[std::uniform_int_distribution<std::size_t>(0, 5)(rng_)];
    }
    return d + std::chrono::minutes{std::uniform_int_distribution<int>(0, 1439)(rng_)};
  }
  Duration any_amount() {
    const int kind = std::uniform_int_distribution<int>(0, 2)(rng_);
    if (kind == 0) return std::chrono::hours{std::uniform_int_distribution<int>(1, 8 * 40)(rng_)};
    if (kind == 1) return 8h * std::uniform_int_distribution<int>(1, 60)(rng_);
    return Duration{std::uniform_int_distribution<std::int64_t>(1, 8 * 3600 * 30)(rng_)};
  }

  std::mt19937 rng_{0x7711C};
  std::int64_t lo_ = make_moment(2021, 1, 1).time_since_epoch().count();
  std::int64_t hi_ = make_moment(2027, 12, 31, 23, 59, 59).time_since_epoch().count();
};

TEST_F(RandomMoments, BetweenUndoesAdd) {
  for (int i = 0; i < 20000; ++i) {
    const Moment t = interesting_moment();
    const Duration d = any_amount();
    const Moment due = cal().add(t, d);
    ASSERT_EQ(cal().between(t, due), d) << iso(t) << " + " << d.count() << "s = " << iso(due);
  }
}

TEST_F(RandomMoments, AddGivesTheEarliestMoment) {
  for (int i = 0; i < 20000; ++i) {
    const Moment t = interesting_moment();
    const Duration d = any_amount();
    const Moment due = cal().add(t, d);
    ASSERT_GT(due, t);
    ASSERT_LT(cal().between(t, due - 1s), d) << iso(t) << " + " << d.count() << "s";
    // The due is never in a non-working stretch, except exactly at a session end.
    const Moment just_before = due - 1s;
    ASSERT_TRUE(cal().is_working_moment(just_before)) << iso(due);
  }
}

TEST_F(RandomMoments, BetweenIsAdditive) {
  for (int i = 0; i < 20000; ++i) {
    Moment m[3] = {interesting_moment(), interesting_moment(), interesting_moment()};
    std::sort(std::begin(m), std::end(m));
    ASSERT_EQ(cal().between(m[0], m[1]) + cal().between(m[1], m[2]), cal().between(m[0], m[2]))
        << iso(m[0]) << " " << iso(m[1]) << " " << iso(m[2]);
  }
}

TEST_F(RandomMoments, NormalizeIsTheNextWorkingMoment) {
  for (int i = 0; i < 20000; ++i) {
    const Moment t = interesting_moment();
    const Moment n = cal().normalize(t);
    ASSERT_GE(n, t);
    ASSERT_TRUE(cal().is_working_moment(n)) << iso(t) << " -> " << iso(n);
    ASSERT_EQ(cal().between(t, n), Duration::zero()) << iso(t) << " -> " << iso(n);
    ASSERT_EQ(cal().normalize(n), n);
    // No working time is skipped: adding one second from t lands one second after n.
    ASSERT_EQ(cal().add(t, 1s), n + 1s) << iso(t);
  }
}

// An oracle that knows nothing of the calendar's index: walks day by day and session by session
// with only is_working_day and the session table.
Duration oracle_between(const WorkingCalendar& c, Moment a, Moment b) {
  Duration total{};
  if (b <= a) return total;
  for (Date d = tthc::day_of(a); d <= tthc::day_of(b); d += days{1}) {
    if (!c.is_working_day(d)) continue;
    for (const Session& s : c.hours().sessions) {
      const Moment lo = std::max(a, d + s.start);
      const Moment hi = std::min(b, d + s.end);
      if (hi > lo) total += hi - lo;
    }
  }
  return total;
}

TEST_F(RandomMoments, BetweenAgreesWithSessionWalkingOracle) {
  for (int i = 0; i < 20000; ++i) {
    const Moment a = interesting_moment();
    const Moment b = a + Duration{std::uniform_int_distribution<std::int64_t>(0, 20 * 86400)(rng_)};
    ASSERT_EQ(cal().between(a, b), oracle_between(cal(), a, b)) << iso(a) << " .. " << iso(b);
  }
}

TEST_F(RandomMoments, BetweenAgreesWithMinuteWalkingOracle) {
  // A second, cruder oracle: count the working minutes one by one on whole-minute moments.
  const auto& sessions = cal().hours().sessions;
  auto working_minute = [&](Moment m) {
    if (!cal().is_working_day(tthc::day_of(m))) return false;
    const Duration tod = tthc::time_of_day(m);
    return std::any_of(sessions.begin(), sessions.end(),
                       [&](const Session& s) { return tod >= s.start && tod < s.end; });
  };
  for (int i = 0; i < 300; ++i) {
    const Moment a = std::chrono::floor<std::chrono::minutes>(any_moment());
    const Moment b =
        a + std::chrono::minutes{std::uniform_int_distribution<int>(0, 20 * 1440)(rng_)};
    Duration expected{};
    for (Moment m = a; m < b; m += 1min) expected += working_minute(m) ? 60s : 0s;
    ASSERT_EQ(cal().between(a, b), expected) << iso(a) << " .. " << iso(b);
  }
}

TEST_F(RandomMoments, BetweenWithPausesEqualsBetweenMinusPausedTime) {
  for (int i = 0; i < 5000; ++i) {
    const Moment a = interesting_moment();
    const Moment b = a + Duration{std::uniform_int_distribution<std::int64_t>(0, 30 * 86400)(rng_)};
    std::vector<Interval> pauses;
    const int n = std::uniform_int_distribution<int>(0, 4)(rng_);
    for (int k = 0; k < n; ++k) {
      const Moment p =
          a + Duration{std::uniform_int_distribution<std::int64_t>(-86400 * 5, 30 * 86400)(rng_)};
      pauses.push_back(
          {p, p + Duration{std::uniform_int_distribution<std::int64_t>(0, 6 * 86400)(rng_)}});
    }
    merge_intervals(pauses);
    Duration paused{};
    for (const Interval& p : pauses) {
      paused += oracle_between(cal(), std::max(a, p.begin), std::min(b, p.end));
    }
    ASSERT_EQ(cal().between(a, b, pauses), oracle_between(cal(), a, b) - paused)
        << iso(a) << " .. " << iso(b);
  }
}

// --- Custom working hours --------------------------------------------------------------------

TEST(CustomHours, SingleSessionEightToFour) {
  WorkingCalendar::Options o;
  o.hours = WorkingHours{{Session{8h, 16h}}};
  o.first_year = 2020;
  o.last_year = 2030;
  auto tables = std::vector<HolidayTable>{tthc::test::official_calendar().table(2026)};
  auto c = WorkingCalendar::create(tables, o);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->day_length(), 8h);
  EXPECT_EQ(c->first_year(), 2020);
  EXPECT_EQ(c->last_year(), 2030);
  EXPECT_FALSE(c->is_provisional(2026));
  EXPECT_TRUE(c->is_provisional(2025));
  // Tuesday 28/4/2026.
  EXPECT_EQ(iso(c->normalize(make_moment(2026, 4, 28, 7))), iso_at(2026, 4, 28, 8));
  EXPECT_EQ(iso(c->normalize(make_moment(2026, 4, 28, 12))), iso_at(2026, 4, 28, 12));
  EXPECT_EQ(iso(c->normalize(make_moment(2026, 4, 28, 16))), iso_at(2026, 4, 29, 8));
  EXPECT_EQ(iso(c->add(make_moment(2026, 4, 28, 15), 2h)), iso_at(2026, 4, 29, 9));
  EXPECT_EQ(iso(c->add(make_moment(2026, 4, 28, 8), 8h)), iso_at(2026, 4, 28, 16));
  EXPECT_EQ(iso(c->end_of_day(make_date(2026, 4, 28))), iso_at(2026, 4, 28, 16));
  EXPECT_EQ(c->between(make_moment(2026, 4, 28, 0), make_moment(2026, 4, 29, 0)), 8h);
  EXPECT_EQ(c->between(make_moment(2026, 4, 28, 11), make_moment(2026, 4, 28, 14)), 3h);
  // 3 working days from Friday 24/4 09:00 → Monday 4/5 09:00, as with the standard hours.
  EXPECT_EQ(iso(c->add(make_moment(2026, 4, 24, 9), 24h)), iso_at(2026, 5, 4, 9));
  // Outside the calendar's years no day is a working day.
  EXPECT_FALSE(c->is_working_day(make_date(2031, 1, 2)));
  EXPECT_FALSE(c->is_working_day(make_date(2019, 12, 31)));
  EXPECT_TRUE(c->is_working_day(make_date(2030, 12, 31)));
  EXPECT_NE(c->version(), cal().version());
}

TEST(CustomHours, ThreeSessionsOfSixHours) {
  WorkingCalendar::Options o;
  o.hours = WorkingHours{{Session{8h, 10h}, Session{11h, 13h}, Session{14h, 16h}}};
  auto c = WorkingCalendar::create({}, o);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->day_length(), 6h);
  EXPECT_EQ(iso(c->add(make_moment(2030, 3, 5, 9), 3h)), iso_at(2030, 3, 5, 13));  // on an end
  EXPECT_EQ(iso(c->add(make_moment(2030, 3, 5, 9), 4h)), iso_at(2030, 3, 5, 15));
  EXPECT_EQ(iso(c->add(make_moment(2030, 3, 5, 9), 1h)), iso_at(2030, 3, 5, 10));
  EXPECT_EQ(iso(c->normalize(make_moment(2030, 3, 5, 10))), iso_at(2030, 3, 5, 11));
  EXPECT_EQ(iso(c->end_of_day(make_date(2030, 3, 5))), iso_at(2030, 3, 5, 16));
}

TEST(CustomHours, ParseAndValidate) {
  auto h = tthc::calendar::parse_working_hours("08:00-12:00, 13:00-17:30");
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->day_length(), 8h + 30min);
  EXPECT_EQ(tthc::calendar::to_string(*h), "08:00-12:00,13:00-17:30");
  auto standard = tthc::calendar::parse_working_hours("07:00-11:30,13:30-17:00");
  ASSERT_TRUE(standard);
  EXPECT_EQ(*standard, WorkingHours::standard());
  for (const char* bad :
       {"", "07:00", "07:00-25:00", "7:00-11:30", "11:30-07:00", "07:00-11:30,11:00-17:00",
        "13:30-17:00,07:00-11:30", "07:00-07:00", "07:00-11:60"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(tthc::calendar::parse_working_hours(bad));
  }
  EXPECT_FALSE(tthc::calendar::validate_working_hours(WorkingHours{}));
}

TEST(CreateCalendar, Errors) {
  WorkingCalendar::Options reversed;
  reversed.first_year = 2030;
  reversed.last_year = 2020;
  EXPECT_FALSE(WorkingCalendar::create({}, reversed));
  WorkingCalendar::Options early;
  early.first_year = 1800;
  EXPECT_FALSE(WorkingCalendar::create({}, early));

  const HolidayTable t2026 = tthc::test::official_calendar().table(2026);
  auto twice = WorkingCalendar::create({t2026, t2026});
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("2026"), std::string::npos) << twice.error().message;

  WorkingCalendar::Options narrow;
  narrow.first_year = 2027;
  narrow.last_year = 2030;
  auto outside = WorkingCalendar::create({t2026}, narrow);
  ASSERT_FALSE(outside);
  EXPECT_NE(outside.error().message.find("2026"), std::string::npos) << outside.error().message;

  HolidayTable weekend = t2026;
  weekend.days_off.push_back(make_date(2026, 4, 25));
  auto bad = WorkingCalendar::create({weekend});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("2026-04-25"), std::string::npos) << bad.error().message;
}

// --- merge_intervals ---------------------------------------------------------------------------

std::vector<std::string> text(const std::vector<Interval>& v) {
  std::vector<std::string> out;
  for (const Interval& i : v) out.push_back(iso(i.begin) + "/" + iso(i.end));
  return out;
}

Moment hr(int hour) {
  return make_moment(2026, 4, 28, hour);
}

TEST(MergeIntervals, OverlapTouchEmptyAndUnsorted) {
  std::vector<Interval> v = {{hr(10), hr(12)}, {hr(1), hr(3)},  {hr(2), hr(5)},  // overlap
                             {hr(5), hr(6)},                                     // touches 1–5
                             {hr(8), hr(8)},                                     // empty
                             {hr(9), hr(7)},                                     // reversed: empty
                             {hr(11), hr(11)},                                   // empty inside
                             {hr(13), hr(20)}, {hr(14), hr(15)}};                // contained
  merge_intervals(v);
  EXPECT_EQ(text(v), text({{hr(1), hr(6)}, {hr(10), hr(12)}, {hr(13), hr(20)}}));
}

TEST(MergeIntervals, EmptyInputAndOnlyEmptyIntervals) {
  std::vector<Interval> none;
  merge_intervals(none);
  EXPECT_TRUE(none.empty());
  std::vector<Interval> empties = {{hr(3), hr(3)}, {hr(5), hr(4)}};
  merge_intervals(empties);
  EXPECT_TRUE(empties.empty());
}

TEST(MergeIntervals, DisjointStayAsTheyAreInOrder) {
  std::vector<Interval> v = {{hr(7), hr(8)}, {hr(3), hr(4)}, {hr(5), hr(6)}};
  merge_intervals(v);
  EXPECT_EQ(text(v), text({{hr(3), hr(4)}, {hr(5), hr(6)}, {hr(7), hr(8)}}));
}

TEST(MergeIntervals, RandomAgainstCoverage) {
  std::mt19937 rng(42);
  for (int round = 0; round < 500; ++round) {
    std::vector<Interval> v;
    std::vector<bool> covered(48, false);  // half-hour slots of one day
    const Moment base = make_moment(2026, 4, 28);
    const int n = std::uniform_int_distribution<int>(0, 8)(rng);
    for (int i = 0; i < n; ++i) {
      const int b = std::uniform_int_distribution<int>(0, 47)(rng);
      const int e = std::uniform_int_distribution<int>(0, 48)(rng);
      v.push_back({base + 30min * b, base + 30min * e});
      for (int k = b; k < e; ++k) covered[static_cast<std::size_t>(k)] = true;
    }
    merge_intervals(v);
    std::vector<Interval> expected;
    for (int k = 0; k < 48; ++k) {
      if (!covered[static_cast<std::size_t>(k)]) continue;
      if (!expected.empty() && expected.back().end == base + 30min * k) {
        expected.back().end += 30min;
      } else {
        expected.push_back({base + 30min * k, base + 30min * (k + 1)});
      }
    }
    ASSERT_EQ(text(v), text(expected)) << "round " << round;
  }
}

}  // namespace
