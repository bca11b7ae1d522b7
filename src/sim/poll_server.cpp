#include "sim/poll_server.hpp"

#include "http/server.hpp"

#include <charconv>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

namespace tthc::sim {

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

/// Compares without an early exit, so the time taken does not tell how much of a token matched.
bool same_secret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(s[i]) != lower(prefix[i])) return false;
  }
  return true;
}

}  // namespace

struct PollServer::Impl {
  Impl(DeliveryStream s, PollServerOptions o) : options(std::move(o)), stream(std::move(s)) {}

  std::optional<http::Response> unauthorized(const http::Request& request) const {
    if (!options.token) return std::nullopt;
    const auto header = request.header("authorization");
    constexpr std::string_view kScheme = "Bearer ";
    if (header && starts_with_ci(*header, kScheme) &&
        same_secret(header->substr(kScheme.size()), *options.token)) {
      return std::nullopt;
    }
    http::Response r = http::error_response(401, "missing or wrong bearer token");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  }

  http::Response list(const http::Request& request) const {
    if (auto denied = unauthorized(request)) return *denied;
    std::size_t limit = options.default_limit;
    if (auto text = request.query_param("limit")) {
      if (!all_digits(*text)) {
        return http::error_response(400, "limit: not a positive whole number: \"" + *text + "\"");
      }
      std::uint64_t n = 0;
      const auto res = std::from_chars(text->data(), text->data() + text->size(), n);
      if (res.ec == std::errc::result_out_of_range) n = options.max_limit;
      if (n == 0) return http::error_response(400, "limit: not a positive whole number: \"0\"");
      limit = static_cast<std::size_t>(std::min<std::uint64_t>(n, options.max_limit));
    }
    std::string since;
    std::uint64_t after = 0;
    if (auto text = request.query_param("since"); text && !text->empty()) {
      const auto res = std::from_chars(text->data(), text->data() + text->size(), after);
      if (!all_digits(*text) || res.ec != std::errc{}) {
        return http::error_response(400, "since: not a cursor: \"" + *text + "\"");
      }
      since = *text;
    }

    http::Response response;
    std::string& body = response.body;
    body.reserve(limit * 2048 + 64);
    body += "{\"data\":[";
    std::uint64_t last = 0;
    bool more = false;
    {
      const std::shared_lock lock(mutex);
      const std::uint64_t size = log.size();
      std::uint64_t seq = after;
      for (std::size_t n = 0; n < limit && seq < size; ++n, ++seq) {
        if (n > 0) body += ',';
        log[seq].append_record(body, options.embed_progress);
        last = seq + 1;
      }
      more = seq < size;
    }
    body += "],\"next\":\"";
    body += last > 0 ? std::to_string(last) : since;
    body += "\",\"has_more\":";
    body += more ? "true" : "false";
    body += '}';
    return response;
  }

  http::Response progress(const http::Request& request) const {
    if (auto denied = unauthorized(request)) return *denied;
    const std::string code(request.param("code").value_or(""));
    http::Response response;
    {
      const std::shared_lock lock(mutex);
      const auto it = latest.find(code);
      if (it == latest.end()) return http::error_response(404, "no dossier " + code);
      response.body = "{\"data\":";
      it->second.append_progress(response.body);
      response.body += '}';
    }
    return response;
  }

  PollServerOptions options;
  std::mutex advance_mutex;  // one advance at a time; held while the stream is advanced
  DeliveryStream stream;
  mutable std::shared_mutex mutex;  // guards what handlers read below
  std::vector<ScheduledDelivery> log;
  std::unordered_map<std::string, ScheduledDelivery> latest;  // freshest good snapshot per code
  std::optional<Moment> now;
  std::unique_ptr<http::Server> server;
};

PollServer::PollServer(DeliveryStream stream, PollServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(stream), std::move(options))) {
  http::Router router;
  Impl* impl = impl_.get();
  router.add("GET", "/api/dossiers", [impl](const http::Request& r) { return impl->list(r); });
  router.add("GET", "/api/dossiers/{code}/progress",
             [impl](const http::Request& r) { return impl->progress(r); });
  http::ServerOptions server_options;
  server_options.address = impl_->options.address;
  server_options.port = impl_->options.port;
  server_options.log = impl_->options.log;
  impl_->server = std::make_unique<http::Server>(std::move(server_options), std::move(router));
}

PollServer::~PollServer() {
  stop();
}

Result<std::uint16_t> PollServer::start() {
  return impl_->server->start();
}

std::uint16_t PollServer::port() const {
  return impl_->server->port();
}

void PollServer::stop() {
  impl_->server->stop();
}

std::vector<ScheduledDelivery> PollServer::advance_to(Moment now) {
  const std::lock_guard advancing(impl_->advance_mutex);
  if (impl_->now && now < *impl_->now) now = *impl_->now;
  std::vector<ScheduledDelivery> fresh;
  impl_->stream.advance(now, [&](const ScheduledDelivery& d) { fresh.push_back(d); });
  const std::unique_lock lock(impl_->mutex);
  for (const ScheduledDelivery& d : fresh) {
    if (d.defect() == Defect::InvalidUtf8 && !impl_->options.serve_invalid_utf8) continue;
    impl_->log.push_back(d);
    if (d.bad()) continue;
    auto [it, inserted] = impl_->latest.try_emplace(d.code(), d);
    if (!inserted && it->second.revision() < d.revision()) it->second = d;
  }
  impl_->now = now;
  return fresh;
}

std::optional<Moment> PollServer::now() const {
  const std::shared_lock lock(impl_->mutex);
  return impl_->now;
}

std::uint64_t PollServer::changes() const {
  const std::shared_lock lock(impl_->mutex);
  return impl_->log.size();
}

}  // namespace tthc::sim
