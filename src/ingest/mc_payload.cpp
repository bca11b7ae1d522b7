#include "ingest/mc_payload.hpp"

#include "domain/text.hpp"
#include "ingest/claimed_stats.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>

namespace tthc::ingest {

namespace {

namespace json = boost::json;

constexpr std::string_view kDossierService = "DongBoHoSoMC";
// The dossier fields read into Dossier and ProgressEntry.
constexpr std::string_view kReadFields[] = {
    "MaHoSo",          "MaTTHC",      "TenTTHC",      "MaLinhVuc",   "TenLinhVuc",
    "KenhThucHien",    "NgayNopHoSo", "NgayTiepNhan", "NgayHenTra",  "TrangThaiHoSo",
    "NgayKetThucXuLy", "NgayTra",     "DonViXuLy",    "QuaTrinhXuLy"};
// The known non-personal fields kept as they came in `raw`: DanhSachHoSoBoSung (rounds may carry
// fields of their own, a reason) and LoaiDoiTuong (the kind of applicant, a code). Every other
// member (ThongTinNguoiNop, SoCMND, SoDienThoai, Email, DiaChi, ThanhPhanHoSo, DSKetNoiCSDL,
// whatever a sender adds) is dropped whole: what is not known cannot be known to be harmless.
constexpr std::string_view kRawFields[] = {"DanhSachHoSoBoSung", "LoaiDoiTuong"};
constexpr std::string_view kProgressService = "CapNhatTienDoHoSoMC";
constexpr std::string_view kStatisticsService = "DongBoThongKeHoSo";

std::string_view kind_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "a value";
}

// A fingerprint of a JSON value from its parsed form: the same content gives the same hash
// whatever its whitespace, so a record re-sent through the webhook or a file matches itself.
// Object members are hashed in their order (a sender re-serialising a record keeps it).
std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdULL;
}

std::uint64_t hash_value(const json::value& v, std::uint64_t h);

std::uint64_t hash_object(const json::object& o, std::uint64_t h) {
  for (const auto& kv : o) {
    h = mix(h, content_hash(kv.key(), h));
    h = hash_value(kv.value(), h);
  }
  return mix(h, o.size());
}

std::uint64_t hash_value(const json::value& v, std::uint64_t h) {
  h = mix(h, static_cast<std::uint64_t>(v.kind()));
  switch (v.kind()) {
    case json::kind::null: return h;
    case json::kind::bool_: return mix(h, v.get_bool() ? 1 : 0);
    case json::kind::int64: return mix(h, static_cast<std::uint64_t>(v.get_int64()));
    case json::kind::uint64: return mix(h, v.get_uint64());
    case json::kind::double_: {
      std::uint64_t bits = 0;
      const double d = v.get_double();
      std::memcpy(&bits, &d, sizeof bits);
      return mix(h, bits);
    }
    case json::kind::string: return mix(h, content_hash(v.get_string(), h));
    case json::kind::array:
      for (const json::value& item : v.get_array()) h = hash_value(item, h);
      return mix(h, v.get_array().size());
    case json::kind::object: return hash_object(v.get_object(), h);
  }
  return h;
}

template <std::size_t N>
bool is_listed(const std::string_view (&fields)[N], std::string_view key) {
  for (const std::string_view f : fields) {
    if (f == key) return true;
  }
  return false;
}
bool is_raw_field(std::string_view key) {
  return is_listed(kRawFields, key);
}
// Kept: read into the dossier, or in `raw`. Only these are fingerprinted and stored.
bool is_kept_field(std::string_view key) {
  return is_listed(kReadFields, key) || is_raw_field(key);
}

// The record's fingerprint: its kept members hashed as hash_object does, so a record made only
// of kept members keeps the fingerprint stores already hold, and a change to a dropped member
// (a phone number) is no news.
std::uint64_t hash_kept(const json::object& o, std::uint64_t h) {
  std::size_t kept = 0;
  for (const auto& kv : o) {
    if (!is_kept_field(kv.key())) continue;
    ++kept;
    h = mix(h, content_hash(kv.key(), h));
    h = hash_value(kv.value(), h);
  }
  return mix(h, kept);
}

