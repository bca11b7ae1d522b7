#include "reports/collect.hpp"

#include "engine/evaluate.hpp"
#include "engine/period.hpp"
#include "reports/claimed.hpp"
#include "reports/digest.hpp"
#include "reports/period_claims.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <iterator>
#include <set>
#include <tuple>

namespace tthc::reports {

namespace {

using engine::Outcome;

// Label values interned as dense ids: the per-dossier work is integer keys, not strings.
class Interner {
 public:
  std::uint32_t id(std::string_view name) {
    if (auto it = index_.find(name); it != index_.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(names_.size());
    names_.emplace_back(name);
    index_.emplace(names_.back(), id);
    return id;
  }
  const std::string& name(std::uint32_t id) const { return names_[id]; }

 private:
  std::deque<std::string> names_;  // a deque: the index's views stay valid as it grows
  std::unordered_map<std::string_view, std::uint32_t> index_;
};

// The display name of a code: the one on its most recently received dossier (then the greatest
// MaHoSo), whatever order the dossiers come in.
struct NameChoice {
  Moment received{};
  std::string code;
  std::string name;

  void offer(std::string_view name_offered, Moment at, std::string_view dossier_code) {
    if (name_offered.empty()) return;
    if (!name.empty() && std::tie(received, code) >= std::tie(at, dossier_code)) return;
    received = at;
    code = dossier_code;
    name = name_offered;
  }
};

// Reduction figures before the means: sums in seconds, every processing time for the median.
struct ReductionAcc {
  std::int64_t count = 0, overdue = 0, with_limit = 0, within_reduced = 0;
  Duration legal{}, reduced{}, actual_limited{};
  std::vector<std::int64_t> actual;  // net processing time, seconds

  void add(const ReductionAcc& o) {
    using A = ReductionAcc;
    add_members(*this, o, &A::count, &A::overdue, &A::with_limit, &A::within_reduced, &A::legal,
                &A::reduced, &A::actual_limited);
    actual.insert(actual.end(), o.actual.begin(), o.actual.end());
  }

  ReductionFigures figures(Duration day) {
    ReductionFigures f;
    f.count = count;
    f.with_limit = with_limit;
    const auto days = [day](Duration d, std::int64_t n) {
      return static_cast<double>(d.count()) / static_cast<double>(n) /
             static_cast<double>(day.count());
    };
    const auto share = [](std::int64_t a, std::int64_t n) -> std::optional<double> {
      if (n == 0) return std::nullopt;
      return static_cast<double>(a) / static_cast<double>(n);
    };
    if (with_limit > 0) {
      f.legal_days = days(legal, with_limit);
      f.reduced_days = days(reduced, with_limit);
      if (legal.count() > 0) {
        f.committed_reduction =
            static_cast<double>((legal - reduced).count()) / static_cast<double>(legal.count());
        f.actual_reduction = static_cast<double>((legal - actual_limited).count()) /
                             static_cast<double>(legal.count());
      }
      f.within_reduced_share = share(within_reduced, with_limit);
    }
    if (count > 0) {
      std::int64_t sum = 0;
      for (const std::int64_t a : actual) sum += a;
      f.mean_days = days(Duration{sum}, count);
      std::sort(actual.begin(), actual.end());
      const std::size_t n = actual.size();
      const std::int64_t twice_median =
          n % 2 == 1 ? 2 * actual[n / 2] : actual[n / 2 - 1] + actual[n / 2];
      f.median_days = static_cast<double>(twice_median) / 2.0 / static_cast<double>(day.count());
      f.overdue_share = share(overdue, count);
    }
    return f;
  }
};

// A unit's overdue dossiers: how many, and the first kMaxOverdueListed by code.
struct OverdueAcc {
  std::int64_t total = 0;
  std::set<OverdueDossier> first;

