#include "app/commands.hpp"

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using tthc::app::CalendarCommand;
using tthc::app::DueCommand;
using tthc::app::kExitFailure;
using tthc::app::kExitOk;
using tthc::app::kExitUsage;
using tthc::app::run_calendar;
using tthc::app::run_due;
using tthc::app::SourceOptions;

const fs::path kSourceDir = TTHC_SOURCE_DIR;
const fs::path kExecutable = TTHC_EXECUTABLE;
const fs::path kConfig = kSourceDir / "config" / "tthc-monitor.toml";

// A fresh folder under the system temp directory, removed with everything in it.
using tthc::test::TempDir;

using RunResult = tthc::test::Outcome;

// Runs the real executable with `args`, stdout and stderr captured apart, in `cwd` when given.
RunResult run(std::vector<std::string> args, const std::optional<fs::path>& cwd = std::nullopt) {
  return tthc::test::run_process(kExecutable, std::move(args), cwd);
}

// Runs with the shipped configuration.
RunResult run_with_config(std::vector<std::string> args) {
  args.insert(args.begin(), {"--config", kConfig.string()});
  return run(std::move(args));
}

std::vector<std::string> strings(const json::value& v) {
  std::vector<std::string> out;
  for (const json::value& item : v.as_array()) out.emplace_back(item.as_string());
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Exit status 2, nothing on stdout, exactly one stderr line containing every fragment.
void expect_usage_error(const RunResult& r, std::initializer_list<std::string_view> fragments) {
  EXPECT_EQ(r.status, kExitUsage) << r.err;
  EXPECT_EQ(r.out, "");
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.back(), '\n');
  EXPECT_EQ(lines(r.err).size(), 1U) << r.err;
  for (std::string_view f : fragments) {
    EXPECT_NE(r.err.find(f), std::string::npos) << "\"" << f << "\" missing from: " << r.err;
  }
}

const std::vector<std::string> kDaysOff2026 = {
    "2026-01-01", "2026-01-02", "2026-02-16", "2026-02-17", "2026-02-18",
    "2026-02-19", "2026-02-20", "2026-04-27", "2026-04-30", "2026-05-01",
    "2026-08-31", "2026-09-01", "2026-09-02", "2026-11-24"};
const std::vector<std::string> kWorkingSaturdays2026 = {"2026-01-10", "2026-08-22"};
// 2027 is provisional: Tết on Saturday 6/2 gives 10/2 and 11/2; 1/5 on Saturday gives 3/5.
const std::vector<std::string> kDaysOff2027 = {
    "2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11",
    "2027-04-16", "2027-04-30", "2027-05-03", "2027-09-01", "2027-09-02", "2027-11-24"};

// --- The executable: calendar ----------------------------------------------------------------

TEST(CalendarCommand, Json2026IsTheOfficialTable) {
  const RunResult r = run_with_config({"calendar", "--year", "2026", "--json"});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(lines(r.out).size(), 1U);
  const json::object o = json::parse(r.out).as_object();
  for (const char* key :
       {"year", "provisional", "days_off", "working_saturdays", "tet", "gio_to"}) {
    EXPECT_TRUE(o.contains(key)) << key;
  }
  EXPECT_EQ(o.at("year").as_int64(), 2026);
  EXPECT_FALSE(o.at("provisional").as_bool());
  EXPECT_EQ(strings(o.at("days_off")), kDaysOff2026);
  EXPECT_EQ(strings(o.at("working_saturdays")), kWorkingSaturdays2026);
  EXPECT_EQ(o.at("tet").as_string(), "2026-02-17");
  EXPECT_EQ(o.at("gio_to").as_string(), "2026-04-26");
}

TEST(CalendarCommand, Json2027IsProvisional) {
  const RunResult r = run_with_config({"calendar", "--year", "2027", "--json"});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  const json::object o = json::parse(r.out).as_object();
  EXPECT_EQ(o.at("year").as_int64(), 2027);
  EXPECT_TRUE(o.at("provisional").as_bool());
  EXPECT_EQ(strings(o.at("days_off")), kDaysOff2027);
  EXPECT_TRUE(o.at("working_saturdays").as_array().empty());
  EXPECT_EQ(o.at("tet").as_string(), "2027-02-06");
  EXPECT_EQ(o.at("gio_to").as_string(), "2027-04-16");
}

