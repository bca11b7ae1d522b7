#pragma once
// The reports over HTTP, as `tthc-monitor report` gives them:
//   GET /api/v1/reports/{kind}?period=P&format=json|csv|html|xlsx[&period_start_day=D][&as_of=M]
// P a month (2025-07), quarter (2025-Q3), half-year (2025-H1), year (2025), range of months
// (2025-01..2025-09) or of years (2022..2025); `month=YYYY-MM` as before, not with `period=`.
//   GET /api/v1/reports/review?period=YYYY|YYYY..YYYY&format=...[&period_start_day=D]
//       the phase review of a span of years (reports/review.hpp)
// 200 with the report (Content-Type of the format; csv and xlsx as attachments); 400 for a bad
// parameter, 404 for an unknown kind, 401 without the bearer token (when one is configured),
// 503 when the store cannot be read. A report reads the store (about a second for a month of a
// million stored dossiers, a few for a year): it runs on the server's worker pool, never on a
// socket thread.

#include "base/clock.hpp"
#include "domain/time.hpp"
#include "http/server.hpp"
#include "reports/source.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace tthc::api {

struct ReportApiOptions {
  reports::ReportSource source;         ///< period_start_day: the default of the parameter
  std::optional<std::string> token;     ///< bearer token, as the other read endpoints
  std::filesystem::path snapshots_dir;  ///< [reports] dir: the review's late-sync caveat
};

/// `clock` says which periods are closed; it must outlive the router.
void add_report_api(http::Router& router, const Clock& clock, ReportApiOptions options);

}  // namespace tthc::api
