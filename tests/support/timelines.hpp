#pragma once
// Dossiers as the engine, the live state and the reports receive them, for tests that build
// their own timelines.

#include "domain/dossier.hpp"

#include <string>
#include <utility>

namespace tthc::test {

/// Dossier `code` of `procedure`, received at `received`, its latest status `status`; no
/// progress yet.
inline DossierTimeline timeline(std::string code, std::string procedure, Moment received,
                                Status status = Status::InProcess) {
  DossierTimeline tl;
  tl.dossier.code = std::move(code);
  tl.dossier.procedure_code = std::move(procedure);
  tl.dossier.status = status;
  tl.dossier.received = received;
  return tl;
}

}  // namespace tthc::test
