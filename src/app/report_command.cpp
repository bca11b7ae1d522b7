// `tthc-monitor report`: a month's report from the store — form II.06a, the processing-time
// reduction, the Decision-766 estimate or the statistics the systems claimed beside ours — as
// JSON, CSV, HTML or XLSX, or the DongBoThongKeHoSo payload of our figures (JSON); or, with
// --diff, what a fresh run changes against a snapshot (exit status 3 when anything did).
#include "app/commands.hpp"

#include "app/cli_support.hpp"
#include "app/loading.hpp"
#include "reports/diff.hpp"
#include "reports/render.hpp"
#include "reports/source.hpp"

#include <fstream>
#include <iterator>
#include <ostream>

namespace tthc::app {

namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

int usage(std::ostream& err, const std::string& message) {
  err << "tthc-monitor: error: " << message << "\n";
  return kExitUsage;
}

int failure(std::ostream& err, const std::string& message) {
  err << "tthc-monitor: error: " << message << "\n";
  return kExitFailure;
}

}  // namespace

int run_report(const SourceOptions& src, const ReportCommand& cmd, std::ostream& out,
               std::ostream& err) {
  const auto kind = reports::parse_kind(cmd.kind);
  if (!kind) {
    return usage(err, "--kind: not a report: \"" + cmd.kind + "\" (expected " +
                          std::string(reports::kind_names()) + ")");
  }
  const auto format = reports::parse_format(cmd.format);
  if (!format) {
    return usage(
        err, "--format: not a format: \"" + cmd.format + "\" (expected json, csv, html or xlsx)");
  }
  if (!reports::available(*kind, *format)) {
    return usage(err, "--format: " + cmd.kind + " is written as json only");
  }
  auto loaded = load_with_calendar(src, err);
  if (!loaded) return kExitFailure;
  config::Settings& settings = loaded->settings;
  if (cmd.db) settings.store.path = *cmd.db;
  const int start_day = cmd.period_start_day.value_or(settings.reports.period_start_day);
  auto period = reports::parse_period(cmd.month, start_day);
  if (!period) {
    return usage(err, std::string(cmd.period_start_day ? "--period-start-day" : "--month") + ": " +
                          period.error().message);
  }
  std::optional<Moment> as_of;
  if (cmd.as_of) {
    auto m = parse_user_moment(*cmd.as_of);
    if (!m) return usage(err, "--as-of: " + m.error().message);
    as_of = *m;
  }
  std::optional<std::string> snapshot;
  fs::path snapshot_path;
  if (cmd.diff) {
    snapshot_path = *cmd.diff;
    std::error_code ec;
    if (fs::is_directory(snapshot_path, ec)) {
      snapshot_path /= std::string(reports::to_string(*kind)) + ".json";
    }
    snapshot = read_file(snapshot_path);
    if (!snapshot) return failure(err, "--diff: cannot read " + snapshot_path.string());
    if (!as_of) {
      // Judged as of the same moment as the snapshot: what changed is the data or the inputs.
      auto recorded = reports::recorded_as_of(*snapshot);
      if (!recorded)
        return failure(err, "--diff: " + snapshot_path.string() + ": " + recorded.error().message);
      as_of = *recorded;
    }
  }
  auto moment = reports::report_moment(*period, as_of, now_in_vietnam());
  if (!moment) return usage(err, moment.error().message);

  const auto rules = load_catalogue_for(settings, err, [&err](const std::string& warning) {
    err << "tthc-monitor: warning: " << warning << "\n";
  });
  if (!rules) return kExitFailure;
  const engine::Catalogue catalogue(*rules);
  if (!upgrade_store(settings.store, err)) return kExitFailure;
  reports::ReportSource source;
  source.db = settings.store.path;
  source.calendar = &loaded->calendar;
  source.catalogue = &catalogue;
  source.settings = settings.engine;
  source.period_start_day = start_day;
  auto built = reports::build_reports(source, *period, *moment);
  if (!built) return failure(err, built.error().message);

  if (snapshot) {
    auto changes = reports::changes_since(*built, *kind, *snapshot);
    if (!changes) return failure(err, "--diff: " + changes.error().message);
    const std::string what = "report " + std::string(reports::to_string(*kind)) + " " +
                             period->label() + " as of " + format_iso(*moment);
    if (changes->empty()) {
      out << what << ": identical to " << snapshot_path.string() << "\n";
      return kExitOk;
    }
    out << what << ": " << changes->size() << (changes->size() == 1 ? " change" : " changes")
        << " since " << snapshot_path.string() << "\n";
    for (const std::string& line : *changes) out << "  " << line << "\n";
    return kExitDifferent;
  }

  auto bytes = reports::render(*built, *kind, *format);
  if (!bytes) return failure(err, bytes.error().message);
  if (cmd.out && *cmd.out != "-") {
    std::ofstream file(*cmd.out, std::ios::binary | std::ios::trunc);
    file.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    file.close();
    if (!file) return failure(err, "--out: cannot write " + *cmd.out);
    return kExitOk;
  }
  out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
  out.flush();
  return kExitOk;
}

}  // namespace tthc::app
