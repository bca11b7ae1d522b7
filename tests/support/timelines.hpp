#pragma once
// Dossiers and their progress as the engine, the live state, the store and the reports receive
// them, for tests that build their own timelines.

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

/// A progress entry: `status` from `at` at `department`, handled by `handler`.
inline ProgressEntry progress_entry(Moment at, Status status, std::string department,
                                    std::string handler = "") {
  ProgressEntry e;
  e.at = at;
  e.status = status;
  e.department = std::move(department);
  e.handler = std::move(handler);
  return e;
}

}  // namespace tthc::test
