// The daemon's snapshots: a month's due the day after the period's last day at the hour, with
// those of the quarter, half-year and year closing with it; the missing closed ones made at
// start-up (back to the first receipt, at most the backfill), never overwritten, a failure
// retried; the thread with a fake clock.
#include "reports/scheduler.hpp"

#include "reports/snapshot.hpp"
#include "support/moments.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>

namespace tthc::reports {
namespace {

namespace fs = std::filesystem;

using test::at;

// An empty report of the period, judged at its end: what matters here is when and which.
Reports empty_reports(const Period& p) {
  Reports r;
  Inputs in;
  in.period = p;
  in.as_of = p.end;
  in.calendar_version = "test";
  r.results.inputs = r.reduction.inputs = r.index766.inputs = in;
  return r;
}

class SchedulerTest : public ::testing::Test {
 protected:
  SchedulerOptions options() {
    SchedulerOptions o;
    o.dir = dir_.path() / "reports";
    o.hour = 6;
    o.backfill_months = 3;
    o.build = [this](const Period& p) -> Result<Reports> {
      built_.push_back(p.label());
      if (fail_) return Error{"store busy"};
      return empty_reports(p);
    };
    o.first_receipt = [this] { return Result<std::optional<Moment>>(first_); };
    o.log = Log([this](LogLevel level, std::string_view m) {
      if (level == LogLevel::error) errors_.emplace_back(m);
    });
    return o;
  }
  bool exists(const std::string& month) { return fs::exists(dir_.path() / "reports" / month); }

