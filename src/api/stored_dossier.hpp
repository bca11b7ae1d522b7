#pragma once
// Private to src/api: one stored dossier read and judged now, for the endpoints that show one
// dossier (its explanation, its timeline picture).

#include "calendar/working_calendar.hpp"
#include "domain/dossier.hpp"
#include "engine/catalogue.hpp"
#include "engine/evaluation.hpp"
#include "http/server.hpp"

#include <filesystem>
#include <string_view>
#include <variant>

namespace tthc::api {

struct JudgedDossier {
  DossierTimeline timeline;
  const engine::ProcedureRule* rule = nullptr;  ///< none: not in the catalogue
  engine::Evaluation evaluation;
};

/// The dossier `code` from the store at `db`, judged at `now`; or the answer saying why not:
/// 503 when the store cannot be read (the cause in log_detail), 404 when there is no such code.
std::variant<JudgedDossier, http::Response> judge_stored(
    const std::filesystem::path& db, std::string_view code, const engine::Catalogue& catalogue,
    const calendar::WorkingCalendar& calendar, const engine::Settings& settings, Moment now);

}  // namespace tthc::api
