#include "api/bearer_auth.hpp"

#include <openssl/crypto.h>

namespace tthc::api {

bool bearer_authorised(const std::optional<std::string>& token, const http::Request& req) {
  if (!token) return true;
  const auto header = req.header("authorization");
  if (!header || !header->starts_with("Bearer ")) return false;
  const std::string_view given = header->substr(7);
  return given.size() == token->size() &&
         CRYPTO_memcmp(given.data(), token->data(), given.size()) == 0;
}

http::Response bearer_unauthorised() {
  http::Response r = http::error_response(401, "missing or wrong bearer token");
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

}  // namespace tthc::api
