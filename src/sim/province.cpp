#include "sim/province.hpp"

#include "calendar/limit.hpp"
#include "domain/status.hpp"
#include "engine/rules.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace tthc::sim {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// --- random numbers ---------------------------------------------------------------------------
// Our own generator and distributions: std:: distributions differ between standard libraries,
// and the output must be the same for a seed wherever it is built.

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  return splitmix(a ^ splitmix(b + 0x632BE59BD9B4E019ULL));
}

/// xoshiro256** (Blackman and Vigna, public domain).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : s_) {
      seed = splitmix(seed);
      s = seed;
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// [0, 1)
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  /// [0, n)
  std::size_t below(std::size_t n) {
    return static_cast<std::size_t>(uniform() * static_cast<double>(n)) %
           std::max<std::size_t>(n, 1);
  }
  bool chance(double p) { return uniform() < p; }
  double gauss() {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }
  std::uint64_t poisson(double lambda) {
    if (lambda <= 0) return 0;
    if (lambda < 30) {  // Knuth
      const double limit = std::exp(-lambda);
      std::uint64_t k = 0;
      double p = uniform();
      while (p > limit) {
        ++k;
        p *= uniform();
      }
      return k;
    }
    const double n = std::round(lambda + std::sqrt(lambda) * gauss());
    return n <= 0 ? 0 : static_cast<std::uint64_t>(n);
  }
  /// Index drawn with the given weights.
  std::size_t weighted(const std::vector<double>& weights) {
    double total = 0;
    for (const double w : weights) total += w;
    double x = uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.empty() ? 0 : weights.size() - 1;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
};

Duration secs(double s) {
  return Duration{static_cast<std::int64_t>(std::llround(std::max(s, 0.0)))};
}
double as_secs(Duration d) {
  return static_cast<double>(d.count());
}

// --- JSON text ---------------------------------------------------------------------------------

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
          out += kHex[static_cast<unsigned char>(c) & 0xF];
        } else {
          out += c;
        }
    }
  }
  return out;
}

void put_2(std::string& out, unsigned v) {
  out += static_cast<char>('0' + v / 10 % 10);
  out += static_cast<char>('0' + v % 10);
}

/// yyyyMMddHHmmss, quoted; "" for an absent moment (Moment{}).
void put_time(std::string& out, Moment m) {
  out += '"';
  if (m != Moment{}) {
    const Date d = day_of(m);
    const std::chrono::year_month_day ymd{d};
    const auto tod = static_cast<unsigned>((m - d).count());
    const int y = static_cast<int>(ymd.year());
    put_2(out, static_cast<unsigned>(y / 100));
    put_2(out, static_cast<unsigned>(y % 100));
    put_2(out, static_cast<unsigned>(ymd.month()));
    put_2(out, static_cast<unsigned>(ymd.day()));
    put_2(out, tod / 3600);
    put_2(out, tod / 60 % 60);
    put_2(out, tod % 60);
  }
  out += '"';
}

void put_key(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

void put_text(std::string& out, std::string_view escaped) {
  out += '"';
  out += escaped;
  out += '"';
}

/// A status or channel code: a number, or a string for the systems that send codes as text.
void put_code(std::string& out, int v, bool as_string) {
  if (as_string) out += '"';
  out += std::to_string(v);
  if (as_string) out += '"';
}

}  // namespace

// --- the province's tables ---------------------------------------------------------------------

struct Handler {
  std::string name;   // escaped
  std::string title;  // escaped
};

struct ProcedureInfo {
  engine::ProcedureRule rule;
  std::string code;        // escaped
  std::string local_code;  // province-local form, escaped
  std::string name;        // escaped
  std::string field_code;  // escaped
  std::string field_name;  // escaped
  std::size_t field = 0;   // index among the catalogue's fields
};

struct UnitInfo {
  Unit unit;
  std::string code;  // escaped
  std::string name;  // escaped
  double weight = 1;
  bool codes_as_text = false;   // its vendor sends status and channel codes as strings
  double local_code_share = 0;  // share of MaTTHC sent in the province-local form
  std::vector<std::size_t> procedures;
  std::vector<double> procedure_weights;
  double due_share = 1;  // of its dossiers, by weight, the share whose procedure has a due
};

enum Department : std::uint8_t { kDesk, kSpecialist, kScience, kFinance, kLeaders, kOffice };
constexpr std::size_t kDepartmentCount = 6;

enum Action : std::uint8_t {
  kReceive,
  kReview,
  kFeeCheck,
  kApprove,
  kIssue,
  kRequestSupplement,
  kResumeSupplement,
  kRequestFee,
  kResumeFee,
  kWithdraw,
  kStop,
  kFinish,
  kReturn,
  kActionCount,
};

struct Tables {
  std::vector<UnitInfo> units;
  std::vector<Unit> public_units;
  std::vector<ProcedureInfo> procedures;
  std::vector<std::string> departments;  // raw
  std::vector<std::string> department_json;
  std::array<std::vector<Handler>, kDepartmentCount> handlers;
  std::array<std::string, kActionCount> actions;
  std::vector<std::string> applicants;  // escaped
  std::vector<int> applicant_kind;      // LoaiDoiTuong: 1 citizen, 2 organisation
  std::vector<std::size_t> late_departments;
  std::string supplement_reason;
};

