#pragma once
// The daemon of `tthc-monitor run`: intake (webhook, poller) into the store; the live state
// kept current from it and from the clock; metrics, the dossier API and the work lists served.
//
// Its members are its components in the order of their lifetimes: each is built after, and
// destroyed before, every one it uses. start() builds them in that order by one small function
// each; a component that cannot start ends the start with its error, and the ones already
// built are destroyed in reverse order. stop() stops the threads in the order the components
// call each other. The only place that knows every module.
//
// Not thread-safe: start, listening and stop from the thread that blocked the stop signals.

#include "alerts/dispatcher.hpp"
#include "alerts/observer.hpp"
#include "app/commands.hpp"
#include "app/loading.hpp"
#include "app/store_lock.hpp"
#include "base/worker.hpp"
#include "engine/catalogue.hpp"
#include "http/server.hpp"
#include "ingest/intake.hpp"
#include "ingest/poller.hpp"
#include "live/monitor.hpp"
#include "metrics/metrics.hpp"
#include "reports/scheduler.hpp"
#include "reports/source.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <vector>

namespace spdlog {
class logger;
}

namespace tthc::app {

class Daemon {
 public:
  /// Every component built and started; nullptr when one cannot start (`err` says why).
  static std::unique_ptr<Daemon> start(const SourceOptions& src, const RunCommand& cmd,
                                       std::ostream& err);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  /// Tells `out` (and the log) where the server and the board listen.
  void listening(std::ostream& out);
  /// The graceful stop after `signal`: the threads stopped in the order they call each other.
  void stop(int signal);

 private:
  explicit Daemon(std::ostream& err) : err_(err) {}

  const config::Settings& settings() const { return loaded_->settings; }
  bool fail(const Error& e);

  bool load(const SourceOptions& src, const RunCommand& cmd);
  bool lock_store();
  void build_metrics();
  void build_report_source();
  void build_monitor();
  bool build_intake(store::Writer writer);
  void start_integrity_check();
  http::Router build_router();
  void add_webhook(http::Router& router);
  void add_read_apis(http::Router& router);
  void add_board(http::Router& router);
  bool start_server();
  bool start_alerts();
  void build_scheduler();
  void start_poller();
  void refresh_claimed_gaps();

  std::ostream& err_;
  std::optional<Loaded> loaded_;
  std::shared_ptr<spdlog::logger> log_;
  std::optional<std::vector<engine::ProcedureRule>> rules_;
  std::optional<engine::UnitRegister> units_;  // [units] file: the unit register
  // Held until the daemon exits: `restore` refuses to replace the store meanwhile.
  std::optional<StoreLock> store_lock_;
  std::optional<engine::Catalogue> catalogue_;
  std::optional<metrics::Metrics> metrics_;
  // Unix time of the last committed batch (-1: none), for the board's freshness line.
  std::atomic<std::int64_t> last_intake_{-1};
  // Before the monitor, so they outlive its thread (it calls the observer and, once loaded,
  // starts the report scheduler).
  std::unique_ptr<alerts::Dispatcher> dispatcher_;
  std::unique_ptr<alerts::AlertObserver> alert_observer_;
  std::unique_ptr<reports::Scheduler> report_scheduler_;
  reports::ReportSource report_source_;
  std::optional<live::Monitor> monitor_;
  std::optional<ingest::Intake> intake_;
  Worker integrity_check_;
  // The poller starts after the server; the board reads its state once it is there.
  std::atomic<ingest::Poller*> running_poller_{nullptr};
  std::optional<http::Server> server_;
  std::uint16_t port_ = 0;
  std::unique_ptr<ingest::Poller> poller_;
};

}  // namespace tthc::app