TEST(CalendarCommand, JsonForEveryOfficialYearMatchesTheSpec) {
  struct Row {
    const char* year;
    std::size_t days_off;
    std::vector<std::string> saturdays;
    const char* tet;
  };
  for (const Row& row :
       {Row{"2021", 11, {}, "2021-02-12"}, Row{"2022", 11, {}, "2022-02-01"},
        Row{"2023", 11, {}, "2023-01-22"}, Row{"2024", 12, {"2024-05-04"}, "2024-02-10"},
        Row{"2025", 12, {"2025-04-26"}, "2025-01-29"}}) {
    SCOPED_TRACE(row.year);
    const RunResult r = run_with_config({"calendar", "--year", row.year, "--json"});
    ASSERT_EQ(r.status, kExitOk) << r.err;
    const json::object o = json::parse(r.out).as_object();
    EXPECT_FALSE(o.at("provisional").as_bool());
    EXPECT_EQ(o.at("days_off").as_array().size(), row.days_off);
    EXPECT_EQ(strings(o.at("working_saturdays")), row.saturdays);
    EXPECT_EQ(o.at("tet").as_string(), row.tet);
  }
}

TEST(CalendarCommand, TextOutputMarksProvisionalYears) {
  const RunResult provisional = run_with_config({"calendar", "--year", "2027"});
  ASSERT_EQ(provisional.status, kExitOk) << provisional.err;
  EXPECT_NE(provisional.out.find("PROVISIONAL"), std::string::npos) << provisional.out;
  EXPECT_NE(provisional.out.find("2027-02-06"), std::string::npos);
  const RunResult official = run_with_config({"calendar", "--year", "2026"});
  ASSERT_EQ(official.status, kExitOk) << official.err;
  EXPECT_EQ(official.out.find("PROVISIONAL"), std::string::npos) << official.out;
  EXPECT_NE(official.out.find("2026-11-24"), std::string::npos);
  EXPECT_NE(official.out.find("2026-01-10"), std::string::npos);
}

TEST(CalendarCommand, FindsTheConfigurationFromTheSourceFolder) {
  const RunResult r = run({"calendar", "--year", "2026", "--json"}, kSourceDir);
  ASSERT_EQ(r.status, kExitOk) << r.err;
  EXPECT_FALSE(json::parse(r.out).as_object().at("provisional").as_bool());
}

// --- The executable: due ---------------------------------------------------------------------

TEST(DueCommand, WorkedExampleAsJson) {
  const RunResult r =
      run_with_config({"due", "--received", "2026-04-24T09:00", "--limit", "3wd", "--json"});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(r.err, "");
  const json::object o = json::parse(r.out).as_object();
  EXPECT_EQ(o.at("due").as_string(), "2026-05-04T09:00:00+07:00");
  EXPECT_EQ(o.at("received").as_string(), "2026-04-24T09:00:00+07:00");
  EXPECT_EQ(o.at("limit").as_string(), "3wd");
  EXPECT_TRUE(o.at("provisional_years").as_array().empty());
}

TEST(DueCommand, OtherExamples) {
  struct Case {
    const char* received;
    const char* limit;
    const char* due;
  };
  for (const Case& c : {Case{"2026-04-24T17:30", "3wd", "2026-05-04T17:00:00+07:00"},
                        Case{"2026-04-28 10:00", "4wh", "2026-04-28T16:00:00+07:00"},
                        Case{"2026-02-13T15:30", "sameday@15:00", "2026-02-23T17:00:00+07:00"},
                        Case{"2026-08-21T16:00", "10d", "2026-09-03T07:00:00+07:00"},
                        Case{"20260424090000", "3wd", "2026-05-04T09:00:00+07:00"}}) {
    SCOPED_TRACE(std::string(c.received) + " " + c.limit);
    const RunResult r =
        run_with_config({"due", "--received", c.received, "--limit", c.limit, "--json"});
    ASSERT_EQ(r.status, kExitOk) << r.err;
    EXPECT_EQ(json::parse(r.out).as_object().at("due").as_string(), c.due);
  }
}

