#pragma once
// How every command finds its settings: --config, else config/tthc-monitor.toml in the working
// directory, beside the executable's folder, or in /etc/tthc-monitor; else built-in defaults.

#include "app/commands.hpp"
#include "calendar/working_calendar.hpp"
#include "config/settings.hpp"

#include <optional>
#include <ostream>

namespace tthc::app {

std::optional<std::filesystem::path> find_config(const SourceOptions& src);

/// Prints the error and gives nullopt on failure.
std::optional<config::Settings> load_settings_for(const SourceOptions& src, std::ostream& err);

struct Loaded {
  config::Settings settings;
  calendar::WorkingCalendar calendar;
};

/// Settings and the working calendar; prints the error and gives nullopt on failure.
std::optional<Loaded> load_with_calendar(const SourceOptions& src, std::ostream& err);

}  // namespace tthc::app
