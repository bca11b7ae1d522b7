#include "reports/source.hpp"

#include "reports/diff.hpp"
#include "reports/render.hpp"

#include "reports/collect.hpp"
#include "store/store.hpp"

namespace tthc::reports {

const engine::UnitRegister& ReportSource::unit_register() const {
  return units != nullptr ? *units : no_units();
}

Result<Moment> report_moment(const Period& period, std::optional<Moment> as_of, Moment now) {
  if (as_of) {
    if (*as_of <= period.start || *as_of > period.end) {
      return Error{"--as-of " + format_iso(*as_of) + " is not in the period (" +
                   format_iso(period.start) + ", " + format_iso(period.end) + "]"};
    }
    return *as_of;
  }
  if (now >= period.end) return period.end;
  if (now <= period.start) {
    return Error{"the period " + period.label() + " starts " + format_iso(period.start) +
                 ": nothing to report yet"};
  }
  return now;
}

Result<Reports> build_reports(const ReportSource& source, const Period& period, Moment as_of) {
  std::error_code ec;
  if (!std::filesystem::exists(source.db, ec)) {
    return Error{"no store at " + source.db.string()};
  }
  TTHC_TRY(auto reader, store::Reader::open(source.db));
  const Inputs inputs = make_inputs(period, as_of, *source.calendar, *source.catalogue,
                                    source.settings, source.unit_register(), source.unit_options);
  return build_reports(reader, *source.calendar, *source.catalogue, inputs, source.unit_register());
}

Result<ClaimedReport> claimed_for_metric(const ReportSource& source, Moment now) {
  Period period = period_containing(now, source.period_start_day);
  {
    std::error_code ec;
    if (!std::filesystem::exists(source.db, ec)) return Error{"no store at " + source.db.string()};
    TTHC_TRY(auto reader, store::Reader::open(source.db));
    TTHC_TRY(const auto claims, reader.claimed_stats(period.year, period.month));
    if (claims.empty()) period = previous(period);
  }
  TTHC_TRY(const Moment moment, report_moment(period, std::nullopt, now));
  TTHC_TRY(Reports built, build_reports(source, period, moment));
  return std::move(built.claimed);
}

Result<std::vector<std::string>> changes_since(const Reports& fresh, Kind kind,
                                               std::string_view snapshot_json) {
  TTHC_TRY(const std::string rendered, render(fresh, kind, Format::Json));
  return diff_reports(snapshot_json, rendered);
}

}  // namespace tthc::reports
