#pragma once
// Retrying without spinning and without flooding the log: exponential backoff with jitter, and
// a failure streak that says when to log (its first failure, then its recovery). Every retry
// loop of the daemon uses these two (the poller, the alert dispatcher, the live state's reader).

#include <chrono>
#include <cstdint>
#include <utility>

namespace tthc {

struct Backoff {
  std::chrono::milliseconds initial{1'000};
  std::chrono::milliseconds max{300'000};

  /// The wait after the n-th failure in a row (n ≥ 1): min(max, initial × 2^(n−1)), jittered
  /// into [½, 1] of it by `random` (any value: many daemons restarted together do not retry in
  /// step).
  std::chrono::milliseconds delay(std::uint64_t failures, std::uint64_t random) const {
    long long step = initial.count();
    for (std::uint64_t i = 1; i < failures && step < max.count(); ++i) step *= 2;
    if (step > max.count()) step = max.count();
    const long long half = step / 2;
    return std::chrono::milliseconds(
        half + static_cast<long long>(random % static_cast<std::uint64_t>(half + 1)));
  }
};

/// Failures in a row: the first of a streak is logged, the rest only counted, and the recovery
/// says how many there were.
class FailureStreak {
 public:
  /// Counts a failure; true when it starts a streak (the one to log).
  bool fail() { return failures_++ == 0; }
  /// Ends the streak; gives its length (0: there was none, nothing to report).
  std::uint64_t succeed() { return std::exchange(failures_, 0); }
  std::uint64_t failures() const { return failures_; }

 private:
  std::uint64_t failures_ = 0;
};

}  // namespace tthc
