// `tthc-monitor report --merge [NAME=]DIR...`: a national or regional report from the
// provinces' frozen snapshots (src/reports/merge.hpp), to standard output or --out; with
// --merge-snapshot OUT, every merged kind in every format and a manifest, as a snapshot folder.
#include "app/merge_command.hpp"

#include "app/cli_support.hpp"
#include "reports/merge.hpp"
#include "reports/snapshot.hpp"

#include <iterator>
#include <ostream>

namespace tthc::app {

namespace {

// What a merge takes from the snapshots, not from the command line.
std::optional<std::string> not_with_merge(const ReportCommand& cmd) {
  if (!cmd.month.empty()) return "--month";
  if (cmd.period_start_day) return "--period-start-day";
  if (cmd.as_of) return "--as-of";
  if (cmd.diff) return "--diff";
  if (cmd.db) return "--db";
  return std::nullopt;
}

// The inputs named on the command line; nullopt (the error written) when one is malformed or
// an option is given that a merge does not take.
std::optional<std::vector<reports::MergeInput>> merge_inputs(const ReportCommand& cmd,
                                                             std::ostream& err) {
  if (const auto option = not_with_merge(cmd)) {
    err << "tthc-monitor: error: " << *option
        << ": not with --merge (the period and data are the snapshots')\n";
    return std::nullopt;
  }
  std::vector<reports::MergeInput> inputs;
  for (const std::string& argument : cmd.merge) {
    auto input = reports::parse_merge_input(argument);
    if (!input) {
      err << "tthc-monitor: error: " << input.error().message << "\n";
      return std::nullopt;
    }
    inputs.push_back(std::move(*input));
  }
  return inputs;
}

int fail(std::ostream& err, const std::string& message, int status = kExitFailure) {
  err << "tthc-monitor: error: " << message << "\n";
  return status;
}

}  // namespace

int run_report_merge(const ReportCommand& cmd, reports::Kind kind, reports::Format format,
                     std::ostream& out, std::ostream& err) {
  const auto inputs = merge_inputs(cmd, err);
  if (!inputs) return kExitUsage;
  auto merged = reports::merge_snapshots(*inputs, {kind});
  if (!merged) return fail(err, "--merge: " + merged.error().message);
  auto bytes = reports::render_merged(*merged, kind, format);
  if (!bytes) return fail(err, bytes.error().message);
  if (cmd.out && *cmd.out != "-") {
    if (auto e = write_durably(*cmd.out, *bytes)) return fail(err, "--out: " + e->message);
    return kExitOk;
  }
  out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
  out.flush();
  return kExitOk;
}

int run_merge_snapshot(const ReportCommand& cmd, std::ostream& out, std::ostream& err) {
  if (cmd.merge.empty()) return fail(err, "--merge-snapshot: no --merge given", kExitUsage);
  const auto inputs = merge_inputs(cmd, err);
  if (!inputs) return kExitUsage;
  const std::vector<reports::Kind> kinds(std::begin(reports::kMergedKinds),
                                         std::end(reports::kMergedKinds));
  auto merged = reports::merge_snapshots(*inputs, kinds);
  if (!merged) return fail(err, "--merge: " + merged.error().message);
  auto files = reports::merged_snapshot_files(*merged);
  if (!files) return fail(err, files.error().message);
  const reports::Period& period = merged->reports.results.inputs.period;
  const std::filesystem::path dir(*cmd.merge_snapshot);
  auto written = reports::write_snapshot(dir, period, *files);
  if (!written) return fail(err, "--merge-snapshot: " + written.error().message);
  const std::string target = reports::snapshot_dir(dir, period).string();
  if (!*written) {
    out << target << " exists: left as it is (a snapshot is never overwritten)\n";
  } else {
    out << "merged " << merged->provinces.size() << " provinces into " << target << "\n";
  }
  return kExitOk;
}

}  // namespace tthc::app
