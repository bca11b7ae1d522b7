#pragma once
// SQL run straight on a store file from a test (another connection, as an operator's sqlite3
// shell would be): to plant a trigger that makes a write fail, or to read rows back.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace tthc::test {

/// Runs `sql` on `path`; gives SQLite's message on failure, "" on success.
inline std::string sql_exec(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string error;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    error = "cannot open " + path.string();
  } else {
    char* message = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      error = message != nullptr ? message : "failed";
    }
    sqlite3_free(message);
  }
  sqlite3_close(db);
  return error;
}

/// The rows `sql` gives on `path`, each value as text ("NULL" for null).
inline std::vector<std::vector<std::string>> sql_rows(const std::filesystem::path& path,
                                                      const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) == SQLITE_OK) {
    sqlite3_exec(
        db, sql.c_str(),
        [](void* out, int n, char** values, char**) {
          auto& all = *static_cast<std::vector<std::vector<std::string>>*>(out);
          auto& row = all.emplace_back();
          for (int i = 0; i < n; ++i) row.emplace_back(values[i] != nullptr ? values[i] : "NULL");
          return 0;
        },
        &rows, nullptr);
  }
  sqlite3_close(db);
  return rows;
}

/// How many rows `from` holds on `path`: a table, with a condition if need be
/// ("alerts WHERE ended IS NULL"); -1 when the count cannot be read.
inline std::int64_t row_count(const std::filesystem::path& path, const std::string& from) {
  const auto rows = sql_rows(path, "SELECT count(*) FROM " + from);
  return rows.empty() || rows.front().empty() ? -1 : std::stoll(rows.front().front());
}

/// What `PRAGMA integrity_check` says of `path`: "ok" for a sound file.
inline std::string integrity_check(const std::filesystem::path& path) {
  const auto rows = sql_rows(path, "PRAGMA integrity_check");
  return rows.empty() || rows.front().empty() ? "(no answer)" : rows.front().front();
}

}  // namespace tthc::test