namespace {

std::shared_ptr<const Tables> build_tables(const engine::Catalogue& catalogue,
                                           const ProvinceOptions& options) {
  auto t = std::make_shared<Tables>();
  // Procedures and fields, in catalogue order.
  std::vector<std::string> fields;
  for (const auto& rule : catalogue.rules()) {
    ProcedureInfo p;
    p.rule = rule;
    p.code = json_escape(rule.code);
    p.local_code = json_escape(rule.code + ".000.00.00.H42");
    p.name = json_escape(rule.name);
    p.field_code = json_escape(rule.field_code);
    p.field_name = json_escape(rule.field_name);
    auto it = std::find(fields.begin(), fields.end(), rule.field_code);
    p.field = static_cast<std::size_t>(it - fields.begin());
    if (it == fields.end()) fields.push_back(rule.field_code);
    t->procedures.push_back(std::move(p));
  }

  struct UnitSpec {
    const char* code;
    const char* name;
    double weight;
    bool codes_as_text;
    double local_code_share;
    bool all_fields;
  };
  // Receiving agencies of an illustrative province (H42): the department itself, the provincial
  // public administration service centre (which receives on the departments' behalf and sends
  // province-local procedure codes), and two district-level People's Committees whose vendor
  // sends codes as strings and which handle only some fields.
  constexpr std::array<UnitSpec, 4> kUnits = {{
      {"000.00.12.H42", "Sở Khoa học và Công nghệ", 0.40, false, 0.0, true},
      {"000.00.01.H42", "Trung tâm Phục vụ hành chính công tỉnh", 0.30, false, 0.3, true},
      {"000.00.31.H42", "UBND thành phố Hoa Lư", 0.17, true, 0.0, false},
      {"000.00.35.H42", "UBND huyện Gia Viễn", 0.13, true, 0.0, false},
  }};
  // Popularity of the procedures: a few are common, most are rare (a seeded Zipf-like rank).
  std::vector<double> popularity(t->procedures.size());
  {
    std::vector<std::size_t> rank(t->procedures.size());
    for (std::size_t i = 0; i < rank.size(); ++i) rank[i] = i;
    Rng rng(mix(options.seed, 0x50524F43ULL));
    for (std::size_t i = rank.size(); i > 1; --i) std::swap(rank[i - 1], rank[rng.below(i)]);
    for (std::size_t i = 0; i < rank.size(); ++i) {
      popularity[rank[i]] = 1.0 / (1.0 + static_cast<double>(i));
    }
  }
  for (const UnitSpec& spec : kUnits) {
    UnitInfo u;
    u.unit = Unit{spec.code, spec.name};
    u.code = json_escape(spec.code);
    u.name = json_escape(spec.name);
    u.weight = spec.weight;
    u.codes_as_text = spec.codes_as_text;
    u.local_code_share = spec.local_code_share;
    for (std::size_t i = 0; i < t->procedures.size(); ++i) {
      if (spec.all_fields || fields.size() < 2 || t->procedures[i].field % 2 == 1) {
        u.procedures.push_back(i);
        u.procedure_weights.push_back(popularity[i]);
      }
    }
    double with_due = 0;
    double all = 0;
    for (std::size_t k = 0; k < u.procedures.size(); ++k) {
      all += u.procedure_weights[k];
      const auto& rule = t->procedures[u.procedures[k]].rule;
      if (engine::operative_limit(rule, Channel::InPerson).has_due()) {
        with_due += u.procedure_weights[k];
      }
    }
    u.due_share = all > 0 ? with_due / all : 1;
    t->public_units.push_back(u.unit);
    t->units.push_back(std::move(u));
  }

  t->departments = {"Bộ phận Một cửa",        "Phòng Quản lý chuyên ngành",
                    "Phòng Quản lý khoa học", "Phòng Kế hoạch - Tài chính",
                    "Lãnh đạo đơn vị",        "Văn phòng"};
  for (const auto& d : t->departments) t->department_json.push_back(json_escape(d));
  const std::array<std::array<const char*, 3>, kDepartmentCount> names = {{
      {"Nguyễn Thị Thu Hà", "Trần Minh Đức", "Lê Thị Ngọc Ánh"},
      {"Phạm Quốc Huy", "Đỗ Thị Hồng Nhung", "Vũ Đình Khoa"},
      {"Hoàng Văn Thắng", "Bùi Thị Lan Phương", "Đặng Ngọc Sơn"},
      {"Ngô Thị Bích Liên", "Dương Văn Tùng", "Lý Thị Mỹ Duyên"},
      {"Nguyễn Đức Thịnh", "Trịnh Thị Hương", "Phan Văn Quyết"},
      {"Tạ Thị Oanh", "Lưu Văn Hậu", "Mai Thị Thùy Dung"},
  }};
  const std::array<std::array<const char*, 3>, kDepartmentCount> titles = {{
      {"Cán bộ tiếp nhận", "Cán bộ tiếp nhận", "Cán bộ tiếp nhận"},
      {"Chuyên viên", "Chuyên viên", "Phó Trưởng phòng"},
      {"Chuyên viên", "Trưởng phòng", "Chuyên viên"},
      {"Kế toán viên", "Phó Trưởng phòng", "Kế toán viên"},
      {"Giám đốc", "Phó Giám đốc", "Phó Giám đốc"},
      {"Văn thư", "Chánh Văn phòng", "Văn thư"},
  }};
  for (std::size_t d = 0; d < kDepartmentCount; ++d) {
    for (std::size_t h = 0; h < 3; ++h) {
      t->handlers[d].push_back(Handler{json_escape(names[d][h]), json_escape(titles[d][h])});
    }
  }
  t->actions = {
      json_escape("Tiếp nhận hồ sơ, chuyển phòng chuyên môn"),
      json_escape("Thẩm định hồ sơ"),
      json_escape("Thẩm định phí, lệ phí và cho ý kiến"),
      json_escape("Xem xét, phê duyệt kết quả"),
      json_escape("Đóng dấu, phát hành kết quả"),
      json_escape("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
      json_escape("Tiếp nhận hồ sơ bổ sung, tiếp tục xử lý"),
      json_escape("Thông báo thực hiện nghĩa vụ tài chính"),
      json_escape("Đã hoàn thành nghĩa vụ tài chính, tiếp tục xử lý"),
      json_escape("Công dân yêu cầu rút hồ sơ"),
      json_escape("Dừng xử lý: hồ sơ không đủ điều kiện giải quyết"),
      json_escape("Hoàn thành xử lý, chuyển kết quả về Bộ phận Một cửa"),
      json_escape("Trả kết quả cho tổ chức, công dân"),
  };
  const std::array<std::pair<const char*, int>, 12> applicants = {{
      {"Nguyễn Văn Bình", 1},
      {"Trần Thị Mai", 1},
      {"Lê Quang Vinh", 1},
      {"Phạm Thị Hằng", 1},
      {"Hoàng Minh Tuấn", 1},
      {"Vũ Thị Thanh Tâm", 1},
      {"Công ty TNHH Thiết bị Y tế Hoa Lư", 2},
      {"Công ty Cổ phần Công nghệ Tràng An", 2},
      {"Bệnh viện Đa khoa tỉnh", 2},
      {"Công ty TNHH Cơ khí Chính xác Tam Điệp", 2},
      {"Hợp tác xã Nông nghiệp Gia Sinh", 2},
      {"Phòng khám Nha khoa Sao Mai", 2},
  }};
  for (const auto& [name, kind] : applicants) {
    t->applicants.push_back(json_escape(name));
    t->applicant_kind.push_back(kind);
  }
  t->supplement_reason = json_escape("Bổ sung giấy tờ theo quy định");

  // The departments where late dossiers are late: a seeded choice among the processing ones.
  std::vector<std::size_t> processing = {kSpecialist, kScience, kFinance, kLeaders, kOffice};
  Rng rng(mix(options.seed, 0x4C415445ULL));
  for (std::size_t i = processing.size(); i > 1; --i) {
    std::swap(processing[i - 1], processing[rng.below(i)]);
  }
  const auto n = static_cast<std::size_t>(std::clamp(options.late_departments, 0, 5));
  t->late_departments.assign(processing.begin(), processing.begin() + static_cast<long>(n));
  std::sort(t->late_departments.begin(), t->late_departments.end());
  return t;
}

}  // namespace

// --- one dossier's life ------------------------------------------------------------------------

struct LifeEntry {
  Moment at;
  Moment start{};     // NgayBatDau; Moment{} = absent
  Moment deadline{};  // NgayKetThucTheoQuyDinh; Moment{} = absent
  Status status = Status::InProcess;
  std::uint8_t department = 0;
  std::uint8_t handler = 0;
  std::uint8_t action = 0;
};

struct LifeRound {
  Moment requested;
  Moment received{};
  Moment due_before{};
  Moment due_after{};
};

/// The state after one change: what the snapshot of that revision shows.
struct Revision {
  Moment at;     // the change
  Moment due{};  // NgayHenTra as printed then
  Status status = Status::Registered;
  std::uint8_t entries = 0;
  std::uint8_t rounds_requested = 0;
  std::uint8_t rounds_received = 0;
  bool received = false;
  bool finished = false;
  bool returned = false;
};

struct DossierLife {
  std::shared_ptr<const Tables> tables;
  std::string code;
  std::size_t unit = 0;
  std::size_t procedure = 0;
  std::size_t applicant = 0;
  Channel channel = Channel::InPerson;
  bool local_code = false;
  Moment submitted{};
  Moment received{};
  Moment processing_end{};
  Moment returned{};
  std::vector<LifeEntry> entries;
  std::vector<LifeRound> rounds;
  std::vector<Revision> revisions;
};

namespace {

// The due as computed by a one-stop system that knows weekends but no holiday table.
class WeekdaysOnly {
 public:
  explicit WeekdaysOnly(const calendar::WorkingHours& sessions) : hours_(sessions) {}

