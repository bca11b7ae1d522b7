#include "base/backoff.hpp"
#include "base/clock.hpp"
#include "base/json_text.hpp"
#include "base/log.hpp"
#include "base/worker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;

TEST(ManualClock, MovesOnlyWhenToldAndBothTimesTogether) {
  tthc::ManualClock clock;
  clock.set_unix_seconds(1'780'000'000);
  const auto steady = clock.steady();
  EXPECT_EQ(clock.unix_seconds(), 1'780'000'000);
  EXPECT_EQ(clock.unix_seconds(), 1'780'000'000);
  clock.advance(90s);
  EXPECT_EQ(clock.unix_seconds(), 1'780'000'090);
  EXPECT_DOUBLE_EQ(clock.seconds_since(steady), 90.0);
}

TEST(SystemClock, FollowsTheMachine) {
  const auto before = std::chrono::system_clock::now();
  const auto wall = tthc::system_clock().wall();
  EXPECT_GE(wall, before);
  EXPECT_LE(wall - before, 5s);
}

TEST(Log, PassesLevelAndMessageAndNeverThrows) {
  std::vector<std::pair<tthc::LogLevel, std::string>> lines;
  const tthc::Log log(
      [&](tthc::LogLevel level, std::string_view m) { lines.emplace_back(level, std::string(m)); });
  log.warning("w");
  log.error("e");
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0].first, tthc::LogLevel::warning);
  EXPECT_EQ(lines[1].second, "e");

  const tthc::Log throwing([](tthc::LogLevel, std::string_view) { throw std::runtime_error("x"); });
  EXPECT_NO_THROW(throwing.info("m"));
  EXPECT_NO_THROW(tthc::Log{}.error("nobody listens"));
  EXPECT_FALSE(tthc::Log{});

  tthc::Log assigned;
  assigned = [&](tthc::LogLevel, std::string_view m) {
    lines.emplace_back(tthc::LogLevel::info, m);
  };
  assigned.info("assigned");
  EXPECT_EQ(lines.back().second, "assigned");
}

TEST(Worker, WakesOnNotifyAndStopsCleanly) {
  tthc::Worker worker;
  int queued = 0;  // guarded by worker.mutex()
  std::atomic<int> taken{0};
  worker.start([&](tthc::Worker& w) {
    while (w.wait_for(1h, [&] { return queued > 0; })) {
      taken += queued;
      queued = 0;
    }
  });
  worker.notify([&] { queued += 3; });
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (taken < 3 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(taken, 3);
  const auto asked = std::chrono::steady_clock::now();
  worker.stop();  // the body waits an hour unless woken by the stop
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 5s);
  EXPECT_TRUE(worker.stopping());
  worker.stop();  // idempotent
}

TEST(Worker, SleepEndsAtStop) {
  tthc::Worker worker;
  std::atomic<bool> returned{false};
  worker.start([&](tthc::Worker& w) {
    while (w.sleep_for(1h)) {
    }
    returned = true;
  });
  worker.stop();
  EXPECT_TRUE(returned);
}

TEST(Backoff, DoublesUpToTheMaximumWithinTheJitter) {
  const tthc::Backoff b{1000ms, 8000ms};
  EXPECT_EQ(b.delay(1, 0), 500ms);
  EXPECT_EQ(b.delay(1, 500), 1000ms);
  EXPECT_EQ(b.delay(3, 0), 2000ms);
  EXPECT_EQ(b.delay(30, 4000), 8000ms);
}

TEST(JsonText, EscapesQuotesBackslashesAndControlsOnly) {
  EXPECT_EQ(tthc::json_string("Sở \"Tư pháp\"\\"), "\"Sở \\\"Tư pháp\\\"\\\\\"");
  EXPECT_EQ(tthc::json_string(std::string_view("a\nb\x01\x1f", 5)), "\"a\\u000ab\\u0001\\u001f\"");
  EXPECT_EQ(tthc::json_string(""), "\"\"");
  std::string out = "x:";
  tthc::append_json_string(out, "\x7f");
  EXPECT_EQ(out, "x:\"\x7f\"");
}

}  // namespace
