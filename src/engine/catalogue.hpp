#pragma once
// The procedure catalogue: the legal, reduced and online limits of each procedure.
// Immutable after construction; safe to share between threads.

#include "engine/rules.hpp"

#include <string_view>
#include <unordered_map>
#include <vector>

namespace tthc::engine {

class Catalogue {
 public:
  Catalogue() = default;
  explicit Catalogue(std::vector<ProcedureRule> rules);

  /// The rule for MaTTHC: the exact code, else — for a province-local code such as
  /// `1.004227.000.00.00.H42` — its national part `1.004227`. Null when neither is known.
  const ProcedureRule* find(std::string_view procedure_code) const;
  const std::vector<ProcedureRule>& rules() const { return rules_; }
  std::size_t size() const { return rules_.size(); }

 private:
  std::vector<ProcedureRule> rules_;
  std::unordered_map<std::string_view, std::size_t> index_;
};

/// `1.004227.000.00.00.H42` → `1.004227`: the code before the second dot.
std::string_view national_code(std::string_view procedure_code);

}  // namespace tthc::engine
