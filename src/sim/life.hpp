#pragma once
// One dossier's life: the progress entries, supplementation rounds and revisions (the
// snapshots the one-stop system sends) of a dossier from its receipt to its return, planned
// in one go from its own random stream and immutable afterwards.

#include "calendar/working_calendar.hpp"
#include "domain/status.hpp"
#include "domain/time.hpp"
#include "sim/province.hpp"
#include "sim/random.hpp"
#include "sim/tables.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tthc::sim {

struct LifeEntry {
  Moment at;
  Moment start{};     // NgayBatDau; Moment{} = absent
  Moment deadline{};  // NgayKetThucTheoQuyDinh; Moment{} = absent
  Status status = Status::InProcess;
  std::uint8_t department = 0;
  std::uint8_t handler = 0;
  std::uint8_t action = 0;
};

struct LifeRound {
  Moment requested;
  Moment received{};
  Moment due_before{};
  Moment due_after{};
};

/// The state after one change: what the snapshot of that revision shows.
struct Revision {
  Moment at;     // the change
  Moment due{};  // NgayHenTra as printed then
  Status status = Status::Registered;
  std::uint8_t entries = 0;
  std::uint8_t rounds_requested = 0;
  std::uint8_t rounds_received = 0;
  bool received = false;
  bool finished = false;
  bool returned = false;
};

struct DossierLife {
  std::shared_ptr<const Tables> tables;
  std::string code;
  std::size_t unit = 0;      // receiving unit: MaHoSo's prefix
  std::size_t resolver = 0;  // resolving unit: DonViXuLy (the receiving one but across desks)
  std::size_t procedure = 0;
  std::size_t applicant = 0;
  Channel channel = Channel::InPerson;
  bool local_code = false;
  Moment submitted{};
  Moment received{};
  Moment processing_end{};
  Moment returned{};
  std::vector<LifeEntry> entries;
  std::vector<LifeRound> rounds;
  std::vector<Revision> revisions;
};

/// Plans the life of `life` (its unit, procedure and channel already chosen) from its receipt,
/// drawing from `rng`.
void plan_life(const calendar::WorkingCalendar& cal, const ProvinceOptions& options,
               const Tables& tables, DossierLife& life, Rng& rng, Moment receipt);

}  // namespace tthc::sim
