#pragma once
// One `DongBoThongKeHoSo` record — the monthly statistics a one-stop system syncs to the
// national portal — from its JSON object text into a ClaimedStats:
//   {"Thang": "7", "Nam": "2020", "Madonvi": "...", "SoNhanTrongKy": "12", ...,
//    "PhanTramXuLyDungHan": "95.5", "GhiChu": "...", "TenDonVi": "...", "LoaiThongKe": "..."}
// Numbers may be JSON numbers or numeric strings; "" and null mean absent; other keys are
// ignored. An error names the field and the value.

#include "base/result.hpp"
#include "domain/claimed_stats.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tthc::ingest {

struct ClaimedStatsLimits {
  std::size_t max_record_bytes = 16 * 1024;
  std::size_t max_code_bytes = 64;    ///< Madonvi, LoaiThongKe
  std::size_t max_text_bytes = 1024;  ///< TenDonVi, GhiChu
  std::int64_t max_count = 100'000'000;
  int min_year = 2000;
  int max_year = 2100;
};

Result<ClaimedStats> parse_claimed_stats(std::string_view record_json,
                                         const ClaimedStatsLimits& limits = {});

}  // namespace tthc::ingest
