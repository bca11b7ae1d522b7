#pragma once
// Report data (the query side): every dossier that can count in the period, judged by the engine
// as of the report's moment and counted through engine::count_in_period — the same counting the
// live month figures use — into the three reports at once.

#include "base/result.hpp"
#include "calendar/working_calendar.hpp"
#include "domain/dossier.hpp"
#include "engine/catalogue.hpp"
#include "engine/evaluation.hpp"
#include "engine/units.hpp"
#include "reports/model.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tthc::store {
class Reader;
}

namespace tthc::reports {

/// The empty register: no file, every unit code its own unit.
const engine::UnitRegister& no_units();

/// The recorded inputs of a report of `period` judged as of `as_of`, grouped by `units` (an
/// empty register: every unit code its own unit, as before there was one).
Inputs make_inputs(const Period& period, Moment as_of, const calendar::WorkingCalendar& calendar,
                   const engine::Catalogue& catalogue, const engine::Settings& settings,
                   const engine::UnitRegister& units = no_units(),
                   const engine::UnitOptions& unit_options = {});

/// "sha256:<16 hex>" of the catalogue's codes and limits, in code order.
std::string catalogue_version(const engine::Catalogue& catalogue);

/// "sha256:<16 hex>" of the unit register's content: recorded in reports and by check-config.
std::string units_version(const engine::UnitRegister& units);

/// Accumulates the three reports from timelines given in any order (the result does not depend
/// on it). Each dossier counts under one unit: the register's counting unit as shown for the
/// period (so a period across 1 July 2025 counts a dossier once, under the successor). Not
/// thread-safe; the calendar, catalogue and register must outlive it.
class Collector {
 public:
  Collector(const calendar::WorkingCalendar& calendar, const engine::Catalogue& catalogue,
            Inputs inputs, const engine::UnitRegister& units = no_units());
  ~Collector();
  Collector(const Collector&) = delete;
  Collector& operator=(const Collector&) = delete;

  /// Judges the dossier as of the inputs' moment and counts it where it belongs.
  void add(const DossierTimeline& timeline);
  /// The evaluation the last add made (the phase review reads its steps and flags from it
  /// rather than judging the dossier twice).
  const engine::Evaluation& last_evaluation() const { return eval_; }
  /// The reports; the collector is spent.
  Reports finish();

 private:
  struct State;
  const calendar::WorkingCalendar& calendar_;
  const engine::Catalogue& catalogue_;
  const engine::UnitRegister& units_;
  Inputs inputs_;
  engine::Evaluation eval_;  // reused: judging allocates nothing once warm
  std::unique_ptr<State> state_;
};

/// Reads the store (Reader::scan_period: only the dossiers that can count) and builds the
/// reports.
Result<Reports> build_reports(store::Reader& reader, const calendar::WorkingCalendar& calendar,
                              const engine::Catalogue& catalogue, const Inputs& inputs,
                              const engine::UnitRegister& units = no_units());

}  // namespace tthc::reports
