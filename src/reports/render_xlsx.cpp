// XLSX through libxlsxwriter: the form's merged header cells, numbers as numbers (percent and
// day formats), A4 landscape fitted to the page width, the header repeated on every page. The
// creation time is the report's as-of moment, so the same report gives the same bytes.
#include "reports/document.hpp"

#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include <unistd.h>

namespace tthc::reports {

namespace {

namespace fs = std::filesystem;

// The temporary file the workbook is assembled in; removed however the rendering ends.
class TempFile {
 public:
  TempFile() {
    std::string pattern = (fs::temp_directory_path() / "tthc-report-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd >= 0) {
      ::close(fd);
      path_ = pattern;
    }
  }
  ~TempFile() {
    std::error_code ec;
    if (!path_.empty()) fs::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Formats {
  lxw_format* form = nullptr;
  lxw_format* title = nullptr;
  lxw_format* period = nullptr;
  lxw_format* notice = nullptr;
  lxw_format* heading = nullptr;
  lxw_format* header = nullptr;
  lxw_format* numbering = nullptr;
  lxw_format* input = nullptr;
  std::map<std::pair<Cell::Type, RowLevel>, lxw_format*> cells;

  explicit Formats(lxw_workbook* wb) {
    const auto make = [wb](bool bold, bool italic) {
      lxw_format* f = workbook_add_format(wb);
      format_set_font_name(f, "Times New Roman");
      format_set_font_size(f, 11);
      if (bold) format_set_bold(f);
      if (italic) format_set_italic(f);
      return f;
    };
    form = make(true, false);
    format_set_align(form, LXW_ALIGN_RIGHT);
    title = make(true, false);
    format_set_font_size(title, 13);
    format_set_align(title, LXW_ALIGN_CENTER);
    format_set_align(title, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(title);
    period = make(false, true);
    format_set_align(period, LXW_ALIGN_CENTER);
    notice = make(true, false);
    format_set_align(notice, LXW_ALIGN_CENTER);
    heading = make(true, false);
    header = make(true, false);
    format_set_align(header, LXW_ALIGN_CENTER);
    format_set_align(header, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(header);
    format_set_border(header, LXW_BORDER_THIN);
    numbering = make(false, true);
    format_set_align(numbering, LXW_ALIGN_CENTER);
    format_set_border(numbering, LXW_BORDER_THIN);
    input = make(false, false);
    format_set_font_size(input, 9);
    for (const Cell::Type t : {Cell::Type::Empty, Cell::Type::Text, Cell::Type::Count,
                               Cell::Type::Ratio, Cell::Type::Days}) {
      for (const RowLevel l :
           {RowLevel::Group, RowLevel::Subgroup, RowLevel::Item, RowLevel::Total}) {
        lxw_format* f = make(l == RowLevel::Group || l == RowLevel::Total, l == RowLevel::Subgroup);
        format_set_border(f, LXW_BORDER_THIN);
        format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
        if (t == Cell::Type::Text) format_set_text_wrap(f);
        if (t == Cell::Type::Count) format_set_num_format(f, "#,##0");
        if (t == Cell::Type::Ratio) format_set_num_format(f, "0.00%");
        if (t == Cell::Type::Days) format_set_num_format(f, "0.00");
        if (t == Cell::Type::Empty) format_set_align(f, LXW_ALIGN_CENTER);
        cells[{t, l}] = f;
      }
    }
  }
};

// The worksheet being written, row by row from the top.
class Sheet {
 public:
  Sheet(lxw_worksheet* ws, const Formats& fmt, const Document& d) : ws_(ws), fmt_(fmt) {
    set_columns(d);
  }

  // A line of text across every column.
  void line(const std::string& text, lxw_format* f) {
    worksheet_merge_range(ws_, row_, 0, row_, last_col_, text.c_str(), f);
    ++row_;
  }

  // The form code, title, period and notice, then a blank row.
  void heading(const Document& d) {
    if (!d.form_code.empty()) line(d.form_code, fmt_.form);
    worksheet_set_row(ws_, row_, 36, nullptr);
    line(d.title, fmt_.title);
    line(d.period_line, fmt_.period);
    if (d.notice) line(*d.notice, fmt_.notice);
    ++row_;
  }

  // A section's heading, header (repeated on every page for the first section), rows and a
  // blank row.
  void section(const Section& s) {
    if (!s.heading.empty()) line(s.heading, fmt_.heading);
    const lxw_row_t header_top = row_;
    header(s);
    if (!repeated_) {
      worksheet_repeat_rows(ws_, header_top, row_ - 1);
      repeated_ = true;
    }
    for (const Row& r : s.rows) body_row(r);
    ++row_;
  }

 private:
  void set_columns(const Document& d) {
    std::size_t ncols = 1;
    std::vector<double> widths;
    for (const Section& s : d.sections) {
      ncols = std::max(ncols, columns(s));
      if (widths.size() < s.widths.size()) widths.resize(s.widths.size(), 0);
      for (std::size_t i = 0; i < s.widths.size(); ++i) {
        widths[i] = std::max(widths[i], s.widths[i]);
      }
    }
    for (std::size_t i = 0; i < widths.size(); ++i) {
      worksheet_set_column(ws_, static_cast<lxw_col_t>(i), static_cast<lxw_col_t>(i), widths[i],
                           nullptr);
    }
    last_col_ = static_cast<lxw_col_t>(ncols - 1);
  }

  // The header cells, merged where they span, and the column numbering row.
  void header(const Section& s) {
    const lxw_row_t top = row_;
    for (const PlacedHeader& h : place(s.header)) {
      const auto r = static_cast<lxw_row_t>(top + static_cast<lxw_row_t>(h.row));
      const auto c = static_cast<lxw_col_t>(h.col);
      if (h.rowspan > 1 || h.colspan > 1) {
        worksheet_merge_range(ws_, r, c, r + static_cast<lxw_row_t>(h.rowspan - 1),
                              static_cast<lxw_col_t>(c + static_cast<lxw_col_t>(h.colspan - 1)),
                              h.text->c_str(), fmt_.header);
      } else {
        worksheet_write_string(ws_, r, c, h.text->c_str(), fmt_.header);
      }
    }
    row_ = static_cast<lxw_row_t>(top + s.header.size());
    if (s.numbering.empty()) return;
    for (std::size_t i = 0; i < s.numbering.size(); ++i) {
      worksheet_write_string(ws_, row_, static_cast<lxw_col_t>(i), s.numbering[i].c_str(),
                             fmt_.numbering);
    }
    ++row_;
  }

  void body_row(const Row& r) {
    for (std::size_t i = 0; i < r.cells.size(); ++i) {
      const Cell& c = r.cells[i];
      lxw_format* f = fmt_.cells.at({c.type, r.level});
      const auto col = static_cast<lxw_col_t>(i);
      switch (c.type) {
        case Cell::Type::Empty: worksheet_write_string(ws_, row_, col, "–", f); break;
        case Cell::Type::Text: worksheet_write_string(ws_, row_, col, c.text.c_str(), f); break;
        case Cell::Type::Count:
          worksheet_write_number(ws_, row_, col, static_cast<double>(c.count), f);
          break;
        case Cell::Type::Ratio:
        case Cell::Type::Days: worksheet_write_number(ws_, row_, col, c.value, f); break;
      }
    }
    ++row_;
  }

  lxw_worksheet* ws_;
  const Formats& fmt_;
  lxw_col_t last_col_ = 0;
  lxw_row_t row_ = 0;
  bool repeated_ = false;
};

// A4 landscape, centred, fitted to the page width.
void set_page(lxw_worksheet* ws) {
  worksheet_set_landscape(ws);
  worksheet_set_paper(ws, 9);  // A4
  worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5);
  worksheet_center_horizontally(ws);
  worksheet_fit_to_pages(ws, 1, 0);
}

// Each chart's figures (categories, then a row per series) at the left of a sheet of their own,
// the line chart drawn from them beside, one chart under the other.
void write_charts(lxw_workbook* wb, const Document& d, const Formats& fmt) {
  if (d.charts.empty()) return;
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Biểu đồ");
  worksheet_set_column(ws, 0, 0, 30, nullptr);
  lxw_row_t row = 0;
  constexpr lxw_row_t kChartRows = 16;
  for (const LineChart& c : d.charts) {
    const lxw_row_t top = row;
    worksheet_write_string(ws, row, 0, c.title.c_str(), fmt.heading);
    for (std::size_t i = 0; i < c.categories.size(); ++i) {
      worksheet_write_string(ws, row + 1, static_cast<lxw_col_t>(i + 1), c.categories[i].c_str(),
                             fmt.header);
    }
    lxw_chart* chart = workbook_add_chart(wb, LXW_CHART_LINE);
    chart_title_set_name(chart, c.title.c_str());
    const auto last_col = static_cast<lxw_col_t>(c.categories.size());
    for (std::size_t s = 0; s < c.series.size(); ++s) {
      const auto r = static_cast<lxw_row_t>(row + 2 + s);
      worksheet_write_string(ws, r, 0, c.series[s].name.c_str(), nullptr);
      for (std::size_t i = 0; i < c.series[s].values.size(); ++i) {
        if (c.series[s].values[i]) {
          worksheet_write_number(ws, r, static_cast<lxw_col_t>(i + 1), *c.series[s].values[i],
                                 fmt.cells.at({Cell::Type::Ratio, RowLevel::Item}));
        }
      }
      lxw_chart_series* series = chart_add_series(chart, nullptr, nullptr);
      chart_series_set_categories(series, "Biểu đồ", row + 1, 1, row + 1, last_col);
      chart_series_set_values(series, "Biểu đồ", r, 1, r, last_col);
      chart_series_set_name_range(series, "Biểu đồ", r, 0);
    }
    chart_axis_set_num_format(chart->y_axis, "0%");
    worksheet_insert_chart(ws, top, last_col + 2, chart);
    row = static_cast<lxw_row_t>(
        top + std::max<lxw_row_t>(kChartRows, static_cast<lxw_row_t>(c.series.size() + 3)));
  }
  set_page(ws);
}

}  // namespace

Result<std::string> render_xlsx(const Document& d) {
  TempFile file;
  if (file.path().empty()) return Error{"xlsx: cannot create a temporary file"};
  lxw_workbook* wb = workbook_new(file.path().c_str());
  if (wb == nullptr) return Error{"xlsx: cannot start a workbook"};
  // Fixed document properties: byte-identical output for the same report.
  std::string title = d.title;
  std::string author = "tthc-monitor";
  lxw_doc_properties props{};
  props.title = title.data();
  props.author = author.data();
  props.created = static_cast<time_t>(to_unix(d.as_of));
  workbook_set_properties(wb, &props);

  lxw_worksheet* ws = workbook_add_worksheet(wb, d.sheet.c_str());
  const Formats fmt(wb);
  Sheet sheet(ws, fmt, d);
  sheet.heading(d);
  for (const Section& s : d.sections) sheet.section(s);
  for (const auto& [label, value] : d.inputs) sheet.line(label + ": " + value, fmt.input);
  set_page(ws);
  write_charts(wb, d, fmt);

  const lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    return Error{std::string("xlsx: ") + lxw_strerror(err)};
  }
  std::ifstream in(file.path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) return Error{"xlsx: the workbook could not be read back"};
  return bytes;
}

}  // namespace tthc::reports