  static bool is_weekday(Date d) {
    const unsigned wd = std::chrono::weekday{d}.c_encoding();
    return wd >= 1 && wd <= 5;
  }
  Moment normalize(Moment m) const {
    for (Date d = day_of(m);; d += days{1}) {
      const Duration tod = d == day_of(m) ? m - d : Duration{0};
      if (!is_weekday(d)) continue;
      for (const auto& s : hours_.sessions) {
        if (tod < s.start) return d + s.start;
        if (tod < s.end) return d + tod;
      }
    }
  }
  Moment add(Moment from, Duration amount) const {
    Duration left = amount;
    for (Date d = day_of(from);; d += days{1}) {
      const Duration tod = d == day_of(from) ? from - d : Duration{0};
      if (!is_weekday(d)) continue;
      for (const auto& s : hours_.sessions) {
        if (tod >= s.end) continue;
        const Duration begin = std::max(tod, s.start);
        if (left <= s.end - begin) return d + begin + left;
        left -= s.end - begin;
      }
    }
  }
  std::optional<Moment> due(Moment received, const calendar::Limit& limit,
                            Duration day_length) const {
    const Moment start = normalize(received);
    switch (limit.unit) {
      case calendar::Limit::Unit::None: return std::nullopt;
      case calendar::Limit::Unit::WorkingDays: return add(start, limit.amount * day_length);
      case calendar::Limit::Unit::WorkingHours: return add(start, hours{limit.amount});
      case calendar::Limit::Unit::CalendarDays: return normalize(start + days{limit.amount});
      case calendar::Limit::Unit::SameDay: {
        Date d = day_of(start);
        if (start - d >= limit.cutoff) {
          do {
            d += days{1};
          } while (!is_weekday(d));
        }
        return d + hours_.sessions.back().end;
      }
    }
    return std::nullopt;
  }

 private:
  const calendar::WorkingHours& hours_;
};

struct PlanStep {
  std::size_t department = 0;
  Action action = kReview;
  Duration allotted{};
  Duration actual{};
};

// An event inside a step, at an offset of working time from the step's start.
struct StepEvent {
  enum Kind : std::uint8_t { Extension, Supplement, Fee, Withdraw, Stop } kind;
  Duration offset;
  Duration pause{};  // Supplement, Fee: how long the applicant takes (working time)
};

class LifeBuilder {
 public:
  LifeBuilder(const calendar::WorkingCalendar& cal, const ProvinceOptions& options,
              const Tables& tables, DossierLife& life, Rng& rng)
      : cal_(cal), options_(options), tables_(tables), life_(life), rng_(rng) {}

