#include "domain/codes.hpp"

#include "domain/text.hpp"

namespace tthc {

namespace {

bool ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

}  // namespace

bool is_unit_code(std::string_view code) {
  if (code.empty() || code.size() > kMaxUnitCodeBytes) return false;
  bool digit = false;
  for (const char c : code) {
    if (!ascii_alnum(c) && c != '.' && c != '_') return false;
    digit = digit || (c >= '0' && c <= '9');
  }
  return digit;
}

bool is_field_code(std::string_view code) {
  if (code.empty() || code.size() > kMaxFieldCodeBytes) return false;
  for (const char c : code) {
    if (!ascii_alnum(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

bool is_department_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxDepartmentBytes || !is_valid_utf8(name)) return false;
  bool visible = false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto b = static_cast<unsigned char>(name[i]);
    if (b < 0x20 || b == 0x7F) return false;
    // U+0080..U+009F (C1) is 0xC2 0x80..0x9F in well-formed UTF-8.
    if (b == 0xC2 && i + 1 < name.size() && static_cast<unsigned char>(name[i + 1]) < 0xA0) {
      return false;
    }
    visible = visible || b != ' ';
  }
  return visible;
}

}  // namespace tthc