// A boolean as senders write it: true, "True", "true", "1", 1 (and their false forms); none for
// anything else.
std::optional<bool> flag_of(const json::value& v) {
  if (v.is_bool()) return v.get_bool();
  if (v.is_int64()) {
    if (v.get_int64() == 0 || v.get_int64() == 1) return v.get_int64() == 1;
    return std::nullopt;
  }
  if (!v.is_string()) return std::nullopt;
  const std::string_view s = v.get_string();
  if (s == "True" || s == "true" || s == "1") return true;
  if (s == "False" || s == "false" || s == "0") return false;
  return std::nullopt;
}

// `{"MaMuc": .., "TenMuc": ..}` where a code is expected: the code.
const json::value& code_of_item(const json::value& v) {
  if (v.is_object()) {
    if (const json::value* code = v.get_object().if_contains("MaMuc")) return *code;
  }
  return v;
}

std::string number_text(const json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v.get_double());
  return std::string(buf, res.ptr);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// What is wrong inside a value kept or passed on as it came, null when nothing: text that is
// not UTF-8 (checked after a lenient parse only), or a number beyond a double, which Boost.JSON
// reads as infinity and would write back as `Infinity`, which is not JSON.
const char* fault_in(const json::value& v, bool check_utf8) {
  switch (v.kind()) {
    case json::kind::double_:
      return std::isfinite(v.get_double()) ? nullptr : "a number out of range";
    case json::kind::string:
      return !check_utf8 || is_valid_utf8(v.get_string()) ? nullptr : "invalid UTF-8";
    case json::kind::array:
      for (const json::value& item : v.get_array()) {
        if (const char* fault = fault_in(item, check_utf8)) return fault;
      }
      return nullptr;
    case json::kind::object:
      for (const auto& kv : v.get_object()) {
        if (check_utf8 && !is_valid_utf8(kv.key())) return "invalid UTF-8";
        if (const char* fault = fault_in(kv.value(), check_utf8)) return fault;
      }
      return nullptr;
    default: return nullptr;
  }
}

// The limits, and whether strings still need a UTF-8 check (the strict parse did it already).
struct Context : Limits {
  bool check_utf8 = false;
};

// Reads the fields of one JSON object, naming them (with their list and index) in errors.
class Reader {
 public:
  /// Fields of an item of a list are named `list[index].key`; the name is built only for errors.
  Reader(const json::object& o, const Context& limits, std::string_view list = {},
         std::size_t index = 0)
      : o_(o), limits_(limits), list_(list), index_(index) {}

  std::string name(std::string_view key) const {
    if (list_.empty()) return std::string(key);
    return std::string(list_) + "[" + std::to_string(index_) + "]." + std::string(key);
  }
  /// Looks from the member after the last one found: fields read in the order senders write
  /// them (domain.md §2) are found at the first comparison.
  const json::value* find(std::string_view key) const {
    const std::size_t n = o_.size();
    const json::key_value_pair* members = o_.begin();
    for (std::size_t i = 0, j = next_; i < n; ++i, ++j) {
      if (j >= n) j = 0;
      if (members[j].key() == key) {
        next_ = j + 1;
        return &members[j].value();
      }
    }
    return nullptr;
  }

  // A code: string or number, trimmed, no control characters.
  // Valid until the reader's next call.
  Result<std::optional<std::string_view>> code(std::string_view key) const {
    return text_impl(key, limits_.max_code_bytes, true);
  }
  /// A code or free text (kept byte-exact) into `out`; absent fields read as "".
  std::optional<Error> code_to(std::string_view key, std::string& out) const {
    return assign(text_impl(key, limits_.max_code_bytes, true), out);
  }
  std::optional<Error> text_to(std::string_view key, std::string& out) const {
    return assign(text_impl(key, limits_.max_text_bytes, false), out);
  }

