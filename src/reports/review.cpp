#include "reports/review.hpp"

#include "engine/period.hpp"
#include "reports/collect.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>
#include <unordered_map>

namespace tthc::reports {

namespace {

std::optional<double> ratio(double a, double b) {
  if (b <= 0) return std::nullopt;
  return a / b;
}

}  // namespace

std::string YearSpan::label() const {
  return first == last ? std::to_string(first)
                       : std::to_string(first) + ".." + std::to_string(last);
}

Result<YearSpan> parse_year_span(std::string_view text) {
  const auto year = [](std::string_view t) -> std::optional<int> {
    int y = 0;
    const auto r = std::from_chars(t.data(), t.data() + t.size(), y);
    if (t.size() != 4 || r.ec != std::errc() || r.ptr != t.data() + t.size()) return std::nullopt;
    if (y < 2000 || y > 2100) return std::nullopt;
    return y;
  };
  const std::string shown = "\"" + std::string(text) + "\"";
  const auto dots = text.find("..");
  const auto first = year(text.substr(0, dots));
  const auto last = dots == std::string_view::npos ? first : year(text.substr(dots + 2));
  if (!first || !last) {
    return Error{"not a year or a span of years: " + shown +
                 " (expected YYYY or YYYY..YYYY, 2000-2100; a review covers whole years)"};
  }
  if (*last < *first) return Error{"the span " + shown + " ends before it starts"};
  if (*last - *first + 1 > kMaxReviewYears) {
    return Error{"the span " + shown + " is longer than " + std::to_string(kMaxReviewYears) +
                 " years"};
  }
  return YearSpan{*first, *last};
}

std::optional<double> ReviewCounts::on_time_rate() const {
  return ratio(static_cast<double>(on_time), static_cast<double>(resolved));
}
std::optional<double> ReviewCounts::overdue_per_1000() const {
  return ratio(1000.0 * static_cast<double>(overdue), static_cast<double>(resolved));
}
std::optional<double> ReviewCounts::actual_reduction() const {
  return ratio(legal_days - actual_days, legal_days);
}
std::optional<double> ReviewCounts::committed_reduction() const {
  return ratio(legal_days - reduced_days, legal_days);
}
std::optional<double> ReviewCounts::beyond_commitment() const {
  const auto a = actual_reduction();
  const auto c = committed_reduction();
  if (!a || !c) return std::nullopt;
  return *a - *c;
}

void ReviewCounts::add(const ReviewCounts& o) {
  using C = ReviewCounts;
  add_members(*this, o, &C::resolved, &C::on_time, &C::overdue, &C::with_limit, &C::legal_days,
              &C::reduced_days, &C::actual_days);
}

Composite composite_of(const ReviewCounts& span) {
  Composite c;
  if (const auto r = span.on_time_rate()) c.on_time = 100 * *r;
  if (const auto o = span.overdue_per_1000()) c.overdue = std::max(0.0, 100 - *o / 10);
  const auto actual = span.actual_reduction();
  const auto committed = span.committed_reduction();
  if (actual && committed && *committed > 0) {
    c.reduction = 100 * std::clamp(*actual / *committed, 0.0, 1.0);
  } else if (actual) {
    c.reduction = *actual >= 0 ? 100.0 : 0.0;  // no reduction promised: within the legal limit
  }
  double sum = 0, weights = 0;
  const auto part = [&](const std::optional<double>& p, double w) {
    if (!p) return;
    sum += w * *p;
    weights += w;
  };
  part(c.on_time, kWeightOnTime);
  part(c.overdue, kWeightOverdue);
  part(c.reduction, kWeightReduction);
  if (weights > 0) c.score = sum / weights;
  return c;
}

namespace {

// One reporting year being collected: the monthly reports' collector over the year, and the
// steps its departments closed in it.
struct YearSlot {
  Period period;
  const engine::UnitRegister* units = nullptr;
  Inputs inputs;
  std::unique_ptr<Collector> collector;
  std::unordered_map<std::string, ReviewCounts> departments;  // unit '\x1f' department
  std::int64_t unknown_procedures = 0;
  Reports reports;
};

// What a dossier judged at the slot's end adds besides the collector's counts.
void record(YearSlot& slot, const DossierTimeline& tl, const engine::Evaluation& e,
            std::string& key) {
  if (!e.counted) return;  // refused, never received...: neither its steps nor its procedure
  const engine::PeriodCounts c = engine::count_in_period(e, slot.period.start);
  if (c.handled() && e.has(engine::kFlagUnknownProcedure)) ++slot.unknown_procedures;
  for (const engine::Step& s : e.steps) {
    if (!s.end || *s.end < slot.period.start || *s.end >= slot.period.end) continue;
    // The unit the collector counts the dossier under, so departments sit under their unit.
    const engine::UnitOptions& o = slot.inputs.units.options;
    key = slot.units->shown_as(slot.units->counting_unit(tl.dossier, o.count_under),
                               slot.period.last_day(), o.successors);
    key += '\x1f';
    key += tl.progress[s.entry].department;
    auto it = slot.departments.find(key);
    if (it == slot.departments.end()) it = slot.departments.emplace(key, ReviewCounts{}).first;
    ++it->second.resolved;
    ++(s.overdue ? it->second.overdue : it->second.on_time);
  }
}

// Each dossier is judged at the last year's end first; that judgement says which earlier years
// it can count in (received before their end, not ended before their start), and only those
// judge it again: facts dated before an earlier year's end are the same at both moments.
void add_dossier(std::vector<YearSlot>& slots, const DossierTimeline& tl, std::string& key,
                 std::size_t& judgements) {
  YearSlot& last = slots.back();
  last.collector->add(tl);
  ++judgements;
  const engine::Evaluation& e = last.collector->last_evaluation();
  record(last, tl, e, key);
  if (!e.counted || !e.received) return;
  const Moment received = *e.received;
  // Not ended: as if it ended at the end of time (a plain Moment: GCC's -O2 sees an optional
  // here as maybe uninitialised).
  const Moment end = e.ended && e.end ? *e.end : Moment::max();
  for (std::size_t i = slots.size() - 1; i-- > 0;) {
    YearSlot& s = slots[i];
    if (received >= s.period.end) break;  // and every earlier year ended before it came
    if (end < s.period.start) continue;
    s.collector->add(tl);
    ++judgements;
    record(s, tl, s.collector->last_evaluation(), key);
  }
}

}  // namespace

namespace {

// A unit's counts in a year from the year's reports: its subtotal of form II.06a, its roll-up of
// the reduction report (sums recovered from its means).
struct UnitYear {
  std::string name;
  ReviewCounts counts;
};

std::map<std::string, UnitYear> unit_years(const Reports& r) {
  std::map<std::string, UnitYear> out;
  for (const ResultsRow& row : r.results.rows) {
    if (row.field) continue;
    UnitYear& u = out[row.unit];
    u.name = row.unit_name;
    const ResultsCounts& c = row.counts;
    u.counts.resolved = c.resolved_total();
    u.counts.on_time = c.resolved_early + c.resolved_on_time;
    u.counts.overdue = c.resolved_overdue + c.pending_overdue;
  }
  for (const ReductionRow& row : r.reduction.rows) {
    if (row.field) continue;
    const ReductionFigures& f = row.figures;
    ReviewCounts& c = out[row.unit].counts;
    c.with_limit = f.with_limit;
    const auto n = static_cast<double>(f.with_limit);
    c.legal_days = f.legal_days.value_or(0) * n;
    c.reduced_days = f.reduced_days.value_or(0) * n;
    c.actual_days = c.legal_days * (1 - f.actual_reduction.value_or(0));
  }
  return out;
}

// The year with the lowest on-time rate (ties: the earlier).
std::optional<int> worst_of(const std::vector<ReviewCounts>& years) {
  std::optional<int> worst;
  std::optional<double> lowest;
  for (std::size_t i = 0; i < years.size(); ++i) {
    const auto r = years[i].on_time_rate();
    if (r && (!lowest || *r < *lowest)) {
      lowest = r;
      worst = static_cast<int>(i);
    }
  }
  return worst;
}

// Best first by the composite, ties by code; units with too few resolved dossiers are not ranked.
void rank_units(std::vector<ReviewRow>& rows) {
  std::vector<ReviewRow*> ranked;
  for (ReviewRow& r : rows) {
    if (!r.department && r.composite.score && r.span.resolved >= kMinResolvedToRank) {
      ranked.push_back(&r);
    }
  }
  std::sort(ranked.begin(), ranked.end(), [](const ReviewRow* a, const ReviewRow* b) {
    if (*a->composite.score != *b->composite.score)
      return *a->composite.score > *b->composite.score;
    return a->unit < b->unit;
  });
  for (std::size_t i = 0; i < ranked.size(); ++i) ranked[i]->rank = static_cast<int>(i) + 1;
}

// Rows for one unit and the departments its dossiers' steps were held by.
struct Grouped {
  std::string name;
  std::vector<ReviewCounts> years, before;
  std::map<std::string, std::pair<std::vector<ReviewCounts>, std::vector<ReviewCounts>>> depts;
};

ReviewRow make_row(const std::string& unit, const std::string& name,
                   std::optional<std::string> dept, const std::vector<ReviewCounts>& years,
                   const std::vector<ReviewCounts>& before, bool before_has_data) {
  ReviewRow row;
  row.unit = unit;
  row.unit_name = name;
  row.department = std::move(dept);
  row.years = years;
  for (const ReviewCounts& y : years) row.span.add(y);
  if (before_has_data) {
    row.before.emplace();
    for (const ReviewCounts& y : before) row.before->add(y);
  }
  if (!row.department) row.composite = composite_of(row.span);
  return row;
}

// The register's unknown codes of a year into the span's list (sorted, capped as the months').
void add_unknown_units(ReviewCaveats& c, const UnitInputs& year) {
  c.unit_register = year.recorded();
  c.unknown_unit_dossiers.push_back(year.unknown_dossiers);
  for (const std::string& u : year.unknown_units) {
    const auto at = std::lower_bound(c.unknown_units.begin(), c.unknown_units.end(), u);
    if (at == c.unknown_units.end() || *at != u) c.unknown_units.insert(at, u);
  }
  if (c.unknown_units.size() > kMaxUnknownUnitsListed)
    c.unknown_units.resize(kMaxUnknownUnitsListed);
}

void assemble(ReviewReport& out, std::vector<YearSlot>& slots, std::size_t n_before) {
  const std::size_t n_span = slots.size() - n_before;
  std::map<std::string, Grouped> units;
  const auto grow = [&](Grouped& g) {
    g.years.resize(n_span);
    g.before.resize(n_before);
  };
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const bool in_span = i >= n_before;
    const std::size_t at = in_span ? i - n_before : i;
    for (auto& [code, uy] : unit_years(slots[i].reports)) {
      Grouped& g = units[code];
      grow(g);
      if (in_span || g.name.empty()) g.name = uy.name;
      (in_span ? g.years : g.before)[at] = uy.counts;
      if (!in_span && !uy.counts.empty()) out.before_has_data = true;
    }
    for (auto& [key, counts] : slots[i].departments) {
      const auto sep = key.find('\x1f');
      Grouped& g = units[key.substr(0, sep)];
      grow(g);
      auto& d = g.depts[key.substr(sep + 1)];
      d.first.resize(n_span);
      d.second.resize(n_before);
      (in_span ? d.first : d.second)[at] = counts;
    }
  }
  for (auto& [code, g] : units) {
    out.rows.push_back(
        make_row(code, g.name, std::nullopt, g.years, g.before, out.before_has_data));
    ReviewRow& row = out.rows.back();
    row.worst_year = worst_of(row.years);
    if (row.worst_year) {
      const auto& overdue =
          slots[n_before + static_cast<std::size_t>(*row.worst_year)].reports.claimed.overdue;
      if (auto it = overdue.find(code); it != overdue.end()) row.worst_overdue = it->second;
    }
    if (!out.caveats.unit_register && g.name.empty()) out.caveats.unknown_units.push_back(code);
    for (auto& [dept, d] : g.depts) {
      out.rows.push_back(make_row(code, g.name, dept, d.first, d.second, out.before_has_data));
    }
  }
  rank_units(out.rows);
}

}  // namespace

