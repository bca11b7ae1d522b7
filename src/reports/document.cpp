#include "reports/document.hpp"

#include <cstdio>

namespace tthc::reports {

std::string date_vi(Date d) {
  const std::chrono::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", static_cast<unsigned>(ymd.day()),
                static_cast<unsigned>(ymd.month()), static_cast<int>(ymd.year()));
  return buf;
}

namespace {

std::string moment_vi(Moment m) {
  const auto tod = std::chrono::hh_mm_ss<Duration>(time_of_day(m));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", static_cast<int>(tod.hours().count()),
                static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()));
  return std::string(buf) + " ngày " + date_vi(day_of(m));
}

std::string roman(std::size_t n) {
  static constexpr std::pair<std::size_t, const char*> kDigits[] = {
      {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"},
      {40, "XL"},  {10, "X"},   {9, "IX"},  {5, "V"},    {4, "IV"},  {1, "I"}};
  std::string out;
  for (const auto& [value, digits] : kDigits) {
    while (n >= value) {
      out += digits;
      n -= value;
    }
  }
  return out;
}

// "Sở Khoa học và Công nghệ (000.00.12.H42)"; the code alone without a name.
std::string named(const std::string& name, const std::string& code, std::string_view none) {
  if (code.empty()) return name.empty() ? std::string(none) : name;
  return name.empty() ? code : name + " (" + code + ")";
}

void with_counts(Row& row, std::initializer_list<std::int64_t> values) {
  for (const std::int64_t v : values) row.cells.push_back(Cell::of(v));
}

std::vector<std::string> numbering(std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 1; i <= n; ++i) out.push_back("(" + std::to_string(i) + ")");
  return out;
}

// What every document carries: title, period, the notice of an open period, recorded inputs.
// The STT and name cells of the rows of a unit / field / procedure table: units I, II, …;
// fields 1, 2, … within their unit; procedures 1.1, 1.2, … within their field.
class RowNumbers {
 public:
  Row unit(const std::string& name, const std::string& code) {
    field_ = 0;
    return {RowLevel::Group, {Cell::of(roman(++unit_)), Cell::of(named(name, code, ""))}};
  }
  Row field(RowLevel level, const std::string& name, const std::string& code) {
    procedure_ = 0;
    return {
        level,
        {Cell::of(std::to_string(++field_)), Cell::of(named(name, code, "(không rõ lĩnh vực)"))}};
  }
  Row procedure(const std::string& name, const std::string& code) {
    return {RowLevel::Item,
            {Cell::of(std::to_string(field_) + "." + std::to_string(++procedure_)),
             Cell::of(named(name, code, ""))}};
  }

 private:
  std::size_t unit_ = 0, field_ = 0, procedure_ = 0;
};

// The last row of a table, before its figures.
Row total_row() {
  return {RowLevel::Total, {Cell::of(std::string()), Cell::of("Tổng cộng")}};
}

// The unit register's version and settings, and the dossiers under units it lacks: recorded only
// with a register, so other reports keep their bytes.
void add_unit_inputs(Document& d, const UnitInputs& u) {
  if (!u.recorded()) return;
  d.inputs.emplace_back(
      "Danh mục đơn vị",
      u.register_version + "; successors = " + (u.options.successors ? "true" : "false") +
          "; count_under = " + std::string(engine::to_string(u.options.count_under)));
  if (u.unknown_dossiers == 0) return;
  std::string codes;
  for (const auto& c : u.unknown_units) codes += (codes.empty() ? "" : ", ") + c;
  d.inputs.emplace_back("Đơn vị không có trong danh mục",
                        std::to_string(u.unknown_dossiers) + " hồ sơ (" + codes + ")");
}

