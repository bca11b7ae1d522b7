#include "alerts/dispatcher.hpp"

#include "base/backoff.hpp"

#include "http/client.hpp"
#include "http/signature.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <unordered_set>

namespace tthc::alerts {

namespace {

namespace json = boost::json;
namespace sql = store::sql;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS alerts (
  key      TEXT PRIMARY KEY,            -- dossier|kind[|department]
  dossier  TEXT NOT NULL,
  kind     TEXT NOT NULL,
  payload  TEXT NOT NULL,               -- the alert as JSON (what the sinks are sent)
  started  TEXT NOT NULL,               -- ISO 8601, Vietnam time
  ended    TEXT                         -- NULL while active
);
CREATE INDEX IF NOT EXISTS alerts_active ON alerts(ended) WHERE ended IS NULL;
-- Webhook deliveries not yet acknowledged; written with the state change they announce.
CREATE TABLE IF NOT EXISTS outbox (
  id           INTEGER PRIMARY KEY,
  sink         TEXT NOT NULL,           -- the webhook URL
  event        TEXT NOT NULL,           -- JSON
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_attempt INTEGER NOT NULL,        -- Unix seconds
  last_error   TEXT
);
CREATE TABLE IF NOT EXISTS dead_letters (
  id         INTEGER PRIMARY KEY,
  sink       TEXT NOT NULL,
  event      TEXT NOT NULL,
  attempts   INTEGER NOT NULL,
  last_error TEXT,
  failed_at  INTEGER NOT NULL           -- Unix seconds
);
)sql";

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

json::value opt_moment(const std::optional<Moment>& m) {
  if (!m) return nullptr;
  return json::string(format_iso(*m));
}

std::string alertname(AlertKind k) {
  switch (k) {
    case AlertKind::DueSoon: return "DossierDueSoon";
    case AlertKind::Overdue: return "DossierOverdue";
    case AlertKind::StepOverdue: return "DossierStepOverdue";
    case AlertKind::AtRisk: return "DossierAtRisk";
    case AlertKind::ExtensionIssued: return "DossierExtensionIssued";
  }
  return "DossierOverdue";
}

std::string summary(const Alert& a) {
  switch (a.kind) {
    case AlertKind::DueSoon: return "Hồ sơ " + a.dossier + " sắp đến hạn / due soon";
    case AlertKind::Overdue: return "Hồ sơ " + a.dossier + " quá hạn / overdue";
    case AlertKind::StepOverdue:
      return "Hồ sơ " + a.dossier + ": bước xử lý tại " + a.department + " quá hạn / step overdue";
    case AlertKind::AtRisk: return "Hồ sơ " + a.dossier + " có nguy cơ quá hạn / at risk";
    case AlertKind::ExtensionIssued:
      return "Hồ sơ " + a.dossier + " được gia hạn / extension issued";
  }
  return a.dossier;
}

// Working time as "2wd 3h" (negative: late), on the calendar's working day.
std::string working(std::optional<Duration> d, Duration day_length) {
  if (!d) return "";
  return format_working(*d, day_length);
}

json::object to_json(const Alert& a, Duration day_length) {
  json::object o;
  o["kind"] = to_string(a.kind);
  o["severity"] = severity(a.kind);
  o["dossier"] = a.dossier;
  o["procedure_code"] = a.procedure_code;
  o["procedure_name"] = a.procedure_name;
  o["unit"] = a.unit;
  o["unit_name"] = a.unit_name;
  o["field"] = a.field;
  o["department"] = a.department;
  o["handler"] = a.handler;
  o["received"] = opt_moment(a.received);
  o["base_due"] = opt_moment(a.base_due);
  o["effective_due"] = opt_moment(a.effective_due);
  o["working_seconds_left"] = a.left ? json::value(a.left->count()) : json::value(nullptr);
  o["left"] = working(a.left, day_length);
  o["starts_at"] = format_iso(a.starts_at);
  o["observed"] = format_iso(a.observed);
  o["url"] = a.url;
  return o;
}

std::optional<Moment> moment_of(const json::value& v) {
  if (!v.is_string()) return std::nullopt;
  auto m = parse_data_moment(v.as_string());
  if (!m) return std::nullopt;
  return *m;
}

std::string str(const json::object& o, std::string_view k) {
  const auto* v = o.if_contains(k);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

Alert from_json(const json::object& o) {
  Alert a;
  a.kind = alert_kind_from(str(o, "kind")).value_or(AlertKind::Overdue);
  a.dossier = str(o, "dossier");
  a.procedure_code = str(o, "procedure_code");
  a.procedure_name = str(o, "procedure_name");
  a.unit = str(o, "unit");
  a.unit_name = str(o, "unit_name");
  a.field = str(o, "field");
  a.department = str(o, "department");
  a.handler = str(o, "handler");
  a.received = moment_of(o.at("received"));
  a.base_due = moment_of(o.at("base_due"));
  a.effective_due = moment_of(o.at("effective_due"));
  if (const auto* l = o.if_contains("working_seconds_left"); l != nullptr && l->is_int64()) {
    a.left = Duration{l->as_int64()};
  }
  a.starts_at = moment_of(o.at("starts_at")).value_or(Moment{});
  a.observed = moment_of(o.at("observed")).value_or(Moment{});
  a.url = str(o, "url");
  return a;
}

// Alertmanager API v2: one alert.
json::object to_alertmanager(const Alert& a, const std::string& province,
                             std::optional<Moment> ends_at, Duration day_length) {
  json::object labels{{"alertname", alertname(a.kind)},
                      {"dossier", a.dossier},
                      {"unit", a.unit},
                      {"field", a.field},
                      {"department", a.department},
                      {"severity", severity(a.kind)}};
  if (!province.empty()) labels["province"] = province;
  json::object annotations{{"summary", summary(a)},
                           {"procedure", a.procedure_code + " " + a.procedure_name},
                           {"unit_name", a.unit_name},
                           {"handler", a.handler},
                           {"left", working(a.left, day_length)},
                           {"url", a.url}};
  if (a.base_due) annotations["base_due"] = format_iso(*a.base_due);
  if (a.effective_due) annotations["effective_due"] = format_iso(*a.effective_due);
  json::object o{{"labels", std::move(labels)},
                 {"annotations", std::move(annotations)},
                 {"startsAt", format_iso(a.starts_at)},
                 {"generatorURL", a.url}};
  if (ends_at) o["endsAt"] = format_iso(*ends_at);
  return o;
}

std::string quoted_error(const Result<http::Response>& r) {
  if (!r) return r.error().message;
  return "HTTP " + std::to_string(r->status) + ": " + r->body.substr(0, 200);
}

}  // namespace

struct Dispatcher::Impl {
  DispatcherOptions o;
  sql::Db db;
  std::optional<store::Reader> store_reader;

