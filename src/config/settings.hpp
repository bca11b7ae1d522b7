#pragma once
// The daemon's settings: parsed from TOML, validated once, then immutable. Unknown keys are
// errors, so a misspelt setting never silently falls back to a default.

// Each section is read straight into the options of the module it configures: a setting is
// declared once, beside the code that uses it. Those headers are plain structs (no Beast,
// SQLite or prometheus type), so including them costs little.
#include "alerts/dispatcher.hpp"
#include "api/mc_webhook.hpp"
#include "base/result.hpp"
#include "calendar/holiday_table.hpp"
#include "calendar/working_calendar.hpp"
#include "engine/rules.hpp"
#include "engine/units.hpp"
#include "http/server.hpp"
#include "ingest/poller.hpp"
#include "metrics/metrics.hpp"
#include "reports/scheduler.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::config {

struct CalendarSettings {
  /// Folder of holiday tables, one TOML file per year (config/holidays/2026.toml).
  std::filesystem::path holidays_dir;
  calendar::WorkingHours hours = calendar::WorkingHours::standard();
};

struct StoreSettings {
  std::filesystem::path path;    ///< the SQLite file
  bool durable_commits = false;  ///< synchronous=FULL: commits survive power loss too
};

/// The daemon's own defaults where they differ from the module's.
inline http::ServerOptions default_server() {
  http::ServerOptions o;
  o.port = 8080;
  return o;
}
inline alerts::AlertSettings default_alert_rules() {
  alerts::AlertSettings o;
  o.dossier_url.clear();  // the dossier API on http.listen
  return o;
}

/// [http]: the server's listen, body_limit, max_connections, max_connections_per_client,
/// reserve_connections and header_timeout; the read endpoints' token.
struct HttpSettings {
  http::ServerOptions server = default_server();
  /// Bearer token the read endpoints (/metrics, /api/v1/dossiers) require, from
  /// read_token_file or read_token_env; none: open (bind to loopback or a trusted network).
  std::optional<std::string> read_token;
};

/// [poller]: polling the one-stop system's API (ingest::Poller); see config/tthc-monitor.toml.
struct PollerSettings {
  bool enabled = false;
  ingest::PollerOptions options;
};

/// [alerts]: when alerts start (alerts::AlertSettings) and where they go (the dispatcher's
/// state, resend_interval, alertmanager, webhook and ca_file).
struct AlertsSettings {
  alerts::DispatcherOptions delivery;
  /// An empty dossier_url: http://<http.listen>/api/v1/dossiers/{code}, known once listening.
  alerts::AlertSettings rules = default_alert_rules();
};

/// [units] successors and count_under: how reports group dossiers by the unit register
/// (units_file). The engine's struct, so the reports take it without knowing the settings.
using UnitSettings = engine::UnitOptions;

struct Settings {
  std::filesystem::path source;  ///< the file read, empty for built-in defaults
  CalendarSettings calendar;
  engine::Settings engine;
  StoreSettings store;
  std::filesystem::path catalogue_file;
  std::filesystem::path units_file;  ///< the unit register; empty: none
  UnitSettings units;
  HttpSettings http;
  api::WebhookOptions webhook;  ///< the signing settings; the daemon adds the wiring
  PollerSettings poller;
  metrics::MetricsOptions metrics;  ///< version: the daemon's own
  AlertsSettings alerts;
  /// Each closed month's snapshot; an empty dir: none. The daemon adds the wiring.
  reports::SchedulerOptions reports;
};

/// Built-in defaults, paths relative to `base_dir`.
Settings default_settings(const std::filesystem::path& base_dir);

/// Parses a configuration; relative paths are resolved against `base_dir`.
Result<Settings> parse_settings(std::string_view toml_text, std::string_view name,
                                const std::filesystem::path& base_dir);
Result<Settings> load_settings(const std::filesystem::path& file);

/// One year's table: `year`, `days_off`, `working_saturdays` (dates "YYYY-MM-DD"), `source`.
Result<calendar::HolidayTable> parse_holiday_table(std::string_view toml_text,
                                                   std::string_view name);
/// Every `*.toml` file of a folder, in year order.
Result<std::vector<calendar::HolidayTable>> load_holiday_dir(const std::filesystem::path& dir);

/// The working calendar the settings describe.
Result<calendar::WorkingCalendar> build_calendar(const CalendarSettings& settings);

}  // namespace tthc::config
