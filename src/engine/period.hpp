#pragma once
// How one dossier, judged at the end E of a period [S, E), counts in the period's figures: the
// results form (domain.md §6.1, §8.8) and the Decision-766 estimate (§6.3, §8.10). The live
// month figures and the monthly reports both count through here, so they agree.

#include "engine/evaluation.hpp"

namespace tthc::engine {

/// The part of an evaluation the period figures read (small: the live state keeps one for
/// every dossier).
struct Judgement {
  Moment received{};  ///< NgayTiepNhan as recorded (counted dossiers)
  Moment end{};       ///< when ended
  Moment end_766{};   ///< when ended_766: the end, or the supplement request it waits on
  bool counted = false;
  bool ended = false;
  bool ended_766 = false;
  Outcome outcome = Outcome::OnTime;            ///< when ended
  Outcome outcome_766 = Outcome::OnTime;        ///< when ended_766
  PendingState pending = PendingState::InTime;  ///< when not ended
  bool many_requests = false;  ///< more than one supplementation request: overdue for 766
};

Judgement judgement_of(const Evaluation& e);

struct PeriodCounts {
  // Form II.06a.
  bool received = false;      ///< col 4/5: NgayTiepNhan in [S, E)
  bool carried_over = false;  ///< col 6: received before S and not ended before S
  bool resolved = false;      ///< col 7: ended in [S, E); `outcome` says how (cols 8–10)
  Outcome outcome = Outcome::OnTime;
  bool pending = false;          ///< col 11: still in process at E
  bool pending_overdue = false;  ///< col 13 (else col 12)
  // Decision 766 (§8.10): a dossier waiting for a supplement at E has ended at its request;
  // more than one supplementation request makes it overdue.
  bool handled_766 = false;  ///< counts in the 766 denominator
  bool good_766 = false;     ///< resolved early or on time, or pending and in time, by 766 rules
  bool resolved_766 = false;
  Outcome outcome_766 = Outcome::OnTime;

  bool handled() const { return received || carried_over; }  ///< col 3
};

/// `j` must come from the dossier's evaluation at E; `period_start` is S.
PeriodCounts count_in_period(const Judgement& j, Moment period_start);
inline PeriodCounts count_in_period(const Evaluation& e, Moment period_start) {
  return count_in_period(judgement_of(e), period_start);
}

}  // namespace tthc::engine
