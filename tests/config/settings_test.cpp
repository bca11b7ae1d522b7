#include "config/settings.hpp"

#include "support/calendar.hpp"

#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using tthc::format_date;
using tthc::make_date;
using tthc::config::build_calendar;
using tthc::config::load_holiday_dir;
using tthc::config::load_settings;
using tthc::config::parse_holiday_table;
using tthc::config::parse_settings;
using tthc::config::Settings;
using tthc::engine::JudgeBy;
using tthc::engine::PausePolicy;

// A fresh folder under the system temp directory, removed with everything in it.
using tthc::test::TempDir;

const fs::path kBase = "/etc/tthc-monitor";

Settings parse_ok(std::string_view text) {
  auto s = parse_settings(text, "test.toml", kBase);
  EXPECT_TRUE(s) << (s ? "" : s.error().message);
  return s ? *s : Settings{};
}

// The error must exist and contain every given fragment.
void expect_error(std::string_view text, std::initializer_list<std::string_view> fragments) {
  auto s = parse_settings(text, "test.toml", kBase);
  ASSERT_FALSE(s) << "accepted:\n" << text;
  for (std::string_view f : fragments) {
    EXPECT_NE(s.error().message.find(f), std::string::npos)
        << "\"" << f << "\" missing from: " << s.error().message;
  }
}

// --- The shipped configuration ---------------------------------------------------------------

TEST(ParseSettings, ShippedConfiguration) {
  const fs::path file = tthc::test::source_dir() / "config" / "tthc-monitor.toml";
  auto s = load_settings(file);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->source, file);
  EXPECT_EQ(s->calendar.holidays_dir.lexically_normal(),
            (tthc::test::source_dir() / "config" / "holidays").lexically_normal());
  EXPECT_TRUE(fs::is_directory(s->calendar.holidays_dir));
  EXPECT_EQ(s->calendar.hours, tthc::calendar::WorkingHours::standard());
  EXPECT_EQ(s->engine.pause_policy, PausePolicy::Pause);
  EXPECT_EQ(s->engine.judge_by, JudgeBy::ProcessingEnd);
  EXPECT_EQ(s->engine.due_soon, 8h);

  auto cal = build_calendar(s->calendar);
  ASSERT_TRUE(cal) << cal.error().message;
  EXPECT_FALSE(cal->is_provisional(2026));
  EXPECT_EQ(cal->version(), tthc::test::official_calendar().version());
}

TEST(ParseSettings, DefaultsWhenSectionsAreMissing) {
  const Settings s = parse_ok("");
  EXPECT_EQ(s.calendar.holidays_dir, kBase / "holidays");
  EXPECT_EQ(s.calendar.hours, tthc::calendar::WorkingHours::standard());
  EXPECT_EQ(s.engine.pause_policy, PausePolicy::Pause);
  EXPECT_EQ(s.engine.judge_by, JudgeBy::ProcessingEnd);
  EXPECT_EQ(s.engine.due_soon, 8h);
  EXPECT_TRUE(s.source.empty());

  const Settings only_engine = parse_ok("[engine]\njudge_by = \"return\"\n");
  EXPECT_EQ(only_engine.calendar.holidays_dir, kBase / "holidays");
  EXPECT_EQ(only_engine.calendar.hours, tthc::calendar::WorkingHours::standard());
  EXPECT_EQ(only_engine.engine.judge_by, JudgeBy::Return);
  EXPECT_EQ(only_engine.engine.pause_policy, PausePolicy::Pause);

  const Settings only_calendar = parse_ok("[calendar]\nholidays_dir = \"h\"\n");
  EXPECT_EQ(only_calendar.engine.due_soon, 8h);
  EXPECT_EQ(only_calendar.engine.pause_policy, PausePolicy::Pause);

  const Settings empty_sections = parse_ok("[calendar]\n[engine]\n");
  EXPECT_EQ(empty_sections.calendar.holidays_dir, kBase / "holidays");
  EXPECT_EQ(empty_sections.engine.due_soon, 8h);
}

