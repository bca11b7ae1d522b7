// The printable formats that are text: CSV (RFC 4180, UTF-8 with a byte-order mark so that a
// spreadsheet reads the Vietnamese right) and HTML (A4 landscape, no external resource).
#include "reports/document.hpp"

#include "domain/text.hpp"

#include <cstdio>

namespace tthc::reports {

namespace {

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.starts_with("-") && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

// --- CSV ---

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_cell(const Cell& c) {
  switch (c.type) {
    case Cell::Type::Empty: return "";
    case Cell::Type::Text: return csv_field(c.text);
    case Cell::Type::Count: return std::to_string(c.count);
    case Cell::Type::Ratio:
    case Cell::Type::Days: return fixed(c.value, 6);
  }
  return "";
}

void csv_line(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += fields[i];
  }
  out += "\r\n";
}

// --- HTML ---

std::string escape(std::string_view text) {
  return escape_markup(text);
}

// Vietnamese number style: 1.234 and 92,31%.
std::string vi_number(double v, int decimals) {
  return group_number(v, decimals, '.', ',');
}

std::string html_cell(const Cell& c) {
  switch (c.type) {
    case Cell::Type::Empty: return "<td class=\"n\">–</td>";
    case Cell::Type::Text:
      if (!c.link.empty()) {
        return "<td><a href=\"" + escape(c.link) + "\">" + escape(c.text) + "</a></td>";
      }
      return "<td>" + escape(c.text) + "</td>";
    case Cell::Type::Count:
      return "<td class=\"n\">" + vi_number(static_cast<double>(c.count), 0) + "</td>";
    case Cell::Type::Ratio: return "<td class=\"n\">" + vi_number(c.value * 100, 2) + "%</td>";
    case Cell::Type::Days: return "<td class=\"n\">" + vi_number(c.value, 2) + "</td>";
  }
  return "<td></td>";
}

std::string_view row_class(RowLevel level) {
  switch (level) {
    case RowLevel::Group: return "group";
    case RowLevel::Subgroup: return "subgroup";
    case RowLevel::Item: return "item";
    case RowLevel::Total: return "total";
  }
  return "item";
}

constexpr std::string_view kStyle = R"css(
@page { size: A4 landscape; margin: 12mm 10mm; }
body { font-family: "Times New Roman", Times, serif; font-size: 11pt; color: #000; margin: 0; }
.form { text-align: right; font-weight: bold; }
h1 { font-size: 13pt; text-align: center; margin: 8pt 0 4pt; }
.period { text-align: center; font-style: italic; margin: 0 0 8pt; }
.notice { text-align: center; font-weight: bold; border: 1px solid #000; padding: 3pt; }
h2 { font-size: 11pt; margin: 10pt 0 4pt; }
table { border-collapse: collapse; width: 100%; page-break-inside: auto; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: middle; }
th { font-weight: bold; text-align: center; }
tr.numbering th { font-weight: normal; font-style: italic; }
td.n { text-align: right; white-space: nowrap; }
tr.group td, tr.total td { font-weight: bold; }
tr.subgroup td { font-style: italic; }
.inputs { font-size: 9pt; margin-top: 10pt; }
.inputs p { margin: 1pt 0; }
)css";

// Only documents with charts (the phase review) carry these: the monthly reports keep their bytes.
constexpr std::string_view kChartStyle =
    R"css(.chart { display: inline-block; margin: 2pt; page-break-inside: avoid; }
a { color: #000; }
)css";

}  // namespace

std::string render_csv(const Document& d) {
  std::string out = "\xEF\xBB\xBF";
  for (std::size_t si = 0; si < d.sections.size(); ++si) {
    const Section& s = d.sections[si];
    const std::size_t n = columns(s);
    if (si > 0) out += "\r\n";
    if (!s.heading.empty()) csv_line(out, {csv_field(s.heading)});
    std::vector<std::vector<std::string>> grid(s.header.size(), std::vector<std::string>(n));
    for (const PlacedHeader& h : place(s.header)) {
      grid[static_cast<std::size_t>(h.row)][static_cast<std::size_t>(h.col)] = csv_field(*h.text);
    }
    for (const auto& line : grid) csv_line(out, line);
    if (!s.numbering.empty()) {
      std::vector<std::string> line;
      for (const std::string& t : s.numbering) line.push_back(csv_field(t));
      csv_line(out, line);
    }
    for (const Row& r : s.rows) {
      std::vector<std::string> line;
      for (const Cell& c : r.cells) line.push_back(csv_cell(c));
      csv_line(out, line);
    }
  }
  out += "\r\n";
  if (!d.form_code.empty()) csv_line(out, {"Biểu số", csv_field(std::string(kFormCode))});
  csv_line(out, {"Tiêu đề", csv_field(d.title)});
  csv_line(out, {"Kỳ báo cáo", csv_field(d.period_line)});
  if (d.notice) csv_line(out, {"Lưu ý", csv_field(*d.notice)});
  for (const auto& [label, value] : d.inputs) csv_line(out, {csv_field(label), csv_field(value)});
  return out;
}

std::string render_html(const Document& d) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
      escape(d.title) + "</title>\n<style>" + std::string(kStyle) +
      (d.charts.empty() ? "" : std::string(kChartStyle)) + "</style>\n</head>\n<body>\n";
  if (!d.form_code.empty()) out += "<div class=\"form\">" + escape(d.form_code) + "</div>\n";
  out += "<h1>" + escape(d.title) + "</h1>\n";
  out += "<p class=\"period\">" + escape(d.period_line) + "</p>\n";
  if (d.notice) out += "<p class=\"notice\">" + escape(*d.notice) + "</p>\n";
  for (const Section& s : d.sections) {
    if (!s.heading.empty()) out += "<h2>" + escape(s.heading) + "</h2>\n";
    out += "<table>\n<thead>\n";
    for (std::size_t r = 0; r < s.header.size(); ++r) {
      out += "<tr>";
      for (const HeaderCell& h : s.header[r]) {
        out += "<th";
        if (h.rowspan > 1) out += " rowspan=\"" + std::to_string(h.rowspan) + "\"";
        if (h.colspan > 1) out += " colspan=\"" + std::to_string(h.colspan) + "\"";
        out += ">" + escape(h.text) + "</th>";
      }
      out += "</tr>\n";
    }
    if (!s.numbering.empty()) {
      out += "<tr class=\"numbering\">";
      for (const std::string& t : s.numbering) out += "<th>" + escape(t) + "</th>";
      out += "</tr>\n";
    }
    out += "</thead>\n<tbody>\n";
    for (const Row& r : s.rows) {
      out += "<tr class=\"" + std::string(row_class(r.level)) + "\">";
      for (const Cell& c : r.cells) out += html_cell(c);
      out += "</tr>\n";
    }
    out += "</tbody>\n</table>\n";
  }
  if (!d.charts.empty()) {
    out += "<h2>" + escape(d.charts_heading) + "</h2>\n<div>\n";
    for (const LineChart& c : d.charts) out += "<div class=\"chart\">" + chart_svg(c) + "</div>\n";
    out += "</div>\n";
  }
  out += "<div class=\"inputs\">\n";
  for (const auto& [label, value] : d.inputs) {
    out += "<p>" + escape(label) + ": " + escape(value) + "</p>\n";
  }
  out += "</div>\n</body>\n</html>\n";
  return out;
}

}  // namespace tthc::reports
