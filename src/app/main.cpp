// tthc-monitor: watches how long citizens wait for administrative procedures.
#include "app/commands.hpp"

#include <CLI/CLI.hpp>

#include <climits>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <unistd.h>

namespace {

using namespace tthc::app;

// A subcommand, and what runs when it is the one given. Its options are kept beside the run
// (shared), since CLI11 writes them during the parse, after the subcommand is declared.
struct Command {
  CLI::App* sub;
  std::function<int()> run;
};

// An option given as "" counts as not given, as an absent one.
void set_if_given(std::optional<std::string>& target, const std::string& value) {
  if (!value.empty()) target = value;
}

constexpr const char* kDbHelp = "SQLite file (default: the configuration's store.path)";

Command add_calendar(CLI::App& cli, const SourceOptions& src) {
  auto cmd = std::make_shared<CalendarCommand>();
  auto* sub =
      cli.add_subcommand("calendar", "days off, make-up Saturdays, Tết and Giỗ Tổ of a year");
  sub->add_option("--year", cmd->year, "the year")->required();
  sub->add_flag("--json", cmd->json, "JSON output");
  return {sub, [cmd, &src] { return run_calendar(src, *cmd, std::cout, std::cerr); }};
}

Command add_due(CLI::App& cli, const SourceOptions& src) {
  auto cmd = std::make_shared<DueCommand>();
  auto* sub = cli.add_subcommand("due", "the due moment of a dossier received at a moment");
  sub->add_option("--received", cmd->received, "receipt, e.g. 2026-04-24T09:00")->required();
  sub->add_option("--limit", cmd->limit, "limit: Nwd, Nwh, Nd, sameday@HH:MM")->required();
  sub->add_flag("--json", cmd->json, "JSON output");
  return {sub, [cmd, &src] { return run_due(src, *cmd, std::cout, std::cerr); }};
}

Command add_import(CLI::App& cli, const SourceOptions& src) {
  struct State {
    ImportCommand cmd;
    std::string db;
  };
  auto s = std::make_shared<State>();
  auto* sub = cli.add_subcommand("import", "import dossiers from JSON Lines files or MC envelopes");
  sub->add_option("files", s->cmd.files, "files (- for standard input)")->required();
  sub->add_option("--db", s->db, kDbHelp);
  return {sub, [s, &src] {
            set_if_given(s->cmd.db, s->db);
            s->cmd.progress_bar = isatty(STDERR_FILENO) != 0;
            return run_import(src, s->cmd, std::cout, std::cerr);
          }};
}

Command add_run(CLI::App& cli, const SourceOptions& src) {
  struct State {
    RunCommand cmd;
    std::string db;
    int port = -1;
  };
  auto s = std::make_shared<State>();
  auto* sub =
      cli.add_subcommand("run", "the daemon: intake, live figures, metrics and the dossier API");
  sub->add_option("--db", s->db, kDbHelp);
  sub->add_option("--port", s->port, "listen port (0: any free port)")->check(CLI::Range(0, 65535));
  return {sub, [s, &src] {
            set_if_given(s->cmd.db, s->db);
            if (s->port >= 0) s->cmd.listen_port = static_cast<std::uint16_t>(s->port);
            return run_daemon(src, s->cmd, std::cout, std::cerr);
          }};
}

Command add_explain(CLI::App& cli, const SourceOptions& src) {
  struct State {
    ExplainCommand cmd;
    std::string db, at;
  };
  auto s = std::make_shared<State>();
  auto* sub = cli.add_subcommand("explain",
                                 "why a dossier is counted as it is: every figure with its reason");
  sub->add_option("code", s->cmd.code, "the dossier's MaHoSo")->required();
  sub->add_option("--db", s->db, kDbHelp);
  sub->add_option("--at", s->at, "judge as of this moment (default: now)");
  sub->add_flag("--json", s->cmd.json, "JSON output (as GET /api/v1/dossiers/{code})");
  return {sub, [s, &src] {
            set_if_given(s->cmd.db, s->db);
            set_if_given(s->cmd.at, s->at);
            return run_explain(src, s->cmd, std::cout, std::cerr);
          }};
}

Command add_check_store(CLI::App& cli, const SourceOptions& src) {
  struct State {
    CheckStoreCommand cmd;
    std::string db;
  };
  auto s = std::make_shared<State>();
  auto* sub = cli.add_subcommand(
      "check-store", "SQLite's check of the store, read-only (exit 1 when it is damaged)");
  sub->add_option("--db", s->db, kDbHelp);
  sub->add_flag("--full", s->cmd.full,
                "integrity_check (every index against its table) instead of quick_check");
  return {sub, [s, &src] {
            set_if_given(s->cmd.db, s->db);
            return run_check_store(src, s->cmd, std::cout, std::cerr);
          }};
}

Command add_examples(CLI::App& cli, const SourceOptions& src) {
  auto* sub = cli.add_subcommand("examples", "this year's calendar and worked due-date examples");
  return {sub, [&src] { return run_examples(src, std::cout, std::cerr); }};
}

Command add_simulate(CLI::App& cli, const SourceOptions& src) {
  struct State {
    SimulateCommand cmd;
    std::string from, to, out, horizon, token, push;
    int port = -1;
  };
  auto s = std::make_shared<State>();
  SimulateCommand& cmd = s->cmd;
  auto* sub = cli.add_subcommand(
      "simulate", "a realistic one-stop system: a past span as JSON Lines, or its poll API live");
  sub->add_option("--from", s->from,
                  "first day (or moment) of receipts; --serve: the simulated start "
                  "(default today)");
  sub->add_option("--to", s->to, "last day of receipts (inclusive), or a moment (exclusive)");
  sub->add_option("--out", s->out, "write every delivery as JSON Lines (- standard output)");
  sub->add_option("--horizon", s->horizon, "--out: leave out deliveries at or after it");
  sub->add_option("--seed", cmd.seed, "the same seed gives the same output (default 1)");
  sub->add_option("--rate", cmd.rate, "dossiers a working day (default 120)");
  sub->add_flag("--serve", cmd.serve, "serve the poll API on 127.0.0.1");
  sub->add_option("--port", s->port, "--serve: port (default 8090; 0: any free port)")
      ->check(CLI::Range(0, 65535));
  sub->add_option("--speed", cmd.speed,
                  "--serve: simulated working seconds per second (default 480: one "
                  "working day a minute)");
  sub->add_flag("--wall-clock", cmd.wall_clock,
                "--serve: --speed counts every simulated second, nights and days off too");
  sub->add_option("--history", cmd.history_days,
                  "--serve: dossiers received this many days before --from, at once")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--token", s->token, "--serve: require 'Authorization: Bearer TOKEN'");
  sub->add_option("--push", s->push,
                  "--serve: also POST new deliveries as MC envelopes to this URL");
  sub->add_flag("--no-embed-progress", cmd.no_embed_progress,
                "--serve: records without QuaTrinhXuLy (see /api/dossiers/{code}/progress)");
  return {sub, [s, &src] {
            for (auto [target, value] : {std::pair{&s->cmd.from, &s->from},
                                         {&s->cmd.to, &s->to},
                                         {&s->cmd.out, &s->out},
                                         {&s->cmd.horizon, &s->horizon},
                                         {&s->cmd.token, &s->token},
                                         {&s->cmd.push, &s->push}}) {
              set_if_given(*target, *value);
            }
            if (s->port >= 0) s->cmd.port = static_cast<std::uint16_t>(s->port);
            return run_simulate(src, s->cmd, std::cout, std::cerr);
          }};
}

Command add_report(CLI::App& cli, const SourceOptions& src) {
  struct State {
    ReportCommand cmd;
    std::string out, as_of, diff, db, merge_snapshot;
    int start_day = 0;
  };
  auto s = std::make_shared<State>();
  auto* sub = cli.add_subcommand(
      "report",
      "a period's report: form II.06a (results), reduction, the 766 estimate, claimed "
      "statistics");
  sub->add_option("--kind", s->cmd.kind,
                  "results, reduction, index766, claimed, dvcqg-stats (json only) or review");
  sub->add_option("--month", s->cmd.month, "the month, YYYY-MM (not with --merge)");
  sub->add_option("--period", s->cmd.period,
                  "the period: 2025-07, 2025-Q3, 2025-H1, 2025, 2025-01..2025-09, 2022..2025 "
                  "(review: YYYY or YYYY..YYYY)");
  sub->add_option("--format", s->cmd.format, "json (default), csv, html or xlsx");
  sub->add_option("--period-start-day", s->start_day,
                  "periods from this day of the month before (default [reports] "
                  "period_start_day, 1: calendar months)")
      ->check(CLI::Range(1, 28));
  sub->add_option("--out", s->out, "write to this file (default standard output)");
  sub->add_option("--as-of", s->as_of,
                  "judge as of this moment (default the period's end, or now)");
  sub->add_option("--diff", s->diff,
                  "compare with a snapshot (its folder or JSON file); exit status 3 when "
                  "anything changed");
  sub->add_option("--db", s->db, kDbHelp);
  sub->add_option("--merge", s->cmd.merge,
                  "[NAME=]DIR...: merge the provinces' closed snapshots (folders or JSON files)");
  sub->add_option("--merge-snapshot", s->merge_snapshot,
                  "with --merge: write every merged kind and format into OUT/<period>/");
  return {sub, [s, &src] {
            if (s->start_day > 0) s->cmd.period_start_day = s->start_day;
            for (auto [target, value] : {std::pair{&s->cmd.out, &s->out},
                                         {&s->cmd.as_of, &s->as_of},
                                         {&s->cmd.diff, &s->diff},
                                         {&s->cmd.db, &s->db},
                                         {&s->cmd.merge_snapshot, &s->merge_snapshot}}) {
              set_if_given(*target, *value);
            }
            return run_report(src, s->cmd, std::cout, std::cerr);
          }};
}

// backup and restore: a folder, and --db.
template <class Cmd, class Run>
Command add_folder_command(CLI::App& cli, const SourceOptions& src, const char* name,
                           const char* about, const char* folder, const char* folder_help,
                           std::string Cmd::*folder_value, Run run) {
  struct State {
    Cmd cmd;
    std::string db;
  };
  auto s = std::make_shared<State>();
  auto* sub = cli.add_subcommand(name, about);
  sub->add_option(folder, s->cmd.*folder_value, folder_help)->required();
  sub->add_option("--db", s->db, kDbHelp);
  return {sub, [s, &src, run] {
            set_if_given(s->cmd.db, s->db);
            return run(src, s->cmd, std::cout, std::cerr);
          }};
}

Command add_check_config(CLI::App& cli, const SourceOptions& src) {
  auto* sub = cli.add_subcommand("check-config",
                                 "check the configuration and every file it names; starts nothing");
  return {sub, [&src] { return run_check_config(src, std::cout, std::cerr); }};
}

// The exit status when the parse ends the run (help, version, a usage error).
std::optional<int> parse(CLI::App& cli, int argc, char** argv) {
  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "tthc-monitor: error: " << e.what() << " (see --help)\n";
    return kExitUsage;
  }
  return std::nullopt;
}

