#pragma once
// POST /api/v1/mc: the MC sync payloads, as the one-stop system sends them to the national
// portal, optionally signed with HMAC-SHA256 of the raw body.
//   200 {"accepted", "unchanged", "rejected", "new", "updated", "stale", "progress_added",
//        "rejected_records": [{"index", "MaHoSo", "reason"}]}
//   400 malformed JSON or envelope · 401 missing or bad signature · 405 wrong method
//   413 body over the limit (the server) · 503 the store is busy or failing (retry)
// Every error body is {"error": "..."}. A 200 means the accepted records are committed.

#include "http/server.hpp"
#include "ingest/intake.hpp"
#include "ingest/mc_payload.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tthc::api {

struct WebhookOptions {
  std::optional<std::string> secret;             ///< none: unsigned bodies are accepted
  std::string signature_header = "x-signature";  ///< lower-case
  ingest::Limits limits;
  std::chrono::seconds commit_timeout{30};
  /// Seconds since the Unix epoch, for the batch's arrival; injectable for tests.
  std::function<std::int64_t()> clock;
};

void add_mc_webhook(http::Router& router, ingest::Intake& intake, WebhookOptions options);

// Signing: http/signature.hpp (sign_body, signature_matches).

}  // namespace tthc::api
