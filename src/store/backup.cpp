#include "store/backup.hpp"

#include "store/sqlite.hpp"

#include <cstring>
#include <string>
#include <thread>

namespace tthc::store {

namespace fs = std::filesystem;

namespace {

// SQLite's words for a result code, with the system's when there is one (ENOSPC, EACCES).
std::string cause(const sql::Db& db, int rc) {
  std::string text = sqlite3_errstr(rc);
  if (const int e = sqlite3_system_errno(db.get()); e != 0)
    text += std::string(": ") + std::strerror(e);
  return text;
}

// Owns a sqlite3_backup; finish() is where SQLite reports the copy's own errors.
class Backup {
 public:
  Backup(sql::Db& dest, sql::Db& source)
      : b_(sqlite3_backup_init(dest.get(), "main", source.get(), "main")) {}
  Backup(const Backup&) = delete;
  Backup& operator=(const Backup&) = delete;
  ~Backup() { finish(); }
  explicit operator bool() const { return b_ != nullptr; }
  int step(int pages) { return sqlite3_backup_step(b_, pages); }
  int pagecount() const { return sqlite3_backup_pagecount(b_); }
  int finish() { return b_ != nullptr ? sqlite3_backup_finish(std::exchange(b_, nullptr)) : 0; }

 private:
  sqlite3_backup* b_;
};

// The copy's steps; SQLITE_DONE when the whole file is copied. BUSY or LOCKED on the source
// (a writer checkpointing, the file's lock taken for a moment) is waited out, for a while.
int copy_steps(Backup& backup, const CopyOptions& options, CopyStats& stats) {
  constexpr auto kBusyPatience = std::chrono::seconds(30);
  auto busy_since = std::chrono::steady_clock::time_point::max();
  for (;;) {
    const int rc = backup.step(options.pages_per_step);
    ++stats.steps;
    if (rc == SQLITE_DONE) return rc;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      const auto now = std::chrono::steady_clock::now();
      if (busy_since == std::chrono::steady_clock::time_point::max()) busy_since = now;
      if (now - busy_since > kBusyPatience) return rc;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    if (rc != SQLITE_OK) return rc;
    busy_since = std::chrono::steady_clock::time_point::max();
    if (options.pause.count() > 0) std::this_thread::sleep_for(options.pause);
  }
}

// Every page copied from the open read transaction of `source` into a fresh `dest`.
std::optional<Error> copy_pages(sql::Db& source, const fs::path& dest, const CopyOptions& options,
                                CopyStats& stats) {
  auto out = sql::Db::open(dest.string(), false);
  if (!out) return out.error();
  Backup backup(*out, source);
  if (!backup) return Error{"cannot copy to " + dest.string() + ": " + out->message()};
  const int rc = copy_steps(backup, options, stats);
  stats.pages = backup.pagecount();
  const int finished = backup.finish();
  if (rc != SQLITE_DONE) {
    return Error{"cannot copy to " + dest.string() + ": " + cause(*out, rc)};
  }
  if (finished != SQLITE_OK) {
    return Error{"cannot copy to " + dest.string() + ": " + cause(*out, finished)};
  }
  return std::nullopt;
}

}  // namespace

Result<CopyStats> copy_database(const fs::path& source, const fs::path& dest,
                                const CopyOptions& options) {
  std::error_code ec;
  if (!fs::is_regular_file(source, ec)) return Error{source.string() + ": no such file"};
  auto src = sql::Db::open_existing(source.string());
  if (!src) return src.error();
  if (auto e = src->exec("PRAGMA busy_timeout=5000", "configure " + source.string())) return *e;
  // One read transaction for the whole copy: every step reads the same state of the file. A
  // read transaction starts at its first read, hence the query.
  auto read = sql::Transaction::begin_read(*src);
  if (!read) return Error{source.string() + ": " + read.error().message};
  if (auto e = src->exec("SELECT count(*) FROM sqlite_schema", "read " + source.string())) {
    return *e;
  }
  fs::remove(dest, ec);
  CopyStats stats;
  if (auto e = copy_pages(*src, dest, options, stats)) return *e;
  {
    // The copy's header says WAL, as its source's does: one self-contained file instead.
    auto copy = sql::Db::open_existing(dest.string());
    if (!copy) return copy.error();
    if (auto e = copy->exec("PRAGMA journal_mode=DELETE", "finish " + dest.string())) return *e;
  }
  if (auto e = check_integrity(dest)) return *e;
  stats.bytes = fs::file_size(dest, ec);
  return stats;
}

std::optional<Error> check_integrity(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return Error{file.string() + ": no such file"};
  auto db = sql::Db::open(file.string(), true);
  if (!db) return db.error();
  auto check = sql::Stmt::prepare(*db, "PRAGMA integrity_check");
  if (!check) return Error{file.string() + ": " + check.error().message};
  auto row = check->step();
  if (!row) return Error{file.string() + ": integrity check failed: " + row.error().message};
  const std::string first = *row ? std::string(check->text(0)) : "no answer";
  if (first != "ok") return Error{file.string() + ": integrity check failed: " + first};
  return std::nullopt;
}

}  // namespace tthc::store
