#include "store/alert_store.hpp"

#include "store/sqlite.hpp"

#include <system_error>

namespace tthc::store {

namespace {

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

}  // namespace

struct AlertStore::Impl {
  sql::Db db;

  std::optional<Error> write(const AlertChange& c, const std::vector<std::string>& sinks);
  std::optional<Error> queue(const std::string& event, const std::vector<std::string>& sinks);
  std::optional<Error> count_attempts(const std::vector<std::int64_t>& ids,
                                      std::int64_t next_attempt, const std::string& error);
  Result<std::size_t> bury(const std::string& sink, std::int64_t now, int max_attempts);
};

AlertStore::AlertStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AlertStore::AlertStore(AlertStore&&) noexcept = default;
AlertStore& AlertStore::operator=(AlertStore&&) noexcept = default;
AlertStore::~AlertStore() = default;

Result<AlertStore> AlertStore::open(const std::filesystem::path& file) {
  if (file.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
  }
  auto db = sql::Db::open(file.string(), false);
  if (!db) return Error{"alert state: " + db.error().message};
  auto impl = std::make_unique<Impl>(Impl{std::move(*db)});
  if (auto e = impl->db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                             " PRAGMA busy_timeout=5000;",
                             "configure the alert state")) {
    return Error{"alert state " + file.string() + ": " + e->message};
  }
  if (auto e = impl->db.exec(kSchema, "create the alert state tables")) {
    return Error{"alert state " + file.string() + ": " + e->message};
  }
  return AlertStore(std::move(impl));
}

Result<std::vector<std::string>> AlertStore::active_payloads() {
  TTHC_TRY(sql::Stmt st,
           sql::Stmt::prepare(impl_->db, "SELECT payload FROM alerts WHERE ended IS NULL"));
  std::vector<std::string> payloads;
  for (;;) {
    TTHC_TRY(const bool r, st.step());
    if (!r) break;
    payloads.emplace_back(st.text(0));
  }
  return payloads;
}

std::optional<Error> AlertStore::Impl::queue(const std::string& event,
                                             const std::vector<std::string>& sinks) {
  if (sinks.empty()) return std::nullopt;
  auto st =
      sql::Stmt::prepare(db, "INSERT INTO outbox(sink, event, next_attempt) VALUES(?1,?2,?3)");
  if (!st) return st.error();
  for (const std::string& sink : sinks) {
    st->bind(1, sink).bind(2, event).bind(3, std::int64_t{0});
    if (auto e = st->run()) return e;
  }
  return std::nullopt;
}

std::optional<Error> AlertStore::Impl::write(const AlertChange& c,
                                             const std::vector<std::string>& sinks) {
  if (c.type == AlertChange::Type::Upsert) {
    auto st = sql::Stmt::prepare(
        db,
        "INSERT INTO alerts(key, dossier, kind, payload, started, ended)"
        " VALUES(?1,?2,?3,?4,?5,NULL)"
        " ON CONFLICT(key) DO UPDATE SET payload=excluded.payload, started=excluded.started,"
        " ended=NULL");
    if (!st) return st.error();
    st->bind(1, c.key).bind(2, c.dossier).bind(3, c.kind).bind(4, c.payload).bind(5, c.at);
    if (auto e = st->run()) return e;
  } else {
    auto st = sql::Stmt::prepare(db, "UPDATE alerts SET ended=?2 WHERE key=?1 AND ended IS NULL");
    if (!st) return st.error();
    st->bind(1, c.key).bind(2, c.at);
    if (auto e = st->run()) return e;
  }
  return c.event ? queue(*c.event, sinks) : std::nullopt;
}

std::optional<Error> AlertStore::apply(const std::vector<AlertChange>& changes,
                                       const std::vector<std::string>& sinks) {
  auto tx = sql::Transaction::begin(impl_->db);
  if (!tx) return tx.error();
  // The message as the dispatcher has always logged it: a failure inside the transaction says
  // what was being stored.
  for (const AlertChange& c : changes) {
    if (auto e = impl_->write(c, sinks)) return Error{"storing alert state: " + e->message};
  }
  if (auto e = tx->commit()) return Error{"storing alert state: " + e->message};
  return std::nullopt;
}

