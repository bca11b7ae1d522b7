#include "sim/province.hpp"

#include "sim/random.hpp"

#include <algorithm>

namespace tthc::sim {

SimulatedClock::SimulatedClock(const calendar::WorkingCalendar& calendar, Moment start,
                               double speed, Mode mode)
    : calendar_(calendar), start_(start), speed_(speed), mode_(mode) {}

Moment SimulatedClock::at(std::chrono::nanoseconds real_elapsed) const {
  const double simulated = std::chrono::duration<double>(real_elapsed).count() * speed_;
  const Duration amount = secs(std::min(simulated, 1e12));
  if (mode_ == Mode::WallTime) return start_ + amount;
  return calendar_.add(start_, amount);
}

}  // namespace tthc::sim
