#include "calendar/limit.hpp"

#include <charconv>

namespace tthc::calendar {

namespace {

Error not_a_limit(std::string_view text) {
  return Error{"not a limit: \"" + std::string(text) +
               "\" (expected Nwd, Nwh, Nd, sameday@HH:MM or empty)"};
}

}  // namespace

Result<Limit> parse_limit(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return Limit{};
  constexpr std::string_view kSameDay = "sameday@";
  if (text.starts_with(kSameDay)) {
    const std::string_view hm = text.substr(kSameDay.size());
    // A cut-off is a moment of the day: 24:00 is not one.
    const std::optional<Duration> cutoff = parse_hhmm(hm);
    if (!cutoff || *cutoff >= std::chrono::hours{24}) return not_a_limit(text);
    return Limit{Limit::Unit::SameDay, 0, *cutoff};
  }
  int n = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || ptr == text.data()) return not_a_limit(text);
  const std::string_view unit(ptr, static_cast<std::size_t>(text.data() + text.size() - ptr));
  Limit l;
  if (unit == "wd") {
    l.unit = Limit::Unit::WorkingDays;
  } else if (unit == "wh") {
    l.unit = Limit::Unit::WorkingHours;
  } else if (unit == "d") {
    l.unit = Limit::Unit::CalendarDays;
  } else {
    return not_a_limit(text);
  }
  if (n < 1 || n > kMaxLimitAmount) {
    return Error{"limit out of range: \"" + std::string(text) + "\" (1 to " +
                 std::to_string(kMaxLimitAmount) + ")"};
  }
  l.amount = n;
  return l;
}

std::string to_string(const Limit& l) {
  switch (l.unit) {
    case Limit::Unit::None: return "";
    case Limit::Unit::WorkingDays: return std::to_string(l.amount) + "wd";
    case Limit::Unit::WorkingHours: return std::to_string(l.amount) + "wh";
    case Limit::Unit::CalendarDays: return std::to_string(l.amount) + "d";
    case Limit::Unit::SameDay: return "sameday@" + format_hhmm(l.cutoff);
  }
  return "";
}

std::optional<Moment> compute_due(const WorkingCalendar& cal, Moment received, const Limit& l) {
  const Moment start = cal.normalize(received);
  switch (l.unit) {
    case Limit::Unit::None: return std::nullopt;
    case Limit::Unit::WorkingDays: return cal.add(start, l.amount * cal.day_length());
    case Limit::Unit::WorkingHours: return cal.add(start, std::chrono::hours{l.amount});
    case Limit::Unit::CalendarDays: return cal.normalize(start + std::chrono::days{l.amount});
    case Limit::Unit::SameDay: {
      const Date d = day_of(start);
      if (start - d < l.cutoff) return cal.end_of_day(d);
      const auto next = cal.nth_working_day_after(d, 1);
      if (!next) return std::nullopt;
      return cal.end_of_day(*next);
    }
  }
  return std::nullopt;
}

}  // namespace tthc::calendar
