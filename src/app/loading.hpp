#pragma once
// How every command finds its settings: --config, else config/tthc-monitor.toml in the working
// directory, beside the executable's folder, or in /etc/tthc-monitor; else built-in defaults.

#include "app/commands.hpp"
#include "calendar/working_calendar.hpp"
#include "config/settings.hpp"
#include "engine/rules.hpp"
#include "engine/units.hpp"
#include "store/store.hpp"

#include <functional>
#include <string>
#include <vector>

#include <optional>
#include <ostream>

namespace tthc::app {

std::optional<std::filesystem::path> find_config(const SourceOptions& src);

/// Prints the error and gives nullopt on failure.
std::optional<config::Settings> load_settings_for(const SourceOptions& src, std::ostream& err);
/// The same, with `--db` (when given) in place of store.path.
std::optional<config::Settings> load_settings_for(const SourceOptions& src,
                                                  const std::optional<std::string>& db,
                                                  std::ostream& err);

/// Prints `tthc-monitor: error: <message>` and gives kExitFailure.
int fail_with(std::ostream& err, const Error& e);

struct Loaded {
  config::Settings settings;
  calendar::WorkingCalendar calendar;
};

/// Settings and the working calendar; prints the error and gives nullopt on failure.
std::optional<Loaded> load_with_calendar(const SourceOptions& src, std::ostream& err);

/// The procedure catalogue the settings name. A missing file is no error: `warn` is told and
/// the catalogue is empty (every dossier is then judged by its NgayHenTra). An unreadable or
/// invalid file prints the error and gives nullopt.
std::optional<std::vector<engine::ProcedureRule>> load_catalogue_for(
    const config::Settings& settings, std::ostream& err,
    const std::function<void(const std::string&)>& warn);

/// The unit register the settings name, as load_catalogue_for: no file (or units.file = "")
/// gives an empty register (every unit code its own unit), a missing one after telling `warn`;
/// an unreadable or invalid file prints the error and gives nullopt.
std::optional<engine::UnitRegister> load_units_for(
    const config::Settings& settings, std::ostream& err,
    const std::function<void(const std::string&)>& warn);

/// The catalogue as the store keeps it.
std::vector<store::CatalogueRow> catalogue_rows(const std::vector<engine::ProcedureRule>& rules);

/// The store's writer, its folder created if needed; prints the error and gives nullopt.
std::optional<store::Writer> open_writer(const config::StoreSettings& store, std::ostream& err);
/// Migrates a store written by an older version, as `run` and `import` do on opening, for the
/// commands that only read (`report`, `explain`). False (with the error written) on failure.
bool upgrade_store(const config::StoreSettings& store, std::ostream& err);

}  // namespace tthc::app
