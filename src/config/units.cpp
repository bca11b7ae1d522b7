#include "config/units.hpp"

#include "config/csv_table.hpp"
#include "domain/text.hpp"

#include <array>

namespace tthc::config {

namespace {

constexpr std::array<std::string_view, 7> kColumns = {
    "unit_code", "unit_name", "level", "parent", "valid_from", "valid_until", "successors"};
enum Column : std::size_t { Code, Name, Level, Parent, From, Until, Successors };

Result<std::optional<Date>> optional_date(const std::string& text, const std::string& where,
                                          Column column) {
  if (text.empty()) return std::optional<Date>();
  auto d = parse_date(text);
  if (!d) return with_field(where + std::string(kColumns[column]), d.error());
  return std::optional<Date>(*d);
}

// "H42.1;H42.2": the codes, each trimmed; an empty one is a typing slip, not a unit.
Result<std::vector<std::string>> successor_codes(const std::string& text,
                                                 const std::string& where) {
  std::vector<std::string> codes;
  if (text.empty()) return codes;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(';', start), text.size());
    std::string code = text.substr(start, end - start);
    code.erase(0, code.find_first_not_of(" \t"));
    code.erase(code.find_last_not_of(" \t") + 1);
    if (code.empty()) return Error{where + "successors: an empty code in " + quote_for_error(text)};
    codes.push_back(std::move(code));
    start = end + 1;
  }
  return codes;
}

Result<engine::UnitRecord> parse_row(const CsvTable& table, const CsvRow& row) {
  const std::string where = table.where(row);
  engine::UnitRecord u;
  u.code = table.get(row, Code);
  if (u.code.empty()) return Error{where + "unit_code: missing"};
  u.name = table.get(row, Name);
  const std::string level = table.get(row, Level);
  const auto parsed = engine::parse_unit_level(level);
  if (!parsed) {
    return Error{where + "level: " + quote_for_error(level) +
                 " is not one of province, department, service_centre, district, commune"};
  }
  u.level = *parsed;
  u.parent = table.get(row, Parent);
  TTHC_TRY(u.valid_from, optional_date(table.get(row, From), where, From));
  TTHC_TRY(u.valid_until, optional_date(table.get(row, Until), where, Until));
  TTHC_TRY(u.successors, successor_codes(table.get(row, Successors), where));
  return u;
}

// The register's errors name the unit (`unit "H42.3": parent: ...`); the file's reader wants
// the line too.
Error at_line(const CsvTable& table, const std::vector<engine::UnitRecord>& units, Error e) {
  // From the end: of a code given twice, the second line is the mistake.
  for (std::size_t i = units.size(); i-- > 0;) {
    if (e.message.starts_with("unit " + quote_for_error(units[i].code) + ":")) {
      e.message.insert(0, table.where(table.rows[i]));
      return e;
    }
  }
  e.message.insert(0, table.name + ": ");
  return e;
}

}  // namespace

Result<engine::UnitRegister> parse_units_csv(std::string_view text, std::string_view name) {
  TTHC_TRY(const auto table, read_csv_table(text, name, kColumns));
  std::vector<engine::UnitRecord> units;
  units.reserve(table.rows.size());
  for (const CsvRow& row : table.rows) {
    TTHC_TRY(auto u, parse_row(table, row));
    units.push_back(std::move(u));
  }
  auto made = engine::UnitRegister::make(units);
  if (!made) return at_line(table, units, made.error());
  return made;
}

Result<engine::UnitRegister> load_units(const std::filesystem::path& file) {
  TTHC_TRY(const auto text, read_text_file(file, "unit register"));
  return parse_units_csv(text, file.string());
}

}  // namespace tthc::config
