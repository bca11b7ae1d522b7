#include "config/csv_table.hpp"

#include "domain/text.hpp"

#include <fstream>
#include <sstream>

namespace tthc::config {

namespace {

// Splits CSV text into records of fields (RFC 4180), with each record's first line number.
Result<std::vector<CsvRow>> split_csv(std::string_view text, std::string_view name) {
  std::vector<CsvRow> records;
  std::vector<std::string> fields;
  std::string field;
  std::size_t line = 1;
  std::size_t record_line = 1;
  bool quoted = false;
  bool any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty()) {
        return Error{std::string(name) + ":" + std::to_string(line) +
                     ": a quote inside an unquoted field"};
      }
      quoted = true;
      any = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      if (any || !field.empty()) {
        fields.push_back(std::move(field));
        records.push_back({record_line, std::move(fields)});
      }
      field.clear();
      fields.clear();
      any = false;
      record_line = ++line;
    } else {
      field += c;
      any = true;
    }
  }
  if (quoted)
    return Error{std::string(name) + ":" + std::to_string(record_line) + ": unclosed quote"};
  if (any || !field.empty()) {
    fields.push_back(std::move(field));
    records.push_back({record_line, std::move(fields)});
  }
  return records;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

std::string CsvTable::get(const CsvRow& row, std::size_t k) const {
  return columns[k] < row.fields.size() ? trimmed(row.fields[columns[k]]) : std::string();
}

std::string CsvTable::where(const CsvRow& row) const {
  return name + ":" + std::to_string(row.line) + ": ";
}

Result<CsvTable> read_csv_table(std::string_view text, std::string_view name,
                                std::span<const std::string_view> columns) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (!is_valid_utf8(text)) return Error{std::string(name) + ": not UTF-8 text"};
  TTHC_TRY(auto records, split_csv(text, name));
  if (records.empty()) return Error{std::string(name) + ": empty: a header row is needed"};
  const auto& header = records.front().fields;
  CsvTable table;
  table.name = std::string(name);
  for (const std::string_view column : columns) {
    std::size_t found = header.size();
    for (std::size_t h = 0; h < header.size(); ++h) {
      if (trimmed(header[h]) == column) found = h;
    }
    if (found == header.size()) {
      return Error{std::string(name) + ":1: missing column " + std::string(column)};
    }
    table.columns.push_back(found);
  }
  records.erase(records.begin());
  table.rows = std::move(records);
  return table;
}

Result<std::string> read_text_file(const std::filesystem::path& file, std::string_view what) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{file.string() + ": cannot read the " + std::string(what)};
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace tthc::config
