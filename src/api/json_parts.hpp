#pragma once
// Private to src/api: how the endpoints write a moment in JSON.

#include "domain/time.hpp"

#include <boost/json.hpp>

#include <optional>

namespace tthc::api {

/// ISO text, or null when there is none.
inline boost::json::value json_moment(const std::optional<Moment>& m) {
  if (!m) return nullptr;
  return boost::json::string(format_iso(*m));
}

}  // namespace tthc::api