  void build(Moment receipt);

 private:
  void add_entry(Moment at, Status status, std::size_t department, Action action,
                 std::optional<Duration> allotted) {
    LifeEntry e;
    e.at = at;
    e.status = status;
    e.department = static_cast<std::uint8_t>(department);
    e.handler = static_cast<std::uint8_t>(handler_for(department));
    e.action = action;
    if (allotted) {
      e.start = at;
      e.deadline = cal_.add(at, *allotted);
    }
    life_.entries.push_back(e);
  }
  std::size_t handler_for(std::size_t department) {
    // One handler per department holds the dossier: the first one drawn.
    if (handler_[department] < 0) {
      handler_[department] = static_cast<int>(rng_.below(tables_.handlers[department].size()));
    }
    return static_cast<std::size_t>(handler_[department]);
  }
  void revise(Moment at, Status status) {
    Revision r;
    r.at = at;
    r.due = due_;
    r.status = status;
    r.entries = static_cast<std::uint8_t>(life_.entries.size());
    r.rounds_requested = static_cast<std::uint8_t>(life_.rounds.size());
    r.rounds_received = rounds_received_;
    r.received = received_;
    r.finished = life_.processing_end != Moment{};
    r.returned = life_.returned != Moment{};
    life_.revisions.push_back(r);
  }

