#pragma once
// The read side of the daemon:
//   GET /api/v1/dossiers/{MaHoSo}  the timeline and every computed figure with its reason:
//                                  "why is this dossier counted overdue?"
//   GET /api/v1/dossiers?state=overdue|due_soon|at_risk|paused|in_time&unit=&field=
//       &department=&within=<working days>&offset=&limit=   the one-stop office's work list
//   GET /metrics   GET /healthz   GET /readyz
// Read endpoints (dossiers, metrics) require `Authorization: Bearer <token>` when a token is
// configured; the probes never do.

#include "calendar/working_calendar.hpp"
#include "domain/dossier.hpp"
#include "engine/catalogue.hpp"
#include "engine/evaluation.hpp"
#include "http/server.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace tthc::ingest {
struct StoreHealth;
}
namespace tthc::live {
class Monitor;
}
namespace tthc::metrics {
class Metrics;
}

namespace tthc::api {

struct ReadApiOptions {
  std::filesystem::path db;
  const engine::Catalogue* catalogue = nullptr;
  const calendar::WorkingCalendar* calendar = nullptr;
  engine::Settings settings;
  std::function<Moment()> now;
  std::optional<std::string> token;  ///< bearer token for the read endpoints
  live::Monitor* monitor = nullptr;
  metrics::Metrics* metrics = nullptr;
  /// Whether the store takes writes (the intake's view); unset: always.
  std::function<ingest::StoreHealth()> store_health;
};

void add_read_api(http::Router& router, ReadApiOptions options);

/// The probes and /metrics: what the server answers even when every connection slot is busy
/// (http::ServerOptions::reserved_paths), so that a flood of connections is seen, not hidden.
inline const std::vector<std::string> kProbePaths = {"/healthz", "/readyz", "/metrics"};

/// Whether an explanation names the handlers of the steps (personal data): only for a reader
/// who proved the read token, or the operator at the command line.
enum class Personal { Include, Omit };

/// The explanation of one dossier judged at `e.now`, as JSON text (the API's body, and
/// `tthc-monitor explain --json`). With Personal::Omit, `handler` and `handler_title` are null.
std::string explain_json(const DossierTimeline& tl, const engine::Evaluation& e,
                         const engine::ProcedureRule* rule, const calendar::WorkingCalendar& cal,
                         const engine::Settings& settings, Personal personal);
/// The same for people: one line per figure, then the reasons.
std::string explain_text(const DossierTimeline& tl, const engine::Evaluation& e,
                         const engine::ProcedureRule* rule, const calendar::WorkingCalendar& cal,
                         const engine::Settings& settings);

}  // namespace tthc::api