  Result<std::optional<Moment>> moment(std::string_view key) const {
    const json::value* v = find(key);
    if (v == nullptr || v->is_null()) return std::optional<Moment>();
    std::string_view text;
    if (v->is_string()) {
      text = trim(v->get_string());
    } else if (v->is_int64() || v->is_uint64()) {
      number_ = number_text(*v);
      text = number_;
    } else {
      return Error{name(key) + ": expected a date string, got " + std::string(kind_name(*v))};
    }
    if (text.empty()) return std::optional<Moment>();
    auto m = parse_data_moment(text);
    if (!m) return with_field(name(key), std::move(m).error());
    const int year = static_cast<int>(std::chrono::year_month_day{day_of(*m)}.year());
    if (year < limits_.min_year || year > limits_.max_year) {
      return Error{name(key) + ": out of range: " + quote_for_error(text) + " (years " +
                   std::to_string(limits_.min_year) + "–" + std::to_string(limits_.max_year) + ")"};
    }
    return std::optional<Moment>(*m);
  }

  // A small integer code (status, channel): number or string of digits, or a {"MaMuc"} object;
  // empty = absent.
  Result<std::optional<long long>> small_int(std::string_view key) const {
    const json::value* v = find(key);
    if (v == nullptr) return std::optional<long long>();
    return small_int_of(key, code_of_item(*v));
  }

  /// TrangThaiHoSo: a code 1–10 as small_int reads it; "", null, 0 or a word (a status name
  /// instead of its code) read as Status::Unknown; a number out of range is an error.
  Result<Status> status(std::string_view key) const {
    const json::value* found = find(key);
    if (found == nullptr) return Error{name(key) + ": missing"};
    const json::value& v = code_of_item(*found);
    if (v.is_string()) {
      const std::string_view s = trim(v.get_string());
      bool digit = false;
      for (const char c : s) digit = digit || (c >= '0' && c <= '9');
      if (!digit) {
        if (limits_.check_utf8 && !is_valid_utf8(s)) {
          return Error{name(key) + ": invalid UTF-8: " + quote_for_error(s)};
        }
        return Status::Unknown;
      }
    }
    TTHC_TRY(const std::optional<long long> code, small_int_of(key, v));
    if (!code || *code == 0) return Status::Unknown;
    auto s = status_from_code(*code);
    if (!s) return Error{name(key) + ": not a status code (1–10): " + std::to_string(*code)};
    return *s;
  }

 private:
  Result<std::optional<long long>> small_int_of(std::string_view key,
                                                const json::value& value) const {
    const json::value* v = &value;
    if (v->is_null()) return std::optional<long long>();
    if (v->is_int64()) return std::optional<long long>(v->get_int64());
    if (v->is_double()) {
      const double d = v->get_double();
      if (d >= -1e9 && d <= 1e9 && static_cast<double>(static_cast<long long>(d)) == d) {
        return std::optional<long long>(static_cast<long long>(d));
      }
      return Error{name(key) + ": not a whole number: " + number_text(*v)};
    }
    if (v->is_string()) {
      const std::string_view s = trim(v->get_string());
      if (s.empty()) return std::optional<long long>();
      long long n = 0;
      const auto res = std::from_chars(s.data(), s.data() + s.size(), n);
      if (res.ec != std::errc{} || res.ptr != s.data() + s.size()) {
        return Error{name(key) + ": not a number: " + quote_for_error(s)};
      }
      return std::optional<long long>(n);
    }
    if (v->is_uint64()) return Error{name(key) + ": out of range: " + number_text(*v)};
    return Error{name(key) + ": expected a number, got " + std::string(kind_name(*v))};
  }

  static std::optional<Error> assign(Result<std::optional<std::string_view>> r, std::string& out) {
    TTHC_TRY(const std::optional<std::string_view> text, std::move(r));
    if (text) {
      out.assign(*text);
    } else {
      out.clear();
    }
    return std::nullopt;
  }

