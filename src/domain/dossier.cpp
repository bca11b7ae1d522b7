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
  std::stable_sort(entries.begin(), entries.end(), progress_before);
}

std::string_view Dossier::unit_code() const {
  const std::string_view c = code;
  return c.substr(0, c.find('-'));
}

}  // namespace tthc
