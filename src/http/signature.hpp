#pragma once
// HMAC-SHA256 body signatures, as the MC webhook checks them and the alert webhook sends them.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace tthc::http {

/// `sha256=<hex of HMAC-SHA256(secret, body)>`, as a sender puts it in the header.
std::string sign_body(std::string_view secret, std::string_view body);
/// Accepts the hex digest with or without the `sha256=` prefix, in either case; compares in
/// constant time.
bool signature_matches(std::string_view secret, std::string_view body, std::string_view header);

/// A signature that cannot be replayed later: `t=<unix seconds>,v1=<hex of HMAC-SHA256(secret,
/// "<t>." + body)>`, the scheme of the large webhook providers. The timestamp is signed with the
/// body, so a captured request is refused once it is older than the receiver's tolerance.
std::string sign_timestamped(std::string_view secret, std::string_view body,
                             std::int64_t unix_seconds);

/// What a signature header proves.
enum class SignatureCheck {
  Valid,        ///< a timestamped signature within the tolerance
  ValidPlain,   ///< a plain `sha256=` one (no timestamp: it can be replayed)
  Invalid,      ///< not the HMAC of the body (with its timestamp), or not a signature at all
  OutOfWindow,  ///< a correct timestamped signature, but older or newer than the tolerance
};
/// Checks `header` in either form against `body`. For the timestamped form, `now_unix` and
/// `tolerance` bound |now - t|; several `v1=` values (a secret being rotated) may be given.
SignatureCheck check_signature(std::string_view secret, std::string_view body,
                               std::string_view header, std::int64_t now_unix,
                               std::chrono::seconds tolerance);

}  // namespace tthc::http