TEST(ParseSettings, AlternativeValues) {
  const Settings s = parse_ok(
      "[calendar]\n"
      "working_hours = [\"08:00-12:00\"]\n"
      "[engine]\n"
      "pause_policy = \"restart\"\n"
      "judge_by = \"return\"\n"
      "due_soon = \"2wd\"\n");
  EXPECT_EQ(s.engine.pause_policy, PausePolicy::Restart);
  EXPECT_EQ(s.engine.judge_by, JudgeBy::Return);
  ASSERT_EQ(s.calendar.hours.sessions.size(), 1U);
  EXPECT_EQ(s.calendar.hours.sessions[0].start, 8h);
  EXPECT_EQ(s.calendar.hours.sessions[0].end, 12h);
  EXPECT_EQ(s.engine.due_soon, 8h);  // 2 working days of 4 h

  EXPECT_EQ(parse_ok("[engine]\ndue_soon = \"3wh\"\n").engine.due_soon, 3h);
  EXPECT_EQ(parse_ok("[engine]\ndue_soon = \"1wd\"\n").engine.due_soon, 8h);
  EXPECT_EQ(parse_ok("[engine]\ndue_soon = \"3wd\"\n").engine.due_soon, 24h);
  const Settings three =
      parse_ok("[calendar]\nworking_hours = [\"07:30-11:30\", \"13:00-16:30\", \"18:00-19:00\"]\n");
  EXPECT_EQ(tthc::calendar::to_string(three.calendar.hours), "07:30-11:30,13:00-16:30,18:00-19:00");
  EXPECT_EQ(three.calendar.hours.day_length(), 8h + 30min);
}

// --- Unknown keys ----------------------------------------------------------------------------

TEST(ParseSettings, UnknownTopLevelKeyIsAnErrorNamingIt) {
  expect_error("colour = \"blue\"\n", {"\"colour\"", "test.toml"});
  expect_error("[metric]\nport = 9100\n", {"\"metric\""});
  expect_error("[metrics]\nport = 9100\n", {"\"metrics.port\""});
  expect_error("[calendar]\n[Engine]\n", {"\"Engine\""});
}

TEST(ParseSettings, MetricsSectionAndTheReadToken) {
  ::setenv("TTHC_TEST_READ_TOKEN", "s3cret\n", 1);
  auto s = parse_settings(
      "[metrics]\nprovince = \"Ninh Bình\"\non_time_target = 0.9\nreduced_ratio = 0.6\n"
      "[http]\nread_token_env = \"TTHC_TEST_READ_TOKEN\"\n",
      "test.toml", ".");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->metrics.province, "Ninh Bình");
  EXPECT_DOUBLE_EQ(s->metrics.on_time_target, 0.9);
  EXPECT_DOUBLE_EQ(s->metrics.reduced_ratio, 0.6);
  EXPECT_EQ(s->http.read_token, "s3cret");
  expect_error("[metrics]\non_time_target = 1.5\n", {"metrics.on_time_target", "1.5"});
  expect_error("[metrics]\nreduced_ratio = \"70%\"\n", {"metrics.reduced_ratio"});
  expect_error("[http]\nread_token_env = \"TTHC_NOT_SET_ANYWHERE\"\n",
               {"http.read_token_env", "TTHC_NOT_SET_ANYWHERE"});
}

TEST(ParseSettings, MetricsLabelCaps) {
  auto defaults = parse_settings("", "test.toml", ".");
  ASSERT_TRUE(defaults) << defaults.error().message;
  EXPECT_EQ(defaults->metrics.labels.max_units, 1000U);
  EXPECT_EQ(defaults->metrics.labels.max_fields, 300U);
  EXPECT_EQ(defaults->metrics.labels.max_departments, 500U);
  auto s = parse_settings(
      "[metrics]\nmax_units = 200\nmax_fields = 80\nmax_departments = 40\n"
      "max_unit_fields = 900\nmax_unit_departments = 700\n",
      "test.toml", ".");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->metrics.labels.max_units, 200U);
  EXPECT_EQ(s->metrics.labels.max_fields, 80U);
  EXPECT_EQ(s->metrics.labels.max_departments, 40U);
  EXPECT_EQ(s->metrics.labels.max_unit_fields, 900U);
  EXPECT_EQ(s->metrics.labels.max_unit_departments, 700U);
  expect_error("[metrics]\nmax_units = 0\n", {"test.toml:2", "metrics.max_units", "1 to 100000"});
  expect_error("[metrics]\nmax_fields = \"many\"\n", {"metrics.max_fields"});
  expect_error("[metrics]\nmax_unit_departments = 1000000\n", {"metrics.max_unit_departments"});
}

