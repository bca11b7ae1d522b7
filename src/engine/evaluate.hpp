#pragma once
// The deadline engine: a pure function of (dossier timeline, procedure rule, calendar,
// settings, now). It reads nothing else; `now` is the moment the dossier is judged at, and
// facts dated at or after `now` are not yet known (a report at E sees the dossier as it was).

#include "calendar/working_calendar.hpp"
#include "domain/dossier.hpp"
#include "engine/evaluation.hpp"
#include "engine/rules.hpp"

namespace tthc::engine {

/// The earliest moment t >= from with at most `threshold` of working time left until `due`:
/// when a dossier becomes due soon (on working time: 09:00 the working day before a 09:00 due
/// for a one-day threshold, not midnight).
Moment due_soon_from(const calendar::WorkingCalendar& cal, Moment from, Moment due,
                     Duration threshold);

/// The signed working time from `from` to `due`: negative, by the working time since, once
/// `from` is past the due. The one reading shared by the engine's `left` and the live list.
Duration working_time_left(const calendar::WorkingCalendar& cal, Moment from, Moment due);

/// §5: overdue after the due; early on an earlier calendar day; on time otherwise or undated.
Outcome judge_finished(Moment end, std::optional<Moment> due);

/// `rule` is null for a procedure missing from the catalogue. `timeline.progress` must be
/// sorted by progress_before. Reuses `out`'s storage: the hot path allocates nothing once warm.
void evaluate(const DossierTimeline& timeline, const ProcedureRule* rule,
              const calendar::WorkingCalendar& cal, const Settings& settings, Moment now,
              Evaluation& out);

inline Evaluation evaluate(const DossierTimeline& timeline, const ProcedureRule* rule,
                           const calendar::WorkingCalendar& cal, const Settings& settings,
                           Moment now) {
  Evaluation out;
  evaluate(timeline, rule, cal, settings, now, out);
  return out;
}

}  // namespace tthc::engine
