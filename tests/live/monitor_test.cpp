// The monitor's loop against a real store file: a store that cannot be read is retried with
// backoff — a few log lines, not a spinning core — and the state catches up once it reads.
#include "live/monitor.hpp"

#include "store/store.hpp"
#include "support/calendar.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace tthc::live {
namespace {

DossierSnapshot snapshot(std::string code, Status status, Moment at) {
  DossierSnapshot s;
  s.dossier.code = std::move(code);
  s.dossier.procedure_code = "1.000001";
  s.dossier.status = status;
  s.dossier.received = make_moment(2026, 3, 2, 9);
  if (status == Status::Finished) s.dossier.processing_end = at;
  s.freshness = at;
  s.raw = "{}";
  s.content_hash = content_hash(s.dossier.code + std::to_string(status_code(status)));
  return s;
}

// Wall time stopped at one moment, steady time the machine's: the retries wait for real.
class StoppedWallClock final : public Clock {
 public:
  explicit StoppedWallClock(Moment at) : at_(WallTime{std::chrono::seconds{to_unix(at)}}) {}
  WallTime wall() const override { return at_; }
  SteadyTime steady() const override { return std::chrono::steady_clock::now(); }

 private:
  WallTime at_;
};

TEST(Monitor, AStoreThatCannotBeReadIsRetriedWithBackoffNotInALoop) {
  test::TempDir dir;
  const auto db = dir.file("tthc.db");
  auto writer = store::Writer::open(store::Options{db});
  ASSERT_TRUE(writer) << writer.error().message;
  const auto apply = [&](const DossierSnapshot& s) {
    ASSERT_TRUE(writer->apply(std::vector{s}, {}, store::BatchInfo{"test", 1, std::nullopt, 0}));
  };
  apply(snapshot("A-1", Status::InProcess, make_moment(2026, 3, 2, 10)));

  engine::Catalogue catalogue(std::vector<engine::ProcedureRule>{});
  std::mutex m;
  std::vector<std::string> logged;
  MonitorOptions o;
  o.db = db;
  const StoppedWallClock clock(make_moment(2026, 3, 3, 10));
  o.log = Log([&](LogLevel level, std::string_view message) {
    EXPECT_EQ(level, LogLevel::error);
    const std::lock_guard lock(m);
    logged.emplace_back(message);
  });
  o.retry = Backoff{std::chrono::milliseconds(50), std::chrono::milliseconds(200)};
  Monitor monitor(o, clock, catalogue, test::official_calendar(), engine::Settings{}, {});
  monitor.start();
  ASSERT_TRUE(test::await([&] { return monitor.ready(); }, std::chrono::seconds(10)));

  // The file moves away (an operator's mistake): the next change cannot be read.
  std::filesystem::rename(db, dir.file("moved.db"));
  monitor.notify({"A-1"});
  const std::clock_t cpu_before = std::clock();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  // A loop retrying at once would burn the whole 1.5 s of a core; backoff takes next to none.
  EXPECT_LT(static_cast<double>(std::clock() - cpu_before) / CLOCKS_PER_SEC, 0.5);
  {
    const std::lock_guard lock(m);
    ASSERT_EQ(logged.size(), 1U);  // the first failure of the streak, the rest counted
    EXPECT_NE(logged[0].find("retrying with backoff"), std::string::npos) << logged[0];
  }
  // It comes back with the dossier finished: the state catches up, the recovery is told.
  std::filesystem::rename(dir.file("moved.db"), db);
  apply(snapshot("A-1", Status::Finished, make_moment(2026, 3, 3, 9)));
  EXPECT_TRUE(test::await(
      [&] { return monitor.with_state([](const LiveState& s) { return s.held() == 0; }); },
      std::chrono::seconds(10)));
  const std::lock_guard lock(m);
  ASSERT_EQ(logged.size(), 2U);
  EXPECT_NE(logged[1].find("reads again after"), std::string::npos) << logged[1];
}

}  // namespace
}  // namespace tthc::live
