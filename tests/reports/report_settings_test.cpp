// The [reports] section of the configuration: values, defaults, and errors that name the key.
#include "config/settings.hpp"

#include <gtest/gtest.h>

namespace tthc::config {
namespace {

TEST(ReportSettings, ReadsTheSectionAndRefusesWhatItDoesNotKnow) {
  const auto defaults = parse_settings("", "t.toml", "/etc/tthc").value();
  EXPECT_EQ(defaults.reports.dir, std::filesystem::path("/etc/tthc/../data/reports"));
  EXPECT_EQ(defaults.reports.hour, 6);
  EXPECT_EQ(defaults.reports.period_start_day, 1);
  EXPECT_EQ(defaults.reports.backfill_months, 12);

  const auto s = parse_settings(
      "[reports]\ndir = \"snap\"\nhour = 7\nperiod_start_day = 15\nbackfill_months = 0\n", "t.toml",
      "/etc/tthc");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->reports.dir, std::filesystem::path("/etc/tthc/snap"));
  EXPECT_EQ(s->reports.hour, 7);
  EXPECT_EQ(s->reports.period_start_day, 15);
  EXPECT_EQ(s->reports.backfill_months, 0);
  EXPECT_TRUE(
      parse_settings("[reports]\ndir = \"\"\n", "t.toml", "/x").value().reports.dir.empty());

  const auto unknown = parse_settings("[reports]\nhours = 6\n", "t.toml", "/x");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "t.toml:2: unknown setting \"reports.hours\"");
  const auto day = parse_settings("[reports]\nperiod_start_day = 29\n", "t.toml", "/x");
  ASSERT_FALSE(day);
  EXPECT_EQ(day.error().message,
            "t.toml:2: reports.period_start_day: expected a number from 1 to 28");
  EXPECT_FALSE(parse_settings("[reports]\nhour = \"6\"\n", "t.toml", "/x"));
  EXPECT_FALSE(parse_settings("reports = 1\n", "t.toml", "/x"));
}

}  // namespace
}  // namespace tthc::config
