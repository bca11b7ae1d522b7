#include "sim/tables.hpp"

#include "base/json_text.hpp"
#include "sim/random.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

namespace tthc::sim {

namespace {

struct UnitSpec {
  const char* code;
  const char* name;
  const char* level;  // as in config/units.csv
  const char* parent;
  bool until_reorganisation;  // ended on 2025-07-01
  bool from_reorganisation;   // in force from 2025-07-01
  const char* successors;     // `;`-separated, as in config/units.csv
  double weight_before;       // share of the province's receipts before 2025-07-01...
  double weight_after;        // ... and from it
  bool codes_as_text;
  double local_code_share;
  bool all_fields;
  bool cross_desk;  // receives dossiers that another unit of its kind resolves
};

// The receiving agencies of an illustrative merged Ninh Bình (H42), which took in the former
// Hà Nam (H23) and Nam Định (H39) on 1 July 2025; config/units.csv lists them with the rest of
// the register. Before the change: a department of each former province, the province service
// centre (which receives on the departments' behalf and sends province-local procedure codes),
// two districts and some of their communes, whose vendor sends codes as strings and which
// handle only some fields. From it: the merged department, the service centre and the new
// communes and wards, a share of whose dossiers another commune resolves.
constexpr const char* kProvince = "000.00.00.H42";
constexpr const char* kCityHoaLu = "000.00.31.H42";
constexpr const char* kGiaVien = "000.00.35.H42";
constexpr std::array<UnitSpec, 18> kUnits = {{
    {"000.00.12.H42", "Sở Khoa học và Công nghệ", "department", kProvince, false, false, "", 0.22,
     0.35, false, 0.0, true, false},
    {"000.00.01.H42", "Trung tâm Phục vụ hành chính công tỉnh", "service_centre", kProvince, false,
     false, "", 0.20, 0.30, false, 0.3, true, false},
    {"000.00.12.H23", "Sở Khoa học và Công nghệ tỉnh Hà Nam", "department", "000.00.00.H23", true,
     false, "000.00.12.H42", 0.12, 0, false, 0.0, true, false},
    {"000.00.12.H39", "Sở Khoa học và Công nghệ tỉnh Nam Định", "department", "000.00.00.H39", true,
     false, "000.00.12.H42", 0.14, 0, false, 0.0, true, false},
    {kCityHoaLu, "UBND thành phố Hoa Lư", "district", kProvince, true, false,
     "000.00.61.H42;000.00.62.H42;000.00.63.H42;000.00.64.H42", 0.10, 0, true, 0.0, false, false},
    {kGiaVien, "UBND huyện Gia Viễn", "district", kProvince, true, false,
     "000.00.65.H42;000.00.66.H42;000.00.67.H42;000.00.68.H42", 0.08, 0, true, 0.0, false, false},
    {"000.11.31.H42", "UBND phường Ninh Giang", "commune", kCityHoaLu, true, false, "000.00.61.H42",
     0.05, 0, true, 0.0, false, false},
    {"000.12.31.H42", "UBND xã Ninh Hải", "commune", kCityHoaLu, true, false, "000.00.62.H42", 0.03,
     0, true, 0.0, false, false},
    {"000.21.35.H42", "UBND thị trấn Me", "commune", kGiaVien, true, false, "000.00.65.H42", 0.03,
     0, true, 0.0, false, false},
    {"000.22.35.H42", "UBND xã Gia Sinh", "commune", kGiaVien, true, false, "000.00.67.H42", 0.03,
     0, true, 0.0, false, false},
    {"000.00.61.H42", "UBND phường Hoa Lư", "commune", kProvince, false, true, "", 0, 0.06, true,
     0.0, false, true},
    {"000.00.62.H42", "UBND phường Nam Hoa Lư", "commune", kProvince, false, true, "", 0, 0.05,
     true, 0.0, false, true},
    {"000.00.63.H42", "UBND phường Tây Hoa Lư", "commune", kProvince, false, true, "", 0, 0.04,
     true, 0.0, false, true},
    {"000.00.64.H42", "UBND phường Đông Hoa Lư", "commune", kProvince, false, true, "", 0, 0.04,
     true, 0.0, false, true},
    {"000.00.65.H42", "UBND xã Gia Viễn", "commune", kProvince, false, true, "", 0, 0.05, true, 0.0,
     false, true},
    {"000.00.66.H42", "UBND xã Gia Hưng", "commune", kProvince, false, true, "", 0, 0.04, true, 0.0,
     false, true},
    {"000.00.67.H42", "UBND xã Gia Vân", "commune", kProvince, false, true, "", 0, 0.04, true, 0.0,
     false, true},
    {"000.00.68.H42", "UBND xã Đại Hoàng", "commune", kProvince, false, true, "", 0, 0.03, true,
     0.0, false, true},
}};

Unit unit_of(const UnitSpec& spec) {
  Unit u{spec.code, spec.name, spec.level, spec.parent, {}, {}, {}};
  if (spec.from_reorganisation) u.valid_from = kReorganisation;
  if (spec.until_reorganisation) u.valid_until = kReorganisation;
  for (std::string_view rest = spec.successors; !rest.empty();) {
    const auto semicolon = std::min(rest.find(';'), rest.size());
    u.successors.emplace_back(rest.substr(0, semicolon));
    rest.remove_prefix(std::min(semicolon + 1, rest.size()));
  }
  return u;
}

// Procedures and fields, in catalogue order. Gives the number of fields.
std::size_t add_procedures(const engine::Catalogue& catalogue, Tables& t) {
  std::vector<std::string> fields;
  for (const auto& rule : catalogue.rules()) {
    ProcedureInfo p;
    p.rule = rule;
    p.code = json_string(rule.code);
    p.local_code = json_string(rule.code + ".000.00.00.H42");
    p.name = json_string(rule.name);
    p.field_code = json_string(rule.field_code);
    p.field_name = json_string(rule.field_name);
    auto it = std::find(fields.begin(), fields.end(), rule.field_code);
    p.field = static_cast<std::size_t>(it - fields.begin());
    if (it == fields.end()) fields.push_back(rule.field_code);
    t.procedures.push_back(std::move(p));
  }
  return fields.size();
}

// Popularity of the procedures: a few are common, most are rare (a seeded Zipf-like rank).
std::vector<double> popularity(std::size_t procedures, std::uint64_t seed) {
  std::vector<double> out(procedures);
  std::vector<std::size_t> rank(procedures);
  for (std::size_t i = 0; i < rank.size(); ++i) rank[i] = i;
  Rng rng(mix(seed, 0x50524F43ULL));
  for (std::size_t i = rank.size(); i > 1; --i) std::swap(rank[i - 1], rank[rng.below(i)]);
  for (std::size_t i = 0; i < rank.size(); ++i) out[rank[i]] = 1.0 / (1.0 + static_cast<double>(i));
  return out;
}

void add_units(const std::vector<double>& popularity, std::size_t fields, Tables& t) {
  for (const UnitSpec& spec : kUnits) {
    UnitInfo u;
    u.unit = unit_of(spec);
    u.name = json_string(spec.name);
    u.weight_before = spec.weight_before;
    u.weight_after = spec.weight_after;
    u.cross_desk = spec.cross_desk;
    u.codes_as_text = spec.codes_as_text;
    u.local_code_share = spec.local_code_share;
    for (std::size_t i = 0; i < t.procedures.size(); ++i) {
      if (spec.all_fields || fields < 2 || t.procedures[i].field % 2 == 1) {
        u.procedures.push_back(i);
        u.procedure_weights.push_back(popularity[i]);
      }
    }
    double with_due = 0;
    double all = 0;
    for (std::size_t k = 0; k < u.procedures.size(); ++k) {
      all += u.procedure_weights[k];
      const auto& rule = t.procedures[u.procedures[k]].rule;
      if (engine::operative_limit(rule, Channel::InPerson).has_due()) {
        with_due += u.procedure_weights[k];
      }
    }
    u.due_share = all > 0 ? with_due / all : 1;
    t.public_units.push_back(u.unit);
    t.units.push_back(std::move(u));
  }
}

void add_departments(Tables& t) {
  t.departments = {"Bộ phận Một cửa",        "Phòng Quản lý chuyên ngành",
                   "Phòng Quản lý khoa học", "Phòng Kế hoạch - Tài chính",
                   "Lãnh đạo đơn vị",        "Văn phòng"};
  for (const auto& d : t.departments) t.department_json.push_back(json_string(d));
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
      t.handlers[d].push_back(Handler{json_string(names[d][h]), json_string(titles[d][h])});
    }
  }
}

