#include "reports/period_claims.hpp"

#include <map>
#include <optional>
#include <string>
#include <utility>

namespace tthc::reports {

namespace {

using Figure = std::optional<std::int64_t>;
using Key = std::pair<std::string, std::string>;  // unit, kind

// Each month's claim of one unit and kind (none: that month has none).
using Months = std::vector<const store::StoredClaimedStats*>;

// The sum of a figure over every month; none when a month has no claim or no such figure.
Figure added(const Months& months, Figure StatsFigures::*figure) {
  std::int64_t sum = 0;
  for (const store::StoredClaimedStats* c : months) {
    if (c == nullptr || !(c->stats.figures.*figure)) return std::nullopt;
    sum += *(c->stats.figures.*figure);
  }
  return sum;
}

store::StoredClaimedStats combined(const Period& period, const Months& months) {
  store::StoredClaimedStats out;
  const store::StoredClaimedStats* first = months.front();
  const store::StoredClaimedStats* last = months.back();
  StatsFigures& f = out.stats.figures;
  for (Figure StatsFigures::*m :
       {&StatsFigures::received, &StatsFigures::resolved, &StatsFigures::resolved_on_time,
        &StatsFigures::resolved_overdue}) {
    f.*m = added(months, m);
  }
  if (first != nullptr) f.carried_over = first->stats.figures.carried_over;
  if (last != nullptr) {
    f.pending = last->stats.figures.pending;
    f.pending_in_time = last->stats.figures.pending_in_time;
    f.pending_overdue = last->stats.figures.pending_overdue;
  }
  if (f.received && f.carried_over) f.to_process = *f.received + *f.carried_over;
  if (f.resolved && f.resolved_on_time && *f.resolved > 0) {
    f.on_time_rate = static_cast<double>(*f.resolved_on_time) / static_cast<double>(*f.resolved);
  }
  out.stats.year = period.year;
  out.stats.month = period.month;
  // Names and notes as the latest month gave them; the latest arrival.
  for (const store::StoredClaimedStats* c : months) {
    if (c == nullptr) continue;
    out.stats.unit = c->stats.unit;
    out.stats.kind = c->stats.kind;
    if (!c->stats.unit_name.empty()) out.stats.unit_name = c->stats.unit_name;
    if (!c->stats.note.empty()) out.stats.note = c->stats.note;
    if (c->arrived_unix >= out.arrived_unix) {
      out.arrived_unix = c->arrived_unix;
      out.sender = c->sender;
    }
  }
  return out;
}

}  // namespace

std::vector<store::StoredClaimedStats> combine_claims(
    const Period& period, std::span<const std::vector<store::StoredClaimedStats>> by_month) {
  if (by_month.size() == 1) return by_month.front();
  std::map<Key, Months> grouped;
  for (std::size_t i = 0; i < by_month.size(); ++i) {
    for (const store::StoredClaimedStats& c : by_month[i]) {
      Months& months = grouped[{c.stats.unit, c.stats.kind}];
      months.resize(by_month.size(), nullptr);
      months[i] = &c;
    }
  }
  std::vector<store::StoredClaimedStats> out;
  out.reserve(grouped.size());
  for (const auto& [key, months] : grouped) out.push_back(combined(period, months));
  return out;
}

Result<std::vector<store::StoredClaimedStats>> claims_of_period(store::Reader& reader,
                                                                const Period& period) {
  std::vector<std::vector<store::StoredClaimedStats>> by_month;
  for (const Period& m : period.months()) {
    TTHC_TRY(auto claims, reader.claimed_stats(m.year, m.month));
    by_month.push_back(std::move(claims));
  }
  return combine_claims(period, by_month);
}

}  // namespace tthc::reports
