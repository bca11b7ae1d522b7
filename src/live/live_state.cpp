#include "live/live_state.hpp"

#include "engine/evaluate.hpp"

#include <algorithm>
#include <cassert>
#include <limits>

namespace tthc::live {

// A record for every stored dossier: its size is the daemon's memory per dossier (README).
static_assert(sizeof(Record) <= 56);

namespace {

// Empties a text and gives its memory back.
void release(std::string& s) {
  s.clear();
  s.shrink_to_fit();
}

// What judging never reads: the texts (handler names are personal data), display names.
void strip(DossierTimeline& tl) {
  Dossier& d = tl.dossier;
  release(d.procedure_name);
  release(d.field_name);
  release(d.unit_name);
  for (ProgressEntry& e : tl.progress) {
    release(e.handler);
    release(e.handler_title);
    release(e.action);
  }
  // Read entry by entry, the list has room for more (8 for 6): 350 bytes a dossier held.
  tl.progress.shrink_to_fit();
}

void add_counts(MonthFigures& m, const engine::PeriodCounts& c, int sign) {
  const auto add = [sign](std::int64_t& v, bool yes) {
    if (yes) v += sign;
  };
  add(m.received, c.received);
  add(m.carried_over, c.carried_over);
  if (c.resolved) m.resolved[static_cast<int>(c.outcome)] += sign;
  add(m.pending, c.pending);
  add(m.pending_overdue, c.pending_overdue);
  add(m.handled_766, c.handled_766);
  add(m.good_766, c.handled_766 && c.good_766);
}

}  // namespace

Names::Names() {
  id("");
}

std::uint32_t Names::id(std::string_view name) {
  if (auto it = index_.find(name); it != index_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(names_.size());
  names_.emplace_back(name);
  index_.emplace(names_.back(), id);
  return id;
}

std::optional<std::uint32_t> Names::find(std::string_view name) const {
  if (auto it = index_.find(name); it != index_.end()) return it->second;
  return std::nullopt;
}

MonthFigures& MonthFigures::operator+=(const MonthFigures& o) {
  received += o.received;
  carried_over += o.carried_over;
  for (int i = 0; i < 3; ++i) resolved[i] += o.resolved[i];
  pending += o.pending;
  pending_overdue += o.pending_overdue;
  handled_766 += o.handled_766;
  good_766 += o.good_766;
  return *this;
}

std::optional<double> MonthFigures::on_time_rate() const {
  const std::int64_t total = resolved_total();
  if (total == 0) return std::nullopt;
  return static_cast<double>(resolved[0] + resolved[1]) / static_cast<double>(total);
}

NowFigures& NowFigures::operator+=(const NowFigures& o) {
  for (int i = 0; i < 4; ++i) by_state[i] += o.by_state[i];
  at_risk += o.at_risk;
  overdue_steps += o.overdue_steps;
  return *this;
}

std::optional<double> MonthFigures::rate_766() const {
  if (handled_766 == 0) return std::nullopt;
  return static_cast<double>(good_766) / static_cast<double>(handled_766);
}

LiveState::LiveState(const engine::Catalogue& catalogue, const calendar::WorkingCalendar& calendar,
                     engine::Settings settings, Moment now, UnitCounting units)
    : catalogue_(catalogue),
      calendar_(calendar),
      settings_(settings),
      counting_(units),
      now_(now),
      month_start_(first_of_month(now)),
      next_month_start_(add_months(now, 1)) {}

const Record* LiveState::record(DossierId id) const {
  if (id < 0 || static_cast<std::size_t>(id) >= records_.size()) return nullptr;
  const Record& r = records_[static_cast<std::size_t>(id)];
  return r.present ? &r : nullptr;
}

const std::string& LiveState::unit_name(std::uint32_t unit) const {
  static const std::string none;
  return unit < unit_names_.size() ? unit_names_[unit] : none;
}

std::string_view LiveState::unit_in_force(std::string_view code) const {
  // The live figures are the current period's: an ended unit counts under its successor.
  return counting_.units != nullptr ? counting_.units->shown_as(code, day_of(now_), true) : code;
}

LiveState::CountingUnit LiveState::counting_unit(const Dossier& d) {
  const engine::UnitRegister* reg = counting_.units;
  const std::string_view code =
      reg != nullptr ? reg->counting_unit(d, counting_.under) : d.unit_code();
  const std::uint32_t id = counting_codes_.id(code);
  constexpr std::uint32_t kUnmapped = 0xFFFFFFFF;
  if (id >= shown_.size()) shown_.resize(id + 1, CountingUnit{kUnmapped});
  if (shown_[id].unit != kUnmapped) return shown_[id];
  // A code met for the first time: mapped once.
  CountingUnit& c = shown_[id];
  c.unit = units_.id(unit_in_force(code));
  if (c.unit >= unit_names_.size()) unit_names_.resize(c.unit + 1);
  if (reg != nullptr && !reg->empty()) {
    // No code at all (a MaHoSo without a unit prefix) is not an unknown unit.
    c.unknown = !code.empty() && reg->find(code) == nullptr;
    const std::string_view name = reg->name_of(units_.name(c.unit));
    c.named = !name.empty();
    if (c.named) unit_names_[c.unit] = name;
  }
  return c;
}

void LiveState::update(DossierId id, DossierTimeline timeline, Moment now) {
  assert(id >= 0);
  now_ = std::max(now_, now);
  const Dossier& d = timeline.dossier;
  const CountingUnit unit = counting_unit(d);
  if (!d.unit_name.empty() && !unit.named) unit_names_[unit.unit] = d.unit_name;
  strip(timeline);
  const engine::ProcedureRule* rule = catalogue_.find(d.procedure_code);
  judge(id, timeline, rule, unit, now, true);
}

LiveState::CountingUnit LiveState::counted_as(DossierId id) const {
  const Record& r = records_[static_cast<std::size_t>(id)];
  return {r.unit, (r.flags & kFlagUnknownUnit) != 0, false};
}

void LiveState::judge(DossierId id, DossierTimeline& timeline, const engine::ProcedureRule* rule,
                      CountingUnit unit, Moment now, bool hold) {
  engine::evaluate(timeline, rule, calendar_, settings_, now, eval_);
  std::uint32_t current_department = 0;
  const Record after = record_of(timeline, rule, unit, current_department);

  const auto index = static_cast<std::size_t>(id);
  if (index >= records_.size()) records_.resize(index + 1);
  Record& slot = records_[index];
  const Record before = slot;
  if (before.present) {
    count_month(before, -1);
    count_now(before, -1);
    if ((before.flags & kFlagUnknownUnit) != 0) --unknown_unit_dossiers_;
  } else {
    ++tracked_;
  }
  if ((after.flags & kFlagUnknownUnit) != 0) ++unknown_unit_dossiers_;
  slot = after;
  count_month(after, +1);
  count_now(after, +1);
  ++version_;

  std::optional<Moment> wake = eval_.next_change;
  for (Observer* o : observers_) {
    o->changed(
        Change{*this, id, before.present ? &before : nullptr, slot, eval_, timeline, rule, wake});
  }
  if (wake && *wake <= now) wake.reset();  // only later moments

  const bool keep = after.pending() || wake.has_value();
  if (!keep) {
    unlist(id);
    held_.erase(id);
    return;
  }
  Held& h = hold ? held_[id] : held_.at(id);
  if (hold) h.timeline = std::move(timeline);
  h.rule = rule;
  h.next_change = wake;
  h.base_due = eval_.base_due;
  h.effective_due = eval_.effective_due;
  h.left = eval_.left;
  h.paused_now = eval_.paused_now;
  h.department = current_department;
  if (after.pending()) {
    list_pending(id, h, slot);
  } else {
    unlist(id);
  }
  if (wake) schedule(*wake, id);
}

Record LiveState::record_of(const DossierTimeline& timeline, const engine::ProcedureRule* rule,
                            CountingUnit unit, std::uint32_t& current_department) {
  const Dossier& d = timeline.dossier;
  Record r;
  r.present = true;
  r.judgement = engine::judgement_of(eval_);
  r.unit = unit.unit;
  const std::string_view field = !d.field_code.empty()
                                     ? std::string_view(d.field_code)
                                     : (rule != nullptr ? std::string_view(rule->field_code) : "");
  r.field = fields_.id(field);
  r.flags = eval_.flags | (unit.unknown ? kFlagUnknownUnit : 0U);
  r.extensions = static_cast<std::uint16_t>(std::min<std::size_t>(eval_.extensions.size(), 0xFFFF));
  r.channel = d.channel;
  r.status = d.status;
  r.at_risk = eval_.at_risk;
  current_department = 0;
  if (eval_.current_step) {
    const engine::Step& s = eval_.steps[*eval_.current_step];
    current_department = departments_.id(timeline.progress[s.entry].department);
    if (s.overdue) r.late_department = current_department;
  }
  return r;
}

void LiveState::schedule(Moment at, DossierId id) {
  schedule_.emplace(at, id);
  // Entries superseded by a later judgement stay until their moment; rebuild when they
  // outnumber the live ones, so memory stays proportional to the dossiers held.
  if (schedule_.size() > 2 * held_.size() + 1024) {
    std::vector<Scheduled> live;
    live.reserve(held_.size());
    for (const auto& [held_id, held] : held_) {
      if (held.next_change) live.emplace_back(*held.next_change, held_id);
    }
    schedule_ = decltype(schedule_)(std::greater<>{}, std::move(live));
  }
}

std::size_t LiveState::advance(Moment now) {
  now_ = std::max(now_, now);
  std::size_t judged = 0;
  while (!schedule_.empty() && schedule_.top().first <= now) {
    const auto [at, id] = schedule_.top();
    schedule_.pop();
    auto it = held_.find(id);
    // Entries left behind by a later judgement (or a dossier no longer held) are skipped.
    if (it == held_.end() || it->second.next_change != at) continue;
    judge(id, it->second.timeline, it->second.rule, counted_as(id), now, false);
    ++judged;
  }
  if (now >= next_month_start_) turn_month(now);
  return judged;
}

std::size_t LiveState::reevaluate_all(Moment now) {
  now_ = std::max(now_, now);
  std::vector<DossierId> ids;
  ids.reserve(held_.size());
  for (const auto& [id, h] : held_) ids.push_back(id);
  for (DossierId id : ids) {
    Held& h = held_.at(id);
    judge(id, h.timeline, h.rule, counted_as(id), now, false);
  }
  if (now >= next_month_start_) turn_month(now);
  return ids.size();
}

void LiveState::settle() {
  for (Observer* o : observers_) o->settled(*this);
}

std::optional<Moment> LiveState::next_wakeup() {
  while (!schedule_.empty()) {
    const auto [at, id] = schedule_.top();
    auto it = held_.find(id);
    if (it != held_.end() && it->second.next_change == at) return std::min(at, next_month_start_);
    schedule_.pop();
  }
  return next_month_start_;
}

void LiveState::count_month(const Record& r, int sign) {
  const engine::PeriodCounts c = engine::count_in_period(r.judgement, month_start_);
  if (!c.handled() && !c.handled_766) return;
  if (r.unit >= month_.size()) month_.resize(r.unit + 1);
  add_counts(month_[r.unit], c, sign);
  add_counts(month_by_field_[pair_key(r.unit, r.field)], c, sign);
}

void LiveState::count_now(const Record& r, int sign) {
  if (!r.pending()) return;
  if (r.unit >= now_by_unit_.size()) now_by_unit_.resize(r.unit + 1);
  const auto state = static_cast<int>(r.judgement.pending);
  const int at_risk = r.at_risk ? sign : 0;
  const int late = r.late_department != 0 ? sign : 0;
  for (NowFigures* n : {&now_by_unit_[r.unit], &now_by_field_[pair_key(r.unit, r.field)]}) {
    n->by_state[state] += sign;
    n->at_risk += at_risk;
    n->overdue_steps += late;
  }
  if (r.late_department != 0) overdue_steps_[pair_key(r.unit, r.late_department)] += sign;
}

void LiveState::turn_month(Moment now) {
  month_start_ = first_of_month(now);
  next_month_start_ = add_months(now, 1);
  for (MonthFigures& m : month_) m = MonthFigures{};
  month_by_field_.clear();
  ++version_;
  for (const Record& r : records_) {
    if (r.present) count_month(r, +1);
  }
}

void LiveState::list_pending(DossierId id, const Held& h, const Record& r) {
  const Pending entry{h.effective_due ? h.effective_due->time_since_epoch().count()
                                      : std::numeric_limits<std::int64_t>::max(),
                      id,
                      &h,
                      r.unit,
                      r.field,
                      h.department,
                      r.judgement.pending,
                      r.at_risk};
  const auto [it, added] = pending_at_.try_emplace(id, pending_.size());
  if (added) {
    pending_.push_back(entry);
  } else {
    pending_[it->second] = entry;
  }
}

void LiveState::unlist(DossierId id) {
  const auto it = pending_at_.find(id);
  if (it == pending_at_.end()) return;
  const std::size_t at = it->second;
  pending_at_.erase(it);
  if (at + 1 != pending_.size()) {
    pending_[at] = pending_.back();
    pending_at_[pending_[at].id] = at;
  }
  pending_.pop_back();
}

std::vector<MonthFigures> LiveState::calendar_months(Moment first, int count) const {
  std::vector<MonthFigures> out(static_cast<std::size_t>(std::max(count, 0)));
  const auto index_of = [](Moment m) {
    const std::chrono::year_month_day ymd{day_of(m)};
    return static_cast<int>(ymd.year()) * 12 + static_cast<int>(static_cast<unsigned>(ymd.month()));
  };
  const int base = index_of(first);
  const auto slot = [&](Moment m) -> MonthFigures* {
    const int i = index_of(m) - base;
    return i >= 0 && i < count ? &out[static_cast<std::size_t>(i)] : nullptr;
  };
  for (const Record& r : records_) {
    if (!r.present || !r.judgement.counted) continue;
    if (MonthFigures* m = slot(r.judgement.received)) ++m->received;
    if (!r.judgement.ended) continue;
    if (MonthFigures* m = slot(r.judgement.end))
      ++m->resolved[static_cast<int>(r.judgement.outcome)];
  }
  return out;
}

std::vector<UnknownUnit> LiveState::unknown_units() const {
  std::vector<UnknownUnit> out;
  if (unknown_unit_dossiers_ == 0) return out;
  std::unordered_map<std::uint32_t, std::size_t> at;  // unit id -> index into out
  for (const Record& r : records_) {
    if (!r.present || (r.flags & kFlagUnknownUnit) == 0) continue;
    const auto [it, added] = at.try_emplace(r.unit, out.size());
    if (added) out.push_back({units_.name(r.unit), 0, std::nullopt, std::nullopt});
    UnknownUnit& u = out[it->second];
    ++u.dossiers;
    if (!r.judgement.counted) continue;
    const Moment received = r.judgement.received;
    if (!u.first_received || received < *u.first_received) u.first_received = received;
    if (!u.last_received || received > *u.last_received) u.last_received = received;
  }
  std::sort(out.begin(), out.end(),
            [](const UnknownUnit& a, const UnknownUnit& b) { return a.code < b.code; });
  return out;
}

ListPage LiveState::list(const ListFilter& filter, Moment now, std::size_t offset,
                         std::size_t limit) const {
  std::optional<std::uint32_t> unit, field, department;
  // An ended unit's code lists the dossiers of the unit that took it over.
  if (!filter.unit.empty() && !(unit = units_.find(unit_in_force(filter.unit)))) return {};
  if (!filter.field.empty() && !(field = fields_.find(filter.field))) return {};
  if (!filter.department.empty() && !(department = departments_.find(filter.department))) {
    return {};
  }
  const bool at_risk_only = filter.at_risk_only;
  const std::optional<engine::PendingState> state = filter.state;
  // Left at the listing moment: a paused dossier's working time left does not run.
  const auto left_now = [&](const Held& h) {
    std::optional<Duration> left = h.left;
    if (h.effective_due && !h.paused_now) {
      left = engine::working_time_left(calendar_, now, *h.effective_due);
    }
    return left;
  };
  // The scan reads the dense list of dossiers in process (a few bytes each, in one array);
  // the order (effective due, then code; no due date last) is only needed for the page and
  // what precedes it.
  std::vector<const Pending*> matches;
  matches.reserve(std::min<std::size_t>(pending_.size(), 1 << 16));
  for (const Pending& p : pending_) {
    if (unit && p.unit != *unit) continue;
    if (field && p.field != *field) continue;
    if (department && p.department != *department) continue;
    if (at_risk_only && !p.at_risk) continue;
    if (state && p.state != *state) continue;
    if (filter.within) {
      const std::optional<Duration> left = left_now(*p.held);
      if (!(left && *left >= Duration{0} && *left <= *filter.within)) continue;
    }
    matches.push_back(&p);
  }
  const std::size_t wanted = std::min(matches.size(), offset + limit);
  const auto end = matches.begin() + static_cast<std::ptrdiff_t>(wanted);
  std::partial_sort(matches.begin(), end, matches.end(), [](const Pending* a, const Pending* b) {
    if (a->due != b->due) return a->due < b->due;
    return a->held->timeline.dossier.code < b->held->timeline.dossier.code;
  });
  ListPage page;
  page.total = matches.size();
  for (std::size_t i = offset; i < wanted; ++i) {
    const Pending& m = *matches[i];
    const Record& r = records_[static_cast<std::size_t>(m.id)];
    const Dossier& d = m.held->timeline.dossier;
    WorkItem item;
    item.id = m.id;
    item.code = d.code;
    item.procedure_code = d.procedure_code;
    item.unit = r.unit;
    item.field = r.field;
    item.state = r.judgement.pending;
    item.at_risk = r.at_risk;
    item.received = d.received;
    item.base_due = m.held->base_due;
    item.effective_due = m.held->effective_due;
    item.left = left_now(*m.held);
    item.department = departments_.name(m.held->department);
    page.items.push_back(std::move(item));
  }
  return page;
}

}  // namespace tthc::live
