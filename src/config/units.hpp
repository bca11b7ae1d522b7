#pragma once
// config/units.csv: the unit register offices keep as a spreadsheet, read as the catalogue is
// (config/csv_table.hpp). A header row naming at least the columns
//   unit_code,unit_name,level,parent,valid_from,valid_until,successors
// in any order; level one of province, department, service_centre, district, commune; dates
// `YYYY-MM-DD` or empty (valid_until exclusive); successors unit codes separated by `;`.

#include "base/result.hpp"
#include "engine/units.hpp"

#include <filesystem>
#include <string_view>

namespace tthc::config {

/// Errors name the file, the line and the column: `units.csv:12: successors: "X" is not in the
/// register`.
Result<engine::UnitRegister> parse_units_csv(std::string_view text, std::string_view name);
Result<engine::UnitRegister> load_units(const std::filesystem::path& file);

}  // namespace tthc::config
