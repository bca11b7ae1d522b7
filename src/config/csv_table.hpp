#pragma once
// The spreadsheets offices keep as CSV files (config/procedures.csv, config/units.csv), read the
// one way: UTF-8 (a BOM is allowed), a header row naming the columns in any order (other
// columns are ignored), RFC 4180 quoting, fields trimmed of spaces and tabs.

#include "base/result.hpp"

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::config {

struct CsvRow {
  std::size_t line = 0;  ///< the record's first line in the file
  std::vector<std::string> fields;
};

/// The data rows of a CSV file, with the position of each column asked for.
struct CsvTable {
  std::string name;                  ///< the file, for errors
  std::vector<std::size_t> columns;  ///< the header position of each column asked for
  std::vector<CsvRow> rows;          ///< without the header

  /// Column `k` (in the order asked for) of `row`, trimmed; empty when the row is short.
  std::string get(const CsvRow& row, std::size_t k) const;
  /// `units.csv:12: `: the start of an error about `row`.
  std::string where(const CsvRow& row) const;
};

/// Errors name the file and the line: `units.csv:1: missing column unit_code`.
Result<CsvTable> read_csv_table(std::string_view text, std::string_view name,
                                std::span<const std::string_view> columns);

/// The whole file; the error names it and what it holds: `x.csv: cannot read the unit register`.
Result<std::string> read_text_file(const std::filesystem::path& file, std::string_view what);

}  // namespace tthc::config
