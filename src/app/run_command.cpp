// `tthc-monitor run`: the daemon (app/daemon.hpp), until SIGINT or SIGTERM.
#include "app/commands.hpp"

#include "app/cli_support.hpp"
#include "app/daemon.hpp"

#include <csignal>
#include <ostream>

namespace tthc::app {

int run_daemon(const SourceOptions& src, const RunCommand& cmd, std::ostream& out,
               std::ostream& err) {
  // Signals are taken by sigwait below; every thread started from here inherits the mask.
  sigset_t signals = block_stop_signals();
  auto daemon = Daemon::start(src, cmd, err);
  if (!daemon) return kExitFailure;
  daemon->listening(out);
  int sig = 0;
  sigwait(&signals, &sig);
  daemon->stop(sig);
  return kExitOk;
}

}  // namespace tthc::app
