#include "domain/dossier.hpp"

#include <algorithm>
#include <tuple>

namespace tthc {

bool progress_before(const ProgressEntry& a, const ProgressEntry& b) {
  return std::tie(a.at, a.status, a.department) < std::tie(b.at, b.status, b.department);
}

bool same_progress_key(const ProgressEntry& a, const ProgressEntry& b) {
  return a.at == b.at && a.status == b.status && a.department == b.department;
}

void sort_progress(std::vector<ProgressEntry>& entries) {
  // Stable (the first of equal keys stays first) and without a temporary buffer: the lists are
  // short and usually already in order, where insertion sort is a single pass.
  for (std::size_t i = 1; i < entries.size(); ++i) {
    if (!progress_before(entries[i], entries[i - 1])) continue;
    ProgressEntry moving = std::move(entries[i]);
    std::size_t j = i;
    for (; j > 0 && progress_before(moving, entries[j - 1]); --j) {
      entries[j] = std::move(entries[j - 1]);
    }
    entries[j] = std::move(moving);
  }
}

std::string_view Dossier::unit_code() const {
  // A code without '-' carries no unit prefix: the whole code is not a unit code.
  const std::string_view c = code;
  const std::size_t dash = c.find('-');
  return dash == std::string_view::npos ? std::string_view() : c.substr(0, dash);
}

}  // namespace tthc