TEST(ParseSettings, UnknownKeyInASectionIsAnErrorNamingIt) {
  expect_error("[calendar]\nholiday_dir = \"h\"\n", {"\"calendar.holiday_dir\"", "test.toml:2"});
  expect_error("[engine]\npause_policy = \"pause\"\npause = \"pause\"\n",
               {"\"engine.pause\"", "test.toml:3"});
  expect_error("[engine]\ndue_soon_hours = 8\n", {"engine.due_soon_hours"});
}

// --- Wrong types -------------------------------------------------------------------------------

TEST(ParseSettings, WrongTypes) {
  expect_error("calendar = 5\n", {"calendar", "table"});
  expect_error("engine = \"pause\"\n", {"engine", "table"});
  expect_error("[calendar]\nholidays_dir = 3\n", {"calendar.holidays_dir", "string"});
  expect_error("[calendar]\nworking_hours = \"07:00-11:30\"\n", {"calendar.working_hours"});
  expect_error("[calendar]\nworking_hours = [7, 11]\n", {"calendar.working_hours", "string"});
  expect_error("[engine]\npause_policy = 1\n", {"engine.pause_policy", "string"});
  expect_error("[engine]\njudge_by = true\n", {"engine.judge_by", "string"});
  expect_error("[engine]\ndue_soon = 8\n", {"engine.due_soon", "string"});
}

// --- Bad values --------------------------------------------------------------------------------

TEST(ParseSettings, BadValuesAreNamed) {
  expect_error("[engine]\npause_policy = \"stop\"\n", {"engine.pause_policy", "\"stop\""});
  expect_error("[engine]\npause_policy = \"Pause\"\n", {"\"Pause\""});
  expect_error("[engine]\njudge_by = \"returned\"\n", {"engine.judge_by", "\"returned\""});
  expect_error("[engine]\ndue_soon = \"8x\"\n", {"engine.due_soon", "\"8x\""});
  expect_error("[engine]\ndue_soon = \"10d\"\n", {"engine.due_soon", "\"10d\""});
  expect_error("[engine]\ndue_soon = \"sameday@15:00\"\n", {"\"sameday@15:00\""});
  expect_error("[engine]\ndue_soon = \"0wh\"\n", {"\"0wh\""});
  expect_error("[calendar]\nworking_hours = [\"07:00-25:00\"]\n",
               {"calendar.working_hours", "25:00"});
  expect_error("[calendar]\nworking_hours = [\"7-11\"]\n", {"calendar.working_hours", "7-11"});
  expect_error("[calendar]\nworking_hours = [\"13:30-17:00\", \"07:00-11:30\"]\n",
               {"calendar.working_hours", "07:00-11:30"});
  expect_error("[calendar]\nworking_hours = [\"11:30-07:00\"]\n", {"11:30-07:00"});
}

// Found by fuzz_settings: an empty key gave its threshold to every dossier without a MaTTHC, and
// a key with spaces around never matched (intake trims procedure codes).
TEST(ParseSettings, DueSoonByProcedureKeysAreProcedureCodes) {
  expect_error("[alerts]\ndue_soon_by_procedure = { \"\" = \"2wd\" }\n",
               {"test.toml", "alerts.due_soon_by_procedure.\"\"", "not a procedure code"});
  expect_error("[alerts]\ndue_soon_by_procedure = { \" 1.004227\" = \"2wd\" }\n",
               {"alerts.due_soon_by_procedure.\" 1.004227\"", "not a procedure code"});
  const Settings s = parse_ok("[alerts]\ndue_soon_by_procedure = { \"1.004227\" = \"2wd\" }\n");
  EXPECT_EQ(s.alerts.rules.due_soon_by_procedure.at("1.004227"), std::chrono::hours{16});
}

TEST(ParseSettings, TomlSyntaxErrorNamesTheFileAndLine) {
  expect_error("[engine]\npause_policy = \"pause\n", {"test.toml:2"});
  expect_error("[engine\n", {"test.toml:1"});
}

// --- Paths -------------------------------------------------------------------------------------

