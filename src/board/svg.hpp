#pragma once
// The board's pictures, drawn by the server as SVG from plain figures: the 12-month trend, the
// units ranked by on-time rate, and one dossier's timeline. Pure: same figures, same bytes.
// Every name is escaped (names come from payloads); every colour has a word or a mark beside it
// (overdue is also written, late steps carry ⚠), so colour is never the only signal.

#include "board/format.hpp"
#include "domain/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tthc::board {

struct TrendPoint {
  int year = 0;
  unsigned month = 1;
  bool known = true;  ///< false: not computed yet (drawn empty)
  std::int64_t received = 0, resolved = 0, overdue = 0;
  std::optional<double> on_time_rate;
};
/// Bars of received / resolved / resolved overdue per month (left axis), the on-time rate as a
/// line with its points (right axis, 0–100 %) and the target as a dashed line.
std::string trend_svg(const std::vector<TrendPoint>& months, double target, Lang lang);

struct RankBar {
  std::string label;  ///< the unit's name (or code)
  std::optional<double> on_time_rate;
  std::int64_t overdue_now = 0;
};
/// One bar per unit in the given order (worst first), the target as a vertical line.
std::string ranking_svg(const std::vector<RankBar>& units, double target, Lang lang);

struct TimelineStep {
  std::string department;
  Moment start{};
  std::optional<Moment> end;  ///< none: still open (drawn to `now`)
  std::optional<Moment> deadline;
  bool overdue = false;
};
struct TimelinePicture {
  Moment received{};
  Moment now{};
  std::optional<Moment> base_due, effective_due, end;
  std::vector<Interval> pauses;
  std::vector<TimelineStep> steps;
};
/// The dossier on a calendar-time axis: its whole span with the pauses shaded, each step as a
/// bar against its deadline, the base and effective due and the end as marked lines.
std::string timeline_svg(const TimelinePicture& t, Lang lang);

}  // namespace tthc::board
