#include "sim/life.hpp"

#include "calendar/limit.hpp"
#include "engine/rules.hpp"
#include "sim/weekdays_only.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace tthc::sim {

namespace {

using std::chrono::hours;
using std::chrono::minutes;

// What happens to a dossier, drawn once at receipt.
struct Fate {
  bool withdrawn = false;
  bool stopped = false;
  bool late = false;  // finishes after its due
  int rounds = 0;     // supplementation rounds
  bool fee = false;
  bool extension = false;
  bool tight = false;  // uses nearly all its time: on time rather than early
};

struct PlanStep {
  std::size_t department = 0;
  Action action = kReview;
  Duration allotted{};
  Duration actual{};
};

// The route through the departments, with the step (if any) that makes the dossier late.
struct Route {
  std::vector<PlanStep> steps;
  std::size_t late_step = 0;  // steps.size(): none
  bool finance = false;
};

// An event inside a step, at an offset of working time from the step's start.
struct StepEvent {
  enum Kind : std::uint8_t { Extension, Supplement, Fee, Withdraw, Stop } kind;
  Duration offset;
  Duration pause{};  // Supplement, Fee: how long the applicant takes (working time)
};
using StepEvents = std::vector<std::vector<StepEvent>>;

// A step's share of the dossier's working time.
double weight(Action a) {
  switch (a) {
    case kReceive: return 0.06;
    case kReview: return 0.42;
    case kFeeCheck: return 0.14;
    case kApprove: return 0.16;
    default: return 0.10;
  }
}

class LifeBuilder {
 public:
  LifeBuilder(const calendar::WorkingCalendar& cal, const ProvinceOptions& options,
              const Tables& tables, DossierLife& life, Rng& rng)
      : cal_(cal), options_(options), tables_(tables), life_(life), rng_(rng) {}

  void build(Moment receipt);

 private:
  Fate draw_fate(bool has_computed_due, bool has_printed_due);
  Route plan_route(const ProcedureInfo& proc, const Fate& fate);
  void allot(Route& route, const Fate& fate, Duration total);
  StepEvents plan_events(const Route& route, const Fate& fate);
  void receive(Moment receipt, std::optional<Moment> printed, const PlanStep& desk);
  bool run_step(const PlanStep& s, const std::vector<StepEvent>& events, Moment& t);
  bool supplement(const PlanStep& s, const StepEvent& e, Moment at, Duration rest, Moment& t);
  void finish(Moment t);

  void add_entry(Moment at, Status status, std::size_t department, Action action,
                 std::optional<Duration> allotted) {
    LifeEntry e;
    e.at = at;
    e.status = status;
    e.department = static_cast<std::uint8_t>(department);
    e.handler = static_cast<std::uint8_t>(handler_for(department));
    e.action = action;
    if (allotted) {
      e.start = at;
      e.deadline = cal_.add(at, *allotted);
    }
    life_.entries.push_back(e);
  }
  std::size_t handler_for(std::size_t department) {
    // One handler per department holds the dossier: the first one drawn.
    if (handler_[department] < 0) {
      handler_[department] = static_cast<int>(rng_.below(tables_.handlers[department].size()));
    }
    return static_cast<std::size_t>(handler_[department]);
  }
  void revise(Moment at, Status status) {
    Revision r;
    r.at = at;
    r.due = due_;
    r.status = status;
    r.entries = static_cast<std::uint8_t>(life_.entries.size());
    r.rounds_requested = static_cast<std::uint8_t>(life_.rounds.size());
    r.rounds_received = rounds_received_;
    r.received = received_;
    r.finished = life_.processing_end != Moment{};
    r.returned = life_.returned != Moment{};
    life_.revisions.push_back(r);
  }
  Duration day() const { return cal_.day_length(); }

