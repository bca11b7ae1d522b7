#pragma once
// The SQLite store (the embedded default): dossiers as their freshest snapshot, and the
// append-only timeline every figure can be recomputed from — every distinct snapshot received,
// the base due and every later NgayHenTra change, every progress entry (one row per dossier,
// store/progress_codec.hpp; the progress_entries view shows one per row) — plus the procedure
// catalogue and the intake cursors. Times are stored as seconds since 1970-01-01 00:00 Vietnam
// local time, so `datetime(received, 'unixepoch')` shows the local time in SQL.
//
// One Writer per database file, owned by one thread: every batch is one transaction. Readers
// have their own connections (WAL mode: they never block the writer). Neither is thread-safe;
// use one per thread.
//
// The Writer keeps the dossiers it wrote last (up to 16,384, with their progress entries
// decoded): a sync log re-sends each dossier as it progresses, a couple of thousand lines
// apart, and a re-send then needs no lookup or decoding, while a dossier sent several times
// within one transaction has its row and progress written once, when the transaction ends.
// What it keeps is forgotten when a transaction rolls back or another connection has written
// to the file (PRAGMA data_version), so a second writer (an import beside the daemon) is safe.

#include "base/result.hpp"
#include "domain/claimed_stats.hpp"
#include "domain/dossier.hpp"
#include "domain/snapshot.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tthc::store {

struct Options {
  std::filesystem::path path;
  /// synchronous=FULL: a commit survives power loss, not only a crash of the process.
  bool durable_commits = false;
  int busy_timeout_ms = 5000;
};

/// Where a batch came from, and the intake cursor it advances (committed with its records).
struct BatchInfo {
  std::string source;                 ///< "webhook", "import", "poll:<name>"
  std::int64_t arrived_unix = 0;      ///< arrival, seconds since the Unix epoch (UTC)
  std::optional<std::string> cursor;  ///< new cursor value for `source`
  std::size_t rejected = 0;           ///< records of the batch rejected before the store
  /// Fill ApplyCounts::changed (the live state needs it; a bulk import does not).
  bool collect_changed = true;
  std::string sender = {};  ///< the envelope's madonvi; empty when none
};

struct ApplyCounts {
  std::int64_t batch_id = 0;
  std::size_t new_dossiers = 0;    ///< first snapshot of a dossier
  std::size_t updated = 0;         ///< a fresher (or equally fresh) snapshot replaced the fields
  std::size_t stale = 0;           ///< an older snapshot: recorded, fields kept
  std::size_t unchanged = 0;       ///< the same snapshot again: nothing written
  std::size_t progress_added = 0;  ///< progress entries new to the store
  std::size_t progress_known = 0;  ///< progress entries already stored
  /// Records that changed something: new, updated, or stale with new progress entries.
  std::size_t accepted = 0;
  /// MaHoSo of every dossier whose stored facts this batch changed (the live state re-reads
  /// them); a code may appear more than once.
  std::vector<std::string> changed;
};

/// One row of the procedure catalogue as stored (limits in the calendar's syntax).
struct CatalogueRow {
  std::string code, name, field_code, field_name, legal_limit, reduced_limit, online_limit;
};

struct UnknownProcedure {
  std::string code;
  std::string name;
  std::int64_t dossiers = 0;
};

/// Stored dossiers of one receiving unit code and DonViXuLy.
struct StoredUnit {
  std::string unit_code;  ///< MaHoSo before the first '-'
  std::string unit_name;  ///< DonViXuLy
  std::int64_t dossiers = 0;
};

/// A stored dossier: its row id (stable, dense: the live state indexes by it) and timeline.
struct StoredTimeline {
  std::int64_t id = 0;
  DossierTimeline timeline;
};

struct ScanOptions {
  /// Read the progress entries' handler, title and action texts (personal data, and the
  /// largest columns); the live figures do not need them.
  bool with_text = false;
};

/// Dossiers received on `day` whose first snapshot arrived at `arrived_unix` (Unix seconds).
struct FirstArrivals {
  Date day{};
  std::int64_t arrived_unix = 0;
  std::int64_t dossiers = 0;
};

/// The dossiers that can count in a report period [start, end) (src/reports).
struct PeriodFilter {
  Moment start{};
  Moment end{};
  /// judge_by = return: a dossier in status 9 has not ended yet.
  bool finished_is_pending = false;
};

/// Statistics a system claimed, as stored: the latest received for its unit, month and kind.
struct StoredClaimedStats {
  ClaimedStats stats;
  std::int64_t arrived_unix = 0;  ///< when it arrived, seconds since the Unix epoch (UTC)
  std::string sender;             ///< the envelope's madonvi ("" when absent)
};

struct Totals {
  std::int64_t dossiers = 0, snapshots = 0, progress = 0, due_changes = 0, batches = 0;
};

class Writer {
 public:
  /// Opens (creating if needed) and migrates the database. Fatal errors: unreadable file,
  /// a schema newer than this program.
  static Result<Writer> open(const Options& options);
  Writer(Writer&&) noexcept;
  Writer& operator=(Writer&&) noexcept;
  ~Writer();

