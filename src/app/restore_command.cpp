// `tthc-monitor restore SRC`: a backup folder put back in place of the store (and the alert
// state and reports folder it holds), with the daemon stopped; the current files are kept
// aside, renamed with the moment of the restore.
#include "app/commands.hpp"

#include "app/backup_manifest.hpp"
#include "app/cli_support.hpp"
#include "app/loading.hpp"
#include "app/store_lock.hpp"
#include "reports/digest.hpp"
#include "store/backup.hpp"

#include <fstream>
#include <iterator>
#include <ostream>

namespace tthc::app {

namespace fs = std::filesystem;

namespace {

fs::path with_suffix(const fs::path& p, std::string_view suffix) {
  fs::path out = p;
  out += suffix;
  return out;
}

// A file of the backup as its manifest describes it: size, digest, and for SQLite files a
// clean integrity check.
std::optional<Error> check_backup_file(const fs::path& dir, const BackupFile& f) {
  const fs::path file = dir / f.name;
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec) return Error{file.string() + ": " + ec.message()};
  if (size != f.bytes) {
    return Error{file.string() + ": " + std::to_string(size) + " bytes, the manifest says " +
                 std::to_string(f.bytes)};
  }
  auto digest = reports::sha256_file_hex(file);
  if (!digest) return digest.error();
  if (*digest != f.sha256) return Error{file.string() + ": sha256 differs from the manifest's"};
  return store::check_integrity(file);
}

Result<BackupManifest> read_backup(const fs::path& dir) {
  const fs::path file = dir / kBackupManifestFile;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Error{file.string() +
                 ": missing: not a backup, or an incomplete one (the manifest "
                 "is written last)"};
  }
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto m = parse_manifest(text);
  if (!m) return Error{file.string() + ": " + m.error().message};
  if (!m->find("store")) return Error{file.string() + ": no store file listed"};
  for (const auto& f : m->files) {
    if (f.name.empty() || f.name.find('/') != std::string::npos || f.name.starts_with(".")) {
      return Error{file.string() + ": files: not a plain file name: \"" + f.name + "\""};
    }
    if (auto e = check_backup_file(dir, f)) return *e;
  }
  if (m->schema_version > store::latest_schema_version()) {
    return Error{(dir / kBackupStoreFile).string() + ": schema " +
                 std::to_string(m->schema_version) + " was written by a newer tthc-monitor (" +
                 m->version + "); this one knows up to " +
                 std::to_string(store::latest_schema_version())};
  }
  return m;
}

// One thing to put in place: first staged beside its target (same file system, so the final
// rename is atomic), then the target and its SQLite companions moved aside, then the swap.
struct Placement {
  fs::path from;    ///< in the backup
  fs::path target;  ///< where the daemon reads it
  bool database = true;
  fs::path staged() const { return with_suffix(target, ".restoring"); }
};

std::optional<Error> stage(const Placement& p) {
  std::error_code ec;
  if (p.target.has_parent_path()) fs::create_directories(p.target.parent_path(), ec);
  fs::remove_all(p.staged(), ec);
  if (p.database) {
    fs::copy_file(p.from, p.staged(), fs::copy_options::overwrite_existing, ec);
  } else {
    fs::copy(p.from, p.staged(), fs::copy_options::recursive, ec);
  }
  if (ec) {
    fs::remove_all(p.staged(), ec);
    return Error{"cannot copy " + p.from.string() + " to " + p.staged().string() + ": " +
                 ec.message()};
  }
  return std::nullopt;
}

// The current files go aside as `<target>.before-restore-<stamp>` (a database with its -wal and
// -journal, which may hold committed pages); the -shm index is derived and removed.
Result<std::optional<fs::path>> put_in_place(const Placement& p, std::string_view stamp) {
  std::error_code ec;
  std::optional<fs::path> aside;
  const fs::path kept = with_suffix(p.target, ".before-restore-" + std::string(stamp));
  if (fs::exists(p.target, ec)) {
    fs::rename(p.target, kept, ec);
    if (ec) return Error{"cannot move " + p.target.string() + " aside: " + ec.message()};
    aside = kept;
  }
  if (p.database) {
    for (const char* companion : {"-wal", "-journal"}) {
      const fs::path c = with_suffix(p.target, companion);
      if (!fs::exists(c, ec)) continue;
      fs::rename(c, with_suffix(kept, companion), ec);
      if (ec) return Error{"cannot move " + c.string() + " aside: " + ec.message()};
    }
    fs::remove(with_suffix(p.target, "-shm"), ec);
  }
  fs::rename(p.staged(), p.target, ec);
  if (ec) return Error{"cannot rename " + p.staged().string() + ": " + ec.message()};
  if (p.target.has_parent_path()) {
    if (auto e = sync_directory(p.target.parent_path())) return *e;
  }
  return aside;
}

std::vector<Placement> placements(const BackupManifest& m, const fs::path& dir,
                                  const config::Settings& settings) {
  std::vector<Placement> out;
  out.push_back({dir / m.find("store")->name, settings.store.path, true});
  if (const BackupFile* alerts = m.find("alerts")) {
    out.push_back({dir / alerts->name, settings.alerts.delivery.state_db, true});
  }
  std::error_code ec;
  if (m.reports && !settings.reports.dir.empty() && fs::is_directory(dir / m.reports->name, ec)) {
    out.push_back({dir / m.reports->name, settings.reports.dir, false});
  }
  return out;
}

}  // namespace

int run_restore(const SourceOptions& src, const RestoreCommand& cmd, std::ostream& out,
                std::ostream& err) {
  auto settings = load_settings_for(src, cmd.db, err);
  if (!settings) return kExitFailure;
  const auto fail = [&err](const Error& e) { return fail_with(err, e); };
  const fs::path dir = cmd.source;
  auto manifest = read_backup(dir);
  if (!manifest) return fail(manifest.error());

  auto lock = StoreLock::try_acquire(settings->store.path);
  if (!lock) return fail(lock.error());
  if (!*lock) {
    err << "tthc-monitor: error: " << settings->store.path.string()
        << " is in use: a daemon (tthc-monitor run) holds "
        << StoreLock::path_for(settings->store.path).string() << "; stop it, then restore\n";
    return kExitStoreInUse;
  }
  const std::vector<Placement> todo = placements(*manifest, dir, *settings);
  for (const Placement& p : todo) {
    if (auto e = stage(p)) {
      std::error_code ec;
      for (const Placement& q : todo) fs::remove_all(q.staged(), ec);
      return fail(*e);
    }
  }
  const std::string stamp = format_compact(now_in_vietnam());
  out << "restored the backup of " << manifest->created << " (tthc-monitor " << manifest->version
      << ", schema " << manifest->schema_version << ") from " << dir.string() << "\n";
  for (const Placement& p : todo) {
    auto aside = put_in_place(p, stamp);
    if (!aside) return fail(aside.error());
    out << "  " << p.target.string();
    if (*aside) out << "  (the previous one kept as " << (*aside)->filename().string() << ")";
    out << "\n";
  }
  if (!manifest->find("alerts")) {
    out << "  the backup holds no alert state: " << settings->alerts.delivery.state_db.string()
        << " left as it is\n";
  }
  return kExitOk;
}

}  // namespace tthc::app
