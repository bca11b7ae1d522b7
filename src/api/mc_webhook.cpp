#include "api/mc_webhook.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>

#include <array>
#include <cctype>

namespace tthc::api {

namespace {

namespace json = boost::json;

std::array<unsigned char, 32> hmac_sha256(std::string_view secret, std::string_view body) {
  std::array<unsigned char, 32> out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), out.data(), &len);
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

http::Response json_response(int status, const json::object& o) {
  http::Response r;
  r.status = status;
  r.body = json::serialize(o);
  return r;
}

}  // namespace

std::string sign_body(std::string_view secret, std::string_view body) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto mac = hmac_sha256(secret, body);
  std::string out = "sha256=";
  for (const unsigned char b : mac) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

bool signature_matches(std::string_view secret, std::string_view body, std::string_view header) {
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  if (header.size() > 7 && (header.substr(0, 7) == "sha256=" || header.substr(0, 7) == "SHA256=")) {
    header.remove_prefix(7);
  }
  if (header.size() != 64) return false;
  std::array<unsigned char, 32> given{};
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = hex_value(header[2 * i]);
    const int lo = hex_value(header[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    given[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  const auto expected = hmac_sha256(secret, body);
  return CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
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
        return http::error_response(401, "missing signature header " + options.signature_header);
      }
      if (!signature_matches(*options.secret, req.body, *sig)) {
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
