#include "reports/scheduler.hpp"

#include "reports/snapshot.hpp"

#include <malloc.h>

#include <algorithm>

namespace tthc::reports {

namespace {

// Each month, then the quarter, half-year and year that close with it: they are due together
// (the same E) and are written in that order.
std::vector<Period> with_longer_periods(const std::vector<Period>& months) {
  std::vector<Period> out;
  for (const Period& month : months) {
    out.push_back(month);
    for (const Period& longer : periods_closing_with(month)) out.push_back(longer);
  }
  return out;
}

}  // namespace

Scheduler::Scheduler(SchedulerOptions options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

Scheduler::~Scheduler() = default;  // worker_, the last member, stops the thread first

void Scheduler::start() {
  worker_.start([this](Worker& w) { run(w); });
}

void Scheduler::stop() {
  worker_.stop();
}

Moment Scheduler::due(const Period& period) const {
  return period.end + std::chrono::hours{options_.hour};
}

std::vector<std::string> Scheduler::catch_up(Moment now) {
  const Log& log = options_.log;
  std::vector<std::string> written;
  auto first = options_.first_receipt ? options_.first_receipt()
                                      : Result<std::optional<Moment>>(std::optional<Moment>());
  if (!first) {
    log.error("reports: " + first.error().message);
    return written;
  }
  if (!*first) return written;  // an empty store: nothing to report yet
  // The latest period due at `now`, then back as far as the backfill and the data go.
  Period p = period_containing(now, options_.period_start_day);
  while (due(p) > now) p = previous(p);
  std::vector<Period> periods;
  for (int i = 0; i < std::max(1, options_.backfill_months) && p.end > **first; ++i) {
    periods.push_back(p);
    p = previous(p);
  }
  std::reverse(periods.begin(), periods.end());
  for (const Period& period : with_longer_periods(periods)) {
    std::error_code ec;
    if (std::filesystem::exists(snapshot_dir(options_.dir, period), ec)) continue;
    auto reports = options_.build(period);
    if (!reports) {
      log.error("reports " + period.label() + ": " + reports.error().message);
      continue;
    }
    auto files = snapshot_files(*reports);
    if (!files) {
      log.error("reports " + period.label() + ": " + files.error().message);
      continue;
    }
    auto done = write_snapshot(options_.dir, period, *files);
    if (!done) {
      log.error("reports " + period.label() + ": " + done.error().message);
      continue;
    }
    if (*done) {
      ++written_;
      written.push_back(period.label());
      log.info("reports " + period.label() + " written to " +
               snapshot_dir(options_.dir, period).string());
    }
  }
  return written;
}

void Scheduler::run(Worker& worker) {
  for (;;) {
    const Moment now = from_unix(clock_.unix_seconds());
    if (!catch_up(now).empty()) {
      // A report's transient memory (every candidate's timeline) goes back to the system:
      // the daemon's resident size is what operators watch.
      malloc_trim(0);
    }
    // Sleep until the next period is due (or the recheck interval, whichever comes first).
    Period p = period_containing(now, options_.period_start_day);
    if (due(previous(p)) > now) p = previous(p);
    const auto until_due = std::chrono::duration_cast<std::chrono::milliseconds>(due(p) - now);
    const auto wait = std::clamp(until_due, std::chrono::milliseconds{1}, options_.recheck);
    if (!worker.sleep_for(wait)) return;
  }
}

}  // namespace tthc::reports
