#include "app/commands.hpp"

#include "app/loading.hpp"

#include "calendar/limit.hpp"
#include "calendar/lunar.hpp"
#include "config/settings.hpp"
#include "domain/time.hpp"

#include <boost/json.hpp>

#include <array>
#include <ostream>

namespace tthc::app {

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using calendar::WorkingCalendar;

constexpr std::array<const char*, 7> kWeekdayVi = {"CN", "T2", "T3", "T4", "T5", "T6", "T7"};

std::string weekday_vi(Date d) {
  return kWeekdayVi[std::chrono::weekday{d}.c_encoding()];
}

json::array date_array(const std::vector<Date>& dates) {
  json::array a;
  for (const Date d : dates) a.emplace_back(format_date(d));
  return a;
}

int count_working_days(const WorkingCalendar& cal, int year) {
  int n = 0;
  for (Date d = make_date(year, 1, 1); d < make_date(year + 1, 1, 1); d += std::chrono::days{1}) {
    n += cal.is_working_day(d) ? 1 : 0;
  }
  return n;
}

void print_calendar(const WorkingCalendar& cal, int year, std::ostream& out) {
  const calendar::HolidayTable& t = cal.table(year);
  const Date tet = Date{calendar::tet(year)};
  const Date gio_to = Date{calendar::gio_to(year)};
  out << "Lịch làm việc năm " << year;
  if (t.provisional) {
    out << " — TẠM TÍNH / PROVISIONAL: no official notice loaded; derived from the Labour Code "
           "2019 art. 112. Load the year's notice into the holidays folder.\n";
  } else {
    out << " — " << t.source << "\n";
  }
  out << "Tết Nguyên đán (lunar 1/1):       " << format_date(tet) << " " << weekday_vi(tet) << "\n";
  out << "Giỗ Tổ Hùng Vương (lunar 10/3):   " << format_date(gio_to) << " " << weekday_vi(gio_to)
      << "\n";
  out << "Working hours:                    " << calendar::to_string(cal.hours()) << "\n";
  out << "Days off, Monday–Friday (" << t.days_off.size() << "):\n";
  for (const Date d : t.days_off) out << "  " << format_date(d) << " " << weekday_vi(d) << "\n";
  out << "Make-up working Saturdays (" << t.working_saturdays.size() << "):";
  for (const Date d : t.working_saturdays) out << " " << format_date(d);
  out << "\nWorking days in the year:         " << count_working_days(cal, year) << "\n";
  out << "Calendar version:                 " << cal.version() << "\n";
}

}  // namespace

int run_calendar(const SourceOptions& src, const CalendarCommand& cmd, std::ostream& out,
                 std::ostream& err) {
  auto loaded = load_with_calendar(src, err);
  if (!loaded) return kExitFailure;
  const WorkingCalendar& cal = loaded->calendar;
  if (!cal.covers_year(cmd.year)) {
    err << "tthc-monitor: error: --year: out of range: " << cmd.year << " (supported "
        << cal.first_year() << "–" << cal.last_year() << ")\n";
    return kExitUsage;
  }
  if (!cmd.json) {
    print_calendar(cal, cmd.year, out);
    return kExitOk;
  }
  const calendar::HolidayTable& t = cal.table(cmd.year);
  json::object o;
  o["year"] = cmd.year;
  o["provisional"] = t.provisional;
  o["source"] = t.source;
  o["days_off"] = date_array(t.days_off);
  o["working_saturdays"] = date_array(t.working_saturdays);
  o["tet"] = format_date(Date{calendar::tet(cmd.year)});
  o["gio_to"] = format_date(Date{calendar::gio_to(cmd.year)});
  o["working_days"] = count_working_days(cal, cmd.year);
  o["working_hours"] = calendar::to_string(cal.hours());
  o["calendar_version"] = cal.version();
  out << json::serialize(o) << "\n";
  return kExitOk;
}

