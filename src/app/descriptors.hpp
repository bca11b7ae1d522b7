#pragma once
// The daemon's descriptor budget: every connection is a descriptor, and so are the store's
// files, its readers' files, the poller's and the alert sinks' sockets. At start the soft
// limit is raised to the hard one, and the connection cap is kept below what the limit
// allows, so that connections alone can never exhaust it (accept failing with EMFILE, the
// store failing to open its files).

#include <cstddef>
#include <cstdint>
#include <string>

namespace tthc::app {

struct DescriptorLimit {
  std::uint64_t before = 0;  ///< the soft limit found at start
  std::uint64_t soft = 0;    ///< the soft limit now
  std::uint64_t hard = 0;
  std::string error;  ///< why it could not be read or raised; empty: fine
};

/// Raises RLIMIT_NOFILE's soft limit to its hard limit (capped at `ceiling`, since some
/// systems give an unlimited hard limit). Never throws.
DescriptorLimit raise_descriptor_limit(std::uint64_t ceiling = std::uint64_t{1} << 20);

/// Descriptors kept for everything but the connections: the store and its readers (up to
/// three files each, one reader per worker thread), the alert state, reports being written,
/// the poller's and the alert sinks' connections, the log. The daemon idles at 13.
inline constexpr std::uint64_t kOtherDescriptors = 128;

/// How many connections fit under `limit` descriptors beside kOtherDescriptors and the reserve:
/// `wanted`, or fewer when the limit is low (at least 1).
std::size_t connections_within(std::uint64_t limit, std::size_t wanted, std::size_t reserve);

}  // namespace tthc::app
