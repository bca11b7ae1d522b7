#pragma once
// HMAC-SHA256 body signatures, as the MC webhook checks them and the alert webhook sends them.

#include <string>
#include <string_view>

namespace tthc::http {

/// `sha256=<hex of HMAC-SHA256(secret, body)>`, as a sender puts it in the header.
std::string sign_body(std::string_view secret, std::string_view body);
/// Accepts the hex digest with or without the `sha256=` prefix, in either case; compares in
/// constant time.
bool signature_matches(std::string_view secret, std::string_view body, std::string_view header);

}  // namespace tthc::http