TEST(DueCommand, ProvisionalYearIsReported) {
  const RunResult r =
      run_with_config({"due", "--received", "2026-12-30T09:00", "--limit", "5wd", "--json"});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  const json::object o = json::parse(r.out).as_object();
  // Working days ending at 09:00: 31/12, then 2027 (1/1 off): 4/1, 5/1, 6/1, 7/1.
  EXPECT_EQ(o.at("due").as_string(), "2027-01-07T09:00:00+07:00");
  ASSERT_EQ(o.at("provisional_years").as_array().size(), 1U);
  EXPECT_EQ(o.at("provisional_years").as_array()[0].as_int64(), 2027);
}

// --- The executable: bad arguments -----------------------------------------------------------

TEST(BadArguments, UnknownLimitSyntax) {
  expect_usage_error(run_with_config({"due", "--received", "2026-04-24T09:00", "--limit", "3x"}),
                     {"--limit", "\"3x\""});
}

TEST(BadArguments, ImpossibleDate) {
  expect_usage_error(run_with_config({"due", "--received", "2026-02-30", "--limit", "3wd"}),
                     {"--received", "\"2026-02-30\""});
}

TEST(BadArguments, YearOutOfRange) {
  expect_usage_error(run_with_config({"calendar", "--year", "1800"}), {"--year", "1800"});
  expect_usage_error(run_with_config({"due", "--received", "1800-01-01", "--limit", "3wd"}),
                     {"--received", "1800"});
}

TEST(BadArguments, MissingYear) {
  expect_usage_error(run_with_config({"calendar"}), {"--year"});
}

TEST(BadArguments, UnknownOption) {
  expect_usage_error(run_with_config({"calendar", "--year", "2026", "--bogus"}), {"--bogus"});
  expect_usage_error(
      run_with_config({"due", "--received", "2026-04-24", "--limit", "3wd", "--colour"}),
      {"--colour"});
}

TEST(BadArguments, YearNotANumberAndNoSubcommand) {
  expect_usage_error(run_with_config({"calendar", "--year", "abc"}), {"abc"});
  expect_usage_error(run_with_config({}), {"subcommand"});
}

TEST(BadArguments, UnreadableConfigurationIsAFailureNotAUsageError) {
  const RunResult r = run({"--config", "/nonexistent/tthc.toml", "calendar", "--year", "2026"});
  EXPECT_EQ(r.status, kExitFailure);
  EXPECT_EQ(lines(r.err).size(), 1U) << r.err;
  EXPECT_NE(r.err.find("/nonexistent/tthc.toml"), std::string::npos) << r.err;
}

// --- The commands called directly ------------------------------------------------------------

SourceOptions shipped() {
  SourceOptions src;
  src.config = kConfig;
  return src;
}

TEST(RunCalendar, JsonDirectly) {
  std::ostringstream out;
  std::ostringstream err;
  ASSERT_EQ(run_calendar(shipped(), CalendarCommand{2026, true}, out, err), kExitOk) << err.str();
  EXPECT_EQ(err.str(), "");
  const json::object o = json::parse(out.str()).as_object();
  EXPECT_EQ(o.at("year").as_int64(), 2026);
  EXPECT_FALSE(o.at("provisional").as_bool());
  EXPECT_EQ(strings(o.at("days_off")), kDaysOff2026);
  EXPECT_EQ(strings(o.at("working_saturdays")), kWorkingSaturdays2026);
  EXPECT_EQ(o.at("tet").as_string(), "2026-02-17");
  EXPECT_EQ(o.at("gio_to").as_string(), "2026-04-26");
}

TEST(RunCalendar, OutOfRangeYearDirectly) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(run_calendar(shipped(), CalendarCommand{1800, true}, out, err), kExitUsage);
  EXPECT_EQ(out.str(), "");
  EXPECT_NE(err.str().find("1800"), std::string::npos) << err.str();
  EXPECT_EQ(lines(err.str()).size(), 1U);
}

