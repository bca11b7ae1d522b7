#pragma once
// How the board writes figures for people: the language of a page, numbers in the page's
// style (Vietnamese 1.304 and 94,84 %; English 1,304 and 94.84 %), dates, and working time
// left or late as officers say it ("còn 1 ngày 2 giờ làm việc"). Pure.

#include "domain/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tthc::board {

enum class Lang { Vi, En };

std::string_view lang_code(Lang lang);
/// "vi" or "en" (case-insensitive); nullopt for anything else.
std::optional<Lang> parse_lang(std::string_view text);
/// The first of vi or en in an Accept-Language header by preference (q), else Vietnamese.
Lang lang_from_accept_language(std::string_view header);

std::string format_count(std::int64_t n, Lang lang);
/// A ratio as a percentage with two decimals: 0.9484 → "94,84 %" (vi), "94.84 %" (en).
std::string format_percent(double ratio, Lang lang);
/// dd/MM/yyyy HH:mm, as Vietnamese offices write a moment (both languages).
std::string format_moment(Moment m);
/// "01/2026".
std::string format_month(int year, unsigned month);
/// Working time left (positive) or late (negative), in days of `day_length`, hours and
/// minutes: "còn 1 ngày 2 giờ làm việc", "quá hạn 3 giờ 15 phút làm việc"; English "1 working
/// day 2 h left", "3 h 15 min overdue (working time)".
std::string format_left(Duration left, Duration day_length, Lang lang);

}  // namespace tthc::board
