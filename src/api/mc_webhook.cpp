#include "api/mc_webhook.hpp"

#include "http/signature.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace tthc::api {

namespace {

namespace json = boost::json;

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
  if (path != "/api/v1/mc") return "";
  if (status == 413) {
    return refusal_text(kTooLarge, "Dữ liệu gửi lên vượt quá kích thước cho phép", reason);
  }
  if (status == 503) return refusal_text(kBusy, kBusyMessage, reason);
  return "";
}

void add_mc_webhook(http::Router& router, ingest::Intake& intake, WebhookOptions options) {
  if (!options.clock) {
    options.clock = [] {
      return std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  }
  router.add("POST", "/api/v1/mc", [&intake, options](const http::Request& req) {
    if (options.secret) {
      const auto sig = req.header(options.signature_header);
      if (!sig) {
        return refusal(401, kBadSignature, "Thiếu chữ ký",
                       "missing signature header " + options.signature_header);
      }
      const auto check = http::check_signature(*options.secret, req.body, *sig, options.clock(),
                                               options.signature_tolerance);
      if (check == http::SignatureCheck::Invalid) {
        return refusal(401, kBadSignature, "Chữ ký không hợp lệ",
                       "bad signature: " + options.signature_header +
                           " is not the HMAC-SHA256 of the body (or of t.body)");
      }
      if (check == http::SignatureCheck::OutOfWindow) {
        return refusal(401, kBadSignature, "Chữ ký đã hết hạn",
                       "expired signature: its timestamp t is more than " +
                           std::to_string(options.signature_tolerance.count()) +
                           " s from the receiver's clock");
      }
      if (check == http::SignatureCheck::ValidPlain && options.require_timestamp) {
        return refusal(401, kBadSignature, "Chữ ký phải có thời điểm ký",
                       "a timestamped signature (t=<unix seconds>,v1=<hex>) is required");
      }
    }
    const std::string service = req.query_param("service").value_or("");
    auto batch = ingest::parse_envelope(req.body, options.limits, service);
    if (!batch) {
      return refusal(400, kMalformed, "Dữ liệu không hợp lệ", batch.error().message);
    }

    std::size_t statistics_kept = 0;
    const bool had_statistics = !batch->statistics.empty();
    if (had_statistics && !options.statistics) reject_statistics(*batch);
    if (!batch->statistics.empty()) {
      auto kept = options.statistics(std::move(batch->statistics), batch->sender);
      batch->statistics.clear();
      if (!kept) return busy(kept.error().message);
      statistics_kept = *kept;
    }

    json::array rejected = rejected_records(batch->rejected);
    const std::size_t rejected_count = batch->rejected.size();
    const std::size_t records = batch->records;
    store::ApplyCounts c;
    // A statistics envelope carries nothing for the store's batches.
    if (!had_statistics || !batch->dossiers.empty() || !batch->progress.empty()) {
      store::BatchInfo info{"webhook", options.clock(), std::nullopt, rejected_count};
      info.sender = batch->sender;
      auto future = intake.submit(std::move(*batch), std::move(info));
      if (future.wait_for(options.commit_timeout) != std::future_status::ready) {
        // The batch stays queued and will commit; the sender's retry is then "unchanged".
        return busy("the store did not commit within " +
                    std::to_string(options.commit_timeout.count()) + " s; retry later");
      }
      auto outcome = future.get();
      if (const auto* err = std::get_if<ingest::IntakeError>(&outcome)) {
        if (err->busy) {
          http::Response r = busy(err->message);
          r.headers.emplace_back("Retry-After", "1");
          return r;
        }
        // The store failed (a full disk, I/O errors) or is damaged: a server error, not load.
        // The cause is in the daemon's log, once per streak.
        http::Response r = refusal(500, kStoreFailed, kStoreFailedMessage,
                                   err->damaged ? "the store is damaged; nothing is written"
                                                : "the store cannot commit now");
        r.headers.emplace_back("Retry-After", "30");
        return r;
      }
      c = std::get<store::ApplyCounts>(outcome);
    }
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
    o["rejected_records"] = std::move(rejected);
    return json_response(200, o);
  });
}

}  // namespace tthc::api
