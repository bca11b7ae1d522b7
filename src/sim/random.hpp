#pragma once
// The simulator's random numbers: our own generator and distributions, because std::
// distributions differ between standard libraries and the output must be the same for a seed
// wherever it is built.

#include "domain/time.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <vector>

namespace tthc::sim {

inline std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/// A seed derived from two: a province's seed and a day, a day's seed and a dossier.
inline std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  return splitmix(a ^ splitmix(b + 0x632BE59BD9B4E019ULL));
}

/// xoshiro256** (Blackman and Vigna, public domain). Not thread-safe: one owner draws.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : s_) {
      seed = splitmix(seed);
      s = seed;
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// [0, 1)
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  /// [0, n)
  std::size_t below(std::size_t n) {
    return static_cast<std::size_t>(uniform() * static_cast<double>(n)) %
           std::max<std::size_t>(n, 1);
  }
  bool chance(double p) { return uniform() < p; }
  double gauss() {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }
  std::uint64_t poisson(double lambda) {
    if (lambda <= 0) return 0;
    if (lambda < 30) {  // Knuth
      const double limit = std::exp(-lambda);
      std::uint64_t k = 0;
      double p = uniform();
      while (p > limit) {
        ++k;
        p *= uniform();
      }
      return k;
    }
    const double n = std::round(lambda + std::sqrt(lambda) * gauss());
    return n <= 0 ? 0 : static_cast<std::uint64_t>(n);
  }
  /// Index drawn with the given weights.
  std::size_t weighted(const std::vector<double>& weights) {
    double total = 0;
    for (const double w : weights) total += w;
    double x = uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.empty() ? 0 : weights.size() - 1;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
};

/// Seconds drawn as a double, as a Duration (negative ones are zero).
inline Duration secs(double s) {
  return Duration{static_cast<std::int64_t>(std::llround(std::max(s, 0.0)))};
}
inline double as_secs(Duration d) {
  return static_cast<double>(d.count());
}

}  // namespace tthc::sim