  test::TempDir dir_;
  ManualClock clock_;
  std::vector<std::string> built_, errors_;
  std::optional<Moment> first_ = at(2025, 11, 20, 9);
  bool fail_ = false;
};

TEST_F(SchedulerTest, WritesTheClosedMonthTheNextDayAtTheHour) {
  Scheduler s(options(), clock_);
  // March closes 1/4 00:00; its reports are due 1/4 06:00. Back to the first receipt (11/2025).
  // December closes the fourth quarter, the second half and the year with it.
  EXPECT_EQ(
      s.catch_up(at(2026, 4, 1, 5, 59)),
      (std::vector<std::string>{"2025-12", "2025-Q4", "2025-H2", "2025", "2026-01", "2026-02"}));
  EXPECT_FALSE(exists("2026-03"));
  EXPECT_FALSE(exists("2026-Q1"));
  EXPECT_FALSE(exists("2025-11"));  // beyond the backfill of 3 months
  EXPECT_EQ(s.catch_up(at(2026, 4, 1, 6)), (std::vector<std::string>{"2026-03", "2026-Q1"}));
  EXPECT_TRUE(exists("2026-03"));
  EXPECT_TRUE(fs::exists(dir_.path() / "reports" / "2026-Q1" / "results.xlsx"));
  EXPECT_TRUE(fs::exists(dir_.path() / "reports" / "2025" / "manifest.json"));
  EXPECT_TRUE(fs::exists(dir_.path() / "reports" / "2026-03" / "manifest.json"));
  EXPECT_TRUE(fs::exists(dir_.path() / "reports" / "2026-03" / "index766.xlsx"));
  // Nothing is built or written again.
  built_.clear();
  EXPECT_TRUE(s.catch_up(at(2026, 4, 20)).empty());
  EXPECT_TRUE(built_.empty());
  EXPECT_EQ(s.written(), 8U);
  EXPECT_EQ(s.due(period_of(2026, 3, 15)), at(2026, 3, 15, 6));
}

// With the 15th-to-14th cut-off the year 2025 runs from 15/12/2024 to 14/12/2025: its snapshot
// is due with December's, on 15/12 at the hour, and its manifest says which period it holds.
TEST_F(SchedulerTest, TheYearClosesWithItsLastMonthUnderAStartDay) {
  SchedulerOptions o = options();
  o.period_start_day = 15;
  o.backfill_months = 1;
  first_ = at(2025, 10, 1);
  Scheduler s(o, clock_);
  EXPECT_EQ(s.catch_up(at(2025, 12, 15, 5)), (std::vector<std::string>{"2025-11"}));
  EXPECT_EQ(s.catch_up(at(2025, 12, 15, 6)),
            (std::vector<std::string>{"2025-12", "2025-Q4", "2025-H2", "2025"}));
  std::ifstream in(dir_.path() / "reports" / "2025" / "manifest.json");
  std::stringstream manifest;
  manifest << in.rdbuf();
  EXPECT_NE(
      manifest.str().find("\"period\": {\"kind\": \"year\", \"label\": \"2025\", "
                          "\"first_month\": \"2025-01\", \"last_month\": \"2025-12\", "
                          "\"from\": \"2024-12-15T00:00:00+07:00\", "
                          "\"to\": \"2025-12-15T00:00:00+07:00\", \"last_day\": \"2025-12-14\""),
      std::string::npos)
      << manifest.str();
}

TEST_F(SchedulerTest, NothingBeforeTheFirstReceiptAndFailuresAreRetried) {
  first_.reset();  // an empty store
  Scheduler s(options(), clock_);
  EXPECT_TRUE(s.catch_up(at(2026, 4, 2)).empty());
  first_ = at(2026, 3, 31, 16);
  fail_ = true;
  EXPECT_TRUE(s.catch_up(at(2026, 4, 2)).empty());
  ASSERT_EQ(errors_.size(), 2U);
  EXPECT_EQ(errors_[0], "reports 2026-03: store busy");
  EXPECT_EQ(errors_[1], "reports 2026-Q1: store busy");
  EXPECT_FALSE(exists("2026-03"));
  EXPECT_FALSE(exists(".2026-03.partial"));
  EXPECT_FALSE(exists("2026-Q1"));
  fail_ = false;
  EXPECT_EQ(s.catch_up(at(2026, 4, 2)), (std::vector<std::string>{"2026-03", "2026-Q1"}));
}

TEST_F(SchedulerTest, AnExistingSnapshotIsKept) {
  fs::create_directories(dir_.path() / "reports" / "2026-03");
  fs::create_directories(dir_.path() / "reports" / "2025");
  SchedulerOptions o = options();
  o.backfill_months = 4;  // back to December: the year 2025 closes with it
  Scheduler s(o, clock_);
  EXPECT_EQ(
      s.catch_up(at(2026, 4, 2)),
      (std::vector<std::string>{"2025-12", "2025-Q4", "2025-H2", "2026-01", "2026-02", "2026-Q1"}));
  EXPECT_TRUE(fs::is_empty(dir_.path() / "reports" / "2026-03"));
  EXPECT_TRUE(fs::is_empty(dir_.path() / "reports" / "2025"));
}

TEST_F(SchedulerTest, TheThreadWritesWhenTheClockSaysSo) {
  std::mutex m;
  std::condition_variable cv;
  clock_.set_unix_seconds(to_unix(at(2026, 3, 31, 23)));
  std::vector<std::string> written;
  SchedulerOptions o = options();
  o.backfill_months = 1;
  o.recheck = std::chrono::milliseconds{5};
  o.log = Log([&](LogLevel level, std::string_view message) {
    std::lock_guard lock(m);
    written.push_back((level == LogLevel::error ? "error: " : "") + std::string(message));
    cv.notify_all();
  });
  Scheduler s(o, clock_);
  s.start();
  {
    std::unique_lock lock(m);
    // February's snapshot first (due since 1/3 06:00)...
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds{10}, [&] { return written.size() == 1; }));
    EXPECT_TRUE(written[0].starts_with("reports 2026-02 written")) << written[0];
    // ...then March's once the clock passes 1/4 06:00.
    clock_.set_unix_seconds(to_unix(at(2026, 4, 1, 6)));
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds{10}, [&] { return written.size() == 3; }));
    EXPECT_TRUE(written[1].starts_with("reports 2026-03 written")) << written[1];
    EXPECT_TRUE(written[2].starts_with("reports 2026-Q1 written")) << written[2];
  }
  s.stop();
  EXPECT_EQ(s.written(), 3U);
}

}  // namespace
}  // namespace tthc::reports
