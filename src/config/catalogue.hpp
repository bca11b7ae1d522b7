#pragma once
// config/procedures.csv: the catalogue offices keep as a spreadsheet. UTF-8 (a BOM is
// allowed), a header row naming at least the columns
//   procedure_code,procedure_name,field_code,field_name,legal_limit,reduced_limit,online_limit
// in any order (other columns are ignored), RFC 4180 quoting, limits in the calendar's syntax.

#include "base/result.hpp"
#include "engine/rules.hpp"

#include <filesystem>
#include <string_view>
#include <vector>

namespace tthc::config {

/// Errors name the file, the line and the column: `procedures.csv:12: legal_limit: not a limit`.
Result<std::vector<engine::ProcedureRule>> parse_catalogue_csv(std::string_view text,
                                                               std::string_view name);
Result<std::vector<engine::ProcedureRule>> load_catalogue(const std::filesystem::path& file);

}  // namespace tthc::config
