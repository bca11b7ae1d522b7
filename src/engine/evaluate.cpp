#include "engine/evaluate.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace tthc::engine {

namespace {

using calendar::WorkingCalendar;

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

Duration margin(const WorkingCalendar& cal, Moment from, Moment due) {
  return from <= due ? cal.between(from, due) : -cal.between(due, from);
}

bool is_round_due(const Dossier& d, Moment v) {
  return std::any_of(d.rounds.begin(), d.rounds.end(),
                     [&](const SupplementRound& r) { return r.due_after && *r.due_after == v; });
}

}  // namespace

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
  const Dossier& d = tl.dossier;

  if (d.status == Status::Unknown) {
    out.exclusion = Exclusion::StatusUnknown;
    out.flags |= kFlagStatusUnknown;
    return;
  }
  if (d.status == Status::Registered) {
    out.exclusion = Exclusion::NotReceived;
    return;
  }
  if (d.status == Status::Refused) {
    out.exclusion = Exclusion::Refused;
    return;
  }
  if (!d.received) {
    out.exclusion = Exclusion::NoReceipt;
    return;
  }
  const Moment received = *d.received;
  out.received = received;
  if (received >= now) {
    out.exclusion = Exclusion::NotReceived;
    consider_fact(out.next_change, received, now);
    return;
  }
  out.clock_start = cal.normalize(received);

  // Due dates (§4, §8.2–8.4).
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

  // End (§8.7). Facts at or after `now` are not yet known.
  bool end_status = is_end_status(d.status);
  if (settings.judge_by == JudgeBy::Return && d.status == Status::Finished) end_status = false;
  if (end_status) {
    EndTime e = end_time(tl, settings);
    if (!e.at) {
      out.flags |= kFlagEndMissing;
      out.exclusion = Exclusion::NoEndTime;
      return;
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
  }
  out.counted = true;
  const Moment horizon = out.ended ? *out.end : now;
  const auto known = static_cast<std::size_t>(
      std::partition_point(tl.progress.begin(), tl.progress.end(),
                           [&](const ProgressEntry& e) { return e.at < now; }) -
      tl.progress.begin());

  // Pauses (§8.5): supplementation rounds and status 5/6 spans, clipped to [receipt, horizon).
  for (const SupplementRound& round : d.rounds) {
    if (!round.requested) continue;
    const Moment begin = std::max(*round.requested, received);
    if (begin >= horizon) continue;
    const bool closed = round.received && *round.received < now;
    if (!closed && !out.ended) out.paused_now = true;
    out.pauses.push_back({begin, closed ? std::min(*round.received, horizon) : horizon});
  }
  for (std::size_t i = 0; i < known; ++i) {
    const ProgressEntry& e = tl.progress[i];
    if (!is_pause_status(e.status)) continue;
    const Moment begin = std::max(e.at, received);
    if (begin >= horizon) continue;
    const bool closed = i + 1 < known;
    if (!closed && !out.ended) out.paused_now = true;
    out.pauses.push_back({begin, closed ? std::min(tl.progress[i + 1].at, horizon) : horizon});
  }
  calendar::merge_intervals(out.pauses);
  for (const Interval& p : out.pauses) out.paused += cal.between(p.begin, p.end);

  // Effective due (§8.6).
  if (out.base_due) {
    Moment due = *out.base_due;
    if (settings.pause_policy == PausePolicy::Restart) {
      for (const SupplementRound& round : d.rounds) {
        if (round.received && *round.received < now && *round.received >= received &&
            *round.received <= horizon &&
            (!out.restart_from || *round.received > *out.restart_from)) {
          out.restart_from = round.received;
        }
      }
      if (out.restart_from) {
        if (out.limit.has_due()) {
          if (auto restarted = calendar::compute_due(cal, *out.restart_from, out.limit)) {
            due = *restarted;
          }
        } else {
          due = cal.add(cal.normalize(*out.restart_from), cal.between(received, *out.base_due));
        }
      }
    }
    for (const Interval& p : out.pauses) {
      Interval span = p;
      if (out.restart_from) {
        if (span.end <= *out.restart_from) continue;
        span.begin = std::max(span.begin, *out.restart_from);
      }
      if (span.begin >= due) continue;
      due = cal.add(due, cal.between(span.begin, span.end));
    }
    out.effective_due = due;
  }

  // Time used and left, classification (§5).
  out.used = cal.between(*out.clock_start, horizon, out.pauses);
  if (out.effective_due) out.left = margin(cal, horizon, *out.effective_due);
  if (out.ended) {
    out.outcome = judge_finished(*out.end, out.effective_due);
  } else if (out.effective_due && now > *out.effective_due) {
    out.pending = PendingState::Overdue;
  } else if (out.paused_now) {
    out.pending = PendingState::Paused;
  } else if (out.left && *out.left <= settings.due_soon) {
    out.pending = PendingState::DueSoon;
  } else {
    out.pending = PendingState::InTime;
  }

  // Steps (§5): each entry opens a step, closed by the next entry or the dossier's end.
  for (std::size_t i = 0; i < known; ++i) {
    const ProgressEntry& e = tl.progress[i];
    Step s;
    s.entry = static_cast<std::uint32_t>(i);
    s.start = e.step_start.value_or(e.at);
    if (i + 1 < known) {
      s.end = tl.progress[i + 1].at;
    } else if (out.ended) {
      s.end = std::max(*out.end, e.at);
    }
    s.deadline = e.step_deadline;
    if (s.deadline) {
      const Moment until = s.end.value_or(now);
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

  // Supplementation requests (§8.10) and the wait for a supplement (§6.3).
  for (const SupplementRound& round : d.rounds) {
    if (!round.requested || *round.requested >= now) continue;
    out.supplement_requests.push_back(*round.requested);
    if (!out.ended && !(round.received && *round.received < now)) {
      const Moment since = std::max(*round.requested, received);
      if (!out.waiting_supplement_since || since < *out.waiting_supplement_since) {
        out.waiting_supplement_since = since;
      }
    }
  }
  for (std::size_t i = 0; i < known; ++i) {
    const ProgressEntry& e = tl.progress[i];
    if (e.status != Status::AwaitingSupplement) continue;
    out.supplement_requests.push_back(e.at);
    if (!out.ended && i + 1 == known) {
      const Moment since = std::max(e.at, received);
      if (!out.waiting_supplement_since || since < *out.waiting_supplement_since) {
        out.waiting_supplement_since = since;
      }
    }
  }
  std::sort(out.supplement_requests.begin(), out.supplement_requests.end());
  out.supplement_requests.erase(
      std::unique(out.supplement_requests.begin(), out.supplement_requests.end()),
      out.supplement_requests.end());

  // When judging again could change something with no new data (§ as-of semantics).
  if (known < tl.progress.size()) consider_fact(out.next_change, tl.progress[known].at, now);
  for (const SupplementRound& round : d.rounds) {
    consider_fact(out.next_change, round.requested, now);
    consider_fact(out.next_change, round.received, now);
  }
  if (!out.ended) {
    if (out.effective_due && !out.paused_now && now <= *out.effective_due) {
      consider(out.next_change, *out.effective_due + std::chrono::seconds{1});
      if (out.pending == PendingState::InTime) {
        consider(out.next_change, due_soon_from(cal, now, *out.effective_due, settings.due_soon));
      }
    }
    if (out.current_step) {
      const Step& s = out.steps[*out.current_step];
      if (s.deadline && !s.overdue)
        consider(out.next_change, *s.deadline + std::chrono::seconds{1});
    }
  }
}

}  // namespace tthc::engine
