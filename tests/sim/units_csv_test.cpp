// config/units.csv, the illustrative register of the merged Ninh Bình, checked on its own (every
// row well formed: unique codes, known parents and successors, successors on ended units only)
// and against the simulator, whose units it must list with the same code, name, level, parent,
// validity and successors.
#include "domain/codes.hpp"
#include "domain/time.hpp"
#include "sim/province.hpp"
#include "support/calendar.hpp"
#include "support/catalogue.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace tthc::sim {
namespace {

using Row = std::map<std::string, std::string>;  // column -> value

// One CSV line (RFC 4180 quoting; the register has no line break inside a field).
std::vector<std::string> split_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  EXPECT_FALSE(quoted) << "an unclosed quote: " << line;
  return fields;
}

std::vector<Row> read_register() {
  std::ifstream in(std::string(TTHC_SOURCE_DIR) + "/config/units.csv", std::ios::binary);
  EXPECT_TRUE(in) << "config/units.csv";
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = split_line(line);
  std::vector<Row> rows;
  for (std::size_t n = 2; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    const std::vector<std::string> fields = split_line(line);
    EXPECT_EQ(fields.size(), header.size()) << "units.csv:" << n;
    Row row;
    for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = fields[i];
    row["line"] = std::to_string(n);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::string> split_codes(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string code; std::getline(in, code, ';');) out.push_back(code);
  return out;
}

std::optional<Date> date_or_none(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const auto d = parse_date(text);
  EXPECT_TRUE(d) << text;
  return d ? std::optional<Date>(*d) : std::nullopt;
}

TEST(UnitsCsv, EveryRowIsWellFormed) {
  const std::vector<Row> rows = read_register();
  ASSERT_GT(rows.size(), 30U);
  std::map<std::string, const Row*> by_code;
  std::set<std::string> names;
  for (const Row& r : rows) {
    const std::string& code = r.at("unit_code");
    EXPECT_TRUE(is_unit_code(code)) << "units.csv:" << r.at("line") << ": " << code;
    EXPECT_TRUE(by_code.emplace(code, &r).second) << "a second " << code;
    // Unique names: a DonViXuLy finds its unit by name.
    EXPECT_TRUE(names.insert(r.at("unit_name")).second) << "a second " << r.at("unit_name");
    EXPECT_EQ(r.at("note"), "Mẫu minh họa — illustrative sample, not an official register");
    const std::set<std::string> levels = {"province", "department", "service_centre", "district",
                                          "commune"};
    EXPECT_TRUE(levels.count(r.at("level"))) << code << ": " << r.at("level");
  }
  for (const Row& r : rows) {
    const std::string& code = r.at("unit_code");
    if (!r.at("parent").empty()) {
      EXPECT_TRUE(by_code.count(r.at("parent"))) << code;
    }
    const auto from = date_or_none(r.at("valid_from"));
    const auto until = date_or_none(r.at("valid_until"));
    if (from && until) {
      EXPECT_LT(*from, *until) << code;
    }
    const auto successors = split_codes(r.at("successors"));
    EXPECT_EQ(until.has_value(), !successors.empty()) << code << ": successors on ended units";
    for (const auto& s : successors) {
      ASSERT_TRUE(by_code.count(s)) << code << ": successor " << s;
      // A successor is in force on the day its predecessor ended.
      const Row& next = *by_code.at(s);
      const auto next_from = date_or_none(next.at("valid_from"));
      const auto next_until = date_or_none(next.at("valid_until"));
      EXPECT_TRUE((!next_from || *next_from <= *until) && (!next_until || *until < *next_until))
          << code << " -> " << s;
    }
  }
}

TEST(UnitsCsv, TheRegisterShowsTheProvinceBeforeAndAfterTheReorganisation) {
  const std::vector<Row> rows = read_register();
  std::map<std::string, std::size_t> ended, started, current;
  for (const Row& r : rows) {
    if (r.at("valid_until") == "2025-07-01") ++ended[r.at("level")];
    if (r.at("valid_from") == "2025-07-01") ++started[r.at("level")];
    if (r.at("valid_until").empty()) ++current[r.at("level")];
  }
  EXPECT_EQ(ended["province"], 2U);  // Hà Nam, Nam Định
  EXPECT_GE(ended["department"], 4U);
  EXPECT_GE(ended["district"], 3U);
  EXPECT_GE(ended["commune"], 4U);
  EXPECT_EQ(current["district"], 0U);  // the district level is gone
  EXPECT_GE(started["commune"], 8U);
  EXPECT_EQ(current["province"], 1U);
  EXPECT_EQ(current["service_centre"], 1U);
}

TEST(UnitsCsv, ListsEverySimulatedUnitAsTheSimulatorDefinesIt) {
  std::map<std::string, Row> by_code;
  for (Row& r : read_register()) by_code[r.at("unit_code")] = std::move(r);
  const Province province(test::official_calendar(), test::sample_catalogue(), ProvinceOptions{});
  ASSERT_GE(province.units().size(), 10U);
  for (const Unit& u : province.units()) {
    ASSERT_TRUE(by_code.count(u.code)) << u.code << " is missing from config/units.csv";
    const Row& r = by_code.at(u.code);
    EXPECT_EQ(r.at("unit_name"), u.name) << u.code;
    EXPECT_EQ(r.at("level"), u.level) << u.code;
    EXPECT_EQ(r.at("parent"), u.parent) << u.code;
    EXPECT_EQ(date_or_none(r.at("valid_from")), u.valid_from) << u.code;
    EXPECT_EQ(date_or_none(r.at("valid_until")), u.valid_until) << u.code;
    EXPECT_EQ(split_codes(r.at("successors")), u.successors) << u.code;
  }
}

}  // namespace
}  // namespace tthc::sim