Document frame(Kind kind, const Inputs& in, std::string sheet) {
  Document d;
  d.sheet = std::move(sheet);
  d.title = std::string(title_of(kind));
  const std::string dates =
      "từ ngày " + date_vi(day_of(in.period.start)) + " đến ngày " + date_vi(in.period.last_day());
  d.period_line = in.period.is_month()
                      ? "Kỳ báo cáo: " + dates + " (tháng " + in.period.label() + ")"
                      : "Kỳ báo cáo: " + period_name_vi(in.period) + " (" + dates + ")";
  if (!in.closed()) {
    d.notice = "Kỳ báo cáo chưa kết thúc: số liệu tạm tính đến " + moment_vi(in.as_of) + ".";
  }
  d.as_of = in.as_of;
  std::string years;
  for (const int y : in.provisional_years) years += (years.empty() ? "" : ", ") + std::to_string(y);
  d.inputs = {
      {"Số liệu tính đến", moment_vi(in.as_of) + " (" + format_iso(in.as_of) + ")"},
      {"Phiên bản lịch làm việc", in.calendar_version},
      {"Năm dùng lịch tạm tính", years.empty() ? "không" : years},
      {"Danh mục thủ tục", in.catalogue_version},
      {"Thiết lập", "pause_policy = " + std::string(engine::to_string(in.settings.pause_policy)) +
                        "; judge_by = " + std::string(engine::to_string(in.settings.judge_by)) +
                        "; due_soon = " + due_soon_label(in) +
                        "; period_start_day = " + std::to_string(in.period.start_day)},
  };
  add_unit_inputs(d, in.units);
  return d;
}

}  // namespace

std::string_view title_of(Kind kind) {
  switch (kind) {
    case Kind::Results:
      return "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP "
             "GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH";
    case Kind::Reduction: return "KẾT QUẢ CẮT GIẢM THỜI GIAN GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH";
    case Kind::Index766: return "ƯỚC TÍNH CHỈ SỐ TIẾN ĐỘ GIẢI QUYẾT HỒ SƠ (QUYẾT ĐỊNH 766/QĐ-TTg)";
    case Kind::Claimed:
      return "SỐ LIỆU THỐNG KÊ HỆ THỐNG MỘT CỬA ĐÃ GỬI SO VỚI SỐ LIỆU TÍNH TỪ HỒ SƠ";
    case Kind::DvcqgStats: return "DỮ LIỆU ĐỒNG BỘ THỐNG KÊ HỒ SƠ (DongBoThongKeHoSo)";
  }
  return "";
}

Cell Cell::of(std::string text) {
  Cell c;
  c.type = Type::Text;
  c.text = std::move(text);
  return c;
}

Cell Cell::of(std::int64_t count) {
  Cell c;
  c.type = Type::Count;
  c.count = count;
  return c;
}

namespace {

// A measured cell of type `t`, empty when there is no value.
Cell measured(Cell::Type t, std::optional<double> v) {
  Cell c;
  if (v) {
    c.type = t;
    c.value = *v;
  }
  return c;
}

}  // namespace

Cell Cell::ratio(std::optional<double> v) {
  return measured(Type::Ratio, v);
}

Cell Cell::days(std::optional<double> v) {
  return measured(Type::Days, v);
}

std::vector<PlacedHeader> place(const std::vector<std::vector<HeaderCell>>& header) {
  std::vector<PlacedHeader> out;
  std::vector<std::vector<bool>> taken(header.size());
  const auto take = [&](std::size_t r, std::size_t c) {
    if (taken[r].size() <= c) taken[r].resize(c + 1, false);
    taken[r][c] = true;
  };
  const auto is_taken = [&](std::size_t r, std::size_t c) {
    return c < taken[r].size() && taken[r][c];
  };
  for (std::size_t r = 0; r < header.size(); ++r) {
    std::size_t c = 0;
    for (const HeaderCell& cell : header[r]) {
      while (is_taken(r, c)) ++c;
      out.push_back(
          {static_cast<int>(r), static_cast<int>(c), cell.rowspan, cell.colspan, &cell.text});
      for (std::size_t dr = 0; dr < static_cast<std::size_t>(cell.rowspan); ++dr) {
        for (std::size_t dc = 0; dc < static_cast<std::size_t>(cell.colspan); ++dc) {
          if (r + dr < header.size()) take(r + dr, c + dc);
        }
      }
      c += static_cast<std::size_t>(cell.colspan);
    }
  }
  return out;
}

std::size_t columns(const Section& s) {
  std::size_t n = s.numbering.size();
  for (const PlacedHeader& h : place(s.header)) {
    n = std::max(n, static_cast<std::size_t>(h.col + h.colspan));
  }
  for (const Row& r : s.rows) n = std::max(n, r.cells.size());
  return n;
}