  const calendar::WorkingCalendar& cal_;
  const ProvinceOptions& options_;
  const Tables& tables_;
  DossierLife& life_;
  Rng& rng_;
  std::array<int, kDepartmentCount> handler_{-1, -1, -1, -1, -1, -1};
  Moment due_{};
  std::uint8_t rounds_received_ = 0;
  bool received_ = false;
  bool withdraw_in_pause_ = false;  // gives up instead of supplementing
};

void LifeBuilder::build(Moment receipt) {
  const ProcedureInfo& proc = tables_.procedures[life_.procedure];
  const calendar::Limit limit = engine::operative_limit(proc.rule, life_.channel);
  const std::optional<Moment> computed = calendar::compute_due(cal_, receipt, limit);
  std::optional<Moment> printed = computed;
  if (computed && rng_.chance(options_.holiday_ignored_share)) {
    printed = WeekdaysOnly(cal_.hours()).due(receipt, limit, day());
  }
  const Moment start = cal_.normalize(receipt);
  // The working time the dossier is allotted: up to the computed due, or a nominal 10 working
  // days for a procedure without one.
  Duration total = computed ? cal_.between(start, *computed) : 10 * day();
  total = std::max(total, Duration{minutes{30}});

  const Fate fate = draw_fate(computed.has_value(), printed.has_value());
  Route route = plan_route(proc, fate);
  allot(route, fate, total);
  const StepEvents events = plan_events(route, fate);

  receive(receipt, printed, route.steps[0]);
  Moment t = cal_.add(receipt, route.steps[0].actual);
  for (std::size_t i = 1; i < route.steps.size(); ++i) {
    if (!run_step(route.steps[i], events[i], t)) return;
  }
  finish(t);
}

Fate LifeBuilder::draw_fate(bool has_computed_due, bool has_printed_due) {
  Fate f;
  const double u = rng_.uniform();
  f.withdrawn = u < options_.withdrawn_share;
  f.stopped = !f.withdrawn && u < options_.withdrawn_share + options_.stopped_share;
  const bool finishes = !f.withdrawn && !f.stopped;
  // late_share is of all dossiers: only finished ones with a due can be late.
  const double can_be_late = (1.0 - options_.withdrawn_share - options_.stopped_share) *
                             tables_.units[life_.unit].due_share;
  f.late = finishes && has_computed_due &&
           rng_.chance(options_.late_share / std::max(can_be_late, 0.01));
  if (rng_.chance(options_.supplement_twice_share)) {
    f.rounds = 2;
  } else if (rng_.chance(options_.supplement_share /
                         std::max(1.0 - options_.supplement_twice_share, 0.01))) {
    f.rounds = 1;
  }
  f.fee = rng_.chance(options_.fee_share);
  f.extension = has_printed_due && rng_.chance(options_.extension_share /
                                               std::max(tables_.units[life_.unit].due_share, 0.01));
  f.tight = rng_.chance(0.1);
  return f;
}

Route LifeBuilder::plan_route(const ProcedureInfo& proc, const Fate& fate) {
  Route route;
  std::size_t specialist = proc.field % 2 == 0 ? kSpecialist : kScience;
  route.finance = fate.fee || rng_.chance(0.25);
  std::size_t late_department = 0;
  if (fate.late) {
    if (!tables_.late_departments.empty() && rng_.chance(0.9)) {
      late_department = tables_.late_departments[rng_.below(tables_.late_departments.size())];
    } else {
      late_department = 1 + rng_.below(5);
    }
    if (late_department == kSpecialist || late_department == kScience) {
      specialist = late_department;
    }
    if (late_department == kFinance) route.finance = true;
  }
  route.steps.push_back({kDesk, kReceive, {}, {}});
  route.steps.push_back({specialist, kReview, {}, {}});
  if (route.finance) route.steps.push_back({kFinance, kFeeCheck, {}, {}});
  route.steps.push_back({kLeaders, kApprove, {}, {}});
  route.steps.push_back({kOffice, kIssue, {}, {}});
  route.late_step = route.steps.size();
  if (fate.late) {
    for (std::size_t i = 0; i < route.steps.size(); ++i) {
      if (route.steps[i].department == late_department) {
        route.late_step = i;
        break;
      }
    }
  }
  return route;
}

// Each step's allotted share of `total` and the time it actually takes.
void LifeBuilder::allot(Route& route, const Fate& fate, Duration total) {
  double weights = 0;
  for (const auto& s : route.steps) weights += weight(s.action);
  for (PlanStep& s : route.steps) {
    s.allotted = std::max(secs(as_secs(total) * weight(s.action) / weights), Duration{60});
    double used = fate.tight ? rng_.uniform(0.85, 0.99) : rng_.uniform(0.2, 0.95);
    if (rng_.chance(0.002)) used = rng_.uniform(1.05, 1.5);  // an occasional slow step
    s.actual = std::max(secs(as_secs(s.allotted) * used), Duration{30});
  }
  if (route.late_step < route.steps.size()) {
    // Overrun by more than the whole slack of the dossier: it ends after its due even if every
    // other step is quick.
    PlanStep& s = route.steps[route.late_step];
    s.actual = total + secs(as_secs(total) * rng_.uniform(0.05, 0.5)) + minutes{30};
  }
}

StepEvents LifeBuilder::plan_events(const Route& route, const Fate& fate) {
  const std::vector<PlanStep>& steps = route.steps;
  const double day_secs = as_secs(day());
  StepEvents events(steps.size());
  auto within = [&](std::size_t step, double from, double to) {
    // Early enough in the step to fall before its deadline and the dossier's due.
    const PlanStep& s = steps[step];
    const double span = as_secs(std::min(s.actual, s.allotted));
    return std::max(secs(span * rng_.uniform(from, to)), Duration{2});
  };
  const std::size_t finance_step = route.finance ? 2 : 1;
  if (fate.rounds >= 1) {
    events[1].push_back(
        {StepEvent::Supplement, within(1, 0.15, 0.45), secs(day_secs * rng_.uniform(0.5, 8.0))});
  }
  if (fate.rounds >= 2) {
    events[1].push_back(
        {StepEvent::Supplement, within(1, 0.55, 0.85), secs(day_secs * rng_.uniform(0.5, 6.0))});
  }
  if (fate.fee) {
    events[finance_step].push_back(
        {StepEvent::Fee, within(finance_step, 0.2, 0.6), secs(day_secs * rng_.uniform(0.2, 3.0))});
  }
  if (fate.withdrawn) {
    if (fate.rounds > 0 && rng_.chance(0.5)) {
      withdraw_in_pause_ = true;
    } else {
      const std::size_t step = 1 + rng_.below(steps.size() - 1);
      events[step].push_back(
          {StepEvent::Withdraw, secs(as_secs(steps[step].actual) * rng_.uniform(0.1, 0.9))});
    }
  }
  if (fate.stopped) {
    events[1].push_back({StepEvent::Stop, secs(as_secs(steps[1].actual) * rng_.uniform(0.3, 0.9))});
  }
  if (fate.extension) {
    const std::size_t step =
        route.late_step < steps.size() ? route.late_step : 1 + rng_.below(steps.size() - 1);
    events[step].push_back(
        {StepEvent::Extension,
         std::max(std::min(secs(as_secs(steps[step].actual) * 0.05), Duration{hours{1}}),
                  Duration{1})});
  }
  for (auto& e : events) {
    std::stable_sort(e.begin(), e.end(),
                     [](const StepEvent& a, const StepEvent& b) { return a.offset < b.offset; });
  }
  return events;
}

// Online dossiers are submitted first, at any hour, and received later; then receipt at the
// desk.
void LifeBuilder::receive(Moment receipt, std::optional<Moment> printed, const PlanStep& desk) {
  if (life_.channel == Channel::Online) {
    life_.submitted = receipt - secs(rng_.uniform(300, 36 * 3600));
    revise(life_.submitted, Status::Registered);
  } else {
    life_.submitted = receipt;
  }
  life_.received = receipt;
  received_ = true;
  due_ = printed.value_or(Moment{});
  add_entry(receipt, Status::Received, kDesk, kReceive, desk.allotted);
  revise(receipt, Status::Received);
}

// One step from `t` with its events; `t` becomes its end. False when the dossier ended in it
// (withdrawn or stopped).
bool LifeBuilder::run_step(const PlanStep& s, const std::vector<StepEvent>& events, Moment& t) {
  add_entry(t, Status::InProcess, s.department, s.action, s.allotted);
  revise(t, Status::InProcess);
  Duration used{0};
  for (const StepEvent& e : events) {
    const Duration offset = std::max(e.offset, used + Duration{1});
    const Moment at = cal_.add(t, offset - used);
    used = offset;
    t = at;
    const Duration rest = std::max(s.allotted - used, Duration{minutes{10}});
    switch (e.kind) {
      case StepEvent::Extension: {
        if (due_ == Moment{}) break;
        due_ = cal_.add(due_, static_cast<int>(3 + rng_.below(8)) * day());
        revise(at, Status::InProcess);
        break;
      }
      case StepEvent::Supplement: {
        if (!supplement(s, e, at, rest, t)) return false;
        break;
      }
      case StepEvent::Fee: {
        add_entry(at, Status::AwaitingPayment, s.department, kRequestFee, std::nullopt);
        revise(at, Status::AwaitingPayment);
        const Moment paid = cal_.add(at, e.pause);
        add_entry(paid, Status::InProcess, s.department, kResumeFee, rest);
        revise(paid, Status::InProcess);
        t = paid;
        break;
      }
      case StepEvent::Withdraw: {
        add_entry(at, Status::Withdrawn, kDesk, kWithdraw, std::nullopt);
        revise(at, Status::Withdrawn);
        return false;
      }
      case StepEvent::Stop: {
        add_entry(at, Status::Stopped, s.department, kStop, std::nullopt);
        revise(at, Status::Stopped);
        return false;
      }
    }
  }
  t = cal_.add(t, std::max(s.actual - used, Duration{1}));
  return true;
}

// A supplementation round requested at `at`; `t` becomes the supplement's arrival. False when
// the applicant withdraws instead.
bool LifeBuilder::supplement(const PlanStep& s, const StepEvent& e, Moment at, Duration rest,
                             Moment& t) {
  add_entry(at, Status::AwaitingSupplement, s.department, kRequestSupplement, std::nullopt);
  life_.rounds.push_back(LifeRound{at, {}, due_, {}});
  revise(at, Status::AwaitingSupplement);
  if (withdraw_in_pause_) {
    const Moment gone = cal_.add(at, secs(as_secs(day()) * rng_.uniform(1.0, 6.0)));
    add_entry(gone, Status::Withdrawn, kDesk, kWithdraw, std::nullopt);
    revise(gone, Status::Withdrawn);
    return false;
  }
  const Moment back = cal_.add(at, e.pause);
  LifeRound& round = life_.rounds.back();
  round.received = back;
  if (due_ != Moment{}) {
    // The due moves by the pause: the working time left at the request starts again when the
    // supplement arrives.
    round.due_after = at < due_ ? cal_.add(back, cal_.between(at, due_)) : due_;
    due_ = round.due_after;
  }
  ++rounds_received_;
  add_entry(back, Status::InProcess, s.department, kResumeSupplement, rest);
  revise(back, Status::InProcess);
  t = back;
  return true;
}

// Finished by the office, then handed back at the desk (2 % are never collected).
void LifeBuilder::finish(Moment t) {
  life_.processing_end = t;
  add_entry(t, Status::Finished, kOffice, kFinish, std::nullopt);
  revise(t, Status::Finished);
  if (rng_.chance(0.02)) return;
  double wait_days = 0;
  switch (life_.channel) {
    case Channel::Online: wait_days = rng_.uniform(0.02, 0.5); break;  // sent electronically
    case Channel::Postal: wait_days = rng_.uniform(1.0, 3.0); break;
    case Channel::InPerson: wait_days = rng_.uniform(0.1, 5.0); break;
  }
  const Moment back = cal_.add(t, secs(as_secs(day()) * wait_days));
  life_.returned = back;
  add_entry(back, Status::Returned, kDesk, kReturn, std::nullopt);
  revise(back, Status::Returned);
}

}  // namespace

void plan_life(const calendar::WorkingCalendar& cal, const ProvinceOptions& options,
               const Tables& tables, DossierLife& life, Rng& rng, Moment receipt) {
  LifeBuilder(cal, options, tables, life, rng).build(receipt);
}

}  // namespace tthc::sim
