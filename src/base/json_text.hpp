#pragma once
// The one JSON string escaping of the project: a quote and a backslash get a backslash, the
// control characters below U+0020 become \u00xx (lower-case hex), every other byte is copied.
// The input is expected to be valid UTF-8 (checked or repaired at intake); it is not checked
// here. The report files, the stored progress entries, the simulator's payloads and the HTTP
// error bodies all write strings this way, so the same text is the same bytes everywhere.

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace tthc {

/// The most bytes write_json_string writes for `text`: two quotes and six per byte.
constexpr std::size_t json_string_capacity(std::size_t text_bytes) {
  return 2 + 6 * text_bytes;
}

/// Writes `text` as a JSON string (quotes included) at `out`, which has room for
/// json_string_capacity(text.size()) bytes; returns the end of what was written.
inline char* write_json_string(char* out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  *out++ = '"';
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != '"' && c != '\\') {
      *out++ = ch;
    } else if (c == '"' || c == '\\') {
      *out++ = '\\';
      *out++ = ch;
    } else {
      std::memcpy(out, "\\u00", 4);
      out[4] = kHex[c >> 4U];
      out[5] = kHex[c & 0xFU];
      out += 6;
    }
  }
  *out++ = '"';
  return out;
}

/// Appends `text` as a JSON string, quotes included.
inline void append_json_string(std::string& out, std::string_view text) {
  const std::size_t size = out.size();
  out.resize(size + json_string_capacity(text.size()));
  char* const end = write_json_string(out.data() + size, text);
  out.resize(static_cast<std::size_t>(end - out.data()));
}

/// `text` as a JSON string, quotes included.
inline std::string json_string(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

}  // namespace tthc
