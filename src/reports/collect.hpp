#pragma once
// Report data (the query side): every dossier that can count in the period, judged by the engine
// as of the report's moment and counted through engine::count_in_period — the same counting the
// live month figures use — into the three reports at once.

#include "base/result.hpp"
#include "calendar/working_calendar.hpp"
#include "domain/dossier.hpp"
#include "engine/catalogue.hpp"
#include "engine/evaluation.hpp"
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

/// The recorded inputs of a report of `period` judged as of `as_of`.
Inputs make_inputs(const Period& period, Moment as_of, const calendar::WorkingCalendar& calendar,
                   const engine::Catalogue& catalogue, const engine::Settings& settings);

/// "sha256:<16 hex>" of the catalogue's codes and limits, in code order.
std::string catalogue_version(const engine::Catalogue& catalogue);

/// Accumulates the three reports from timelines given in any order (the result does not depend
/// on it). Not thread-safe; the calendar and catalogue must outlive it.
class Collector {
 public:
  Collector(const calendar::WorkingCalendar& calendar, const engine::Catalogue& catalogue,
            Inputs inputs);
  ~Collector();
  Collector(const Collector&) = delete;
  Collector& operator=(const Collector&) = delete;

  /// Judges the dossier as of the inputs' moment and counts it where it belongs.
  void add(const DossierTimeline& timeline);
  /// The reports; the collector is spent.
  Reports finish();

 private:
  struct State;
  const calendar::WorkingCalendar& calendar_;
  const engine::Catalogue& catalogue_;
  Inputs inputs_;
  engine::Evaluation eval_;  // reused: judging allocates nothing once warm
  std::unique_ptr<State> state_;
};

/// Reads the store (Reader::scan_period: only the dossiers that can count) and builds the
/// reports.
Result<Reports> build_reports(store::Reader& reader, const calendar::WorkingCalendar& calendar,
                              const engine::Catalogue& catalogue, const Inputs& inputs);

}  // namespace tthc::reports
