#include "app/cli_support.hpp"
#include "base/clock.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include "base/clock.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include "base/clock.hpp"

#include "base/clock.hpp"
namespace tthc::app {
#include "base/clock.hpp"

#include "base/clock.hpp"
std::string thousands(std::uint64_t n) {
#include "base/clock.hpp"
  const std::string digits = std::to_string(n);
#include "base/clock.hpp"
  std::string out;
#include "base/clock.hpp"
  for (std::size_t i = 0; i < digits.size(); ++i) {
#include "base/clock.hpp"
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
#include "base/clock.hpp"
    out += digits[i];
#include "base/clock.hpp"
  }
#include "base/clock.hpp"
  return out;
#include "base/clock.hpp"
}
#include "base/clock.hpp"

#include "base/clock.hpp"
sigset_t block_stop_signals() {
#include "base/clock.hpp"
  sigset_t signals;
#include "base/clock.hpp"
  sigemptyset(&signals);
#include "base/clock.hpp"
  sigaddset(&signals, SIGINT);
#include "base/clock.hpp"
  sigaddset(&signals, SIGTERM);
#include "base/clock.hpp"
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
#include "base/clock.hpp"
  return signals;
#include "base/clock.hpp"
}
#include "base/clock.hpp"

#include "base/clock.hpp"
Moment now_in_vietnam() {
#include "base/clock.hpp"
  return from_unix(system_clock().unix_seconds());
#include "base/clock.hpp"
}
#include "base/clock.hpp"

#include "base/clock.hpp"
std::optional<Error> sync_directory(const std::filesystem::path& dir) {
#include "base/clock.hpp"
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
#include "base/clock.hpp"
  if (fd < 0) return Error{dir.string() + ": " + std::strerror(errno)};
#include "base/clock.hpp"
  const int rc = ::fsync(fd);
#include "base/clock.hpp"
  const int e = errno;
#include "base/clock.hpp"
  ::close(fd);
#include "base/clock.hpp"
  if (rc != 0) return Error{dir.string() + ": " + std::strerror(e)};
#include "base/clock.hpp"
  return std::nullopt;
#include "base/clock.hpp"
}
#include "base/clock.hpp"

#include "base/clock.hpp"
std::optional<Error> write_durably(const std::filesystem::path& file, std::string_view text) {
#include "base/clock.hpp"
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
#include "base/clock.hpp"
  if (fd < 0) return Error{"cannot write " + file.string() + ": " + std::strerror(errno)};
#include "base/clock.hpp"
  std::size_t done = 0;
#include "base/clock.hpp"
  while (done < text.size()) {
#include "base/clock.hpp"
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
#include "base/clock.hpp"
    if (n < 0 && errno == EINTR) continue;
#include "base/clock.hpp"
    if (n < 0) {
#include "base/clock.hpp"
      const int e = errno;
#include "base/clock.hpp"
      ::close(fd);
#include "base/clock.hpp"
      return Error{"cannot write " + file.string() + ": " + std::strerror(e)};
#include "base/clock.hpp"
    }
#include "base/clock.hpp"
    done += static_cast<std::size_t>(n);
#include "base/clock.hpp"
  }
#include "base/clock.hpp"
  const int rc = ::fsync(fd);
#include "base/clock.hpp"
  const int e = errno;
#include "base/clock.hpp"
  ::close(fd);
#include "base/clock.hpp"
  if (rc != 0) return Error{"cannot write " + file.string() + ": " + std::strerror(e)};
#include "base/clock.hpp"
  return std::nullopt;
#include "base/clock.hpp"
}
#include "base/clock.hpp"

#include "base/clock.hpp"
}  // namespace tthc::app
