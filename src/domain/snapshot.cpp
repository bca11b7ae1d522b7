#include "domain/snapshot.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace tthc {

Moment snapshot_freshness(const Dossier& d, const std::vector<ProgressEntry>& progress) {
  // Only moments that have happened count. Due dates and step deadlines lie in the future:
  // counted, they would dominate and make consecutive snapshots equally fresh, and a delayed
  // older snapshot would then win as "the later arrival".
  Moment latest{};
  auto see = [&](const std::optional<Moment>& m) {
    if (m && *m > latest) latest = *m;
  };
  see(d.submitted);
  see(d.received);
  see(d.processing_end);
  see(d.returned);
  for (const SupplementRound& r : d.rounds) {
    see(r.requested);
    see(r.received);
  }
  for (const ProgressEntry& e : progress) {
    see(e.at);
    see(e.step_start);
  }
  return latest;
}

std::uint64_t content_hash(std::string_view text, std::uint64_t seed) {
  // MurmurHash64A (Austin Appleby, public domain): 8 bytes a step, stable across platforms
  // of the same endianness, which is all a stored fingerprint needs.
  constexpr std::uint64_t m = 0xc6a4a7935bd1e995ULL;
  constexpr int r = 47;
  std::uint64_t h = seed ^ (text.size() * m);
  const char* p = text.data();
  const char* end = p + (text.size() / 8) * 8;
  for (; p != end; p += 8) {
    std::uint64_t k = 0;
    std::memcpy(&k, p, 8);
    k *= m;
    k ^= k >> r;
    k *= m;
    h ^= k;
    h *= m;
  }
  const std::size_t rest = text.size() & 7U;
  if (rest != 0) {
    // The last bytes as memcpy would load them, without a call for the variable length (most
    // hashed strings are short: this was half the time).
    std::uint64_t k = 0;
    if constexpr (std::endian::native == std::endian::little) {
      for (std::size_t i = 0; i < rest; ++i) {
        k |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
      }
    } else {
      std::memcpy(&k, p, rest);
    }
    h ^= k;
    h *= m;
  }
  h ^= h >> r;
  h *= m;
  h ^= h >> r;
  return h;
}

}  // namespace tthc