  const calendar::WorkingCalendar& cal_;
  const ProvinceOptions& options_;
  const Tables& tables_;
  DossierLife& life_;
  Rng& rng_;
  std::array<int, kDepartmentCount> handler_{-1, -1, -1, -1, -1, -1};
  Moment due_{};
  std::uint8_t rounds_received_ = 0;
  bool received_ = false;
};

void LifeBuilder::build(Moment receipt) {
  const ProcedureInfo& proc = tables_.procedures[life_.procedure];
  const Duration day = cal_.day_length();
  const calendar::Limit limit = engine::operative_limit(proc.rule, life_.channel);
  const std::optional<Moment> computed = calendar::compute_due(cal_, receipt, limit);
  std::optional<Moment> printed = computed;
  if (computed && rng_.chance(options_.holiday_ignored_share)) {
    printed = WeekdaysOnly(cal_.hours()).due(receipt, limit, day);
  }
  const Moment start = cal_.normalize(receipt);
  // The working time the dossier is allotted: up to the computed due, or a nominal 10 working
  // days for a procedure without one.
  Duration total = computed ? cal_.between(start, *computed) : 10 * day;
  total = std::max(total, Duration{minutes{30}});

  // What happens to it.
  const double u = rng_.uniform();
  const bool withdrawn = u < options_.withdrawn_share;
  const bool stopped = !withdrawn && u < options_.withdrawn_share + options_.stopped_share;
  const bool finishes = !withdrawn && !stopped;
  // late_share is of all dossiers: only finished ones with a due can be late.
  const double can_be_late = (1.0 - options_.withdrawn_share - options_.stopped_share) *
                             tables_.units[life_.unit].due_share;
  const bool late =
      finishes && computed && rng_.chance(options_.late_share / std::max(can_be_late, 0.01));
  int rounds = 0;
  if (rng_.chance(options_.supplement_twice_share)) {
    rounds = 2;
  } else if (rng_.chance(options_.supplement_share /
                         std::max(1.0 - options_.supplement_twice_share, 0.01))) {
    rounds = 1;
  }
  const bool fee = rng_.chance(options_.fee_share);
  const bool extension =
      printed &&
      rng_.chance(options_.extension_share / std::max(tables_.units[life_.unit].due_share, 0.01));
  const bool tight = rng_.chance(0.1);  // uses nearly all its time: on time rather than early

  // The route through the departments.
  std::size_t specialist = proc.field % 2 == 0 ? kSpecialist : kScience;
  bool finance = fee || rng_.chance(0.25);
  std::size_t late_department = 0;
  if (late) {
    if (!tables_.late_departments.empty() && rng_.chance(0.9)) {
      late_department = tables_.late_departments[rng_.below(tables_.late_departments.size())];
    } else {
      late_department = 1 + rng_.below(5);
    }
    if (late_department == kSpecialist || late_department == kScience) {
      specialist = late_department;
    }
    if (late_department == kFinance) finance = true;
  }
  std::vector<PlanStep> route;
  route.push_back({kDesk, kReceive, {}, {}});
  route.push_back({specialist, kReview, {}, {}});
  if (finance) route.push_back({kFinance, kFeeCheck, {}, {}});
  route.push_back({kLeaders, kApprove, {}, {}});
  route.push_back({kOffice, kIssue, {}, {}});
  auto weight = [](Action a) {
    switch (a) {
      case kReceive: return 0.06;
      case kReview: return 0.42;
      case kFeeCheck: return 0.14;
      case kApprove: return 0.16;
      default: return 0.10;
    }
  };
  double weights = 0;
  for (const auto& s : route) weights += weight(s.action);
  std::size_t late_step = route.size();
  for (std::size_t i = 0; i < route.size(); ++i) {
    PlanStep& s = route[i];
    s.allotted = std::max(secs(as_secs(total) * weight(s.action) / weights), Duration{60});
    double used = tight ? rng_.uniform(0.85, 0.99) : rng_.uniform(0.2, 0.95);
    if (rng_.chance(0.002)) used = rng_.uniform(1.05, 1.5);  // an occasional slow step
    s.actual = std::max(secs(as_secs(s.allotted) * used), Duration{30});
    if (late && s.department == late_department && late_step == route.size()) late_step = i;
  }
  if (late_step < route.size()) {
    // Overrun by more than the whole slack of the dossier: it ends after its due even if every
    // other step is quick.
    PlanStep& s = route[late_step];
    s.actual = total + secs(as_secs(total) * rng_.uniform(0.05, 0.5)) + minutes{30};
  }

  // Events inside steps.
  std::vector<std::vector<StepEvent>> events(route.size());
  auto within = [&](std::size_t step, double from, double to) {
    // Early enough in the step to fall before its deadline and the dossier's due.
    const PlanStep& s = route[step];
    const double span = as_secs(std::min(s.actual, s.allotted));
    return std::max(secs(span * rng_.uniform(from, to)), Duration{2});
  };
  const std::size_t finance_step = finance ? 2 : 1;
  bool withdraw_in_pause = false;
  if (rounds >= 1) {
    events[1].push_back({StepEvent::Supplement, within(1, 0.15, 0.45),
                         secs(as_secs(day) * rng_.uniform(0.5, 8.0))});
  }
  if (rounds >= 2) {
    events[1].push_back({StepEvent::Supplement, within(1, 0.55, 0.85),
                         secs(as_secs(day) * rng_.uniform(0.5, 6.0))});
  }
  if (fee) {
    events[finance_step].push_back({StepEvent::Fee, within(finance_step, 0.2, 0.6),
                                    secs(as_secs(day) * rng_.uniform(0.2, 3.0))});
  }
  if (withdrawn) {
    if (rounds > 0 && rng_.chance(0.5)) {
      withdraw_in_pause = true;  // gives up instead of supplementing
    } else {
      const std::size_t step = 1 + rng_.below(route.size() - 1);
      events[step].push_back(
          {StepEvent::Withdraw, secs(as_secs(route[step].actual) * rng_.uniform(0.1, 0.9))});
    }
  }
  if (stopped) {
    events[1].push_back({StepEvent::Stop, secs(as_secs(route[1].actual) * rng_.uniform(0.3, 0.9))});
  }
  if (extension) {
    const std::size_t step =
        late_step < route.size() ? late_step : 1 + rng_.below(route.size() - 1);
    events[step].push_back(
        {StepEvent::Extension,
         std::max(std::min(secs(as_secs(route[step].actual) * 0.05), Duration{hours{1}}),
                  Duration{1})});
  }
  for (auto& e : events) {
    std::stable_sort(e.begin(), e.end(),
                     [](const StepEvent& a, const StepEvent& b) { return a.offset < b.offset; });
  }

  // Online dossiers are submitted first, at any hour, and received later.
  if (life_.channel == Channel::Online) {
    life_.submitted = receipt - secs(rng_.uniform(300, 36 * 3600));
    revise(life_.submitted, Status::Registered);
  } else {
    life_.submitted = receipt;
  }

  // Receipt at the desk.
  life_.received = receipt;
  received_ = true;
  due_ = printed.value_or(Moment{});
  add_entry(receipt, Status::Received, kDesk, kReceive, route[0].allotted);
  revise(receipt, Status::Received);
  Moment t = cal_.add(receipt, route[0].actual);

  for (std::size_t i = 1; i < route.size(); ++i) {
    const PlanStep& s = route[i];
    add_entry(t, Status::InProcess, s.department, s.action, s.allotted);
    revise(t, Status::InProcess);
    Duration used{0};
    for (const StepEvent& e : events[i]) {
      const Duration offset = std::max(e.offset, used + Duration{1});
      const Moment at = cal_.add(t, offset - used);
      used = offset;
      t = at;
      const Duration rest = std::max(s.allotted - used, Duration{minutes{10}});
      switch (e.kind) {
        case StepEvent::Extension: {
          if (due_ == Moment{}) break;
          due_ = cal_.add(due_, static_cast<int>(3 + rng_.below(8)) * day);
          revise(at, Status::InProcess);
          break;
        }
        case StepEvent::Supplement: {
          add_entry(at, Status::AwaitingSupplement, s.department, kRequestSupplement, std::nullopt);
          life_.rounds.push_back(LifeRound{at, {}, due_, {}});
          revise(at, Status::AwaitingSupplement);
          if (withdraw_in_pause) {
            const Moment gone = cal_.add(at, secs(as_secs(day) * rng_.uniform(1.0, 6.0)));
            add_entry(gone, Status::Withdrawn, kDesk, kWithdraw, std::nullopt);
            revise(gone, Status::Withdrawn);
            return;
          }
          const Moment back = cal_.add(at, e.pause);
          LifeRound& round = life_.rounds.back();
          round.received = back;
          if (due_ != Moment{}) {
            // The due moves by the pause: the working time left at the request starts again
            // when the supplement arrives.
            round.due_after = at < due_ ? cal_.add(back, cal_.between(at, due_)) : due_;
            due_ = round.due_after;
          }
          ++rounds_received_;
          add_entry(back, Status::InProcess, s.department, kResumeSupplement, rest);
          revise(back, Status::InProcess);
          t = back;
          break;
        }
        case StepEvent::Fee: {
          add_entry(at, Status::AwaitingPayment, s.department, kRequestFee, std::nullopt);
          revise(at, Status::AwaitingPayment);
          const Moment paid = cal_.add(at, e.pause);
          add_entry(paid, Status::InProcess, s.department, kResumeFee, rest);
          revise(paid, Status::InProcess);
          t = paid;
          break;
        }
        case StepEvent::Withdraw: {
          add_entry(at, Status::Withdrawn, kDesk, kWithdraw, std::nullopt);
          revise(at, Status::Withdrawn);
          return;
        }
        case StepEvent::Stop: {
          add_entry(at, Status::Stopped, s.department, kStop, std::nullopt);
          revise(at, Status::Stopped);
          return;
        }
      }
    }
    t = cal_.add(t, std::max(s.actual - used, Duration{1}));
  }

  // Finished by the office, then handed back at the desk (2 % are never collected).
  life_.processing_end = t;
  add_entry(t, Status::Finished, kOffice, kFinish, std::nullopt);
  revise(t, Status::Finished);
  if (rng_.chance(0.02)) return;
  double wait_days = 0;
  switch (life_.channel) {
    case Channel::Online: wait_days = rng_.uniform(0.02, 0.5); break;  // sent electronically
    case Channel::Postal: wait_days = rng_.uniform(1.0, 3.0); break;
    case Channel::InPerson: wait_days = rng_.uniform(0.1, 5.0); break;
  }
  const Moment back = cal_.add(t, secs(as_secs(day) * wait_days));
  life_.returned = back;
  add_entry(back, Status::Returned, kDesk, kReturn, std::nullopt);
  revise(back, Status::Returned);
}

// --- rendering ---------------------------------------------------------------------------------

void write_entries(std::string& out, const DossierLife& life, std::size_t count, Defect defect) {
  const Tables& t = *life.tables;
  out += '[';
  const bool as_text = t.units[life.unit].codes_as_text;
  for (std::size_t i = 0; i < count; ++i) {
    const LifeEntry& e = life.entries[i];
    if (i > 0) out += ',';
    out += '{';
    put_key(out, "MaHoSo");
    put_text(out, life.code);
    out += ',';
    put_key(out, "NguoiXuLy");
    put_text(out, t.handlers[e.department][e.handler].name);
    out += ',';
    put_key(out, "ChucDanh");
    put_text(out, t.handlers[e.department][e.handler].title);
    out += ',';
    put_key(out, "ThoiDiemXuLy");
    put_time(out, i == 0 && defect == Defect::MissingProgressTime ? Moment{} : e.at);
    out += ',';
    put_key(out, "PhongBanXuLy");
    put_text(out, t.department_json[e.department]);
    out += ',';
    put_key(out, "NoiDungXuLy");
    put_text(out, t.actions[e.action]);
    out += ',';
    put_key(out, "TrangThai");
    put_code(out, status_code(e.status), as_text);
    out += ',';
    put_key(out, "NgayBatDau");
    put_time(out, e.start);
    out += ',';
    put_key(out, "NgayKetThucTheoQuyDinh");
    put_time(out, e.deadline);
    out += '}';
  }
  out += ']';
}

/// "20251340090000": the moment's year and time with month 13 and day 40.
void put_impossible(std::string& out, Moment m) {
  std::string good;
  put_time(good, m);
  out += good.substr(0, 5);
  out += "1340";
  out += good.substr(9);
}

void write_record(std::string& out, const DossierLife& life, std::size_t revision, Defect defect,
                  bool embed_progress) {
  const Tables& t = *life.tables;
  const Revision& r = life.revisions[revision];
  const UnitInfo& unit = t.units[life.unit];
  const ProcedureInfo& proc = t.procedures[life.procedure];
  if (defect == Defect::MissingProgressTime && (!embed_progress || r.entries == 0)) {
    defect = Defect::StatusOutOfRange;  // no entry to spoil: spoil the status instead
  }
  out += '{';
  if (defect != Defect::MissingCode) {
    put_key(out, "MaHoSo");
    put_text(out, life.code);
    out += ',';
  }
  put_key(out, "MaTTHC");
  put_text(out, life.local_code ? proc.local_code : proc.code);
  out += ',';
  put_key(out, "TenTTHC");
  out += '"';
  if (defect == Defect::InvalidUtf8) out += "\xC3\x28 ";  // a lead byte without continuation
  out += proc.name;
  out += "\",";
  put_key(out, "MaLinhVuc");
  put_text(out, proc.field_code);
  out += ',';
  put_key(out, "TenLinhVuc");
  put_text(out, proc.field_name);
  out += ',';
  put_key(out, "KenhThucHien");
  put_code(out, defect == Defect::ChannelOutOfRange ? 4 : static_cast<int>(life.channel),
           unit.codes_as_text);
  out += ',';
  put_key(out, "ChuHoSo");
  put_text(out, t.applicants[life.applicant]);
  out += ',';
  put_key(out, "LoaiDoiTuong");
  put_code(out, t.applicant_kind[life.applicant], unit.codes_as_text);
  out += ',';
  put_key(out, "NgayNopHoSo");
  if (defect == Defect::ImpossibleDate && !r.received) {
    put_impossible(out, life.submitted);
  } else {
    put_time(out, life.submitted);
  }
  out += ',';
  put_key(out, "NgayTiepNhan");
  if (defect == Defect::ImpossibleDate && r.received) {
    put_impossible(out, life.received);
  } else {
    put_time(out, r.received ? life.received : Moment{});
  }
  out += ',';
  put_key(out, "NgayHenTra");
  put_time(out, r.due);
  out += ',';
  put_key(out, "TrangThaiHoSo");
  put_code(out, defect == Defect::StatusOutOfRange ? 11 : status_code(r.status),
           unit.codes_as_text);
  out += ',';
  put_key(out, "NgayKetThucXuLy");
  put_time(out, r.finished ? life.processing_end : Moment{});
  out += ',';
  put_key(out, "NgayTra");
  put_time(out, r.returned ? life.returned : Moment{});
  out += ',';
  put_key(out, "DonViXuLy");
  put_text(out, unit.name);
  out += ',';
  put_key(out, "DanhSachHoSoBoSung");
  out += '[';
  for (std::size_t i = 0; i < r.rounds_requested; ++i) {
    const LifeRound& round = life.rounds[i];
    const bool back = i < r.rounds_received;
    if (i > 0) out += ',';
    out += '{';
    put_key(out, "NgayBoSung");
    put_time(out, round.requested);
    out += ',';
    put_key(out, "NgayTiepNhanBoSung");
    put_time(out, back ? round.received : Moment{});
    out += ',';
    put_key(out, "NgayHenTraTruoc");
    put_time(out, round.due_before);
    out += ',';
    put_key(out, "NgayHenTraMoi");
    put_time(out, back ? round.due_after : Moment{});
    out += ',';
    put_key(out, "NoiDungBoSung");
    put_text(out, t.supplement_reason);
    out += '}';
  }
  out += ']';
  if (embed_progress) {
    out += ',';
    put_key(out, "QuaTrinhXuLy");
    write_entries(out, life, r.entries, defect);
  }
  out += '}';
}

}  // namespace

// --- public types ------------------------------------------------------------------------------

std::string_view to_string(Defect d) {
  switch (d) {
    case Defect::None: return "none";
    case Defect::ImpossibleDate: return "impossible_date";
    case Defect::StatusOutOfRange: return "status_out_of_range";
    case Defect::MissingCode: return "missing_code";
    case Defect::InvalidUtf8: return "invalid_utf8";
    case Defect::MissingProgressTime: return "missing_progress_time";
    case Defect::ChannelOutOfRange: return "channel_out_of_range";
  }
  return "?";
}

std::string_view to_string(DeliveryKind k) {
  switch (k) {
    case DeliveryKind::Change: return "change";
    case DeliveryKind::Duplicate: return "duplicate";
    case DeliveryKind::Delayed: return "delayed";
    case DeliveryKind::Bad: return "bad";
  }
  return "?";
}

const std::string& ScheduledDelivery::code() const {
  return life_->code;
}

void ScheduledDelivery::append_record(std::string& out, bool embed_progress) const {
  write_record(out, *life_, static_cast<std::size_t>(revision_), defect_, embed_progress);
}

void ScheduledDelivery::append_progress(std::string& out) const {
  write_entries(out, *life_, life_->revisions[static_cast<std::size_t>(revision_)].entries,
                Defect::None);
}

Delivery ScheduledDelivery::render() const {
  Delivery d;
  d.at = at_;
  d.code = life_->code;
  d.bad = bad();
  d.kind = kind_;
  d.defect = defect_;
  d.revision = revision_;
  d.record_json.reserve(1024 + 384 * life_->entries.size());
  append_record(d.record_json);
  return d;
}

Province::Province(const calendar::WorkingCalendar& calendar, const engine::Catalogue& catalogue,
                   ProvinceOptions options)
    : calendar_(calendar), options_(options), tables_(build_tables(catalogue, options_)) {}

const std::vector<Unit>& Province::units() const {
  return tables_->public_units;
}

const std::vector<std::string>& Province::departments() const {
  return tables_->departments;
}

std::vector<std::string> Province::late_departments() const {
  std::vector<std::string> out;
  for (const std::size_t d : tables_->late_departments) out.push_back(tables_->departments[d]);
  return out;
}

void Province::generate(Moment from, Moment to, const std::function<void(const Delivery&)>& sink,
                        std::optional<Moment> horizon) const {
  DeliveryStream stream(*this, from, to);
  const Moment until = horizon ? *horizon - Duration{1} : Moment::max();
  stream.advance(until, [&](const ScheduledDelivery& d) { sink(d.render()); });
}

// --- the stream --------------------------------------------------------------------------------

namespace {
// An online dossier's submission (its first delivery) comes at most this long before receipt.
constexpr Duration kMaxLead = hours{48};
}  // namespace

bool DeliveryStream::QueuedLater::operator()(const Queued& a, const Queued& b) const {
  if (a.delivery.at_ != b.delivery.at_) return a.delivery.at_ > b.delivery.at_;
  return a.order > b.order;
}

DeliveryStream::DeliveryStream(const Province& province, Moment from, std::optional<Moment> to)
    : province_(province), from_(from), to_(to), next_day_(day_of(from)) {
  const auto& cal = province.calendar();
  const Date calendar_end = Date{std::chrono::year{cal.last_year()} / std::chrono::December / 31};
  last_day_ = to ? std::min(day_of(*to - Duration{1}), calendar_end) : calendar_end;
}

bool DeliveryStream::finished() const {
  return next_day_ > last_day_ && pending_.empty();
}

void DeliveryStream::advance(Moment until,
                             const std::function<void(const ScheduledDelivery&)>& sink) {
  // A day's dossiers deliver nothing before the day's start minus the longest lead: what is
  // queued before that is final and goes out before the day is planned, so only the dossiers
  // in flight are held, however long the span.
  for (;;) {
    const bool more_days = next_day_ <= last_day_;
    const Moment safe =
        more_days ? std::min(until, Moment(next_day_) - kMaxLead - Duration{1}) : until;
    while (!pending_.empty() && pending_.top().delivery.at_ <= safe) {
      const ScheduledDelivery d = pending_.top().delivery;
      pending_.pop();
      ++stats_.deliveries;
      switch (d.kind_) {
        case DeliveryKind::Duplicate: ++stats_.duplicates; break;
        case DeliveryKind::Delayed: ++stats_.delayed; break;
        case DeliveryKind::Bad: ++stats_.bad; break;
        case DeliveryKind::Change: break;
      }
      sink(d);
    }
    if (!more_days || Moment(next_day_) - kMaxLead > until) break;
    plan_day(next_day_);
    next_day_ += days{1};
  }
}

void DeliveryStream::plan_day(Date day) {
  const auto& cal = province_.calendar();
  if (!cal.is_working_day(day)) return;
  const ProvinceOptions& options = province_.options_;
  const auto& tables = province_.tables_;
  const auto day_number = static_cast<std::uint64_t>(day.time_since_epoch().count());
  const std::uint64_t day_seed = mix(options.seed, day_number);
  Rng rng(day_seed);

  // How many: a little more on Mondays, less on Fridays and make-up Saturdays.
  constexpr std::array<double, 7> kWeekday = {0.7, 1.15, 1.02, 1.0, 0.98, 0.85, 0.7};
  const double lambda =
      options.dossiers_per_working_day * kWeekday[std::chrono::weekday{day}.c_encoding()];
  const std::uint64_t count = rng.poisson(lambda);

  // When: within the sessions, the morning weighted up, each session peaking early.
  const auto& sessions = cal.hours().sessions;
  std::vector<double> session_weights;
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    session_weights.push_back(as_secs(sessions[i].end - sessions[i].start) * (i == 0 ? 1.35 : 1.0));
  }
  std::vector<Moment> receipts;
  receipts.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto& s = sessions[rng.weighted(session_weights)];
    const double u = rng.uniform();
    constexpr double kMode = 0.35;  // triangular, peak a third into the session
    const double x = u < kMode ? std::sqrt(u * kMode) : 1.0 - std::sqrt((1.0 - u) * (1.0 - kMode));
    const auto length = (s.end - s.start).count();
    const auto offset = std::min(static_cast<std::int64_t>(x * static_cast<double>(length)),
                                 static_cast<std::int64_t>(length - 1));
    receipts.push_back(day + s.start + Duration{offset});
  }
  std::sort(receipts.begin(), receipts.end());

  std::vector<double> unit_weights;
  for (const auto& u : tables->units) unit_weights.push_back(u.weight);
  std::vector<int> sequence(tables->units.size(), 0);
  const std::chrono::year_month_day ymd{day};
  char date[8];
  const int yy = static_cast<int>(ymd.year()) % 100;
  date[0] = static_cast<char>('0' + yy / 10);
  date[1] = static_cast<char>('0' + yy % 10);
  date[2] = static_cast<char>('0' + static_cast<unsigned>(ymd.month()) / 10);
  date[3] = static_cast<char>('0' + static_cast<unsigned>(ymd.month()) % 10);
  date[4] = static_cast<char>('0' + static_cast<unsigned>(ymd.day()) / 10);
  date[5] = static_cast<char>('0' + static_cast<unsigned>(ymd.day()) % 10);

  for (std::size_t i = 0; i < receipts.size(); ++i) {
    const std::size_t unit = rng.weighted(unit_weights);
    const int seq = ++sequence[unit];
    const Moment receipt = receipts[i];
    if (receipt < from_ || (to_ && receipt >= *to_)) continue;
    if (tables->units[unit].procedures.empty()) continue;
    Rng life_rng(mix(day_seed, i + 1));

    auto life = std::make_shared<DossierLife>();
    life->tables = tables;
    life->unit = unit;
    char seq_text[16];
    const int digits = std::snprintf(seq_text, sizeof seq_text, "%04d", seq);
    life->code.reserve(32);
    life->code = tables->units[unit].unit.code;
    life->code += '-';
    life->code.append(date, 6);
    life->code += '-';
    life->code.append(seq_text, static_cast<std::size_t>(std::max(digits, 0)));
    const UnitInfo& u = tables->units[unit];
    life->procedure = u.procedures[life_rng.weighted(u.procedure_weights)];
    const double c = life_rng.uniform();
    life->channel = c < 0.50 ? Channel::InPerson : c < 0.92 ? Channel::Online : Channel::Postal;
    life->local_code = life_rng.chance(u.local_code_share);
    life->applicant = life_rng.below(tables->applicants.size());
    LifeBuilder(cal, options, *tables, *life, life_rng).build(receipt);
    ++stats_.dossiers;

    // Deliveries: each revision shortly after its change, in order; then the mishaps.
    const std::size_t n = life->revisions.size();
    std::vector<Moment> sent(n);
    for (std::size_t k = 0; k < n; ++k) {
      sent[k] = life->revisions[k].at + Duration{2 + static_cast<std::int64_t>(life_rng.below(89))};
      if (k > 0) sent[k] = std::max(sent[k], sent[k - 1] + Duration{1});
    }
    std::shared_ptr<const DossierLife> shared = std::move(life);
    auto queue = [&](Moment at, DeliveryKind kind, Defect defect, std::size_t k) {
      Queued q;
      q.delivery.life_ = shared;
      q.delivery.at_ = at;
      q.delivery.kind_ = kind;
      q.delivery.defect_ = defect;
      q.delivery.revision_ = static_cast<int>(k);
      q.order = order_++;
      pending_.push(std::move(q));
    };
    // The last revision has no next one to be delayed past: the others make up for it.
    const double delay_share =
        n > 1 ? options.out_of_order_share * static_cast<double>(n) / static_cast<double>(n - 1)
              : 0.0;
    bool previous_delayed = false;
    for (std::size_t k = 0; k < n; ++k) {
      Moment at = sent[k];
      DeliveryKind kind = DeliveryKind::Change;
      const bool delay = k + 1 < n && !previous_delayed && life_rng.chance(delay_share);
      if (delay) {
        at = sent[k + 1] + Duration{1 + static_cast<std::int64_t>(life_rng.below(1200))};
        kind = DeliveryKind::Delayed;
      }
      previous_delayed = delay;
      if (life_rng.chance(options.bad_record_share)) {
        auto defect = static_cast<Defect>(1 + life_rng.below(6));
        if (defect == Defect::MissingProgressTime && shared->revisions[k].entries == 0) {
          defect = Defect::StatusOutOfRange;
        }
        queue(at, DeliveryKind::Bad, defect, k);
      }
      queue(at, kind, Defect::None, k);
      if (!delay && life_rng.chance(options.duplicate_share)) {
        // Sent again before the dossier's next delivery (a retry of a lost acknowledgement).
        Duration wait =
            Duration{1 + static_cast<std::int64_t>(life_rng.below(std::size_t{3} * 3600))};
        if (k + 1 < n) wait = std::min(wait, std::max(sent[k + 1] - at - Duration{1}, Duration{0}));
        queue(at + wait, DeliveryKind::Duplicate, Defect::None, k);
      }
    }
  }
}

// --- the clock ---------------------------------------------------------------------------------

SimulatedClock::SimulatedClock(const calendar::WorkingCalendar& calendar, Moment start,
                               double speed, Mode mode)
    : calendar_(calendar), start_(start), speed_(speed), mode_(mode) {}

Moment SimulatedClock::at(std::chrono::nanoseconds real_elapsed) const {
  const double simulated = std::chrono::duration<double>(real_elapsed).count() * speed_;
  const Duration amount = secs(std::min(simulated, 1e12));
  if (mode_ == Mode::WallTime) return start_ + amount;
  return calendar_.add(start_, amount);
}

}  // namespace tthc::sim