  // The field's text, checked; valid until the next call (a number's text is held here).
  Result<std::optional<std::string_view>> text_impl(std::string_view key, std::size_t max,
                                                    bool is_code) const {
    const json::value* v = find(key);
    if (v != nullptr && is_code) v = &code_of_item(*v);
    if (v == nullptr || v->is_null()) return std::optional<std::string_view>();
    std::string_view s;
    if (v->is_string()) {
      s = v->get_string();
    } else if (v->is_number()) {
      if (const char* fault = fault_in(*v, false)) return Error{name(key) + ": " + fault};
      number_ = number_text(*v);
      s = number_;
    } else {
      return Error{name(key) + ": expected a string, got " + std::string(kind_name(*v))};
    }
    if (is_code) s = trim(s);
    if (limits_.check_utf8 && !is_valid_utf8(s)) {
      return Error{name(key) + ": invalid UTF-8: " + quote_for_error(s)};
    }
    if (s.size() > max) {
      return Error{name(key) + ": too long: " + std::to_string(s.size()) + " bytes (at most " +
                   std::to_string(max) + "): " + quote_for_error(s)};
    }
    if (is_code) {
      for (const char c : s) {
        if (static_cast<unsigned char>(c) < 0x20) {
          return Error{name(key) + ": control character in a code: " + quote_for_error(s)};
        }
      }
    }
    if (s.empty()) return std::optional<std::string_view>();
    return std::optional<std::string_view>(s);
  }

  const json::object& o_;
  const Context& limits_;
  std::string_view list_;
  std::size_t index_;
  mutable std::size_t next_ = 0;
  mutable std::string number_;
};

// A progress entry's TrangThai: a known code. An entry with an unknown status would be a step
// of unknown kind in the timeline, so it is rejected (the dossier's own status is not).
Result<Status> read_status(const Reader& r, std::string_view key) {
  TTHC_TRY(const std::optional<long long> code, r.small_int(key));
  if (!code) return Error{r.name(key) + ": missing"};
  auto s = status_from_code(*code);
  if (!s) return Error{r.name(key) + ": not a status code (1–10): " + std::to_string(*code)};
  return *s;
}

// The fields in the order senders write them (domain.md §2), after MaHoSo.
std::optional<Error> read_progress(const Reader& r, ProgressEntry& e) {
  TTHC_TRY_VOID(r.text_to("NguoiXuLy", e.handler));
  TTHC_TRY_VOID(r.text_to("ChucDanh", e.handler_title));
  TTHC_TRY(const std::optional<Moment> at, r.moment("ThoiDiemXuLy"));
  if (!at) return Error{r.name("ThoiDiemXuLy") + ": missing"};
  e.at = *at;
  TTHC_TRY_VOID(r.text_to("PhongBanXuLy", e.department));
  TTHC_TRY_VOID(r.text_to("NoiDungXuLy", e.action));
  TTHC_TRY(e.status, read_status(r, "TrangThai"));
  TTHC_TRY(e.step_start, r.moment("NgayBatDau"));
  TTHC_TRY(e.step_deadline, r.moment("NgayKetThucTheoQuyDinh"));
  return std::nullopt;
}

Result<const json::array*> read_list(const Reader& r, std::string_view key, const Context& limits) {
  const json::value* v = r.find(key);
  if (v == nullptr || v->is_null()) return static_cast<const json::array*>(nullptr);
  if (v->is_string() && v->get_string().empty()) return static_cast<const json::array*>(nullptr);
  if (!v->is_array()) {
    return Error{r.name(key) + ": expected an array, got " + std::string(kind_name(*v))};
  }
  if (v->get_array().size() > limits.max_list_items) {
    return Error{r.name(key) + ": too many items: " + std::to_string(v->get_array().size()) +
                 " (at most " + std::to_string(limits.max_list_items) + ")"};
  }
  return &v->get_array();
}

