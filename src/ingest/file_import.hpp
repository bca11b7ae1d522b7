#pragma once
// `tthc-monitor import`: JSON Lines files (one dossier per line, QuaTrinhXuLy embedded or not,
// or one MC envelope per line) or files holding one MC envelope, into the store. Parsing runs
// on its own thread and hands batches to the writer through a bounded queue, so the two cores
// parse and write at once; when the writer falls behind, the batches waiting (up to four) are
// written in one transaction, each still recorded as its own batch. Re-importing a file changes
// nothing (the store is idempotent).

#include "base/result.hpp"
#include "ingest/mc_payload.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace tthc::ingest {

struct ImportOptions {
  std::size_t batch_size = 5000;  ///< records per batch (a transaction holds up to four)
  Limits limits;
  std::int64_t arrived_unix = 0;  ///< recorded on each batch
};

struct ImportProgress {
  std::string file;
  std::uint64_t bytes_done = 0;
  std::uint64_t bytes_total = 0;  ///< 0 when unknown (standard input)
  std::size_t records = 0;
};

struct ImportSummary {
  std::size_t files = 0;
  std::size_t records = 0;
  std::size_t rejected = 0;
  std::size_t statistics = 0;  ///< claimed statistics (DongBoThongKeHoSo) kept
  store::ApplyCounts counts;   ///< summed over the batches
};

struct ImportCallbacks {
  std::function<void(const ImportProgress&)> progress;  ///< after each batch
  /// Each rejected record, with its file; `index` is the line number.
  std::function<void(const std::string& file, const Rejection&)> rejected;
};

/// Imports the files in order ("-" is standard input). A file that cannot be read, or a store
/// failure, stops the import with an error; batches already committed stay.
Result<ImportSummary> import_files(const std::vector<std::filesystem::path>& files,
                                   store::Writer& writer, const ImportOptions& options,
                                   const ImportCallbacks& callbacks);

}  // namespace tthc::ingest
