#pragma once
// The read side of the daemon:
//   GET /api/v1/dossiers/{MaHoSo}  the timeline and every computed figure with its reason:
//                                  "why is this dossier counted overdue?" (api/explanation.hpp)
//   GET /api/v1/dossiers?state=overdue|due_soon|at_risk|paused|in_time&unit=&field=
//       &department=&within=<working days>&offset=&limit=   the one-stop office's work list
// Both require `Authorization: Bearer <token>` when a token is configured. The probes and
// /metrics: api/probes_api.hpp.

#include "api/unit_explanation.hpp"
#include "base/clock.hpp"
#include "base/result.hpp"
#include "calendar/working_calendar.hpp"
#include "engine/catalogue.hpp"
#include "engine/evaluation.hpp"
#include "http/server.hpp"
#include "live/live_state.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace tthc::live {
class Monitor;
}

namespace tthc::api {

/// Required dependencies are references (they must outlive the router); members with a default
/// are optional. Aggregate: `ReadApiOptions o{.catalogue = c, .calendar = cal};`.
struct ReadApiOptions {
  const engine::Catalogue& catalogue;
  const calendar::WorkingCalendar& calendar;
  std::filesystem::path db{};
  engine::Settings settings{};
  std::optional<std::string> token{};  ///< bearer token for the read endpoints
  /// The unit register and [units] settings the explanation names units under.
  UnitView units{};
  /// Optional: none, the work list answers 503 (the live state is still loading).
  live::Monitor* monitor = nullptr;
};

/// `clock` is the moment of every judgement; it must outlive the router.
void add_read_api(http::Router& router, const Clock& clock, ReadApiOptions options);

/// The work list's query, read and checked once at the boundary.
struct WorkListQuery {
  live::ListFilter filter;
  std::size_t offset = 0;
  std::size_t limit = 100;
};

/// The work list's parameters (state, unit, field, department, within, offset, limit); `day`
/// is the calendar's working day (within= counts working days). A bad parameter's error names
/// the parameter and quotes its value.
Result<WorkListQuery> parse_work_list_query(const http::Request& req, Duration day);

}  // namespace tthc::api
