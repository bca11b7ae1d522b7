#include "api/probes_api.hpp"

#include "api/bearer_auth.hpp"
#include "ingest/intake.hpp"
#include "live/monitor.hpp"
#include "metrics/metrics.hpp"

#include <boost/json.hpp>

namespace tthc::api {

namespace {

namespace json = boost::json;

http::Response json_body(int status, const json::value& v) {
  http::Response r;
  r.status = status;
  r.body = json::serialize(v);
  return r;
}

http::Response readiness(const ProbeOptions& o) {
  // A store that cannot take writes makes the daemon not ready: a load balancer sends the
  // senders elsewhere, an operator's probe turns red. The cause is in the log.
  if (o.store_health) {
    const ingest::StoreHealth h = o.store_health();
    if (h.damaged) {
      return json_body(503, json::object{{"status", "store_damaged"},
                                         {"error",
                                          "the store is damaged: restore the last "
                                          "backup; the daemon's log says more"}});
    }
    if (h.failing) {
      return json_body(503, json::object{{"status", "store_failing"},
                                         {"error",
                                          "the store cannot commit now; the "
                                          "daemon's log says why"}});
    }
  }
  if (o.monitor == nullptr || o.monitor->ready()) {
    return json_body(200, json::object{{"status", "ready"}});
  }
  // The cause (which names the store's file) is in the daemon's log, not in the answer.
  if (o.monitor->load_error().empty()) return json_body(503, json::object{{"status", "loading"}});
  return json_body(503, json::object{{"status", "failed"},
                                     {"error",
                                      "the live state could not be loaded from the "
                                      "store; the daemon's log says why"}});
}

http::Response exposition(const ProbeOptions& o, const Clock& clock, const http::Request& req) {
  if (!bearer_authorised(o.token, req)) return bearer_unauthorised();
  o.metrics->set_ready(o.monitor == nullptr || o.monitor->ready());
  if (o.store_health) {
    const ingest::StoreHealth h = o.store_health();
    o.metrics->set_store_health(h.failing, h.damaged);
  }
  http::Response r;
  r.content_type = std::string(metrics::Metrics::kContentType);
  r.body = o.metrics->exposition(from_unix(clock.unix_seconds()));
  return r;
}

}  // namespace

void add_probes(http::Router& router, const Clock& clock, ProbeOptions options) {
  auto o = std::make_shared<const ProbeOptions>(std::move(options));
  router.add("GET", "/healthz", [](const http::Request&) {
    return json_body(200, json::object{{"status", "ok"}});
  });
  router.add("GET", "/readyz", [o](const http::Request&) { return readiness(*o); });
  if (o->metrics != nullptr) {
    router.add("GET", "/metrics",
               [o, &clock](const http::Request& req) { return exposition(*o, clock, req); });
  }
}

}  // namespace tthc::api
