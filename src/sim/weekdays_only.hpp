#pragma once
// The due as computed by a one-stop system that knows weekends but no holiday table: the
// simulator prints it on some dossiers, so the monitor's due-mismatch count has something to
// find when a day off falls inside a dossier's span.

#include "calendar/limit.hpp"
#include "calendar/working_calendar.hpp"
#include "domain/time.hpp"

#include <optional>

namespace tthc::sim {

class WeekdaysOnly {
 public:
  /// Keeps a reference to `sessions`, which must outlive it.
  explicit WeekdaysOnly(const calendar::WorkingHours& sessions) : hours_(sessions) {}

  static bool is_weekday(Date d);
  Moment normalize(Moment m) const;
  Moment add(Moment from, Duration amount) const;
  std::optional<Moment> due(Moment received, const calendar::Limit& limit,
                            Duration day_length) const;

 private:
  const calendar::WorkingHours& hours_;
};

}  // namespace tthc::sim
