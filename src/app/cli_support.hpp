#pragma once
// Small pieces the commands share.

#include <csignal>
#include <cstdint>
#include <string>

namespace tthc::app {

/// 1234567 → "1,234,567".
std::string thousands(std::uint64_t n);

/// Blocks SIGINT and SIGTERM in the calling thread, before any other thread starts (they
/// inherit the mask), and returns the set for sigwait: a clean stop instead of a kill.
sigset_t block_stop_signals();

}  // namespace tthc::app
