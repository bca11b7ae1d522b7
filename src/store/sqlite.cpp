#include "store/sqlite.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

namespace tthc::store::sql {

namespace {

// `text` (SQLite's message), with the operating system's cause when there is one.
std::string with_cause(sqlite3* db, std::string text) {
  if (const int os = sqlite3_system_errno(db); os != 0) {
    text += " (";
    text += std::strerror(os);
    text += ')';
  }
  return text;
}

// Why a file cannot be created at `path`, as far as the file system says (SQLite's own errno is
// that of its last call, often not the cause): "" when nothing is found.
std::string why_not_creatable(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return "";
  if (!std::filesystem::is_directory(dir, ec))
    return "; its directory " + dir.string() + " does not exist";
  struct statvfs fs {};
  if (statvfs(dir.c_str(), &fs) == 0 && (fs.f_flag & ST_RDONLY) != 0) {
    return "; " + dir.string() + " is on a read-only file system";
  }
  if (access(dir.c_str(), W_OK) != 0) return "; " + dir.string() + " is not writable by this user";
  return "";
}

}  // namespace

Result<Db> Db::open(const std::string& path, bool read_only) {
  return open_with(path,
                   read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
}

Result<Db> Db::open_existing(const std::string& path) {
  return open_with(path, SQLITE_OPEN_READWRITE);
}

Result<Db> Db::open_with(const std::string& path, int open_flags) {
  // Memory statistics take a global mutex on every allocation; nothing here reads them.
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
  sqlite3* db = nullptr;
  const int flags = open_flags | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? with_cause(db, sqlite3_errmsg(db)) : sqlite3_errstr(rc);
    if ((open_flags & SQLITE_OPEN_CREATE) != 0 && (rc & 0xFF) == SQLITE_CANTOPEN) {
      msg += why_not_creatable(path);
    }
    sqlite3_close(db);
    return Error{"store: cannot open " + path + ": " + msg};
  }
  sqlite3_extended_result_codes(db, 1);
  return Db(db);
}

std::string Db::message() const {
  return with_cause(db_, sqlite3_errmsg(db_));
}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    sqlite3_close(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Db::~Db() {
  sqlite3_close(db_);
}

std::optional<Error> Db::exec(std::string_view sql, std::string_view what) {
  char* err = nullptr;
  const std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    Error e{"store: " + std::string(what) + ": " +
            with_cause(db_, err != nullptr ? err : sqlite3_errmsg(db_))};
    sqlite3_free(err);
    return e;
  }
  return std::nullopt;
}

Result<Stmt> Stmt::prepare(Db& db, std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(db.get(), sql.data(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
    return Error{"store: prepare failed: " + db.message() +
                 " in: " + std::string(sql.substr(0, 80))};
  }
  return Stmt(s);
}

Stmt& Stmt::operator=(Stmt&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(s_);
    s_ = std::exchange(other.s_, nullptr);
  }
  return *this;
}

Stmt::~Stmt() {
  sqlite3_finalize(s_);
}

Stmt& Stmt::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}

Stmt& Stmt::bind(int i, std::string_view v) {
  // The bound text must outlive step(): callers bind views of values they hold until then,
  // so SQLITE_STATIC saves a copy per column on the hot import path.
  // An empty view may have no data: SQLite would bind NULL, not the empty text (NULL is
  // bind(i, std::nullopt)).
  sqlite3_bind_text(s_, i, v.data() != nullptr ? v.data() : "", static_cast<int>(v.size()),
                    SQLITE_STATIC);
  return *this;
}

Stmt& Stmt::bind(int i, std::nullopt_t) {
  sqlite3_bind_null(s_, i);
  return *this;
}

Stmt& Stmt::bind(int i, const std::optional<std::int64_t>& v) {
  return v ? bind(i, *v) : bind(i, std::nullopt);
}

Stmt& Stmt::bind(int i, const std::optional<double>& v) {
  if (!v) return bind(i, std::nullopt);
  sqlite3_bind_double(s_, i, *v);
  return *this;
}

Result<bool> Stmt::step() {
  const int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e{std::string("store: ") + sqlite3_errmsg(sqlite3_db_handle(s_)) + " (" +
          sqlite3_errstr(rc) + ")"};
  sqlite3_reset(s_);
  return e;
}

std::optional<Error> Stmt::run() {
  auto r = step();
  reset();
  if (!r) return std::move(r).error();
  return std::nullopt;
}

void Stmt::reset() {
  // Bindings are kept: every caller binds every parameter before each step.
  sqlite3_reset(s_);
}

std::string_view Stmt::text(int col) const {
  const auto* p = sqlite3_column_text(s_, col);
  if (p == nullptr) return {};
  return {reinterpret_cast<const char*>(p),
          static_cast<std::size_t>(sqlite3_column_bytes(s_, col))};
}

Result<Transaction> Transaction::begin(Db& db) {
  if (auto e = db.exec("BEGIN IMMEDIATE", "begin transaction")) return *e;
  return Transaction(&db);
}

Result<Transaction> Transaction::begin_read(Db& db) {
  if (auto e = db.exec("BEGIN", "begin read transaction")) return *e;
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) sqlite3_exec(db_->get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

std::optional<Error> Transaction::commit() {
  if (auto e = db_->exec("COMMIT", "commit")) return e;
  db_ = nullptr;
  return std::nullopt;
}

}  // namespace tthc::store::sql
