#pragma once
// The explanation of one dossier: every computed figure with its reason, "why is this dossier
// counted overdue?" — the body of GET /api/v1/dossiers/{MaHoSo} and the output of
// `tthc-monitor explain`. Pure: the timeline, its evaluation and the rules in, text out.

#include "api/unit_explanation.hpp"
#include "calendar/working_calendar.hpp"
#include "domain/dossier.hpp"
#include "engine/catalogue.hpp"
#include "engine/evaluation.hpp"

#include <string>
#include <vector>

namespace tthc::api {

/// Whether an explanation names the handlers of the steps (personal data): only for a reader
/// who proved the read token, or the operator at the command line.
enum class Personal { Include, Omit };

/// The explanation of one dossier judged at `e.now`, as JSON text (the API's body, and
/// `tthc-monitor explain --json`). With Personal::Omit, `handler` and `handler_title` are null.
std::string explain_json(const DossierTimeline& tl, const engine::Evaluation& e,
                         const engine::ProcedureRule* rule, const calendar::WorkingCalendar& cal,
                         const engine::Settings& settings, Personal personal,
                         const UnitView& units = {});
/// The same for people: one line per figure, then the reasons.
std::string explain_text(const DossierTimeline& tl, const engine::Evaluation& e,
                         const engine::ProcedureRule* rule, const calendar::WorkingCalendar& cal,
                         const engine::Settings& settings, const UnitView& units = {});

}  // namespace tthc::api