TEST(RunCalendar, HolidaysFolderOverridesTheConfig) {
  TempDir dir;
  {
    std::ofstream f(dir.path() / "2027.toml");
    f << "year = 2027\ndays_off = [2027-02-05, 2027-02-08]\nworking_saturdays = [2027-02-20]\n";
  }
  SourceOptions src = shipped();
  src.holidays = dir.path();
  std::ostringstream out;
  std::ostringstream err;
  ASSERT_EQ(run_calendar(src, CalendarCommand{2027, true}, out, err), kExitOk) << err.str();
  const json::object o = json::parse(out.str()).as_object();
  EXPECT_FALSE(o.at("provisional").as_bool());
  EXPECT_EQ(strings(o.at("days_off")), (std::vector<std::string>{"2027-02-05", "2027-02-08"}));
  EXPECT_EQ(strings(o.at("working_saturdays")), (std::vector<std::string>{"2027-02-20"}));

  // Without the config's folder, 2026 is now provisional.
  std::ostringstream out2026;
  ASSERT_EQ(run_calendar(src, CalendarCommand{2026, true}, out2026, err), kExitOk) << err.str();
  EXPECT_TRUE(json::parse(out2026.str()).as_object().at("provisional").as_bool());
}

TEST(RunCalendar, BadHolidaysFolderIsAFailure) {
  SourceOptions src = shipped();
  src.holidays = fs::path("/nonexistent/holidays");
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(run_calendar(src, CalendarCommand{2026, true}, out, err), kExitFailure);
  EXPECT_NE(err.str().find("/nonexistent/holidays"), std::string::npos) << err.str();
}

TEST(RunDue, JsonDirectly) {
  std::ostringstream out;
  std::ostringstream err;
  ASSERT_EQ(run_due(shipped(), DueCommand{"2026-04-24T09:00", "3wd", true}, out, err), kExitOk)
      << err.str();
  const json::object o = json::parse(out.str()).as_object();
  EXPECT_EQ(o.at("due").as_string(), "2026-05-04T09:00:00+07:00");
  EXPECT_EQ(o.at("clock_start").as_string(), "2026-04-24T09:00:00+07:00");
}

TEST(RunDue, AfterHoursClockStartDirectly) {
  std::ostringstream out;
  std::ostringstream err;
  ASSERT_EQ(run_due(shipped(), DueCommand{"2026-04-24T17:30", "3wd", true}, out, err), kExitOk)
      << err.str();
  const json::object o = json::parse(out.str()).as_object();
  EXPECT_EQ(o.at("clock_start").as_string(), "2026-04-28T07:00:00+07:00");
  EXPECT_EQ(o.at("due").as_string(), "2026-05-04T17:00:00+07:00");
}

TEST(RunDue, NoLimitMeansNoDue) {
  std::ostringstream out;
  std::ostringstream err;
  ASSERT_EQ(run_due(shipped(), DueCommand{"2026-04-24T09:00", "", true}, out, err), kExitOk)
      << err.str();
  EXPECT_TRUE(json::parse(out.str()).as_object().at("due").is_null());
  std::ostringstream text;
  ASSERT_EQ(run_due(shipped(), DueCommand{"2026-04-24T09:00", "", false}, text, err), kExitOk);
  EXPECT_NE(text.str().find("none"), std::string::npos) << text.str();
}

TEST(RunDue, TextOutput) {
  std::ostringstream out;
  std::ostringstream err;
  ASSERT_EQ(run_due(shipped(), DueCommand{"2026-04-24T09:00", "3wd", false}, out, err), kExitOk);
  EXPECT_NE(out.str().find("2026-05-04T09:00:00+07:00"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find("PROVISIONAL"), std::string::npos) << out.str();
}

TEST(RunDue, BadArgumentsDirectly) {
  {
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(run_due(shipped(), DueCommand{"2026-04-24T09:00", "3x", true}, out, err), kExitUsage);
    EXPECT_EQ(out.str(), "");
    EXPECT_NE(err.str().find("\"3x\""), std::string::npos) << err.str();
    EXPECT_EQ(lines(err.str()).size(), 1U);
  }
  {
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(run_due(shipped(), DueCommand{"2026-02-30", "3wd", true}, out, err), kExitUsage);
    EXPECT_EQ(out.str(), "");
    EXPECT_NE(err.str().find("\"2026-02-30\""), std::string::npos) << err.str();
    EXPECT_EQ(lines(err.str()).size(), 1U);
  }
}

}  // namespace