TEST(ParseSettings, RelativeHolidaysDirIsResolvedAgainstTheConfigFolder) {
  EXPECT_EQ(parse_ok("[calendar]\nholidays_dir = \"tables\"\n").calendar.holidays_dir,
            kBase / "tables");
  EXPECT_EQ(parse_ok("[calendar]\nholidays_dir = \"../shared/h\"\n").calendar.holidays_dir,
            kBase / "../shared/h");
  EXPECT_EQ(parse_ok("[calendar]\nholidays_dir = \"/srv/holidays\"\n").calendar.holidays_dir,
            fs::path("/srv/holidays"));
}

TEST(LoadSettings, ResolvesAgainstTheFilesFolder) {
  TempDir dir;
  const fs::path file = dir.write("conf/monitor.toml", "[calendar]\nholidays_dir = \"years\"\n");
  auto s = load_settings(file);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->source, file);
  EXPECT_EQ(s->calendar.holidays_dir, dir.path() / "conf" / "years");
}

TEST(LoadSettings, MissingFileAndErrorsNameTheFile) {
  TempDir dir;
  auto missing = load_settings(dir.path() / "nope.toml");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("nope.toml"), std::string::npos)
      << missing.error().message;

  const fs::path bad = dir.write("bad.toml", "[engine]\njudge_by = \"never\"\n");
  auto s = load_settings(bad);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find(bad.string()), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("\"never\""), std::string::npos) << s.error().message;
}

// --- Holiday tables ----------------------------------------------------------------------------

TEST(ParseHolidayTable, NativeDatesAndStrings) {
  auto t = parse_holiday_table(
      "year = 2030\n"
      "source = \"Thông báo 2030\"\n"
      "days_off = [2030-09-03, \"2030-01-01\", 2030-09-02]\n"
      "working_saturdays = [\"2030-02-09\"]\n",
      "2030.toml");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->year, 2030);
  EXPECT_EQ(t->source, "Thông báo 2030");
  EXPECT_FALSE(t->provisional);
  ASSERT_EQ(t->days_off.size(), 3U);
  EXPECT_EQ(format_date(t->days_off[0]), "2030-01-01");  // sorted
  EXPECT_EQ(format_date(t->days_off[1]), "2030-09-02");
  EXPECT_EQ(format_date(t->days_off[2]), "2030-09-03");
  ASSERT_EQ(t->working_saturdays.size(), 1U);
  EXPECT_EQ(t->working_saturdays[0], make_date(2030, 2, 9));

  auto minimal = parse_holiday_table("year = 2031\n", "2031.toml");
  ASSERT_TRUE(minimal) << minimal.error().message;
  EXPECT_TRUE(minimal->days_off.empty());
  EXPECT_TRUE(minimal->working_saturdays.empty());
}

void expect_table_error(std::string_view text, std::initializer_list<std::string_view> fragments) {
  auto t = parse_holiday_table(text, "y.toml");
  ASSERT_FALSE(t) << "accepted:\n" << text;
  for (std::string_view f : fragments) {
    EXPECT_NE(t.error().message.find(f), std::string::npos)
        << "\"" << f << "\" missing from: " << t.error().message;
  }
}

TEST(ParseHolidayTable, Errors) {
  expect_table_error("year = 2030\ndays_off = [\"2030-02-30\"]\n", {"y.toml", "2030-02-30"});
  expect_table_error("year = 2030\ndays_off = [\"30/04/2030\"]\n", {"y.toml", "30/04/2030"});
  expect_table_error("year = 2030\ndays_off = [2030-02-30]\n", {"y.toml"});
  expect_table_error("days_off = [\"2030-01-01\"]\n", {"y.toml", "year"});
  expect_table_error("year = \"2030\"\n", {"y.toml", "year"});
  expect_table_error("year = 2030\ndays_off = \"2030-01-01\"\n", {"days_off"});
  expect_table_error("year = 2030\ndays_off = [1]\n", {"days_off"});
  expect_table_error("year = 2030\nsource = 1\n", {"source"});
  expect_table_error("year = 2030\nholidays = []\n", {"\"holidays\""});
  // validate_table's rules, with the file named.
  expect_table_error("year = 2030\ndays_off = [2030-02-02]\n", {"y.toml", "2030-02-02"});
  expect_table_error("year = 2030\nworking_saturdays = [2030-02-08]\n", {"y.toml", "2030-02-08"});
  expect_table_error("year = 2030\ndays_off = [2031-01-01]\n", {"y.toml", "2031-01-01"});
  expect_table_error("year = 1800\n", {"y.toml", "1800"});
  // 2026 + 2^32: not read as 2026 once narrowed to an int.
  expect_table_error("year = 4294969322\n", {"y.toml", "4294969322"});
  expect_table_error("year = -9223372036854775808\n", {"y.toml", "-9223372036854775808"});
}

