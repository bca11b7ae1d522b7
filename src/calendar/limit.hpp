#pragma once
// A processing time limit in the catalogue's syntax and the due moment it gives:
//   15wd           15 working days (a working day = the calendar's day length, 8 h by default)
//   4wh            4 working hours
//   10d            10 calendar days: receipt + 10×24 h, rolled forward to a working moment
//   sameday@15:00  received before 15:00 → end of that day, else end of the next working day
//   (empty)        no due date

#include "base/result.hpp"
#include "calendar/working_calendar.hpp"
#include "domain/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tthc::calendar {

struct Limit {
  enum class Unit : std::uint8_t { None, WorkingDays, WorkingHours, CalendarDays, SameDay };
  Unit unit = Unit::None;
  int amount = 0;     ///< days or hours; unused for None and SameDay
  Duration cutoff{};  ///< SameDay: the cut-off time of day

  bool has_due() const { return unit != Unit::None; }
  friend bool operator==(const Limit&, const Limit&) = default;
};

inline constexpr int kMaxLimitAmount = 3650;

/// Error: `not a limit: "3x" (expected Nwd, Nwh, Nd, sameday@HH:MM or empty)`.
Result<Limit> parse_limit(std::string_view text);
/// The canonical text: "15wd", "sameday@15:00", "" for none.
std::string to_string(const Limit& limit);

/// The receipt moved to the next working moment: the clock starts there.
inline Moment normalize_receipt(const WorkingCalendar& cal, Moment received) {
  return cal.normalize(received);
}

/// The computed due for a dossier received at `received` (raw NgayTiepNhan): the earliest moment
/// at which the limit has elapsed since the normalised receipt. nullopt for no due date.
std::optional<Moment> compute_due(const WorkingCalendar& cal, Moment received, const Limit& limit);

}  // namespace tthc::calendar