// The record's members kept but not read (kRawFields), as a JSON object in their order. A
// number beyond a double rejects the record (it would be written back as `Infinity`, not JSON);
// damaged text does not (it is no field the monitor reads), it is stored repaired.
Result<std::string> raw_members(const json::object& o) {
  std::size_t kept = 0;
  for (const auto& kv : o) {
    if (!is_raw_field(kv.key())) continue;
    if (const char* fault = fault_in(kv.value(), false)) {
      return Error{std::string(kv.key()) + ": " + fault};
    }
    ++kept;
  }
  if (kept == 0) return std::string("{}");
  json::object rest(o.storage());
  rest.reserve(kept);
  for (const auto& kv : o) {
    if (is_raw_field(kv.key())) rest.emplace(kv.key(), kv.value());
  }
  // A member not read may carry invalid UTF-8 (a sender's damaged reason text): what is stored
  // is valid UTF-8 JSON, the damaged bytes U+FFFD.
  std::string text = json::serialize(rest);
  if (!is_valid_utf8(text)) text = to_valid_utf8(text);
  return text;
}

// Item `i` of the list `key`, which must be an object.
Result<const json::object*> list_item(const json::array& list, std::size_t i,
                                      std::string_view key) {
  const json::value& item = list[i];
  if (!item.is_object()) {
    return Error{std::string(key) + "[" + std::to_string(i) + "]: expected an object, got " +
                 std::string(kind_name(item))};
  }
  return &item.get_object();
}

// The dossier's own fields, in the order senders write them (domain.md §2).
std::optional<Error> read_dossier_fields(const Reader& r, Dossier& d) {
  TTHC_TRY(const std::optional<std::string_view> code, r.code("MaHoSo"));
  if (!code) return Error{"MaHoSo: missing"};
  d.code.assign(*code);
  TTHC_TRY_VOID(r.code_to("MaTTHC", d.procedure_code));
  // Without its procedure no limit applies and the dossier would count nowhere: refused, so the
  // sender sees it (a damaged key arrives as a missing one).
  if (d.procedure_code.empty()) return Error{"MaTTHC: missing"};
  TTHC_TRY_VOID(r.text_to("TenTTHC", d.procedure_name));
  TTHC_TRY_VOID(r.code_to("MaLinhVuc", d.field_code));
  TTHC_TRY_VOID(r.text_to("TenLinhVuc", d.field_name));
  TTHC_TRY(const std::optional<long long> channel, r.small_int("KenhThucHien"));
  if (channel) {
    auto c = channel_from_code(*channel);
    if (!c) {
      return Error{"KenhThucHien: not a channel (1 in person, 2 online, 3 postal): " +
                   std::to_string(*channel)};
    }
    d.channel = *c;
  }
  TTHC_TRY(d.submitted, r.moment("NgayNopHoSo"));
  TTHC_TRY(d.received, r.moment("NgayTiepNhan"));
  TTHC_TRY(d.promised_due, r.moment("NgayHenTra"));
  TTHC_TRY(d.status, r.status("TrangThaiHoSo"));
  TTHC_TRY(d.processing_end, r.moment("NgayKetThucXuLy"));
  TTHC_TRY(d.returned, r.moment("NgayTra"));
  TTHC_TRY_VOID(r.text_to("DonViXuLy", d.unit_name));
  return std::nullopt;
}

// DanhSachHoSoBoSung: the supplement rounds, in the sender's order.
std::optional<Error> read_rounds(const Reader& r, const Context& limits, Dossier& d) {
  static constexpr std::string_view kKey = "DanhSachHoSoBoSung";
  TTHC_TRY(const json::array* const rounds, read_list(r, kKey, limits));
  if (rounds == nullptr) return std::nullopt;
  for (std::size_t i = 0; i < rounds->size(); ++i) {
    TTHC_TRY(const json::object* const item, list_item(*rounds, i, kKey));
    const Reader rr(*item, limits, kKey, i);
    SupplementRound round;
    TTHC_TRY(round.requested, rr.moment("NgayBoSung"));
    TTHC_TRY(round.received, rr.moment("NgayTiepNhanBoSung"));
    TTHC_TRY(round.due_before, rr.moment("NgayHenTraTruoc"));
    TTHC_TRY(round.due_after, rr.moment("NgayHenTraMoi"));
    d.rounds.push_back(round);
  }
  return std::nullopt;
}

