#pragma once
// What changed between a report snapshot and a fresh run of the same report (`report --diff`):
// a late sync, a late holiday notice, a catalogue change. Compares the JSON forms value by
// value; rows are matched by their codes (unit, field, procedure; a claim's kind, a listed
// dossier's code), not their positions.

#include "base/result.hpp"
#include "domain/time.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace tthc::reports {

/// One line per changed value, `rows[000.00.12.H42/KHCN].resolved_overdue: 3 → 4`, in the new
/// report's order; rows only in one of them as `rows[…]: added` / `removed`. Empty: identical.
/// An error when either text is not a JSON object.
Result<std::vector<std::string>> diff_reports(std::string_view old_json, std::string_view new_json);

/// The moment a report in JSON was judged as of (its "as_of").
Result<Moment> recorded_as_of(std::string_view report_json);

}  // namespace tthc::reports
