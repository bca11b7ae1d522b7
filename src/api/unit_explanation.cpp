#include "api/unit_explanation.hpp"

namespace tthc::api {

namespace {

const engine::UnitRegister& register_of(const UnitView& view) {
  static const engine::UnitRegister none;
  return view.units != nullptr ? *view.units : none;
}

std::string named(const std::string& code, std::string_view name) {
  return name.empty() ? code : code + " " + std::string(name);
}

}  // namespace

UnitsExplained explain_units(const Dossier& d, const UnitView& view, Date now,
                             std::optional<Date> received) {
  const engine::UnitRegister& r = register_of(view);
  UnitsExplained u;
  u.receiving = std::string(d.unit_code());
  u.receiving_name = std::string(r.name_of(u.receiving));
  u.resolving = d.unit_name;
  if (const engine::UnitRecord* found = r.find_by_name_or_code(d.unit_name)) {
    u.resolving_code = found->code;
  }
  u.counted = std::string(r.counting_unit(d, view.options.count_under));
  u.shown_now = std::string(r.shown_as(u.counted, now, view.options.successors));
  u.shown_now_name = std::string(r.name_of(u.shown_now));
  if (received) {
    // The unit in force at receipt: what a report of that month showed without successors.
    const std::string then(r.shown_as(u.counted, *received, false));
    if (then != u.shown_now) u.shown_then = then;
  }
  return u;
}

std::string units_text(const UnitsExplained& u, const UnitView& view) {
  const engine::UnitRegister& r = register_of(view);
  std::string out;
  out += "  receiving unit " + named(u.receiving, u.receiving_name) + "\n";
  out += "  resolving unit " +
         (u.resolving.empty() ? std::string("(DonViXuLy empty)") : u.resolving) +
         (u.resolving_code ? " (" + *u.resolving_code + ")"
                           : (r.empty() ? "" : " (not in the unit register)")) +
         "\n";
  out += "  counted under  " + u.counted +
         " (count_under = " + std::string(engine::to_string(view.options.count_under)) +
         (r.empty() ? ", no unit register" : "") + ")\n";
  out += "  shown as       " + named(u.shown_now, u.shown_now_name) +
         (u.shown_then ? " (when received: " + *u.shown_then + ")" : "") + "\n";
  if (!r.empty() && r.find(u.counted) == nullptr) {
    out += "  unknown unit   " + u.counted + " is not in the unit register\n";
  }
  return out;
}

}  // namespace tthc::api
