#pragma once
// The daemon's settings: parsed from TOML, validated once, then immutable. Unknown keys are
// errors, so a misspelt setting never silently falls back to a default.

#include "base/result.hpp"
#include "calendar/holiday_table.hpp"
#include "calendar/working_calendar.hpp"
#include "engine/rules.hpp"

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

struct HttpSettings {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;
  std::size_t body_limit = 8 * 1024 * 1024;
  /// Connections at once (lowered at start when the descriptor limit is too low for it).
  std::size_t max_connections = 1024;
  /// Connections at once from one client address (an IPv6 client: its /64).
  std::size_t max_connections_per_client = 64;
  /// Beyond max_connections, connections kept for the probes and /metrics.
  std::size_t reserve_connections = 16;
  /// A request head must be complete this long after the connection opens (or, on a kept-alive
  /// connection, after its first byte).
  std::chrono::milliseconds header_timeout{10000};
  /// Bearer token the read endpoints (/metrics, /api/v1/dossiers) require, from
  /// read_token_file or read_token_env; none: open (bind to loopback or a trusted network).
  std::optional<std::string> read_token;
};

struct MetricsSettings {
  std::string province;          ///< constant label on every series; empty: none
  double on_time_target = 0.95;  ///< tthc_on_time_rate_target
  double reduced_ratio = 0.7;    ///< reduced/legal limit: a bucket edge of the time ratio
  /// Values of a payload label with series of their own; later ones share "other".
  std::size_t max_units = 1000;
  std::size_t max_fields = 300;
  std::size_t max_departments = 500;
  std::size_t max_unit_fields = 5000;       ///< (unit, field) pairs
  std::size_t max_unit_departments = 5000;  ///< (unit, department) pairs
};

struct WebhookSettings {
  /// Header carrying the HMAC-SHA256 of the raw body, hex (a `sha256=` prefix is accepted).
  std::string signature_header = "x-signature";
  /// The shared secret, read from `secret_file` or `secret_env`; none: bodies are not signed.
  std::optional<std::string> secret;
  /// A timestamped signature (`t=..,v1=..`) older or newer than this is refused.
  std::chrono::seconds signature_tolerance{300};
  /// Refuse the plain `sha256=` form (which can be replayed): only timestamped signatures.
  bool require_timestamp = false;
};

/// Polling the one-stop system's API (ingest::Poller); see config/tthc-monitor.toml.
struct PollerSettings {
  bool enabled = false;
  std::string name = "onestop";
  std::string url;
  std::string cursor_param = "since";
  std::string limit_param = "limit";
  std::size_t page_size = 100;
  std::string records_path = "data";
  std::string next_cursor_path = "next";
  std::string has_more_path = "has_more";
  std::string progress_url;  ///< "{code}" is replaced by the MaHoSo
  std::string progress_records_path = "data";
  std::chrono::milliseconds interval{30'000};
  std::chrono::milliseconds timeout{10'000};
  std::size_t max_pages_per_cycle = 50;
  std::string auth = "none";  ///< none, bearer, api_key, basic
  std::string api_key_header = "X-API-Key";
  std::optional<std::string> secret;  ///< from secret_file or secret_env; never logged
  std::optional<std::filesystem::path> ca_file;
};

/// A generic JSON webhook for alerts (chat bots, the one-stop system's task list).
struct AlertWebhookSettings {
  std::string url;
  std::optional<std::string> secret;  ///< from secret_file or secret_env: HMAC-SHA256 signing
  std::string signature_header = "X-Signature";
  int max_attempts = 10;  ///< then the delivery goes to the dead-letter table
};

struct AlertsSettings {
  std::filesystem::path state;                ///< the alert state file (SQLite)
  Duration due_soon = std::chrono::hours{8};  ///< 1 working day
  std::map<std::string, Duration, std::less<>> due_soon_by_procedure;  ///< MaTTHC → threshold
  std::string
      dossier_url;  ///< "{code}" → MaHoSo; empty: http://<http.listen>/api/v1/dossiers/{code}
  std::chrono::milliseconds resend_interval{60'000};
  std::vector<std::string> alertmanager;  ///< base URLs
  std::vector<AlertWebhookSettings> webhooks;
  std::optional<std::filesystem::path> ca_file;  ///< https sinks: trust this CA bundle
};

/// The monthly reports (src/reports): where the daemon writes each closed month's snapshot.
struct ReportSettings {
  std::filesystem::path dir;  ///< snapshots, one folder a month; empty: the daemon writes none
  int hour = 6;               ///< written the day after a period's last day, at this hour
  int period_start_day = 1;   ///< 1: calendar months; D: from D of the month before to D − 1
  int backfill_months = 12;   ///< missing closed months written at start-up, at most
};

struct Settings {
  std::filesystem::path source;  ///< the file read, empty for built-in defaults
  CalendarSettings calendar;
  engine::Settings engine;
  StoreSettings store;
  std::filesystem::path catalogue_file;
  HttpSettings http;
  WebhookSettings webhook;
  PollerSettings poller;
  MetricsSettings metrics;
  AlertsSettings alerts;
  ReportSettings reports;
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
