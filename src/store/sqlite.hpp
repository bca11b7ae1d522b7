#pragma once
// A thin RAII layer over SQLite for this module only (never included outside src/store):
// a connection, prepared statements that reset themselves, and a transaction that rolls back
// unless committed. Nothing here throws; failures are Error values naming the operation.

#include "base/result.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tthc::store::sql {

class Db {
 public:
  static Result<Db> open(const std::string& path, bool read_only);
  /// Opens a file that must already exist (never creates one), for reading and writing.
  static Result<Db> open_existing(const std::string& path);
  Db() = default;  ///< closed
  Db(Db&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Db& operator=(Db&& other) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  /// Runs statements without results; the error names `what`.
  std::optional<Error> exec(std::string_view sql, std::string_view what);
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }
  /// SQLite's message, with the operating system's cause when there is one ("unable to open
  /// database file (Read-only file system)").
  std::string message() const;
  sqlite3* get() const { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  static Result<Db> open_with(const std::string& path, int flags);
  sqlite3* db_ = nullptr;
};

class Stmt {
 public:
  static Result<Stmt> prepare(Db& db, std::string_view sql);
  Stmt() = default;  ///< no statement yet: assign a prepared one before use
  explicit operator bool() const { return s_ != nullptr; }
  Stmt(Stmt&& other) noexcept : s_(std::exchange(other.s_, nullptr)) {}
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Parameters are 1-based, as in SQLite.
  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, std::string_view v);  ///< not copied: the text must outlive the step
  /// A temporary string would be gone before the step: a compile error, not a wild read.
  Stmt& bind(int i, std::string&& v) = delete;
  Stmt& bind(int i, std::nullopt_t);
  Stmt& bind(int i, const std::optional<std::int64_t>& v);
  Stmt& bind(int i, const std::optional<double>& v);

  /// SQLITE_ROW or SQLITE_DONE; anything else is an error (the statement is reset).
  Result<bool> step();  ///< true: a row is available
  /// Runs a statement that returns no row, then resets it.
  std::optional<Error> run();
  void reset();

  std::int64_t int64(int col) const { return sqlite3_column_int64(s_, col); }
  bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::optional<std::int64_t> opt_int64(int col) const {
    return is_null(col) ? std::nullopt : std::optional<std::int64_t>(int64(col));
  }
  std::optional<double> opt_double(int col) const {
    return is_null(col) ? std::nullopt : std::optional<double>(sqlite3_column_double(s_, col));
  }
  std::string_view text(int col) const;

 private:
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  sqlite3_stmt* s_ = nullptr;
};

/// BEGIN IMMEDIATE on construction; ROLLBACK in the destructor unless commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> begin(Db& db);
  /// A deferred transaction: the reads inside it see one state of the file.
  static Result<Transaction> begin_read(Db& db);
  Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  std::optional<Error> commit();

 private:
  explicit Transaction(Db* db) : db_(db) {}
  Db* db_;
};

}  // namespace tthc::store::sql
