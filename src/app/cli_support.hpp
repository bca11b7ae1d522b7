#pragma once
// Small pieces the commands share.

#include "domain/time.hpp"

#include <csignal>
#include <cstdint>
#include <string>

namespace tthc::app {

/// 1234567 → "1,234,567".
std::string thousands(std::uint64_t n);

/// Blocks SIGINT and SIGTERM in the calling thread, before any other thread starts (they
/// inherit the mask), and returns the set for sigwait: a clean stop instead of a kill.
sigset_t block_stop_signals();

/// The system clock's present moment in Vietnam local time (UTC+7).
Moment now_in_vietnam();

}  // namespace tthc::app
