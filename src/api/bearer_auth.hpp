#pragma once
// The read endpoints' credentials: `Authorization: Bearer <token>` compared in constant time, or
// the board's session cookie (set by POST /signin once the token was typed in); no token
// configured: open.
//
// The cookie holds HMAC-SHA256(token, a fixed label), never the token: it proves the token was
// known, is the same for every browser and after a restart, and stops working when the token
// changes (rotate the token to sign everyone out).

#include "http/server.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace tthc::api {

inline constexpr std::string_view kSessionCookie = "tthc_session";

bool bearer_authorised(const std::optional<std::string>& token, const http::Request& req);
/// 401 with `WWW-Authenticate: Bearer`.
http::Response bearer_unauthorised();

/// The session cookie's value for a token.
std::string session_value(std::string_view token);
/// The value of a cookie of the request, if sent.
std::optional<std::string_view> request_cookie(const http::Request& req, std::string_view name);
/// A request sent with the board's session cookie for this token.
bool session_authorised(const std::string& token, const http::Request& req);

}  // namespace tthc::api
