#pragma once
// Where the command, the HTTP endpoint and the scheduler get their reports from: the store,
// the working calendar, the catalogue and the settings, put together once.

#include "base/result.hpp"
#include "calendar/working_calendar.hpp"
#include "engine/catalogue.hpp"
#include "engine/units.hpp"
#include "reports/model.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::reports {

/// Immutable once built; the calendar, catalogue and unit register must outlive it. Safe to use
/// from several threads: every build opens its own store connection.
struct ReportSource {
  std::filesystem::path db;
  const calendar::WorkingCalendar* calendar = nullptr;
  const engine::Catalogue* catalogue = nullptr;
  engine::Settings settings;
  int period_start_day = 1;  ///< [reports] period_start_day
  /// The unit register (null: none, every unit code its own unit) and [units] settings.
  const engine::UnitRegister* units = nullptr;
  engine::UnitOptions unit_options;

  const engine::UnitRegister& unit_register() const;
};

/// The moment a report of `period` is judged as of: `as_of` when given (it must be after S and
/// at most E), else E — or `now` while E is still to come (the report then says the period is
/// not closed). The error names the problem.
Result<Moment> report_moment(const Period& period, std::optional<Moment> as_of, Moment now);

/// Reads the store and builds the three reports of `period` judged as of `as_of`.
Result<Reports> build_reports(const ReportSource& source, const Period& period, Moment as_of);

/// The claimed report the gap metric shows: of the period containing `now` when claims for its
/// month are stored (judged as of `now`), else of the period before (judged at its end).
Result<ClaimedReport> claimed_for_metric(const ReportSource& source, Moment now);

/// What a fresh build changes against a snapshot of one kind (its JSON text): the lines of
/// diff_reports, empty when identical. `report --diff` and the board's reports page.
Result<std::vector<std::string>> changes_since(const Reports& fresh, Kind kind,
                                               std::string_view snapshot_json);

}  // namespace tthc::reports
