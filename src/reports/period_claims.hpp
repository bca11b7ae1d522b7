#pragma once
// The statistics the one-stop systems claimed for a period (DongBoThongKeHoSo is monthly): a
// month's as stored; a longer period's made from its months' by the form's own rule, as our
// figures are — per unit and kind, the received and resolved figures added up (given only when
// every month of the period has a claim giving them), the carried-over figure the first month's,
// the pending figures the last month's, the total to process and the on-time rate computed from
// those, never averaged.

#include "base/result.hpp"
#include "reports/period.hpp"
#include "store/store.hpp"

#include <span>
#include <vector>

namespace tthc::reports {

/// The months' claims (each month's, first to last) combined into the period's, by unit then
/// kind.
std::vector<store::StoredClaimedStats> combine_claims(
    const Period& period, std::span<const std::vector<store::StoredClaimedStats>> by_month);

/// The period's claims read from the store.
Result<std::vector<store::StoredClaimedStats>> claims_of_period(store::Reader& reader,
                                                                const Period& period);

}  // namespace tthc::reports