TEST(LoadHolidayDir, ShippedFolder) {
  auto tables = load_holiday_dir(tthc::test::source_dir() / "config" / "holidays");
  ASSERT_TRUE(tables) << tables.error().message;
  ASSERT_EQ(tables->size(), 6U);
  for (std::size_t i = 0; i < tables->size(); ++i) {
    EXPECT_EQ((*tables)[i].year, 2021 + static_cast<int>(i));
  }
}

TEST(LoadHolidayDir, YearOrderIgnoresOtherFilesAndEmptyFolder) {
  TempDir dir;
  auto empty = load_holiday_dir(dir.path());
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_TRUE(empty->empty());

  dir.write("a-later.toml", "year = 2031\n");
  dir.write("b-earlier.toml", "year = 2030\n");
  dir.write("README.md", "not a table = at all [");
  dir.write("2032.toml.bak", "garbage [");
  auto tables = load_holiday_dir(dir.path());
  ASSERT_TRUE(tables) << tables.error().message;
  ASSERT_EQ(tables->size(), 2U);
  EXPECT_EQ((*tables)[0].year, 2030);
  EXPECT_EQ((*tables)[1].year, 2031);
}

TEST(LoadHolidayDir, Errors) {
  TempDir dir;
  auto missing = load_holiday_dir(dir.path() / "absent");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("absent"), std::string::npos) << missing.error().message;

  dir.write("one.toml", "year = 2030\n");
  dir.write("two.toml", "year = 2030\ndays_off = [2030-01-01]\n");
  auto twice = load_holiday_dir(dir.path());
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("2030"), std::string::npos) << twice.error().message;
  EXPECT_NE(twice.error().message.find("two"), std::string::npos) << twice.error().message;

  TempDir other;
  const fs::path bad = other.write("2030.toml", "year = 2030\ndays_off = [\"2030-13-01\"]\n");
  auto r = load_holiday_dir(other.path());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find(bad.string()), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("2030-13-01"), std::string::npos) << r.error().message;
}

// --- build_calendar ----------------------------------------------------------------------------

TEST(BuildCalendar, FromATempFolder) {
  TempDir dir;
  // An official 2030 table that adds Tuesday 5/3 and works Saturday 9/2.
  dir.write("2030.toml",
            "year = 2030\n"
            "days_off = [2030-01-01, 2030-03-05]\n"
            "working_saturdays = [2030-02-09]\n");
  tthc::config::CalendarSettings s;
  s.holidays_dir = dir.path();
  s.hours = tthc::calendar::WorkingHours{{tthc::calendar::Session{8h, 16h}}};
  auto cal = build_calendar(s);
  ASSERT_TRUE(cal) << cal.error().message;
  EXPECT_FALSE(cal->is_provisional(2030));
  EXPECT_TRUE(cal->is_provisional(2031));
  EXPECT_TRUE(cal->is_provisional(2026));  // not in this folder
  EXPECT_FALSE(cal->is_working_day(make_date(2030, 3, 5)));
  EXPECT_TRUE(cal->is_working_day(make_date(2030, 2, 9)));
  // The official table replaces the provisional one: Tết days are working days in it.
  EXPECT_TRUE(cal->is_working_day(make_date(2030, 2, 4)));
  EXPECT_EQ(cal->day_length(), 8h);
  EXPECT_EQ(tthc::calendar::to_string(cal->hours()), "08:00-16:00");
  EXPECT_EQ(cal->version().rfind("2030-2030@", 0), 0U) << cal->version();

  s.holidays_dir = dir.path() / "missing";
  EXPECT_FALSE(build_calendar(s));

  dir.write("bad.toml", "year = 2031\ndays_off = [2031-01-04]\n");  // a Saturday
  s.holidays_dir = dir.path();
  auto bad = build_calendar(s);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("2031-01-04"), std::string::npos) << bad.error().message;
}

}  // namespace

