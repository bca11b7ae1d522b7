// `tthc-monitor backup DEST`: the store, the alert state and the frozen reports copied while the
// daemon runs, into a folder `restore` takes back (see backup_manifest.hpp).
#include "app/commands.hpp"

#include "app/backup_manifest.hpp"
#include "app/cli_support.hpp"
#include "app/loading.hpp"
#include "base/clock.hpp"
#include "reports/digest.hpp"
#include "store/backup.hpp"

#include <chrono>
#include <cstdio>
#include <ostream>

namespace tthc::app {

namespace fs = std::filesystem;

namespace {

// A new folder, or an empty one: a backup never mixes with another.
std::optional<Error> prepare_dest(const fs::path& dest) {
  std::error_code ec;
  if (fs::exists(dest, ec)) {
    if (!fs::is_directory(dest, ec)) return Error{dest.string() + ": not a folder"};
    if (!fs::is_empty(dest, ec)) {
      return Error{dest.string() + ": not empty: a backup goes into a new or empty folder"};
    }
    return std::nullopt;
  }
  fs::create_directories(dest, ec);
  if (ec) return Error{"cannot create " + dest.string() + ": " + ec.message()};
  return std::nullopt;
}

// One SQLite file copied as `<name>.partial`, checked, renamed to `name`: a file of the final
// name is always a whole, checked copy.
Result<BackupFile> back_up_database(const fs::path& source, const fs::path& dest,
                                    std::string_view name, std::string_view role) {
  const fs::path partial = dest / (std::string(name) + ".partial");
  const fs::path final_path = dest / name;
  auto copied = store::copy_database(source, partial, store::CopyOptions{});
  std::error_code ec;
  if (!copied) {
    fs::remove(partial, ec);
    return Error{"backup of " + source.string() + ": " + copied.error().message};
  }
  auto digest = reports::sha256_file_hex(partial);
  if (!digest) return digest.error();
  fs::rename(partial, final_path, ec);
  if (ec) return Error{"cannot rename " + partial.string() + ": " + ec.message()};
  return BackupFile{std::string(name), std::string(role), source.string(), copied->bytes,
                    std::move(*digest)};
}

// The reports folder: each finished snapshot (written once, never changed) copied whole. A
// snapshot the daemon is writing meanwhile is a hidden `.YYYY-MM.partial` folder: left out.
Result<BackupReports> back_up_reports(const fs::path& source, const fs::path& dest) {
  const fs::path partial = dest / (std::string(kBackupReportsDir) + ".partial");
  std::error_code ec;
  fs::create_directories(partial, ec);
  if (ec) return Error{"cannot create " + partial.string() + ": " + ec.message()};
  BackupReports r{std::string(kBackupReportsDir), source.string(), 0, 0};
  for (const auto& entry : fs::directory_iterator(source, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(".")) continue;
    fs::copy(entry.path(), partial / name, fs::copy_options::recursive, ec);
    if (ec) {
      const std::string cause = ec.message();
      fs::remove_all(partial, ec);
      return Error{"cannot copy " + entry.path().string() + " to " + partial.string() + ": " +
                   cause};
    }
  }
  if (ec) return Error{"cannot read " + source.string() + ": " + ec.message()};
  for (const auto& entry : fs::recursive_directory_iterator(partial, ec)) {
    if (!entry.is_regular_file()) continue;
    ++r.files;
    r.bytes += entry.file_size();
  }
  fs::rename(partial, dest / kBackupReportsDir, ec);
  if (ec) return Error{"cannot rename " + partial.string() + ": " + ec.message()};
  return r;
}

std::string megabytes(std::uintmax_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

// The backup itself: every file copied and checked, then the manifest, last: a folder without
// one is not a backup, whatever else it holds.
Result<BackupManifest> write_backup(const config::Settings& settings, const fs::path& dest) {
  std::error_code ec;
  if (!fs::is_regular_file(settings.store.path, ec)) {
    return Error{"no store at " + settings.store.path.string()};
  }
  if (auto e = prepare_dest(dest)) return *e;
  const Clock& clock = system_clock();
  const auto started = clock.steady();

  BackupManifest m;
  m.created = format_iso(now_in_vietnam());
  m.version = TTHC_VERSION;
  TTHC_TRY(auto store_file, back_up_database(settings.store.path, dest, kBackupStoreFile, "store"));
  m.files.push_back(std::move(store_file));
  TTHC_TRY(m.schema_version, store::schema_version_of(dest / kBackupStoreFile));
  const fs::path& alert_state = settings.alerts.delivery.state_db;
  if (fs::is_regular_file(alert_state, ec)) {
    TTHC_TRY(auto alerts, back_up_database(alert_state, dest, kBackupAlertsFile, "alerts"));
    m.files.push_back(std::move(alerts));
  }
  if (!settings.reports.dir.empty() && fs::is_directory(settings.reports.dir, ec)) {
    TTHC_TRY(m.reports, back_up_reports(settings.reports.dir, dest));
  }
  m.seconds = clock.seconds_since(started);
  const fs::path partial = dest / (std::string(kBackupManifestFile) + ".partial");
  if (auto e = write_durably(partial, manifest_json(m))) return *e;
  fs::rename(partial, dest / kBackupManifestFile, ec);
  if (ec) return Error{"cannot rename " + partial.string() + ": " + ec.message()};
  if (auto e = sync_directory(dest)) return *e;
  return m;
}

void print_backup(std::ostream& out, const BackupManifest& m, const fs::path& dest,
                  const config::Settings& settings) {
  out << "backup in " << dest.string() << " (schema " << m.schema_version << ")\n";
  for (const auto& f : m.files) {
    out << "  " << f.name << "  " << megabytes(f.bytes) << "  sha256 " << f.sha256.substr(0, 16)
        << "…  from " << f.source << "\n";
  }
  if (!m.find("alerts")) {
    out << "  no alert state at " << settings.alerts.delivery.state_db.string() << "\n";
  }
  if (m.reports) {
    out << "  " << m.reports->name << "/  " << thousands(m.reports->files) << " files, "
        << megabytes(m.reports->bytes) << "  from " << m.reports->source << "\n";
  }
  char timing[32];
  std::snprintf(timing, sizeof timing, "%.2f s", m.seconds);
  out << "checked (integrity_check) and complete in " << timing << "\n";
}

}  // namespace

int run_backup(const SourceOptions& src, const BackupCommand& cmd, std::ostream& out,
               std::ostream& err) {
  auto settings = load_settings_for(src, cmd.db, err);
  if (!settings) return kExitFailure;
  const fs::path dest = cmd.dest;
  auto manifest = write_backup(*settings, dest);
  if (!manifest) return fail_with(err, manifest.error());
  print_backup(out, *manifest, dest, *settings);
  return kExitOk;
}

}  // namespace tthc::app
