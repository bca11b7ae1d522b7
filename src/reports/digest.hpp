#pragma once
// SHA-256 of bytes as lower-case hex (snapshot manifests, the catalogue fingerprint).

#include <string>
#include <string_view>

namespace tthc::reports {

std::string sha256_hex(std::string_view bytes);

}  // namespace tthc::reports
