#pragma once
// The JSON forms of an alert: the payload kept in the alert state (read back at a restart), the
// generic webhook event, and Alertmanager's API v2 alert. Pure: no I/O.

#include "alerts/alert.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace tthc::alerts {

/// The alert as stored (and as the webhook event's body, less its status).
std::string stored_payload(const Alert& a, Duration day_length);
/// A stored payload read back; none when it is not a JSON object.
std::optional<Alert> from_stored_payload(std::string_view payload);

/// A webhook event: the alert with its status ("firing", "resolved"), its end and the province.
std::string webhook_event(const Alert& a, const std::string& status, std::optional<Moment> ends,
                          const std::string& province, Duration day_length);

/// Alertmanager API v2: one alert, alive until `ends_at` (none: until resolved).
boost::json::object to_alertmanager(const Alert& a, const std::string& province,
                                    std::optional<Moment> ends_at, Duration day_length);

}  // namespace tthc::alerts
