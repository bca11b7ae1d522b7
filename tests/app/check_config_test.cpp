// `check-config` on the real executable: a good configuration passes; each kind of broken file
// fails naming the file or the key; nothing is created.
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tthc {
namespace {

namespace fs = std::filesystem;
using test::Outcome;

const std::string kSource = TTHC_SOURCE_DIR;

// A configuration in `dir` with the shipped holidays and catalogue unless replaced.
struct ConfigCase {
  test::TempDir dir;
  std::string holidays = kSource + "/config/holidays";
  std::string catalogue = kSource + "/config/procedures.csv";
  std::string store = "data/d.db";
  std::string extra;

  Outcome check() {
    const auto config = dir.write(
        "monitor.toml", "[calendar]\nholidays_dir = \"" + holidays + "\"\n[catalogue]\nfile = \"" +
                            catalogue + "\"\n[store]\npath = \"" + store +
                            "\"\n[reports]\ndir = \"data/reports\"\n" + extra);
    return test::run_process(TTHC_EXECUTABLE, {"check-config", "--config", config.string()},
                             TTHC_SOURCE_DIR);
  }
};

TEST(CheckConfig, AGoodConfigurationIsUsableAndNothingIsCreated) {
  ConfigCase s;
  const Outcome r = s.check();
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("usable"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("d.db: not there yet, will be created"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("procedures.csv: "), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(s.dir.file("data")));
}

TEST(CheckConfig, TheShippedConfigurationIsUsable) {
  const Outcome r = test::run_process(
      TTHC_EXECUTABLE, {"check-config", "--config", kSource + "/config/tthc-monitor.toml"},
      TTHC_SOURCE_DIR);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
}

TEST(CheckConfig, ABadHolidayFileIsNamed) {
  ConfigCase s;
  fs::copy(kSource + "/config/holidays", s.dir.file("holidays"));
  s.dir.write("holidays/2030.toml", "year = 2030\ndays_off = [2030-01-06]\n");  // a Sunday
  s.holidays = s.dir.file("holidays").string();
  const Outcome r = s.check();
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("PROBLEM  calendar.holidays_dir: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2030.toml"), std::string::npos) << r.out;
}

TEST(CheckConfig, ABadCatalogueIsNamedWithItsLine) {
  ConfigCase s;
  s.catalogue = s.dir
                    .write("procedures.csv",
                           "procedure_code,procedure_name,field_code,field_name,legal_limit,"
                           "reduced_limit,online_limit\n1.1,A,F,Field,15wd,,\n1.2,B,F,Field,"
                           "fifteen,,\n")
                    .string();
  const Outcome r = s.check();
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("procedures.csv:3"), std::string::npos) << r.out;
}

TEST(CheckConfig, MissingFilesAreNamed) {
  ConfigCase s;
  s.catalogue = s.dir.file("nope.csv").string();
  Outcome r = s.check();
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("catalogue.file " + s.catalogue + ": no such file"), std::string::npos)
      << r.out;

  ConfigCase secret;
  secret.extra = "[webhook]\nsecret_file = \"missing.secret\"\n";
  r = secret.check();
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("missing.secret"), std::string::npos) << r.out;

  ConfigCase ca;
  ca.extra = "[alerts]\nalertmanager = [\"https://127.0.0.1:9093\"]\nca_file = \"ca.pem\"\n";
  r = ca.check();
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("alerts.ca_file " + ca.dir.file("ca.pem").string() + ": cannot read"),
            std::string::npos)
      << r.out;
}

TEST(CheckConfig, AFolderTheDaemonCannotWriteIsNamed) {
  ConfigCase s;
  s.dir.write("plain", "a file where a folder should be");
  s.store = "plain/sub/d.db";
  const Outcome r = s.check();
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("store.path " + s.dir.file("plain/sub/d.db").string() +
                       ": cannot be created: " + s.dir.file("plain").string() + " is not a folder"),
            std::string::npos)
      << r.out;
}

TEST(CheckConfig, AnUnknownKeyIsNamed) {
  ConfigCase s;
  s.extra = "[http]\nlisten = \"127.0.0.1:8080\"\nlisen_port = 8081\n";
  Outcome r = s.check();
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("lisen_port"), std::string::npos) << r.out;

  s.extra = "[http]\nlisten = \"127.0.0.1:99999\"\n";
  r = s.check();
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("http.listen"), std::string::npos) << r.out;
}

TEST(CheckConfig, TheUnitRegisterIsCheckedAndABadOneNamedWithItsLine) {
  ConfigCase good;
  good.dir.write("units.csv",
                 "unit_code,unit_name,level,parent,valid_from,valid_until,successors\n"
                 "A,UBND tỉnh,province,,,,\n");
  Outcome r = good.check();
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("units.csv: 1 units, sha256:"), std::string::npos) << r.out;

  ConfigCase bad;
  bad.dir.write("units.csv",
                "unit_code,unit_name,level,parent,valid_from,valid_until,successors\n"
                "A,UBND tỉnh,province,,,,\nB,UBND huyện,district,A,,2025-07-01,\n");
  r = bad.check();
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("PROBLEM  units.file: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("units.csv:3: unit \"B\": successors: required"), std::string::npos)
      << r.out;

  ConfigCase none;  // no file: every code is its own unit, and still usable
  r = none.check();
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("note     units.file "), std::string::npos) << r.out;
}

}  // namespace
}  // namespace tthc
