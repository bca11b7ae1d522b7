// A holiday table file (config/holidays/YYYY.toml, parsed by src/config/settings): any text is
// accepted or refused with a message. An accepted table is checked (validate_table leaves it
// as it is), written back as TOML it reads the same, and a calendar built from it has exactly
// its days off and working Saturdays.

#include "calendar/holiday_table.hpp"
#include "calendar/working_calendar.hpp"
#include "config/settings.hpp"
#include "fuzz/fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace {

using namespace tthc;
using namespace tthc::calendar;

bool same(const HolidayTable& a, const HolidayTable& b) {
  return a.year == b.year && a.days_off == b.days_off &&
         a.working_saturdays == b.working_saturdays && a.source == b.source &&
         a.provisional == b.provisional;
}

std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04X", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string to_toml(const HolidayTable& t) {
  std::string out = "year = " + std::to_string(t.year) + "\nsource = " + toml_string(t.source);
  auto dates = [&](std::string_view key, const std::vector<Date>& v) {
    out += "\n" + std::string(key) + " = [";
    for (const Date d : v) out += format_date(d) + ", ";
    out += "]";
  };
  dates("days_off", t.days_off);
  dates("working_saturdays", t.working_saturdays);
  return out + "\n";
}

void check_calendar(const HolidayTable& t) {
  WorkingCalendar::Options options;
  options.first_year = t.year;
  options.last_year = t.year;
  const auto cal = WorkingCalendar::create({t}, options);
  FUZZ_CHECK(cal);
  FUZZ_CHECK(!cal->is_provisional(t.year));
  for (const Date d : t.days_off) FUZZ_CHECK(!cal->is_working_day(d));
  for (const Date d : t.working_saturdays) FUZZ_CHECK(cal->is_working_day(d));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::text_of(data, size);
  const auto table = config::parse_holiday_table(text, "2026.toml");
  if (fuzz::refused(table, "2026.toml")) return 0;
  FUZZ_CHECK(!table->provisional);
  const auto checked = validate_table(*table);
  FUZZ_CHECK(checked && same(*checked, *table));
  const auto again = config::parse_holiday_table(to_toml(*table), "again.toml");
  FUZZ_CHECK(again && same(*again, *table));
  check_calendar(*table);
  return 0;
}
