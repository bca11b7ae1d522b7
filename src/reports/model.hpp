#pragma once
// The data of the monthly reports (domain.md §6), separate from their rendering: form II.06a
// (results), the processing-time reduction, and the Decision-766 estimate. Plain values.

#include "domain/claimed_stats.hpp"
#include "engine/rules.hpp"
#include "engine/units.hpp"
#include "reports/period.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::reports {

/// DvcqgStats is not a report but the DongBoThongKeHoSo payload of our own figures (JSON only).
enum class Kind : std::uint8_t { Results, Reduction, Index766, Claimed, DvcqgStats };
enum class Format : std::uint8_t { Json, Csv, Html, Xlsx };

/// The reports: in every format, in every snapshot.
inline constexpr Kind kKinds[] = {Kind::Results, Kind::Reduction, Kind::Index766, Kind::Claimed};
inline constexpr Format kFormats[] = {Format::Json, Format::Csv, Format::Html, Format::Xlsx};

/// "results", "reduction", "index766", "claimed", "dvcqg-stats".
std::string_view to_string(Kind k);
/// "json", "csv", "html", "xlsx": also the file extension.
std::string_view to_string(Format f);
std::optional<Kind> parse_kind(std::string_view text);
/// "results, reduction, index766, claimed or dvcqg-stats": for messages.
std::string_view kind_names();
/// Whether a kind is written in a format: the reports in every one, dvcqg-stats in JSON only.
bool available(Kind k, Format f);
std::optional<Format> parse_format(std::string_view text);
/// The HTTP Content-Type of a format.
std::string_view content_type(Format f);

/// Unknown unit codes listed in a report at most (they come from payloads).
inline constexpr std::size_t kMaxUnknownUnitsListed = 50;

/// How the report groups dossiers by unit: the register's version, the [units] settings, and
/// the dossiers counted under a unit code the register lacks (filled by the collector).
struct UnitInputs {
  std::string register_version;  ///< empty: no register (every unit code is its own unit)
  engine::UnitOptions options;
  std::int64_t unknown_dossiers = 0;       ///< counted under a code the register lacks
  std::vector<std::string> unknown_units;  ///< those codes, the first kMaxUnknownUnitsListed

  /// Whether the report records them: not without a register, so reports of stores without
  /// one keep their bytes.
  bool recorded() const { return !register_version.empty(); }
};

/// What produced a report, recorded in it: the same inputs and data give the same bytes.
struct Inputs {
  Period period;
  Moment as_of{};  ///< every dossier is judged as of this moment, in (S, E]
  std::string calendar_version;
  std::vector<int> provisional_years;  ///< years of the period judged with a provisional table
  std::string catalogue_version;       ///< fingerprint of the procedure catalogue's limits
  engine::Settings settings;
  Duration day_length{std::chrono::hours{8}};
  UnitInputs units;

  /// The period has ended: judged at E.
  bool closed() const { return as_of >= period.end; }
};

/// "8wh": the due-soon threshold in working hours.
std::string due_soon_label(const Inputs& in);

/// a.*m += b.*m for each member m: the sums of rows into subtotals and totals.
template <class T, class... M>
void add_members(T& a, const T& b, M T::*... members) {
  ((a.*members += b.*members), ...);
}

// --- Form II.06a (§6.1) ----------------------------------------------------------------------

struct ResultsCounts {
  std::int64_t received_online = 0;   ///< col 4
  std::int64_t received_direct = 0;   ///< col 5: in person or by post
  std::int64_t carried_over = 0;      ///< col 6
  std::int64_t resolved_early = 0;    ///< col 8
  std::int64_t resolved_on_time = 0;  ///< col 9
  std::int64_t resolved_overdue = 0;  ///< col 10
  std::int64_t pending_in_time = 0;   ///< col 12
  std::int64_t pending_overdue = 0;   ///< col 13

  std::int64_t received_total() const { return received_online + received_direct + carried_over; }
  std::int64_t resolved_total() const {
    return resolved_early + resolved_on_time + resolved_overdue;
  }
  std::int64_t pending_total() const { return pending_in_time + pending_overdue; }
  /// (col 8 + col 9) / col 7; none when col 7 is 0.
  std::optional<double> on_time_rate() const;
  void add(const ResultsCounts& o);
  friend bool operator==(const ResultsCounts&, const ResultsCounts&) = default;
};

struct ResultsRow {
  std::string unit;  ///< MaHoSo prefix
  std::string unit_name;
  std::optional<std::string> field;  ///< none: the unit's subtotal
  std::string field_name;
  ResultsCounts counts;
};

struct ResultsReport {
  Inputs inputs;
  /// By unit code; each unit's subtotal first, then its fields by code; only col 3 > 0 (§8.9).
  std::vector<ResultsRow> rows;
  ResultsCounts total;
};

// --- Processing-time reduction (§6.2, §8.11) -------------------------------------------------

