#include "domain/time.hpp"

#include "domain/text.hpp"

#include <array>
#include <charconv>
#include <cstdio>

namespace tthc {

namespace {

using std::chrono::day;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

Error not_a_date(std::string_view text) {
  return Error{"not a date: " + quote_for_error(text)};
}

// Reads exactly `n` ASCII digits at `pos`; -1 when they are not all digits.
int digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

struct Parts {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
};

Result<Moment> from_parts(const Parts& p, std::string_view text) {
  if (p.y < 1 || p.mo < 1 || p.mo > 12 || p.d < 1 || p.d > 31 || p.h > 23 || p.mi > 59 ||
      p.s > 59 || p.h < 0 || p.mi < 0 || p.s < 0) {
    return not_a_date(text);
  }
  const year_month_day ymd{year{p.y}, month{static_cast<unsigned>(p.mo)},
                           day{static_cast<unsigned>(p.d)}};
  if (!ymd.ok()) return not_a_date(text);
  return Date{ymd} + hours{p.h} + minutes{p.mi} + Duration{p.s};
}

struct IsoOptions {
  bool require_time = true;
  bool require_seconds = true;
  bool allow_space = false;
};

Result<Moment> parse_iso(std::string_view t, IsoOptions opt) {
  // yyyy-MM-dd[Thh:mm[:ss[.fff]]][Z|±hh:mm]
  Parts p;
  if (t.size() < 10 || t[4] != '-' || t[7] != '-') return not_a_date(t);
  p.y = digits(t, 0, 4);
  p.mo = digits(t, 5, 2);
  p.d = digits(t, 8, 2);
  if (p.y < 0 || p.mo < 0 || p.d < 0) return not_a_date(t);
  std::size_t i = 10;
  if (i == t.size()) {
    if (opt.require_time) return not_a_date(t);
    return from_parts(p, t);
  }
  if (!(t[i] == 'T' || (opt.allow_space && t[i] == ' '))) return not_a_date(t);
  ++i;
  p.h = digits(t, i, 2);
  if (p.h < 0 || i + 2 >= t.size() || t[i + 2] != ':') return not_a_date(t);
  p.mi = digits(t, i + 3, 2);
  if (p.mi < 0) return not_a_date(t);
  i += 5;
  if (i < t.size() && t[i] == ':') {
    p.s = digits(t, i + 1, 2);
    if (p.s < 0) return not_a_date(t);
    i += 3;
    if (i < t.size() && (t[i] == '.' || t[i] == ',')) {
      ++i;
      const std::size_t start = i;
      while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
      if (i == start || i - start > 9) return not_a_date(t);
    }
  } else if (opt.require_seconds) {
    return not_a_date(t);
  }
  auto m = from_parts(p, t);
  if (!m) return m;
  if (i == t.size()) return m;
  if (t[i] == 'Z' && i + 1 == t.size()) return *m + kVietnamUtcOffset;
  if ((t[i] == '+' || t[i] == '-') && i + 6 == t.size() && t[i + 3] == ':') {
    const int oh = digits(t, i + 1, 2);
    const int om = digits(t, i + 4, 2);
    if (oh < 0 || om < 0 || oh > 14 || om > 59) return not_a_date(t);
    const Duration offset = hours{oh} + minutes{om};
    // local(UTC+7) = wall - offset + 7h
    return t[i] == '+' ? *m - offset + kVietnamUtcOffset : *m + offset + kVietnamUtcOffset;
  }
  return not_a_date(t);
}

Result<Moment> parse_compact(std::string_view t) {
  Parts p;
  p.y = digits(t, 0, 4);
  p.mo = digits(t, 4, 2);
  p.d = digits(t, 6, 2);
  p.h = digits(t, 8, 2);
  p.mi = digits(t, 10, 2);
  p.s = digits(t, 12, 2);
  if (p.y < 0 || p.mo < 0 || p.d < 0 || p.h < 0 || p.mi < 0 || p.s < 0) return not_a_date(t);
  return from_parts(p, t);
}

// dd/MM/yyyy[ HH:mm:ss]: Vietnam time, as Vietnamese systems print it.
Result<Moment> parse_day_first(std::string_view t) {
  if (t.size() != 10 && t.size() != 19) return not_a_date(t);
  if (t[2] != '/' || t[5] != '/') return not_a_date(t);
  Parts p;
  p.d = digits(t, 0, 2);
  p.mo = digits(t, 3, 2);
  p.y = digits(t, 6, 4);
  if (p.y < 0 || p.mo < 0 || p.d < 0) return not_a_date(t);
  if (t.size() == 19) {
    if (t[10] != ' ' || t[13] != ':' || t[16] != ':') return not_a_date(t);
    p.h = digits(t, 11, 2);
    p.mi = digits(t, 14, 2);
    p.s = digits(t, 17, 2);
    if (p.h < 0 || p.mi < 0 || p.s < 0) return not_a_date(t);
  }
  return from_parts(p, t);
}

bool is_day_first(std::string_view t) {
  return t.size() >= 3 && t[2] == '/';
}

std::string two(unsigned v) {
  std::array<char, 3> b{};
  std::snprintf(b.data(), b.size(), "%02u", v % 100U);
  return std::string(b.data());
}

}  // namespace

Moment make_moment(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  return make_date(y, mo, d) + hours{h} + minutes{mi} + Duration{s};
}

Date make_date(int y, unsigned mo, unsigned d) {
  return Date{year_month_day{year{y}, month{mo}, day{d}}};
}

namespace {
bool is_compact(std::string_view text) {
  if (text.size() != 14) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}
}  // namespace

Result<Moment> parse_data_moment(std::string_view text) {
  // The compact form first: it is what the bulk of the data carries.
  if (is_compact(text)) {
    return parse_compact(text);
  }
  if (is_day_first(text)) return parse_day_first(text);
  return parse_iso(text, IsoOptions{true, true, true});
}

Result<Moment> parse_user_moment(std::string_view text) {
  if (is_compact(text)) {
    return parse_compact(text);
  }
  if (is_day_first(text)) return parse_day_first(text);
  return parse_iso(text, IsoOptions{false, false, true});
}

Result<Date> parse_date(std::string_view text) {
  if (text.size() != 10) return not_a_date(text);
  auto m = parse_iso(text, IsoOptions{false, false, false});
  if (!m) return m.error();
  return day_of(*m);
}

std::optional<Duration> parse_hhmm(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  const int h = digits(text, 0, 2);
  const int m = digits(text, 3, 2);
  if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return Duration{hours{h} + minutes{m}};
}

std::string format_date(Date d) {
  const year_month_day ymd{d};
  std::array<char, 16> b{};
  std::snprintf(b.data(), b.size(), "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return std::string(b.data());
}

std::string format_iso(Moment m) {
  const auto tod = std::chrono::hh_mm_ss<Duration>(time_of_day(m));
  return format_date(day_of(m)) + "T" + two(static_cast<unsigned>(tod.hours().count())) + ":" +
         two(static_cast<unsigned>(tod.minutes().count())) + ":" +
         two(static_cast<unsigned>(tod.seconds().count())) + "+07:00";
}

std::string format_hhmm(Duration tod) {
  const auto minutes_total = static_cast<unsigned>(tod.count() / 60);
  return two(minutes_total / 60) + ":" + two(minutes_total % 60);
}

void append_compact(std::string& out, Moment m) {
  const year_month_day ymd{day_of(m)};
  const auto tod = static_cast<unsigned>(time_of_day(m).count());
  const int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) {  // not a data moment: the general (slower) path
    std::array<char, 24> b{};
    std::snprintf(b.data(), b.size(), "%04d%02u%02u%02u%02u%02u", y,
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), tod / 3600,
                  tod / 60 % 60, tod % 60);
    out += b.data();
    return;
  }
  // By hand: the simulator writes millions of these.
  const auto put_2 = [&out](unsigned v) {
    out += static_cast<char>('0' + v / 10 % 10);
    out += static_cast<char>('0' + v % 10);
  };
  put_2(static_cast<unsigned>(y / 100));
  put_2(static_cast<unsigned>(y % 100));
  put_2(static_cast<unsigned>(ymd.month()));
  put_2(static_cast<unsigned>(ymd.day()));
  put_2(tod / 3600);
  put_2(tod / 60 % 60);
  put_2(tod % 60);
}

