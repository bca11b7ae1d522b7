#pragma once
// Internal to the http module: splitting a request target into its decoded path and raw query.
// Kept apart so server.cpp (Beast) does not also compile Boost.URL.

#include "base/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace tthc::http::detail {

struct Target {
  std::string path;          ///< percent-decoded
  std::string encoded_path;  ///< as received
  std::string query;         ///< raw, without '?'
};

/// Origin-form ("/a/b?x=1") or absolute-form ("http://host/a/b?x=1"). An error for anything
/// else, a bad percent escape, or an escaped NUL.
Result<Target> parse_target(std::string_view target);

/// "/a/b%2Fc/" -> {"a", "b/c", ""}; "/" -> {}. nullopt-like error on a bad escape.
Result<std::vector<std::string>> decoded_segments(std::string_view encoded_path);

}  // namespace tthc::http::detail
