#pragma once
// The store's lock file, `<store>.lock`: the daemon holds it for its life, `restore` while it
// puts files in place. So a restore never pulls the store from under a running daemon, a daemon
// never starts on a half-restored store, and two daemons never share one store. An advisory
// lock (flock) on a file that is never deleted: the kernel releases it when the holder exits,
// even by a crash, so a stale lock cannot remain. `import`, `report` and `backup` take no lock:
// SQLite keeps them consistent beside the daemon.
//
// Not thread-safe; one per process and store.

#include "base/result.hpp"

#include <filesystem>
#include <optional>
#include <utility>

namespace tthc::app {

class StoreLock {
 public:
  /// The lock file of a store.
  static std::filesystem::path path_for(const std::filesystem::path& store);

  /// Takes the lock without waiting, creating the store's folder and the lock file if needed.
  /// nullopt: another process holds it. An error: the lock file cannot be made (it names it).
  static Result<std::optional<StoreLock>> try_acquire(const std::filesystem::path& store);

  StoreLock(StoreLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  StoreLock& operator=(StoreLock&&) = delete;
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;
  ~StoreLock();

 private:
  explicit StoreLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace tthc::app