std::string format_compact(Moment m) {
  std::string out;
  out.reserve(14);
  append_compact(out, m);
  return out;
}

std::string format_working(Duration d, Duration day_length) {
  std::string out;
  if (d < Duration::zero()) {
    out = "-";
    d = -d;
  }
  const auto wd = day_length.count() > 0 ? d.count() / day_length.count() : 0;
  auto rest = d - Duration{wd * day_length.count()};
  const auto h = std::chrono::duration_cast<hours>(rest);
  rest -= h;
  const auto mi = std::chrono::duration_cast<minutes>(rest);
  rest -= mi;
  bool any = false;
  if (wd != 0) {
    out += std::to_string(wd) + "wd";
    any = true;
  }
  // Hours, minutes and seconds run together after one space: "1wd 2h30m".
  bool first_hms = true;
  auto add = [&](long long v, const char* unit) {
    if (v == 0) return;
    if (first_hms && any) out += ' ';
    first_hms = false;
    out += std::to_string(v) + unit;
    any = true;
  };
  add(h.count(), "h");
  add(mi.count(), "m");
  add(rest.count(), "s");
  if (!any) out += "0";
  return out;
}

Moment first_of_month(Moment m) {
  const std::chrono::year_month_day ymd{day_of(m)};
  return Moment(Date(ymd.year() / ymd.month() / 1));
}

Moment add_months(Moment m, int months) {
  const std::chrono::year_month_day ymd{day_of(m)};
  const auto ym = std::chrono::year_month(ymd.year(), ymd.month()) + std::chrono::months{months};
  return Moment(Date(ym / 1));
}

}  // namespace tthc
