#include "app/loading.hpp"

#include "config/catalogue.hpp"
#include "config/units.hpp"

#include <array>

namespace tthc::app {

namespace fs = std::filesystem;

std::optional<fs::path> find_config(const SourceOptions& src) {
  if (src.config) return src.config;
  const std::array<fs::path, 3> candidates = {
      fs::path("config/tthc-monitor.toml"),
      src.executable_dir / ".." / "config" / "tthc-monitor.toml",
      fs::path("/etc/tthc-monitor/tthc-monitor.toml")};
  std::error_code ec;
  for (const auto& c : candidates) {
    if (fs::is_regular_file(c, ec)) return c;
  }
  return std::nullopt;
}

std::optional<config::Settings> load_settings_for(const SourceOptions& src, std::ostream& err) {
  config::Settings settings = config::default_settings("config");
  if (auto file = find_config(src)) {
    auto s = config::load_settings(*file);
    if (!s) {
      err << "tthc-monitor: error: " << s.error().message << "\n";
      return std::nullopt;
    }
    settings = std::move(*s);
  }
  if (src.holidays) settings.calendar.holidays_dir = *src.holidays;
  return settings;
}

std::optional<config::Settings> load_settings_for(const SourceOptions& src,
                                                  const std::optional<std::string>& db,
                                                  std::ostream& err) {
  auto settings = load_settings_for(src, err);
  if (settings && db) settings->store.path = *db;
  return settings;
}

int fail_with(std::ostream& err, const Error& e) {
  err << "tthc-monitor: error: " << e.message << "\n";
  return kExitFailure;
}

std::optional<Loaded> load_with_calendar(const SourceOptions& src, std::ostream& err) {
  if (!find_config(src) && !src.holidays) {
    err << "tthc-monitor: error: no configuration found (config/tthc-monitor.toml); "
           "pass --config FILE or --holidays DIR\n";
    return std::nullopt;
  }
  auto settings = load_settings_for(src, err);
  if (!settings) return std::nullopt;
  auto cal = config::build_calendar(settings->calendar);
  if (!cal) {
    err << "tthc-monitor: error: " << cal.error().message << "\n";
    return std::nullopt;
  }
  return Loaded{std::move(*settings), std::move(*cal)};
}

std::optional<std::vector<engine::ProcedureRule>> load_catalogue_for(
    const config::Settings& settings, std::ostream& err,
    const std::function<void(const std::string&)>& warn) {
  std::error_code ec;
  if (!fs::exists(settings.catalogue_file, ec)) {
    warn("no procedure catalogue at " + settings.catalogue_file.string() +
         "; every dossier is judged by its NgayHenTra");
    return std::vector<engine::ProcedureRule>();
  }
  auto catalogue = config::load_catalogue(settings.catalogue_file);
  if (!catalogue) {
    err << "tthc-monitor: error: " << catalogue.error().message << "\n";
    return std::nullopt;
  }
  return std::move(*catalogue);
}

std::optional<engine::UnitRegister> load_units_for(
    const config::Settings& settings, std::ostream& err,
    const std::function<void(const std::string&)>& warn) {
  if (settings.units_file.empty()) return engine::UnitRegister();
  std::error_code ec;
  if (!fs::exists(settings.units_file, ec)) {
    warn("no unit register at " + settings.units_file.string() +
         "; every unit code is its own unit");
    return engine::UnitRegister();
  }
  auto units = config::load_units(settings.units_file);
  if (!units) {
    err << "tthc-monitor: error: " << units.error().message << "\n";
    return std::nullopt;
  }
  return std::move(*units);
}

std::vector<store::CatalogueRow> catalogue_rows(const std::vector<engine::ProcedureRule>& rules) {
  std::vector<store::CatalogueRow> rows;
  rows.reserve(rules.size());
  for (const auto& r : rules) {
    rows.push_back({r.code, r.name, r.field_code, r.field_name, calendar::to_string(r.legal),
                    calendar::to_string(r.reduced), calendar::to_string(r.online)});
  }
  return rows;
}

std::optional<store::Writer> open_writer(const config::StoreSettings& store, std::ostream& err) {
  std::error_code ec;
  if (store.path.has_parent_path()) fs::create_directories(store.path.parent_path(), ec);
  auto writer = store::Writer::open(store::Options{store.path, store.durable_commits, 5000});
  if (!writer) {
    err << "tthc-monitor: error: " << writer.error().message << "\n";
    if (store::is_damage(writer.error())) {
      err << "tthc-monitor: the store is damaged: restore the last backup (README: Operations);"
             " `tthc-monitor check-store --full` lists the damage\n";
    }
    return std::nullopt;
  }
  return std::move(*writer);
}

bool upgrade_store(const config::StoreSettings& store, std::ostream& err) {
  const auto version = store::schema_version_of(store.path);
  if (!version || *version >= store::latest_schema_version()) return true;  // Reader will say
  return open_writer(store, err).has_value();
}

}  // namespace tthc::app