  void add(OverdueDossier d) {
    ++total;
    if (first.size() == kMaxOverdueListed && !(d < *first.rbegin())) return;
    first.insert(std::move(d));
    if (first.size() > kMaxOverdueListed) first.erase(std::prev(first.end()));
  }
};

struct TimeAcc {
  std::int64_t count = 0;
  Duration total{};
};

std::uint64_t key(std::uint32_t a, std::uint32_t b) {
  return (std::uint64_t{a} << 32) | b;
}

// Working time the limit gives a dossier received at `received` (§8.11): exactly N days for Nwd.
std::optional<Duration> limit_time(const calendar::WorkingCalendar& cal, Moment received,
                                   const calendar::Limit& limit) {
  const std::optional<Moment> due = calendar::compute_due(cal, received, limit);
  if (!due) return std::nullopt;
  return cal.between(received, *due);
}

}  // namespace

struct Collector::State {
  Interner units, fields, procedures;
  std::unordered_map<std::uint32_t, NameChoice> unit_names, field_names, procedure_names;
  std::unordered_map<std::uint64_t, ResultsCounts> results;  // (unit, field)
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>, ReductionAcc> reduction;
  std::unordered_map<std::uint32_t, Index766Counts> index766;  // unit
  std::unordered_map<std::uint32_t, OverdueAcc> overdue;       // unit
  std::unordered_map<std::uint32_t, TimeAcc> procedure_times;
  std::size_t read = 0;
  const engine::UnitRegister* register_ = nullptr;
  std::set<std::string, std::less<>> unknown_units;  // counting units the register lacks
  std::int64_t unknown_dossiers = 0;

  // A dossier's keys (§8.3), its names offered for them.
  struct Keys {
    std::uint32_t unit, field, procedure;
  };
  Keys keys_of(const Dossier& d, std::string_view unit, const engine::ProcedureRule* rule,
               Moment received);

  // What one dossier adds to each report.
  void add_results(const Keys& k, const engine::PeriodCounts& c, const Dossier& d,
                   const engine::Evaluation& eval);
  void add_reduction(const Keys& k, const engine::PeriodCounts& c, const engine::Judgement& j,
                     const engine::Evaluation& eval, const engine::ProcedureRule* rule,
                     const calendar::WorkingCalendar& calendar);
  void add_766(const Keys& k, const engine::PeriodCounts& c, const engine::Judgement& j,
               const engine::Evaluation& eval, const calendar::WorkingCalendar& calendar);

