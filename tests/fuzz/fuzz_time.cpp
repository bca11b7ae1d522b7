// The date parsers (src/domain/time), the limit and working-hours parsers and the due a limit
// gives (src/calendar). The input is a moment, optionally a newline and a limit. Checked: every
// form parse_data_moment reads, parse_user_moment reads alike; a moment formats back (ISO 8601
// and the compact MC form) to text that parses to the same moment; a date formats back to the
// same text; a limit prints back to itself; a due is at or after the clock start and, for
// working time, exactly that much working time after it.

#include "calendar/limit.hpp"
#include "calendar/working_calendar.hpp"
#include "domain/time.hpp"
#include "fuzz/fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

using namespace tthc;
using namespace tthc::calendar;

int year_of(Moment m) {
  return static_cast<int>(std::chrono::year_month_day{day_of(m)}.year());
}

void check_moment(std::string_view text) {
  const auto data = parse_data_moment(text);
  const auto user = parse_user_moment(text);
  if (data) FUZZ_CHECK(user && *user == *data);
  if (!user) return;
  // The formats write four-digit years: years outside them cannot be written back.
  if (year_of(*user) < 1 || year_of(*user) > 9999) return;
  const auto iso = parse_data_moment(format_iso(*user));
  FUZZ_CHECK(iso && *iso == *user);
  const auto compact = parse_data_moment(format_compact(*user));
  FUZZ_CHECK(compact && *compact == *user);
}

void check_date(std::string_view text) {
  const auto d = parse_date(text);
  if (!d) return;
  FUZZ_CHECK(format_date(*d) == text);
  const auto m = parse_user_moment(text);
  FUZZ_CHECK(m && *m == Moment{*d});
}

// One calendar for every input: the provisional tables of a few years (no files).
const WorkingCalendar& calendar() {
  static const WorkingCalendar cal = [] {
    WorkingCalendar::Options options;
    options.first_year = 2024;
    options.last_year = 2027;
    return *WorkingCalendar::create({}, options);
  }();
  return cal;
}

void check_due(Moment received, const Limit& limit) {
  const WorkingCalendar& cal = calendar();
  // The calendar answers for its years only (the command line refuses others).
  if (!cal.covers_year(year_of(received))) return;
  const Moment start = cal.normalize(received);
  FUZZ_CHECK(start >= received);
  const auto due = compute_due(cal, received, limit);
  FUZZ_CHECK(due.has_value() == limit.has_due() || limit.unit == Limit::Unit::SameDay);
  if (!due) return;
  FUZZ_CHECK(*due >= start);
  const Moment end_of_calendar = make_moment(cal.last_year() + 1, 1, 1);
  if (*due >= end_of_calendar) return;  // past the calendar: no working time to count
  if (limit.unit == Limit::Unit::WorkingDays) {
    FUZZ_CHECK(cal.between(start, *due) == limit.amount * cal.day_length());
  } else if (limit.unit == Limit::Unit::WorkingHours) {
    FUZZ_CHECK(cal.between(start, *due) == std::chrono::hours{limit.amount});
  }
}

void check_limit(std::string_view text, const Result<Moment>& received) {
  const auto limit = parse_limit(text);
  if (!limit) return;
  const auto again = parse_limit(to_string(*limit));
  FUZZ_CHECK(again && *again == *limit);
  if (received) check_due(*received, *limit);
}

void check_hours(std::string_view text) {
  const auto hours = parse_working_hours(text);
  if (!hours) return;
  FUZZ_CHECK(hours->day_length() > Duration::zero());
  const auto again = parse_working_hours(to_string(*hours));
  FUZZ_CHECK(again && *again == *hours);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::text_of(data, size);
  const std::size_t newline = input.find('\n');
  const std::string_view first = input.substr(0, newline);
  check_moment(first);
  check_date(first);
  check_hours(first);
  if (newline == std::string_view::npos) {
    check_limit(first, Error{"no moment"});
  } else {
    check_limit(input.substr(newline + 1), parse_user_moment(first));
  }
  return 0;
}
