#pragma once
// Everything the engine computes for one dossier at one moment, with the reasons: the answer
// to "why is this dossier counted overdue?".

#include "calendar/limit.hpp"
#include "domain/time.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace tthc::engine {

/// Why a dossier does not count in any figure.
enum class Exclusion : std::uint8_t {
  None,
  NotReceived,    ///< status 1, or received after the evaluation moment
  Refused,        ///< status 3
  NoReceipt,      ///< NgayTiepNhan missing
  NoEndTime,      ///< ended status but no end time anywhere in the data
  StatusUnknown,  ///< TrangThaiHoSo was not a status code ("", "0", a word)
};

enum class BaseDueSource : std::uint8_t {
  None,      ///< no NgayHenTra and no computed due: the dossier has no due date
  Promised,  ///< the first NgayHenTra received (what the applicant was promised)
  Computed,  ///< no NgayHenTra: computed from the catalogue limit
};

enum class EndSource : std::uint8_t {
  None,
  ProcessingEnd,   ///< NgayKetThucXuLy
  FinishedEntry,   ///< first progress entry with status 9
  ReturnedEntry,   ///< first progress entry with status 10
  StoppedEntry,    ///< first progress entry with status 8
  WithdrawnEntry,  ///< first progress entry with status 7
  ReturnDate,      ///< NgayTra
};

enum class Outcome : std::uint8_t { Early, OnTime, Overdue };
enum class PendingState : std::uint8_t { InTime, DueSoon, Paused, Overdue };

/// Data-quality and judging notes, as bits.
enum Flag : std::uint32_t {
  kFlagDueMismatch = 1U << 0,       ///< NgayHenTra differs from the computed due
  kFlagUnknownProcedure = 1U << 1,  ///< MaTTHC not in the catalogue
  kFlagNoDueDate = 1U << 2,         ///< neither NgayHenTra nor a limit
  kFlagEndMissing = 1U << 3,        ///< ended but no end time: not counted
  kFlagEndBeforeReceipt = 1U << 4,  ///< end clamped to the receipt
  kFlagDueBeforeReceipt = 1U << 5,  ///< base due at or before the receipt (kept as it is)
  kFlagExtended = 1U << 6,          ///< NgayHenTra changed outside a supplementation round
  kFlagStatusUnknown = 1U << 7,     ///< TrangThaiHoSo not a status code: not counted
};

/// One step of the internal workflow (a progress entry and the time until the next one).
struct Step {
  std::uint32_t entry = 0;         ///< index into DossierTimeline::progress
  Moment start{};                  ///< NgayBatDau, else ThoiDiemXuLy
  std::optional<Moment> end;       ///< next entry's ThoiDiemXuLy or the dossier's end; none: open
  std::optional<Moment> deadline;  ///< NgayKetThucTheoQuyDinh
  bool overdue = false;            ///< closed, or still open at the evaluation moment, after it
  Duration late{};                 ///< working time past the deadline
};

struct Evaluation {
  Moment now{};
  bool counted = false;
  Exclusion exclusion = Exclusion::None;
  std::uint32_t flags = 0;
  bool has(Flag f) const { return (flags & f) != 0; }

  std::optional<Moment> received;     ///< NgayTiepNhan as recorded
  std::optional<Moment> clock_start;  ///< the receipt normalised to a working moment

  calendar::Limit limit;  ///< the operative limit (§8.3); none if unknown procedure
  std::optional<Moment> computed_due;
  std::optional<Moment> base_due;
  BaseDueSource base_due_source = BaseDueSource::None;
  std::vector<Moment> extensions;  ///< each NgayHenTra change outside a supplementation round

  std::vector<Interval> pauses;        ///< merged, clipped to [receipt, end or now)
  Duration paused{};                   ///< working time inside the pauses
  bool paused_now = false;             ///< a pause is open at the evaluation moment
  std::optional<Moment> restart_from;  ///< policy restart: the last supplement received
  std::optional<Moment> effective_due;

  bool ended = false;
  std::optional<Moment> end;
  EndSource end_source = EndSource::None;
  std::optional<Outcome> outcome;       ///< ended and counted
  std::optional<PendingState> pending;  ///< not ended and counted

  Duration used{};  ///< net working time from the clock start to the end (or now)
  /// Working time from the end (or now) to the effective due; negative when late.
  std::optional<Duration> left;

  std::vector<Step> steps;
  std::optional<std::uint32_t> current_step;  ///< index into steps of the open step
  bool at_risk = false;                       ///< pending and its current step is overdue (§8.12)

  /// Supplementation requests known at the evaluation moment: rounds' NgayBoSung and status-5
  /// entries, deduplicated by time, sorted (§8.10).
  std::vector<Moment> supplement_requests;
  /// Pending and waiting for the applicant's supplement: since the earliest request still open.
  std::optional<Moment> waiting_supplement_since;
  /// The earliest later moment at which judging the same data again could give another result
  /// (due soon, overdue, a step overdue, a dated fact becoming known); none: only new data can.
  /// The daemon re-evaluates a dossier then, and at no other time.
  std::optional<Moment> next_change;
};

std::string_view to_string(Exclusion e);
std::string_view to_string(BaseDueSource s);
std::string_view to_string(EndSource s);
std::string_view to_string(Outcome o);
std::string_view to_string(PendingState s);
/// Vietnamese labels as the reports and dashboards show them.
std::string_view label_vi(Outcome o);
std::string_view label_vi(PendingState s);

}  // namespace tthc::engine
