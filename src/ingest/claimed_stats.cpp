#include "ingest/claimed_stats.hpp"

#include "domain/codes.hpp"
#include "domain/text.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <cmath>
#include <string>

namespace tthc::ingest {

namespace json = boost::json;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string shown(const json::value& v) {
  if (v.is_string()) return quote_for_error(v.get_string());
  if (v.is_double()) {
    char buf[32];
    const auto res = std::to_chars(buf, buf + sizeof buf, v.get_double());
    return quote_for_error(std::string_view(buf, static_cast<std::size_t>(res.ptr - buf)));
  }
  return quote_for_error(json::serialize(v));
}

class Fields {
 public:
  explicit Fields(const json::object& o) : o_(o) {}

  // A string field; numbers are read as their text (LoaiThongKe may be sent as 1).
  Result<std::string> text(std::string_view key, std::size_t max_bytes) const {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr || v->is_null()) return std::string();
    std::string s;
    if (v->is_string()) {
      s = std::string(trim(v->get_string()));
      if (!is_valid_utf8(s)) return Error{std::string(key) + ": invalid UTF-8: " + shown(*v)};
    } else if (v->is_int64() || v->is_uint64()) {
      s = json::serialize(*v);
    } else {
      return Error{std::string(key) + ": not a text: " + shown(*v)};
    }
    if (s.size() > max_bytes) {
      return Error{std::string(key) + ": longer than " + std::to_string(max_bytes) +
                   " bytes: " + quote_for_error(s)};
    }
    return s;
  }

  // A whole number in [lo, hi]: a JSON integer, or a string of digits.
  Result<std::optional<std::int64_t>> integer(std::string_view key, std::int64_t lo,
                                              std::int64_t hi) const {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr || v->is_null()) return std::optional<std::int64_t>();
    std::int64_t n = 0;
    if (v->is_int64()) {
      n = v->get_int64();
    } else if (v->is_uint64()) {
      n = hi + 1;
    } else if (v->is_double() && std::floor(v->get_double()) == v->get_double() &&
               std::abs(v->get_double()) < 1e15) {
      n = static_cast<std::int64_t>(v->get_double());
    } else if (v->is_string()) {
      const std::string_view s = trim(v->get_string());
      if (s.empty()) return std::optional<std::int64_t>();
      const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
      if (ec == std::errc::result_out_of_range) {
        n = hi + 1;
      } else if (ec != std::errc() || end != s.data() + s.size()) {
        return Error{std::string(key) + ": not a whole number: " + shown(*v)};
      }
    } else {
      return Error{std::string(key) + ": not a whole number: " + shown(*v)};
    }
    if (n < lo || n > hi) {
      return Error{std::string(key) + ": out of range: " + shown(*v) + " (" + std::to_string(lo) +
                   "–" + std::to_string(hi) + ")"};
    }
    return std::optional<std::int64_t>(n);
  }

  // A percentage in [0, 100]: a JSON number or a decimal string, '.' or ',' before decimals.
  Result<std::optional<double>> percent(std::string_view key) const {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr || v->is_null()) return std::optional<double>();
    double x = 0;
    if (v->is_number()) {
      x = v->to_number<double>();
    } else if (v->is_string()) {
      std::string s(trim(v->get_string()));
      if (s.empty()) return std::optional<double>();
      if (s.back() == '%') s.pop_back();
      if (const auto comma = s.find(','); comma != std::string::npos && s.find('.') == s.npos) {
        s[comma] = '.';
      }
      const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
      if (ec != std::errc() || end != s.data() + s.size()) {
        return Error{std::string(key) + ": not a number: " + shown(*v)};
      }
    } else {
      return Error{std::string(key) + ": not a number: " + shown(*v)};
    }
    if (!(x >= 0.0 && x <= 100.0)) {
      return Error{std::string(key) + ": not a percentage (0–100): " + shown(*v)};
    }
    return std::optional<double>(x);
  }

 private:
  const json::object& o_;
};

}  // namespace

Result<ClaimedStats> parse_claimed_stats(std::string_view record_json,
                                         const ClaimedStatsLimits& limits) {
  if (record_json.size() > limits.max_record_bytes) {
    return Error{"DongBoThongKeHoSo: record larger than " +
                 std::to_string(limits.max_record_bytes) + " bytes"};
  }
  json::parse_options opts;
  opts.max_depth = 8;
  opts.allow_invalid_utf8 = true;  // checked field by field, so the error names the field
  boost::system::error_code ec;
  const json::value v = json::parse(record_json, ec, {}, opts);
  if (ec) return Error{"DongBoThongKeHoSo: malformed JSON: " + ec.message()};
  if (!v.is_object()) return Error{"DongBoThongKeHoSo: a record must be a JSON object"};
  const Fields f(v.as_object());

  ClaimedStats s;
  std::optional<std::int64_t> month, year;
  TTHC_TRY(month, f.integer("Thang", 1, 12));
  TTHC_TRY(year, f.integer("Nam", limits.min_year, limits.max_year));
  if (!month) return Error{"Thang: missing"};
  if (!year) return Error{"Nam: missing"};
  s.month = static_cast<unsigned>(*month);
  s.year = static_cast<int>(*year);
  TTHC_TRY(s.unit, f.text("Madonvi", limits.max_code_bytes));
  if (s.unit.empty()) return Error{"Madonvi: missing"};
  // A unit code as dossier codes carry it (domain/codes.hpp): the metrics label units with it.
  if (!is_unit_code(s.unit)) {
    return Error{"Madonvi: not a unit code: " + quote_for_error(s.unit)};
  }
  TTHC_TRY(s.kind, f.text("LoaiThongKe", limits.max_code_bytes));
  TTHC_TRY(s.unit_name, f.text("TenDonVi", limits.max_text_bytes));
  TTHC_TRY(s.note, f.text("GhiChu", limits.max_text_bytes));

  const struct {
    std::string_view key;
    std::optional<std::int64_t> StatsFigures::*member;
  } counts[] = {
      {"SoNhanTrongKy", &StatsFigures::received},
      {"SoTonKyTruoc", &StatsFigures::carried_over},
      {"TongSoXuLy", &StatsFigures::to_process},
      {"TongDaXuLy", &StatsFigures::resolved},
      {"TongXuLyDungHan", &StatsFigures::resolved_on_time},
      {"TongXuLyTreHan", &StatsFigures::resolved_overdue},
      {"TongChuaXuLy", &StatsFigures::pending},
      {"TongChuaXuLyTrongHan", &StatsFigures::pending_in_time},
      {"TongChuaXuLyTreHan", &StatsFigures::pending_overdue},
  };
  for (const auto& c : counts) {
    TTHC_TRY(s.figures.*c.member, f.integer(c.key, 0, limits.max_count));
  }
  std::optional<double> percent;
  TTHC_TRY(percent, f.percent("PhanTramXuLyDungHan"));
  if (percent) s.figures.on_time_rate = *percent / 100.0;
  return s;
}

}  // namespace tthc::ingest