Document to_document(const ResultsReport& r) {
  Document d = frame(Kind::Results, r.inputs, "II.06a");
  d.form_code = "Biểu số " + std::string(kFormCode);
  Section s;
  s.header = {
      {{"STT", 3, 1},
       {"Đơn vị / Lĩnh vực giải quyết", 3, 1},
       {"Số hồ sơ nhận giải quyết", 1, 4},
       {"Số hồ sơ đã giải quyết", 1, 4},
       {"Số hồ sơ đang giải quyết", 1, 3},
       {"Tỷ lệ giải quyết trước hạn, đúng hạn", 3, 1}},
      {{"Tổng số", 2, 1},
       {"Trong kỳ", 1, 2},
       {"Từ kỳ trước chuyển sang", 2, 1},
       {"Tổng số", 2, 1},
       {"Trước hạn", 2, 1},
       {"Đúng hạn", 2, 1},
       {"Quá hạn", 2, 1},
       {"Tổng số", 2, 1},
       {"Trong hạn", 2, 1},
       {"Quá hạn", 2, 1}},
      {{"Trực tuyến", 1, 1}, {"Trực tiếp, dịch vụ bưu chính", 1, 1}},
  };
  s.numbering = numbering(13);
  s.numbering.push_back("(14) = ((8)+(9))/(7)");
  s.widths = {6, 44, 9, 10, 12, 12, 9, 9, 9, 9, 9, 9, 9, 12};
  const auto counts = [](Row row, const ResultsCounts& c) {
    with_counts(row, {c.received_total(), c.received_online, c.received_direct, c.carried_over,
                      c.resolved_total(), c.resolved_early, c.resolved_on_time, c.resolved_overdue,
                      c.pending_total(), c.pending_in_time, c.pending_overdue});
    row.cells.push_back(Cell::ratio(c.on_time_rate()));
    return row;
  };
  RowNumbers numbers;
  for (const ResultsRow& row : r.rows) {
    s.rows.push_back(counts(!row.field ? numbers.unit(row.unit_name, row.unit)
                                       : numbers.field(RowLevel::Item, row.field_name, *row.field),
                            row.counts));
  }
  s.rows.push_back(counts(total_row(), r.total));
  d.sections.push_back(std::move(s));
  return d;
}

Document to_document(const ReductionReport& r) {
  Document d = frame(Kind::Reduction, r.inputs, "Cắt giảm");
  Section s;
  s.header = {
      {{"STT", 2, 1},
       {"Đơn vị / Lĩnh vực / Thủ tục hành chính", 2, 1},
       {"Số hồ sơ đã giải quyết", 2, 1},
       {"Thời hạn theo quy định (ngày làm việc)", 2, 1},
       {"Thời hạn sau cắt giảm (ngày làm việc)", 2, 1},
       {"Tỷ lệ cắt giảm cam kết", 2, 1},
       {"Thời gian giải quyết thực tế (ngày làm việc)", 1, 2},
       {"Tỷ lệ cắt giảm thực tế", 2, 1},
       {"Tỷ lệ giải quyết trong thời hạn cắt giảm", 2, 1},
       {"Tỷ lệ quá hạn", 2, 1}},
      {{"Trung bình", 1, 1}, {"Trung vị", 1, 1}},
  };
  s.numbering = numbering(11);
  s.widths = {6, 52, 10, 12, 12, 11, 11, 11, 11, 13, 10};
  const auto figures = [](Row row, const ReductionFigures& f) {
    row.cells.push_back(Cell::of(f.count));
    row.cells.push_back(Cell::days(f.legal_days));
    row.cells.push_back(Cell::days(f.reduced_days));
    row.cells.push_back(Cell::ratio(f.committed_reduction));
    row.cells.push_back(Cell::days(f.mean_days));
    row.cells.push_back(Cell::days(f.median_days));
    row.cells.push_back(Cell::ratio(f.actual_reduction));
    row.cells.push_back(Cell::ratio(f.within_reduced_share));
    row.cells.push_back(Cell::ratio(f.overdue_share));
    return row;
  };
  RowNumbers numbers;
  for (const ReductionRow& row : r.rows) {
    Row out = !row.field       ? numbers.unit(row.unit_name, row.unit)
              : !row.procedure ? numbers.field(RowLevel::Subgroup, row.field_name, *row.field)
                               : numbers.procedure(row.procedure_name, *row.procedure);
    s.rows.push_back(figures(std::move(out), row.figures));
  }
  s.rows.push_back(figures(total_row(), r.total));
  d.sections.push_back(std::move(s));
  return d;
}

