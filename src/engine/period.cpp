#include "engine/period.hpp"

#include "engine/evaluate.hpp"

namespace tthc::engine {

Judgement judgement_of(const Evaluation& e) {
  Judgement j;
  if (!e.counted || !e.received) return j;
  j.counted = true;
  j.received = *e.received;
  j.many_requests = e.supplement_requests.size() > 1;
  if (e.ended) {
    j.ended = true;
    j.end = *e.end;
    j.outcome = e.outcome.value_or(Outcome::OnTime);
    j.ended_766 = true;
    j.end_766 = j.end;
    j.outcome_766 = j.outcome;
  } else {
    j.pending = e.pending.value_or(PendingState::InTime);
    if (e.waiting_supplement_since) {
      j.ended_766 = true;
      j.end_766 = *e.waiting_supplement_since;
      j.outcome_766 = judge_finished(j.end_766, e.effective_due);
    }
  }
  if (j.many_requests) j.outcome_766 = Outcome::Overdue;
  return j;
}

PeriodCounts count_in_period(const Judgement& j, Moment period_start) {
  PeriodCounts c;
  if (!j.counted) return c;
  const bool ended_before = j.ended && j.end < period_start;
  c.received = j.received >= period_start;
  c.carried_over = j.received < period_start && !ended_before;
  if (j.ended && !ended_before) {
    c.resolved = true;
    c.outcome = j.outcome;
  } else if (!j.ended) {
    c.pending = true;
    c.pending_overdue = j.pending == PendingState::Overdue;
  }
  if (j.ended_766) {
    if (j.end_766 < period_start) return c;
    c.handled_766 = true;
    c.resolved_766 = true;
    c.outcome_766 = j.outcome_766;
    c.good_766 = j.outcome_766 != Outcome::Overdue;
  } else {
    c.handled_766 = true;
    c.good_766 = !j.many_requests && j.pending != PendingState::Overdue;
  }
  return c;
}

}  // namespace tthc::engine
