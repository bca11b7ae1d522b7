#include "config/units.hpp"

#include "config/settings.hpp"
#include "support/temp_dir.hpp"
#include "support/units.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace tthc::config {
namespace {

constexpr std::string_view kHeader =
    "unit_code,unit_name,level,parent,valid_from,valid_until,successors\n";

std::string error_of(const std::string& rows) {
  auto r = parse_units_csv(std::string(kHeader) + rows, "units.csv");
  return r ? std::string("(accepted)") : r.error().message;
}

TEST(UnitsCsv, ReadsTheSampleRegister) {
  const auto r = test::sample_units();
  ASSERT_EQ(r.units().size(), 8u);
  const auto* district = r.find("000.20.31.H42");
  ASSERT_NE(district, nullptr);
  EXPECT_EQ(district->level, engine::UnitLevel::District);
  EXPECT_EQ(district->parent, "000.00.00.H42");
  EXPECT_EQ(district->valid_until, make_date(2025, 7, 1));
  EXPECT_EQ(district->successors, (std::vector<std::string>{"000.31.01.H42", "000.31.02.H42"}));
  EXPECT_EQ(r.find("000.00.01.H42")->valid_from, make_date(2025, 7, 1));
}

TEST(UnitsCsv, ColumnsInAnyOrderWithABomAndQuotes) {
  const auto r = parse_units_csv(
      "\xEF\xBB\xBFsuccessors,level,unit_name,unit_code,extra,valid_until,valid_from,parent\r\n"
      ",province,\"UBND tỉnh, Ninh Bình\",P,x,,,\r\n",
      "units.csv");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->name_of("P"), "UBND tỉnh, Ninh Bình");
}

TEST(UnitsCsv, ErrorsNameTheFileLineColumnAndValue) {
  EXPECT_EQ(parse_units_csv("unit_code,unit_name\n", "units.csv").error().message,
            "units.csv:1: missing column level");
  EXPECT_EQ(error_of("A,a,huyen,,,,\n"),
            "units.csv:2: level: \"huyen\" is not one of province, department, service_centre, "
            "district, commune");
  EXPECT_EQ(error_of("A,a,commune,,2025-13-01,,\n"),
            "units.csv:2: valid_from: not a date: \"2025-13-01\"");
  EXPECT_EQ(error_of("A,a,commune,,,2025-07-01,B;;C\n"),
            "units.csv:2: successors: an empty code in \"B;;C\"");
  EXPECT_EQ(error_of(",a,commune,,,,\n"), "units.csv:2: unit_code: missing");
  // The register's own checks, with the line of the unit they name.
  EXPECT_EQ(error_of("A,a,commune,,,,\nB,b,commune,,,2025-07-01,X\n"),
            "units.csv:3: unit \"B\": successors: \"X\" is not in the register");
  EXPECT_EQ(error_of("A,a,commune,,,,\nA,b,commune,,,,\n"),
            "units.csv:3: unit \"A\": unit_code: appears twice");
}

TEST(UnitsCsv, LoadNamesAMissingFile) {
  test::TempDir dir;
  const auto missing = load_units(dir.path() / "units.csv");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message,
            (dir.path() / "units.csv").string() + ": cannot read the unit register");
  std::ofstream(dir.path() / "units.csv") << test::kSampleUnitsCsv;
  EXPECT_EQ(load_units(dir.path() / "units.csv")->units().size(), 8u);
}

}  // namespace
}  // namespace tthc::config

namespace tthc::config {
namespace {

TEST(UnitsSettings, DefaultsAndValues) {
  const auto d = parse_settings("", "t.toml", "/etc/x").value();
  EXPECT_EQ(d.units_file, std::filesystem::path("/etc/x/units.csv"));
  EXPECT_TRUE(d.units.successors);
  EXPECT_EQ(d.units.count_under, engine::CountUnder::Resolving);
  const auto s =
      parse_settings("[units]\nfile = \"\"\nsuccessors = false\ncount_under = \"receiving\"\n",
                     "t.toml", "/etc/x")
          .value();
  EXPECT_TRUE(s.units_file.empty());
  EXPECT_FALSE(s.units.successors);
  EXPECT_EQ(s.units.count_under, engine::CountUnder::Receiving);
}

TEST(UnitsSettings, RefusesUnknownKeysAndValues) {
  const auto unknown = parse_settings("[units]\nsucessors = true\n", "t.toml", "/x");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("sucessors"), std::string::npos)
      << unknown.error().message;
  const auto bad = parse_settings("[units]\ncount_under = \"handling\"\n", "t.toml", "/x");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("units.count_under"), std::string::npos)
      << bad.error().message;
  EXPECT_NE(bad.error().message.find("handling"), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace tthc::config
