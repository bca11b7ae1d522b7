#pragma once
// `report --merge` and `report --merge-snapshot` (merge_command.cpp), called by run_report.

#include "app/commands.hpp"
#include "reports/model.hpp"

#include <iosfwd>

namespace tthc::app {

/// The merged report of `kind` in `format`, to standard output or --out.
int run_report_merge(const ReportCommand& cmd, reports::Kind kind, reports::Format format,
                     std::ostream& out, std::ostream& err);

/// Every merged kind in every format, and a manifest, into --merge-snapshot's folder.
int run_merge_snapshot(const ReportCommand& cmd, std::ostream& out, std::ostream& err);

}  // namespace tthc::app
