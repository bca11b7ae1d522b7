// The phase review as one table document (CSV, printable HTML, XLSX): the ranking with its
// parts, each measure year by year with the change over the span and against the span before,
// the overdue dossiers of each unit's worst year (linked to the board's dossier page), the
// caveats, and each unit's trend as a chart.
#include "reports/review.hpp"

#include "reports/document.hpp"

#include <algorithm>
#include <functional>

namespace tthc::reports {

namespace {

using Measure = std::function<std::optional<double>(const ReviewCounts&)>;

std::optional<double> minus(std::optional<double> a, std::optional<double> b) {
  if (!a || !b) return std::nullopt;
  return *a - *b;
}

std::string unit_label(const ReviewRow& r) {
  if (r.department) return "– " + (r.department->empty() ? "(không rõ phòng ban)" : *r.department);
  return r.unit_name.empty() ? r.unit : r.unit_name + " (" + r.unit + ")";
}

Cell value_cell(Cell::Type type, std::optional<double> v) {
  return type == Cell::Type::Ratio ? Cell::ratio(v) : Cell::days(v);
}

// One measure: a column per year, the span, the change over it, the span before and the change
// against it.
Section measure_section(const ReviewReport& r, std::string heading, const Measure& m,
                        Cell::Type type, bool units_only) {
  Section s;
  s.heading = std::move(heading);
  const auto n = static_cast<int>(r.span.years());
  std::vector<HeaderCell> top = {{"STT", 2, 1},
                                 {"Đơn vị / Phòng ban xử lý", 2, 1},
                                 {"Từng năm", 1, n},
                                 {"Cả giai đoạn " + r.span.label(), 2, 1},
                                 {"Thay đổi (năm cuối − năm đầu)", 2, 1},
                                 {"Giai đoạn trước", 2, 1},
                                 {"So với giai đoạn trước", 2, 1}};
  std::vector<HeaderCell> years;
  for (int y = r.span.first; y <= r.span.last; ++y) years.push_back({std::to_string(y), 1, 1});
  s.header = {top, years};
  s.widths = {6, 44};
  for (int i = 0; i < n + 4; ++i) s.widths.push_back(12);
  std::size_t unit_no = 0;
  for (const ReviewRow& row : r.rows) {
    if (units_only && row.department) continue;
    Row out{row.department ? RowLevel::Item : RowLevel::Group, {}};
    out.cells.push_back(Cell::of(row.department ? std::string() : std::to_string(++unit_no)));
    out.cells.push_back(Cell::of(unit_label(row)));
    for (const ReviewCounts& y : row.years) out.cells.push_back(value_cell(type, m(y)));
    out.cells.push_back(value_cell(type, m(row.span)));
    out.cells.push_back(value_cell(type, minus(m(row.years.back()), m(row.years.front()))));
    if (row.before) {
      out.cells.push_back(value_cell(type, m(*row.before)));
      out.cells.push_back(value_cell(type, minus(m(row.span), m(*row.before))));
    } else {
      out.cells.push_back(Cell::of("chưa có số liệu"));
      out.cells.push_back(Cell::of("chưa có số liệu"));
    }
    s.rows.push_back(std::move(out));
  }
  return s;
}

Section ranking_section(const ReviewReport& r) {
  Section s;
  s.heading = "I. Xếp hạng theo điểm tổng hợp (cao trước)";
  s.header = {{{"Hạng", 2, 1},
               {"Đơn vị", 2, 1},
               {"Số hồ sơ đã giải quyết", 2, 1},
               {"Chỉ số cả giai đoạn", 1, 4},
               {"Điểm thành phần (0–100)", 1, 3},
               {"Điểm tổng hợp", 2, 1}},
              {{"Tỷ lệ đúng hạn", 1, 1},
               {"Quá hạn / 1.000 hồ sơ", 1, 1},
               {"Cắt giảm thực tế", 1, 1},
               {"Cắt giảm cam kết", 1, 1},
               {"Đúng hạn × 0,5", 1, 1},
               {"Quá hạn × 0,3", 1, 1},
               {"Cắt giảm × 0,2", 1, 1}}};
  s.widths = {7, 44, 11, 11, 11, 11, 11, 11, 11, 11, 11};
  std::vector<const ReviewRow*> units;
  for (const ReviewRow& row : r.rows) {
    if (!row.department) units.push_back(&row);
  }
  std::stable_sort(units.begin(), units.end(), [](const ReviewRow* a, const ReviewRow* b) {
    return a->rank.value_or(1 << 30) < b->rank.value_or(1 << 30);
  });
  for (const ReviewRow* u : units) {
    const ReviewCounts& c = u->span;
    Row row{u->rank ? RowLevel::Item : RowLevel::Subgroup, {}};
    row.cells.push_back(Cell::of(u->rank ? std::to_string(*u->rank) : "không xếp hạng"));
    row.cells.push_back(Cell::of(unit_label(*u)));
    row.cells.push_back(Cell::of(c.resolved));
    row.cells.push_back(Cell::ratio(c.on_time_rate()));
    row.cells.push_back(Cell::days(c.overdue_per_1000()));
    row.cells.push_back(Cell::ratio(c.actual_reduction()));
    row.cells.push_back(Cell::ratio(c.committed_reduction()));
    row.cells.push_back(Cell::days(u->composite.on_time));
    row.cells.push_back(Cell::days(u->composite.overdue));
    row.cells.push_back(Cell::days(u->composite.reduction));
    row.cells.push_back(Cell::days(u->composite.score));
    s.rows.push_back(std::move(row));
  }
  return s;
}

Section worst_section(const ReviewReport& r) {
  Section s;
  s.heading = "VI. Hồ sơ quá hạn của năm có tỷ lệ đúng hạn thấp nhất (50 hồ sơ đầu theo mã)";
  s.header = {{{"Đơn vị", 1, 1},
               {"Năm", 1, 1},
               {"Mã hồ sơ", 1, 1},
               {"Tình trạng", 1, 1},
               {"Hạn giải quyết", 1, 1},
               {"Ngày kết thúc", 1, 1},
               {"Số hồ sơ quá hạn", 1, 1}}};
  s.widths = {44, 8, 30, 24, 14, 14, 12};
  for (const ReviewRow& row : r.rows) {
    if (row.department || !row.worst_year || row.worst_overdue.first.empty()) continue;
    const std::string year = std::to_string(r.span.first + *row.worst_year);
    for (const OverdueDossier& d : row.worst_overdue.first) {
      Row out{RowLevel::Item, {Cell::of(unit_label(row)), Cell::of(year)}};
      Cell code = Cell::of(d.code);
      code.link = "/dossiers/" + d.code;
      out.cells.push_back(std::move(code));
      out.cells.push_back(
          Cell::of(d.resolved ? "đã giải quyết quá hạn" : "đang giải quyết quá hạn"));
      out.cells.push_back(Cell::of(d.due ? date_vi(day_of(*d.due)) : "–"));
      out.cells.push_back(Cell::of(d.end ? date_vi(day_of(*d.end)) : "–"));
      out.cells.push_back(Cell::of(row.worst_overdue.total));
      s.rows.push_back(std::move(out));
    }
  }
  return s;
}

Section caveats_section(const ReviewReport& r) {
  Section s;
  s.heading = "VII. Các lưu ý về số liệu";
  s.header = {{{"STT", 1, 1}, {"Nội dung", 1, 1}}};
  s.widths = {6, 120};
  std::size_t i = 0;
  for (const std::string& line : caveat_lines(r)) {
    s.rows.push_back({RowLevel::Item, {Cell::of(std::to_string(++i)), Cell::of(line)}});
  }
  return s;
}

std::vector<LineChart> trend_charts(const ReviewReport& r) {
  std::vector<LineChart> out;
  for (const ReviewRow& row : r.rows) {
    if (row.department) continue;
    LineChart c;
    c.title = unit_label(row);
    LineChart::Series on_time{"Tỷ lệ đúng hạn", {}}, reduction{"Cắt giảm thực tế", {}};
    for (std::size_t i = 0; i < row.years.size(); ++i) {
      c.categories.push_back(std::to_string(r.span.first + static_cast<int>(i)));
      on_time.values.push_back(row.years[i].on_time_rate());
      reduction.values.push_back(row.years[i].actual_reduction());
    }
    c.series = {std::move(on_time), std::move(reduction)};
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

std::vector<std::string> caveat_lines(const ReviewReport& r) {
  std::vector<std::string> out;
  std::string years;
  for (const int y : r.caveats.provisional_years)
    years += (years.empty() ? "" : ", ") + std::to_string(y);
  out.push_back(years.empty()
                    ? "Không năm nào được tính theo lịch nghỉ tạm tính."
                    : "Năm tính theo lịch nghỉ tạm tính (chưa có thông báo chính thức): " + years +
                          ".");
  if (!r.caveats.snapshots_read) {
    out.push_back("Chưa đối chiếu đồng bộ muộn: không có thư mục báo cáo tháng đã chốt.");
  } else if (r.caveats.late_syncs.empty()) {
    out.push_back("Không tháng nào có hồ sơ đồng bộ sau khi báo cáo tháng đã chốt.");
  }
  for (const LateSyncMonth& m : r.caveats.late_syncs) {
    out.push_back("Tháng " + m.month + ": " + std::to_string(m.arrived_late) +
                  " hồ sơ tiếp nhận trong tháng được đồng bộ sau khi báo cáo tháng được chốt lúc " +
                  format_iso(m.snapshot_written) + ".");
  }
  for (std::size_t i = 0; i < r.caveats.unknown_procedures.size(); ++i) {
    if (r.caveats.unknown_procedures[i] == 0) continue;
    out.push_back("Năm " + std::to_string(r.span.first + static_cast<int>(i)) + ": " +
                  std::to_string(r.caveats.unknown_procedures[i]) +
                  " hồ sơ có mã thủ tục không có trong danh mục (không có thời hạn quy định).");
  }
  std::string units;
  for (const std::string& u : r.caveats.unknown_units) units += (units.empty() ? "" : ", ") + u;
  std::int64_t unknown_dossiers = 0;
  for (const std::int64_t n : r.caveats.unknown_unit_dossiers) unknown_dossiers += n;
  if (r.caveats.unit_register && !units.empty()) {
    out.push_back("Mã đơn vị không có trong danh mục đơn vị: " + units + " (" +
                  std::to_string(unknown_dossiers) + " lượt hồ sơ trong các năm).");
  } else if (!units.empty()) {
    out.push_back("Đơn vị chưa xác định tên (không có danh mục đơn vị): " + units + ".");
  }
  if (!r.years.empty() && !r.years.back().closed()) {
    out.push_back("Năm " + std::to_string(r.span.last) + " chưa kết thúc: số liệu tạm tính đến " +
                  format_iso(r.years.back().as_of) + ".");
  }
  return out;
}

Document review_document(const ReviewReport& r) {
  Document d;
  d.sheet = "Sơ kết";
  d.title = "SƠ KẾT KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH GIAI ĐOẠN " + r.span.label();
  const Period first = year_period(r.span.first, r.start_day);
  const Period last = year_period(r.span.last, r.start_day);
  d.period_line = "Từ ngày " + date_vi(day_of(first.start)) + " đến ngày " +
                  date_vi(last.last_day()) + "; mỗi năm tính đến hết năm";
  if (!r.years.empty() && !r.years.back().closed()) {
    d.notice = "Năm " + std::to_string(r.span.last) + " chưa kết thúc: số liệu tạm tính.";
    d.as_of = r.years.back().as_of;
  } else if (!r.years.empty()) {
    d.as_of = r.years.back().as_of;
  }
  d.sections.push_back(ranking_section(r));
  const auto rate = [](const ReviewCounts& c) { return c.on_time_rate(); };
  const auto per_1000 = [](const ReviewCounts& c) { return c.overdue_per_1000(); };
  const auto actual = [](const ReviewCounts& c) { return c.actual_reduction(); };
  const auto beyond = [](const ReviewCounts& c) { return c.beyond_commitment(); };
  d.sections.push_back(measure_section(
      r, "II. Tỷ lệ giải quyết đúng hạn ((8)+(9))/(7); phòng ban: bước xử lý đúng hạn", rate,
      Cell::Type::Ratio, false));
  d.sections.push_back(measure_section(
      r, "III. Hồ sơ quá hạn ((10)+(13)) trên 1.000 hồ sơ đã giải quyết; phòng ban: bước trễ hạn",
      per_1000, Cell::Type::Days, false));
  d.sections.push_back(measure_section(r, "IV. Tỷ lệ cắt giảm thực tế so với thời hạn quy định",
                                       actual, Cell::Type::Ratio, true));
  d.sections.push_back(
      measure_section(r, "V. Cắt giảm thực tế vượt (+) hoặc thiếu (−) so với cam kết cắt giảm",
                      beyond, Cell::Type::Ratio, true));
  d.sections.push_back(worst_section(r));
  d.sections.push_back(caveats_section(r));
  d.charts = trend_charts(r);
  d.charts_heading = "VIII. Xu hướng của từng đơn vị qua các năm";
  const Inputs& in = r.years.back();
  d.inputs = {
      {"Phiên bản lịch làm việc", in.calendar_version},
      {"Danh mục thủ tục", in.catalogue_version},
      {"Điểm tổng hợp",
       "0,5 × tỷ lệ đúng hạn + 0,3 × (100 − quá hạn/1.000 ÷ 10) + 0,2 × "
       "(cắt giảm thực tế ÷ cam kết, tối đa 100); xếp hạng khi có từ " +
           std::to_string(kMinResolvedToRank) + " hồ sơ đã giải quyết"},
      {"Thiết lập", "pause_policy = " + std::string(engine::to_string(in.settings.pause_policy)) +
                        "; judge_by = " + std::string(engine::to_string(in.settings.judge_by)) +
                        "; period_start_day = " + std::to_string(r.start_day)},
  };
  return d;
}

}  // namespace tthc::reports
