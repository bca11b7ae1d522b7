#include "engine/evaluate.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace tthc::engine {

namespace {

using calendar::WorkingCalendar;

// The moments every phase after the end reads: the receipt, the moment of judgement, the
// horizon (the end if known, else `now`) and how many progress entries are known at `now`.
struct Span {
  Moment received;
  Moment now;
  Moment horizon;
  std::size_t known = 0;
};

struct EndTime {
  std::optional<Moment> at;
  EndSource source = EndSource::None;
};

std::optional<Moment> first_entry(const std::vector<ProgressEntry>& progress, Status s) {
  for (const ProgressEntry& e : progress) {
    if (e.status == s) return e.at;
  }
  return std::nullopt;
}

// domain.md §8.7, in its order of preference.
EndTime end_time(const DossierTimeline& tl, const Settings& settings) {
  const Dossier& d = tl.dossier;
  if (settings.judge_by == JudgeBy::Return && d.status == Status::Returned) {
    if (d.returned) return {d.returned, EndSource::ReturnDate};
    if (auto m = first_entry(tl.progress, Status::Returned)) return {m, EndSource::ReturnedEntry};
  }
  if ((d.status == Status::Finished || d.status == Status::Returned) && d.processing_end) {
    return {d.processing_end, EndSource::ProcessingEnd};
  }
  if (auto m = first_entry(tl.progress, Status::Finished)) return {m, EndSource::FinishedEntry};
  if (auto m = first_entry(tl.progress, Status::Returned)) return {m, EndSource::ReturnedEntry};
  if (auto m = first_entry(tl.progress, Status::Stopped)) return {m, EndSource::StoppedEntry};
  if (auto m = first_entry(tl.progress, Status::Withdrawn)) return {m, EndSource::WithdrawnEntry};
  if (d.processing_end) return {d.processing_end, EndSource::ProcessingEnd};
  if (d.returned) return {d.returned, EndSource::ReturnDate};
  return {};
}

// Clears `out` for a new evaluation, keeping the vectors' storage.
void reset(Evaluation& out, Moment now) {
  auto extensions = std::move(out.extensions);
  auto pauses = std::move(out.pauses);
  auto steps = std::move(out.steps);
  auto requests = std::move(out.supplement_requests);
  extensions.clear();
  pauses.clear();
  steps.clear();
  requests.clear();
  out = Evaluation{};
  out.now = now;
  out.extensions = std::move(extensions);
  out.pauses = std::move(pauses);
  out.steps = std::move(steps);
  out.supplement_requests = std::move(requests);
}

// Keeps the earliest candidate for Evaluation::next_change.
void consider(std::optional<Moment>& next, Moment candidate) {
  if (!next || candidate < *next) next = candidate;
}

// A fact dated at or after `now` becomes known one second after its date (as-of semantics).
void consider_fact(std::optional<Moment>& next, std::optional<Moment> fact, Moment now) {
  if (fact && *fact >= now) consider(next, *fact + std::chrono::seconds{1});
}

bool is_round_due(const Dossier& d, Moment v) {
  return std::any_of(d.rounds.begin(), d.rounds.end(),
                     [&](const SupplementRound& r) { return r.due_after && *r.due_after == v; });
}

// domain.md §8.2–8.3 and §4 (base due, extensions): the computed due from the operative
// limit, the base due as first promised, and every later change of the promise that is not a
// supplementation round's new due.
void judge_due_dates(const DossierTimeline& tl, const ProcedureRule* rule,
                     const WorkingCalendar& cal, Moment received, Evaluation& out) {
  const Dossier& d = tl.dossier;
  if (rule != nullptr) {
    out.limit = operative_limit(*rule, d.channel);
    out.computed_due = calendar::compute_due(cal, received, out.limit);
  } else {
    out.flags |= kFlagUnknownProcedure;
  }
  const std::optional<Moment> promised =
      tl.due_history.empty() ? d.promised_due : std::optional<Moment>(tl.due_history.front());
  if (promised) {
    out.base_due = promised;
    out.base_due_source = BaseDueSource::Promised;
    if (out.computed_due && *out.computed_due != *promised) out.flags |= kFlagDueMismatch;
    if (*promised <= received) out.flags |= kFlagDueBeforeReceipt;
  } else if (out.computed_due) {
    out.base_due = out.computed_due;
    out.base_due_source = BaseDueSource::Computed;
  } else {
    out.flags |= kFlagNoDueDate;
  }
  for (std::size_t i = 1; i < tl.due_history.size(); ++i) {
    const Moment v = tl.due_history[i];
    if (v == tl.due_history[i - 1] || v == tl.due_history.front() || is_round_due(d, v)) continue;
    out.extensions.push_back(v);
  }
  if (!out.extensions.empty()) out.flags |= kFlagExtended;
}

// domain.md §8.7: whether and when the dossier ended. Facts at or after `now` are not yet
// known. Gives false when the dossier cannot be counted (an end status without an end time).
bool judge_end(const DossierTimeline& tl, const Settings& settings, Moment received, Moment now,
               Evaluation& out) {
  const Dossier& d = tl.dossier;
  bool end_status = is_end_status(d.status);
  if (settings.judge_by == JudgeBy::Return && d.status == Status::Finished) end_status = false;
  if (!end_status) return true;
  EndTime e = end_time(tl, settings);
  if (!e.at) {
    out.flags |= kFlagEndMissing;
    out.exclusion = Exclusion::NoEndTime;
    return false;
  }
  if (*e.at < received) {
    e.at = received;
    out.flags |= kFlagEndBeforeReceipt;
  }
  if (*e.at < now) {
    out.ended = true;
    out.end = e.at;
    out.end_source = e.source;
  } else {
    consider_fact(out.next_change, e.at, now);
  }
  return true;
}

// domain.md §8.5: supplementation rounds and status 5/6 spans, clipped to [receipt, horizon),
// merged, and their working time summed.
void judge_pauses(const DossierTimeline& tl, const WorkingCalendar& cal, const Span& span,
                  Evaluation& out) {
  const Moment horizon = span.horizon;
  for (const SupplementRound& round : tl.dossier.rounds) {
    if (!round.requested) continue;
    const Moment begin = std::max(*round.requested, span.received);
    if (begin >= horizon) continue;
    const bool closed = round.received && *round.received < span.now;
    if (!closed && !out.ended) out.paused_now = true;
    out.pauses.push_back({begin, closed ? std::min(*round.received, horizon) : horizon});
  }
  for (std::size_t i = 0; i < span.known; ++i) {
    const ProgressEntry& e = tl.progress[i];
    if (!is_pause_status(e.status)) continue;
    const Moment begin = std::max(e.at, span.received);
    if (begin >= horizon) continue;
    const bool closed = i + 1 < span.known;
    if (!closed && !out.ended) out.paused_now = true;
    out.pauses.push_back({begin, closed ? std::min(tl.progress[i + 1].at, horizon) : horizon});
  }
  calendar::merge_intervals(out.pauses);
  for (const Interval& p : out.pauses) out.paused += cal.between(p.begin, p.end);
}

// domain.md §8.6, policy `restart`: the last supplement received (known, within the span)
// from which the full limit starts again.
std::optional<Moment> restart_moment(const Dossier& d, const Span& span) {
  std::optional<Moment> from;
  for (const SupplementRound& round : d.rounds) {
    if (round.received && *round.received < span.now && *round.received >= span.received &&
        *round.received <= span.horizon && (!from || *round.received > *from)) {
      from = round.received;
    }
  }
  return from;
}

// domain.md §8.6: the base due (or the restarted one) moved forward by each pause that begins
// before the current due, pauses in time order.
void judge_effective_due(const Dossier& d, const WorkingCalendar& cal, const Settings& settings,
                         const Span& span, Evaluation& out) {
  if (!out.base_due) return;
  Moment due = *out.base_due;
  if (settings.pause_policy == PausePolicy::Restart) {
    out.restart_from = restart_moment(d, span);
    if (out.restart_from) {
      if (out.limit.has_due()) {
        if (auto restarted = calendar::compute_due(cal, *out.restart_from, out.limit)) {
          due = *restarted;
        }
      } else {
        due = cal.add(cal.normalize(*out.restart_from), cal.between(span.received, *out.base_due));
      }
    }
  }
  for (const Interval& p : out.pauses) {
    Interval pause = p;
    if (out.restart_from) {
      if (pause.end <= *out.restart_from) continue;
      pause.begin = std::max(pause.begin, *out.restart_from);
    }
    if (pause.begin >= due) continue;
    due = cal.add(due, cal.between(pause.begin, pause.end));
  }
  out.effective_due = due;
}

// domain.md §5: time used and left; a finished dossier's outcome or a pending one's state.
void classify(const WorkingCalendar& cal, const Settings& settings, const Span& span,
              Evaluation& out) {
  out.used = cal.between(*out.clock_start, span.horizon, out.pauses);
  if (out.effective_due) out.left = working_time_left(cal, span.horizon, *out.effective_due);
  if (out.ended) {
    out.outcome = judge_finished(*out.end, out.effective_due);
  } else if (out.effective_due && span.now > *out.effective_due) {
    out.pending = PendingState::Overdue;
  } else if (out.paused_now) {
    out.pending = PendingState::Paused;
  } else if (out.left && *out.left <= settings.due_soon) {
    out.pending = PendingState::DueSoon;
  } else {
    out.pending = PendingState::InTime;
  }
}

// domain.md §5 (steps) and §8.12 (at risk): each known entry opens a step, closed by the next
// entry or the dossier's end; a step past its deadline is overdue by the working time since.
void judge_steps(const DossierTimeline& tl, const WorkingCalendar& cal, const Span& span,
                 Evaluation& out) {
  for (std::size_t i = 0; i < span.known; ++i) {
    const ProgressEntry& e = tl.progress[i];
    Step s;
    s.entry = static_cast<std::uint32_t>(i);
    s.start = e.step_start.value_or(e.at);
    if (i + 1 < span.known) {
      s.end = tl.progress[i + 1].at;
    } else if (out.ended) {
      s.end = std::max(*out.end, e.at);
    }
    s.deadline = e.step_deadline;
    if (s.deadline) {
      const Moment until = s.end.value_or(span.now);
      if (until > *s.deadline) {
        s.overdue = true;
        s.late = cal.between(*s.deadline, until);
      }
    }
    out.steps.push_back(s);
  }
  if (!out.ended && !out.steps.empty() && !out.steps.back().end) {
    out.current_step = static_cast<std::uint32_t>(out.steps.size() - 1);
    out.at_risk = out.steps.back().overdue;
  }
}

// Keeps the earliest start of a wait for a supplement.
void wait_since(std::optional<Moment>& waiting, Moment since) {
  if (!waiting || since < *waiting) waiting = since;
}

// domain.md §8.10 (requests: rounds and status-5 entries, deduplicated by time) and §6.3 (a
// dossier still waiting for a supplement, since its earliest open request).
void judge_supplement_requests(const DossierTimeline& tl, const Span& span, Evaluation& out) {
  for (const SupplementRound& round : tl.dossier.rounds) {
    if (!round.requested || *round.requested >= span.now) continue;
    out.supplement_requests.push_back(*round.requested);
    if (!out.ended && !(round.received && *round.received < span.now)) {
      wait_since(out.waiting_supplement_since, std::max(*round.requested, span.received));
    }
  }
  for (std::size_t i = 0; i < span.known; ++i) {
    const ProgressEntry& e = tl.progress[i];
    if (e.status != Status::AwaitingSupplement) continue;
    out.supplement_requests.push_back(e.at);
    if (!out.ended && i + 1 == span.known) {
      wait_since(out.waiting_supplement_since, std::max(e.at, span.received));
    }
  }
  std::sort(out.supplement_requests.begin(), out.supplement_requests.end());
  out.supplement_requests.erase(
      std::unique(out.supplement_requests.begin(), out.supplement_requests.end()),
      out.supplement_requests.end());
}

// The engine header's as-of semantics: the earliest moment judging again could change
// something with no new data (a fact becoming known, the due passing, due soon beginning, the
// current step's deadline passing).
void find_next_change(const DossierTimeline& tl, const WorkingCalendar& cal,
                      const Settings& settings, const Span& span, Evaluation& out) {
  const Moment now = span.now;
  if (span.known < tl.progress.size()) {
    consider_fact(out.next_change, tl.progress[span.known].at, now);
  }
  for (const SupplementRound& round : tl.dossier.rounds) {
    consider_fact(out.next_change, round.requested, now);
    consider_fact(out.next_change, round.received, now);
  }
  if (out.ended) return;
  if (out.effective_due && !out.paused_now && now <= *out.effective_due) {
    consider(out.next_change, *out.effective_due + std::chrono::seconds{1});
    if (out.pending == PendingState::InTime) {
      consider(out.next_change, due_soon_from(cal, now, *out.effective_due, settings.due_soon));
    }
  }
  if (out.current_step) {
    const Step& s = out.steps[*out.current_step];
    if (s.deadline && !s.overdue) consider(out.next_change, *s.deadline + std::chrono::seconds{1});
  }
}

// domain.md §4 (statuses 1 and 3 are not counted) and §8.7: the dossiers left out before any
// deadline is computed. Gives the receipt of a dossier that is judged.
std::optional<Moment> admit(const Dossier& d, Moment now, Evaluation& out) {
  if (d.status == Status::Unknown) {
    out.exclusion = Exclusion::StatusUnknown;
    out.flags |= kFlagStatusUnknown;
    return std::nullopt;
  }
  if (d.status == Status::Registered) {
    out.exclusion = Exclusion::NotReceived;
    return std::nullopt;
  }
  if (d.status == Status::Refused) {
    out.exclusion = Exclusion::Refused;
    return std::nullopt;
  }
  if (!d.received) {
    out.exclusion = Exclusion::NoReceipt;
    return std::nullopt;
  }
  out.received = d.received;
  if (*d.received >= now) {
    out.exclusion = Exclusion::NotReceived;
    consider_fact(out.next_change, d.received, now);
    return std::nullopt;
  }
  return d.received;
}

}  // namespace

