#pragma once
// Small pieces the commands share.

#include "base/result.hpp"
#include "domain/time.hpp"

#include <csignal>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace tthc::app {

/// 1234567 → "1,234,567".
std::string thousands(std::uint64_t n);

/// Blocks SIGINT and SIGTERM in the calling thread, before any other thread starts (they
/// inherit the mask), and returns the set for sigwait: a clean stop instead of a kill.
sigset_t block_stop_signals();

/// The system clock's present moment in Vietnam local time (UTC+7).
Moment now_in_vietnam();

/// Flushes a folder's entries (a rename into it survives power loss); an error names it.
std::optional<Error> sync_directory(const std::filesystem::path& dir);

/// Writes `text` to `file` and flushes it to the disk; an error names the file and the cause.
std::optional<Error> write_durably(const std::filesystem::path& file, std::string_view text);

}  // namespace tthc::app