// QuaTrinhXuLy: the progress entries; one that names a dossier names this one.
std::optional<Error> read_progress_list(const Reader& r, const Context& limits,
                                        DossierSnapshot& snap) {
  static constexpr std::string_view kKey = "QuaTrinhXuLy";
  TTHC_TRY(const json::array* const progress, read_list(r, kKey, limits));
  if (progress == nullptr) return std::nullopt;
  snap.progress.resize(progress->size());
  for (std::size_t i = 0; i < progress->size(); ++i) {
    TTHC_TRY(const json::object* const item, list_item(*progress, i, kKey));
    const Reader pr(*item, limits, kKey, i);
    TTHC_TRY(const std::optional<std::string_view> code, pr.code("MaHoSo"));
    if (code && *code != snap.dossier.code) {
      return Error{pr.name("MaHoSo") + ": " + quote_for_error(*code) +
                   " is not the dossier's code " + quote_for_error(snap.dossier.code)};
    }
    TTHC_TRY_VOID(read_progress(pr, snap.progress[i]));
  }
  return std::nullopt;
}

// Reads the record into `snap` (a fresh one): the fields in the order senders write them.
std::optional<Error> read_dossier(const json::object& o, const Context& limits,
                                  DossierSnapshot& snap) {
  const Reader r(o, limits);
  TTHC_TRY_VOID(read_dossier_fields(r, snap.dossier));
  TTHC_TRY_VOID(read_rounds(r, limits, snap.dossier));
  TTHC_TRY_VOID(read_progress_list(r, limits, snap));
  TTHC_TRY(snap.raw, raw_members(o));
  sort_progress(snap.progress);
  snap.freshness = snapshot_freshness(snap.dossier, snap.progress);
  // The fingerprint covers the kept members; `raw` (above) keeps the allowed ones not read.
  snap.content_hash = hash_kept(o, 0x2545F4914F6CDD1DULL);
  return std::nullopt;
}

Result<ProgressUpdate> read_progress_update(const json::object& o, const Context& limits) {
  const Reader r(o, limits);
  ProgressUpdate u;
  TTHC_TRY(const std::optional<std::string_view> code, r.code("MaHoSo"));
  if (!code) return Error{"MaHoSo: missing"};
  u.dossier_code.assign(*code);
  TTHC_TRY_VOID(read_progress(r, u.entry));
  return u;
}

// The record's MaHoSo for a rejection, when it is a readable string.
std::string code_of(const json::value& record) {
  if (!record.is_object()) return "";
  const json::value* v = record.get_object().if_contains("MaHoSo");
  if (v == nullptr || !v->is_string()) return "";
  const std::string_view s = v->get_string();
  if (s.size() > 128 || !is_valid_utf8(s)) return "";
  return std::string(s);
}

using Kind = RecordKind;

void read_record(json::value& record, Kind kind, std::size_t index, const std::string& prefix,
                 const Context& limits, Batch& out) {
  ++out.records;
  auto reject = [&](std::string reason) {
    out.rejected.push_back(Rejection{index, code_of(record), prefix + std::move(reason)});
  };
  if (!record.is_object()) {
    reject("expected an object, got " + std::string(kind_name(record)));
    return;
  }
  if (kind == Kind::Statistics) {
    // The statistics' own reader judges them from their text; a bad one is rejected like any
    // record.
    if (const char* fault = fault_in(record, false)) return reject(fault);
    auto stats = parse_claimed_stats(json::serialize(record));
    if (!stats) return reject(std::move(stats).error().message);
    out.statistics.push_back(std::move(*stats));
  } else if (kind == Kind::Dossier) {
    // Read in place; a rejected record is taken back.
    DossierSnapshot& snap = out.dossiers.emplace_back();
    if (auto e = read_dossier(record.get_object(), limits, snap)) {
      out.dossiers.pop_back();
      return reject(std::move(e->message));
    }
  } else {
    auto update = read_progress_update(record.get_object(), limits);
    if (!update) return reject(std::move(update).error().message);
    out.progress.push_back(std::move(*update));
  }
}

