#include "alerts/observer.hpp"

#include <algorithm>

namespace tthc::alerts {

AlertObserver::AlertObserver(AlertSettings settings, Emit emit)
    : settings_(std::move(settings)), emit_(std::move(emit)) {}

void AlertObserver::changed(const live::Change& change) {
  std::vector<Alert> now = active_alerts(change, settings_);
  auto it = active_.find(change.id);
  static const std::vector<Alert> kNone;
  const std::vector<Alert>& before = it != active_.end() ? it->second : kNone;
  const Moment at = change.evaluation.now;

  for (Alert& a : now) {
    const auto old = std::find_if(before.begin(), before.end(),
                                  [&](const Alert& b) { return b.key() == a.key(); });
    if (old == before.end()) {
      pending_.push_back({Transition::Type::Start, a, at, {}});
      continue;
    }
    // Still active: it keeps the moment it started (an extension's, for one).
    a.starts_at = old->starts_at;
    if (old->base_due != a.base_due || old->effective_due != a.effective_due ||
        old->department != a.department) {
      pending_.push_back({Transition::Type::Update, a, at, {}});
    }
  }
  for (const Alert& b : before) {
    const bool still =
        std::any_of(now.begin(), now.end(), [&](const Alert& a) { return a.key() == b.key(); });
    if (!still) pending_.push_back({Transition::Type::End, b, at, {}});
  }
  active_count_ = active_count_ - before.size() + now.size();
  if (now.empty()) {
    if (it != active_.end()) active_.erase(it);
  } else if (it != active_.end()) {
    it->second = std::move(now);
  } else {
    active_.emplace(change.id, std::move(now));
  }
}

void AlertObserver::settled(const live::LiveState& state) {
  std::vector<Transition> out;
  if (!loaded_) {
    loaded_ = true;
    Transition r;
    r.type = Transition::Type::Reconcile;
    r.at = state.now();
    r.active.reserve(active_count_);
    for (const auto& [id, alerts] : active_) {
      for (const Alert& a : alerts) r.active.push_back(a.key());
    }
    out.push_back(std::move(r));
  }
  if (pending_.empty() && out.empty()) return;
  // The load's starts come before the reconcile: it must know them.
  std::vector<Transition> batch = std::move(pending_);
  pending_.clear();
  for (Transition& t : out) batch.push_back(std::move(t));
  emit_(std::move(batch));
}

}  // namespace tthc::alerts