Result<OutboxBatch> AlertStore::due(const std::string& sink, std::int64_t now_unix,
                                    std::size_t limit) {
  TTHC_TRY(sql::Stmt st,
           sql::Stmt::prepare(impl_->db,
                              "SELECT id, event, attempts FROM outbox WHERE sink=?1 AND "
                              "next_attempt<=?2 ORDER BY id LIMIT ?3"));
  st.bind(1, sink).bind(2, now_unix).bind(3, static_cast<std::int64_t>(limit));
  OutboxBatch batch;
  for (;;) {
    auto r = st.step();
    if (!r || !*r) break;
    batch.ids.push_back(st.int64(0));
    batch.events.emplace_back(st.text(1));
    batch.attempts = std::max(batch.attempts, st.int64(2));
  }
  return batch;
}

std::optional<Error> AlertStore::delivered(const std::vector<std::int64_t>& ids) {
  auto tx = sql::Transaction::begin(impl_->db);
  if (!tx) return tx.error();
  auto del = sql::Stmt::prepare(impl_->db, "DELETE FROM outbox WHERE id=?1");
  if (!del) return del.error();
  for (std::int64_t id : ids) {
    del->bind(1, id);
    if (auto e = del->run()) return e;
  }
  return tx->commit();
}

std::optional<Error> AlertStore::Impl::count_attempts(const std::vector<std::int64_t>& ids,
                                                      std::int64_t next_attempt,
                                                      const std::string& error) {
  auto up = sql::Stmt::prepare(
      db, "UPDATE outbox SET attempts=attempts+1, next_attempt=?2, last_error=?3 WHERE id=?1");
  if (!up) return up.error();
  for (std::int64_t id : ids) {
    up->bind(1, id).bind(2, next_attempt).bind(3, error);
    if (auto e = up->run()) return e;
  }
  return std::nullopt;
}

Result<std::size_t> AlertStore::Impl::bury(const std::string& sink, std::int64_t now,
                                           int max_attempts) {
  TTHC_TRY(
      sql::Stmt dead,
      sql::Stmt::prepare(db,
                         "INSERT INTO dead_letters(sink, event, attempts, last_error, failed_at)"
                         " SELECT sink, event, attempts, last_error, ?2 FROM outbox WHERE sink=?1 "
                         "AND attempts>=?3"));
  dead.bind(1, sink).bind(2, now).bind(3, std::int64_t{max_attempts});
  if (auto e = dead.run()) return *e;
  const int moved = db.changes();
  TTHC_TRY(sql::Stmt purge,
           sql::Stmt::prepare(db, "DELETE FROM outbox WHERE sink=?1 AND attempts>=?2"));
  purge.bind(1, sink).bind(2, std::int64_t{max_attempts});
  if (auto e = purge.run()) return *e;
  return static_cast<std::size_t>(moved);
}

Result<std::size_t> AlertStore::failed(const std::string& sink,
                                       const std::vector<std::int64_t>& ids,
                                       std::int64_t next_attempt_unix, const std::string& error,
                                       std::int64_t now_unix, int max_attempts) {
  TTHC_TRY(sql::Transaction tx, sql::Transaction::begin(impl_->db));
  if (auto e = impl_->count_attempts(ids, next_attempt_unix, error)) return *e;
  auto moved = impl_->bury(sink, now_unix, max_attempts);
  if (!moved) return moved;
  if (auto e = tx.commit()) return *e;
  return moved;
}

AlertStoreCounts AlertStore::counts() {
  AlertStoreCounts c;
  auto st = sql::Stmt::prepare(
      impl_->db, "SELECT (SELECT count(*) FROM outbox), (SELECT count(*) FROM dead_letters)");
  if (st) {
    if (auto r = st->step(); r && *r) {
      c.outbox = static_cast<std::size_t>(st->int64(0));
      c.dead_letters = static_cast<std::size_t>(st->int64(1));
    }
  }
  return c;
}

}  // namespace tthc::store
