#pragma once
// Deterministic JSON text for the reports: keys in the order written, one object per line in
// arrays, ratios and times with 6 decimals (domain.md §8.14), so that the same figures always
// give the same bytes and a text diff of two snapshots shows the figures that changed. Strings
// are escaped by the project's one rule (base/json_text.hpp).

#include "base/json_text.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tthc::reports {

/// 6 decimals, "null" for none.
std::string json_decimal(std::optional<double> value);

/// One JSON object written field by field: {"a": 1, "b": "x"}.
class JsonObject {
 public:
  JsonObject& raw(std::string_view key, std::string_view json);
  JsonObject& text(std::string_view key, std::string_view value) {
    return raw(key, json_string(value));
  }
  JsonObject& opt_text(std::string_view key, const std::optional<std::string>& value) {
    return raw(key, value ? json_string(*value) : std::string("null"));
  }
  JsonObject& count(std::string_view key, std::int64_t value) {
    return raw(key, std::to_string(value));
  }
  JsonObject& decimal(std::string_view key, std::optional<double> value) {
    return raw(key, json_decimal(value));
  }
  JsonObject& boolean(std::string_view key, bool value) {
    return raw(key, value ? "true" : "false");
  }
  std::string str() const { return "{" + body_ + "}"; }
  bool empty() const { return body_.empty(); }

 private:
  std::string body_;
};

/// Appends `items` as a JSON array, one item a line, indented for a top-level key.
void append_json_lines(std::string& out, std::string_view key, const std::string* items,
                       std::size_t n, bool last);

}  // namespace tthc::reports
