#pragma once
// What `explain` says of a dossier's units: the receiving unit (the MaHoSo prefix) and the
// resolving one (DonViXuLy), which one its figures count under by the [units] settings, and the
// unit the register shows them under now and, when different, when it was received (before
// the 2025 reorganisation). Pure.

#include "domain/dossier.hpp"
#include "engine/units.hpp"

#include <optional>
#include <string>

namespace tthc::api {

/// The unit register and the [units] settings an explanation is given under.
struct UnitView {
  const engine::UnitRegister* units = nullptr;  ///< null: none, every code its own unit
  engine::UnitOptions options;
};

struct UnitsExplained {
  std::string receiving, receiving_name;      ///< the MaHoSo prefix; the register's name or ""
  std::string resolving;                      ///< DonViXuLy as sent
  std::optional<std::string> resolving_code;  ///< the register unit DonViXuLy names
  std::string counted;                        ///< the unit the figures count under
  std::string shown_now, shown_now_name;      ///< the unit shown for a period ending `now`
  std::optional<std::string> shown_then;      ///< at receipt, when it differs from `shown_now`
};

/// `now`: the explanation's moment; `received`: the dossier's receipt, if any.
UnitsExplained explain_units(const Dossier& d, const UnitView& view, Date now,
                             std::optional<Date> received);

/// The lines of `explain` for people, each "  <label>  <text>\n".
std::string units_text(const UnitsExplained& u, const UnitView& view);

}  // namespace tthc::api
