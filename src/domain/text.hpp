#pragma once
// Text checks for data that arrives from outside: UTF-8 validity, and quoting a hostile value
// in an error message without copying megabytes or invalid bytes into it.

#include <string>
#include <string_view>

namespace tthc {

/// Well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

/// `"value"` for an error message: at most `max_chars` characters (then `…`), invalid UTF-8
/// replaced by U+FFFD, control characters escaped.
std::string quote_for_error(std::string_view value, std::size_t max_chars = 60);

}  // namespace tthc
