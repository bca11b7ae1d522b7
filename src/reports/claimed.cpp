#include "reports/claimed.hpp"

#include "reports/json_text.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

namespace tthc::reports {

namespace {

bool overdue_differs(const ClaimedFigures& claimed, const ClaimedFigures& ours) {
  const auto differs = [](const std::optional<std::int64_t>& a,
                          const std::optional<std::int64_t>& b) { return a && a != b; };
  return differs(claimed.resolved_overdue, ours.resolved_overdue) ||
         differs(claimed.pending_overdue, ours.pending_overdue) ||
         differs(claimed.resolved_on_time, ours.resolved_on_time) ||
         differs(claimed.pending_in_time, ours.pending_in_time);
}

}  // namespace

void add_claims(ClaimedReport& report, std::span<const store::StoredClaimedStats> claims) {
  std::map<std::string, ClaimedRow> ours;  // by unit: our figures are the same in its rows
  for (ClaimedRow& row : report.rows) ours.emplace(row.unit, std::move(row));
  std::set<std::string> claimed_units;
  std::vector<ClaimedRow> rows;
  for (const store::StoredClaimedStats& c : claims) {
    ClaimedRow row;
    if (auto it = ours.find(c.stats.unit); it != ours.end()) {
      row.ours = it->second.ours;
      row.unit_name = it->second.unit_name;
    } else {
      row.ours = figures_of(ResultsCounts{});
    }
    row.unit = c.stats.unit;
    if (!c.stats.unit_name.empty()) row.unit_name = c.stats.unit_name;
    row.kind = c.stats.kind;
    row.claimed = c.stats.figures;
    row.difference = difference(*row.claimed, row.ours);
    row.note = c.stats.note;
    row.sender = c.sender;
    row.arrived_unix = c.arrived_unix;
    if (auto it = report.overdue.find(c.stats.unit);
        it != report.overdue.end() && overdue_differs(*row.claimed, row.ours)) {
      row.overdue = it->second.first;
      row.overdue_total = it->second.total;
    }
    claimed_units.insert(row.unit);
    rows.push_back(std::move(row));
  }
  for (auto& [unit, row] : ours) {
    if (claimed_units.contains(unit)) continue;
    ClaimedRow claimless;
    claimless.unit = unit;
    claimless.unit_name = row.unit_name;
    claimless.ours = row.ours;
    rows.push_back(std::move(claimless));
  }
  std::sort(rows.begin(), rows.end(), [](const ClaimedRow& a, const ClaimedRow& b) {
    return std::tie(a.unit, a.kind) < std::tie(b.unit, b.kind);
  });
  report.rows = std::move(rows);
}

std::vector<std::pair<std::string, double>> on_time_rate_gaps(const ClaimedReport& report) {
  std::vector<std::pair<std::string, double>> out;
  for (const ClaimedRow& row : report.rows) {
    if (!row.difference || !row.difference->on_time_rate) continue;
    if (!out.empty() && out.back().first == row.unit) continue;
    out.emplace_back(row.unit, *row.difference->on_time_rate);
  }
  return out;
}

std::string dvcqg_payload(const ResultsReport& r) {
  const std::string month = std::to_string(r.inputs.period.month);
  const std::string year = std::to_string(r.inputs.period.year);
  std::vector<std::string> records;
  for (const ResultsRow& row : r.rows) {
    if (row.field) continue;
    const ClaimedFigures f = figures_of(row.counts);
    const auto n = [](const std::optional<std::int64_t>& v) {
      return std::to_string(v.value_or(0));
    };
    std::string percent;
    if (f.on_time_rate) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2f", *f.on_time_rate * 100.0);
      percent = buf;
    }
    records.push_back(JsonObject()
                          .text("Thang", month)
                          .text("Nam", year)
                          .text("Madonvi", row.unit)
                          .text("SoNhanTrongKy", n(f.received))
                          .text("SoTonKyTruoc", n(f.carried_over))
                          .text("TongSoXuLy", n(f.to_process))
                          .text("TongDaXuLy", n(f.resolved))
                          .text("TongXuLyDungHan", n(f.resolved_on_time))
                          .text("PhanTramXuLyDungHan", percent)
                          .text("TongXuLyTreHan", n(f.resolved_overdue))
                          .text("TongChuaXuLy", n(f.pending))
                          .text("TongChuaXuLyTrongHan", n(f.pending_in_time))
                          .text("TongChuaXuLyTreHan", n(f.pending_overdue))
                          .text("GhiChu", "")
                          .text("TenDonVi", row.unit_name)
                          .text("LoaiThongKe", "")
                          .str());
  }
  std::string out = "{\n  \"service\": \"DongBoThongKeHoSo\",\n";
  append_json_lines(out, "data", records.data(), records.size(), true);
  out += "}\n";
  return out;
}

}  // namespace tthc::reports
