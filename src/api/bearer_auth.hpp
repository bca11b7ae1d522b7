#pragma once
// The read endpoints' bearer token: `Authorization: Bearer <token>` compared in constant time;
// no token configured: open.

#include "http/server.hpp"

#include <optional>
#include <string>

namespace tthc::api {

bool bearer_authorised(const std::optional<std::string>& token, const http::Request& req);
/// 401 with `WWW-Authenticate: Bearer`.
http::Response bearer_unauthorised();

}  // namespace tthc::api