void add_texts(Tables& t) {
  t.actions = {
      json_string("Tiếp nhận hồ sơ, chuyển phòng chuyên môn"),
      json_string("Thẩm định hồ sơ"),
      json_string("Thẩm định phí, lệ phí và cho ý kiến"),
      json_string("Xem xét, phê duyệt kết quả"),
      json_string("Đóng dấu, phát hành kết quả"),
      json_string("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
      json_string("Tiếp nhận hồ sơ bổ sung, tiếp tục xử lý"),
      json_string("Thông báo thực hiện nghĩa vụ tài chính"),
      json_string("Đã hoàn thành nghĩa vụ tài chính, tiếp tục xử lý"),
      json_string("Công dân yêu cầu rút hồ sơ"),
      json_string("Dừng xử lý: hồ sơ không đủ điều kiện giải quyết"),
      json_string("Hoàn thành xử lý, chuyển kết quả về Bộ phận Một cửa"),
      json_string("Trả kết quả cho tổ chức, công dân"),
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
    t.applicants.push_back(json_string(name));
    t.applicant_kind.push_back(kind);
  }
  t.supplement_reason = json_string("Bổ sung giấy tờ theo quy định");
}

// The departments where late dossiers are late: a seeded choice among the processing ones.
void choose_late_departments(const ProvinceOptions& options, Tables& t) {
  std::vector<std::size_t> processing = {kSpecialist, kScience, kFinance, kLeaders, kOffice};
  Rng rng(mix(options.seed, 0x4C415445ULL));
  for (std::size_t i = processing.size(); i > 1; --i) {
    std::swap(processing[i - 1], processing[rng.below(i)]);
  }
  const auto n = static_cast<std::size_t>(std::clamp(options.late_departments, 0, 5));
  t.late_departments.assign(processing.begin(), processing.begin() + static_cast<long>(n));
  std::sort(t.late_departments.begin(), t.late_departments.end());
}

}  // namespace

std::vector<double> Tables::unit_weights(Date day) const {
  std::vector<double> out;
  out.reserve(units.size());
  for (const UnitInfo& u : units) {
    const double w = day < kReorganisation ? u.weight_before : u.weight_after;
    out.push_back(u.unit.in_force(day) ? w : 0.0);
  }
  return out;
}

std::shared_ptr<const Tables> build_tables(const engine::Catalogue& catalogue,
                                           const ProvinceOptions& options) {
  auto t = std::make_shared<Tables>();
  const std::size_t fields = add_procedures(catalogue, *t);
  add_units(popularity(t->procedures.size(), options.seed), fields, *t);
  add_departments(*t);
  add_texts(*t);
  choose_late_departments(options, *t);
  return t;
}

}  // namespace tthc::sim