  /// Applies one batch in one transaction; on error nothing of it is kept.
  Result<ApplyCounts> apply(std::span<const DossierSnapshot> dossiers,
                            std::span<const ProgressUpdate> progress, const BatchInfo& info);

  struct BatchInput {
    std::span<const DossierSnapshot> dossiers;
    std::span<const ProgressUpdate> progress;
    BatchInfo info;
  };
  /// Applies several batches in one transaction (a group commit), each recorded as its own
  /// batch with its own counts; on error nothing of any of them is kept.
  Result<std::vector<ApplyCounts>> apply_all(std::span<const BatchInput> batches);
  /// Keeps claimed statistics (DongBoThongKeHoSo) in one transaction: each replaces the one
  /// stored for its unit, month and kind unless that one arrived later (a later record of the
  /// same call wins). Gives the number kept.
  Result<std::size_t> put_claimed_stats(std::span<const ClaimedStats> records,
                                        std::string_view sender, std::int64_t arrived_unix);
  /// Replaces the stored catalogue.
  Result<std::size_t> replace_catalogue(std::span<const CatalogueRow> rows);

 private:
  struct Impl;
  explicit Writer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class Reader {
 public:
  /// Opens a file of this program's schema version; an older one (not migrated yet: open a
  /// Writer once) or a newer one is a clear error, not a failed query later.
  static Result<Reader> open(const std::filesystem::path& path);
  Reader(Reader&&) noexcept;
  Reader& operator=(Reader&&) noexcept;
  ~Reader();

  /// The dossier's timeline, progress sorted as the engine wants it; nullopt if unknown.
  Result<std::optional<DossierTimeline>> timeline(std::string_view code);
  /// The same with the dossier's id.
  Result<std::optional<StoredTimeline>> load(std::string_view code);
  /// Every dossier in row id order, in one read transaction (a consistent state of the file);
  /// `visit` may move from the timeline it is given and returns false to stop. Gives the number
  /// of dossiers visited.
  Result<std::size_t> scan(const ScanOptions& options,
                           const std::function<bool(StoredTimeline&)>& visit);
  /// Every dossier that can count in the period, in one read transaction, in no particular
  /// order: received before `end`, in neither status 1 nor 3, and either not in an end status or
  /// with an end-time candidate at or after `start` (NgayTiepNhan, NgayKetThucXuLy, NgayTra, a
  /// progress entry with status 7-10). The others ended before the period as the engine judges
  /// them at any moment, so their progress entries are never read. Gives the number visited.
  Result<std::size_t> scan_period(const PeriodFilter& filter, const ScanOptions& options,
                                  const std::function<bool(StoredTimeline&)>& visit);
  /// Counts every table (reads them whole: for summaries and tests, not per request).
  Result<Totals> totals();
  /// The latest batch's arrival (Unix seconds); 0 when none.
  Result<std::int64_t> last_arrival();
  /// The earliest NgayTiepNhan stored; none when no dossier has one.
  Result<std::optional<Moment>> first_received();
  /// How many dossiers received in [from, to) were first stored by each batch, by day of
  /// receipt: what a snapshot taken before the batch could not count (the phase review's late
  /// syncs). One read of the dossiers, grouped.
  Result<std::vector<FirstArrivals>> first_arrivals(Moment from, Moment to);
  /// Procedure codes of stored dossiers missing from the catalogue, most dossiers first.
  Result<std::vector<UnknownProcedure>> unknown_procedures();
  /// Each (unit code, DonViXuLy) of the stored dossiers, by code then name: what the unit
  /// register is checked against (it is configuration, not kept in the store).
  Result<std::vector<StoredUnit>> units();
  Result<std::optional<std::string>> cursor(std::string_view source);
  /// The claimed statistics of a month, by unit code then kind.
  Result<std::vector<StoredClaimedStats>> claimed_stats(int year, unsigned month);
  Result<std::vector<CatalogueRow>> catalogue();

 private:
  struct Impl;
  explicit Reader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// The newest schema version this program knows.
int latest_schema_version();

/// The schema version of an existing file, read without opening it for use (0: not migrated
/// yet). A Reader refuses a file of another version; a Writer migrates an older one.
Result<int> schema_version_of(const std::filesystem::path& path);

/// Whether a store error says the file is damaged (SQLite's SQLITE_CORRUPT "database disk image
/// is malformed" or SQLITE_NOTADB "file is not a database"), not merely failing (full, busy).
bool is_damage(const Error& e);

/// SQLite's own check of the file, read-only: `PRAGMA quick_check` (every page and index entry
/// well-formed; seconds for a million dossiers), or with `full` `PRAGMA integrity_check` (also
/// every index against its table). The problems it names (at most 20); empty: the file is sound.
/// `cancelled`, asked now and then, stops it early with an error (the daemon stopping).
Result<std::vector<std::string>> check_integrity(const std::filesystem::path& path, bool full,
                                                 std::function<bool()> cancelled = {});

}  // namespace tthc::store
