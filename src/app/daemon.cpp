#include "app/daemon.hpp"

#include "api/board_api.hpp"
#include "api/dossier_api.hpp"
#include "api/mc_webhook.hpp"
#include "api/probes_api.hpp"
#include "api/report_api.hpp"
#include "app/cli_support.hpp"
#include "app/descriptors.hpp"
#include "app/spdlog_log.hpp"
#include "base/clock.hpp"
#include "domain/text.hpp"
#include "reports/claimed.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>

namespace tthc::app {

namespace {

/// The HTTP server's options from [http], its connection cap fitted to the descriptor limit
/// (raised first to the hard limit).
http::ServerOptions server_options(const http::ServerOptions& configured, spdlog::logger& log) {
  http::ServerOptions o = configured;
  o.reserved_paths = api::kProbePaths;
  const DescriptorLimit limit = raise_descriptor_limit();
  if (!limit.error.empty()) log.warn("descriptor limit: {}", limit.error);
  if (limit.soft == 0) return o;  // unknown: the configured cap as it is
  log.info("descriptor limit {} (hard {}{})", limit.soft, limit.hard,
           limit.before != limit.soft ? ", raised from " + std::to_string(limit.before) : "");
  o.max_connections =
      connections_within(limit.soft, configured.max_connections, configured.reserve_connections);
  if (o.max_connections < configured.max_connections) {
    log.warn(
        "http.max_connections lowered from {} to {}: the descriptor limit is {} ({} kept for the "
        "store and the reserve); raise LimitNOFILE or ulimit -n",
        configured.max_connections, o.max_connections, limit.soft,
        kOtherDescriptors + configured.reserve_connections);
  }
  return o;
}

}  // namespace

std::unique_ptr<Daemon> Daemon::start(const SourceOptions& src, const RunCommand& cmd,
                                      std::ostream& err) {
  std::unique_ptr<Daemon> d(new Daemon(err));
  if (!d->load(src, cmd) || !d->lock_store()) return nullptr;
  auto writer = open_writer(d->settings().store, err);  // creates and migrates the file
  if (!writer) return nullptr;
  d->catalogue_.emplace(*d->rules_);
  d->build_metrics();
  d->build_report_source();
  d->build_monitor();
  if (!d->build_intake(std::move(*writer)) || !d->start_server() || !d->start_alerts()) {
    return nullptr;
  }
  d->build_scheduler();
  // The live state loads after the server is up: /readyz says "loading" meanwhile.
  d->monitor_->start();
  if (!d->settings().webhook.secret) {
    d->log_->warn("webhook accepts unsigned bodies: set webhook.secret_file or secret_env");
  }
  d->start_poller();
  return d;
}

Daemon::~Daemon() = default;

bool Daemon::fail(const Error& e) {
  err_ << "tthc-monitor: error: " << e.message << "\n";
  return false;
}

bool Daemon::load(const SourceOptions& src, const RunCommand& cmd) {
  loaded_ = load_with_calendar(src, err_);
  if (!loaded_) return false;
  config::Settings& settings = loaded_->settings;
  if (cmd.db) settings.store.path = *cmd.db;
  if (cmd.listen_port) settings.http.server.port = *cmd.listen_port;

  auto log = spdlog::stderr_color_mt("tthc");
  log->set_pattern("%Y-%m-%dT%H:%M:%S%z %l %v");
  log_ = log;

  const auto warn = [&log](const std::string& warning) { log->warn("{}", warning); };
  rules_ = load_catalogue_for(settings, err_, warn);
  units_ = load_units_for(settings, err_, warn);
  return rules_.has_value() && units_.has_value();
}

bool Daemon::lock_store() {
  const auto& path = settings().store.path;
  auto lock = StoreLock::try_acquire(path);
  if (!lock) return fail(lock.error());
  if (!*lock) {
    return fail(Error{path.string() + " is in use: another daemon or a restore holds " +
                      StoreLock::path_for(path).string()});
  }
  store_lock_.emplace(std::move(**lock));
  return true;
}

void Daemon::build_metrics() {
  metrics::MetricsOptions metrics_options = settings().metrics;
  metrics_options.version = TTHC_VERSION;
  metrics_.emplace(metrics_options, loaded_->calendar);
  if (auto reader = store::Reader::open(settings().store.path)) {
    if (auto last = reader->last_arrival()) {
      metrics_->set_last_intake(*last);
      if (*last > 0) last_intake_ = *last;
    }
  }
}

void Daemon::build_report_source() {
  report_source_.db = settings().store.path;
  report_source_.calendar = &loaded_->calendar;
  report_source_.catalogue = &*catalogue_;
  report_source_.settings = settings().engine;
  report_source_.period_start_day = settings().reports.period_start_day;
  report_source_.units = &*units_;
  report_source_.unit_options = settings().units;
}

// tthc_claimed_on_time_rate_gap: the store is read once the live state has loaded and again
// whenever statistics are kept, never at a scrape.
void Daemon::refresh_claimed_gaps() {
  auto claimed = reports::claimed_for_metric(report_source_, now_in_vietnam());
  if (!claimed) {
    log_->error("claimed statistics: {}", claimed.error().message);
    return;
  }
  std::vector<metrics::UnitGap> gaps;
  for (auto& [unit, gap] : reports::on_time_rate_gaps(*claimed)) gaps.push_back({unit, gap});
  metrics_->set_claimed_gaps(gaps);
}

void Daemon::build_monitor() {
  auto log = log_;
  live::MonitorOptions monitor_options;
  monitor_options.db = settings().store.path;
  // The live figures count under the units in force: the register maps ended units.
  monitor_options.units = {&*units_, settings().units.count_under};
  monitor_options.log = spdlog_log(log);
  monitor_options.loaded = [this, log](const live::LoadStats& s) {
    log->info("live state ready: {} dossiers judged, {} in process, in {:.1f} s", s.dossiers,
              s.held, s.seconds);
    refresh_claimed_gaps();
    // Missing monthly snapshots are written after the start-up load, not during it: the two
    // together would double the daemon's peak memory and slow its readiness.
    if (report_scheduler_) report_scheduler_->start();
  };
  monitor_.emplace(monitor_options, system_clock(), *catalogue_, loaded_->calendar,
                   settings().engine, std::vector<live::Observer*>{&*metrics_});
}

bool Daemon::build_intake(store::Writer writer) {
  auto log = log_;
  ingest::IntakeOptions intake_options;
  intake_options.on_commit = [this](const ingest::CommitReport& report) {
    for (const auto& b : report.batches) {
      last_intake_ = b.info->arrived_unix;
      const std::uint64_t accepted = b.counts->accepted;
      const std::uint64_t rejected = b.info->rejected;
      const std::uint64_t unchanged = b.records - rejected - accepted;
      metrics_->record_commit(report.seconds, b.info->arrived_unix, accepted, unchanged, rejected,
                              b.info->sender);
      monitor_->notify(b.counts->changed);
    }
  };
  intake_options.log = spdlog_log(log);
  intake_.emplace(std::move(writer), intake_options, system_clock());
  start_integrity_check();
  auto synced = intake_
                    ->run_on_writer([rows = catalogue_rows(*rules_)](store::Writer& w) {
                      return w.replace_catalogue(rows);
                    })
                    .get();
  if (!synced) return fail(synced.error());
  return true;
}

// SQLite's quick check of the whole file, beside the start-up load (both read every page; a
// million dossiers: 1.4 s from the page cache, tens of seconds from a cold disk) so that the
// probes answer meanwhile. A store found damaged takes no more writes (the last backup is the
// way back); SQLite refuses a commit that meets a malformed page before the check ends.
void Daemon::start_integrity_check() {
  integrity_check_.start([this, log = log_](Worker& worker) {
    const auto started = system_clock().steady();
    auto problems = store::check_integrity(settings().store.path, false,
                                           [&worker] { return worker.stopping(); });
    if (worker.stopping()) return;
    std::optional<std::string> damaged;
    if (!problems) {
      damaged = problems.error().message;
    } else if (!problems->empty()) {
      damaged = problems->front() +
                (problems->size() > 1 ? " (and " + std::to_string(problems->size() - 1) + " more)"
                                      : std::string());
    }
    if (!damaged) {
      log->info("store quick check: ok in {:.1f} s", system_clock().seconds_since(started));
      return;
    }
    intake_->mark_damaged(*damaged);
    log->error(
        "store {} is damaged: {}. Nothing is written to it; the webhook answers 500 "
        "(error_code 5) and /readyz store_damaged. Stop the daemon and restore the last "
        "backup (README: Operations); `tthc-monitor check-store --full` lists the damage",
        settings().store.path.string(), *damaged);
  });
}

http::Router Daemon::build_router() {
  http::Router router;
  add_webhook(router);
  add_read_apis(router);
  add_board(router);
  return router;
}

void Daemon::add_webhook(http::Router& router) {
  api::WebhookOptions hook = settings().webhook;
  // DongBoThongKeHoSo records, read by the parser (a bad one is a rejection in the answer),
  // kept in one transaction on the writer thread.
  hook.statistics = [this](std::vector<ClaimedStats> records,
                           std::string sender) -> Result<std::size_t> {
    if (sender.size() > 128 || !is_valid_utf8(sender)) sender.clear();  // provenance only
    const std::int64_t arrived = system_clock().unix_seconds();
    TTHC_TRY(const std::size_t kept,
             intake_
                 ->run_on_writer([&records, &sender, arrived](store::Writer& w) {
                   return w.put_claimed_stats(records, sender, arrived);
                 })
                 .get());
    if (kept > 0) refresh_claimed_gaps();
    return kept;
  };
  hook.metrics = &*metrics_;
  api::add_mc_webhook(router, *intake_, system_clock(), hook);
}

void Daemon::add_read_apis(http::Router& router) {
  const config::Settings& settings = this->settings();
  api::ReadApiOptions read{.catalogue = *catalogue_, .calendar = loaded_->calendar};
  read.units = {&*units_, settings.units};
  read.db = settings.store.path;
  read.settings = settings.engine;
  read.token = settings.http.read_token;
  read.monitor = &*monitor_;
  api::add_read_api(router, system_clock(), std::move(read));
  api::ProbeOptions probes;
  probes.token = settings.http.read_token;
  probes.monitor = &*monitor_;
  probes.metrics = &*metrics_;
  probes.store_health = [this] { return intake_->health(); };
  api::add_probes(router, system_clock(), std::move(probes));
  api::ReportApiOptions report_api;
  report_api.source = report_source_;
  report_api.token = settings.http.read_token;
  report_api.snapshots_dir = settings.reports.dir;
  api::add_report_api(router, system_clock(), std::move(report_api));
}

void Daemon::add_board(http::Router& router) {
  const config::Settings& settings = this->settings();
  api::BoardOptions board{
      .monitor = *monitor_, .catalogue = *catalogue_, .calendar = loaded_->calendar};
  board.settings = settings.engine;
  board.db = settings.store.path;
  board.token = settings.http.read_token;
  board.province = settings.metrics.province;
  board.on_time_target = settings.metrics.on_time_target;
  board.report_source = report_source_;
  board.reports_dir = settings.reports.dir;
  board.last_intake_unix = [this]() -> std::optional<std::int64_t> {
    const std::int64_t last = last_intake_.load();
    return last >= 0 ? std::optional<std::int64_t>(last) : std::nullopt;
  };
  if (settings.poller.enabled) {
    board.poll_stats = [this] {
      ingest::Poller* p = running_poller_.load();
      return p != nullptr ? p->stats() : ingest::PollStats{};
    };
  }
  if (const char* dir = std::getenv("TTHC_BOARD_ASSETS"); dir != nullptr && *dir != '\0') {
    board.assets_dir = dir;
    log_->warn("board assets served from {} (TTHC_BOARD_ASSETS), not the built-in copies", dir);
  }
  api::add_board(router, system_clock(), std::move(board));
}

bool Daemon::start_server() {
  auto log = log_;
  http::Router router = build_router();
  http::ServerOptions options = server_options(settings().http.server, *log);
  options.worker_threads = 8;  // handlers wait for group commits; more of them, bigger groups
  options.log = [log](LogLevel, std::string_view message) { log->error("http: {}", message); };
  options.refusal_body = api::counted_mc_refusal_body(*metrics_);
  server_.emplace(options, std::move(router));
  auto port = server_->start();
  if (!port) return fail(port.error());
  port_ = *port;
  log->info("store {} ({} procedures in the catalogue, calendar {})",
            settings().store.path.string(), rules_->size(), loaded_->calendar.version());
  return true;
}

bool Daemon::start_alerts() {
  auto log = log_;
  const config::AlertsSettings& alert_settings = settings().alerts;
  if (alert_settings.delivery.alertmanager_urls.empty() &&
      alert_settings.delivery.webhooks.empty()) {
    return true;
  }
  alerts::DispatcherOptions d = alert_settings.delivery;
  d.store_db = settings().store.path;
  d.province = settings().metrics.province;
  d.day_length = loaded_->calendar.day_length();
  d.log = spdlog_log(log);
  d.delivered = [this](std::string_view, bool ok, std::size_t n) {
    metrics_->record_alert_delivery(ok, n);
  };
  auto opened = alerts::Dispatcher::open(std::move(d), system_clock());
  if (!opened) return fail(opened.error());
  dispatcher_ = std::move(*opened);
  alerts::AlertSettings rules_for_alerts = alert_settings.rules;
  if (rules_for_alerts.dossier_url.empty()) {
    rules_for_alerts.dossier_url = "http://" + settings().http.server.address + ":" +
                                   std::to_string(port_) + "/api/v1/dossiers/{code}";
  }
  alert_observer_ = std::make_unique<alerts::AlertObserver>(
      rules_for_alerts,
      [d = dispatcher_.get()](std::vector<alerts::Transition> t) { d->submit(std::move(t)); });
  monitor_->with_state([&](live::LiveState& s) {
    s.add_observer(alert_observer_.get());
    return 0;
  });
  metrics_->set_alert_source([d = dispatcher_.get()] {
    const alerts::DispatcherStats s = d->stats();
    return metrics::AlertCounts{s.active, s.outbox, s.dead_letters};
  });
  dispatcher_->start();
  log->info("alerts to {} Alertmanager(s) and {} webhook(s); state in {}",
            alert_settings.delivery.alertmanager_urls.size(),
            alert_settings.delivery.webhooks.size(), alert_settings.delivery.state_db.string());
  return true;
}

// Each closed month's reports, frozen into the reports folder at the configured hour; the
// scheduler starts once the live state has loaded (build_monitor).
void Daemon::build_scheduler() {
  if (settings().reports.dir.empty()) return;
  auto log = log_;
  reports::SchedulerOptions so = settings().reports;
  so.build = [report_source = report_source_](const reports::Period& p) {
    return reports::build_reports(report_source, p, p.end);
  };
  so.first_receipt = [db = settings().store.path]() -> Result<std::optional<Moment>> {
    TTHC_TRY(auto reader, store::Reader::open(db));
    return reader.first_received();
  };
  so.log = spdlog_log(log);
  report_scheduler_ = std::make_unique<reports::Scheduler>(std::move(so), system_clock());
}

void Daemon::start_poller() {
  if (!settings().poller.enabled) return;
  ingest::Poller::Seams seams;
  seams.log = spdlog_log(log_);
  const ingest::PollerOptions& options = settings().poller.options;
  poller_ = std::make_unique<ingest::Poller>(options, *intake_, settings().store.path,
                                             system_clock(), seams);
  metrics_->set_poll_source([p = poller_.get()] {
    const ingest::PollStats s = p->stats();
    return metrics::PollCounts{s.cycles - s.cycles_failed, s.cycles_failed, s.accepted, s.rejected};
  });
  running_poller_ = poller_.get();
  poller_->start();
  log_->info("polling {} every {} s", options.url,
             std::chrono::duration_cast<std::chrono::seconds>(options.interval).count());
}

void Daemon::listening(std::ostream& out) {
  const std::string& address = settings().http.server.address;
  out << "tthc-monitor: listening on http://" << address << ":" << port_ << "\n"
      << "tthc-monitor: the board: http://" << address << ":" << port_ << "/\n"
      << std::flush;
  log_->info("listening on http://{}:{}", address, port_);
}

void Daemon::stop(int signal) {
  log_->info("signal {}: stopping", signal);
  if (poller_) poller_->stop();  // a cycle in progress ends at its next request's timeout at worst
  server_->stop(std::chrono::seconds(10));
  monitor_->stop();  // before the scheduler: its load callback starts the scheduler
  if (report_scheduler_) report_scheduler_->stop();
  if (dispatcher_) dispatcher_->stop();  // a delivery in progress ends at its timeout at worst
  log_->info("stopped");
}

}  // namespace tthc::app