// Strict UTF-8 parsing first: the parser checks every string at once, so the fields need no
// check of their own. Only a body with invalid UTF-8 is parsed again leniently, and then each
// field is checked, so one bad record rejects only itself.
struct Parsed {
  json::value value;
  bool utf8_checked = false;
};

Result<Parsed> parse_json(std::string_view text, const json::storage_ptr& sp) {
  json::parse_options opts;
  opts.max_depth = 16;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec, sp, opts);
  if (!ec) return Parsed{std::move(v), true};
  opts.allow_invalid_utf8 = true;
  boost::system::error_code lenient_ec;
  v = json::parse(text, lenient_ec, sp, opts);
  if (lenient_ec) return Error{"malformed JSON: " + lenient_ec.message()};
  return Parsed{std::move(v), false};
}

Result<Kind> service_kind(std::string_view service, std::string_view field) {
  if (service == kDossierService) return Kind::Dossier;
  if (service == kProgressService) return Kind::Progress;
  if (service == kStatisticsService) return Kind::Statistics;
  return Error{std::string(field) + ": unknown service " + quote_for_error(service) +
               " (expected DongBoHoSoMC, CapNhatTienDoHoSoMC or DongBoThongKeHoSo)"};
}

void read_records(json::array& records, Kind kind, std::size_t line, bool is_line,
                  const Context& limits, Batch& out) {
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::string prefix = is_line ? "data[" + std::to_string(i) + "]: " : "";
    read_record(records[i], kind, is_line ? line : i, prefix, limits, out);
  }
}

// madonvi: the sending unit's code; absent or empty = none.
std::optional<Error> read_sender(const json::object& env, const Context& limits, Batch& out) {
  const Reader r(env, limits);
  std::string sender;
  TTHC_TRY_VOID(r.code_to("madonvi", sender));
  out.sender = std::move(sender);
  return std::nullopt;
}

// Fills `out` from an envelope object; an error concerns the envelope. Members other than
// service, madonvi and data (session, isUpdating, ...) are not read: `session` is a credential
// for the national portal and is neither kept nor logged.
std::optional<Error> read_envelope(json::object& env, std::size_t line, bool is_line,
                                   const Context& limits, Batch& out) {
  const json::value* service = env.if_contains("service");
  if (service == nullptr) return Error{"service: missing"};
  if (!service->is_string()) {
    return Error{"service: expected a string, got " + std::string(kind_name(*service))};
  }
  TTHC_TRY(const Kind kind, service_kind(service->get_string(), "service"));
  json::value* data = env.if_contains("data");
  if (data == nullptr) return Error{"data: missing"};
  if (!data->is_array()) {
    return Error{"data: expected an array, got " + std::string(kind_name(*data))};
  }
  TTHC_TRY_VOID(read_sender(env, limits, out));
  read_records(data->get_array(), kind, line, is_line, limits, out);
  return std::nullopt;
}

// Follows dot-separated keys from `v`; null when a key is missing or a value is not an object.
json::value* at_path(json::value& v, std::string_view path) {
  json::value* cur = &v;
  while (!path.empty()) {
    const std::size_t dot = std::min(path.find('.'), path.size());
    if (!cur->is_object()) return nullptr;
    cur = cur->get_object().if_contains(path.substr(0, dot));
    if (cur == nullptr) return nullptr;
    path.remove_prefix(std::min(dot + 1, path.size()));
  }
  return cur;
}

}  // namespace

