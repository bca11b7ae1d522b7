#include "reports/json_text.hpp"

#include <cmath>
#include <cstdio>

namespace tthc::reports {

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
  body_ += json_string(key);
  body_ += ": ";
  body_ += json;
  return *this;
}

void append_json_lines(std::string& out, std::string_view key, const std::string* items,
                       std::size_t n, bool last) {
  out += "  " + json_string(key) + ": [";
  for (std::size_t i = 0; i < n; ++i) {
    out += i == 0 ? "\n    " : ",\n    ";
    out += items[i];
  }
  out += n == 0 ? "]" : "\n  ]";
  out += last ? "\n" : ",\n";
}

}  // namespace tthc::reports