Document to_document(const Index766Report& r) {
  Document d = frame(Kind::Index766, r.inputs, "766");
  Section units;
  units.heading = "Tiến độ giải quyết hồ sơ theo đơn vị (điểm tối đa 20)";
  units.header = {
      {{"STT", 2, 1},
       {"Đơn vị", 2, 1},
       {"Số hồ sơ xử lý trong kỳ", 2, 1},
       {"Đã giải quyết", 1, 3},
       {"Đang giải quyết", 1, 2},
       {"Yêu cầu bổ sung quá một lần", 2, 1},
       {"Tỷ lệ trước hạn, đúng hạn, trong hạn", 2, 1},
       {"Điểm tiến độ", 2, 1}},
      {{"Trước hạn", 1, 1},
       {"Đúng hạn", 1, 1},
       {"Quá hạn", 1, 1},
       {"Trong hạn", 1, 1},
       {"Quá hạn", 1, 1}},
  };
  units.numbering = numbering(11);
  units.widths = {6, 48, 11, 10, 10, 10, 10, 10, 12, 12, 10};
  const auto counts = [](Row row, const Index766Counts& c) {
    with_counts(row, {c.handled(), c.resolved_early, c.resolved_on_time, c.resolved_overdue,
                      c.pending_in_time, c.pending_overdue, c.many_requests});
    row.cells.push_back(Cell::ratio(c.rate()));
    row.cells.push_back(Cell::days(c.score()));
    return row;
  };
  std::size_t unit_no = 0;
  for (const Index766Row& row : r.rows) {
    units.rows.push_back(counts(
        Row{RowLevel::Item,
            {Cell::of(std::to_string(++unit_no)), Cell::of(named(row.unit_name, row.unit, ""))}},
        row.counts));
  }
  units.rows.push_back(counts(total_row(), r.total));
  d.sections.push_back(std::move(units));

  Section procedures;
  procedures.heading = "Chỉ số 2.2: thời gian giải quyết trung bình theo thủ tục hành chính";
  procedures.header = {{{"STT", 1, 1},
                        {"Thủ tục hành chính", 1, 1},
                        {"Số hồ sơ đã giải quyết", 1, 1},
                        {"Thời gian giải quyết trung bình (ngày làm việc)", 1, 1}}};
  procedures.numbering = numbering(4);
  procedures.widths = {6, 60, 12, 16};
  std::size_t procedure_no = 0;
  for (const ProcedureTime& p : r.procedures) {
    procedures.rows.push_back({RowLevel::Item,
                               {Cell::of(std::to_string(++procedure_no)),
                                Cell::of(named(p.procedure_name, p.procedure, "")),
                                Cell::of(p.resolved), Cell::days(p.mean_days)}});
  }
  procedures.rows.push_back(
      {RowLevel::Total,
       {Cell::of(std::string()), Cell::of("Tất cả thủ tục"), Cell::of(r.all_procedures.resolved),
        Cell::days(r.all_procedures.mean_days)}});
  d.sections.push_back(std::move(procedures));
  return d;
}

namespace {

Cell count_or_empty(const std::optional<std::int64_t>& v) {
  return v ? Cell::of(*v) : Cell{};
}

Row claimed_figures_row(std::string label, const ClaimedFigures& f) {
  Row row{RowLevel::Item, {Cell::of(std::string()), Cell::of(std::move(label))}};
  for (const auto* v :
       {&f.received, &f.carried_over, &f.to_process, &f.resolved, &f.resolved_on_time,
        &f.resolved_overdue, &f.pending, &f.pending_in_time, &f.pending_overdue}) {
    row.cells.push_back(count_or_empty(*v));
  }
  row.cells.push_back(Cell::ratio(f.on_time_rate));
  return row;
}

std::string claim_line(const ClaimedRow& row) {
  std::string line = named(row.unit_name, row.unit, "");
  if (!row.kind.empty()) line += " — loại thống kê " + row.kind;
  if (row.claimed) {
    line += " — nhận lúc " + moment_vi(from_unix(row.arrived_unix));
    if (!row.sender.empty()) line += " từ " + row.sender;
    if (!row.note.empty()) line += " — ghi chú: " + row.note;
  }
  return line;
}

}  // namespace

