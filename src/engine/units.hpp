#pragma once
// The unit register: the administrative units of a province as they were and are (the 2025
// reorganisation ended the districts and merged communes and provinces). Dossiers keep the unit
// code they arrived with; the register says which unit their figures are shown under.
// Immutable after construction; safe to share between threads.

#include "base/result.hpp"
#include "domain/dossier.hpp"
#include "domain/time.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::engine {

enum class UnitLevel : std::uint8_t { Province, Department, ServiceCentre, District, Commune };
/// "province", "department", "service_centre", "district", "commune".
std::string_view to_string(UnitLevel l);
std::optional<UnitLevel> parse_unit_level(std::string_view text);

/// Which unit a dossier's figures count under.
enum class CountUnder : std::uint8_t { Receiving, Resolving };
/// "receiving", "resolving".
std::string_view to_string(CountUnder c);

/// How figures are grouped by unit: config [units] successors and count_under.
struct UnitOptions {
  /// A period before the change shows the units as they are now (their successors).
  bool successors = true;
  CountUnder count_under = CountUnder::Resolving;
};

struct UnitRecord {
  std::string code, name;
  UnitLevel level = UnitLevel::Department;
  std::string parent;                   ///< empty: none
  std::optional<Date> valid_from;       ///< in force from this day (inclusive)
  std::optional<Date> valid_until;      ///< no longer in force from this day (exclusive)
  std::vector<std::string> successors;  ///< of an ended unit; the first takes its figures
};

class UnitRegister {
 public:
  UnitRegister() = default;  ///< empty: every code is its own unit (the behaviour without a file)

  /// Validates: unique codes, parents and successors known, successors only on ended units and
  /// required there, no successor cycle, from < until. Errors name the unit code and the value.
  static Result<UnitRegister> make(std::vector<UnitRecord> units);

  bool empty() const { return units_.empty(); }
  const std::vector<UnitRecord>& units() const { return units_; }  ///< by code
  const UnitRecord* find(std::string_view code) const;
  /// By DonViXuLy: a unit code of the register, else a unit whose name equals it exactly (of
  /// two with the same name, one without an end date, else the first by code).
  const UnitRecord* find_by_name_or_code(std::string_view text) const;
  bool in_force(const UnitRecord& u, Date day) const;

  /// The unit a dossier's figures count under, before any period mapping: the resolving unit
  /// (DonViXuLy found in the register) when `under` is Resolving and it is found, else the
  /// receiving unit (the MaHoSo prefix, Dossier::unit_code()).
  std::string_view counting_unit(const Dossier& d, CountUnder under) const;
  /// The same from the receiving unit's code and DonViXuLy (a stored dossier's two columns).
  std::string_view counting_unit(std::string_view receiving, std::string_view resolving,
                                 CountUnder under) const;

  /// The unit the figures of `code` are shown under for a period whose last day is `last_day`:
  /// with `successors`, an ended unit's first successor, followed to the end of the chain (the
  /// unit as it is now, so year-on-year figures line up); without, the first successor only
  /// while the unit is not in force on `last_day`. Unknown codes and an empty register give
  /// `code` itself.
  std::string_view shown_as(std::string_view code, Date last_day, bool successors) const;

  /// Display name of a register unit; empty when unknown (callers fall back to DonViXuLy).
  std::string_view name_of(std::string_view code) const;

  /// The register as one canonical text (by code, every column): what its version is the digest
  /// of (reports::units_version), so the same units give the same version in any order.
  std::string content() const;

 private:
  std::vector<UnitRecord> units_;
  std::map<std::string, std::size_t, std::less<>> by_code_;
  std::map<std::string, std::size_t, std::less<>> by_name_;
};

}  // namespace tthc::engine