namespace {

TEST(ParseSettings, StoreHttpWebhookAndPollerSections) {
  TempDir dir;
  dir.write("token.txt", "s3cr3t\n");
  const std::string text = R"(
[store]
path = "db/monitor.db"
durable_commits = true
[http]
listen = "0.0.0.0:9090"
body_limit = "512KiB"
max_connections = 4096
max_connections_per_client = 256
reserve_connections = 0
header_timeout = "5s"
[webhook]
signature_header = "X-Hub-Signature"
secret_file = "token.txt"
signature_tolerance = "2m"
require_timestamp = true
[poller]
enabled = true
url = "https://motcua.example/api/hoso"
page_size = 200
interval = "2m"
timeout = "1500ms"
auth = "bearer"
secret_file = "token.txt"
ca_file = "ca.pem"
)";
  auto s = parse_settings(text, "t.toml", dir.path());
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->store.path, dir.path() / "db/monitor.db");
  EXPECT_TRUE(s->store.durable_commits);
  EXPECT_EQ(s->http.server.address, "0.0.0.0");
  EXPECT_EQ(s->http.server.port, 9090);
  EXPECT_EQ(s->http.server.body_limit, 512U * 1024U);
  EXPECT_EQ(s->http.server.max_connections, 4096U);
  EXPECT_EQ(s->http.server.max_connections_per_client, 256U);
  EXPECT_EQ(s->http.server.reserve_connections, 0U);
  EXPECT_EQ(s->http.server.header_timeout, std::chrono::seconds(5));
  EXPECT_EQ(s->webhook.signature_header, "x-hub-signature");
  EXPECT_EQ(s->webhook.secret, "s3cr3t");
  EXPECT_EQ(s->webhook.signature_tolerance, std::chrono::minutes(2));
  EXPECT_TRUE(s->webhook.require_timestamp);
  EXPECT_TRUE(s->poller.enabled);
  EXPECT_EQ(s->poller.options.page_size, 200U);
  EXPECT_EQ(s->poller.options.interval, std::chrono::minutes(2));
  EXPECT_EQ(s->poller.options.timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(s->poller.options.secret, "s3cr3t");
  EXPECT_EQ(s->poller.options.ca_file, dir.path() / "ca.pem");
}

// Each section lands in its module's options: the auth parsed to its enum once, the page
// paths in the page shapes, the alert settings split between the rules and the dispatcher.
TEST(ParseSettings, SectionsLandInTheModulesOptions) {
  TempDir dir;
  { std::ofstream(dir.path() / "token.txt") << "s3cr3t\n"; }
  const std::string text = R"([poller]
auth = "api_key"
secret_file = "token.txt"
records_path = "items"
next_cursor_path = ""
has_more_path = "more"
progress_records_path = "entries"
[alerts]
dossier_url = "https://board.example/{code}"
resend_interval = "2m"
alertmanager = ["http://127.0.0.1:9093"]
[[alerts.webhook]]
url = "http://127.0.0.1:9000/hook"
max_attempts = 3
)";
  auto s = parse_settings(text, "t.toml", dir.path());
  ASSERT_TRUE(s) << s.error().message;
  const auto& p = s->poller.options;
  EXPECT_EQ(p.auth, tthc::ingest::PollerOptions::Auth::ApiKey);
  EXPECT_EQ(p.shape.records, "items");
  EXPECT_EQ(p.shape.next_cursor, "");
  EXPECT_EQ(p.shape.has_more, "more");
  EXPECT_EQ(p.progress_shape.records, "entries");
  EXPECT_EQ(s->alerts.rules.dossier_url, "https://board.example/{code}");
  EXPECT_EQ(s->alerts.delivery.resend_interval, std::chrono::minutes(2));
  ASSERT_EQ(s->alerts.delivery.alertmanager_urls.size(), 1U);
  ASSERT_EQ(s->alerts.delivery.webhooks.size(), 1U);
  EXPECT_EQ(s->alerts.delivery.webhooks[0].max_attempts, 3);
  EXPECT_FALSE(s->alerts.delivery.webhooks[0].secret);

  // Unset: the daemon's defaults, an empty dossier_url (the dossier API on http.listen).
  const Settings d = parse_ok("");
  EXPECT_EQ(d.poller.options.auth, tthc::ingest::PollerOptions::Auth::None);
  EXPECT_EQ(d.http.server.port, 8080);
  EXPECT_EQ(d.alerts.rules.dossier_url, "");
  EXPECT_EQ(d.alerts.rules.due_soon, d.calendar.hours.day_length());
}

