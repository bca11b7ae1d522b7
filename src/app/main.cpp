// tthc-monitor: watches how long citizens wait for administrative procedures.
#include "app/commands.hpp"

#include <CLI/CLI.hpp>

#include <climits>
#include <iostream>

#include <unistd.h>

namespace {

int run(int argc, char** argv) {
  using namespace tthc::app;
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

  CalendarCommand cal_cmd;
  auto* cal =
      cli.add_subcommand("calendar", "days off, make-up Saturdays, Tết and Giỗ Tổ of a year");
  cal->add_option("--year", cal_cmd.year, "the year")->required();
  cal->add_flag("--json", cal_cmd.json, "JSON output");

  DueCommand due_cmd;
  auto* due = cli.add_subcommand("due", "the due moment of a dossier received at a moment");
  due->add_option("--received", due_cmd.received, "receipt, e.g. 2026-04-24T09:00")->required();
  due->add_option("--limit", due_cmd.limit, "limit: Nwd, Nwh, Nd, sameday@HH:MM")->required();
  due->add_flag("--json", due_cmd.json, "JSON output");

  ImportCommand import_cmd;
  std::string db;
  auto* import =
      cli.add_subcommand("import", "import dossiers from JSON Lines files or MC envelopes");
  import->add_option("files", import_cmd.files, "files (- for standard input)")->required();
  import->add_option("--db", db, "SQLite file (default: the configuration's store.path)");

  RunCommand run_cmd;
  std::string run_db;
  int run_port = -1;
  auto* run_sub =
      cli.add_subcommand("run", "the daemon: intake, live figures, metrics and the dossier API");
  run_sub->add_option("--db", run_db, "SQLite file (default: the configuration's store.path)");
  run_sub->add_option("--port", run_port, "listen port (0: any free port)")
      ->check(CLI::Range(0, 65535));

  ExplainCommand explain_cmd;
  std::string explain_db, explain_at;
  auto* explain = cli.add_subcommand(
      "explain", "why a dossier is counted as it is: every figure with its reason");
  explain->add_option("code", explain_cmd.code, "the dossier's MaHoSo")->required();
  explain->add_option("--db", explain_db, "SQLite file (default: the configuration's store.path)");
  explain->add_option("--at", explain_at, "judge as of this moment (default: now)");
  explain->add_flag("--json", explain_cmd.json, "JSON output (as GET /api/v1/dossiers/{code})");

  CheckStoreCommand check_store_cmd;
  std::string check_store_db;
  auto* check_store = cli.add_subcommand(
      "check-store", "SQLite's check of the store, read-only (exit 1 when it is damaged)");
  check_store->add_option("--db", check_store_db,
                          "SQLite file (default: the configuration's store.path)");
  check_store->add_flag("--full", check_store_cmd.full,
                        "integrity_check (every index against its table) instead of quick_check");

  auto* examples =
      cli.add_subcommand("examples", "this year's calendar and worked due-date examples");

  SimulateCommand sim_cmd;
  std::string sim_from, sim_to, sim_out, sim_horizon, sim_token, sim_push;
  int sim_port = -1;
  auto* simulate = cli.add_subcommand(
      "simulate", "a realistic one-stop system: a past span as JSON Lines, or its poll API live");
  simulate->add_option("--from", sim_from,
                       "first day (or moment) of receipts; --serve: the simulated start "
                       "(default today)");
  simulate->add_option("--to", sim_to, "last day of receipts (inclusive), or a moment (exclusive)");
  simulate->add_option("--out", sim_out, "write every delivery as JSON Lines (- standard output)");
  simulate->add_option("--horizon", sim_horizon, "--out: leave out deliveries at or after it");
  simulate->add_option("--seed", sim_cmd.seed, "the same seed gives the same output (default 1)");
  simulate->add_option("--rate", sim_cmd.rate, "dossiers a working day (default 120)");
  simulate->add_flag("--serve", sim_cmd.serve, "serve the poll API on 127.0.0.1");
  simulate->add_option("--port", sim_port, "--serve: port (default 8090; 0: any free port)")
      ->check(CLI::Range(0, 65535));
  simulate->add_option("--speed", sim_cmd.speed,
                       "--serve: simulated working seconds per second (default 480: one "
                       "working day a minute)");
  simulate->add_flag("--wall-clock", sim_cmd.wall_clock,
                     "--serve: --speed counts every simulated second, nights and days off too");
  simulate
      ->add_option("--history", sim_cmd.history_days,
                   "--serve: dossiers received this many days before --from, at once")
      ->check(CLI::NonNegativeNumber);
  simulate->add_option("--token", sim_token, "--serve: require 'Authorization: Bearer TOKEN'");
  simulate->add_option("--push", sim_push,
                       "--serve: also POST new deliveries as MC envelopes to this URL");
  simulate->add_flag("--no-embed-progress", sim_cmd.no_embed_progress,
                     "--serve: records without QuaTrinhXuLy (see /api/dossiers/{code}/progress)");

  ReportCommand report_cmd;
  std::string report_out, report_as_of, report_diff, report_db;
  int report_start_day = 0;
  auto* report = cli.add_subcommand(
      "report",
      "a month's report: form II.06a (results), reduction, the 766 estimate, claimed statistics");
  report
      ->add_option("--kind", report_cmd.kind,
                   "results, reduction, index766, claimed or dvcqg-stats (json only)")
      ->required();
  report->add_option("--month", report_cmd.month, "the month, YYYY-MM")->required();
  report->add_option("--format", report_cmd.format, "json (default), csv, html or xlsx");
  report
      ->add_option("--period-start-day", report_start_day,
                   "periods from this day of the month before (default [reports] "
                   "period_start_day, 1: calendar months)")
      ->check(CLI::Range(1, 28));
  report->add_option("--out", report_out, "write to this file (default standard output)");
  report->add_option("--as-of", report_as_of,
                     "judge as of this moment (default the period's end, or now)");
  report->add_option("--diff", report_diff,
                     "compare with a snapshot (its folder or JSON file); exit status 3 when "
                     "anything changed");
  report->add_option("--db", report_db, "SQLite file (default: the configuration's store.path)");

  // backup and restore: a folder, and --db.
  const auto folder_command = [&cli](const char* name, const char* about, const char* folder,
                                     const char* folder_help, std::string& folder_value,
                                     std::string& db_value) {
    auto* sub = cli.add_subcommand(name, about);
    sub->add_option(folder, folder_value, folder_help)->required();
    sub->add_option("--db", db_value, "SQLite file (default: the configuration's store.path)");
    return sub;
  };
  BackupCommand backup_cmd;
  std::string backup_db;
  auto* backup = folder_command(
      "backup", "copy the store, the alert state and the reports into a folder, daemon running",
      "dest", "a new or empty folder", backup_cmd.dest, backup_db);
  RestoreCommand restore_cmd;
  std::string restore_db;
  auto* restore = folder_command(
      "restore", "put a backup back in place, the daemon stopped; current files kept aside",
      "source", "a folder `backup` wrote", restore_cmd.source, restore_db);

  auto* check_config = cli.add_subcommand(
      "check-config", "check the configuration and every file it names; starts nothing");

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
  if (!config.empty()) src.config = config;
  if (!holidays.empty()) src.holidays = holidays;
  if (cal->parsed()) return run_calendar(src, cal_cmd, std::cout, std::cerr);
  if (due->parsed()) return run_due(src, due_cmd, std::cout, std::cerr);
  if (examples->parsed()) return run_examples(src, std::cout, std::cerr);
  if (check_store->parsed()) {
    if (!check_store_db.empty()) check_store_cmd.db = check_store_db;
    return run_check_store(src, check_store_cmd, std::cout, std::cerr);
  }
  if (check_config->parsed()) return run_check_config(src, std::cout, std::cerr);
  if (backup->parsed()) {
    if (!backup_db.empty()) backup_cmd.db = backup_db;
    return run_backup(src, backup_cmd, std::cout, std::cerr);
  }
  if (restore->parsed()) {
    if (!restore_db.empty()) restore_cmd.db = restore_db;
    return run_restore(src, restore_cmd, std::cout, std::cerr);
  }
  if (explain->parsed()) {
    if (!explain_db.empty()) explain_cmd.db = explain_db;
    if (!explain_at.empty()) explain_cmd.at = explain_at;
    return run_explain(src, explain_cmd, std::cout, std::cerr);
  }
  if (report->parsed()) {
    if (report_start_day > 0) report_cmd.period_start_day = report_start_day;
    if (!report_out.empty()) report_cmd.out = report_out;
    if (!report_as_of.empty()) report_cmd.as_of = report_as_of;
    if (!report_diff.empty()) report_cmd.diff = report_diff;
    if (!report_db.empty()) report_cmd.db = report_db;
    return run_report(src, report_cmd, std::cout, std::cerr);
  }
  if (run_sub->parsed()) {
    if (!run_db.empty()) run_cmd.db = run_db;
    if (run_port >= 0) run_cmd.listen_port = static_cast<std::uint16_t>(run_port);
    return run_daemon(src, run_cmd, std::cout, std::cerr);
  }
  if (simulate->parsed()) {
    if (!sim_from.empty()) sim_cmd.from = sim_from;
    if (!sim_to.empty()) sim_cmd.to = sim_to;
    if (!sim_out.empty()) sim_cmd.out = sim_out;
    if (!sim_horizon.empty()) sim_cmd.horizon = sim_horizon;
    if (!sim_token.empty()) sim_cmd.token = sim_token;
    if (!sim_push.empty()) sim_cmd.push = sim_push;
    if (sim_port >= 0) sim_cmd.port = static_cast<std::uint16_t>(sim_port);
    return run_simulate(src, sim_cmd, std::cout, std::cerr);
  }
  if (import->parsed()) {
    if (!db.empty()) import_cmd.db = db;
    import_cmd.progress_bar = isatty(STDERR_FILENO) != 0;
    return run_import(src, import_cmd, std::cout, std::cerr);
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
