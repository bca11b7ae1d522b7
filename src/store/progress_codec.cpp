#include "store/progress_codec.hpp"

#include "base/json_text.hpp"

#include <charconv>
#include <cstring>

namespace tthc::store {

namespace {

// The writers below write through a pointer into room reserved beforehand (encode_progress
// sizes it): the import encodes every dossier's entries, and appending byte by byte to a string
// was a tenth of the writer's time.
constexpr std::size_t kIntRoom = 20;  // -9223372036854775808

char* put_int(char* p, std::int64_t v) {
  return std::to_chars(p, p + kIntRoom, v).ptr;
}

char* put_moment(char* p, const std::optional<Moment>& m) {
  if (m) return put_int(p, m->time_since_epoch().count());
  std::memcpy(p, "null", 4);
  return p + 4;
}

void put_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Reads the format encode_progress writes, and any JSON of the same shape (whitespace, every
// string escape: SQLite's json functions may have written it).
class Decoder {
 public:
  explicit Decoder(std::string_view s) : s_(s) {}

  std::optional<Error> error() const {
    if (ok_) return std::nullopt;
    return Error{"stored progress entries: malformed JSON at byte " + std::to_string(pos_)};
  }
  bool ok() const { return ok_; }
  void fail() { ok_ = false; }

  void expect(char c) {
    ws();
    if (ok_ && pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
    } else {
      ok_ = false;
    }
  }
  // Consumes `c` when it is next.
  bool accept(char c) {
    ws();
    if (ok_ && pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool at_end() {
    ws();
    return pos_ == s_.size();
  }

  std::int64_t integer() {
    ws();
    std::int64_t v = 0;
    const char* begin = s_.data() + pos_;
    const auto res = std::from_chars(begin, s_.data() + s_.size(), v);
    if (res.ec != std::errc{}) {
      ok_ = false;
      return 0;
    }
    pos_ += static_cast<std::size_t>(res.ptr - begin);
    return v;
  }
  std::optional<Moment> moment() {
    ws();
    if (s_.substr(pos_, 4) == "null") {
      pos_ += 4;
      return std::nullopt;
    }
    return Moment{Duration{integer()}};
  }
  // A string into `out`, or skipped when `out` is null.
  void string(std::string* out) {
    expect('"');
    if (!ok_) return;
    if (out != nullptr) out->clear();
    for (;;) {
      std::size_t end = pos_;
      while (end < s_.size() && s_[end] != '"' && s_[end] != '\\') ++end;
      if (end == s_.size()) {
        ok_ = false;
        return;
      }
      if (out != nullptr) out->append(s_.data() + pos_, end - pos_);
      pos_ = end + 1;
      if (s_[end] == '"') return;
      if (pos_ >= s_.size()) {
        ok_ = false;
        return;
      }
      const char e = s_[pos_++];
      char plain = 0;
      switch (e) {
        case '"': plain = '"'; break;
        case '\\': plain = '\\'; break;
        case '/': plain = '/'; break;
        case 'b': plain = '\b'; break;
        case 'f': plain = '\f'; break;
        case 'n': plain = '\n'; break;
        case 'r': plain = '\r'; break;
        case 't': plain = '\t'; break;
        case 'u': {
          std::uint32_t cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && s_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            const std::uint32_t low = hex4();
            if (low >= 0xDC00 && low < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              ok_ = false;
            }
          } else if (cp >= 0xD800 && cp < 0xE000) {
            ok_ = false;  // a lone surrogate is not text
          }
          if (!ok_) return;
          if (out != nullptr) put_utf8(*out, cp);
          continue;
        }
        default: ok_ = false; return;
      }
      if (out != nullptr) *out += plain;
    }
  }

 private:
  void ws() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t')) {
      ++pos_;
    }
  }
  std::uint32_t hex4() {
    if (pos_ + 4 > s_.size()) {
      ok_ = false;
      return 0;
    }
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = s_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        ok_ = false;
        return 0;
      }
    }
    return v;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

// Calls add(entry, batch) for each entry.
template <class Add>
std::optional<Error> decode(std::string_view text, bool with_text, Add add) {
  Decoder d(text);
  d.expect('[');
  if (!d.accept(']')) {
    do {
      ProgressEntry e;
      d.expect('[');
      e.at = Moment{Duration{d.integer()}};
      d.expect(',');
      const std::int64_t status = d.integer();
      const auto s = status_from_code(status);
      if (!s) return Error{"stored progress entries: not a status code: " + std::to_string(status)};
      e.status = *s;
      d.expect(',');
      d.string(&e.department);
      d.expect(',');
      d.string(with_text ? &e.handler : nullptr);
      d.expect(',');
      d.string(with_text ? &e.handler_title : nullptr);
      d.expect(',');
      d.string(with_text ? &e.action : nullptr);
      d.expect(',');
      e.step_start = d.moment();
      d.expect(',');
      e.step_deadline = d.moment();
      d.expect(',');
      const std::int64_t batch = d.integer();
      d.expect(']');
      if (!d.ok()) return d.error();
      add(std::move(e), batch);
    } while (d.accept(','));
    d.expect(']');
  }
  if (d.ok() && !d.at_end()) d.fail();  // trailing bytes
  return d.error();
}

}  // namespace

void encode_progress(std::span<const EntryRef> entries, std::string& out) {
  // Room for the worst case: every text escaped at its longest, five numbers, the punctuation.
  std::size_t room = 2;
  for (const EntryRef& r : entries) {
    const ProgressEntry& e = *r.entry;
    room += json_string_capacity(e.department.size()) + json_string_capacity(e.handler.size()) +
            json_string_capacity(e.handler_title.size()) + json_string_capacity(e.action.size()) +
            5 * kIntRoom + 12;
  }
  const std::size_t start = out.size();
  out.resize(start + room);
  char* const begin = out.data() + start;
  char* p = begin;
  *p++ = '[';
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const ProgressEntry& e = *entries[i].entry;
    if (i > 0) *p++ = ',';
    *p++ = '[';
    p = put_int(p, e.at.time_since_epoch().count());
    *p++ = ',';
    p = put_int(p, status_code(e.status));
    *p++ = ',';
    p = write_json_string(p, e.department);
    *p++ = ',';
    p = write_json_string(p, e.handler);
    *p++ = ',';
    p = write_json_string(p, e.handler_title);
    *p++ = ',';
    p = write_json_string(p, e.action);
    *p++ = ',';
    p = put_moment(p, e.step_start);
    *p++ = ',';
    p = put_moment(p, e.step_deadline);
    *p++ = ',';
    p = put_int(p, entries[i].batch);
    *p++ = ']';
  }
  *p++ = ']';
  out.resize(start + static_cast<std::size_t>(p - begin));
}

std::optional<Error> decode_progress(std::string_view text, bool with_text,
                                     std::vector<ProgressEntry>& out) {
  return decode(text, with_text,
                [&](ProgressEntry&& e, std::int64_t) { out.push_back(std::move(e)); });
}

std::optional<Error> decode_progress(std::string_view text, std::vector<StoredEntry>& out) {
  return decode(text, true, [&](ProgressEntry&& e, std::int64_t batch) {
    out.push_back(StoredEntry{std::move(e), batch});
  });
}

}  // namespace tthc::store