  std::mutex m;
  std::condition_variable cv;
  std::vector<Transition> queue;
  bool stopping = false;
  std::thread thread;

  // The thread's own state.
  std::map<std::string, Alert> active;  // by key: what Alertmanager is re-sent
  std::vector<Alert> ended_unsent;      // ended, to tell Alertmanager once
  std::chrono::steady_clock::time_point next_resend{};
  bool resend_now = true;  // at start: re-send what is active at once
  bool am_failing = false;
  std::map<std::string, bool> hook_failing;
  std::mt19937_64 rng{std::random_device{}()};

  mutable std::mutex stats_mutex;
  DispatcherStats stats;

  http::ClientOptions client_options(const http::Url& url) const {
    http::ClientOptions co;
    co.timeout = o.timeout;
    co.total_timeout = o.timeout;
    co.tls = url.tls;
    co.ca_file = o.ca_file;
    return co;
  }
  void log(bool warning, const std::string& message) const {
    if (o.log) o.log(warning, message);
  }
  std::optional<Error> load();
  void apply(std::vector<Transition>& batch);
  void deliver_alertmanager();
  void deliver_webhooks();
  /// One batch to one sink; true when it was delivered and more may be due.
  bool deliver_batch(const WebhookSink& w);
  void refresh_stats();
  void round();
  std::string handler_of(const std::string& code);
  std::optional<Error> write_start(const Alert& a, bool announce);
  std::optional<Error> write_end(const Alert& a, Moment at);
  std::optional<Error> enqueue(const std::string& status, const Alert& a,
                               std::optional<Moment> ends);
};

std::optional<Error> Dispatcher::Impl::load() {
  auto st = sql::Stmt::prepare(db, "SELECT payload FROM alerts WHERE ended IS NULL");
  if (!st) return st.error();
  for (;;) {
    auto r = st->step();
    if (!r) return r.error();
    if (!*r) break;
    std::error_code ec;
    auto v = json::parse(st->text(0), ec);
    if (ec || !v.is_object()) continue;
    Alert a = from_json(v.as_object());
    active.emplace(a.key(), std::move(a));
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
  const Moment now = o.now();
  const auto& progress = (*tl)->progress;
  for (auto it = progress.rbegin(); it != progress.rend(); ++it) {
    if (it->at < now) return it->handler;  // the current step's
  }
  return {};
}

std::optional<Error> Dispatcher::Impl::enqueue(const std::string& status, const Alert& a,
                                               std::optional<Moment> ends) {
  if (o.webhooks.empty()) return std::nullopt;
  json::object event = to_json(a, o.day_length);
  event["status"] = status;
  event["ends_at"] = opt_moment(ends);
  if (!o.province.empty()) event["province"] = o.province;
  const std::string text = json::serialize(event);
  auto st =
      sql::Stmt::prepare(db, "INSERT INTO outbox(sink, event, next_attempt) VALUES(?1,?2,?3)");
  if (!st) return st.error();
  for (const WebhookSink& w : o.webhooks) {
    st->bind(1, w.url).bind(2, text).bind(3, std::int64_t{0});
    if (auto e = st->run()) return e;
  }
  return std::nullopt;
}

std::optional<Error> Dispatcher::Impl::write_start(const Alert& a, bool announce) {
  auto st = sql::Stmt::prepare(
      db,
      "INSERT INTO alerts(key, dossier, kind, payload, started, ended) VALUES(?1,?2,?3,?4,?5,NULL)"
      " ON CONFLICT(key) DO UPDATE SET payload=excluded.payload, started=excluded.started,"
      " ended=NULL");
  if (!st) return st.error();
  // Bound text must outlive the statement's run (the binding does not copy it).
  const std::string key = a.key();
  const std::string payload = json::serialize(to_json(a, o.day_length));
  const std::string started = format_iso(a.starts_at);
  st->bind(1, key).bind(2, a.dossier).bind(3, to_string(a.kind)).bind(4, payload).bind(5, started);
  if (auto e = st->run()) return e;
  return announce ? enqueue("firing", a, std::nullopt) : std::nullopt;
}

std::optional<Error> Dispatcher::Impl::write_end(const Alert& a, Moment at) {
  auto st = sql::Stmt::prepare(db, "UPDATE alerts SET ended=?2 WHERE key=?1 AND ended IS NULL");
  if (!st) return st.error();
  const std::string key = a.key();
  const std::string ended = format_iso(at);
  st->bind(1, key).bind(2, ended);
  if (auto e = st->run()) return e;
  return enqueue("resolved", a, at);
}

void Dispatcher::Impl::apply(std::vector<Transition>& batch) {
  if (batch.empty()) return;
  auto tx = sql::Transaction::begin(db);
  if (!tx) {
    log(true, "alerts: " + tx.error().message);
    return;
  }
  std::optional<Error> error;
  std::vector<Alert> started, ended;
  std::map<std::string, Alert> next = active;
  for (Transition& t : batch) {
    if (error) break;
    switch (t.type) {
      case Transition::Type::Start: {
        const std::string key = t.alert.key();
        auto it = next.find(key);
        if (it != next.end()) {
          // Known (a restart's load): keep its start and handler; nothing new to announce.
          t.alert.starts_at = it->second.starts_at;
          t.alert.handler = it->second.handler;
          it->second = t.alert;
          error = write_start(t.alert, false);
        } else {
          t.alert.handler = handler_of(t.alert.dossier);
          error = write_start(t.alert, true);
          next.emplace(key, t.alert);
          started.push_back(t.alert);
        }
        break;
      }
      case Transition::Type::Update: {
        auto it = next.find(t.alert.key());
        if (it == next.end()) break;
        t.alert.handler = it->second.handler;
        it->second = t.alert;
        error = write_start(t.alert, false);
        break;
      }
      case Transition::Type::End: {
        auto it = next.find(t.alert.key());
        if (it == next.end()) break;
        error = write_end(it->second, t.at);
        ended.push_back(it->second);
        ended.back().observed = t.at;
        next.erase(it);
        break;
      }
      case Transition::Type::Reconcile: {
        const std::unordered_set<std::string> keep(t.active.begin(), t.active.end());
        for (auto it = next.begin(); it != next.end() && !error;) {
          if (keep.count(it->first) != 0) {
            ++it;
            continue;
          }
          error = write_end(it->second, t.at);
          ended.push_back(it->second);
          ended.back().observed = t.at;
          it = next.erase(it);
        }
        break;
      }
    }
  }
  if (!error) error = tx->commit();
  if (error) {
    log(true, "alerts: storing alert state: " + error->message);
    return;  // rolled back: the same transitions are not retried, the next judgement is
  }
  active = std::move(next);
  for (Alert& a : ended) ended_unsent.push_back(std::move(a));
  if (!started.empty() || !ended.empty()) resend_now = true;
  if (!started.empty() || !ended.empty()) {
    log(false, "alerts: " + std::to_string(started.size()) + " started, " +
                   std::to_string(ended.size()) + " ended, " + std::to_string(active.size()) +
                   " active");
  }
}

void Dispatcher::Impl::deliver_alertmanager() {
  const auto now_steady = std::chrono::steady_clock::now();
  if (o.alertmanager_urls.empty()) {
    ended_unsent.clear();
    return;
  }
  if (!resend_now && now_steady < next_resend) return;
  const Moment now = o.now();
  // Alive for a few resend intervals: Alertmanager resolves it by itself if we stop.
  const Moment alive_until =
      now + std::chrono::duration_cast<Duration>(o.resend_interval * 4) + Duration{60};
  json::array alerts;
  for (const auto& [key, a] : active) {
    alerts.push_back(to_alertmanager(a, o.province, alive_until, o.day_length));
  }
  for (const Alert& a : ended_unsent) {
    alerts.push_back(to_alertmanager(a, o.province, a.observed, o.day_length));
  }
  bool all_ok = true;
  if (!alerts.empty()) {
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
        if (!am_failing) log(true, "alerts: Alertmanager " + base + ": " + quoted_error(r));
      }
    }
  }
  if (all_ok) {
    if (am_failing) log(false, "alerts: Alertmanager reachable again");
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

void Dispatcher::Impl::deliver_webhooks() {
  // Batches of at most 500 until a sink has nothing due or fails.
  for (const WebhookSink& w : o.webhooks) {
    while (deliver_batch(w)) {
    }
  }
}

bool Dispatcher::Impl::deliver_batch(const WebhookSink& w) {
  const std::int64_t now = unix_now();
  const auto fail = [this](const std::string& message) {
    log(true, "alerts: " + message);
    return false;
  };
  auto st =
      sql::Stmt::prepare(db,
                         "SELECT id, event, attempts FROM outbox WHERE sink=?1 AND next_attempt<=?2"
                         " ORDER BY id LIMIT 500");
  if (!st) return fail(st.error().message);
  st->bind(1, w.url).bind(2, now);
  std::vector<std::int64_t> ids;
  std::int64_t attempts = 0;
  std::string body = "{\"alerts\":[";
  for (;;) {
    auto r = st->step();
    if (!r || !*r) break;
    if (!ids.empty()) body += ',';
    ids.push_back(st->int64(0));
    body += st->text(1);
    attempts = std::max(attempts, st->int64(2));
  }
  body += "]}";
  st->reset();
  if (ids.empty()) return false;

  auto url = http::parse_url(w.url);
  Result<http::Response> r = Error{"not a URL: " + w.url};
  if (url) {
    http::ClientRequest req{"POST", url->target, body, "application/json", {}};
    if (w.secret) req.headers.emplace_back(w.signature_header, http::sign_body(*w.secret, body));
    r = http::request(url->host, url->port, req, client_options(*url));
  }
  const bool ok = r && r->status >= 200 && r->status < 300;
  if (o.delivered) o.delivered("webhook", ok, ids.size());
  auto tx = sql::Transaction::begin(db);
  if (!tx) return fail(tx.error().message);
  if (ok) {
    auto del = sql::Stmt::prepare(db, "DELETE FROM outbox WHERE id=?1");
    if (!del) return fail(del.error().message);
    for (std::int64_t id : ids) {
      del->bind(1, id);
      if (auto e = del->run()) return fail(e->message);
    }
    if (hook_failing[w.url]) log(false, "alerts: webhook " + w.url + " reachable again");
    hook_failing[w.url] = false;
  } else {
    const std::string error = quoted_error(r);
    if (!hook_failing[w.url]) {
      log(true, "alerts: webhook " + w.url + ": " + error + " (retrying with backoff)");
    }
    hook_failing[w.url] = true;
    const std::int64_t wait_ms = Backoff{o.backoff_initial, o.backoff_max}
                                     .delay(static_cast<std::uint64_t>(attempts) + 1, rng())
                                     .count();
    auto up = sql::Stmt::prepare(
        db, "UPDATE outbox SET attempts=attempts+1, next_attempt=?2, last_error=?3 WHERE id=?1");
    if (!up) return fail(up.error().message);
    for (std::int64_t id : ids) {
      up->bind(1, id).bind(2, now + std::max<std::int64_t>(1, wait_ms / 1000)).bind(3, error);
      if (auto e = up->run()) return fail(e->message);
    }
    auto dead = sql::Stmt::prepare(
        db,
        "INSERT INTO dead_letters(sink, event, attempts, last_error, failed_at)"
        " SELECT sink, event, attempts, last_error, ?2 FROM outbox WHERE sink=?1 AND attempts>=?3");
    if (!dead) return fail(dead.error().message);
    dead->bind(1, w.url).bind(2, now).bind(3, std::int64_t{w.max_attempts});
    if (auto e = dead->run()) return fail(e->message);
    const int moved = db.changes();
    auto purge = sql::Stmt::prepare(db, "DELETE FROM outbox WHERE sink=?1 AND attempts>=?2");
    if (!purge) return fail(purge.error().message);
    purge->bind(1, w.url).bind(2, std::int64_t{w.max_attempts});
    if (auto e = purge->run()) return fail(e->message);
    if (moved > 0) {
      log(true, "alerts: webhook " + w.url + ": " + std::to_string(moved) +
                    " deliveries dead-lettered after " + std::to_string(w.max_attempts) +
                    " attempts");
    }
  }
  if (auto e = tx->commit()) return fail(e->message);
  return ok && ids.size() == 500;
}

void Dispatcher::Impl::refresh_stats() {
  DispatcherStats s;
  s.active = active.size();
  auto st = sql::Stmt::prepare(
      db, "SELECT (SELECT count(*) FROM outbox), (SELECT count(*) FROM dead_letters)");
  if (st) {
    if (auto r = st->step(); r && *r) {
      s.outbox = static_cast<std::size_t>(st->int64(0));
      s.dead_letters = static_cast<std::size_t>(st->int64(1));
    }
  }
  std::lock_guard lock(stats_mutex);
  stats = s;
}

void Dispatcher::Impl::round() {
  std::vector<Transition> batch;
  {
    std::lock_guard lock(m);
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

Result<std::unique_ptr<Dispatcher>> Dispatcher::open(DispatcherOptions options) {
  if (!options.now) return Error{"alerts: the dispatcher needs a clock (DispatcherOptions::now)"};
  auto impl = std::make_unique<Impl>();
  if (options.state_db.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(options.state_db.parent_path(), ec);
  }
  auto db = sql::Db::open(options.state_db.string(), false);
  if (!db) return Error{"alert state: " + db.error().message};
  impl->db = std::move(*db);
  if (auto e = impl->db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                             " PRAGMA busy_timeout=5000;",
                             "configure the alert state")) {
    return Error{"alert state " + options.state_db.string() + ": " + e->message};
  }
  if (auto e = impl->db.exec(kSchema, "create the alert state tables")) {
    return Error{"alert state " + options.state_db.string() + ": " + e->message};
  }
  impl->o = std::move(options);
  if (auto e = impl->load()) return Error{"alert state: " + e->message};
  impl->refresh_stats();
  return std::unique_ptr<Dispatcher>(new Dispatcher(std::move(impl)));
}

void Dispatcher::start() {
  Impl& d = *impl_;
  d.thread = std::thread([&d] {
    for (;;) {
      {
        std::unique_lock lock(d.m);
        d.cv.wait_for(lock, std::chrono::seconds(1),
                      [&] { return d.stopping || !d.queue.empty(); });
        if (d.stopping) return;
      }
      // Transitions arriving together leave together.
      {
        std::unique_lock lock(d.m);
        if (!d.queue.empty()) {
          d.cv.wait_for(lock, d.o.batch_delay, [&] { return d.stopping; });
          if (d.stopping) return;
        }
      }
      d.round();
    }
  });
}

void Dispatcher::stop() {
  Impl& d = *impl_;
  {
    std::lock_guard lock(d.m);
    d.stopping = true;
  }
  d.cv.notify_all();
  if (d.thread.joinable()) d.thread.join();
}

void Dispatcher::submit(std::vector<Transition> transitions) {
  if (transitions.empty()) return;
  {
    std::lock_guard lock(impl_->m);
    for (Transition& t : transitions) impl_->queue.push_back(std::move(t));
  }
  impl_->cv.notify_one();
}

DispatcherStats Dispatcher::stats() const {
  std::lock_guard lock(impl_->stats_mutex);
  return impl_->stats;
}

void Dispatcher::run_once() {
  impl_->round();
}

}  // namespace tthc::alerts
