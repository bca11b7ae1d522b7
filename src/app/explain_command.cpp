// `tthc-monitor explain MaHoSo`: the answer to "why is this dossier counted overdue?" from the
// command line, the same as GET /api/v1/dossiers/{MaHoSo}.
#include "app/commands.hpp"

#include "api/explanation.hpp"
#include "app/cli_support.hpp"
#include "app/loading.hpp"
#include "engine/evaluate.hpp"
#include "store/store.hpp"

#include <ostream>

namespace tthc::app {

int run_explain(const SourceOptions& src, const ExplainCommand& cmd, std::ostream& out,
                std::ostream& err) {
  auto loaded = load_with_calendar(src, err);
  if (!loaded) return kExitFailure;
  config::Settings& settings = loaded->settings;
  if (cmd.db) settings.store.path = *cmd.db;
  Moment at = now_in_vietnam();
  if (cmd.at) {
    auto m = parse_user_moment(*cmd.at);
    if (!m) {
      err << "tthc-monitor: error: --at: " << m.error().message << "\n";
      return kExitUsage;
    }
    at = *m;
  }
  const auto warn = [&err](const std::string& warning) {
    err << "tthc-monitor: warning: " << warning << "\n";
  };
  const auto rules = load_catalogue_for(settings, err, warn);
  if (!rules) return kExitFailure;
  const auto units = load_units_for(settings, err, warn);
  if (!units) return kExitFailure;
  const api::UnitView unit_view{&*units, settings.units};
  const engine::Catalogue catalogue(*rules);
  if (!std::filesystem::exists(settings.store.path)) {
    err << "tthc-monitor: error: no store at " << settings.store.path.string() << "\n";
    return kExitFailure;
  }
  if (!upgrade_store(settings.store, err)) return kExitFailure;
  auto reader = store::Reader::open(settings.store.path);
  if (!reader) {
    err << "tthc-monitor: error: " << reader.error().message << "\n";
    return kExitFailure;
  }
  auto tl = reader->timeline(cmd.code);
  if (!tl) {
    err << "tthc-monitor: error: " << tl.error().message << "\n";
    return kExitFailure;
  }
  if (!*tl) {
    err << "tthc-monitor: error: no dossier with MaHoSo \"" << cmd.code << "\" in "
        << settings.store.path.string() << "\n";
    return kExitFailure;
  }
  const engine::ProcedureRule* rule = catalogue.find((*tl)->dossier.procedure_code);
  const engine::Evaluation e = engine::evaluate(**tl, rule, loaded->calendar, settings.engine, at);
  if (cmd.json) {
    out << api::explain_json(**tl, e, rule, loaded->calendar, settings.engine,
                             api::Personal::Include, unit_view)
        << "\n";
  } else {
    out << api::explain_text(**tl, e, rule, loaded->calendar, settings.engine, unit_view);
  }
  return kExitOk;
}

}  // namespace tthc::app
