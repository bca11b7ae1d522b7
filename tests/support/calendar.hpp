#pragma once
// The official calendar as shipped in config/holidays, for tests that need real tables.

#include "calendar/working_calendar.hpp"
#include "config/settings.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace tthc::test {

inline std::filesystem::path source_dir() {
  return TTHC_SOURCE_DIR;
}

/// Built once per test binary; the calendar is immutable and thread-safe.
inline const calendar::WorkingCalendar& official_calendar() {
  static const calendar::WorkingCalendar cal = [] {
    config::CalendarSettings s;
    s.holidays_dir = source_dir() / "config" / "holidays";
    auto c = config::build_calendar(s);
    if (!c) throw std::runtime_error(c.error().message);
    return std::move(*c);
  }();
  return cal;
}

}  // namespace tthc::test
