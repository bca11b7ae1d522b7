#include "calendar/working_calendar.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdio>

namespace tthc::calendar {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

constexpr std::int64_t kSecondsPerDay = 86400;

Result<Duration> parse_hhmm(std::string_view s, std::string_view whole) {
  auto bad = [&] {
    return Error{"not a session time: \"" + std::string(s) + "\" in \"" + std::string(whole) +
                 "\" (expected HH:MM-HH:MM)"};
  };
  const std::optional<Duration> t = tthc::parse_hhmm(s);
  if (!t) return bad();
  return *t;
}

// FNV-1a: a stable fingerprint of the calendar's data for reports, not security.
void fnv(std::uint64_t& h, std::string_view s) {
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
}

}  // namespace

WorkingHours WorkingHours::standard() {
  return WorkingHours{
      {Session{hours{7}, hours{11} + minutes{30}}, Session{hours{13} + minutes{30}, hours{17}}}};
}

Duration WorkingHours::day_length() const {
  Duration total{};
  for (const Session& s : sessions) total += s.end - s.start;
  return total;
}

Result<WorkingHours> validate_working_hours(WorkingHours h) {
  if (h.sessions.empty()) return Error{"working hours: at least one session is needed"};
  Duration previous_end{};
  for (const Session& s : h.sessions) {
    if (s.start >= s.end) {
      return Error{"working hours: session " + format_hhmm(s.start) + "-" + format_hhmm(s.end) +
                   " ends before it starts"};
    }
    if (s.start < previous_end) {
      return Error{"working hours: session " + format_hhmm(s.start) + "-" + format_hhmm(s.end) +
                   " overlaps or precedes the one before it"};
    }
    if (s.end > hours{24}) return Error{"working hours: session ends after midnight"};
    previous_end = s.end;
  }
  return h;
}

Result<WorkingHours> parse_working_hours(std::string_view text) {
  WorkingHours h;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    std::string_view part = text.substr(pos, comma - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    const std::size_t dash = part.find('-');
    if (dash == std::string_view::npos) {
      return Error{"not a session: \"" + std::string(part) + "\" in \"" + std::string(text) +
                   "\" (expected HH:MM-HH:MM)"};
    }
    auto start = parse_hhmm(part.substr(0, dash), text);
    if (!start) return start.error();
    auto end = parse_hhmm(part.substr(dash + 1), text);
    if (!end) return end.error();
    h.sessions.push_back(Session{*start, *end});
    pos = comma + 1;
  }
  return validate_working_hours(std::move(h));
}

std::string to_string(const WorkingHours& h) {
  std::string out;
  for (const Session& s : h.sessions) {
    if (!out.empty()) out += ',';
    out += format_hhmm(s.start) + "-" + format_hhmm(s.end);
  }
  return out;
}

void merge_intervals(std::vector<Interval>& v) {
  std::erase_if(v, [](const Interval& i) { return i.end <= i.begin; });
  std::sort(v.begin(), v.end(),
            [](const Interval& a, const Interval& b) { return a.begin < b.begin; });
  std::size_t out = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (out > 0 && v[i].begin <= v[out - 1].end) {
      v[out - 1].end = std::max(v[out - 1].end, v[i].end);
    } else {
      v[out++] = v[i];
    }
  }
  v.resize(out);
}

Result<WorkingCalendar> WorkingCalendar::create(std::vector<HolidayTable> official,
                                                Options options) {
  auto hours_ok = validate_working_hours(std::move(options.hours));
  if (!hours_ok) return hours_ok.error();
  if (options.first_year < 1900 || options.last_year > 2199 ||
      options.first_year > options.last_year) {
    return Error{"calendar years must lie within 1900–2199"};
  }
  WorkingCalendar c;
  c.hours_ = std::move(*hours_ok);
  c.day_length_ = c.hours_.day_length();
  c.first_year_ = options.first_year;
  c.last_year_ = options.last_year;
  c.first_day_ = make_date(options.first_year, 1, 1);
  c.day_count_ = (make_date(options.last_year + 1, 1, 1) - c.first_day_).count();

  const auto year_count =
      static_cast<std::size_t>(c.last_year_) - static_cast<std::size_t>(c.first_year_) + 1;
  c.tables_.resize(year_count);
  std::vector<bool> have(year_count, false);
  std::sort(official.begin(), official.end(),
            [](const HolidayTable& a, const HolidayTable& b) { return a.year < b.year; });
  std::uint64_t h = 14695981039346656037ULL;
  fnv(h, to_string(c.hours_));
  int official_min = 0;
  int official_max = 0;
  for (HolidayTable& t : official) {
    auto checked = validate_table(std::move(t));
    if (!checked) return checked.error();
    if (!c.covers_year(checked->year)) {
      return Error{"holidays " + std::to_string(checked->year) + ": outside the calendar's years " +
                   std::to_string(c.first_year_) + "–" + std::to_string(c.last_year_)};
    }
    const auto i = static_cast<std::size_t>(checked->year - c.first_year_);
    if (have[i]) return Error{"holidays " + std::to_string(checked->year) + ": loaded twice"};
    have[i] = true;
    if (official_min == 0) official_min = checked->year;
    official_max = checked->year;
    fnv(h, "|" + std::to_string(checked->year) + ":");
    for (const Date d : checked->days_off) fnv(h, format_date(d) + ",");
    fnv(h, "/");
    for (const Date d : checked->working_saturdays) fnv(h, format_date(d) + ",");
    c.tables_[i] = std::move(*checked);
  }
  for (std::size_t i = 0; i < year_count; ++i) {
    if (!have[i]) c.tables_[i] = provisional_table(c.first_year_ + static_cast<int>(i));
  }

  // Mark each day, then rank it.
  std::vector<std::uint8_t> working(static_cast<std::size_t>(c.day_count_), 0);
  for (std::int64_t i = 0; i < c.day_count_; ++i) {
    working[static_cast<std::size_t>(i)] = is_weekend(c.first_day_ + days{i}) ? 0 : 1;
  }
  for (const HolidayTable& t : c.tables_) {
    for (const Date d : t.days_off) working[static_cast<std::size_t>(c.index_of(d))] = 0;
    for (const Date d : t.working_saturdays) working[static_cast<std::size_t>(c.index_of(d))] = 1;
  }
  c.rank_.resize(static_cast<std::size_t>(c.day_count_) + 1);
  std::int32_t count = 0;
  for (std::int64_t i = 0; i < c.day_count_; ++i) {
    c.rank_[static_cast<std::size_t>(i)] = count;
    if (working[static_cast<std::size_t>(i)] != 0) {
      c.working_days_.push_back(static_cast<std::int32_t>(i));
      ++count;
    }
  }
  c.rank_.back() = count;

  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  c.version_ = official.empty()
                   ? std::string("provisional-only@") + hex
                   : std::to_string(official_min) + "-" + std::to_string(official_max) + "@" + hex;
  return c;
}

