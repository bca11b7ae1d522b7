#include "board/format.hpp"

#include "domain/text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <vector>

namespace tthc::board {

std::string_view lang_code(Lang lang) {
  return lang == Lang::En ? "en" : "vi";
}

std::optional<Lang> parse_lang(std::string_view text) {
  const std::string lower = ascii_lower(text.substr(0, 8));
  if (lower == "vi") return Lang::Vi;
  if (lower == "en") return Lang::En;
  return std::nullopt;
}

Lang lang_from_accept_language(std::string_view header) {
  // "en-US,en;q=0.9,vi;q=0.8": the highest q among vi* and en*; ties keep the earlier one.
  std::optional<Lang> best;
  double best_q = -1;
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const std::size_t semi = item.find(';');
    std::string_view tag = item.substr(0, semi);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    double q = 1;
    if (semi != std::string_view::npos) {
      const std::string_view params = item.substr(semi + 1);
      const std::size_t at = params.find("q=");
      if (at != std::string_view::npos) {
        q = std::atof(std::string(params.substr(at + 2, 8)).c_str());
      }
    }
    const auto lang = parse_lang(tag.substr(0, std::min<std::size_t>(tag.find('-'), tag.size())));
    if (lang && q > 0 && q > best_q) {
      best = lang;
      best_q = q;
    }
  }
  return best.value_or(Lang::Vi);
}

std::string format_count(std::int64_t n, Lang lang) {
  return lang == Lang::Vi ? group_number(static_cast<double>(n), 0, '.', ',')
                          : group_number(static_cast<double>(n), 0, ',', '.');
}

std::string format_percent(double ratio, Lang lang) {
  const double v = ratio * 100;
  return (lang == Lang::Vi ? group_number(v, 2, '.', ',') : group_number(v, 2, ',', '.')) + " %";
}

std::string format_moment(Moment m) {
  const std::chrono::year_month_day ymd{day_of(m)};
  const auto t = std::chrono::duration_cast<std::chrono::minutes>(time_of_day(m)).count();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%04d %02lld:%02lld", static_cast<unsigned>(ymd.day()),
                static_cast<unsigned>(ymd.month()), static_cast<int>(ymd.year()),
                static_cast<long long>(t / 60), static_cast<long long>(t % 60));
  return buf;
}

std::string format_month(int year, unsigned month) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02u/%04d", month, year);
  return buf;
}

std::string format_left(Duration left, Duration day_length, Lang lang) {
  const bool late = left < Duration::zero();
  const std::int64_t total = late ? -left.count() : left.count();
  const std::int64_t day = std::max<std::int64_t>(day_length.count(), 1);
  const std::int64_t days = total / day;
  const std::int64_t hours = (total % day) / 3600;
  const std::int64_t minutes = (total % 3600) / 60;
  std::vector<std::string> parts;
  const bool vi = lang == Lang::Vi;
  if (days > 0) {
    parts.push_back(std::to_string(days) + (vi          ? " ngày"
                                            : days == 1 ? " working day"
                                                        : " working days"));
  }
  if (hours > 0) parts.push_back(std::to_string(hours) + (vi ? " giờ" : " h"));
  if (minutes > 0 || parts.empty()) {
    parts.push_back(std::to_string(minutes) + (vi ? " phút" : " min"));
  }
  std::string span;
  for (const std::string& p : parts) span += (span.empty() ? "" : " ") + p;
  if (vi) return (late ? "quá hạn " : "còn ") + span + " làm việc";
  if (late) return span + (days > 0 ? " overdue" : " overdue (working time)");
  return span + (days > 0 ? " left" : " left (working time)");
}

}  // namespace tthc::board
