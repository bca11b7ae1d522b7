#pragma once
// Sends alert transitions to every configured sink, from its own thread:
//   - Alertmanager (API v2, POST /api/v2/alerts): every active alert, re-sent each
//     resend_interval with endsAt a few intervals ahead (so it stays alive while we live), and
//     each ended one once with its endsAt; labels alertname, dossier, unit, field, department,
//     severity (and province); the rest as annotations. Alertmanager dedups re-sends.
//   - generic JSON webhooks: each start and end once, in batches {"alerts": [...]}, signed with
//     HMAC-SHA256 when a secret is set, retried with exponential backoff; a delivery that keeps
//     failing goes to a dead-letter table.
//
// Alert state lives in its own SQLite file (store/alert_store.hpp): the active alerts (so a restart
// re-sends them to Alertmanager at once), the webhook outbox (written in the same transaction as
// the state, so a restart neither loses nor repeats a delivery that was acknowledged) and the dead
// letters. Transitions arriving together (a thousand dossiers crossing their due at the same
// second) leave in one batch per sink.
//
// Thread-safe: submit() from any thread; it only queues.

#include "alerts/observer.hpp"
#include "base/clock.hpp"
#include "base/log.hpp"
#include "base/result.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tthc::alerts {

struct WebhookSink {
  std::string url;
  std::optional<std::string> secret;  ///< HMAC-SHA256 of the body, when set
  std::string signature_header = "X-Signature";
  int max_attempts = 10;  ///< then the delivery is dead-lettered
};

struct DispatcherOptions {
  std::filesystem::path state_db;  ///< the alert state file (created if missing)
  std::filesystem::path store_db;  ///< the dossier store: handler names are read from it
  std::vector<std::string> alertmanager_urls;  ///< base URLs, e.g. http://127.0.0.1:9093
  std::vector<WebhookSink> webhooks;
  std::string province;  ///< a label on Alertmanager alerts when set
  std::chrono::milliseconds resend_interval{60'000};
  std::chrono::milliseconds batch_delay{200};  ///< transitions arriving within it: one batch
  std::chrono::milliseconds timeout{5'000};
  std::chrono::milliseconds backoff_initial{1'000};
  std::chrono::milliseconds backoff_max{300'000};
  std::optional<std::filesystem::path> ca_file;  ///< https sinks: trust this CA bundle
  /// The calendar's working day, for the working time left as text ("1wd 2h").
  Duration day_length = std::chrono::hours{8};
  /// Deliveries and state changes (info), failures (warning); no personal data at info.
  Log log;
  /// After each delivery attempt: the sink kind ("alertmanager", "webhook"), success, alerts.
  std::function<void(std::string_view sink, bool ok, std::size_t alerts)> delivered;
};

struct DispatcherStats {
  std::size_t active = 0;        ///< active alerts
  std::size_t outbox = 0;        ///< webhook deliveries waiting
  std::size_t dead_letters = 0;  ///< webhook deliveries given up
};

class Dispatcher {
 public:
  /// Opens (creating) the state file; an error names it. `clock` gives the alerts' moments,
  /// the resend interval and the webhook retries; it must outlive the dispatcher.
  static Result<std::unique_ptr<Dispatcher>> open(DispatcherOptions options, const Clock& clock);
  ~Dispatcher();  ///< stops the thread
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  void start();
  void stop();
  void submit(std::vector<Transition> transitions);
  DispatcherStats stats() const;
  /// Runs one round now (tests with a fake clock): apply what is queued, deliver what is due.
  void run_once();

 private:
  struct Impl;
  explicit Dispatcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tthc::alerts
