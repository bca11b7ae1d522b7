#include "alerts/alert.hpp"

#include "engine/evaluate.hpp"

namespace tthc::alerts {

std::string_view to_string(AlertKind k) {
  switch (k) {
    case AlertKind::DueSoon: return "due_soon";
    case AlertKind::Overdue: return "overdue";
    case AlertKind::StepOverdue: return "step_overdue";
    case AlertKind::AtRisk: return "at_risk";
    case AlertKind::ExtensionIssued: return "extension_issued";
  }
  return "overdue";
}

std::optional<AlertKind> alert_kind_from(std::string_view text) {
  for (AlertKind k : {AlertKind::DueSoon, AlertKind::Overdue, AlertKind::StepOverdue,
                      AlertKind::AtRisk, AlertKind::ExtensionIssued}) {
    if (to_string(k) == text) return k;
  }
  return std::nullopt;
}

std::string_view severity(AlertKind k) {
  switch (k) {
    case AlertKind::Overdue: return "critical";
    case AlertKind::ExtensionIssued: return "info";
    case AlertKind::DueSoon:
    case AlertKind::StepOverdue:
    case AlertKind::AtRisk: break;
  }
  return "warning";
}

std::string Alert::key() const {
  std::string k = dossier + "|" + std::string(to_string(kind));
  if (kind == AlertKind::StepOverdue) k += "|" + department;
  return k;
}

Duration due_soon_threshold(const AlertSettings& settings, std::string_view procedure_code) {
  if (auto it = settings.due_soon_by_procedure.find(procedure_code);
      it != settings.due_soon_by_procedure.end()) {
    return it->second;
  }
  return settings.due_soon;
}

std::vector<Alert> active_alerts(const live::Change& change, const AlertSettings& settings) {
  std::vector<Alert> out;
  const live::Record& r = change.after;
  if (!r.pending()) return out;
  const engine::Evaluation& e = change.evaluation;
  const Dossier& d = change.timeline.dossier;
  const calendar::WorkingCalendar& cal = change.state.calendar();

  Alert base;
  base.dossier = d.code;
  base.procedure_code = d.procedure_code;
  if (change.rule != nullptr) base.procedure_name = change.rule->name;
  base.unit = change.state.units().name(r.unit);
  base.unit_name = change.state.unit_name(r.unit);
  base.field = change.state.fields().name(r.field);
  base.received = e.received;
  base.base_due = e.base_due;
  base.effective_due = e.effective_due;
  base.left = e.left;
  base.observed = e.now;
  std::string url = settings.dossier_url;
  if (const auto at = url.find("{code}"); at != std::string::npos) url.replace(at, 6, d.code);
  base.url = std::move(url);
  const engine::Step* step = e.current_step ? &e.steps[*e.current_step] : nullptr;
  if (step != nullptr) base.department = change.timeline.progress[step->entry].department;

  const auto add = [&](AlertKind kind, Moment starts) {
    Alert a = base;
    a.kind = kind;
    a.starts_at = starts;
    out.push_back(std::move(a));
  };
  // An extension letter gave the applicant a new date: the office has acted, so due-soon and
  // overdue alerts follow that date (the figures still judge by the base due, §4); they come
  // back if it passes.
  std::optional<Moment> deadline = e.effective_due;
  if (!e.extensions.empty() && (!deadline || e.extensions.back() > *deadline)) {
    deadline = e.extensions.back();
  }
  const bool overdue = deadline && e.now > *deadline;
  const bool judged_overdue = r.judgement.pending == engine::PendingState::Overdue;
  if (overdue) {
    add(AlertKind::Overdue, *deadline);
  } else if (deadline && deadline != e.effective_due) {
    change.wake_at(*deadline + std::chrono::seconds{1});
  }

  const Duration threshold = due_soon_threshold(settings, d.procedure_code);
  if (!overdue && !e.paused_now && deadline) {
    const Duration left = cal.between(e.now, *deadline);
    if (left <= threshold) {
      add(AlertKind::DueSoon, engine::due_soon_from(cal, *e.clock_start, *deadline, threshold));
    } else {
      change.wake_at(engine::due_soon_from(cal, e.now, *deadline, threshold));
    }
  }
  if (step != nullptr && step->overdue && step->deadline) {
    add(AlertKind::StepOverdue, *step->deadline);
    if (!judged_overdue && !overdue) add(AlertKind::AtRisk, *step->deadline);
  }
  if (!e.extensions.empty()) add(AlertKind::ExtensionIssued, e.now);  // seen now; kept after
  return out;
}

}  // namespace tthc::alerts
