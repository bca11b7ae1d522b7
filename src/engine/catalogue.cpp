#include "engine/catalogue.hpp"

namespace tthc::engine {

std::string_view national_code(std::string_view code) {
  const auto first = code.find('.');
  if (first == std::string_view::npos) return code;
  const auto second = code.find('.', first + 1);
  return second == std::string_view::npos ? code : code.substr(0, second);
}

Catalogue::Catalogue(std::vector<ProcedureRule> rules) : rules_(std::move(rules)) {
  index_.reserve(rules_.size());
  for (std::size_t i = 0; i < rules_.size(); ++i) index_.emplace(rules_[i].code, i);
}

const ProcedureRule* Catalogue::find(std::string_view code) const {
  if (auto it = index_.find(code); it != index_.end()) return &rules_[it->second];
  const std::string_view national = national_code(code);
  if (national.size() != code.size()) {
    if (auto it = index_.find(national); it != index_.end()) return &rules_[it->second];
  }
  return nullptr;
}

}  // namespace tthc::engine
