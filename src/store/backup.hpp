#pragma once
// Online copies of a SQLite file (the store, the alert state) while another process writes to
// it, and the check a copy passes before it counts as one. The sqlite3 types stay in the .cpp.
//
// Functions, no state: safe to call from any thread, each call with its own connections.

#include "base/result.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>

namespace tthc::store {

struct CopyOptions {
  /// Pages copied per step (4 MiB of 4 KiB pages): the source is read in these slices ...
  int pages_per_step = 1024;
  /// ... with this pause between them, so the copy never takes the disk from the writer.
  std::chrono::milliseconds pause{2};
};

struct CopyStats {
  std::int64_t pages = 0;  ///< pages in the copy
  std::int64_t steps = 0;  ///< sqlite3_backup_step calls
  std::uintmax_t bytes = 0;
};

/// Copies the SQLite file `source` to `dest` (replaced if it exists) with SQLite's online
/// backup API, in steps, all inside one read transaction of the source: the copy is the file as
/// it was when the copy began (every commit acknowledged before it, none after), a writer in
/// another process is never blocked (WAL) and never makes the copy start again. The copy is
/// left in rollback-journal mode (one self-contained file, readable from read-only media; the
/// daemon turns WAL on again when it opens it) and passes PRAGMA integrity_check before this
/// returns. Errors name the file and the cause ("database or disk is full: No space left on
/// device").
Result<CopyStats> copy_database(const std::filesystem::path& source,
                                const std::filesystem::path& dest, const CopyOptions& options);

/// PRAGMA integrity_check of an existing file opened read-only; an error naming the file and
/// the first problem found. Never creates the file.
std::optional<Error> check_integrity(const std::filesystem::path& file);

}  // namespace tthc::store
