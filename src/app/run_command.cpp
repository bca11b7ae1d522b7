// `tthc-monitor run`: the daemon. Intake (webhook, poller) into the store; the live state kept
// current from it and from the clock; metrics, the dossier API and the work lists served.
#include "alerts/dispatcher.hpp"
#include "alerts/observer.hpp"
#include "api/board_api.hpp"
#include "api/dossier_api.hpp"
#include "api/mc_webhook.hpp"
#include "api/report_api.hpp"
#include "app/commands.hpp"

#include "app/cli_support.hpp"
#include "app/descriptors.hpp"
#include "app/loading.hpp"
#include "app/spdlog_log.hpp"
#include "app/store_lock.hpp"
#include "domain/text.hpp"
#include "http/server.hpp"
#include "ingest/intake.hpp"
#include "ingest/poller.hpp"
#include "live/monitor.hpp"
#include "metrics/metrics.hpp"
#include "reports/claimed.hpp"
#include "reports/scheduler.hpp"
#include "reports/source.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <pthread.h>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ostream>
#include <thread>

namespace tthc::app {

namespace {

ingest::PollerOptions poller_options(const config::PollerSettings& p) {
  ingest::PollerOptions o;
  o.name = p.name;
  o.url = p.url;
  o.cursor_param = p.cursor_param;
  o.limit_param = p.limit_param;
  o.page_size = p.page_size;
  o.shape = ingest::PageShape{p.records_path, p.next_cursor_path, p.has_more_path};
  o.progress_url = p.progress_url;
  o.progress_shape = ingest::PageShape{p.progress_records_path, "", ""};
  o.interval = p.interval;
  o.timeout = p.timeout;
  o.max_pages_per_cycle = p.max_pages_per_cycle;
  if (p.auth == "bearer") o.auth = ingest::PollerOptions::Auth::Bearer;
  if (p.auth == "api_key") o.auth = ingest::PollerOptions::Auth::ApiKey;
  if (p.auth == "basic") o.auth = ingest::PollerOptions::Auth::Basic;
  o.secret = p.secret.value_or("");
  o.api_key_header = p.api_key_header;
  o.ca_file = p.ca_file;
  return o;
}

/// The HTTP server's options from [http], its connection cap fitted to the descriptor limit
/// (raised first to the hard limit).
http::ServerOptions server_options(const config::HttpSettings& h, spdlog::logger& log) {
  http::ServerOptions o;
  o.address = h.address;
  o.port = h.port;
  o.body_limit = h.body_limit;
  o.max_connections = h.max_connections;
  o.max_connections_per_client = h.max_connections_per_client;
  o.reserve_connections = h.reserve_connections;
  o.header_timeout = h.header_timeout;
  o.reserved_paths = api::kProbePaths;
  const DescriptorLimit limit = raise_descriptor_limit();
  if (!limit.error.empty()) log.warn("descriptor limit: {}", limit.error);
  if (limit.soft == 0) return o;  // unknown: the configured cap as it is
  log.info("descriptor limit {} (hard {}{})", limit.soft, limit.hard,
           limit.before != limit.soft ? ", raised from " + std::to_string(limit.before) : "");
  o.max_connections = connections_within(limit.soft, h.max_connections, h.reserve_connections);
  if (o.max_connections < h.max_connections) {
    log.warn(
        "http.max_connections lowered from {} to {}: the descriptor limit is {} ({} kept for the "
        "store and the reserve); raise LimitNOFILE or ulimit -n",
        h.max_connections, o.max_connections, limit.soft,
        kOtherDescriptors + h.reserve_connections);
  }
  return o;
}

}  // namespace

int run_daemon(const SourceOptions& src, const RunCommand& cmd, std::ostream& out,
               std::ostream& err) {
  // Signals are taken by sigwait below; every thread started from here inherits the mask.
  sigset_t signals = block_stop_signals();

  auto loaded = load_with_calendar(src, err);
  if (!loaded) return kExitFailure;
  config::Settings& settings = loaded->settings;
  if (cmd.db) settings.store.path = *cmd.db;
  if (cmd.listen_port) settings.http.port = *cmd.listen_port;

  auto log = spdlog::stderr_color_mt("tthc");
  log->set_pattern("%Y-%m-%dT%H:%M:%S%z %l %v");

  const auto rules = load_catalogue_for(
      settings, err, [&log](const std::string& warning) { log->warn("{}", warning); });
  if (!rules) return kExitFailure;
  // Held until the daemon exits: `restore` refuses to replace the store meanwhile.
  auto store_lock = StoreLock::try_acquire(settings.store.path);
  if (!store_lock) {
    err << "tthc-monitor: error: " << store_lock.error().message << "\n";
    return kExitFailure;
  }
  if (!*store_lock) {
    err << "tthc-monitor: error: " << settings.store.path.string()
        << " is in use: another daemon or a restore holds "
        << StoreLock::path_for(settings.store.path).string() << "\n";
    return kExitFailure;
  }
  auto writer = open_writer(settings.store, err);  // creates and migrates the file
  if (!writer) return kExitFailure;
  const engine::Catalogue catalogue(*rules);
  const calendar::WorkingCalendar& cal = loaded->calendar;

  metrics::MetricsOptions metrics_options;
  metrics_options.province = settings.metrics.province;
  metrics_options.version = TTHC_VERSION;
  metrics_options.on_time_target = settings.metrics.on_time_target;
  metrics_options.reduced_ratio = settings.metrics.reduced_ratio;
  metrics_options.labels = {settings.metrics.max_units, settings.metrics.max_fields,
                            settings.metrics.max_departments, settings.metrics.max_unit_fields,
                            settings.metrics.max_unit_departments};
  metrics::Metrics metrics(metrics_options, cal);
  // Unix time of the last committed batch (-1: none), for the board's freshness line.
  std::atomic<std::int64_t> last_intake{-1};
  if (auto reader = store::Reader::open(settings.store.path)) {
    if (auto last = reader->last_arrival()) {
      metrics.set_last_intake(*last);
      if (*last > 0) last_intake = *last;
    }
  }

  // Declared before the monitor, so they outlive its thread (it calls the observer and, once
  // loaded, starts the report scheduler).
  std::unique_ptr<alerts::Dispatcher> dispatcher;
  std::unique_ptr<alerts::AlertObserver> alert_observer;
  std::unique_ptr<reports::Scheduler> report_scheduler;

  reports::ReportSource report_source;
  report_source.db = settings.store.path;
  report_source.calendar = &cal;
  report_source.catalogue = &catalogue;
  report_source.settings = settings.engine;
  report_source.period_start_day = settings.reports.period_start_day;
  // tthc_claimed_on_time_rate_gap: the store is read once the live state has loaded and again
  // whenever statistics are kept, never at a scrape.
  const auto refresh_claimed_gaps = [&metrics, log, report_source] {
    auto claimed = reports::claimed_for_metric(report_source, now_in_vietnam());
    if (!claimed) {
      log->error("claimed statistics: {}", claimed.error().message);
      return;
    }
    std::vector<metrics::UnitGap> gaps;
    for (auto& [unit, gap] : reports::on_time_rate_gaps(*claimed)) gaps.push_back({unit, gap});
    metrics.set_claimed_gaps(gaps);
  };

  live::MonitorOptions monitor_options;
  monitor_options.db = settings.store.path;
  monitor_options.log = spdlog_log(log);
  monitor_options.loaded = [log, &report_scheduler,
                            &refresh_claimed_gaps](const live::LoadStats& s) {
    log->info("live state ready: {} dossiers judged, {} in process, in {:.1f} s", s.dossiers,
              s.held, s.seconds);
    refresh_claimed_gaps();
    // Missing monthly snapshots are written after the start-up load, not during it: the two
    // together would double the daemon's peak memory and slow its readiness.
    if (report_scheduler) report_scheduler->start();
  };
  live::Monitor monitor(monitor_options, system_clock(), catalogue, cal, settings.engine,
                        {&metrics});

  ingest::IntakeOptions intake_options;
  intake_options.on_commit = [&metrics, &monitor,
                              &last_intake](const ingest::CommitReport& report) {
    for (const auto& b : report.batches) {
      last_intake = b.info->arrived_unix;
      const std::uint64_t accepted = b.counts->accepted;
      const std::uint64_t rejected = b.info->rejected;
      const std::uint64_t unchanged = b.records - rejected - accepted;
      metrics.record_commit(report.seconds, b.info->arrived_unix, accepted, unchanged, rejected,
                            b.info->sender);
      monitor.notify(b.counts->changed);
    }
  };
  intake_options.log = spdlog_log(log);
  ingest::Intake intake(std::move(*writer), intake_options, system_clock());
  // SQLite's quick check of the whole file, beside the start-up load (both read every page; a
  // million dossiers: 1.4 s from the page cache, tens of seconds from a cold disk) so that the
  // probes answer meanwhile. A store found damaged takes no more writes (the last backup is the
  // way back); SQLite refuses a commit that meets a malformed page before the check ends.
  std::jthread integrity_check([&intake, &settings, log](std::stop_token stop) {
    const auto started = std::chrono::steady_clock::now();
    auto problems = store::check_integrity(settings.store.path, false,
                                           [&stop] { return stop.stop_requested(); });
    if (stop.stop_requested()) return;
    std::optional<std::string> damaged;
    if (!problems) {
      damaged = problems.error().message;
    } else if (!problems->empty()) {
      damaged = problems->front() +
                (problems->size() > 1 ? " (and " + std::to_string(problems->size() - 1) + " more)"
                                      : std::string());
    }
    if (!damaged) {
      log->info("store quick check: ok in {:.1f} s",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      return;
    }
    intake.mark_damaged(*damaged);
    log->error(
        "store {} is damaged: {}. Nothing is written to it; the webhook answers 500 "
        "(error_code 5) and /readyz store_damaged. Stop the daemon and restore the last "
        "backup (README: Operations); `tthc-monitor check-store --full` lists the damage",
        settings.store.path.string(), *damaged);
  });
  auto synced = intake
                    .run_on_writer([rows = catalogue_rows(*rules)](store::Writer& w) {
                      return w.replace_catalogue(rows);
                    })
                    .get();
  if (!synced) {
    err << "tthc-monitor: error: " << synced.error().message << "\n";
    return kExitFailure;
  }

  http::Router router;
  api::WebhookOptions hook;
  hook.secret = settings.webhook.secret;
  hook.signature_header = settings.webhook.signature_header;
  hook.signature_tolerance = settings.webhook.signature_tolerance;
  hook.require_timestamp = settings.webhook.require_timestamp;
  // DongBoThongKeHoSo records, read by the parser (a bad one is a rejection in the answer),
  // kept in one transaction on the writer thread.
  hook.statistics = [&intake, &refresh_claimed_gaps](std::vector<ClaimedStats> records,
                                                     std::string sender) -> Result<std::size_t> {
    if (sender.size() > 128 || !is_valid_utf8(sender)) sender.clear();  // provenance only
    const std::int64_t arrived = system_clock().unix_seconds();
    auto kept = intake
                    .run_on_writer([&records, &sender, arrived](store::Writer& w) {
                      return w.put_claimed_stats(records, sender, arrived);
                    })
                    .get();
    if (!kept) return std::move(kept).error();
    if (*kept > 0) refresh_claimed_gaps();
    return *kept;
  };
  api::add_mc_webhook(router, intake, hook);
  api::ReadApiOptions read;
  read.db = settings.store.path;
  read.catalogue = &catalogue;
  read.calendar = &cal;
  read.settings = settings.engine;
  read.now = now_in_vietnam;
  read.token = settings.http.read_token;
  read.monitor = &monitor;
  read.store_health = [&intake] { return intake.health(); };
  read.metrics = &metrics;
  api::add_read_api(router, std::move(read));
  api::ReportApiOptions report_api;
  report_api.source = report_source;
  report_api.now = now_in_vietnam;
  report_api.token = settings.http.read_token;
  api::add_report_api(router, std::move(report_api));
  // The poller starts after the server; the board reads its state once it is there.
  std::atomic<ingest::Poller*> running_poller{nullptr};
  api::BoardOptions board;
  board.monitor = &monitor;
  board.catalogue = &catalogue;
  board.calendar = &cal;
  board.settings = settings.engine;
  board.db = settings.store.path;
  board.now = now_in_vietnam;
  board.token = settings.http.read_token;
  board.province = settings.metrics.province;
  board.on_time_target = settings.metrics.on_time_target;
  board.report_source = report_source;
  board.reports_dir = settings.reports.dir;
  board.last_intake_unix = [&last_intake]() -> std::optional<std::int64_t> {
    const std::int64_t last = last_intake.load();
    return last >= 0 ? std::optional<std::int64_t>(last) : std::nullopt;
  };
  if (settings.poller.enabled) {
    board.poll_stats = [&running_poller] {
      ingest::Poller* p = running_poller.load();
      return p != nullptr ? p->stats() : ingest::PollStats{};
    };
  }
  if (const char* dir = std::getenv("TTHC_BOARD_ASSETS"); dir != nullptr && *dir != '\0') {
    board.assets_dir = dir;
    log->warn("board assets served from {} (TTHC_BOARD_ASSETS), not the built-in copies", dir);
  }
  api::add_board(router, std::move(board));

  http::ServerOptions options = server_options(settings.http, *log);
  options.worker_threads = 8;  // handlers wait for group commits; more of them, bigger groups
  options.log = [log](std::string_view message) { log->error("http: {}", message); };
  options.on_response = [&metrics](std::string_view path, int status) {
    metrics.record_response(path, status);
  };
  options.refusal_body = api::mc_refusal_body;
  http::Server server(options, std::move(router));
  auto port = server.start();
  if (!port) {
    err << "tthc-monitor: error: " << port.error().message << "\n";
    return kExitFailure;
  }
  log->info("store {} ({} procedures in the catalogue, calendar {})", settings.store.path.string(),
            rules->size(), loaded->calendar.version());

  const config::AlertsSettings& alert_settings = settings.alerts;
  if (!alert_settings.alertmanager.empty() || !alert_settings.webhooks.empty()) {
    alerts::DispatcherOptions d;
    d.state_db = alert_settings.state;
    d.store_db = settings.store.path;
    d.alertmanager_urls = alert_settings.alertmanager;
    for (const auto& w : alert_settings.webhooks) {
      d.webhooks.push_back({w.url, w.secret, w.signature_header, w.max_attempts});
    }
    d.province = settings.metrics.province;
    d.resend_interval = alert_settings.resend_interval;
    d.ca_file = alert_settings.ca_file;
    d.day_length = cal.day_length();
    d.log = spdlog_log(log);
    d.delivered = [&metrics](std::string_view, bool ok, std::size_t n) {
      metrics.record_alert_delivery(ok, n);
    };
    auto opened = alerts::Dispatcher::open(std::move(d), system_clock());
    if (!opened) {
      err << "tthc-monitor: error: " << opened.error().message << "\n";
      return kExitFailure;
    }
    dispatcher = std::move(*opened);
    alerts::AlertSettings rules_for_alerts;
    rules_for_alerts.due_soon = alert_settings.due_soon;
    rules_for_alerts.due_soon_by_procedure = alert_settings.due_soon_by_procedure;
    rules_for_alerts.dossier_url = !alert_settings.dossier_url.empty()
                                       ? alert_settings.dossier_url
                                       : "http://" + settings.http.address + ":" +
                                             std::to_string(*port) + "/api/v1/dossiers/{code}";
    alert_observer = std::make_unique<alerts::AlertObserver>(
        rules_for_alerts,
        [d = dispatcher.get()](std::vector<alerts::Transition> t) { d->submit(std::move(t)); });
    monitor.with_state([&](live::LiveState& s) {
      s.add_observer(alert_observer.get());
      return 0;
    });
    metrics.set_alert_source([d = dispatcher.get()] {
      const alerts::DispatcherStats s = d->stats();
      return metrics::AlertCounts{s.active, s.outbox, s.dead_letters};
    });
    dispatcher->start();
    log->info("alerts to {} Alertmanager(s) and {} webhook(s); state in {}",
              alert_settings.alertmanager.size(), alert_settings.webhooks.size(),
              alert_settings.state.string());
  }
  // Each closed month's reports, frozen into the reports folder at the configured hour; the
  // scheduler starts once the live state has loaded (monitor_options.loaded).
  if (!settings.reports.dir.empty()) {
    reports::SchedulerOptions so;
    so.dir = settings.reports.dir;
    so.hour = settings.reports.hour;
    so.period_start_day = settings.reports.period_start_day;
    so.backfill_months = settings.reports.backfill_months;
    so.build = [report_source](const reports::Period& p) {
      return reports::build_reports(report_source, p, p.end);
    };
    so.first_receipt = [db = settings.store.path]() -> Result<std::optional<Moment>> {
      auto reader = store::Reader::open(db);
      if (!reader) return std::move(reader).error();
      return reader->first_received();
    };
    so.log = spdlog_log(log);
    report_scheduler = std::make_unique<reports::Scheduler>(std::move(so), system_clock());
  }

  // The live state loads after the server is up: /readyz says "loading" meanwhile.
  monitor.start();
  if (!settings.webhook.secret) {
    log->warn("webhook accepts unsigned bodies: set webhook.secret_file or secret_env");
  }
  std::unique_ptr<ingest::Poller> poller;
  if (settings.poller.enabled) {
    ingest::Poller::Seams seams;
    seams.log = spdlog_log(log);
    poller = std::make_unique<ingest::Poller>(poller_options(settings.poller), intake,
                                              settings.store.path, system_clock(), seams);
    metrics.set_poll_source([p = poller.get()] {
      const ingest::PollStats s = p->stats();
      return metrics::PollCounts{s.cycles - s.cycles_failed, s.cycles_failed, s.accepted,
                                 s.rejected};
    });
    running_poller = poller.get();
    poller->start();
    log->info("polling {} every {} s", settings.poller.url,
              std::chrono::duration_cast<std::chrono::seconds>(settings.poller.interval).count());
  }
  out << "tthc-monitor: listening on http://" << settings.http.address << ":" << *port << "\n"
      << "tthc-monitor: the board: http://" << settings.http.address << ":" << *port << "/\n"
      << std::flush;
  log->info("listening on http://{}:{}", settings.http.address, *port);

  int sig = 0;
  sigwait(&signals, &sig);
  log->info("signal {}: stopping", sig);
  if (poller) poller->stop();  // a cycle in progress ends at its next request's timeout at worst
  server.stop(std::chrono::seconds(10));
  monitor.stop();  // before the scheduler: its load callback starts the scheduler
  if (report_scheduler) report_scheduler->stop();
  if (dispatcher) dispatcher->stop();  // a delivery in progress ends at its timeout at worst
  log->info("stopped");
  return kExitOk;
}

}  // namespace tthc::app
