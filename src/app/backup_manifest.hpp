#pragma once
// A backup folder's manifest.json: what `backup` copied and what `restore` checks before it puts
// anything in place. Pure: text in, text out.
//
//   {"format": "tthc-monitor-backup", "format_version": 1, "created": "…+07:00",
//    "tthc_monitor_version": "0.9.0", "schema_version": 3, "seconds": 1.2,
//    "files": [{"name": "tthc-monitor.db", "role": "store", "source": "/var/lib/…",
//               "bytes": 123, "sha256": "…"}, {"name": "alerts.db", "role": "alerts", …}],
//    "reports": {"name": "reports", "source": "/var/lib/…/reports", "files": 36, "bytes": 456}}

#include "base/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::app {

inline constexpr std::string_view kBackupStoreFile = "tthc-monitor.db";
inline constexpr std::string_view kBackupAlertsFile = "alerts.db";
inline constexpr std::string_view kBackupReportsDir = "reports";
inline constexpr std::string_view kBackupManifestFile = "manifest.json";

struct BackupFile {
  std::string name;  ///< in the backup folder
  std::string role;  ///< "store" or "alerts"
  std::string source;
  std::uintmax_t bytes = 0;
  std::string sha256;
};

struct BackupReports {
  std::string name;  ///< the folder in the backup
  std::string source;
  std::uintmax_t files = 0;
  std::uintmax_t bytes = 0;
};

struct BackupManifest {
  std::string created;  ///< ISO 8601, Vietnam time
  std::string version;  ///< tthc-monitor's
  int schema_version = 0;
  double seconds = 0;
  std::vector<BackupFile> files;
  std::optional<BackupReports> reports;

  const BackupFile* find(std::string_view role) const;
};

std::string manifest_json(const BackupManifest& m);
/// An error names the key that is missing or wrong.
Result<BackupManifest> parse_manifest(std::string_view text);

}  // namespace tthc::app
