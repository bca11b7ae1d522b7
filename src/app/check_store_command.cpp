// `tthc-monitor check-store [--full]`: is the store sound? SQLite's own check, read-only, so it
// runs beside the daemon; what to do when it is not.
#include "app/commands.hpp"

#include "app/cli_support.hpp"
#include "app/loading.hpp"
#include "base/clock.hpp"
#include "store/store.hpp"

#include <chrono>
#include <cstdio>
#include <ostream>

namespace tthc::app {

int run_check_store(const SourceOptions& src, const CheckStoreCommand& cmd, std::ostream& out,
                    std::ostream& err) {
  auto settings = load_settings_for(src, cmd.db, err);
  if (!settings) return kExitFailure;
  const Clock& clock = system_clock();
  const auto started = clock.steady();
  auto problems = store::check_integrity(settings->store.path, cmd.full);
  const double secs = clock.seconds_since(started);
  char took[32];
  std::snprintf(took, sizeof took, "%.1f s", secs);
  const char* check = cmd.full ? "integrity_check" : "quick_check";
  if (problems && problems->empty()) {
    out << settings->store.path.string() << ": ok (" << check << ", " << took << ")\n";
    return 0;
  }
  err << settings->store.path.string() << ": DAMAGED (" << check << ")\n";
  if (!problems) {
    err << "  " << problems.error().message << "\n";
  } else {
    for (const std::string& p : *problems) err << "  " << p << "\n";
  }
  err << "Restore the last backup (README: Operations) with the daemon stopped; without one,\n"
         "`sqlite3 DAMAGED.db .recover | sqlite3 RECOVERED.db` saves what can be read.\n";
  return kExitFailure;
}

}  // namespace tthc::app
