#pragma once
// The province's tables: units, procedures, departments, handlers, actions and applicants,
// built once from the catalogue and the seed and shared (immutable) by every dossier. Their
// text is kept as JSON strings, quotes included, ready to be copied into records.

#include "engine/catalogue.hpp"
#include "engine/rules.hpp"
#include "sim/province.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tthc::sim {

struct Handler {
  std::string name;   // JSON string
  std::string title;  // JSON string
};

struct ProcedureInfo {
  engine::ProcedureRule rule;
  std::string code;        // JSON string
  std::string local_code;  // province-local form, JSON string
  std::string name;        // JSON string
  std::string field_code;  // JSON string
  std::string field_name;  // JSON string
  std::size_t field = 0;   // index among the catalogue's fields
};

struct UnitInfo {
  Unit unit;
  std::string name;             // JSON string
  double weight_before = 1;     // share of receipts before the reorganisation (kReorganisation)
  double weight_after = 1;      // ... and from it
  bool cross_desk = false;      // its dossiers may be resolved by another cross-desk unit
  bool codes_as_text = false;   // its vendor sends status and channel codes as strings
  double local_code_share = 0;  // share of MaTTHC sent in the province-local form
  std::vector<std::size_t> procedures;
  std::vector<double> procedure_weights;
  double due_share = 1;  // of its dossiers, by weight, the share whose procedure has a due
};

enum Department : std::uint8_t { kDesk, kSpecialist, kScience, kFinance, kLeaders, kOffice };
constexpr std::size_t kDepartmentCount = 6;

enum Action : std::uint8_t {
  kReceive,
  kReview,
  kFeeCheck,
  kApprove,
  kIssue,
  kRequestSupplement,
  kResumeSupplement,
  kRequestFee,
  kResumeFee,
  kWithdraw,
  kStop,
  kFinish,
  kReturn,
  kActionCount,
};

struct Tables {
  std::vector<UnitInfo> units;
  std::vector<Unit> public_units;
  std::vector<ProcedureInfo> procedures;
  std::vector<std::string> departments;  // raw
  std::vector<std::string> department_json;
  std::array<std::vector<Handler>, kDepartmentCount> handlers;
  std::array<std::string, kActionCount> actions;  // JSON strings
  std::vector<std::string> applicants;            // JSON strings
  std::vector<int> applicant_kind;                // LoaiDoiTuong: 1 citizen, 2 organisation
  std::vector<std::size_t> late_departments;
  std::string supplement_reason;  // JSON string

  /// Each unit's share of the day's receipts: zero where it is not in force.
  std::vector<double> unit_weights(Date day) const;
};

std::shared_ptr<const Tables> build_tables(const engine::Catalogue& catalogue,
                                           const ProvinceOptions& options);

}  // namespace tthc::sim
