#include "reports/json_text.hpp"

#include <cmath>
#include <cstdio>

namespace tthc::reports {

std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string json_decimal(std::optional<double> value) {
  if (!value || !std::isfinite(*value)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", *value);
  std::string s = buf;
  if (s == "-0.000000") s = "0.000000";
  return s;
}

JsonObject& JsonObject::raw(std::string_view key, std::string_view json) {
  if (!body_.empty()) body_ += ", ";
  body_ += json_quote(key);
  body_ += ": ";
  body_ += json;
  return *this;
}

void append_json_lines(std::string& out, std::string_view key, const std::string* items,
                       std::size_t n, bool last) {
  out += "  " + json_quote(key) + ": [";
  for (std::size_t i = 0; i < n; ++i) {
    out += i == 0 ? "\n    " : ",\n    ";
    out += items[i];
  }
  out += n == 0 ? "]" : "\n  ]";
  out += last ? "\n" : ",\n";
}

}  // namespace tthc::reports
