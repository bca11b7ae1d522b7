#include "alerts/dispatcher.hpp"

#include "alerts/alert_json.hpp"
#include "base/backoff.hpp"
#include "base/worker.hpp"

#include "http/client.hpp"
#include "http/signature.hpp"
#include "store/alert_store.hpp"
#include "store/store.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <unordered_set>

namespace tthc::alerts {

namespace {

namespace json = boost::json;

constexpr std::size_t kBatchLimit = 500;  ///< alerts in one webhook request

std::string quoted_error(const Result<http::Response>& r) {
  if (!r) return r.error().message;
  return "HTTP " + std::to_string(r->status) + ": " + r->body.substr(0, 200);
}

}  // namespace

struct Dispatcher::Impl {
  Impl(DispatcherOptions options, const Clock& c, store::AlertStore s)
      : o(std::move(options)), clock(c), state(std::move(s)) {
    for (const WebhookSink& w : o.webhooks) sinks.push_back(w.url);
  }

  DispatcherOptions o;
  const Clock& clock;
  store::AlertStore state;
  std::vector<std::string> sinks;  // the webhook URLs: each event is queued for every one
  std::optional<store::Reader> store_reader;

  std::vector<Transition> queue;  // guarded by worker.mutex()

  // The thread's own state.
  std::map<std::string, Alert> active;  // by key: what Alertmanager is re-sent
  std::vector<Alert> ended_unsent;      // ended, to tell Alertmanager once
  Clock::SteadyTime next_resend{};
  bool resend_now = true;  // at start: re-send what is active at once
  bool am_failing = false;
  std::map<std::string, bool> hook_failing;
  std::mt19937_64 rng{std::random_device{}()};

  mutable std::mutex stats_mutex;
  DispatcherStats stats;

  Worker worker;  // last: stopped first

  /// The transitions of one batch, worked out before anything is written.
  struct Plan {
    std::map<std::string, Alert> next;  // the active alerts once written
    std::vector<Alert> started, ended;
    std::vector<store::AlertChange> changes;
  };

