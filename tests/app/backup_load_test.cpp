// `backup` while the daemon takes webhook load: the copy passes the integrity check and holds
// every record acknowledged before it began; restored elsewhere it opens as a store. Prints the
// webhook's latency with and without a backup running beside it.
#include "store/backup.hpp"
#include "store/store.hpp"
#include "support/backup_fixture.hpp"
#include "support/process.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tthc {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kPreloaded = 30'000;  // imported before the daemon starts: a copy of many steps
constexpr int kBatch = 100;

// Posts batches one after the other until stopped; remembers when each was acknowledged.
class Load {
 public:
  explicit Load(std::uint16_t port) : port_(port) {
    thread_ = std::thread([this] {
      for (int first = kPreloaded; !stop_; first += kBatch) {
        const auto sent = Clock::now();
        if (!test::post_dossiers(port_, first, kBatch)) {
          failed_ = true;
          return;
        }
        const auto done = Clock::now();
        std::lock_guard lock(m_);
        acks_.push_back({sent, done, first + kBatch});
      }
    });
  }
  ~Load() { finish(); }
  void finish() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  /// Dossiers acknowledged (numbered below this) by `t`.
  int acknowledged_by(Clock::time_point t) {
    std::lock_guard lock(m_);
    int n = kPreloaded;
    for (const auto& a : acks_) {
      if (a.done <= t) n = std::max(n, a.end);
    }
    return n;
  }
  /// Median and 99th percentile (ms) of the requests sent within [from, to).
  std::pair<double, double> latency(Clock::time_point from, Clock::time_point to) {
    std::vector<double> ms;
    std::lock_guard lock(m_);
    for (const auto& a : acks_) {
      if (a.sent >= from && a.sent < to) {
        ms.push_back(std::chrono::duration<double, std::milli>(a.done - a.sent).count());
      }
    }
    if (ms.empty()) return {0, 0};
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]};
  }
  bool failed() const { return failed_; }

 private:
  struct Ack {
    Clock::time_point sent, done;
    int end;
  };
  std::uint16_t port_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> failed_{false};
  std::mutex m_;
  std::vector<Ack> acks_;
  std::thread thread_;
};

TEST(BackupUnderLoad, HoldsEveryAcknowledgedRecordAndPassesTheIntegrityCheck) {
  test::TempDir dir;
  const std::string config = test::backup_config(dir, "live.toml");
  {
    std::ofstream lines(dir.file("preload.jsonl"), std::ios::binary);
    for (int i = 0; i < kPreloaded; ++i) lines << test::mc_dossier(i) << "\n";
  }
  const auto imported = test::run_process(
      TTHC_EXECUTABLE, {"import", dir.file("preload.jsonl").string(), "--config", config},
      TTHC_SOURCE_DIR);
  ASSERT_EQ(imported.status, 0) << imported.err;

  test::Daemon daemon(TTHC_EXECUTABLE, {"run", "--config", config}, TTHC_SOURCE_DIR);
  ASSERT_GT(daemon.port(), 0) << daemon.first_line();
  Load load(daemon.port());
  std::this_thread::sleep_for(std::chrono::seconds(2));  // load alone: the baseline latency
  const auto began = Clock::now();
  const int acknowledged = load.acknowledged_by(began);
  const auto backup = test::run_process(TTHC_EXECUTABLE,
                                        {"backup", dir.file("backup").string(), "--config", config},
                                        TTHC_SOURCE_DIR);
  const auto ended = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  load.finish();
  ASSERT_FALSE(load.failed());
  ASSERT_EQ(backup.status, 0) << backup.err;
  EXPECT_GT(load.acknowledged_by(ended), acknowledged) << "the load went on during the backup";

  const auto [base_p50, base_p99] = load.latency(began - std::chrono::seconds(2), began);
  const auto [during_p50, during_p99] = load.latency(began, ended);
  std::printf(
      "backup: %.2f s, %s\nwebhook (%d records a request): without a backup p50 %.1f ms "
      "p99 %.1f ms; during it p50 %.1f ms p99 %.1f ms\n",
      std::chrono::duration<double>(ended - began).count(), backup.out.c_str(), kBatch, base_p50,
      base_p99, during_p50, during_p99);

  const fs::path copy = dir.file("backup/tthc-monitor.db");
  EXPECT_FALSE(store::check_integrity(copy));
  EXPECT_FALSE(store::check_integrity(dir.file("backup/alerts.db")));
  auto reader = store::Reader::open(copy).value();
  EXPECT_GE(reader.totals().value().dossiers, acknowledged);
  int missing = 0;
  for (int i = 0; i < acknowledged; i += 7) {  // a sample across the whole range
    if (!reader.timeline(test::mc_code(i)).value()) ++missing;
  }
  EXPECT_EQ(missing, 0);
  for (int i = std::max(kPreloaded, acknowledged - kBatch); i < acknowledged; ++i) {
    EXPECT_TRUE(reader.timeline(test::mc_code(i)).value()) << i << " was acknowledged before";
  }
  EXPECT_EQ(daemon.stop(), 0);

  const std::string fresh = test::backup_config(dir, "fresh.toml", "fresh");
  const auto restored = test::run_process(
      TTHC_EXECUTABLE, {"restore", dir.file("backup").string(), "--config", fresh},
      TTHC_SOURCE_DIR);
  ASSERT_EQ(restored.status, 0) << restored.err;
  EXPECT_EQ(store::Reader::open(dir.file("fresh/d.db")).value().totals().value().dossiers,
            reader.totals().value().dossiers);
}

}  // namespace
}  // namespace tthc
