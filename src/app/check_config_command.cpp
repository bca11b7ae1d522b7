// `tthc-monitor check-config`: the configuration and every file it names, loaded by the code the
// daemon loads them with, and the folders it will write checked — without starting anything or
// creating anything. A report of one line per check; exit status 1 when any is a problem.
#include "app/commands.hpp"

#include "app/loading.hpp"
#include "config/catalogue.hpp"
#include "config/units.hpp"
#include "reports/collect.hpp"
#include "store/store.hpp"

#include <fstream>
#include <iterator>
#include <ostream>
#include <sstream>

#include <unistd.h>

namespace tthc::app {

namespace fs = std::filesystem;

namespace {

class Report {
 public:
  explicit Report(std::ostream& out) : out_(out) {}
  void ok(const std::string& what) { out_ << "  ok       " << what << "\n"; }
  void note(const std::string& what) { out_ << "  note     " << what << "\n"; }
  void problem(const std::string& what) {
    out_ << "  PROBLEM  " << what << "\n";
    ++problems_;
  }
  int problems() const { return problems_; }

 private:
  std::ostream& out_;
  int problems_ = 0;
};

bool writable_dir(const fs::path& dir) {
  return ::access(dir.c_str(), W_OK | X_OK) == 0;
}

// `target` (a file, or a folder when `folder`) is where the daemon writes: it must be a writable
// file in a writable folder, or be creatable — its nearest existing ancestor a writable folder.
void check_writable(Report& r, std::string_view key, const fs::path& target, bool folder) {
  const std::string name = std::string(key) + " " + target.string();
  std::error_code ec;
  if (fs::exists(target, ec)) {
    if (folder != fs::is_directory(target, ec)) {
      r.problem(name + ": not a " + (folder ? "folder" : "file"));
    } else if (::access(target.c_str(), W_OK) != 0) {
      r.problem(name + ": not writable");
    } else if (!folder &&
               !writable_dir(target.parent_path().empty() ? "." : target.parent_path())) {
      r.problem(name + ": its folder is not writable (SQLite writes its -wal file there)");
    } else {
      r.ok(name + ": writable");
    }
    return;
  }
  fs::path ancestor = target.parent_path();
  while (!ancestor.empty() && !fs::exists(ancestor, ec)) ancestor = ancestor.parent_path();
  if (ancestor.empty()) ancestor = ".";
  if (!fs::is_directory(ancestor, ec)) {
    r.problem(name + ": cannot be created: " + ancestor.string() + " is not a folder");
  } else if (!writable_dir(ancestor)) {
    r.problem(name + ": cannot be created: " + ancestor.string() + " is not writable");
  } else {
    r.ok(name + ": not there yet, will be created");
  }
}

void check_ca_file(Report& r, std::string_view key, const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    r.problem(std::string(key) + " " + file.string() + ": cannot read");
    return;
  }
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (text.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    r.problem(std::string(key) + " " + file.string() + ": no PEM certificate in it");
    return;
  }
  r.ok(std::string(key) + " " + file.string());
}

void check_catalogue(Report& r, const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    r.problem("catalogue.file " + file.string() +
              ": no such file (the daemon would judge every dossier by its NgayHenTra)");
    return;
  }
  auto rules = config::load_catalogue(file);
  if (!rules) {
    r.problem("catalogue.file: " + rules.error().message);
    return;
  }
  r.ok("catalogue.file " + file.string() + ": " + std::to_string(rules->size()) + " procedures");
}

// A missing register is allowed (every code is then its own unit), so only noted.
void check_units(Report& r, const fs::path& file) {
  std::error_code ec;
  if (file.empty()) {
    r.note("units.file: none (every unit code is its own unit)");
    return;
  }
  if (!fs::exists(file, ec)) {
    r.note("units.file " + file.string() + ": no such file (every unit code is its own unit)");
    return;
  }
  auto units = config::load_units(file);
  if (!units) {
    r.problem("units.file: " + units.error().message);
    return;
  }
  r.ok("units.file " + file.string() + ": " + std::to_string(units->units().size()) + " units, " +
       reports::units_version(*units));
}

void check_store(Report& r, const config::StoreSettings& store) {
  check_writable(r, "store.path", store.path, false);
  std::error_code ec;
  if (!fs::is_regular_file(store.path, ec)) return;
  auto version = store::schema_version_of(store.path);
  if (!version) {
    r.problem("store.path: " + version.error().message);
  } else if (*version > store::latest_schema_version()) {
    r.problem("store.path " + store.path.string() + ": schema " + std::to_string(*version) +
              " is newer than this version's " + std::to_string(store::latest_schema_version()));
  } else if (*version < store::latest_schema_version()) {
    r.note("store.path: schema " + std::to_string(*version) + ", migrated to " +
           std::to_string(store::latest_schema_version()) + " at the next start (back it up)");
  } else {
    r.ok("store.path: schema " + std::to_string(*version));
  }
}

void check_outputs(Report& r, const config::Settings& s) {
  r.ok("http.listen " + s.http.server.address + ":" + std::to_string(s.http.server.port) +
       (s.http.read_token ? " (read token set)" : " (open: no read token)"));
  if (!s.reports.dir.empty()) check_writable(r, "reports.dir", s.reports.dir, true);
  if (s.poller.enabled) {
    r.ok("poller " + s.poller.options.url);
    if (s.poller.options.ca_file) check_ca_file(r, "poller.ca_file", *s.poller.options.ca_file);
  }
  if (s.alerts.delivery.alertmanager_urls.empty() && s.alerts.delivery.webhooks.empty()) {
    r.note("alerts: no Alertmanager and no webhook: no alerts");
    return;
  }
  check_writable(r, "alerts.state", s.alerts.delivery.state_db, false);
  if (s.alerts.delivery.ca_file) check_ca_file(r, "alerts.ca_file", *s.alerts.delivery.ca_file);
}

}  // namespace

int run_check_config(const SourceOptions& src, std::ostream& out, std::ostream& err) {
  const auto file = find_config(src);
  if (!file) {
    err << "tthc-monitor: error: no configuration found (config/tthc-monitor.toml); "
           "pass --config FILE\n";
    return kExitFailure;
  }
  out << "configuration " << file->string() << "\n";
  Report r(out);
  std::ostringstream load_error;
  auto settings = load_settings_for(src, load_error);
  if (!settings) {
    // The settings name every other file: nothing more can be checked.
    std::string message = load_error.str();
    if (const auto colon = message.find("error: "); colon != std::string::npos) {
      message = message.substr(colon + 7);
    }
    while (!message.empty() && message.back() == '\n') message.pop_back();
    r.problem(message);
  } else {
    r.ok("settings: every key known and valid");
    if (auto cal = config::build_calendar(settings->calendar)) {
      r.ok("calendar.holidays_dir " + settings->calendar.holidays_dir.string() + ": calendar " +
           cal->version());
    } else {
      r.problem("calendar.holidays_dir: " + cal.error().message);
    }
    check_catalogue(r, settings->catalogue_file);
    check_units(r, settings->units_file);
    check_store(r, settings->store);
    check_outputs(r, *settings);
  }
  if (r.problems() > 0) {
    out << r.problems() << " problem(s) to fix before the daemon starts\n";
    return kExitFailure;
  }
  out << "usable\n";
  return kExitOk;
}

}  // namespace tthc::app
