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
  /// The record as received, without QuaTrinhXuLy (kept in the progress table): the fields
  /// the monitor does not read are kept here, never required.
  std::string raw;
  /// §8.1: the latest moment the snapshot contains (dated fields and progress entries).
  Moment freshness{};
  /// Identifies the record's content: the same payload twice has the same hash.
  std::uint64_t content_hash = 0;
};

struct ProgressUpdate {
  std::string dossier_code;  ///< MaHoSo
  ProgressEntry entry;
};

/// The freshness of a dossier record: its latest dated field or progress entry.
Moment snapshot_freshness(const Dossier& d, const std::vector<ProgressEntry>& progress);

/// A 64-bit FNV-1a hash of text: a content fingerprint, not a security measure.
std::uint64_t content_hash(std::string_view text);

}  // namespace tthc