  // Each report from the sums.
  const std::string& name_of(std::unordered_map<std::uint32_t, NameChoice>& names,
                             std::uint32_t id) {
    return names[id].name;
  }
  // A unit's display name: the register's, else its dossiers' DonViXuLy.
  std::string unit_name(std::uint32_t u) {
    const std::string_view registered = register_->name_of(units.name(u));
    return registered.empty() ? name_of(unit_names, u) : std::string(registered);
  }
  ResultsReport results_report(const Inputs& inputs);
  ClaimedReport claimed_report(const Inputs& inputs, const ResultsReport& ours);
  ReductionReport reduction_report(const Inputs& inputs);
  Index766Report index766_report(const Inputs& inputs);
};

Collector::Collector(const calendar::WorkingCalendar& calendar, const engine::Catalogue& catalogue,
                     Inputs inputs, const engine::UnitRegister& units)
    : calendar_(calendar),
      catalogue_(catalogue),
      units_(units),
      inputs_(std::move(inputs)),
      state_(std::make_unique<State>()) {
  state_->register_ = &units_;
}

Collector::~Collector() = default;

void Collector::add(const DossierTimeline& tl) {
  State& s = *state_;
  ++s.read;
  const Dossier& d = tl.dossier;
  const engine::ProcedureRule* rule = catalogue_.find(d.procedure_code);
  engine::evaluate(tl, rule, calendar_, inputs_.settings, inputs_.as_of, eval_);
  const engine::Judgement j = engine::judgement_of(eval_);
  const engine::PeriodCounts c = engine::count_in_period(j, inputs_.period.start);
  if (!c.handled() && !c.handled_766) return;
  const std::string_view counting = units_.counting_unit(d, inputs_.units.options.count_under);
  if (!units_.empty() && units_.find(counting) == nullptr) {
    ++s.unknown_dossiers;
    if (s.unknown_units.find(counting) == s.unknown_units.end()) {
      s.unknown_units.emplace(counting);
      if (s.unknown_units.size() > kMaxUnknownUnitsListed)
        s.unknown_units.erase(--s.unknown_units.end());
    }
  }
  const std::string_view shown =
      units_.shown_as(counting, inputs_.period.last_day(), inputs_.units.options.successors);
  const State::Keys k = s.keys_of(d, shown, rule, j.received);
  if (c.handled()) s.add_results(k, c, d, eval_);
  if (c.resolved) s.add_reduction(k, c, j, eval_, rule, calendar_);
  if (c.handled_766) s.add_766(k, c, j, eval_, calendar_);
}

// Keys (§8.3): unit = the unit the register shows the dossier under (the MaHoSo prefix without
// a register); field = MaLinhVuc, else the catalogue's; procedure = the catalogue's code (a
// province-local code joins its national one), else MaTTHC.
Collector::State::Keys Collector::State::keys_of(const Dossier& d, std::string_view unit,
                                                 const engine::ProcedureRule* rule,
                                                 Moment received) {
  const auto own_or_rule = [rule](const std::string& own, std::string engine::ProcedureRule::*m) {
    return !own.empty() ? std::string_view(own)
                        : (rule != nullptr ? std::string_view(rule->*m) : "");
  };
  Keys k{};
  k.unit = units.id(unit);
  k.field = fields.id(own_or_rule(d.field_code, &engine::ProcedureRule::field_code));
  k.procedure = procedures.id(rule != nullptr ? std::string_view(rule->code) : d.procedure_code);
  unit_names[k.unit].offer(d.unit_name, received, d.code);
  field_names[k.field].offer(own_or_rule(d.field_name, &engine::ProcedureRule::field_name),
                             received, d.code);
  procedure_names[k.procedure].offer(own_or_rule(d.procedure_name, &engine::ProcedureRule::name),
                                     received, d.code);
  return k;
}

void Collector::State::add_results(const Keys& k, const engine::PeriodCounts& c, const Dossier& d,
                                   const engine::Evaluation& eval) {
  ResultsCounts& r = results[key(k.unit, k.field)];
  if (c.received) ++(d.channel == Channel::Online ? r.received_online : r.received_direct);
  if (c.carried_over) ++r.carried_over;
  if (c.resolved) {
    ++(c.outcome == Outcome::Early    ? r.resolved_early
       : c.outcome == Outcome::OnTime ? r.resolved_on_time
                                      : r.resolved_overdue);
  }
  if (c.pending) ++(c.pending_overdue ? r.pending_overdue : r.pending_in_time);
  const bool resolved_overdue = c.resolved && c.outcome == Outcome::Overdue;
  if (resolved_overdue || (c.pending && c.pending_overdue)) {
    overdue[k.unit].add(
        {d.code, resolved_overdue, eval.effective_due, resolved_overdue ? eval.end : std::nullopt});
  }
}

void Collector::State::add_reduction(const Keys& k, const engine::PeriodCounts& c,
                                     const engine::Judgement& j, const engine::Evaluation& eval,
                                     const engine::ProcedureRule* rule,
                                     const calendar::WorkingCalendar& calendar) {
  ReductionAcc& a = reduction[{k.unit, k.field, k.procedure}];
  ++a.count;
  if (c.outcome == Outcome::Overdue) ++a.overdue;
  a.actual.push_back(eval.used.count());
  if (rule == nullptr || !rule->legal.has_due()) return;
  const auto legal = limit_time(calendar, j.received, rule->legal);
  const auto reduced =
      limit_time(calendar, j.received, rule->reduced.has_due() ? rule->reduced : rule->legal);
  if (legal && reduced) {
    ++a.with_limit;
    a.legal += *legal;
    a.reduced += *reduced;
    a.actual_limited += eval.used;
    if (eval.used <= *reduced) ++a.within_reduced;
  }
}

void Collector::State::add_766(const Keys& k, const engine::PeriodCounts& c,
                               const engine::Judgement& j, const engine::Evaluation& eval,
                               const calendar::WorkingCalendar& calendar) {
  Index766Counts& r = index766[k.unit];
  if (j.many_requests) ++r.many_requests;
  if (c.resolved_766) {
    ++(c.outcome_766 == Outcome::Early    ? r.resolved_early
       : c.outcome_766 == Outcome::OnTime ? r.resolved_on_time
                                          : r.resolved_overdue);
    // Net processing time to the 766 end: the end, or the supplement request it waits on.
    TimeAcc& t = procedure_times[k.procedure];
    ++t.count;
    t.total += j.ended ? eval.used : calendar.between(*eval.clock_start, j.end_766, eval.pauses);
  } else {
    ++(c.good_766 ? r.pending_in_time : r.pending_overdue);
  }
}

Reports Collector::finish() {
  State& s = *state_;
  inputs_.units.unknown_dossiers = s.unknown_dossiers;
  inputs_.units.unknown_units.assign(s.unknown_units.begin(), s.unknown_units.end());
  Reports out;
  out.dossiers_read = s.read;
  out.results = s.results_report(inputs_);
  out.claimed = s.claimed_report(inputs_, out.results);
  out.reduction = s.reduction_report(inputs_);
  out.index766 = s.index766_report(inputs_);
  return out;
}

// Results: units by code, each unit's subtotal then its fields by code.
ResultsReport Collector::State::results_report(const Inputs& inputs) {
  ResultsReport r;
  r.inputs = inputs;
  std::map<std::string, std::map<std::string, std::uint32_t>> order;  // unit → field → id
  std::map<std::string, std::uint32_t> unit_ids;
  for (const auto& [k, counts] : results) {
    const auto u = static_cast<std::uint32_t>(k >> 32);
    const auto f = static_cast<std::uint32_t>(k & 0xFFFFFFFFU);
    order[units.name(u)][fields.name(f)] = f;
    unit_ids[units.name(u)] = u;
  }
  for (const auto& [unit_code, field_ids] : order) {
    const std::uint32_t u = unit_ids[unit_code];
    ResultsRow subtotal{unit_code, unit_name(u), std::nullopt, "", {}};
    const std::size_t at = r.rows.size();
    r.rows.push_back(subtotal);
    for (const auto& [field_code, f] : field_ids) {
      const ResultsCounts& counts = results[key(u, f)];
      r.rows[at].counts.add(counts);
      r.rows.push_back(
          {unit_code, subtotal.unit_name, field_code, name_of(field_names, f), counts});
    }
    r.total.add(r.rows[at].counts);
  }
  return r;
}

// Claimed: our figures of each unit (its subtotal) with no claim yet; every unit's overdue
// dossiers for add_claims to show where a claim differs.
ClaimedReport Collector::State::claimed_report(const Inputs& inputs, const ResultsReport& ours) {
  ClaimedReport r;
  r.inputs = inputs;
  for (const ResultsRow& row : ours.rows) {
    if (row.field) continue;
    ClaimedRow c;
    c.unit = row.unit;
    c.unit_name = row.unit_name;
    c.ours = figures_of(row.counts);
    r.rows.push_back(std::move(c));
  }
  for (auto& [u, acc] : overdue) {
    r.overdue[units.name(u)] = {{acc.first.begin(), acc.first.end()}, acc.total};
  }
  return r;
}

// Reduction: unit roll-up, field roll-up, procedures.
ReductionReport Collector::State::reduction_report(const Inputs& inputs) {
  const Duration day = inputs.day_length;
  ReductionReport r;
  r.inputs = inputs;
  std::vector<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> keys;
  for (const auto& [k, acc] : reduction) keys.push_back(k);
  const auto names = [this](const auto& k) {
    return std::tie(units.name(std::get<0>(k)), fields.name(std::get<1>(k)),
                    procedures.name(std::get<2>(k)));
  };
  std::sort(keys.begin(), keys.end(),
            [&](const auto& a, const auto& b) { return names(a) < names(b); });
  ReductionAcc total;
  for (std::size_t i = 0; i < keys.size();) {
    const std::uint32_t u = std::get<0>(keys[i]);
    const std::string name = unit_name(u);
    const std::size_t unit_row = r.rows.size();
    r.rows.push_back({units.name(u), name, std::nullopt, "", std::nullopt, "", {}});
    ReductionAcc unit_acc;
    while (i < keys.size() && std::get<0>(keys[i]) == u) {
      const std::uint32_t f = std::get<1>(keys[i]);
      const std::string field_name = name_of(field_names, f);
      const std::size_t field_row = r.rows.size();
      r.rows.push_back({units.name(u), name, fields.name(f), field_name, std::nullopt, "", {}});
      ReductionAcc field_acc;
      while (i < keys.size() && std::get<0>(keys[i]) == u && std::get<1>(keys[i]) == f) {
        const std::uint32_t p = std::get<2>(keys[i]);
        ReductionAcc& acc = reduction[keys[i]];
        field_acc.add(acc);
        r.rows.push_back({units.name(u), name, fields.name(f), field_name, procedures.name(p),
                          name_of(procedure_names, p), acc.figures(day)});
        ++i;
      }
      unit_acc.add(field_acc);
      r.rows[field_row].figures = field_acc.figures(day);
    }
    total.add(unit_acc);
    r.rows[unit_row].figures = unit_acc.figures(day);
  }
  r.total = total.figures(day);
  return r;
}

// Decision 766: units by code; indicator 2.2 by procedure code.
Index766Report Collector::State::index766_report(const Inputs& inputs) {
  const Duration day = inputs.day_length;
  const auto by_code = [](const Interner& names) {
    return [&names](std::uint32_t a, std::uint32_t b) { return names.name(a) < names.name(b); };
  };
  Index766Report r;
  r.inputs = inputs;
  std::vector<std::uint32_t> unit_ids;
  for (const auto& [u, counts] : index766) unit_ids.push_back(u);
  std::sort(unit_ids.begin(), unit_ids.end(), by_code(units));
  for (const std::uint32_t u : unit_ids) {
    r.rows.push_back({units.name(u), unit_name(u), index766[u]});
    r.total.add(index766[u]);
  }
  std::vector<std::uint32_t> procedure_ids;
  for (const auto& [p, t] : procedure_times) procedure_ids.push_back(p);
  std::sort(procedure_ids.begin(), procedure_ids.end(), by_code(procedures));
  const auto mean = [day](const TimeAcc& t) -> std::optional<double> {
    if (t.count == 0) return std::nullopt;
    return static_cast<double>(t.total.count()) / static_cast<double>(t.count) /
           static_cast<double>(day.count());
  };
  TimeAcc all;
  for (const std::uint32_t p : procedure_ids) {
    const TimeAcc& t = procedure_times[p];
    all.count += t.count;
    all.total += t.total;
    r.procedures.push_back({procedures.name(p), name_of(procedure_names, p), t.count, mean(t)});
  }
  r.all_procedures = {"", "", all.count, mean(all)};
  return r;
}

std::string catalogue_version(const engine::Catalogue& catalogue) {
  std::vector<const engine::ProcedureRule*> rules;
  for (const auto& r : catalogue.rules()) rules.push_back(&r);
  std::sort(rules.begin(), rules.end(),
            [](const auto* a, const auto* b) { return a->code < b->code; });
  std::string text;
  for (const auto* r : rules) {
    text += r->code + '\t' + r->field_code + '\t' + calendar::to_string(r->legal) + '\t' +
            calendar::to_string(r->reduced) + '\t' + calendar::to_string(r->online) + '\n';
  }
  return "sha256:" + sha256_hex(text).substr(0, 16);
}

std::string units_version(const engine::UnitRegister& units) {
  return "sha256:" + sha256_hex(units.content()).substr(0, 16);
}

const engine::UnitRegister& no_units() {
  static const engine::UnitRegister none;
  return none;
}

Inputs make_inputs(const Period& period, Moment as_of, const calendar::WorkingCalendar& calendar,
                   const engine::Catalogue& catalogue, const engine::Settings& settings,
                   const engine::UnitRegister& units, const engine::UnitOptions& unit_options) {
  Inputs in;
  in.period = period;
  in.as_of = as_of;
  in.calendar_version = calendar.version();
  const auto first = static_cast<int>(std::chrono::year_month_day{day_of(period.start)}.year());
  const auto last = static_cast<int>(std::chrono::year_month_day{period.last_day()}.year());
  for (int y = first; y <= last; ++y) {
    if (calendar.covers_year(y) && calendar.is_provisional(y)) in.provisional_years.push_back(y);
  }
  in.catalogue_version = catalogue_version(catalogue);
  in.settings = settings;
  in.day_length = calendar.day_length();
  if (!units.empty()) in.units.register_version = units_version(units);
  in.units.options = unit_options;
  return in;
}

Result<Reports> build_reports(store::Reader& reader, const calendar::WorkingCalendar& calendar,
                              const engine::Catalogue& catalogue, const Inputs& inputs,
                              const engine::UnitRegister& units) {
  Collector collector(calendar, catalogue, inputs, units);
  store::PeriodFilter filter;
  filter.start = inputs.period.start;
  filter.end = inputs.period.end;
  filter.finished_is_pending = inputs.settings.judge_by == engine::JudgeBy::Return;
  TTHC_TRY_VOID(reader.scan_period(filter, store::ScanOptions{}, [&](store::StoredTimeline& st) {
    collector.add(st.timeline);
    return true;
  }));
  Reports reports = collector.finish();
  TTHC_TRY(const auto claims, claims_of_period(reader, inputs.period));
  add_claims(reports.claimed, claims);
  return reports;
}

}  // namespace tthc::reports