Document to_document(const ClaimedReport& r) {
  Document d = frame(Kind::Claimed, r.inputs, "So sánh");
  Section figures;
  figures.heading = "Số liệu theo các cột của biểu II.06a";
  figures.header = {
      {{"STT", 2, 1},
       {"Đơn vị / Nguồn số liệu", 2, 1},
       {"Số hồ sơ nhận giải quyết", 1, 3},
       {"Số hồ sơ đã giải quyết", 1, 3},
       {"Số hồ sơ đang giải quyết", 1, 3},
       {"Tỷ lệ giải quyết trước hạn, đúng hạn", 2, 1}},
      {{"Trong kỳ", 1, 1},
       {"Từ kỳ trước chuyển sang", 1, 1},
       {"Tổng số", 1, 1},
       {"Tổng số", 1, 1},
       {"Trước hạn, đúng hạn", 1, 1},
       {"Quá hạn", 1, 1},
       {"Tổng số", 1, 1},
       {"Trong hạn", 1, 1},
       {"Quá hạn", 1, 1}},
  };
  figures.numbering = {"(1)",     "(2)",  "(4)+(5)", "(6)",  "(3)",  "(7)",
                       "(8)+(9)", "(10)", "(11)",    "(12)", "(13)", "(14)"};
  figures.widths = {6, 52, 10, 12, 10, 10, 12, 9, 10, 10, 9, 12};
  Section explaining;
  explaining.heading = "Hồ sơ giải thích chênh lệch: hồ sơ quá hạn theo quy tắc tính (tối đa " +
                       std::to_string(kMaxOverdueListed) +
                       " hồ sơ đầu tiên theo mã của mỗi đơn vị)";
  explaining.header = {{{"STT", 1, 1},
                        {"Đơn vị", 1, 1},
                        {"Mã hồ sơ", 1, 1},
                        {"Tình trạng", 1, 1},
                        {"Hạn giải quyết", 1, 1},
                        {"Kết thúc xử lý", 1, 1}}};
  explaining.numbering = numbering(6);
  explaining.widths = {6, 20, 32, 26, 22, 22};
  std::size_t unit_no = 0, dossier_no = 0;
  for (const ClaimedRow& row : r.rows) {
    figures.rows.push_back(
        {RowLevel::Group, {Cell::of(roman(++unit_no)), Cell::of(claim_line(row))}});
    if (row.claimed) {
      figures.rows.push_back(claimed_figures_row("Hệ thống một cửa báo cáo", *row.claimed));
    } else {
      figures.rows.push_back(
          {RowLevel::Item, {Cell::of(std::string()), Cell::of("Hệ thống một cửa chưa gửi")}});
    }
    figures.rows.push_back(claimed_figures_row("Tính từ hồ sơ", row.ours));
    if (row.difference) {
      Row diff = claimed_figures_row("Chênh lệch (báo cáo − tính từ hồ sơ)", *row.difference);
      diff.level = RowLevel::Subgroup;
      figures.rows.push_back(std::move(diff));
    }
    for (const OverdueDossier& o : row.overdue) {
      explaining.rows.push_back(
          {RowLevel::Item,
           {Cell::of(std::to_string(++dossier_no)), Cell::of(row.unit), Cell::of(o.code),
            Cell::of(o.resolved ? "Đã giải quyết quá hạn" : "Đang giải quyết, quá hạn"),
            o.due ? Cell::of(moment_vi(*o.due)) : Cell{},
            o.end ? Cell::of(moment_vi(*o.end)) : Cell{}}});
    }
    const auto listed = static_cast<std::int64_t>(row.overdue.size());
    if (row.overdue_total > listed) {
      explaining.rows.push_back(
          {RowLevel::Subgroup,
           {Cell::of(std::string()), Cell::of(row.unit),
            Cell::of("và " + std::to_string(row.overdue_total - listed) + " hồ sơ khác")}});
    }
  }
  d.sections.push_back(std::move(figures));
  d.sections.push_back(std::move(explaining));
  return d;
}

}  // namespace tthc::reports
