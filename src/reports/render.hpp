#pragma once
// Rendering the report data: JSON (the API's and the snapshot's machine-readable form), and —
// through one table model (document.hpp) — CSV, printable HTML and XLSX. Pure functions of the
// data: the same report gives the same bytes.

#include "base/result.hpp"
#include "reports/model.hpp"

#include <optional>
#include <string>

namespace tthc::reports {

std::string to_json(const ResultsReport& r);
std::string to_json(const ReductionReport& r);
std::string to_json(const Index766Report& r);
std::string to_json(const ClaimedReport& r);

/// The recorded inputs as JSON lines of a top-level object ("period" … "settings"), each line
/// ending with ",\n"; the snapshot manifest carries the same.
std::string inputs_json_lines(const Inputs& in);

/// Why `kind` is not written for `period`, if it is not: dvcqg-stats is the portal's monthly
/// payload (Nam, Thang), so only a month has one.
std::optional<Error> period_refusal(Kind kind, const Period& period);

/// The report of `kind` in `format`: UTF-8 text, or the bytes of an XLSX file.
Result<std::string> render(const Reports& reports, Kind kind, Format format);

}  // namespace tthc::reports
