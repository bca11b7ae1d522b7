#pragma once
// The command-line commands, callable from main and from tests. Each returns the process exit
// status: 0 success, 1 runtime failure (e.g. unreadable configuration), 2 bad arguments.

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace tthc::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

/// Where the settings and holiday tables come from.
struct SourceOptions {
  std::optional<std::filesystem::path> config;    ///< --config
  std::optional<std::filesystem::path> holidays;  ///< --holidays, overrides the config's
  std::filesystem::path executable_dir;           ///< to find config/ beside build/
};

struct CalendarCommand {
  int year = 0;
  bool json = false;
};

struct DueCommand {
  std::string received;
  std::string limit;
  bool json = false;
};

struct ImportCommand {
  std::vector<std::string> files;
  std::optional<std::string> db;  ///< --db, overrides the configuration's store.path
  bool progress_bar = false;      ///< draw progress on stderr (a terminal)
};

/// Exit status kExitRejected when the import completed but some records were rejected.
inline constexpr int kExitRejected = 3;

int run_import(const SourceOptions& src, const ImportCommand& cmd, std::ostream& out,
               std::ostream& err);

struct RunCommand {
  std::optional<std::string> db;             ///< --db, overrides store.path
  std::optional<std::uint16_t> listen_port;  ///< --port, overrides http.listen's port (0: any)
};

/// `explain MaHoSo`: every figure of one stored dossier with its reason.
struct ExplainCommand {
  std::string code;
  std::optional<std::string> db;  ///< --db, overrides store.path
  std::optional<std::string> at;  ///< --at: judge as of this moment (default now)
  bool json = false;
};

int run_explain(const SourceOptions& src, const ExplainCommand& cmd, std::ostream& out,
                std::ostream& err);

/// `check-store`: SQLite's quick check of the store (or with --full its integrity check),
/// read-only, beside a running daemon. Exit 0 sound, 1 damaged or unreadable.
struct CheckStoreCommand {
  std::optional<std::string> db;  ///< --db, overrides store.path
  bool full = false;
};
int run_check_store(const SourceOptions& src, const CheckStoreCommand& cmd, std::ostream& out,
                    std::ostream& err);

/// `report`: a monthly report (src/reports) from the store, or what changed since a snapshot.
struct ReportCommand {
  std::string kind;                     ///< --kind: results, reduction, index766
  std::string month;                    ///< --month YYYY-MM
  std::optional<std::string> period;    ///< --period: review: YYYY or YYYY..YYYY
  std::string format = "json";          ///< --format: json, csv, html, xlsx
  std::optional<int> period_start_day;  ///< --period-start-day, overrides [reports]
  std::optional<std::string> out;       ///< --out FILE (default standard output)
  std::optional<std::string> as_of;     ///< --as-of: judge as of this moment
  std::optional<std::string> diff;      ///< --diff SNAPSHOT_DIR_OR_FILE
  std::optional<std::string> db;        ///< --db, overrides store.path
  /// --merge [NAME=]DIR...: the provinces' snapshots (folders or report files) to merge.
  std::vector<std::string> merge;
  std::optional<std::string> merge_snapshot;  ///< --merge-snapshot OUT: a merged snapshot
};

/// Exit status of `report --diff` when the fresh report differs from the snapshot.
inline constexpr int kExitDifferent = 3;

int run_report(const SourceOptions& src, const ReportCommand& cmd, std::ostream& out,
               std::ostream& err);

/// `backup DEST`: the store, the alert state and the reports folder copied while the daemon
/// runs, each checked, with a manifest written last. 0 done, 1 failure (named).
struct BackupCommand {
  std::string dest;               ///< a new or empty folder
  std::optional<std::string> db;  ///< --db, overrides store.path
};

int run_backup(const SourceOptions& src, const BackupCommand& cmd, std::ostream& out,
               std::ostream& err);

/// `restore SRC`: a backup's files checked against its manifest and put in place, the current
/// ones kept aside. 0 done, 1 failure (a bad backup, a file that cannot be written), 4 refused
/// because a daemon holds the store.
struct RestoreCommand {
  std::string source;             ///< a folder `backup` wrote
  std::optional<std::string> db;  ///< --db, overrides store.path
};

/// Exit status of `restore` while a daemon runs against the store.
inline constexpr int kExitStoreInUse = 4;

int run_restore(const SourceOptions& src, const RestoreCommand& cmd, std::ostream& out,
                std::ostream& err);

/// `check-config`: the settings and every file they name, checked as the daemon would load
/// them, starting nothing and creating nothing. 0 usable, 1 problems (each named).
int run_check_config(const SourceOptions& src, std::ostream& out, std::ostream& err);

/// The daemon; returns when SIGINT or SIGTERM arrives, after a graceful stop.
int run_daemon(const SourceOptions& src, const RunCommand& cmd, std::ostream& out,
               std::ostream& err);

/// `simulate`: a realistic one-stop system (src/sim). With `out`, writes every delivery of the
/// dossiers received in [from, to) as JSON Lines; with `serve`, serves the poll API on
/// 127.0.0.1 as simulated time runs, until SIGINT or SIGTERM.
struct SimulateCommand {
  std::optional<std::string> from;     ///< --from: a date (its midnight) or a moment
  std::optional<std::string> to;       ///< --to: a date (inclusive) or a moment (exclusive)
  std::optional<std::string> out;      ///< --out FILE.jsonl; "-" for standard output
  std::optional<std::string> horizon;  ///< --horizon: leave out deliveries at or after it
  std::uint64_t seed = 1;              ///< --seed
  double rate = 120;                   ///< --rate: dossiers a working day
  bool serve = false;                  ///< --serve
  std::optional<std::uint16_t> port;   ///< --port (default 8090; 0: any free port)
  double speed = 480;                  ///< --speed: simulated seconds per real second
  bool wall_clock = false;             ///< --wall-clock: nights and days off pass too
  int history_days = 0;                ///< --history: days of dossiers before --from, at once
  std::optional<std::string> token;    ///< --token: required as a bearer token
  std::optional<std::string> push;     ///< --push URL: POST new deliveries as MC envelopes
  bool no_embed_progress = false;      ///< --no-embed-progress: QuaTrinhXuLy only via /progress
};

int run_simulate(const SourceOptions& src, const SimulateCommand& cmd, std::ostream& out,
                 std::ostream& err);

int run_calendar(const SourceOptions& src, const CalendarCommand& cmd, std::ostream& out,
                 std::ostream& err);
int run_due(const SourceOptions& src, const DueCommand& cmd, std::ostream& out, std::ostream& err);
/// The demo for the embedded default: the current year's calendar and the worked examples.
int run_examples(const SourceOptions& src, std::ostream& out, std::ostream& err);

}  // namespace tthc::app
