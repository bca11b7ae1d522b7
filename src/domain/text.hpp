#pragma once
// Text checks for data that arrives from outside: UTF-8 validity, and quoting a hostile value
// in an error message without copying megabytes or invalid bytes into it.

#include <string>
#include <string_view>

namespace tthc {

/// Well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

/// `text` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD.
std::string to_valid_utf8(std::string_view text);

/// ASCII letters lowered (header names, language tags, keywords); other bytes unchanged.
std::string ascii_lower(std::string_view text);
/// Equal when ASCII letters are compared without case (an HTTP auth scheme, RFC 7235).
bool iequals_ascii(std::string_view a, std::string_view b);

/// `"value"` for an error message: at most `max_chars` characters (then `…`), invalid UTF-8
/// replaced by U+FFFD, control characters escaped.
std::string quote_for_error(std::string_view value, std::size_t max_chars = 60);

/// Text safe inside HTML or XML, in an element or a quoted attribute: & < > " ' escaped, and
/// invalid UTF-8 replaced by U+FFFD (a name from a payload cannot break the markup).
std::string escape_markup(std::string_view text);

/// `v` rounded to `decimals`, its digits grouped by three: Vietnamese style with '.' and ','
/// (1.304 and 94,84), English with ',' and '.' (1,304 and 94.84). No "-0".
std::string group_number(double v, int decimals, char thousands, char decimal_point);

}  // namespace tthc