TEST(ParseSettings, EnumErrorsListTheNames) {
  auto err = [](const std::string& text) {
    auto s = parse_settings(text, "t.toml", kBase);
    return s ? std::string("(accepted)") : s.error().message;
  };
  EXPECT_EQ(err("[poller]\nauth = \"kerberos\"\n"),
            "t.toml: poller.auth: \"kerberos\" is not one of none, bearer, api_key, basic");
  EXPECT_EQ(err("[poller]\nauth = \"basic\"\n"),
            "t.toml: poller.auth = \"basic\" needs secret_file or secret_env");
  EXPECT_EQ(err("[engine]\npause_policy = \"stop\"\n"),
            "t.toml:2: engine.pause_policy: \"stop\" is not one of pause, restart");
  EXPECT_EQ(err("[engine]\njudge_by = \"end\"\n"),
            "t.toml:2: engine.judge_by: \"end\" is not one of processing_end, return");
  EXPECT_EQ(err("[[alerts.webhook]]\nmax_attempts = 3\n"),
            "t.toml:1: alerts.webhook: url is missing");
}

TEST(ParseSettings, PollerAndIntakeErrorsNameTheSetting) {
  TempDir dir;
  auto err = [&](const std::string& text) {
    auto s = parse_settings(text, "t.toml", dir.path());
    return s ? std::string("(accepted)") : s.error().message;
  };
  EXPECT_NE(
      err("[poller]\ninterval = \"soon\"\n").find("poller.interval: not a duration: \"soon\""),
      std::string::npos);
  EXPECT_NE(err("[poller]\nauth = \"kerberos\"\n").find("\"kerberos\""), std::string::npos);
  EXPECT_NE(err("[poller]\nauth = \"bearer\"\n").find("needs secret_file or secret_env"),
            std::string::npos);
  EXPECT_NE(err("[poller]\nenabled = true\nurl = \"ftp://x\"\n").find("poller.url"),
            std::string::npos);
  EXPECT_NE(err("[poller]\npage_size = 0\n").find("poller.page_size"), std::string::npos);
  EXPECT_NE(err("[poller]\nsecret_env = \"TTHC_TEST_SURELY_UNSET\"\n").find("is not set"),
            std::string::npos);
  EXPECT_NE(err("[http]\nlisten = \"8080\"\n").find("http.listen"), std::string::npos);
  EXPECT_NE(err("[http]\nbody_limit = \"8GB\"\n").find("http.body_limit"), std::string::npos);
  EXPECT_NE(err("[http]\nmax_connections = 0\n")
                .find("http.max_connections: expected a number from 1 to 1000000"),
            std::string::npos);
  EXPECT_NE(
      err("[http]\nmax_connections_per_client = \"64\"\n").find("http.max_connections_per_client"),
      std::string::npos);
  EXPECT_NE(err("[http]\nreserve_connections = 5000\n").find("http.reserve_connections"),
            std::string::npos);
  EXPECT_NE(err("[http]\nheader_timeout = \"10\"\n").find("http.header_timeout: not a duration"),
            std::string::npos);
  EXPECT_NE(err("[store]\ndurable_commits = \"yes\"\n").find("store.durable_commits"),
            std::string::npos);
  EXPECT_NE(err("[webhook]\nsignature_tolerance = \"500ms\"\n").find("webhook.signature_tolerance"),
            std::string::npos);
  EXPECT_NE(err("[webhook]\nrequire_timestamp = 1\n").find("webhook.require_timestamp"),
            std::string::npos);
  // The secret itself never appears in an error.
  dir.write("empty.txt", "\n");
  EXPECT_EQ(err("[webhook]\nsecret_file = \"empty.txt\"\n").find("\n"), std::string::npos);
}

}  // namespace
