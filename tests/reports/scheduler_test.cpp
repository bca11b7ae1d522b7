// The daemon's monthly snapshots: due the day after the period's last day at the hour, the
// missing closed months made at start-up (back to the first receipt, at most the backfill),
// never overwritten, a failure retried; the thread with a fake clock.
#include "reports/scheduler.hpp"

#include "reports/snapshot.hpp"
#include "support/moments.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

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
  EXPECT_EQ(s.catch_up(at(2026, 4, 1, 5, 59)),
            (std::vector<std::string>{"2025-12", "2026-01", "2026-02"}));
  EXPECT_FALSE(exists("2026-03"));
  EXPECT_FALSE(exists("2025-11"));  // beyond the backfill of 3 months
  EXPECT_EQ(s.catch_up(at(2026, 4, 1, 6)), (std::vector<std::string>{"2026-03"}));
  EXPECT_TRUE(exists("2026-03"));
  EXPECT_TRUE(fs::exists(dir_.path() / "reports" / "2026-03" / "manifest.json"));
  EXPECT_TRUE(fs::exists(dir_.path() / "reports" / "2026-03" / "index766.xlsx"));
  // Nothing is built or written again.
  built_.clear();
  EXPECT_TRUE(s.catch_up(at(2026, 4, 20)).empty());
  EXPECT_TRUE(built_.empty());
  EXPECT_EQ(s.written(), 4U);
  EXPECT_EQ(s.due(period_of(2026, 3, 15)), at(2026, 3, 15, 6));
}

TEST_F(SchedulerTest, NothingBeforeTheFirstReceiptAndFailuresAreRetried) {
  first_.reset();  // an empty store
  Scheduler s(options(), clock_);
  EXPECT_TRUE(s.catch_up(at(2026, 4, 2)).empty());
  first_ = at(2026, 3, 31, 16);
  fail_ = true;
  EXPECT_TRUE(s.catch_up(at(2026, 4, 2)).empty());
  ASSERT_EQ(errors_.size(), 1U);
  EXPECT_EQ(errors_[0], "reports 2026-03: store busy");
  EXPECT_FALSE(exists("2026-03"));
  EXPECT_FALSE(exists(".2026-03.partial"));
  fail_ = false;
  EXPECT_EQ(s.catch_up(at(2026, 4, 2)), (std::vector<std::string>{"2026-03"}));
}

TEST_F(SchedulerTest, AnExistingSnapshotIsKept) {
  fs::create_directories(dir_.path() / "reports" / "2026-03");
  Scheduler s(options(), clock_);
  EXPECT_EQ(s.catch_up(at(2026, 4, 2)), (std::vector<std::string>{"2026-01", "2026-02"}));
  EXPECT_TRUE(fs::is_empty(dir_.path() / "reports" / "2026-03"));
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
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds{10}, [&] { return written.size() == 2; }));
    EXPECT_TRUE(written[1].starts_with("reports 2026-03 written")) << written[1];
  }
  s.stop();
  EXPECT_EQ(s.written(), 2U);
}

}  // namespace
}  // namespace tthc::reports
