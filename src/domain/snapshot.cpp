#include "domain/snapshot.hpp"

#include <algorithm>

namespace tthc {

Moment snapshot_freshness(const Dossier& d, const std::vector<ProgressEntry>& progress) {
  Moment latest{};
  auto see = [&](const std::optional<Moment>& m) {
    if (m && *m > latest) latest = *m;
  };
  see(d.submitted);
  see(d.received);
  see(d.promised_due);
  see(d.processing_end);
  see(d.returned);
  for (const SupplementRound& r : d.rounds) {
    see(r.requested);
    see(r.received);
    see(r.due_before);
    see(r.due_after);
  }
  for (const ProgressEntry& e : progress) {
    see(e.at);
    see(e.step_start);
    see(e.step_deadline);
  }
  return latest;
}

std::uint64_t content_hash(std::string_view text) {
  std::uint64_t h = 14695981039346656037ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace tthc