Result<Page> parse_page(std::string_view body, const PageShape& shape, RecordKind kind,
                        const Limits& limits) {
  unsigned char arena[64 * 1024];
  json::monotonic_resource mr(arena, sizeof arena);
  auto parsed = parse_json(body, &mr);
  if (!parsed) {
    std::string_view start = body.substr(0, 64);
    while (!start.empty() &&
           (start.front() == ' ' || start.front() == '\n' || start.front() == '\r')) {
      start.remove_prefix(1);
    }
    if (start.starts_with("<")) return Error{"not JSON: the response looks like an HTML page"};
    return std::move(parsed).error();
  }
  json::value& v = parsed->value;
  json::value* records = at_path(v, shape.records);
  if (records == nullptr || !records->is_array()) {
    return Error{"unexpected JSON shape: no array at \"" +
                 (shape.records.empty() ? std::string("(the body)") : shape.records) + "\""};
  }
  Page page;
  Context ctx{limits, !parsed->utf8_checked};
  read_records(records->get_array(), kind, 0, false, ctx, page.batch);
  if (!shape.next_cursor.empty()) {
    if (const json::value* next = at_path(v, shape.next_cursor)) {
      if (next->is_string()) {
        page.next_cursor = std::string(next->get_string());
      } else if (next->is_number() && fault_in(*next, false) == nullptr) {
        page.next_cursor = number_text(*next);
      } else if (!next->is_null()) {
        return Error{"unexpected JSON shape: \"" + shape.next_cursor + "\" is " +
                     std::string(kind_name(*next)) + ", not a cursor"};
      }
    }
  }
  if (!shape.has_more.empty()) {
    if (const json::value* more = at_path(v, shape.has_more)) page.has_more = flag_of(*more);
  }
  return page;
}

Result<Batch> parse_envelope(std::string_view body, const Limits& limits,
                             std::string_view service_hint) {
  unsigned char arena[64 * 1024];
  json::monotonic_resource mr(arena, sizeof arena);
  TTHC_TRY(auto parsed, parse_json(body, &mr));
  json::value& v = parsed.value;
  Context ctx{limits, !parsed.utf8_checked};
  Batch out;
  if (v.is_array()) {
    // A bare array of records: the service is the hint's, else dossiers.
    TTHC_TRY(const Kind kind, service_hint.empty()
                                  ? Result<Kind>(Kind::Dossier)
                                  : service_kind(service_hint, "service (query parameter)"));
    read_records(v.get_array(), kind, 0, false, ctx, out);
    return out;
  }
  if (!v.is_object()) {
    return Error{"expected an MC envelope object or an array of records, got " +
                 std::string(kind_name(v))};
  }
  TTHC_TRY_VOID(read_envelope(v.get_object(), 0, false, ctx, out));
  return out;
}

std::optional<Error> parse_line_into(std::string_view line, std::size_t line_number,
                                     const Limits& limits, Batch& out) {
  unsigned char arena[64 * 1024];  // a line's DOM fits: no heap allocation per record
  json::monotonic_resource mr(arena, sizeof arena);
  TTHC_TRY(auto parsed, parse_json(line, &mr));
  json::value& v = parsed.value;
  Context ctx{limits, !parsed.utf8_checked};
  if (v.is_object() && v.get_object().contains("service") && v.get_object().contains("data")) {
    // Its errors come before any record is read.
    return read_envelope(v.get_object(), line_number, true, ctx, out);
  }
  if (v.is_array()) {
    read_records(v.get_array(), Kind::Dossier, line_number, true, ctx, out);
    return std::nullopt;
  }
  read_record(v, Kind::Dossier, line_number, "", ctx, out);
  return std::nullopt;
}

Result<Batch> parse_line(std::string_view line, std::size_t line_number, const Limits& limits) {
  Batch out;
  TTHC_TRY_VOID(parse_line_into(line, line_number, limits, out));
  return out;
}

}  // namespace tthc::ingest
