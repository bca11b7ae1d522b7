// `tthc-monitor report`: a period's report from the store (a month, a quarter, a half-year, a
// year, a range of months or of years) — form II.06a, the processing-time reduction, the
// Decision-766 estimate or the statistics the systems claimed beside ours — as JSON, CSV, HTML or
// XLSX, or the DongBoThongKeHoSo payload of our figures (JSON, a month only); or, with --diff,
// what a fresh run changes against a snapshot (exit status 3 when anything did).
#include "app/commands.hpp"

#include "app/cli_support.hpp"
#include "app/loading.hpp"
#include "app/merge_command.hpp"
#include "reports/diff.hpp"
#include "reports/render.hpp"
#include "reports/review.hpp"
#include "reports/snapshot.hpp"
#include "reports/source.hpp"

#include <fstream>
#include <memory>
#include <ostream>

namespace tthc::app {

namespace {

namespace fs = std::filesystem;

int usage(std::ostream& err, const std::string& message) {
  err << "tthc-monitor: error: " << message << "\n";
  return kExitUsage;
}

int failure(std::ostream& err, const std::string& message) {
  err << "tthc-monitor: error: " << message << "\n";
  return kExitFailure;
}

// The snapshot --diff names (a folder: the kind's file in it). Unless --as-of said otherwise,
// the fresh run is judged as of the same moment as the snapshot: what changed is then the data
// or the inputs.
struct Snapshot {
  fs::path path;
  std::string text;
};

Result<Snapshot> read_snapshot(const std::string& diff, reports::Kind kind,
                               std::optional<Moment>& as_of) {
  Snapshot snapshot{diff, {}};
  std::error_code ec;
  if (fs::is_directory(snapshot.path, ec)) {
    snapshot.path /= std::string(reports::to_string(kind)) + ".json";
  }
  auto text = reports::read_snapshot_file(snapshot.path);
  if (!text) return Error{"--diff: cannot read " + snapshot.path.string()};
  snapshot.text = std::move(*text);
  if (!as_of) {
    auto recorded = reports::recorded_as_of(snapshot.text);
    if (!recorded) {
      return Error{"--diff: " + snapshot.path.string() + ": " + recorded.error().message};
    }
    as_of = *recorded;
  }
  return snapshot;
}

// The store, calendar, configured catalogue and unit register put together; nullopt (the error
// written) on failure. Catalogue and register are held by pointer: the source points at them.
struct Opened {
  std::unique_ptr<engine::Catalogue> catalogue;
  std::unique_ptr<engine::UnitRegister> units;
  reports::ReportSource source;
};

std::optional<Opened> open_source(const Loaded& loaded, int start_day, std::ostream& err) {
  const config::Settings& settings = loaded.settings;
  const auto warn = [&err](const std::string& warning) {
    err << "tthc-monitor: warning: " << warning << "\n";
  };
  const auto rules = load_catalogue_for(settings, err, warn);
  if (!rules) return std::nullopt;
  auto units = load_units_for(settings, err, warn);
  if (!units) return std::nullopt;
  Opened o{std::make_unique<engine::Catalogue>(*rules),
           std::make_unique<engine::UnitRegister>(std::move(*units)),
           {}};
  if (!upgrade_store(settings.store, err)) return std::nullopt;
  o.source.db = settings.store.path;
  o.source.calendar = &loaded.calendar;
  o.source.catalogue = o.catalogue.get();
  o.source.settings = settings.engine;
  o.source.period_start_day = start_day;
  o.source.units = o.units.get();
  o.source.unit_options = settings.units;
  return o;
}

// The reports of `period` as of `moment`; nullopt (the error written) on failure.
std::optional<reports::Reports> build(const Loaded& loaded, int start_day,
                                      const reports::Period& period, Moment moment,
                                      std::ostream& err) {
  const auto opened = open_source(loaded, start_day, err);
  if (!opened) return std::nullopt;
  auto built = reports::build_reports(opened->source, period, moment);
  if (!built) {
    failure(err, built.error().message);
    return std::nullopt;
  }
  return std::move(*built);
}

// What a fresh run changes against the snapshot: kExitDifferent when anything did.
int print_changes(std::ostream& out, std::ostream& err, const reports::Reports& built,
                  reports::Kind kind, const Snapshot& snapshot, const reports::Period& period,
                  Moment moment) {
  auto changes = reports::changes_since(built, kind, snapshot.text);
  if (!changes) return failure(err, "--diff: " + changes.error().message);
  const std::string what = "report " + std::string(reports::to_string(kind)) + " " +
                           period.label() + " as of " + format_iso(moment);
  if (changes->empty()) {
    out << what << ": identical to " << snapshot.path.string() << "\n";
    return kExitOk;
  }
  out << what << ": " << changes->size() << (changes->size() == 1 ? " change" : " changes")
      << " since " << snapshot.path.string() << "\n";
  for (const std::string& line : *changes) out << "  " << line << "\n";
  return kExitDifferent;
}

// The period of --month or --period (one of them, not both); the error names the option.
Result<reports::Period> period_of_command(const ReportCommand& cmd, int start_day) {
  if (!cmd.month.empty() && !cmd.period.empty()) {
    return Error{"--month and --period: give one of them, not both"};
  }
  if (cmd.month.empty() && cmd.period.empty()) {
    return Error{"--period (or --month) is required, unless --merge"};
  }
  const std::string option = cmd.month.empty() ? "--period" : "--month";
  auto period = cmd.month.empty() ? reports::parse_period_spec(cmd.period, start_day)
                                  : reports::parse_period(cmd.month, start_day);
  if (!period) return Error{option + ": " + period.error().message};
  return period;
}

// The rendered report to --out, or to standard output.
int write_report(std::ostream& out, std::ostream& err, const std::string& bytes,
                 const std::optional<std::string>& file_name) {
  if (file_name && *file_name != "-") {
    std::ofstream file(*file_name, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    file.close();
    if (!file) return failure(err, "--out: cannot write " + *file_name);
    return kExitOk;
  }
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.flush();
  return kExitOk;
}

// The phase review of a span of years (`--kind review --period 2022..2025`).
int run_review(const SourceOptions& src, const ReportCommand& cmd, std::ostream& out,
               std::ostream& err) {
  const auto format = reports::parse_format(cmd.format);
  if (!format) return usage(err, "--format: not a format: \"" + cmd.format + "\"");
  if (cmd.period.empty()) return usage(err, "--period: required for review, YYYY or YYYY..YYYY");
  if (cmd.as_of || cmd.diff) return usage(err, "--as-of and --diff do not apply to review");
  const auto span = reports::parse_year_span(cmd.period);
  if (!span) return usage(err, "--period: " + span.error().message);
  auto loaded = load_with_calendar(src, err);
  if (!loaded) return kExitFailure;
  if (cmd.db) loaded->settings.store.path = *cmd.db;
  const int start_day = cmd.period_start_day.value_or(loaded->settings.reports.period_start_day);
  const auto opened = open_source(*loaded, start_day, err);
  if (!opened) return kExitFailure;
  const reports::ReviewRequest request{*span, start_day, now_in_vietnam()};
  if (auto e = reports::check_request(request)) return usage(err, "--period: " + e->message);
  auto built =
      reports::build_review(opened->source, request, loaded->settings.reports.dir.string());
  if (!built) return failure(err, built.error().message);
  auto bytes = reports::render_review(*built, *format);
  if (!bytes) return failure(err, bytes.error().message);
  return write_report(out, err, *bytes, cmd.out);
}

}  // namespace

int run_report(const SourceOptions& src, const ReportCommand& cmd, std::ostream& out,
               std::ostream& err) {
  if (cmd.merge_snapshot) return run_merge_snapshot(cmd, out, err);
  if (cmd.kind.empty()) return usage(err, "--kind is required");
  if (cmd.kind == "review") return run_review(src, cmd, out, err);
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
  if (!cmd.merge.empty()) return run_report_merge(cmd, *kind, *format, out, err);
  auto loaded = load_with_calendar(src, err);
  if (!loaded) return kExitFailure;
  if (cmd.db) loaded->settings.store.path = *cmd.db;
  const int start_day = cmd.period_start_day.value_or(loaded->settings.reports.period_start_day);
  auto period = period_of_command(cmd, start_day);
  if (!period) return usage(err, period.error().message);
  if (auto refused = reports::period_refusal(*kind, *period)) {
    return usage(err, "--kind: " + refused->message);
  }
  std::optional<Moment> as_of;
  if (cmd.as_of) {
    auto m = parse_user_moment(*cmd.as_of);
    if (!m) return usage(err, "--as-of: " + m.error().message);
    as_of = *m;
  }
  std::optional<Snapshot> snapshot;
  if (cmd.diff) {
    auto read = read_snapshot(*cmd.diff, *kind, as_of);
    if (!read) return failure(err, read.error().message);
    snapshot = std::move(*read);
  }
  auto moment = reports::report_moment(*period, as_of, now_in_vietnam());
  if (!moment) return usage(err, moment.error().message);
  auto built = build(*loaded, start_day, *period, *moment, err);
  if (!built) return kExitFailure;
  if (snapshot) return print_changes(out, err, *built, *kind, *snapshot, *period, *moment);
  auto bytes = reports::render(*built, *kind, *format);
  if (!bytes) return failure(err, bytes.error().message);
  return write_report(out, err, *bytes, cmd.out);
}

}  // namespace tthc::app
