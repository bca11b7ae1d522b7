#pragma once
// POST /api/v1/mc[?service=...]: the MC sync payloads, as the one-stop system sends them to the
// national portal (an envelope, or a bare array of records of the `service` the query names),
// optionally signed with HMAC-SHA256 of the raw body.
//
// Every answer carries the national portal's `error_code` and `message`, which senders' clients
// read: "0" / "Thành công" whenever the request was taken — records accepted or unchanged, and
// records that can never be taken listed as rejected, so a client retrying on a non-zero code
// does not retry them forever. A non-zero code means nothing of the request was taken:
//   200 {"error_code": "0", "message": "Thành công", "records", "accepted", "unchanged",
//        "rejected", "new", "updated", "stale", "progress_added", "statistics",
//        "rejected_records": [{"index", "MaHoSo", "reason"}]}
//   400 "1" malformed JSON or envelope · 401 "2" missing or bad signature
//   413 "3" body over the limit · 503 "4" the store or the server is busy or failing (retry)
//   405 wrong method (the router, {"error"} only)
// The server answers 413 and a full queue's 503 before any handler: mc_refusal_body, set as
// http::ServerOptions::refusal_body, gives them the same body.
// A refusal's body is {"error_code", "message" (Vietnamese), "error" (the detail, English)}.
// A 200 means the accepted records are committed.

#include "base/clock.hpp"
#include "base/result.hpp"
#include "http/server.hpp"
#include "ingest/intake.hpp"
#include "ingest/mc_payload.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::metrics {
class Metrics;
}

namespace tthc::api {

struct WebhookOptions {
  std::optional<std::string> secret;             ///< none: unsigned bodies are accepted
  std::string signature_header = "x-signature";  ///< lower-case
  /// Timestamped signatures (`t=<unix seconds>,v1=<hex>`) further than this from now are
  /// refused; with `require_timestamp` the plain `sha256=` form is refused too.
  std::chrono::seconds signature_tolerance{300};
  bool require_timestamp = false;
  ingest::Limits limits;
  std::chrono::seconds commit_timeout{30};
  /// Optional: counts what the handler decided (tthc_webhook_requests_total); none: uncounted.
  metrics::Metrics* metrics = nullptr;
  /// Keeps DongBoThongKeHoSo records (read and checked by the parser; a bad one is already a
  /// rejection) from `sender` (the envelope's madonvi); gives the number kept, or an Error
  /// (answered 503, error_code "4"). Unset: such records are rejected, never silently dropped.
  std::function<Result<std::size_t>(std::vector<ClaimedStats> records, std::string sender)>
      statistics;
};

/// `clock` checks signature timestamps and stamps each batch's arrival; it must outlive the
/// router, as `intake` must.
void add_mc_webhook(http::Router& router, ingest::Intake& intake, const Clock& clock,
                    WebhookOptions options);

/// For http::ServerOptions::refusal_body: the webhook's body for the server's own 413 and 503
/// on its path; "" for any other path or status (the server's {"error"} then).
std::string mc_refusal_body(std::string_view path, int status, std::string_view reason);
/// The same, counting the refusals on the webhook's path as its outcomes (too_large, busy):
/// the server answers them before the handler runs. `metrics` must outlive the server.
std::function<std::string(std::string_view path, int status, std::string_view reason)>
counted_mc_refusal_body(metrics::Metrics& metrics);

// Signing: http/signature.hpp (sign_body, signature_matches).

}  // namespace tthc::api