std::optional<Error> check_request(const ReviewRequest& request) {
  if (request.start_day < 1 || request.start_day > kMaxPeriodStartDay) {
    return Error{"period start day " + std::to_string(request.start_day) + " is not in 1-28"};
  }
  const Period last = year_period(request.span.last, request.start_day);
  if (request.now <= last.start) {
    return Error{"the year " + std::to_string(request.span.last) + " starts " +
                 format_iso(last.start) + ": nothing to review yet"};
  }
  return std::nullopt;
}

Result<ReviewReport> build_review(store::Reader& reader, const calendar::WorkingCalendar& calendar,
                                  const engine::Catalogue& catalogue,
                                  const engine::Settings& settings, const ReviewRequest& request,
                                  const engine::UnitRegister& units,
                                  const engine::UnitOptions& unit_options) {
  TTHC_TRY_VOID(check_request(request));
  const YearSpan& span = request.span;
  const int n_before = span.years();
  std::vector<YearSlot> slots;
  for (int y = span.first - n_before; y <= span.last; ++y) {
    YearSlot s;
    s.period = year_period(y, request.start_day);
    const Moment as_of = std::min(s.period.end, request.now);
    s.units = &units;
    s.inputs = make_inputs(s.period, as_of, calendar, catalogue, settings, units, unit_options);
    s.collector = std::make_unique<Collector>(calendar, catalogue, s.inputs, units);
    slots.push_back(std::move(s));
  }
  ReviewReport out;
  out.span = span;
  out.start_day = request.start_day;
  store::PeriodFilter filter;
  filter.start = slots.front().period.start;
  filter.end = slots.back().period.end;
  filter.finished_is_pending = settings.judge_by == engine::JudgeBy::Return;
  std::string key;
  TTHC_TRY_VOID(reader.scan_period(filter, store::ScanOptions{}, [&](store::StoredTimeline& st) {
    ++out.dossiers_read;
    add_dossier(slots, st.timeline, key, out.judgements);
    return true;
  }));
  for (YearSlot& s : slots) s.reports = s.collector->finish();
  const auto b = static_cast<std::size_t>(n_before);
  for (std::size_t i = b; i < slots.size(); ++i) {
    out.years.push_back(slots[i].inputs);
    out.caveats.unknown_procedures.push_back(slots[i].unknown_procedures);
    add_unknown_units(out.caveats, slots[i].reports.results.inputs.units);
    for (const int y : slots[i].inputs.provisional_years) {
      auto& p = out.caveats.provisional_years;
      if (std::find(p.begin(), p.end(), y) == p.end()) p.push_back(y);
    }
  }
  assemble(out, slots, b);
  out.total_years.resize(out.years.size());
  for (const ReviewRow& r : out.rows) {
    if (r.department) continue;
    for (std::size_t i = 0; i < r.years.size(); ++i) out.total_years[i].add(r.years[i]);
    out.total_span.add(r.span);
    if (r.before) {
      if (!out.total_before) out.total_before.emplace();
      out.total_before->add(*r.before);
    }
  }
  return out;
}

}  // namespace tthc::reports
