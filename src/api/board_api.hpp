#pragma once
// The board: the web pages the daemon serves itself for leaders and officers, and the JSON and
// pictures they read (which anyone else may read too):
//   GET /  /units/{unit}  /dossiers  /dossiers/{MaHoSo}  /reports   the pages (one HTML shell,
//       the front-end in /assets/board.js draws them from the JSON below); ?lang=en, ?tv=1
//   GET /signin, POST /signin, POST /signout   the token asked once, kept in an HttpOnly cookie
//   GET /assets/{file}                          the front-end, built into the executable
//   GET /api/v1/overview                        tiles, units worst first, freshness, calendar
//   GET /api/v1/units/{unit}                    one unit: fields, departments, month figures
//                                               (an ended unit's code: the unit in force)
//   GET /api/v1/units/unknown                   unit codes the unit register lacks
//   GET /api/v1/trend[.svg]                     12 calendar months: received, resolved, rate
//   GET /api/v1/overview/ranking.svg            units by this month's on-time rate
//   GET /api/v1/dossiers/{MaHoSo}/timeline.svg  one dossier's timeline picture
//   GET /api/v1/reports                         every month's reports and frozen snapshots
//   GET /api/v1/reports/{kind}/diff?month=      what a fresh run changes against the snapshot
//   GET /api/v1/snapshots/{month}/{file}        a frozen snapshot's file
// With a read token, pages without the session cookie go to /signin and the JSON and pictures
// answer 401; the cookie or the bearer header opens them. Every page carries a
// Content-Security-Policy without inline scripts or styles and forbids framing.

#include "base/clock.hpp"
#include "calendar/working_calendar.hpp"
#include "engine/catalogue.hpp"
#include "http/server.hpp"
#include "ingest/poller.hpp"
#include "reports/source.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace tthc::live {
class Monitor;
}

namespace tthc::api {

/// Required dependencies are references (they must outlive the router); the rest optional.
struct BoardOptions {
  live::Monitor& monitor;  ///< every figure comes from the live state
  const engine::Catalogue& catalogue;
  const calendar::WorkingCalendar& calendar;
  engine::Settings settings{};
  std::filesystem::path db{};
  std::optional<std::string> token{};  ///< the read token; none: the board is open
  std::string province{};              ///< [metrics] province, shown in the title
  double on_time_target = 0.95;        ///< [metrics] on_time_target
  /// The monthly reports (the reports page, the diffs) and where snapshots are written ("":
  /// none); report_source.period_start_day is the snapshots' start day.
  reports::ReportSource report_source{};
  std::filesystem::path reports_dir{};
  /// Unix time of the last committed intake batch; none: nothing yet.
  std::function<std::optional<std::int64_t>()> last_intake_unix{};
  /// The poller's state; empty function: no poller.
  std::function<ingest::PollStats()> poll_stats{};
  /// Serve the front-end from this folder instead of the built-in copies (front-end work).
  std::optional<std::filesystem::path> assets_dir{};
  std::chrono::seconds refresh{5};  ///< how often the pages ask for news
};

/// `clock` is the moment of every figure; it must outlive the router.
void add_board(http::Router& router, const Clock& clock, BoardOptions options);

}  // namespace tthc::api