int run(int argc, char** argv) {
  CLI::App cli{
      "tthc-monitor: processing time of administrative procedures (TTHC) against the "
      "legal and reduced limits, on the Vietnamese working calendar"};
  cli.require_subcommand(1);
  cli.fallthrough();  // --config and --holidays may follow the subcommand too
  cli.set_version_flag("--version", std::string("tthc-monitor ") + TTHC_VERSION);
  SourceOptions src;
  std::error_code ec;
  src.executable_dir = std::filesystem::canonical("/proc/self/exe", ec).parent_path();
  std::string config;
  std::string holidays;
  cli.add_option("--config", config, "configuration file (default config/tthc-monitor.toml)");
  cli.add_option("--holidays", holidays, "folder of holiday tables, one TOML file per year");

  // In the order --help lists them.
  const Command commands[] = {
      add_calendar(cli, src),
      add_due(cli, src),
      add_import(cli, src),
      add_run(cli, src),
      add_explain(cli, src),
      add_check_store(cli, src),
      add_examples(cli, src),
      add_simulate(cli, src),
      add_report(cli, src),
      add_folder_command(
          cli, src, "backup",
          "copy the store, the alert state and the reports into a folder, daemon running", "dest",
          "a new or empty folder", &BackupCommand::dest, run_backup),
      add_folder_command(cli, src, "restore",
                         "put a backup back in place, the daemon stopped; current files kept aside",
                         "source", "a folder `backup` wrote", &RestoreCommand::source, run_restore),
      add_check_config(cli, src)};

  if (auto status = parse(cli, argc, argv)) return *status;
  if (!config.empty()) src.config = config;
  if (!holidays.empty()) src.holidays = holidays;
  for (const Command& c : commands) {
    if (c.sub->parsed()) return c.run();
  }
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "tthc-monitor: error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "tthc-monitor: error: unexpected failure\n";
  }
  return tthc::app::kExitFailure;
}
