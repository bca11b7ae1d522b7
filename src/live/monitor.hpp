#pragma once
// The live state's owner in the daemon: one thread that loads every stored dossier at start,
// then applies the dossiers each commit changed (re-read from the store, the one source of
// truth) and lets time pass. Readers (the work-list API) take the lock through with_state().
//
// Thread-safe: notify() from the writer thread, with_state() from request handlers.

#include "base/backoff.hpp"
#include "base/clock.hpp"
#include "base/log.hpp"
#include "base/worker.hpp"
#include "live/live_state.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

namespace tthc::live {

struct LoadStats {
  std::size_t dossiers = 0;
  std::size_t held = 0;
  double seconds = 0;
};

struct MonitorOptions {
  std::filesystem::path db;
  /// Which unit dossiers count under, and the unit register ([units]); none: every code its own.
  UnitCounting units{};
  /// Problems reading the store, at error level (kept running: the next notification
  /// retries).
  Log log;
  /// Start-up load done (dossiers, seconds).
  std::function<void(const LoadStats&)> loaded;
  /// How often time is let pass when nothing is scheduled sooner.
  std::chrono::milliseconds tick{1000};
  /// Waits between attempts to read a store that cannot be read.
  Backoff retry{std::chrono::milliseconds(200), std::chrono::milliseconds(30'000)};
};

class Monitor {
 public:
  /// `clock` gives the current moment and the retry waits; it must outlive the monitor.
  Monitor(MonitorOptions options, const Clock& clock, const engine::Catalogue& catalogue,
          const calendar::WorkingCalendar& calendar, engine::Settings settings,
          std::vector<Observer*> observers);
  ~Monitor();  ///< stops the thread
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  /// Starts the thread: the start-up load, then the loop.
  void start();
  void stop();
  /// Dossiers a commit changed (from Intake's commit hook).
  void notify(const std::vector<std::string>& codes);
  /// Loaded and current: /readyz.
  bool ready() const { return ready_.load(); }
  /// The start-up load, once ready; an error message if it failed.
  LoadStats load_stats() const;
  std::string load_error() const;

  template <class F>
  auto with_state(F&& f) {
    std::lock_guard lock(state_mutex_);
    return f(state_);
  }

 private:
  struct Reading;  // the worker's reader and its retry state
  Moment now() const;
  void run(Worker& worker);
  bool load();
  /// Waits for changed dossiers (once a retry is due) or for time to pass; false on stop.
  bool wait(Worker& worker, const Reading& reading, std::unordered_set<std::string>& dirty);
  /// Reads the changed dossiers and lets time pass in the state.
  void apply(Reading& reading, std::unordered_set<std::string>& dirty);
  /// A read failed: logged once a streak, the codes kept for the retry after a backoff.
  void failed(Reading& reading, const std::string& message, std::unordered_set<std::string>& codes);

  MonitorOptions options_;
  const Clock& clock_;
  std::mutex state_mutex_;
  LiveState state_;

  // Guarded by worker_.mutex().
  std::unordered_set<std::string> dirty_;
  LoadStats stats_;
  std::string load_error_;

  std::atomic<bool> ready_{false};
  Worker worker_;  // last: stopped first
};

}  // namespace tthc::live
