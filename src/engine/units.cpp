#include "engine/units.hpp"

#include "domain/text.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace tthc::engine {

namespace {

constexpr std::array<std::pair<UnitLevel, std::string_view>, 5> kLevels{
    {{UnitLevel::Province, "province"},
     {UnitLevel::Department, "department"},
     {UnitLevel::ServiceCentre, "service_centre"},
     {UnitLevel::District, "district"},
     {UnitLevel::Commune, "commune"}}};

std::string unit_error(const UnitRecord& u, std::string_view message) {
  return "unit " + quote_for_error(u.code) + ": " + std::string(message);
}

// Each unit's own fields, and the references to others, once the codes are indexed.
std::optional<Error> check_unit(const UnitRecord& u, const UnitRegister& r) {
  if (u.code.empty()) return Error{"unit_code: missing"};
  if (!u.parent.empty() && r.find(u.parent) == nullptr) {
    return Error{unit_error(u, "parent: " + quote_for_error(u.parent) + " is not in the register")};
  }
  if (u.valid_from && u.valid_until && !(*u.valid_from < *u.valid_until)) {
    return Error{unit_error(u, "valid_until: " + format_date(*u.valid_until) +
                                   " is not after valid_from " + format_date(*u.valid_from))};
  }
  if (u.valid_until && u.successors.empty()) {
    return Error{unit_error(u, "successors: required for a unit that ended (valid_until " +
                                   format_date(*u.valid_until) + ")")};
  }
  if (!u.valid_until && !u.successors.empty()) {
    return Error{unit_error(u,
                            "successors: only a unit that ended (with a valid_until) has "
                            "successors")};
  }
  for (const auto& s : u.successors) {
    if (r.find(s) == nullptr) {
      return Error{unit_error(u, "successors: " + quote_for_error(s) + " is not in the register")};
    }
  }
  return std::nullopt;
}

// Depth-first over the successor edges: a unit met again on the current path closes a cycle.
std::optional<Error> find_cycle(const UnitRegister& r) {
  enum class Mark : std::uint8_t { None, OnPath, Done };
  const auto& units = r.units();
  std::vector<Mark> marks(units.size(), Mark::None);
  const auto index = [&](std::string_view code) {
    return static_cast<std::size_t>(r.find(code) - units.data());
  };
  const auto visit = [&](const auto& self, std::size_t i) -> std::optional<Error> {
    marks[i] = Mark::OnPath;
    for (const auto& s : units[i].successors) {
      const std::size_t j = index(s);
      if (marks[j] == Mark::OnPath) {
        return Error{unit_error(units[i], "successors: " + quote_for_error(s) +
                                              " leads back to it (a successor cycle)")};
      }
      if (marks[j] == Mark::None) {
        if (auto e = self(self, j)) return e;
      }
    }
    marks[i] = Mark::Done;
    return std::nullopt;
  };
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (marks[i] != Mark::None) continue;
    if (auto e = visit(visit, i)) return e;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(UnitLevel l) {
  for (const auto& [level, name] : kLevels) {
    if (level == l) return name;
  }
  return "?";
}

std::optional<UnitLevel> parse_unit_level(std::string_view text) {
  for (const auto& [level, name] : kLevels) {
    if (name == text) return level;
  }
  return std::nullopt;
}

std::string_view to_string(CountUnder c) {
  return c == CountUnder::Receiving ? "receiving" : "resolving";
}

Result<UnitRegister> UnitRegister::make(std::vector<UnitRecord> units) {
  std::sort(units.begin(), units.end(),
            [](const UnitRecord& a, const UnitRecord& b) { return a.code < b.code; });
  UnitRegister r;
  r.units_ = std::move(units);
  for (std::size_t i = 0; i < r.units_.size(); ++i) {
    const UnitRecord& u = r.units_[i];
    if (!r.by_code_.emplace(u.code, i).second) {
      return Error{unit_error(u, "unit_code: appears twice")};
    }
  }
  for (std::size_t i = 0; i < r.units_.size(); ++i) {
    const UnitRecord& u = r.units_[i];
    if (auto e = check_unit(u, r)) return *e;
    // Of two units with one name, the one still in force answers a DonViXuLy.
    auto [it, added] = r.by_name_.emplace(u.name, i);
    if (!added && r.units_[it->second].valid_until && !u.valid_until) it->second = i;
  }
  if (auto e = find_cycle(r)) return *e;
  return r;
}

const UnitRecord* UnitRegister::find(std::string_view code) const {
  const auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : &units_[it->second];
}

const UnitRecord* UnitRegister::find_by_name_or_code(std::string_view text) const {
  if (text.empty()) return nullptr;
  if (const UnitRecord* u = find(text)) return u;
  const auto it = by_name_.find(text);
  return it == by_name_.end() ? nullptr : &units_[it->second];
}

bool UnitRegister::in_force(const UnitRecord& u, Date day) const {
  return (!u.valid_from || *u.valid_from <= day) && (!u.valid_until || day < *u.valid_until);
}

std::string_view UnitRegister::counting_unit(const Dossier& d, CountUnder under) const {
  return counting_unit(d.unit_code(), d.unit_name, under);
}

std::string_view UnitRegister::counting_unit(std::string_view receiving, std::string_view resolving,
                                             CountUnder under) const {
  if (under == CountUnder::Resolving) {
    if (const UnitRecord* u = find_by_name_or_code(resolving)) return u->code;
  }
  return receiving;
}

std::string_view UnitRegister::shown_as(std::string_view code, Date last_day,
                                        bool successors) const {
  const UnitRecord* u = find(code);
  if (u == nullptr) return code;
  // make() refused cycles, so each chain ends.
  // Only ended units have successors (make() checked), so valid_until is set here.
  while (!u->successors.empty() && (successors || *u->valid_until <= last_day)) {
    u = find(u->successors.front());
  }
  return u->code;
}

std::string_view UnitRegister::name_of(std::string_view code) const {
  const UnitRecord* u = find(code);
  return u == nullptr ? std::string_view() : std::string_view(u->name);
}

std::string UnitRegister::content() const {
  std::string text;
  for (const auto& u : units_) {
    text += u.code + '\t' + u.name + '\t' + std::string(to_string(u.level)) + '\t' + u.parent +
            '\t' + (u.valid_from ? format_date(*u.valid_from) : "") + '\t' +
            (u.valid_until ? format_date(*u.valid_until) : "") + '\t';
    for (const auto& s : u.successors) text += s + ';';
    text += '\n';
  }
  return text;
}

}  // namespace tthc::engine