  Moment now() const { return from_unix(clock.unix_seconds()); }
  http::ClientOptions client_options(const http::Url& url) const {
    http::ClientOptions co;
    co.timeout = o.timeout;
    co.total_timeout = o.timeout;
    co.tls = url.tls;
    co.ca_file = o.ca_file;
    return co;
  }
  std::optional<Error> load();
  void plan(Plan& p, Transition& t);
  void plan_start(Plan& p, Transition& t);
  std::map<std::string, Alert>::iterator plan_end(Plan& p,
                                                  std::map<std::string, Alert>::iterator it,
                                                  Moment at);
  store::AlertChange upsert(const Alert& a, bool announce) const;
  store::AlertChange ending(const Alert& a, Moment at) const;
  std::optional<std::string> event(const std::string& status, const Alert& a,
                                   std::optional<Moment> ends) const;
  void apply(std::vector<Transition>& batch);
  void deliver_alertmanager();
  /// POSTs the alerts to every Alertmanager; true when all took them.
  bool post_alertmanager(const json::array& alerts);
  void deliver_webhooks();
  /// One batch to one sink; true when it was delivered and more may be due.
  bool deliver_batch(const WebhookSink& w);
  Result<http::Response> post_webhook(const WebhookSink& w, const std::string& body) const;
  /// A batch not delivered: the streak's first failure logged, each event's next attempt set
  /// after a backoff, those out of attempts dead-lettered.
  void webhook_failed(const WebhookSink& w, const store::OutboxBatch& batch,
                      const std::string& error, std::int64_t now_unix);
  void refresh_stats();
  void round();
  std::string handler_of(const std::string& code);
};

std::optional<Error> Dispatcher::Impl::load() {
  auto payloads = state.active_payloads();
  if (!payloads) return payloads.error();
  for (const std::string& payload : *payloads) {
    std::optional<Alert> a = from_stored_payload(payload);
    if (!a) continue;
    const std::string key = a->key();
    active.emplace(key, std::move(*a));
  }
  return std::nullopt;
}

std::string Dispatcher::Impl::handler_of(const std::string& code) {
  if (!store_reader) {
    auto r = store::Reader::open(o.store_db);
    if (!r) return {};
    store_reader = std::move(*r);
  }
  auto tl = store_reader->timeline(code);
  if (!tl || !*tl) return {};
  const Moment at = now();
  const auto& progress = (*tl)->progress;
  for (auto it = progress.rbegin(); it != progress.rend(); ++it) {
    if (it->at < at) return it->handler;  // the current step's
  }
  return {};
}

std::optional<std::string> Dispatcher::Impl::event(const std::string& status, const Alert& a,
                                                   std::optional<Moment> ends) const {
  if (o.webhooks.empty()) return std::nullopt;
  return webhook_event(a, status, ends, o.province, o.day_length);
}

store::AlertChange Dispatcher::Impl::upsert(const Alert& a, bool announce) const {
  store::AlertChange c;
  c.type = store::AlertChange::Type::Upsert;
  c.key = a.key();
  c.dossier = a.dossier;
  c.kind = to_string(a.kind);
  c.payload = stored_payload(a, o.day_length);
  c.at = format_iso(a.starts_at);
  if (announce) c.event = event("firing", a, std::nullopt);
  return c;
}

store::AlertChange Dispatcher::Impl::ending(const Alert& a, Moment at) const {
  store::AlertChange c;
  c.type = store::AlertChange::Type::End;
  c.key = a.key();
  c.at = format_iso(at);
  c.event = event("resolved", a, at);
  return c;
}

void Dispatcher::Impl::plan_start(Plan& p, Transition& t) {
  const std::string key = t.alert.key();
  auto it = p.next.find(key);
  if (it != p.next.end()) {
    // Known (a restart's load): keep its start and handler; nothing new to announce.
    t.alert.starts_at = it->second.starts_at;
    t.alert.handler = it->second.handler;
    it->second = t.alert;
    p.changes.push_back(upsert(t.alert, false));
  } else {
    t.alert.handler = handler_of(t.alert.dossier);
    p.changes.push_back(upsert(t.alert, true));
    p.next.emplace(key, t.alert);
    p.started.push_back(t.alert);
  }
}

std::map<std::string, Alert>::iterator Dispatcher::Impl::plan_end(
    Plan& p, std::map<std::string, Alert>::iterator it, Moment at) {
  p.changes.push_back(ending(it->second, at));
  p.ended.push_back(it->second);
  p.ended.back().observed = at;
  return p.next.erase(it);
}

void Dispatcher::Impl::plan(Plan& p, Transition& t) {
  switch (t.type) {
    case Transition::Type::Start: plan_start(p, t); return;
    case Transition::Type::Update: {
      auto it = p.next.find(t.alert.key());
      if (it == p.next.end()) return;
      t.alert.handler = it->second.handler;
      it->second = t.alert;
      p.changes.push_back(upsert(t.alert, false));
      return;
    }
    case Transition::Type::End: {
      auto it = p.next.find(t.alert.key());
      if (it != p.next.end()) plan_end(p, it, t.at);
      return;
    }
    case Transition::Type::Reconcile: {
      const std::unordered_set<std::string> keep(t.active.begin(), t.active.end());
      for (auto it = p.next.begin(); it != p.next.end();) {
        it = keep.count(it->first) != 0 ? std::next(it) : plan_end(p, it, t.at);
      }
      return;
    }
  }
}

void Dispatcher::Impl::apply(std::vector<Transition>& batch) {
  if (batch.empty()) return;
  Plan p{active, {}, {}, {}};
  for (Transition& t : batch) plan(p, t);
  if (auto e = state.apply(p.changes, sinks)) {
    o.log.warning("alerts: " + e->message);
    return;  // rolled back: the same transitions are not retried, the next judgement is
  }
  active = std::move(p.next);
  for (Alert& a : p.ended) ended_unsent.push_back(std::move(a));
  if (!p.started.empty() || !p.ended.empty()) {
    resend_now = true;
    o.log.info("alerts: " + std::to_string(p.started.size()) + " started, " +
               std::to_string(p.ended.size()) + " ended, " + std::to_string(active.size()) +
               " active");
  }
}

void Dispatcher::Impl::deliver_alertmanager() {
  const auto now_steady = clock.steady();
  if (o.alertmanager_urls.empty()) {
    ended_unsent.clear();
    return;
  }
  if (!resend_now && now_steady < next_resend) return;
  // Alive for a few resend intervals: Alertmanager resolves it by itself if we stop.
  const Moment alive_until =
      now() + std::chrono::duration_cast<Duration>(o.resend_interval * 4) + Duration{60};
  json::array alerts;
  for (const auto& [key, a] : active) {
    alerts.push_back(to_alertmanager(a, o.province, alive_until, o.day_length));
  }
  for (const Alert& a : ended_unsent) {
    alerts.push_back(to_alertmanager(a, o.province, a.observed, o.day_length));
  }
  if (alerts.empty() || post_alertmanager(alerts)) {
    if (am_failing) o.log.info("alerts: Alertmanager reachable again");
    am_failing = false;
    ended_unsent.clear();
    resend_now = false;
    next_resend = now_steady + o.resend_interval;
  } else {
    am_failing = true;
    resend_now = false;  // retried at the next interval (sooner: a backoff start)
    next_resend = now_steady + std::min(o.resend_interval, o.backoff_initial * 4);
  }
}

bool Dispatcher::Impl::post_alertmanager(const json::array& alerts) {
  bool all_ok = true;
  const std::string body = json::serialize(alerts);
  for (const std::string& base : o.alertmanager_urls) {
    auto url = http::parse_url(base);
    if (!url) {
      all_ok = false;
      continue;
    }
    std::string target = url->target;
    while (!target.empty() && target.back() == '/') target.pop_back();
    target += "/api/v2/alerts";
    auto r = http::request(url->host, url->port,
                           http::ClientRequest{"POST", target, body, "application/json", {}},
                           client_options(*url));
    const bool ok = r && r->status >= 200 && r->status < 300;
    if (o.delivered) o.delivered("alertmanager", ok, alerts.size());
    if (!ok) {
      all_ok = false;
      if (!am_failing) o.log.warning("alerts: Alertmanager " + base + ": " + quoted_error(r));
    }
  }
  return all_ok;
}

void Dispatcher::Impl::deliver_webhooks() {
  // Batches of at most 500 until a sink has nothing due or fails.
  for (const WebhookSink& w : o.webhooks) {
    while (deliver_batch(w)) {
    }
  }
}

Result<http::Response> Dispatcher::Impl::post_webhook(const WebhookSink& w,
                                                      const std::string& body) const {
  auto url = http::parse_url(w.url);
  if (!url) return Error{"not a URL: " + w.url};
  http::ClientRequest req{"POST", url->target, body, "application/json", {}};
  if (w.secret) req.headers.emplace_back(w.signature_header, http::sign_body(*w.secret, body));
  return http::request(url->host, url->port, req, client_options(*url));
}

bool Dispatcher::Impl::deliver_batch(const WebhookSink& w) {
  const std::int64_t now_unix = clock.unix_seconds();
  auto batch = state.due(w.url, now_unix, kBatchLimit);
  if (!batch) {
    o.log.warning("alerts: " + batch.error().message);
    return false;
  }
  if (batch->ids.empty()) return false;
  std::string body = "{\"alerts\":[";
  for (std::size_t i = 0; i < batch->events.size(); ++i) {
    if (i > 0) body += ',';
    body += batch->events[i];
  }
  body += "]}";
  const Result<http::Response> r = post_webhook(w, body);
  const bool ok = r && r->status >= 200 && r->status < 300;
  if (o.delivered) o.delivered("webhook", ok, batch->ids.size());
  if (!ok) {
    webhook_failed(w, *batch, quoted_error(r), now_unix);
    return false;
  }
  if (auto e = state.delivered(batch->ids)) {
    o.log.warning("alerts: " + e->message);
    return false;
  }
  if (hook_failing[w.url]) o.log.info("alerts: webhook " + w.url + " reachable again");
  hook_failing[w.url] = false;
  return batch->ids.size() == kBatchLimit;
}

void Dispatcher::Impl::webhook_failed(const WebhookSink& w, const store::OutboxBatch& batch,
                                      const std::string& error, std::int64_t now_unix) {
  if (!hook_failing[w.url]) {
    o.log.warning("alerts: webhook " + w.url + ": " + error + " (retrying with backoff)");
  }
  hook_failing[w.url] = true;
  const std::int64_t wait_ms = Backoff{o.backoff_initial, o.backoff_max}
                                   .delay(static_cast<std::uint64_t>(batch.attempts) + 1, rng())
                                   .count();
  auto moved = state.failed(w.url, batch.ids, now_unix + std::max<std::int64_t>(1, wait_ms / 1000),
                            error, now_unix, w.max_attempts);
  if (!moved) {
    o.log.warning("alerts: " + moved.error().message);
    return;
  }
  if (*moved > 0) {
    o.log.warning("alerts: webhook " + w.url + ": " + std::to_string(*moved) +
                  " deliveries dead-lettered after " + std::to_string(w.max_attempts) +
                  " attempts");
  }
}

void Dispatcher::Impl::refresh_stats() {
  DispatcherStats s;
  s.active = active.size();
  const store::AlertStoreCounts c = state.counts();
  s.outbox = c.outbox;
  s.dead_letters = c.dead_letters;
  std::lock_guard lock(stats_mutex);
  stats = s;
}

void Dispatcher::Impl::round() {
  std::vector<Transition> batch;
  {
    const std::lock_guard lock(worker.mutex());
    batch.swap(queue);
  }
  apply(batch);
  deliver_alertmanager();
  deliver_webhooks();
  refresh_stats();
}

Dispatcher::Dispatcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Dispatcher::~Dispatcher() {
  stop();
}

Result<std::unique_ptr<Dispatcher>> Dispatcher::open(DispatcherOptions options,
                                                     const Clock& clock) {
  TTHC_TRY(auto state, store::AlertStore::open(options.state_db));
  auto impl = std::make_unique<Impl>(std::move(options), clock, std::move(state));
  if (auto e = impl->load()) return Error{"alert state: " + e->message};
  impl->refresh_stats();
  return std::unique_ptr<Dispatcher>(new Dispatcher(std::move(impl)));
}

void Dispatcher::start() {
  Impl& d = *impl_;
  d.worker.start([&d](Worker& w) {
    for (;;) {
      if (!w.wait_for(std::chrono::seconds(1), [&] { return !d.queue.empty(); })) return;
      // Transitions arriving together leave together.
      bool queued = false;
      {
        const std::lock_guard lock(w.mutex());
        queued = !d.queue.empty();
      }
      if (queued && !w.sleep_for(d.o.batch_delay)) return;
      d.round();
    }
  });
}

void Dispatcher::stop() {
  impl_->worker.stop();  // a delivery in progress ends at its timeout at worst
}

void Dispatcher::submit(std::vector<Transition> transitions) {
  if (transitions.empty()) return;
  impl_->worker.notify([&] {
    for (Transition& t : transitions) impl_->queue.push_back(std::move(t));
  });
}

DispatcherStats Dispatcher::stats() const {
  std::lock_guard lock(impl_->stats_mutex);
  return impl_->stats;
}

void Dispatcher::run_once() {
  impl_->round();
}

}  // namespace tthc::alerts
