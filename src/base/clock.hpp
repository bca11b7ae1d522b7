#pragma once
// The one time source of the daemon (in the spirit of Envoy's TimeSource): wall time for what
// is recorded and judged, steady time for waits and intervals. Every module that needs the time
// takes a `const Clock&` (or a moment as an argument, in the pure core); none reads
// std::chrono's clocks itself, so a test or the simulator can set the time.
//
// Thread-safety: both clocks may be read from any thread; a ManualClock may be set from any
// thread too.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace tthc {

class Clock {
 public:
  using WallTime = std::chrono::system_clock::time_point;
  using SteadyTime = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;
  virtual WallTime wall() const = 0;      ///< UTC
  virtual SteadyTime steady() const = 0;  ///< never goes back

  /// Wall time in whole Unix seconds (UTC).
  std::int64_t unix_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(wall().time_since_epoch()).count();
  }
  /// Steady time elapsed since `start`, in seconds.
  double seconds_since(SteadyTime start) const {
    return std::chrono::duration<double>(steady() - start).count();
  }
};

/// The machine's clocks.
class SystemClock final : public Clock {
 public:
  WallTime wall() const override { return std::chrono::system_clock::now(); }
  SteadyTime steady() const override { return std::chrono::steady_clock::now(); }
};

/// The machine's clocks, for the composition root and for code with no clock handed in.
inline const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

/// A clock that moves only when told: both times advance together by `advance`.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(WallTime start = WallTime{std::chrono::seconds{1'750'000'000}})
      : wall_(start.time_since_epoch().count()) {}

  WallTime wall() const override { return WallTime{WallTime::duration{wall_.load()}}; }
  SteadyTime steady() const override { return SteadyTime{SteadyTime::duration{steady_.load()}}; }

  void set_wall(WallTime t) { wall_ = t.time_since_epoch().count(); }
  void set_unix_seconds(std::int64_t s) { set_wall(WallTime{std::chrono::seconds{s}}); }
  void advance(std::chrono::nanoseconds d) {
    wall_ += std::chrono::duration_cast<WallTime::duration>(d).count();
    steady_ += std::chrono::duration_cast<SteadyTime::duration>(d).count();
  }

 private:
  std::atomic<WallTime::rep> wall_;
  std::atomic<SteadyTime::rep> steady_{0};
};

}  // namespace tthc
