#include "api/mc_webhook.hpp"

#include "http/signature.hpp"
#include "metrics/metrics.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <variant>

namespace tthc::api {

namespace {

namespace json = boost::json;

constexpr std::string_view kPath = "/api/v1/mc";

// The answer codes (README, Intake › Webhook).
constexpr std::string_view kTaken = "0";
constexpr std::string_view kMalformed = "1";
constexpr std::string_view kBadSignature = "2";
constexpr std::string_view kTooLarge = "3";
constexpr std::string_view kBusy = "4";
constexpr std::string_view kBusyMessage = "Hệ thống đang bận, vui lòng gửi lại sau";
constexpr std::string_view kStoreFailed = "5";
constexpr std::string_view kStoreFailedMessage = "Lỗi lưu trữ dữ liệu, vui lòng gửi lại sau";

http::Response json_response(int status, const json::object& o) {
  http::Response r;
  r.status = status;
  r.body = json::serialize(o);
  return r;
}

std::string refusal_text(std::string_view code, std::string_view message, std::string_view detail) {
  json::object o;
  o["error_code"] = code;
  o["message"] = message;
  o["error"] = detail;
  return json::serialize(o);
}

// A request refused whole: nothing of it was taken.
http::Response refusal(int status, std::string_view code, std::string_view message,
                       const std::string& detail) {
  http::Response r;
  r.status = status;
  r.body = refusal_text(code, message, detail);
  return r;
}

http::Response busy(const std::string& detail) {
  return refusal(503, kBusy, kBusyMessage, detail);
}

// Without a keeper, statistics records are rejected by their index in `data`: they are the
// records the parser did not reject, in order (an envelope holds one service).
void reject_statistics(ingest::Batch& batch) {
  std::vector<bool> rejected(batch.records, false);
  for (const ingest::Rejection& r : batch.rejected) {
    if (r.index < rejected.size()) rejected[r.index] = true;
  }
  std::size_t index = 0;
  for (std::size_t i = 0; i < batch.statistics.size(); ++i, ++index) {
    while (index < rejected.size() && rejected[index]) ++index;
    batch.rejected.push_back(
        ingest::Rejection{index, "", "DongBoThongKeHoSo: not kept by this daemon"});
  }
  std::sort(batch.rejected.begin(), batch.rejected.end(),
            [](const auto& a, const auto& b) { return a.index < b.index; });
  batch.statistics.clear();
}

json::array rejected_records(const std::vector<ingest::Rejection>& rejections) {
  json::array rejected;
  for (const ingest::Rejection& r : rejections) {
    json::object o;
    o["index"] = r.index;
    if (!r.code.empty()) o["MaHoSo"] = r.code;
    o["reason"] = r.reason;
    rejected.push_back(std::move(o));
  }
  return rejected;
}

}  // namespace

std::string mc_refusal_body(std::string_view path, int status, std::string_view reason) {
  if (path != kPath) return "";
  if (status == 413) {
    return refusal_text(kTooLarge, "Dữ liệu gửi lên vượt quá kích thước cho phép", reason);
  }
  if (status == 503) return refusal_text(kBusy, kBusyMessage, reason);
  return "";
}

namespace {

// What the handler decided, and the answer that says it.
struct Decision {
  metrics::WebhookOutcome outcome;
  http::Response response;
};

Decision refused(metrics::WebhookOutcome outcome, http::Response response) {
  return Decision{outcome, std::move(response)};
}

// A signature that is missing, wrong, expired or of the plain form where a timestamp is
// required: the refusal; none when the body may be read.
std::optional<http::Response> signature_refusal(const WebhookOptions& o, const Clock& clock,
                                                const http::Request& req) {
  if (!o.secret) return std::nullopt;
  const auto sig = req.header(o.signature_header);
  if (!sig) {
    return refusal(401, kBadSignature, "Thiếu chữ ký",
                   "missing signature header " + o.signature_header);
  }
  const auto check =
      http::check_signature(*o.secret, req.body, *sig, clock.unix_seconds(), o.signature_tolerance);
  if (check == http::SignatureCheck::Invalid) {
    return refusal(401, kBadSignature, "Chữ ký không hợp lệ",
                   "bad signature: " + o.signature_header +
                       " is not the HMAC-SHA256 of the body (or of t.body)");
  }
  if (check == http::SignatureCheck::OutOfWindow) {
    return refusal(401, kBadSignature, "Chữ ký đã hết hạn",
                   "expired signature: its timestamp t is more than " +
                       std::to_string(o.signature_tolerance.count()) +
                       " s from the receiver's clock");
  }
  if (check == http::SignatureCheck::ValidPlain && o.require_timestamp) {
    return refusal(401, kBadSignature, "Chữ ký phải có thời điểm ký",
                   "a timestamped signature (t=<unix seconds>,v1=<hex>) is required");
  }
  return std::nullopt;
}

// The batch's records committed by the intake: their counts, or the refusal (nothing taken).
std::variant<store::ApplyCounts, Decision> commit(ingest::Intake& intake, ingest::Batch batch,
                                                  store::BatchInfo info,
                                                  std::chrono::seconds timeout) {
  auto future = intake.submit(std::move(batch), std::move(info));
  if (future.wait_for(timeout) != std::future_status::ready) {
    // The batch stays queued and will commit; the sender's retry is then "unchanged".
    return refused(metrics::WebhookOutcome::Busy,
                   busy("the store did not commit within " + std::to_string(timeout.count()) +
                        " s; retry later"));
  }
  auto outcome = future.get();
  const auto* err = std::get_if<ingest::IntakeError>(&outcome);
  if (err == nullptr) return std::get<store::ApplyCounts>(outcome);
  if (err->busy) {
    http::Response r = busy(err->message);
    r.headers.emplace_back("Retry-After", "1");
    return refused(metrics::WebhookOutcome::Busy, std::move(r));
  }
  // The store failed (a full disk, I/O errors) or is damaged: a server error, not load.
  // The cause is in the daemon's log, once per streak.
  http::Response r = refusal(
      500, kStoreFailed, kStoreFailedMessage,
      err->damaged ? "the store is damaged; nothing is written" : "the store cannot commit now");
  r.headers.emplace_back("Retry-After", "30");
  return refused(metrics::WebhookOutcome::Failed, std::move(r));
}

http::Response taken(std::size_t records, const json::array& rejected, std::size_t rejected_count,
                     const store::ApplyCounts& c, std::size_t statistics_kept) {
  const std::size_t accepted = c.accepted + statistics_kept;
  json::object o;
  o["error_code"] = kTaken;
  o["message"] = "Thành công";
  o["records"] = records;
  o["accepted"] = accepted;
  o["unchanged"] = records - rejected_count - accepted;
  o["rejected"] = rejected_count;
  o["new"] = c.new_dossiers;
  o["updated"] = c.updated;
  o["stale"] = c.stale;
  o["progress_added"] = c.progress_added;
  o["statistics"] = statistics_kept;
  o["rejected_records"] = rejected;
  return json_response(200, o);
}

Decision decide(const WebhookOptions& o, const Clock& clock, ingest::Intake& intake,
                const http::Request& req) {
  if (auto refusal = signature_refusal(o, clock, req)) {
    return refused(metrics::WebhookOutcome::Unauthorized, std::move(*refusal));
  }
  const std::string service = req.query_param("service").value_or("");
  auto batch = ingest::parse_envelope(req.body, o.limits, service);
  if (!batch) {
    return refused(metrics::WebhookOutcome::Malformed,
                   refusal(400, kMalformed, "Dữ liệu không hợp lệ", batch.error().message));
  }
  std::size_t statistics_kept = 0;
  const bool had_statistics = !batch->statistics.empty();
  if (had_statistics && !o.statistics) reject_statistics(*batch);
  if (!batch->statistics.empty()) {
    auto kept = o.statistics(std::move(batch->statistics), batch->sender);
    batch->statistics.clear();
    if (!kept) return refused(metrics::WebhookOutcome::Busy, busy(kept.error().message));
    statistics_kept = *kept;
  }
  const json::array rejected = rejected_records(batch->rejected);
  const std::size_t rejected_count = batch->rejected.size();
  const std::size_t records = batch->records;
  store::ApplyCounts c;
  // A statistics envelope carries nothing for the store's batches.
  if (!had_statistics || !batch->dossiers.empty() || !batch->progress.empty()) {
    store::BatchInfo info{"webhook", clock.unix_seconds(), std::nullopt, rejected_count};
    info.sender = batch->sender;
    auto committed = commit(intake, std::move(*batch), std::move(info), o.commit_timeout);
    if (auto* refusal = std::get_if<Decision>(&committed)) return std::move(*refusal);
    c = std::get<store::ApplyCounts>(committed);
  }
  return Decision{metrics::WebhookOutcome::Accepted,
                  taken(records, rejected, rejected_count, c, statistics_kept)};
}

}  // namespace

void add_mc_webhook(http::Router& router, ingest::Intake& intake, const Clock& clock,
                    WebhookOptions options) {
  router.add("POST", std::string(kPath), [&intake, &clock, options](const http::Request& req) {
    try {
      Decision d = decide(options, clock, intake, req);
      if (options.metrics != nullptr) options.metrics->record_webhook(d.outcome);
      return std::move(d.response);
    } catch (...) {
      // The server answers 500: counted as a failure, as any other.
      if (options.metrics != nullptr)
        options.metrics->record_webhook(metrics::WebhookOutcome::Failed);
      throw;
    }
  });
}

std::function<std::string(std::string_view, int, std::string_view)> counted_mc_refusal_body(
    metrics::Metrics& metrics) {
  return [&metrics](std::string_view path, int status, std::string_view reason) {
    if (path == kPath && status == 413) metrics.record_webhook(metrics::WebhookOutcome::TooLarge);
    if (path == kPath && status == 503) metrics.record_webhook(metrics::WebhookOutcome::Busy);
    return mc_refusal_body(path, status, reason);
  };
}

}  // namespace tthc::api