int run_due(const SourceOptions& src, const DueCommand& cmd, std::ostream& out, std::ostream& err) {
  auto received = parse_user_moment(cmd.received);
  if (!received) {
    err << "tthc-monitor: error: --received: " << received.error().message << "\n";
    return kExitUsage;
  }
  auto limit = calendar::parse_limit(cmd.limit);
  if (!limit) {
    err << "tthc-monitor: error: --limit: " << limit.error().message << "\n";
    return kExitUsage;
  }
  auto loaded = load_with_calendar(src, err);
  if (!loaded) return kExitFailure;
  const WorkingCalendar& cal = loaded->calendar;
  const int year = static_cast<int>(std::chrono::year_month_day{day_of(*received)}.year());
  if (!cal.covers_year(year)) {
    err << "tthc-monitor: error: --received: year out of range: " << year << " (supported "
        << cal.first_year() << "–" << cal.last_year() << ")\n";
    return kExitUsage;
  }
  const Moment start = cal.normalize(*received);
  const std::optional<Moment> due = calendar::compute_due(cal, *received, *limit);
  // The years the answer depends on, and which of them are provisional.
  std::vector<int> provisional;
  const int last = due ? static_cast<int>(std::chrono::year_month_day{day_of(*due)}.year()) : year;
  for (int y = year; y <= last && cal.covers_year(y); ++y) {
    if (cal.is_provisional(y)) provisional.push_back(y);
  }
  if (cmd.json) {
    json::object o;
    o["received"] = format_iso(*received);
    o["clock_start"] = format_iso(start);
    o["limit"] = calendar::to_string(*limit);
    if (due) {
      o["due"] = format_iso(*due);
    } else {
      o["due"] = nullptr;
    }
    json::array p;
    for (int y : provisional) p.emplace_back(y);
    o["provisional_years"] = std::move(p);
    o["calendar_version"] = cal.version();
    out << json::serialize(o) << "\n";
    return kExitOk;
  }
  out << "received:     " << format_iso(*received) << " " << weekday_vi(day_of(*received)) << "\n";
  out << "clock starts: " << format_iso(start) << " " << weekday_vi(day_of(start)) << "\n";
  out << "limit:        " << (limit->has_due() ? calendar::to_string(*limit) : "(no due date)")
      << "\n";
  if (due) {
    out << "due:          " << format_iso(*due) << " " << weekday_vi(day_of(*due)) << "\n";
  } else {
    out << "due:          none\n";
  }
  for (int y : provisional) {
    out << "note: " << y << " is PROVISIONAL (no official holiday notice loaded)\n";
  }
  return kExitOk;
}

int run_examples(const SourceOptions& src, std::ostream& out, std::ostream& err) {
  struct Example {
    const char* received;
    const char* limit;
    const char* why;
  };
  const std::array<Example, 5> examples = {{
      {"2026-04-24T09:00", "3wd", "27/4, 30/4 and 1/5 are off"},
      {"2026-04-24T17:30", "3wd", "after hours: the clock starts Tue 28/4 07:00"},
      {"2026-04-28T10:00", "4wh", "the lunch break does not count"},
      {"2026-02-13T15:30", "sameday@15:00", "after the cut-off, Tết follows"},
      {"2026-08-21T16:00", "10d", "calendar days, rolled to a working moment"},
  }};
  int year = 2026;
  if (int rc = run_calendar(src, CalendarCommand{year, false}, out, err); rc != kExitOk) return rc;
  out << "\nDue dates on this calendar:\n";
  for (const Example& e : examples) {
    out << "\n$ tthc-monitor due --received " << e.received << " --limit " << e.limit << "   # "
        << e.why << "\n";
    if (int rc = run_due(src, DueCommand{e.received, e.limit, false}, out, err); rc != kExitOk) {
      return rc;
    }
  }
  return kExitOk;
}

}  // namespace tthc::app
