#pragma once
// The phase review behind commendations ("sơ kết giai đoạn", "khen thưởng hàng năm"): for a
// span of years, per unit and per department holding steps, each year's on-time rate, overdue
// dossiers per 1,000 resolved and actual reduction side by side, the change over the span and
// against the span before, a ranking on a stated composite, and the caveats that limit the
// figures. Each year is judged as of its end by the monthly reports' own counting (Collector),
// so a one-year review equals that year's results report.

#include "base/result.hpp"
#include "calendar/working_calendar.hpp"
#include "engine/catalogue.hpp"
#include "reports/collect.hpp"
#include "reports/model.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::store {
class Reader;
}

namespace tthc::reports {

struct ReportSource;

/// Years [first, last], each a reporting year by `period_start_day` (with 15: 15/12 to 14/12).
struct YearSpan {
  int first = 0, last = 0;
  int years() const { return last - first + 1; }
  /// "2022..2025", or "2025" for one year.
  std::string label() const;
  friend bool operator==(const YearSpan&, const YearSpan&) = default;
};

inline constexpr int kMaxReviewYears = 10;

/// "2025" or "2022..2025" (at most kMaxReviewYears, first ≤ last); the error names the value.
Result<YearSpan> parse_year_span(std::string_view text);

/// A group's counts over one year (or summed over several), and what they give.
struct ReviewCounts {
  std::int64_t resolved = 0;    ///< col 7 (a department: steps closed in the year)
  std::int64_t on_time = 0;     ///< col 8 + col 9 (steps closed by their deadline)
  std::int64_t overdue = 0;     ///< col 10 + col 13 at the year's end (late steps)
  std::int64_t with_limit = 0;  ///< resolved dossiers whose procedure has a legal limit
  double legal_days = 0, reduced_days = 0, actual_days = 0;  ///< sums over `with_limit`

  std::optional<double> on_time_rate() const;         ///< on_time / resolved
  std::optional<double> overdue_per_1000() const;     ///< 1000 × overdue / resolved
  std::optional<double> actual_reduction() const;     ///< (legal − actual) / legal
  std::optional<double> committed_reduction() const;  ///< (legal − reduced) / legal
  /// actual − committed: above 0 the unit did better than it promised.
  std::optional<double> beyond_commitment() const;
  bool empty() const { return resolved == 0 && overdue == 0; }
  void add(const ReviewCounts& o);
  friend bool operator==(const ReviewCounts&, const ReviewCounts&) = default;
};

/// The composite the ranking orders by (README "Phase review"): each part 0..100, weighted;
/// a part with no figure is left out and the weights of the others scaled up.
inline constexpr double kWeightOnTime = 0.5;
inline constexpr double kWeightOverdue = 0.3;
inline constexpr double kWeightReduction = 0.2;
/// Units with fewer resolved dossiers over the span are shown but not ranked.
inline constexpr std::int64_t kMinResolvedToRank = 100;

struct Composite {
  std::optional<double> on_time;    ///< 100 × on-time rate
  std::optional<double> overdue;    ///< max(0, 100 − overdue per 1,000 / 10)
  std::optional<double> reduction;  ///< 100 × min(1, actual / committed), or 100/0 when none
  std::optional<double> score;      ///< the weighted mean of the parts present
};
Composite composite_of(const ReviewCounts& span);

struct ReviewRow {
  std::string unit, unit_name;
  std::optional<std::string> department;  ///< none: the unit itself
  std::vector<ReviewCounts> years;        ///< the span's years in order
  ReviewCounts span;                      ///< the years added up
  std::optional<ReviewCounts> before;     ///< the span before; none: the store has no data
  Composite composite;                    ///< of `span` (units only)
  std::optional<int> rank;                ///< 1 = best; none: departments, or too few resolved
  /// Units: the year with the lowest on-time rate (ties: the earlier) and its overdue dossiers.
  std::optional<int> worst_year;
  OverdueList worst_overdue;
};

/// Months of the span whose snapshot was written before some of their dossiers arrived.
struct LateSyncMonth {
  std::string month;              ///< "2025-03"
  Moment snapshot_written{};      ///< when the snapshot's results.json was written
  std::int64_t arrived_late = 0;  ///< received in the month, first stored after the snapshot
};

struct ReviewCaveats {
  std::vector<int> provisional_years;     ///< judged with a provisional holiday table
  std::vector<LateSyncMonth> late_syncs;  ///< months with late syncs (empty: none, or no dir)
  bool snapshots_read = false;            ///< a snapshot folder was given and read
  std::vector<std::int64_t> unknown_procedures;  ///< per span year: counted dossiers, MaTTHC
                                                 ///< not in the catalogue
  /// With a unit register: the unit codes it lacks that dossiers of the span counted under
  /// (the first kMaxUnknownUnitsListed), and how many dossiers counted under them, per year.
  /// Without one: the units none of whose dossiers carries a name (DonViXuLy).
  bool unit_register = false;
  std::vector<std::string> unknown_units;
  std::vector<std::int64_t> unknown_unit_dossiers;
};

struct ReviewReport {
  YearSpan span;
  int start_day = 1;
  std::vector<Inputs> years;  ///< each span year's recorded inputs (judged as of its end)
  bool before_has_data = false;
  /// Units by code, each followed by its departments by name.
  std::vector<ReviewRow> rows;
  std::vector<ReviewCounts> total_years;
  ReviewCounts total_span;
  std::optional<ReviewCounts> total_before;
  ReviewCaveats caveats;
  std::size_t dossiers_read = 0;  ///< timelines read (not part of the bytes)
  std::size_t judgements = 0;     ///< evaluations made (not part of the bytes)
};

/// What a review is built from besides the store.
struct ReviewRequest {
  YearSpan span;
  int start_day = 1;
  Moment now{};  ///< a year not over is judged as of now (and said so); one not begun is refused
};

/// The request's error before any store is read: a start day outside 1..28, or a year not begun
/// at `now` (the error names it); none when it can be built.
std::optional<Error> check_request(const ReviewRequest& request);

/// One scan of the store over the span and the span before: each dossier judged once per year
/// end it can count in, under the unit the register shows it in that year (as the monthly
/// reports).
Result<ReviewReport> build_review(store::Reader& reader, const calendar::WorkingCalendar& calendar,
                                  const engine::Catalogue& catalogue,
                                  const engine::Settings& settings, const ReviewRequest& request,
                                  const engine::UnitRegister& units = no_units(),
                                  const engine::UnitOptions& unit_options = {});
/// The same from a report source; `snapshots_dir` (the `[reports] dir`, may be empty) is read
/// for the late-sync caveat.
Result<ReviewReport> build_review(const ReportSource& source, const ReviewRequest& request,
                                  const std::string& snapshots_dir);

/// The caveats as the report states them, in Vietnamese, one a line.
std::vector<std::string> caveat_lines(const ReviewReport& r);
struct Document;
/// The review as one table document (ranking, measures by year, worst years' dossiers,
/// caveats, trend charts).
Document review_document(const ReviewReport& r);

/// The rendered review: JSON, CSV, printable HTML (with each unit's trend as SVG), XLSX (with
/// line charts).
Result<std::string> render_review(const ReviewReport& r, Format format);
std::string review_json(const ReviewReport& r);

}  // namespace tthc::reports
