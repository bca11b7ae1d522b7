#include "sim/weekdays_only.hpp"

#include <algorithm>

namespace tthc::sim {

using std::chrono::days;
using std::chrono::hours;

bool WeekdaysOnly::is_weekday(Date d) {
  return !is_weekend(d);
}

Moment WeekdaysOnly::normalize(Moment m) const {
  for (Date d = day_of(m);; d += days{1}) {
    const Duration tod = d == day_of(m) ? m - d : Duration{0};
    if (!is_weekday(d)) continue;
    for (const auto& s : hours_.sessions) {
      if (tod < s.start) return d + s.start;
      if (tod < s.end) return d + tod;
    }
  }
}

Moment WeekdaysOnly::add(Moment from, Duration amount) const {
  Duration left = amount;
  for (Date d = day_of(from);; d += days{1}) {
    const Duration tod = d == day_of(from) ? from - d : Duration{0};
    if (!is_weekday(d)) continue;
    for (const auto& s : hours_.sessions) {
      if (tod >= s.end) continue;
      const Duration begin = std::max(tod, s.start);
      if (left <= s.end - begin) return d + begin + left;
      left -= s.end - begin;
    }
  }
}

std::optional<Moment> WeekdaysOnly::due(Moment received, const calendar::Limit& limit,
                                        Duration day_length) const {
  const Moment start = normalize(received);
  switch (limit.unit) {
    case calendar::Limit::Unit::None: return std::nullopt;
    case calendar::Limit::Unit::WorkingDays: return add(start, limit.amount * day_length);
    case calendar::Limit::Unit::WorkingHours: return add(start, hours{limit.amount});
    case calendar::Limit::Unit::CalendarDays: return normalize(start + days{limit.amount});
    case calendar::Limit::Unit::SameDay: {
      Date d = day_of(start);
      if (start - d >= limit.cutoff) {
        do {
          d += days{1};
        } while (!is_weekday(d));
      }
      return d + hours_.sessions.back().end;
    }
  }
  return std::nullopt;
}

}  // namespace tthc::sim
