#pragma once
// National or regional reports merged from the provinces' frozen snapshots (`report --merge`):
// form II.06a, the reduction and the 766 estimate with one row per province (its total row),
// the totals the sums of the provinces' counts, ratios recomputed from the summed counts, means
// combined as count-weighted means, medians not combined (they cannot be). The inputs must
// agree on the period (the recorded `period` object compared as a whole, so that any kind of
// period merges) and be closed; differing calendars, catalogues or settings are merged and each
// province's recorded inputs are written into the merged report.

#include "base/result.hpp"
#include "reports/model.hpp"
#include "reports/snapshot.hpp"

#include <optional>
#include <string>
#include <vector>

namespace tthc::reports {

/// The reports a merge produces: not `claimed` (a claim is one unit's, not a province's).
inline constexpr Kind kMergedKinds[] = {Kind::Results, Kind::Reduction, Kind::Index766};

/// One province as given on the command line: `DIR` or `NAME=DIR`, DIR a snapshot folder
/// (`ninh-binh/2026-03`) or one JSON report file of a snapshot.
struct MergeInput {
  std::string path;
  std::optional<std::string> name;  ///< the province's display name; default its code
};
/// "Ninh Bình=ninh-binh/2026-03" or "ninh-binh/2026-03"; the error names the argument.
Result<MergeInput> parse_merge_input(const std::string& argument);

/// What one province's snapshot recorded, for the merged report to say what it was made from.
struct ProvinceSource {
  std::string code;    ///< the suffix of its units' codes ("H42"), by the most dossiers
  std::string name;    ///< as given, else the code
  std::string source;  ///< the folder or file as given
  /// Per file read: "results.json" → "sha256:…".
  std::vector<std::pair<std::string, std::string>> files;
  /// The recorded inputs as JSON text, in the order written: "as_of", "calendar_version",
  /// "provisional_years", "catalogue_version", "settings".
  std::vector<std::pair<std::string, std::string>> inputs;
};

struct MergedReports {
  /// The merged data in the report model: a province where a unit was (unit = its code,
  /// unit_name = its name, field none). inputs.period and inputs.as_of (the latest) are set.
  Reports reports;
  std::vector<Kind> kinds;                ///< the kinds merged
  std::string period_json;                ///< the common `period` object, verbatim
  std::vector<ProvinceSource> provinces;  ///< by code
  std::vector<std::string> differing;     ///< recorded inputs that differ between provinces
};

/// Reads and checks every input, then merges the `kinds` asked. Refused, naming the file and
/// both values: different periods or period start days, a report of another kind, a period not
/// closed, a file missing or not matching its manifest's SHA-256, the same province twice, a
/// report that is itself a merge.
Result<MergedReports> merge_snapshots(const std::vector<MergeInput>& inputs,
                                      const std::vector<Kind>& kinds);

/// A merged report in a format (JSON, CSV, HTML, XLSX), by the single-province renderers with
/// the provinces' inputs in place of one province's.
Result<std::string> render_merged(const MergedReports& merged, Kind kind, Format format);

/// The merged snapshot: every merged kind in every format, then manifest.json.
Result<std::vector<SnapshotFile>> merged_snapshot_files(const MergedReports& merged);

}  // namespace tthc::reports