const HolidayTable& WorkingCalendar::table(int year) const {
  assert(covers_year(year));
  const int clamped = std::clamp(year, first_year_, last_year_);
  return tables_[static_cast<std::size_t>(clamped - first_year_)];
}

std::int64_t WorkingCalendar::index_of(Date d) const {
  return (d - first_day_).count();
}

bool WorkingCalendar::is_working_day(Date d) const {
  const std::int64_t i = index_of(d);
  if (i < 0 || i >= day_count_) return false;
  return rank_[static_cast<std::size_t>(i) + 1] != rank_[static_cast<std::size_t>(i)];
}

std::int64_t WorkingCalendar::within_day(std::int64_t sod) const {
  std::int64_t total = 0;
  for (const Session& s : hours_.sessions) {
    total += std::clamp<std::int64_t>(sod - s.start.count(), 0, (s.end - s.start).count());
  }
  return total;
}

std::int64_t WorkingCalendar::cumulative(Moment m) const {
  const std::int64_t secs = m.time_since_epoch().count();
  const std::int64_t day = (secs >= 0 ? secs / kSecondsPerDay : (secs + 1) / kSecondsPerDay - 1);
  const std::int64_t i = day - first_day_.time_since_epoch().count();
  if (i < 0) return 0;
  if (i >= day_count_) return static_cast<std::int64_t>(rank_.back()) * day_length_.count();
  const auto iu = static_cast<std::size_t>(i);
  std::int64_t w = static_cast<std::int64_t>(rank_[iu]) * day_length_.count();
  if (rank_[iu + 1] != rank_[iu]) w += within_day(secs - day * kSecondsPerDay);
  return w;
}

Moment WorkingCalendar::start_of_working_day(std::int64_t k) const {
  if (k >= static_cast<std::int64_t>(working_days_.size())) return past_end();
  return first_day_ + days{working_days_[static_cast<std::size_t>(k)]} +
         hours_.sessions.front().start;
}

Moment WorkingCalendar::past_end() const {
  return first_day_ + days{day_count_};
}

Moment WorkingCalendar::normalize(Moment m) const {
  const Date d = day_of(m);
  const std::int64_t i = index_of(d);
  if (i < 0) return start_of_working_day(0);
  if (i >= day_count_) return m;
  const auto iu = static_cast<std::size_t>(i);
  if (rank_[iu + 1] != rank_[iu]) {
    const Duration tod = m - d;
    for (const Session& s : hours_.sessions) {
      if (tod < s.start) return d + s.start;
      if (tod < s.end) return m;
    }
  }
  return start_of_working_day(rank_[iu + 1]);
}

Moment WorkingCalendar::add(Moment from, Duration amount) const {
  if (amount <= Duration::zero()) return from;
  const std::int64_t target = cumulative(from) + amount.count();
  const std::int64_t len = day_length_.count();
  const std::int64_t k = (target - 1) / len;
  if (k >= static_cast<std::int64_t>(working_days_.size())) return past_end();
  std::int64_t r = target - k * len;  // in (0, len]
  const Date d = first_day_ + days{working_days_[static_cast<std::size_t>(k)]};
  for (const Session& s : hours_.sessions) {
    const std::int64_t sl = (s.end - s.start).count();
    if (r <= sl) return d + s.start + Duration{r};
    r -= sl;
  }
  return d + hours_.sessions.back().end;  // unreachable: r <= len
}

Duration WorkingCalendar::between(Moment a, Moment b) const {
  if (b <= a) return Duration::zero();
  return Duration{cumulative(b) - cumulative(a)};
}

Duration WorkingCalendar::between(Moment a, Moment b, std::span<const Interval> pauses) const {
  if (b <= a) return Duration::zero();
  std::int64_t total = cumulative(b) - cumulative(a);
  for (const Interval& p : pauses) {
    const Moment lo = std::max(p.begin, a);
    const Moment hi = std::min(p.end, b);
    if (hi > lo) total -= cumulative(hi) - cumulative(lo);
  }
  return Duration{total};
}

std::optional<Date> WorkingCalendar::nth_working_day_after(Date d, int n) const {
  assert(n >= 1);
  const std::int64_t i = index_of(d);
  std::int64_t k = 0;
  if (i >= day_count_) return std::nullopt;
  if (i >= 0) k = rank_[static_cast<std::size_t>(i) + 1];
  k += n - 1;
  if (k >= static_cast<std::int64_t>(working_days_.size())) return std::nullopt;
  return first_day_ + days{working_days_[static_cast<std::size_t>(k)]};
}

}  // namespace tthc::calendar