Duration working_time_left(const WorkingCalendar& cal, Moment from, Moment due) {
  return from <= due ? cal.between(from, due) : -cal.between(due, from);
}

Moment due_soon_from(const WorkingCalendar& cal, Moment from, Moment due, Duration threshold) {
  Moment lo = from, hi = due;  // between(hi, due) == 0 <= threshold
  while (hi - lo > std::chrono::seconds{1}) {
    const Moment mid = lo + (hi - lo) / 2;
    if (cal.between(mid, due) <= threshold) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return cal.between(lo, due) <= threshold ? lo : hi;
}

Outcome judge_finished(Moment end, std::optional<Moment> due) {
  if (!due) return Outcome::OnTime;
  if (end > *due) return Outcome::Overdue;
  return day_of(end) < day_of(*due) ? Outcome::Early : Outcome::OnTime;
}

void evaluate(const DossierTimeline& tl, const ProcedureRule* rule, const WorkingCalendar& cal,
              const Settings& settings, Moment now, Evaluation& out) {
  assert(std::is_sorted(tl.progress.begin(), tl.progress.end(), progress_before));
  reset(out, now);
  const std::optional<Moment> received = admit(tl.dossier, now, out);
  if (!received) return;
  out.clock_start = cal.normalize(*received);
  judge_due_dates(tl, rule, cal, *received, out);
  if (!judge_end(tl, settings, *received, now, out)) return;
  out.counted = true;

  Span span{*received, now, out.ended ? *out.end : now, 0};
  span.known = static_cast<std::size_t>(
      std::partition_point(tl.progress.begin(), tl.progress.end(),
                           [&](const ProgressEntry& e) { return e.at < now; }) -
      tl.progress.begin());
  judge_pauses(tl, cal, span, out);
  judge_effective_due(tl.dossier, cal, settings, span, out);
  classify(cal, settings, span, out);
  judge_steps(tl, cal, span, out);
  judge_supplement_requests(tl, span, out);
  find_next_change(tl, cal, settings, span, out);
}

}  // namespace tthc::engine
