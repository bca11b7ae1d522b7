#include "api/bearer_auth.hpp"

#include "http/signature.hpp"

#include "domain/text.hpp"

#include <openssl/crypto.h>

namespace tthc::api {

namespace {

bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

bool bearer_authorised(const std::optional<std::string>& token, const http::Request& req) {
  if (!token) return true;
  if (const auto header = req.header("authorization")) {
    // RFC 7235: the scheme is case-insensitive, then one or more spaces.
    std::string_view h = *header;
    const std::size_t space = h.find(' ');
    if (space != std::string_view::npos && iequals_ascii(h.substr(0, space), "bearer")) {
      std::string_view credentials = h.substr(space);
      while (!credentials.empty() && credentials.front() == ' ') credentials.remove_prefix(1);
      if (same(credentials, *token)) return true;
    }
  }
  return session_authorised(*token, req);
}

http::Response bearer_unauthorised() {
  http::Response r = http::error_response(401, "missing or wrong bearer token");
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

std::string session_value(std::string_view token) {
  std::string signed_label = http::sign_body(token, "tthc-monitor board session v1");
  return signed_label.substr(signed_label.find('=') + 1);
}

std::optional<std::string_view> request_cookie(const http::Request& req, std::string_view name) {
  for (const auto& [header, value] : req.headers) {
    if (header != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const std::size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    }
  }
  return std::nullopt;
}

bool session_authorised(const std::string& token, const http::Request& req) {
  const auto cookie = request_cookie(req, kSessionCookie);
  return cookie && same(*cookie, session_value(token));
}

}  // namespace tthc::api
