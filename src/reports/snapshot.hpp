#pragma once
// A period's frozen snapshot: every report in every format, and a manifest recording the inputs
// (calendar version, settings, as-of moment) and the SHA-256 of each file:
//   <dir>/2026-03/results.json .csv .html .xlsx, reduction.*, index766.*, manifest.json
// named by the period's label: 2026-03 (a month), 2026-Q1, 2026-H1, 2026 (a year).
// A snapshot is never overwritten; rebuilding a closed month from the same data gives the same
// bytes, and `report --diff` shows what a fresh run would change.

#include "base/result.hpp"
#include "reports/model.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::reports {

struct SnapshotFile {
  std::string name;  ///< "results.json"
  std::string bytes;
};

/// Every kind in every format, by name, then manifest.json.
Result<std::vector<SnapshotFile>> snapshot_files(const Reports& reports);
/// The same for any reports: `kinds` in every format, as `render_file` writes them, by name, then
/// manifest.json with `inputs_lines` (JSON lines of a top-level object, each ending with ",\n")
/// and the SHA-256 of every file.
Result<std::vector<SnapshotFile>> snapshot_files(
    std::span<const Kind> kinds,
    const std::function<Result<std::string>(Kind, Format)>& render_file,
    std::string_view inputs_lines);

/// A snapshot's file (or any report file) whole, as bytes; none when it cannot be opened. What
/// `--diff`, the board's reports page and `--merge` read snapshots with.
std::optional<std::string> read_snapshot_file(const std::filesystem::path& file);

/// `<dir>/<label>`: 2026-03, 2026-Q1, 2026-H1, 2026.
std::filesystem::path snapshot_dir(const std::filesystem::path& dir, const Period& period);

/// Writes the files into snapshot_dir(dir, period) unless it exists: false when it did. The
/// files are written in a temporary folder then renamed into place, so a crash never leaves a
/// half snapshot under the final name.
Result<bool> write_snapshot(const std::filesystem::path& dir, const Period& period,
                            const std::vector<SnapshotFile>& files);

}  // namespace tthc::reports
