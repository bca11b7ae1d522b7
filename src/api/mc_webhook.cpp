#include "api/mc_webhook.hpp"

#include "http/signature.hpp"

#include <boost/json.hpp>

#include <array>
#include <cctype>

namespace tthc::api {

namespace {

namespace json = boost::json;

http::Response json_response(int status, const json::object& o) {
  http::Response r;
  r.status = status;
  r.body = json::serialize(o);
  return r;
}

}  // namespace

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
        return http::error_response(401, "missing signature header " + options.signature_header);
      }
      if (!http::signature_matches(*options.secret, req.body, *sig)) {
        return http::error_response(401, "bad signature: " + options.signature_header +
                                             " is not the HMAC-SHA256 of the body");
      }
    }
    auto batch = ingest::parse_envelope(req.body, options.limits);
    if (!batch) return http::error_response(400, batch.error().message);

    json::array rejected;
    for (const ingest::Rejection& r : batch->rejected) {
      json::object o;
      o["index"] = r.index;
      if (!r.code.empty()) o["MaHoSo"] = r.code;
      o["reason"] = r.reason;
      rejected.push_back(std::move(o));
    }
    const std::size_t rejected_count = batch->rejected.size();
    const std::size_t records = batch->records;
    store::BatchInfo info{"webhook", options.clock(), std::nullopt, rejected_count};
    auto future = intake.submit(std::move(*batch), std::move(info));
    if (future.wait_for(options.commit_timeout) != std::future_status::ready) {
      // The batch stays queued and will commit; the sender's retry is then "unchanged".
      return http::error_response(503, "the store did not commit within " +
                                           std::to_string(options.commit_timeout.count()) +
                                           " s; retry later");
    }
    auto outcome = future.get();
    if (const auto* err = std::get_if<ingest::IntakeError>(&outcome)) {
      http::Response r = http::error_response(503, err->message);
      if (err->busy) r.headers.emplace_back("Retry-After", "1");
      return r;
    }
    const auto& c = std::get<store::ApplyCounts>(outcome);
    json::object o;
    o["records"] = records;
    o["accepted"] = c.accepted;
    o["unchanged"] = records - rejected_count - c.accepted;
    o["rejected"] = rejected_count;
    o["new"] = c.new_dossiers;
    o["updated"] = c.updated;
    o["stale"] = c.stale;
    o["progress_added"] = c.progress_added;
    o["rejected_records"] = std::move(rejected);
    return json_response(200, o);
  });
}

}  // namespace tthc::api
