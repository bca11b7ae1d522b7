#pragma once
// The Vietnamese working calendar: working sessions each day, weekends, days off and make-up
// Saturdays per year, and working-time arithmetic exact to the second in Vietnam local time.
//
// Immutable after create(); safe to share between threads.
// Every operation is O(1): a day index maps to the count of working days before it, and the
// k-th working day is looked up directly (all working days have the same sessions).

#include "base/result.hpp"
#include "calendar/holiday_table.hpp"
#include "domain/time.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::calendar {

/// A working session [start, end) as offsets from midnight.
struct Session {
  Duration start;
  Duration end;
  friend bool operator==(const Session&, const Session&) = default;
};

struct WorkingHours {
  std::vector<Session> sessions;

  /// 07:00–11:30 and 13:30–17:00: 8 working hours, one working day.
  static WorkingHours standard();
  Duration day_length() const;
  friend bool operator==(const WorkingHours&, const WorkingHours&) = default;
};

/// "07:00-11:30,13:30-17:00": sessions in order, not overlapping, within the day.
Result<WorkingHours> parse_working_hours(std::string_view text);
Result<WorkingHours> validate_working_hours(WorkingHours hours);
std::string to_string(const WorkingHours& hours);

class WorkingCalendar {
 public:
  struct Options {
    WorkingHours hours = WorkingHours::standard();
    int first_year = 1970;  ///< days outside [first_year, last_year] are not working days
    int last_year = 2199;
  };

  /// `official` tables override the provisional table of their year.
  static Result<WorkingCalendar> create(std::vector<HolidayTable> official, Options options);
  static Result<WorkingCalendar> create(std::vector<HolidayTable> official) {
    return create(std::move(official), Options{});
  }

  int first_year() const { return first_year_; }
  int last_year() const { return last_year_; }
  bool covers_year(int year) const { return year >= first_year_ && year <= last_year_; }

  const WorkingHours& hours() const { return hours_; }
  /// One working day's working time (8 h by default).
  Duration day_length() const { return day_length_; }

  /// The table in force for a covered year (official, or provisional when none was loaded).
  const HolidayTable& table(int year) const;
  bool is_provisional(int year) const { return table(year).provisional; }

  bool is_working_day(Date d) const;
  /// Inside a working session (a session end is not: 11:30 and 17:00 are not working moments).
  bool is_working_moment(Moment m) const { return normalize(m) == m; }

  /// The next working moment at or after `m`.
  Moment normalize(Moment m) const;

  /// The earliest moment at which `amount` of working time has elapsed since `from`.
  /// It may be a session end (a due at 17:00 stays at 17:00). amount <= 0 gives `from`.
  Moment add(Moment from, Duration amount) const;

  /// Working time in [a, b); zero when b <= a.
  Duration between(Moment a, Moment b) const;
  /// Working time in [a, b) outside `pauses` (sorted and disjoint, see merge_intervals).
  Duration between(Moment a, Moment b, std::span<const Interval> pauses) const;

  /// The n-th working day after `d` (n >= 1); nullopt past the calendar's last year.
  std::optional<Date> nth_working_day_after(Date d, int n) const;
  /// The end of the last session of a day (17:00 by default).
  Moment end_of_day(Date d) const { return d + hours_.sessions.back().end; }

  /// Identifies the hours and every official table: reports record it.
  const std::string& version() const { return version_; }

 private:
  WorkingCalendar() = default;
  std::int64_t index_of(Date d) const;
  /// Working time from the calendar's first day to `m`.
  std::int64_t cumulative(Moment m) const;
  std::int64_t within_day(std::int64_t seconds_of_day) const;
  Moment start_of_working_day(std::int64_t k) const;
  Moment past_end() const;

  WorkingHours hours_;
  Duration day_length_{};
  int first_year_ = 0;
  int last_year_ = 0;
  Date first_day_{};
  std::int64_t day_count_ = 0;
  std::vector<std::int32_t> rank_;          ///< working days before day i, size day_count_+1
  std::vector<std::int32_t> working_days_;  ///< day index of the k-th working day
  std::vector<HolidayTable> tables_;        ///< by year - first_year_
  std::string version_;
};

/// Sorts intervals and merges the overlapping and touching ones; drops empty ones.
void merge_intervals(std::vector<Interval>& intervals);

}  // namespace tthc::calendar
