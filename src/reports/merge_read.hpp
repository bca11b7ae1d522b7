#pragma once
// Reading one province's frozen snapshot for a merge (merge.hpp): its manifest checked, the
// report files' SHA-256 compared with it, the recorded inputs and the total figures read back.

#include "base/result.hpp"
#include "reports/merge.hpp"

#include <optional>
#include <string>
#include <vector>

namespace tthc::reports {

/// What a merge needs of one province's reports.
struct ProvinceReports {
  ProvinceSource source;
  std::string period_json;  ///< the recorded `period` object, serialised
  std::string start_day;    ///< its period start day, as recorded
  Period period;
  Moment as_of{};
  std::vector<std::string> files_read;  ///< the report files, for messages
  std::optional<ResultsCounts> results;
  std::optional<ReductionFigures> reduction;
  std::optional<Index766Report> index766;  ///< total, procedures, all_procedures
};

/// Reads the `kinds` of one input (a snapshot folder, or one JSON report file whose kind must
/// be the one asked); every refusal names the file and the value.
Result<ProvinceReports> read_province(const MergeInput& input, const std::vector<Kind>& kinds);

}  // namespace tthc::reports
