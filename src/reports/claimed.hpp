#pragma once
// The statistics a one-stop system claims for a month (DongBoThongKeHoSo) beside the figures its
// own dossiers give by our rules, and the DongBoThongKeHoSo payload of our own figures.
// Pure functions of the data.

#include "reports/model.hpp"
#include "store/store.hpp"

#include <span>
#include <string>
#include <utility>
#include <vector>

namespace tthc::reports {

/// Puts the month's claims beside our figures (the rows Collector::finish left, one per unit):
/// a row per claim (unit, kind), a claimless row for a unit with dossiers and no claim, a row
/// with our figures all zero for a claimed unit none of whose dossiers count. A claimed row
/// lists the unit's overdue dossiers when the claimed on-time or overdue figures (cols 8+9, 10,
/// 12, 13) differ from ours.
void add_claims(ClaimedReport& report, std::span<const store::StoredClaimedStats> claims);

/// Claimed − our on-time rate of each unit where both are known (a unit's first kind only),
/// by unit code: tthc_claimed_on_time_rate_gap.
std::vector<std::pair<std::string, double>> on_time_rate_gaps(const ClaimedReport& report);

/// {"service":"DongBoThongKeHoSo","data":[...]}: a record per unit of form II.06a (its
/// subtotal), numbers as strings as the systems send them, PhanTramXuLyDungHan with two
/// decimals ("" when nothing was resolved).
std::string dvcqg_payload(const ResultsReport& r);

}  // namespace tthc::reports
