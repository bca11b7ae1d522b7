#pragma once
// The daemon's own health, for load balancers, operators and Prometheus:
//   GET /healthz   always 200 {"status":"ok"} while the process answers
//   GET /readyz    200 once the live state is loaded and the store takes writes; else 503
//   GET /metrics   the Prometheus text exposition (bearer token when one is configured)
// The probes never ask for a token.

#include "base/clock.hpp"
#include "http/server.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tthc::ingest {
struct StoreHealth;
}
namespace tthc::live {
class Monitor;
}
namespace tthc::metrics {
class Metrics;
}

namespace tthc::api {

struct ProbeOptions {
  std::optional<std::string> token;  ///< bearer token for /metrics; none: open
  /// Optional: the live state's loader; none: always ready.
  live::Monitor* monitor = nullptr;
  /// Optional: none, no /metrics route.
  metrics::Metrics* metrics = nullptr;
  /// Optional: whether the store takes writes (the intake's view); unset: always.
  std::function<ingest::StoreHealth()> store_health;
};

/// `clock` sets the calendar gauges of /metrics; it must outlive the router.
void add_probes(http::Router& router, const Clock& clock, ProbeOptions options);

/// The probes and /metrics: what the server answers even when every connection slot is busy
/// (http::ServerOptions::reserved_paths), so that a flood of connections is seen, not hidden.
inline const std::vector<std::string> kProbePaths = {"/healthz", "/readyz", "/metrics"};

}  // namespace tthc::api
