// config/units.csv, the illustrative register of the merged Ninh Bình, read by the register's
// own parser (which checks unique codes, known parents and successors, successors on ended units
// only) and checked further here, then against the simulator, whose units it must list with the
// same code, name, level, parent, validity and successors.
#include "config/units.hpp"
#include "domain/codes.hpp"
#include "engine/units.hpp"
#include "sim/province.hpp"
#include "support/calendar.hpp"
#include "support/catalogue.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <string>

namespace tthc::sim {
namespace {

const std::string kFile = std::string(TTHC_SOURCE_DIR) + "/config/units.csv";

engine::UnitRegister read_register() {
  auto reg = config::load_units(kFile);
  EXPECT_TRUE(reg) << (reg ? "" : reg.error().message);
  return reg ? std::move(*reg) : engine::UnitRegister{};
}

TEST(UnitsCsv, EveryRowIsWellFormed) {
  const engine::UnitRegister reg = read_register();
  ASSERT_GT(reg.units().size(), 30U);
  std::set<std::string> names;
  for (const engine::UnitRecord& u : reg.units()) {
    EXPECT_TRUE(is_unit_code(u.code)) << u.code;
    // Unique names: a DonViXuLy finds its unit by name.
    EXPECT_TRUE(names.insert(u.name).second) << "a second " << u.name;
    // A successor is in force on the day its predecessor ended.
    for (const auto& s : u.successors) {
      const engine::UnitRecord* next = reg.find(s);
      ASSERT_NE(next, nullptr) << u.code << ": successor " << s;
      EXPECT_TRUE(reg.in_force(*next, *u.valid_until)) << u.code << " -> " << s;
    }
  }
  // Every row says it is illustrative (the parser ignores the note column).
  std::ifstream in(kFile, std::ios::binary);
  std::string line;
  std::getline(in, line);
  std::size_t rows = 0;
  for (; std::getline(in, line); ++rows) {
    EXPECT_NE(line.find("Mẫu minh họa — illustrative sample, not an official register"),
              std::string::npos)
        << line;
  }
  EXPECT_EQ(rows, reg.units().size());
}

TEST(UnitsCsv, TheRegisterShowsTheProvinceBeforeAndAfterTheReorganisation) {
  const Date change = *parse_date("2025-07-01");
  std::map<engine::UnitLevel, std::size_t> ended, started, current;
  const engine::UnitRegister reg = read_register();
  for (const engine::UnitRecord& u : reg.units()) {
    if (u.valid_until == change) ++ended[u.level];
    if (u.valid_from == change) ++started[u.level];
    if (!u.valid_until) ++current[u.level];
  }
  using L = engine::UnitLevel;
  EXPECT_EQ(ended[L::Province], 2U);  // Hà Nam, Nam Định
  EXPECT_GE(ended[L::Department], 4U);
  EXPECT_GE(ended[L::District], 3U);
  EXPECT_GE(ended[L::Commune], 4U);
  EXPECT_EQ(current[L::District], 0U);  // the district level is gone
  EXPECT_GE(started[L::Commune], 8U);
  EXPECT_EQ(current[L::Province], 1U);
  EXPECT_EQ(current[L::ServiceCentre], 1U);
}

TEST(UnitsCsv, ListsEverySimulatedUnitAsTheSimulatorDefinesIt) {
  const engine::UnitRegister reg = read_register();
  const Province province(test::official_calendar(), test::sample_catalogue(), ProvinceOptions{});
  ASSERT_GE(province.units().size(), 10U);
  for (const Unit& u : province.units()) {
    const engine::UnitRecord* r = reg.find(u.code);
    ASSERT_NE(r, nullptr) << u.code << " is missing from config/units.csv";
    EXPECT_EQ(r->name, u.name) << u.code;
    EXPECT_EQ(engine::to_string(r->level), u.level) << u.code;
    EXPECT_EQ(r->parent, u.parent) << u.code;
    EXPECT_EQ(r->valid_from, u.valid_from) << u.code;
    EXPECT_EQ(r->valid_until, u.valid_until) << u.code;
    EXPECT_EQ(r->successors, u.successors) << u.code;
  }
}

}  // namespace
}  // namespace tthc::sim
