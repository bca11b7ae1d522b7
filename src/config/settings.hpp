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
  /// Bearer token the read endpoints (/metrics, /api/v1/dossiers) require, from
  /// read_token_file or read_token_env; none: open (bind to loopback or a trusted network).
  std::optional<std::string> read_token;
};

struct MetricsSettings {
  std::string province;         ///< constant label on every series; empty: none
  double on_time_target = 0.95; ///< tthc_on_time_rate_target
  double reduced_ratio = 0.7;   ///< reduced/legal limit: a bucket edge of the time ratio
};

struct WebhookSettings {
  /// Header carrying the HMAC-SHA256 of the raw body, hex (a `sha256=` prefix is accepted).
  std::string signature_header = "x-signature";
  /// The shared secret, read from `secret_file` or `secret_env`; none: bodies are not signed.
  std::optional<std::string> secret;
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
