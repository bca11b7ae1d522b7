// The stream: a province's deliveries as time goes by, planned arrival day by arrival day.

#include "sim/life.hpp"
#include "sim/province.hpp"
#include "sim/random.hpp"
#include "sim/tables.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace tthc::sim {

namespace {

using std::chrono::days;
using std::chrono::hours;

// An online dossier's submission (its first delivery) comes at most this long before receipt.
constexpr Duration kMaxLead = hours{48};

// The day's receipt moments, in order. How many: a little more on Mondays, less on Fridays and
// make-up Saturdays. When: within the sessions, the morning weighted up, each session peaking
// early.
std::vector<Moment> draw_receipts(const calendar::WorkingCalendar& cal,
                                  const ProvinceOptions& options, Date day, Rng& rng) {
  constexpr std::array<double, 7> kWeekday = {0.7, 1.15, 1.02, 1.0, 0.98, 0.85, 0.7};
  const double lambda =
      options.dossiers_per_working_day * kWeekday[std::chrono::weekday{day}.c_encoding()];
  const std::uint64_t count = rng.poisson(lambda);

  const auto& sessions = cal.hours().sessions;
  std::vector<double> session_weights;
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    session_weights.push_back(as_secs(sessions[i].end - sessions[i].start) * (i == 0 ? 1.35 : 1.0));
  }
  std::vector<Moment> receipts;
  receipts.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto& s = sessions[rng.weighted(session_weights)];
    const double u = rng.uniform();
    constexpr double kMode = 0.35;  // triangular, peak a third into the session
    const double x = u < kMode ? std::sqrt(u * kMode) : 1.0 - std::sqrt((1.0 - u) * (1.0 - kMode));
    const auto length = (s.end - s.start).count();
    const auto offset = std::min(static_cast<std::int64_t>(x * static_cast<double>(length)),
                                 static_cast<std::int64_t>(length - 1));
    receipts.push_back(day + s.start + Duration{offset});
  }
  std::sort(receipts.begin(), receipts.end());
  return receipts;
}

// MaHoSo: `<unit>-<yyMMdd>-<sequence, 4 digits or more>`; `yymmdd` is the receipt day's.
std::string dossier_code(const std::string& unit, std::string_view yymmdd, int sequence) {
  char seq_text[16];
  const int digits = std::snprintf(seq_text, sizeof seq_text, "%04d", sequence);
  std::string code;
  code.reserve(32);
  code = unit;
  code += '-';
  code += yymmdd;
  code += '-';
  code.append(seq_text, static_cast<std::size_t>(std::max(digits, 0)));
  return code;
}

// The units in force on `day` whose dossiers may be resolved at one another's desks.
std::vector<std::size_t> cross_desk_units(const Tables& tables, Date day) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < tables.units.size(); ++i) {
    if (tables.units[i].cross_desk && tables.units[i].unit.in_force(day)) out.push_back(i);
  }
  return out;
}

// The unit that resolves a dossier received at `unit`: itself, or for a share of a cross-desk
// unit's dossiers another of the day's cross-desk units (receipt regardless of boundary).
std::size_t resolver(std::size_t unit, const std::vector<std::size_t>& desks, double share,
                     Rng& rng) {
  if (desks.size() < 2 || std::find(desks.begin(), desks.end(), unit) == desks.end() ||
      !rng.chance(share)) {
    return unit;
  }
  const std::size_t pick = desks[rng.below(desks.size() - 1)];
  return pick == unit ? desks.back() : pick;
}

}  // namespace

bool DeliveryStream::QueuedLater::operator()(const Queued& a, const Queued& b) const {
  if (a.delivery.at_ != b.delivery.at_) return a.delivery.at_ > b.delivery.at_;
  return a.order > b.order;
}

DeliveryStream::DeliveryStream(const Province& province, Moment from, std::optional<Moment> to)
    : province_(province), from_(from), to_(to), next_day_(day_of(from)) {
  const auto& cal = province.calendar();
  const Date calendar_end = Date{std::chrono::year{cal.last_year()} / std::chrono::December / 31};
  last_day_ = to ? std::min(day_of(*to - Duration{1}), calendar_end) : calendar_end;
}

bool DeliveryStream::finished() const {
  return next_day_ > last_day_ && pending_.empty();
}

void DeliveryStream::advance(Moment until,
                             const std::function<void(const ScheduledDelivery&)>& sink) {
  // A day's dossiers deliver nothing before the day's start minus the longest lead: what is
  // queued before that is final and goes out before the day is planned, so only the dossiers
  // in flight are held, however long the span.
  for (;;) {
    const bool more_days = next_day_ <= last_day_;
    const Moment safe =
        more_days ? std::min(until, Moment(next_day_) - kMaxLead - Duration{1}) : until;
    while (!pending_.empty() && pending_.top().delivery.at_ <= safe) {
      const ScheduledDelivery d = pending_.top().delivery;
      pending_.pop();
      ++stats_.deliveries;
      switch (d.kind_) {
        case DeliveryKind::Duplicate: ++stats_.duplicates; break;
        case DeliveryKind::Delayed: ++stats_.delayed; break;
        case DeliveryKind::Bad: ++stats_.bad; break;
        case DeliveryKind::Change: break;
      }
      sink(d);
    }
    if (!more_days || Moment(next_day_) - kMaxLead > until) break;
    plan_day(next_day_);
    next_day_ += days{1};
  }
}

