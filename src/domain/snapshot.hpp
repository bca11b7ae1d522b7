#pragma once
// What one sync delivers: a dossier snapshot (DongBoHoSoMC) or a progress entry on its own
// (CapNhatTienDoHoSoMC), validated and ready for the store.

#include "domain/dossier.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tthc {

struct DossierSnapshot {
  Dossier dossier;
  std::vector<ProgressEntry> progress;  ///< QuaTrinhXuLy embedded in the record, if any
  /// The record's fields the monitor does not read, as a JSON object ("{}" when none): kept,
  /// never required. The fields it reads are in `dossier`, its progress entries in `progress`.
  std::string raw;
  /// §8.1: the latest moment the snapshot records as having happened (see snapshot_freshness).
  Moment freshness{};
  /// Identifies the record's content: the same payload twice has the same hash.
  std::uint64_t content_hash = 0;
};

struct ProgressUpdate {
  std::string dossier_code;  ///< MaHoSo
  ProgressEntry entry;
};

/// The freshness of a dossier record (domain.md §8.1, read as the latest *event* it contains):
/// NgayNopHoSo, NgayTiepNhan, NgayKetThucXuLy, NgayTra, NgayBoSung, NgayTiepNhanBoSung, and each
/// progress entry's ThoiDiemXuLy and NgayBatDau. Due dates (NgayHenTra, NgayHenTraTruoc/Moi)
/// and step deadlines are left out: they are promises about the future, not news.
Moment snapshot_freshness(const Dossier& d, const std::vector<ProgressEntry>& progress);

/// A 64-bit hash of text (MurmurHash64A): a content fingerprint, not a security measure.
/// Stored in the database, so it must never change for the same input.
std::uint64_t content_hash(std::string_view text, std::uint64_t seed = 0x9E3779B97F4A7C15ULL);

}  // namespace tthc
