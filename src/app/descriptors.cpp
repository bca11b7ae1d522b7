#include "app/descriptors.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tthc::app {

DescriptorLimit raise_descriptor_limit(std::uint64_t ceiling) {
  DescriptorLimit out;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    out.error = std::string("getrlimit: ") + std::strerror(errno);
    return out;
  }
  out.before = out.soft = limit.rlim_cur;
  out.hard = limit.rlim_max;
  const rlim_t target = std::min<rlim_t>(limit.rlim_max, ceiling);
  if (limit.rlim_cur >= target) return out;  // nothing to do (as under the systemd unit)
  limit.rlim_cur = target;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    out.error = std::string("setrlimit: ") + std::strerror(errno);
    return out;
  }
  out.soft = target;
  return out;
}

std::size_t connections_within(std::uint64_t limit, std::size_t wanted, std::size_t reserve) {
  const std::uint64_t kept = kOtherDescriptors + reserve;
  const std::uint64_t room = limit > kept ? limit - kept : 0;
  return static_cast<std::size_t>(
      std::clamp<std::uint64_t>(room, 1, std::max<std::size_t>(wanted, 1)));
}

}  // namespace tthc::app
