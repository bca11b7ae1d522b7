#pragma once
// A dossier (hồ sơ) as the monitor knows it: the fields of the freshest sync snapshot, the
// history of its promised due date, and its merged progress entries. Field names follow the
// MC sync record (domain.md §2); the Vietnamese name is given once, here.

#include "domain/status.hpp"
#include "domain/time.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tthc {

/// One supplementation round (DanhSachHoSoBoSung[]).
struct SupplementRound {
  std::optional<Moment> requested;   ///< NgayBoSung: the office asks for documents
  std::optional<Moment> received;    ///< NgayTiepNhanBoSung: the supplement arrives
  std::optional<Moment> due_before;  ///< NgayHenTraTruoc
  std::optional<Moment> due_after;   ///< NgayHenTraMoi: the due date after the round
  friend bool operator==(const SupplementRound&, const SupplementRound&) = default;
};

/// One step of the internal workflow (QuaTrinhXuLy[], CapNhatTienDoHoSoMC).
/// `handler` and `handler_title` are personal data: never a metric label, never logged at info.
struct ProgressEntry {
  Moment at;                            ///< ThoiDiemXuLy: time of the action
  Status status = Status::InProcess;    ///< TrangThai
  std::string department;               ///< PhongBanXuLy: carries the delay of a late step
  std::string handler;                  ///< NguoiXuLy
  std::string handler_title;            ///< ChucDanh
  std::string action;                   ///< NoiDungXuLy
  std::optional<Moment> step_start;     ///< NgayBatDau
  std::optional<Moment> step_deadline;  ///< NgayKetThucTheoQuyDinh
  friend bool operator==(const ProgressEntry&, const ProgressEntry&) = default;
};

/// Progress entries are merged by (MaHoSo, ThoiDiemXuLy, TrangThai, PhongBanXuLy) and kept in
/// this order.
bool progress_before(const ProgressEntry& a, const ProgressEntry& b);
bool same_progress_key(const ProgressEntry& a, const ProgressEntry& b);
void sort_progress(std::vector<ProgressEntry>& entries);

struct Dossier {
  std::string code;                      ///< MaHoSo, e.g. 000.00.12.H42-250715-0001
  std::string procedure_code;            ///< MaTTHC
  std::string procedure_name;            ///< TenTTHC
  std::string field_code;                ///< MaLinhVuc
  std::string field_name;                ///< TenLinhVuc
  std::string unit_name;                 ///< DonViXuLy
  Channel channel = Channel::InPerson;   ///< KenhThucHien; missing = in person
  Status status = Status::Registered;    ///< TrangThaiHoSo
  std::optional<Moment> submitted;       ///< NgayNopHoSo
  std::optional<Moment> received;        ///< NgayTiepNhan: the clock starts here
  std::optional<Moment> promised_due;    ///< NgayHenTra as in this snapshot
  std::optional<Moment> processing_end;  ///< NgayKetThucXuLy
  std::optional<Moment> returned;        ///< NgayTra
  std::vector<SupplementRound> rounds;   ///< DanhSachHoSoBoSung

  /// The receiving unit's code: MaHoSo before the first '-'; empty when there is no '-'.
  std::string_view unit_code() const;
};

/// Everything the engine needs about one dossier.
struct DossierTimeline {
  Dossier dossier;                      ///< fields of the freshest snapshot
  std::vector<Moment> due_history;      ///< each change of NgayHenTra, in arrival order
  std::vector<ProgressEntry> progress;  ///< merged entries, sorted by progress_before
};

}  // namespace tthc
