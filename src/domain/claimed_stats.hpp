#pragma once
// The monthly statistics a one-stop system claims for a unit (`DongBoThongKeHoSo`, the record it
// syncs to the national portal): the figures of form II.06a as the system counted them. Kept
// beside the figures the unit's own dossiers give by our rules (src/reports, kind `claimed`).

#include <cstdint>
#include <optional>
#include <string>

namespace tthc {

/// A month's figures of a unit in form II.06a's terms, under the DongBoThongKeHoSo names; none:
/// not given. The claimed ones and ours (src/reports) have this one shape.
struct StatsFigures {
  std::optional<std::int64_t> received;          ///< SoNhanTrongKy: cols 4 + 5
  std::optional<std::int64_t> carried_over;      ///< SoTonKyTruoc: col 6
  std::optional<std::int64_t> to_process;        ///< TongSoXuLy: col 3
  std::optional<std::int64_t> resolved;          ///< TongDaXuLy: col 7
  std::optional<std::int64_t> resolved_on_time;  ///< TongXuLyDungHan: cols 8 + 9
  std::optional<std::int64_t> resolved_overdue;  ///< TongXuLyTreHan: col 10
  std::optional<std::int64_t> pending;           ///< TongChuaXuLy: col 11
  std::optional<std::int64_t> pending_in_time;   ///< TongChuaXuLyTrongHan: col 12
  std::optional<std::int64_t> pending_overdue;   ///< TongChuaXuLyTreHan: col 13
  std::optional<double> on_time_rate;            ///< PhanTramXuLyDungHan / 100: col 14, 0..1

  friend bool operator==(const StatsFigures&, const StatsFigures&) = default;
};

/// One record.
struct ClaimedStats {
  int year = 0;           ///< Nam
  unsigned month = 0;     ///< Thang, 1..12
  std::string unit;       ///< Madonvi: the unit code (MaHoSo prefix)
  std::string kind;       ///< LoaiThongKe, as sent ("" when absent)
  std::string unit_name;  ///< TenDonVi
  std::string note;       ///< GhiChu
  StatsFigures figures;

  friend bool operator==(const ClaimedStats&, const ClaimedStats&) = default;
};

}  // namespace tthc
