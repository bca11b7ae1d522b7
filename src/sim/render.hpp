#pragma once
// Rendering a dossier's snapshot as the one-stop system sends it: the DongBoHoSoMC record and
// its QuaTrinhXuLy entries, byte for byte the same for the same life and revision.

#include "sim/life.hpp"
#include "sim/province.hpp"

#include <cstddef>
#include <string>

namespace tthc::sim {

/// The first `count` progress entries of `life` as a JSON array.
void write_entries(std::string& out, const DossierLife& life, std::size_t count, Defect defect);

/// The record of `life` as of `revision`, spoiled by `defect`.
void write_record(std::string& out, const DossierLife& life, std::size_t revision, Defect defect,
                  bool embed_progress);

}  // namespace tthc::sim
