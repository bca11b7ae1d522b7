#pragma once
// One background thread with a clean stop: the shape of every worker of the daemon (the live
// state's monitor, the poller, the alert dispatcher, the report scheduler, the intake writer).
//
//   Worker worker;
//   worker.start([&](Worker& w) {
//     while (w.wait_for(tick, [&] { return !queue.empty(); })) { ... take the queue ... }
//   });
//   worker.notify([&] { queue.push_back(item); });   // changes the state under the lock, wakes
//   worker.stop();                                   // asks, wakes, joins; also on destruction
//
// The worker's mutex guards the state its body waits on; `notify` changes that state under it,
// so no wake-up is lost. The body returns when `wait_for` (or `stopping()`) says so.
//
// Thread-safety: start once; notify, stopping and stop from any thread except that stop must
// not be called from the body itself.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

namespace tthc {

class Worker {
 public:
  Worker() = default;
  ~Worker() { stop(); }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  /// Runs `body(*this)` on a new thread. Once; a second start is ignored while it runs.
  void start(std::function<void(Worker&)> body) {
    if (thread_.joinable()) return;
    {
      const std::lock_guard lock(mutex_);
      stopping_ = false;
    }
    thread_ = std::thread([this, body = std::move(body)] { body(*this); });
  }

  /// Asks the body to return, wakes it and waits for it. Idempotent.
  void stop() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  /// Runs `change` under the worker's lock, then wakes the body.
  template <class Change>
  void notify(Change&& change) {
    {
      const std::lock_guard lock(mutex_);
      std::forward<Change>(change)();
    }
    cv_.notify_all();
  }
  void wake() {
    notify([] {});
  }

  /// In the body: waits until `ready()` holds (checked under the lock), stop is asked or
  /// `timeout` passes. False when stop was asked: the body returns.
  template <class Ready>
  bool wait_for(std::chrono::nanoseconds timeout, Ready ready) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, timeout, [&] { return stopping_ || ready(); });
    return !stopping_;
  }
  /// Waits for `timeout` or stop; false when stop was asked.
  bool sleep_for(std::chrono::nanoseconds timeout) {
    return wait_for(timeout, [] { return false; });
  }

  bool stopping() const {
    const std::lock_guard lock(mutex_);
    return stopping_;
  }

  /// Guards the state the body waits on; take it to read that state outside `notify`.
  std::mutex& mutex() const { return mutex_; }

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tthc
