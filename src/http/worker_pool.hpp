#pragma once
// Internal to the http module: the threads handlers run on, behind a bounded queue, so a burst
// of requests is refused (503) instead of piling up without limit.
//
// Thread-safe.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tthc::http::detail {

class WorkerPool {
 public:
  /// At most `capacity` tasks wait for a thread (running ones do not count).
  explicit WorkerPool(std::size_t capacity) : capacity_(capacity) {}
  ~WorkerPool() { stop(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void start(std::size_t threads);

  /// Queues a task; false when the queue is full or the pool stopped. Tasks must not throw
  /// (an exception escaping one is swallowed: it must not end a worker thread).
  bool try_post(std::function<void()> task);

  /// Drops the waiting tasks, waits for the running ones, joins the threads. Idempotent.
  void stop();

  std::size_t queued() const;

 private:
  void run();

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool stopped_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace tthc::http::detail
