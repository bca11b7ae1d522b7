#pragma once
// The daemon's periodic reports: once a month has closed — the day after its last day, at the
// configured hour — its reports are built as of the period's end and written as a snapshot
// (snapshot.hpp); so are those of the quarter, half-year and year that close with it (the third,
// sixth and twelfth month: the same E, so due at the same moment), written after the month's. At
// start-up it also writes the closed periods that are missing (those closing with the latest
// `backfill_months` months, none that ended before the store's first receipt). An existing
// snapshot is never overwritten.
//
// Thread-safe: start and stop from the owner; catch_up may be called from tests without start.

#include "base/clock.hpp"
#include "base/log.hpp"
#include "base/result.hpp"
#include "base/worker.hpp"
#include "reports/model.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tthc::reports {

struct SchedulerOptions {
  std::filesystem::path dir;  ///< [reports] dir
  int hour = 6;               ///< [reports] hour: the snapshot is written at this hour
  int period_start_day = 1;   ///< [reports] period_start_day
  int backfill_months = 12;   ///< [reports] backfill_months: how far back missing ones are made
  /// The reports of a period judged as of its end (reads the store).
  std::function<Result<Reports>(const Period&)> build;
  /// The earliest NgayTiepNhan in the store; none: the store is empty.
  std::function<Result<std::optional<Moment>>()> first_receipt;
  /// Told of each snapshot written (info) and of each failure (error).
  Log log;
  /// The longest wait between two looks at the clock (a clock that jumps is noticed).
  std::chrono::milliseconds recheck{60000};
};

class Scheduler {
 public:
  /// `clock` says when a period is due; it must outlive the scheduler.
  Scheduler(SchedulerOptions options, const Clock& clock);
  ~Scheduler();  ///< stops the thread
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void start();
  void stop();

  /// Writes every period due at `now` whose snapshot is missing, oldest first; gives their
  /// labels ("2026-03", "2026-Q1"). A failure is logged and retried at the next look.
  std::vector<std::string> catch_up(Moment now);
  /// When the snapshot of a period is due: the day after its last day, at the hour.
  Moment due(const Period& period) const;
  /// Snapshots written since construction.
  std::size_t written() const { return written_.load(); }

 private:
  void run(Worker& worker);

  SchedulerOptions options_;
  const Clock& clock_;
  std::atomic<std::size_t> written_{0};
  Worker worker_;  // last: stopped first
};

}  // namespace tthc::reports
