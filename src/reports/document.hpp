#pragma once
// One table model for the printable formats (CSV, HTML, XLSX): the form's title, its header
// rows with merged cells, the (1)…(n) numbering row, the rows, and the recorded inputs. Each
// report kind is turned into a Document once; each format renders any Document.

#include "base/result.hpp"
#include "reports/model.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tthc::reports {

/// Form II.06a of the reporting regime, as its header names it (domain.md §6.1).
inline constexpr std::string_view kFormCode = "II.06a/VPCP/KSTT";
std::string_view title_of(Kind kind);
/// "31/03/2025", as the forms write dates.
std::string date_vi(Date d);

struct HeaderCell {
  std::string text;
  int rowspan = 1;
  int colspan = 1;
};

struct Cell {
  enum class Type : std::uint8_t { Empty, Text, Count, Ratio, Days };
  Type type = Type::Empty;
  std::string text;
  std::int64_t count = 0;
  double value = 0;  ///< Ratio (0..1) or Days
  std::string link;  ///< HTML only: the text links here (the board's page of a dossier)

  static Cell of(std::string text);
  static Cell of(std::int64_t count);
  static Cell ratio(std::optional<double> v);
  static Cell days(std::optional<double> v);
};

enum class RowLevel : std::uint8_t { Group, Subgroup, Item, Total };

struct Row {
  RowLevel level = RowLevel::Item;
  std::vector<Cell> cells;
};

struct Section {
  std::string heading;                          ///< empty: none
  std::vector<std::vector<HeaderCell>> header;  ///< rows of cells, left to right, with spans
  std::vector<std::string> numbering;           ///< "(1)"…; empty: no numbering row
  std::vector<double> widths;                   ///< column widths in characters
  std::vector<Row> rows;
};

/// A small line chart: one line per series over the categories (values 0..1, shown as percent);
/// HTML draws it as inline SVG, XLSX as a chart on a sheet of its own beside its figures.
struct LineChart {
  std::string title;
  std::vector<std::string> categories;
  struct Series {
    std::string name;
    std::vector<std::optional<double>> values;  ///< none: a gap
  };
  std::vector<Series> series;
};

/// The chart as a standalone <svg> (pure: same chart, same bytes).
std::string chart_svg(const LineChart& c);

struct Document {
  std::string sheet;      ///< XLSX sheet name
  std::string form_code;  ///< "Biểu số II.06a/VPCP/KSTT"; empty for the other reports
  std::string title;
  std::string period_line;
  std::optional<std::string> notice;  ///< the period is not closed
  std::vector<Section> sections;
  std::vector<std::pair<std::string, std::string>> inputs;  ///< recorded inputs, labelled
  std::vector<LineChart> charts;  ///< HTML and XLSX; none in the monthly reports
  std::string charts_heading;
  Moment as_of{};
};

Document to_document(const ResultsReport& r);
Document to_document(const ReductionReport& r);
Document to_document(const Index766Report& r);
Document to_document(const ClaimedReport& r);

/// A header cell at its place in the header grid (rowspans of the rows above taken into
/// account).
struct PlacedHeader {
  int row = 0, col = 0, rowspan = 1, colspan = 1;
  const std::string* text = nullptr;
};
std::vector<PlacedHeader> place(const std::vector<std::vector<HeaderCell>>& header);
/// Columns of a section (its widest row).
std::size_t columns(const Section& s);

std::string render_csv(const Document& d);
std::string render_html(const Document& d);
/// An XLSX workbook (built in a temporary file that is removed).
Result<std::string> render_xlsx(const Document& d);

}  // namespace tthc::reports
