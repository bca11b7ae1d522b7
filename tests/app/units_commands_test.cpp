// The unit register through the real executable: `import` lists the unit codes the register
// lacks, `explain` names the receiving and the resolving unit, `report` groups by the unit as
// it is now, and a bad register stops the reading commands with its file and line.
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/units.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tthc {
namespace {

using test::Outcome;
using test::monitor::run;

const std::string kSource = TTHC_SOURCE_DIR;

// June 2025 at the former Hà Nam's Justice department; August 2025 received at the province
// service centre and resolved by the department; a unit code the register lacks.
const std::string kDossiers =
    R"({"MaHoSo":"000.00.12.H35-250602-0001","MaTTHC":"1.004227","TrangThaiHoSo":9,"NgayTiepNhan":"20250602090000","NgayKetThucXuLy":"20250603090000","DonViXuLy":"Sở Tư pháp tỉnh Hà Nam"})"
    "\n"
    R"({"MaHoSo":"000.00.01.H42-250804-0002","MaTTHC":"1.004227","TrangThaiHoSo":9,"NgayTiepNhan":"20250804090000","NgayKetThucXuLy":"20250805090000","DonViXuLy":"Sở Tư pháp tỉnh Ninh Bình"})"
    "\n"
    R"({"MaHoSo":"000.77.77.H42-250804-0003","MaTTHC":"1.004227","TrangThaiHoSo":4,"NgayTiepNhan":"20250804090000","DonViXuLy":"Phòng X"})"
    "\n";

struct UnitsCase {
  test::TempDir dir;
  std::string config;

  explicit UnitsCase(std::string_view register_csv, const std::string& units_extra = "") {
    dir.write("units.csv", std::string(register_csv));
    config =
        dir.write("monitor.toml", "[calendar]\nholidays_dir = \"" + kSource +
                                      "/config/holidays\"\n[catalogue]\nfile = \"" + kSource +
                                      "/config/procedures.csv\"\n[store]\npath = " +
                                      "\"t.db\"\n[units]\nfile = \"units.csv\"\n" + units_extra)
            .string();
    dir.write("in.jsonl", kDossiers);
  }
  Outcome cmd(std::vector<std::string> args) {
    args.insert(args.end(), {"--config", config});
    return run(args);
  }
};

TEST(UnitsCommands, ImportListsUnknownUnitsAndExplainNamesBoth) {
  UnitsCase c(test::kSampleUnitsCsv);
  Outcome r = c.cmd({"import", c.dir.file("in.jsonl").string()});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("units missing from the unit register: 1 code(s), 1 dossier(s)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  000.77.77.H42  1\n"), std::string::npos) << r.out;

  r = c.cmd({"explain", "000.00.01.H42-250804-0002", "--at", "2025-08-10"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("receiving unit 000.00.01.H42 Trung tâm Phục vụ hành chính công tỉnh"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("resolving unit Sở Tư pháp tỉnh Ninh Bình (000.00.12.H42)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("counted under  000.00.12.H42 (count_under = resolving)"), std::string::npos)
      << r.out;

  r = c.cmd({"explain", "000.00.12.H35-250602-0001", "--at", "2025-08-10", "--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find(R"("shown_as":{"code":"000.00.12.H42")"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"("shown_as_when_received":"000.00.12.H35")"), std::string::npos) << r.out;
}

TEST(UnitsCommands, ReportsShowTheUnitsAsTheyAreNowUnlessToldOtherwise) {
  UnitsCase now(test::kSampleUnitsCsv);
  ASSERT_EQ(now.cmd({"import", now.dir.file("in.jsonl").string()}).status, 0);
  Outcome r = now.cmd({"report", "--kind", "results", "--month", "2025-06", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find(R"("unit": "000.00.12.H42")"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(R"("unit": "000.00.12.H35")"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"("successors": true, "count_under": "resolving")"), std::string::npos)
      << r.out;

  UnitsCase then(test::kSampleUnitsCsv, "successors = false\ncount_under = \"receiving\"\n");
  ASSERT_EQ(then.cmd({"import", then.dir.file("in.jsonl").string()}).status, 0);
  r = then.cmd({"report", "--kind", "results", "--month", "2025-06", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find(R"("unit": "000.00.12.H35")"), std::string::npos) << r.out;
  r = then.cmd({"report", "--kind", "results", "--month", "2025-08", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find(R"("unit": "000.00.01.H42")"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"("unknown_dossiers": 1, "unknown_units": ["000.77.77.H42"])"),
            std::string::npos)
      << r.out;
}

TEST(UnitsCommands, ABadRegisterStopsTheReadingCommandsNamingItsLine) {
  UnitsCase c(
      "unit_code,unit_name,level,parent,valid_from,valid_until,successors\n"
      "A,UBND tỉnh,province,,,,\nB,Sở,department,A,2025-07-01,2025-01-01,\n");
  Outcome r = c.cmd({"report", "--kind", "results", "--month", "2025-06"});
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.err.find("units.csv:3: unit \"B\": valid_until: 2025-01-01 is not after "
                       "valid_from 2025-07-01"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace tthc
