#pragma once
// A store file as schema version 2 wrote it (progress one row per entry), for the tests of
// migration 3 and of the commands that upgrade an older file.
#include "store/schema.hpp"
#include "support/sql.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace tthc::test {

/// Creates `path` with migrations 1 and 2 applied and recorded, then runs `rows` (SQL inserts
/// into that schema). Gives SQLite's message on failure.
inline std::optional<std::string> write_schema_2(const std::filesystem::path& path,
                                                 const std::string& rows) {
  std::string setup =
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
      " applied_at TEXT NOT NULL);";
  for (const store::Migration& m : store::kMigrations) {
    if (m.version > 2) break;
    setup += std::string(m.sql);
    setup += "INSERT INTO schema_migrations VALUES(" + std::to_string(m.version) + ", 'v', 'x');";
  }
  setup += rows;
  std::string error = sql_exec(path, setup);
  if (error.empty()) return std::nullopt;
  return error;
}

}  // namespace tthc::test
