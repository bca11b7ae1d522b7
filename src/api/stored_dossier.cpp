#include "api/stored_dossier.hpp"

#include "domain/text.hpp"
#include "engine/evaluate.hpp"
#include "store/store.hpp"

namespace tthc::api {

std::variant<JudgedDossier, http::Response> judge_stored(
    const std::filesystem::path& db, std::string_view code, const engine::Catalogue& catalogue,
    const calendar::WorkingCalendar& calendar, const engine::Settings& settings, Moment now) {
  auto reader = store::Reader::open(db);
  if (!reader)
    return http::internal_error(503, "the store cannot be read now", reader.error().message);
  auto tl = reader->timeline(code);
  if (!tl) return http::internal_error(503, "the store cannot be read now", tl.error().message);
  if (!*tl) return http::error_response(404, "no dossier with MaHoSo " + quote_for_error(code));
  JudgedDossier j{std::move(**tl), nullptr, {}};
  j.rule = catalogue.find(j.timeline.dossier.procedure_code);
  j.evaluation = engine::evaluate(j.timeline, j.rule, calendar, settings, now);
  return j;
}

}  // namespace tthc::api