/// Figures of a group of dossiers resolved in the period; times in working days.
struct ReductionFigures {
  std::int64_t count = 0;
  std::int64_t with_limit = 0;                     ///< dossiers whose procedure has a legal limit
  std::optional<double> legal_days, reduced_days;  ///< means over `with_limit`
  std::optional<double> committed_reduction;       ///< (legal − reduced) / legal
  std::optional<double> mean_days, median_days;    ///< actual net processing time, all `count`
  std::optional<double> actual_reduction;      ///< (legal − mean actual) / legal, `with_limit`
  std::optional<double> within_reduced_share;  ///< of `with_limit`: actual ≤ reduced limit
  std::optional<double> overdue_share;         ///< of `count`
};

struct ReductionRow {
  std::string unit, unit_name;
  std::optional<std::string> field;  ///< none: the unit's roll-up
  std::string field_name;
  std::optional<std::string> procedure;  ///< none: the field's (or unit's) roll-up
  std::string procedure_name;
  ReductionFigures figures;
};

struct ReductionReport {
  Inputs inputs;
  /// By unit: its roll-up, then by field: the field's roll-up, then its procedures; by code.
  std::vector<ReductionRow> rows;
  ReductionFigures total;
};

// --- Decision 766 estimate (§6.3, §8.10) ------------------------------------------------------

struct Index766Counts {
  std::int64_t resolved_early = 0, resolved_on_time = 0, resolved_overdue = 0;
  std::int64_t pending_in_time = 0, pending_overdue = 0;
  /// Handled dossiers with more than one supplementation request (overdue by that rule).
  std::int64_t many_requests = 0;

  std::int64_t resolved() const { return resolved_early + resolved_on_time + resolved_overdue; }
  std::int64_t pending() const { return pending_in_time + pending_overdue; }
  std::int64_t handled() const { return resolved() + pending(); }
  std::int64_t good() const { return resolved_early + resolved_on_time + pending_in_time; }
  /// good / handled; none when nothing was handled.
  std::optional<double> rate() const;
  /// 20 × rate: the progress component's points out of 20.
  std::optional<double> score() const;
  void add(const Index766Counts& o);
  friend bool operator==(const Index766Counts&, const Index766Counts&) = default;
};

struct Index766Row {
  std::string unit, unit_name;
  Index766Counts counts;
};

/// Indicator 2.2: mean net processing time of a procedure's 766-resolved dossiers.
struct ProcedureTime {
  std::string procedure, procedure_name;
  std::int64_t resolved = 0;
  std::optional<double> mean_days;
};

struct Index766Report {
  Inputs inputs;
  std::vector<Index766Row> rows;  ///< by unit code, units that handled any dossier
  Index766Counts total;
  std::vector<ProcedureTime> procedures;  ///< by procedure code
  ProcedureTime all_procedures;           ///< every 766-resolved dossier
};

// --- Claimed statistics beside our own (DongBoThongKeHoSo) -------------------------------------

/// A unit's month in form II.06a's terms, under the DongBoThongKeHoSo names (README maps them).
using ClaimedFigures = StatsFigures;
/// Our figures: every one given (the rate none when nothing was resolved).
ClaimedFigures figures_of(const ResultsCounts& c);
/// a − b for each figure both have.
ClaimedFigures difference(const ClaimedFigures& a, const ClaimedFigures& b);

/// A dossier we count overdue in the period: resolved after its due, or pending past it at E.
struct OverdueDossier {
  std::string code;
  bool resolved = false;  ///< col 10; else pending overdue (col 13)
  std::optional<Moment> due, end;
  friend auto operator<=>(const OverdueDossier& a, const OverdueDossier& b) {
    return a.code <=> b.code;
  }
  friend bool operator==(const OverdueDossier& a, const OverdueDossier& b) {
    return a.code == b.code;
  }
};

/// The explaining list of a unit: at most this many dossiers, the first by code.
inline constexpr std::size_t kMaxOverdueListed = 50;

struct ClaimedRow {
  std::string unit, unit_name;
  std::string kind;                          ///< LoaiThongKe of the claim
  std::optional<ClaimedFigures> claimed;     ///< none: the system sent nothing for the unit
  ClaimedFigures ours;                       ///< by our rules, from the unit's dossiers
  std::optional<ClaimedFigures> difference;  ///< claimed − ours
  std::string note, sender;                  ///< GhiChu; the envelope's madonvi
  std::int64_t arrived_unix = 0;             ///< when the claim arrived
  /// Our overdue dossiers when the claimed overdue figures differ from ours: the first
  /// kMaxOverdueListed by code, of `overdue_total`.
  std::vector<OverdueDossier> overdue;
  std::int64_t overdue_total = 0;
};

/// A unit's overdue dossiers: the first kMaxOverdueListed by code, of `total`.
struct OverdueList {
  std::vector<OverdueDossier> first;
  std::int64_t total = 0;
};

struct ClaimedReport {
  Inputs inputs;
  /// By unit code then kind: every unit with a claim for the month or a counted dossier.
  std::vector<ClaimedRow> rows;
  /// Every unit's overdue dossiers (not rendered): add_claims shows those a difference needs.
  std::map<std::string, OverdueList> overdue;
};

struct Reports {
  ResultsReport results;
  ReductionReport reduction;
  Index766Report index766;
  ClaimedReport claimed;
  std::size_t dossiers_read = 0;  ///< timelines judged (not part of any report's bytes)
};

}  // namespace tthc::reports