void DeliveryStream::plan_day(Date day) {
  const auto& cal = province_.calendar();
  if (!cal.is_working_day(day)) return;
  const ProvinceOptions& options = province_.options_;
  const auto& tables = province_.tables_;
  const auto day_number = static_cast<std::uint64_t>(day.time_since_epoch().count());
  const std::uint64_t day_seed = mix(options.seed, day_number);
  Rng rng(day_seed);
  const std::vector<Moment> receipts = draw_receipts(cal, options, day, rng);

  const std::vector<double> unit_weights = tables->unit_weights(day);
  const std::vector<std::size_t> desks = cross_desk_units(*tables, day);
  std::vector<int> sequence(tables->units.size(), 0);
  const std::string yymmdd = format_compact(Moment(day)).substr(2, 6);
  for (std::size_t i = 0; i < receipts.size(); ++i) {
    const std::size_t unit = rng.weighted(unit_weights);
    const int seq = ++sequence[unit];
    const Moment receipt = receipts[i];
    if (receipt < from_ || (to_ && receipt >= *to_)) continue;
    if (tables->units[unit].procedures.empty()) continue;
    Rng life_rng(mix(day_seed, i + 1));
    auto life = std::make_shared<DossierLife>();
    life->tables = tables;
    life->unit = unit;
    life->code = dossier_code(tables->units[unit].unit.code, yymmdd, seq);
    const UnitInfo& u = tables->units[unit];
    life->procedure = u.procedures[life_rng.weighted(u.procedure_weights)];
    const double c = life_rng.uniform();
    life->channel = c < 0.50 ? Channel::InPerson : c < 0.92 ? Channel::Online : Channel::Postal;
    life->local_code = life_rng.chance(u.local_code_share);
    life->applicant = life_rng.below(tables->applicants.size());
    life->resolver = resolver(unit, desks, options.cross_desk_share, life_rng);
    plan_life(cal, options, *tables, *life, life_rng, receipt);
    ++stats_.dossiers;
    queue_deliveries(std::move(life), life_rng);
  }
}

// Deliveries: each revision shortly after its change, in order; then the mishaps.
void DeliveryStream::queue_deliveries(std::shared_ptr<const DossierLife> life, Rng& rng) {
  const ProvinceOptions& options = province_.options_;
  const std::size_t n = life->revisions.size();
  std::vector<Moment> sent(n);
  for (std::size_t k = 0; k < n; ++k) {
    sent[k] = life->revisions[k].at + Duration{2 + static_cast<std::int64_t>(rng.below(89))};
    if (k > 0) sent[k] = std::max(sent[k], sent[k - 1] + Duration{1});
  }
  // The last revision has no next one to be delayed past: the others make up for it.
  const double delay_share =
      n > 1 ? options.out_of_order_share * static_cast<double>(n) / static_cast<double>(n - 1)
            : 0.0;
  bool previous_delayed = false;
  for (std::size_t k = 0; k < n; ++k) {
    Moment at = sent[k];
    DeliveryKind kind = DeliveryKind::Change;
    const bool delay = k + 1 < n && !previous_delayed && rng.chance(delay_share);
    if (delay) {
      at = sent[k + 1] + Duration{1 + static_cast<std::int64_t>(rng.below(1200))};
      kind = DeliveryKind::Delayed;
    }
    previous_delayed = delay;
    if (rng.chance(options.bad_record_share)) {
      auto defect = static_cast<Defect>(1 + rng.below(6));
      if (defect == Defect::MissingProgressTime && life->revisions[k].entries == 0) {
        defect = Defect::StatusOutOfRange;
      }
      queue(life, at, DeliveryKind::Bad, defect, k);
    }
    queue(life, at, kind, Defect::None, k);
    if (!delay && rng.chance(options.duplicate_share)) {
      // Sent again before the dossier's next delivery (a retry of a lost acknowledgement).
      Duration wait = Duration{1 + static_cast<std::int64_t>(rng.below(std::size_t{3} * 3600))};
      if (k + 1 < n) wait = std::min(wait, std::max(sent[k + 1] - at - Duration{1}, Duration{0}));
      queue(life, at + wait, DeliveryKind::Duplicate, Defect::None, k);
    }
  }
}

void DeliveryStream::queue(const std::shared_ptr<const DossierLife>& life, Moment at,
                           DeliveryKind kind, Defect defect, std::size_t revision) {
  Queued q;
  q.delivery.life_ = life;
  q.delivery.at_ = at;
  q.delivery.kind_ = kind;
  q.delivery.defect_ = defect;
  q.delivery.revision_ = static_cast<int>(revision);
  q.order = order_++;
  pending_.push(std::move(q));
}

}  // namespace tthc::sim
