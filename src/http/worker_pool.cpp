#include "http/worker_pool.hpp"

#include <utility>

namespace tthc::http::detail {

void WorkerPool::start(std::size_t threads) {
  const std::lock_guard lock(mutex_);
  if (stopped_ || !threads_.empty()) return;
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

bool WorkerPool::try_post(std::function<void()> task) {
  {
    const std::lock_guard lock(mutex_);
    if (stopped_ || tasks_.size() >= capacity_) return false;
    tasks_.push_back(std::move(task));
  }
  ready_.notify_one();
  return true;
}

void WorkerPool::stop() {
  std::deque<std::function<void()>> dropped;
  std::vector<std::thread> threads;
  {
    const std::lock_guard lock(mutex_);
    stopped_ = true;
    dropped.swap(tasks_);
    threads.swap(threads_);
  }
  ready_.notify_all();
  // Destroyed outside the lock: a task may own the last reference to a connection.
  dropped.clear();
  for (std::thread& t : threads) {
    if (t.joinable()) t.join();
  }
}

std::size_t WorkerPool::queued() const {
  const std::lock_guard lock(mutex_);
  return tasks_.size();
}

void WorkerPool::run() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopped_ || !tasks_.empty(); });
      if (stopped_) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    try {
      task();
    } catch (...) {  // NOLINT(bugprone-empty-catch): a worker thread must outlive a bad task
    }
  }
}

}  // namespace tthc::http::detail
