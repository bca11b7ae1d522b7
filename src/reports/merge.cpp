#include "reports/merge.hpp"

#include "reports/merge_read.hpp"

#include <algorithm>
#include <map>

namespace tthc::reports {

namespace {

// Every province must report on the very same period: the start day first (the likelier
// mistake, and the clearer message), then the whole recorded period.
std::optional<Error> agree(const ProvinceReports& first, const ProvinceReports& p) {
  if (p.start_day != first.start_day) {
    return Error{p.files_read.front() + ": period start day " + p.start_day + " differs from " +
                 first.files_read.front() + "'s " + first.start_day};
  }
  if (p.period_json != first.period_json) {
    return Error{p.files_read.front() + ": period " + p.period_json + " differs from " +
                 first.files_read.front() + "'s " + first.period_json};
  }
  return std::nullopt;
}

// Sums behind the reduction's means, so that they can be combined weighted by their counts:
// limits and shares over `with_limit`, the mean time and the overdue share over `count`.
struct ReductionSums {
  std::int64_t count = 0, with_limit = 0;
  double legal = 0, reduced = 0, actual_limited = 0, within = 0, time = 0, overdue = 0;

  void add(const ReductionFigures& f) {
    count += f.count;
    with_limit += f.with_limit;
    const auto wl = static_cast<double>(f.with_limit);
    const auto n = static_cast<double>(f.count);
    const double l = f.legal_days.value_or(0);
    legal += wl * l;
    reduced += wl * f.reduced_days.value_or(0);
    // actual_reduction = (legal − mean actual of the limited) / legal.
    actual_limited += wl * l * (1.0 - f.actual_reduction.value_or(0));
    within += wl * f.within_reduced_share.value_or(0);
    time += n * f.mean_days.value_or(0);
    overdue += n * f.overdue_share.value_or(0);
  }

  ReductionFigures figures() const {
    ReductionFigures f;
    f.count = count;
    f.with_limit = with_limit;
    if (with_limit > 0) {
      const auto wl = static_cast<double>(with_limit);
      f.legal_days = legal / wl;
      f.reduced_days = reduced / wl;
      if (legal > 0) {
        f.committed_reduction = (legal - reduced) / legal;
        f.actual_reduction = (legal - actual_limited) / legal;
      }
      f.within_reduced_share = within / wl;
    }
    if (count > 0) {
      const auto n = static_cast<double>(count);
      f.mean_days = time / n;
      f.overdue_share = overdue / n;
    }
    // median_days stays none: the provinces' medians do not give the country's.
    return f;
  }
};

// Indicator 2.2 combined: dossiers summed, the mean weighted by them.
struct TimeSums {
  ProcedureTime combined;
  double weighted = 0;
  std::int64_t with_mean = 0;

  void add(const ProcedureTime& p) {
    combined.resolved += p.resolved;
    if (p.mean_days && p.resolved > 0) {
      weighted += static_cast<double>(p.resolved) * *p.mean_days;
      with_mean += p.resolved;
    }
  }
  ProcedureTime result() const {
    ProcedureTime p = combined;
    if (with_mean > 0) p.mean_days = weighted / static_cast<double>(with_mean);
    return p;
  }
};

void merge_index766(const std::vector<ProvinceReports>& provinces, Index766Report& out) {
  std::map<std::string, TimeSums> procedures;
  TimeSums all;
  for (const ProvinceReports& p : provinces) {
    out.rows.push_back({p.source.code, p.source.name, p.index766->total});
    out.total.add(p.index766->total);
    for (const ProcedureTime& t : p.index766->procedures) {
      TimeSums& sums = procedures[t.procedure];
      sums.combined.procedure = t.procedure;
      if (sums.combined.procedure_name.empty()) sums.combined.procedure_name = t.procedure_name;
      sums.add(t);
    }
    all.add(p.index766->all_procedures);
  }
  for (const auto& [code, sums] : procedures) out.procedures.push_back(sums.result());
  out.all_procedures = all.result();
}

// The recorded inputs whose values are not the same in every province.
std::vector<std::string> differing(const std::vector<ProvinceReports>& provinces) {
  std::vector<std::string> out;
  const auto& first = provinces.front().source.inputs;
  for (std::size_t i = 0; i < first.size(); ++i) {
    for (const ProvinceReports& p : provinces) {
      if (p.source.inputs[i].second != first[i].second) {
        out.push_back(first[i].first);
        break;
      }
    }
  }
  return out;
}

MergedReports combine(std::vector<ProvinceReports> provinces, const std::vector<Kind>& kinds) {
  std::sort(provinces.begin(), provinces.end(),
            [](const ProvinceReports& a, const ProvinceReports& b) {
              return a.source.code < b.source.code;
            });
  MergedReports m;
  m.kinds = kinds;
  m.period_json = provinces.front().period_json;
  m.differing = differing(provinces);
  Inputs in;
  in.period = provinces.front().period;
  for (const ProvinceReports& p : provinces) in.as_of = std::max(in.as_of, p.as_of);
  m.reports.results.inputs = m.reports.reduction.inputs = m.reports.index766.inputs =
      m.reports.claimed.inputs = in;
  ReductionSums reduction;
  for (const ProvinceReports& p : provinces) {
    m.provinces.push_back(p.source);
    if (p.results) {
      m.reports.results.rows.push_back({p.source.code, p.source.name, {}, {}, *p.results});
      m.reports.results.total.add(*p.results);
    }
    if (p.reduction) {
      m.reports.reduction.rows.push_back(
          {p.source.code, p.source.name, {}, {}, {}, {}, *p.reduction});
      reduction.add(*p.reduction);
    }
  }
  m.reports.reduction.total = reduction.figures();
  if (provinces.front().index766) merge_index766(provinces, m.reports.index766);
  return m;
}

}  // namespace

Result<MergedReports> merge_snapshots(const std::vector<MergeInput>& inputs,
                                      const std::vector<Kind>& kinds) {
  if (inputs.empty()) return Error{"--merge: no province given"};
  for (const Kind k : kinds) {
    if (std::find(std::begin(kMergedKinds), std::end(kMergedKinds), k) == std::end(kMergedKinds)) {
      return Error{"--kind: " + std::string(to_string(k)) +
                   " is not merged (results, reduction and index766 are)"};
    }
  }
  std::vector<ProvinceReports> provinces;
  for (const MergeInput& input : inputs) {
    TTHC_TRY(ProvinceReports p, read_province(input, kinds));
    if (!provinces.empty()) TTHC_TRY_VOID(agree(provinces.front(), p));
    for (const ProvinceReports& other : provinces) {
      if (other.source.code == p.source.code) {
        return Error{p.files_read.front() + ": province " + p.source.code +
                     " is already given by " + other.files_read.front()};
      }
    }
    provinces.push_back(std::move(p));
  }
  return combine(std::move(provinces), kinds);
}

}  // namespace tthc::reports
