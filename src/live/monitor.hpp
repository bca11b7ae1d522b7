#pragma once
// The live state's owner in the daemon: one thread that loads every stored dossier at start,
// then applies the dossiers each commit changed (re-read from the store, the one source of
// truth) and lets time pass. Readers (the work-list API) take the lock through with_state().
//
// Thread-safe: notify() from the writer thread, with_state() from request handlers.

#include "base/backoff.hpp"
#include "live/live_state.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
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
  /// The current moment (Vietnam local time); a seam for tests.
  std::function<Moment()> now;
  /// Problems reading the store (kept running: the next notification retries).
  std::function<void(const std::string&)> log_error;
  /// Start-up load done (dossiers, seconds).
  std::function<void(const LoadStats&)> loaded;
  /// How often time is let pass when nothing is scheduled sooner.
  std::chrono::milliseconds tick{1000};
  /// Waits between attempts to read a store that cannot be read.
  Backoff retry{std::chrono::milliseconds(200), std::chrono::milliseconds(30'000)};
};

class Monitor {
 public:
  Monitor(MonitorOptions options, const engine::Catalogue& catalogue,
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
  void run();
  bool load();

  MonitorOptions options_;
  std::mutex state_mutex_;
  LiveState state_;

  mutable std::mutex m_;
  std::condition_variable cv_;
  std::unordered_set<std::string> dirty_;
  bool stopping_ = false;
  LoadStats stats_;
  std::string load_error_;
  std::atomic<bool> ready_{false};
  std::thread thread_;
};

}  // namespace tthc::live
