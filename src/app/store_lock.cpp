#include "app/store_lock.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace tthc::app {

namespace fs = std::filesystem;

fs::path StoreLock::path_for(const fs::path& store) {
  fs::path p = store;
  p += ".lock";
  return p;
}

Result<std::optional<StoreLock>> StoreLock::try_acquire(const fs::path& store) {
  std::error_code ec;
  if (store.has_parent_path()) fs::create_directories(store.parent_path(), ec);
  const fs::path file = path_for(store);
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return Error{"cannot open the lock file " + file.string() + ": " + std::strerror(errno)};
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int e = errno;
    ::close(fd);
    if (e == EWOULDBLOCK) return std::optional<StoreLock>();
    return Error{"cannot lock " + file.string() + ": " + std::strerror(e)};
  }
  return std::optional<StoreLock>(StoreLock(fd));
}

StoreLock::~StoreLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

}  // namespace tthc::app
