#include "store/store.hpp"

#include "store/progress_codec.hpp"
#include "store/schema.hpp"
#include "store/sqlite.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <unordered_map>

namespace tthc::store {

namespace {

std::int64_t to_db(Moment m) {
  return m.time_since_epoch().count();
}
std::optional<std::int64_t> to_db(const std::optional<Moment>& m) {
  return m ? std::optional<std::int64_t>(to_db(*m)) : std::nullopt;
}
Moment from_db(std::int64_t v) {
  return Moment{Duration{v}};
}
std::optional<Moment> from_db(const std::optional<std::int64_t>& v) {
  return v ? std::optional<Moment>(from_db(*v)) : std::nullopt;
}
std::int64_t hash_to_db(std::uint64_t h) {
  return static_cast<std::int64_t>(h);
}

// Rounds as a JSON array of [requested, received, due_before, due_after] (null when absent).
std::optional<std::string> rounds_to_db(const std::vector<SupplementRound>& rounds) {
  if (rounds.empty()) return std::nullopt;
  std::string out = "[";
  auto put = [&](const std::optional<Moment>& m) {
    out += m ? std::to_string(to_db(*m)) : std::string("null");
  };
  for (std::size_t i = 0; i < rounds.size(); ++i) {
    if (i > 0) out += ',';
    out += '[';
    put(rounds[i].requested);
    out += ',';
    put(rounds[i].received);
    out += ',';
    put(rounds[i].due_before);
    out += ',';
    put(rounds[i].due_after);
    out += ']';
  }
  out += ']';
  return out;
}

std::vector<SupplementRound> rounds_from_db(std::string_view s) {
  std::vector<SupplementRound> rounds;
  std::optional<Moment> values[4];
  int depth = 0;
  std::size_t field = 0;
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '[') {
      if (++depth == 2) {
        field = 0;
        for (auto& v : values) v.reset();
      }
      ++i;
    } else if (c == ']') {
      if (depth-- == 2)
        rounds.push_back(SupplementRound{values[0], values[1], values[2], values[3]});
      ++i;
    } else if (c == ',') {
      if (depth == 2) ++field;
      ++i;
    } else if (c == 'n') {
      i += 4;  // null
    } else {
      std::int64_t v = 0;
      const auto res = std::from_chars(s.data() + i, s.data() + s.size(), v);
      if (res.ptr == s.data() + i) break;  // not written by rounds_to_db
      if (depth == 2 && field < 4) values[field] = from_db(v);
      i = static_cast<std::size_t>(res.ptr - s.data());
    }
  }
  return rounds;
}

std::optional<Error> configure(sql::Db& db, const Options& o, bool writer) {
  // 64 MiB of page cache per connection (the writer's 128 MiB): the hot B-tree pages of a
  // million dossiers stay in memory.
  std::string pragmas =
      "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=" + std::to_string(o.busy_timeout_ms) +
      "; PRAGMA cache_size=" + (writer ? "-131072;" : "-65536;");
  if (writer) {
    // A larger WAL between checkpoints: fewer checkpoint syncs during bulk intake.
    pragmas +=
        "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=16384;"
        " PRAGMA synchronous=";
    pragmas += o.durable_commits ? "FULL;" : "NORMAL;";
  }
  return db.exec(pragmas, "configure the connection");
}

Result<int> current_version(sql::Db& db) {
  TTHC_TRY(sql::Stmt st,
           sql::Stmt::prepare(db, "SELECT coalesce(max(version), 0) FROM schema_migrations"));
  TTHC_TRY_VOID(st.step());
  return static_cast<int>(st.int64(0));
}

std::optional<Error> migrate(sql::Db& db) {
  if (auto e = db.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                       " version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                       " applied_at TEXT NOT NULL)",
                       "create schema_migrations")) {
    return e;
  }
  TTHC_TRY(const int version, current_version(db));
  if (version > latest_schema_version()) {
    return Error{"store: the database has schema version " + std::to_string(version) +
                 ", newer than this program's " + std::to_string(latest_schema_version()) +
                 "; run a newer tthc-monitor"};
  }
  for (const Migration& m : kMigrations) {
    if (m.version <= version) continue;
    TTHC_TRY(sql::Transaction tx, sql::Transaction::begin(db));
    if (auto e = db.exec(m.sql, "migration " + std::to_string(m.version))) return e;
    TTHC_TRY(sql::Stmt rec,
             sql::Stmt::prepare(db,
                                "INSERT INTO schema_migrations(version, description, applied_at)"
                                " VALUES(?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"));
    rec.bind(1, static_cast<std::int64_t>(m.version)).bind(2, m.description);
    if (auto e = rec.run()) return e;
    if (auto e = tx.commit()) return e;
  }
  return std::nullopt;
}

}  // namespace

int latest_schema_version() {
  return kMigrations[std::size(kMigrations) - 1].version;
}

bool is_damage(const Error& e) {
  return e.message.find(sqlite3_errstr(SQLITE_CORRUPT)) != std::string::npos ||
         e.message.find(sqlite3_errstr(SQLITE_NOTADB)) != std::string::npos;
}

Result<std::vector<std::string>> check_integrity(const std::filesystem::path& path, bool full,
                                                 std::function<bool()> cancelled) {
  TTHC_TRY(sql::Db db, sql::Db::open(path.string(), true));
  if (cancelled) {
    sqlite3_progress_handler(
        db.get(), 100'000,
        [](void* f) { return (*static_cast<std::function<bool()>*>(f))() ? 1 : 0; }, &cancelled);
  }
  auto st = sql::Stmt::prepare(db, full ? "PRAGMA integrity_check(20)" : "PRAGMA quick_check(20)");
  if (!st) return Error{st.error().message + " (" + path.string() + ")"};
  std::vector<std::string> problems;
  for (;;) {
    auto row = st->step();
    if (!row) {
      // A file too damaged to be checked is itself the problem.
      problems.push_back(row.error().message);
      break;
    }
    if (!*row) break;
    std::string line(st->text(0));
    if (line != "ok") problems.push_back(std::move(line));
  }
  return problems;
}

Result<int> schema_version_of(const std::filesystem::path& path) {
  TTHC_TRY(sql::Db db, sql::Db::open(path.string(), true));
  return current_version(db);
}

// ---------------------------------------------------------------------------------------------

namespace {

// A dossier as this writer last wrote it, or will write it when the transaction ends. A sync
// log re-sends each dossier as it progresses, the next copy a couple of thousand lines later:
// keeping the recent ones spares their lookup and the decoding of their progress, and a
// dossier re-sent within one transaction has its row and its progress written once, at the end.
struct Recent {
  std::int64_t id = 0;
  std::int64_t freshness = 0;           ///< the largest of every snapshot received
  std::int64_t hash = 0;                ///< of the applied snapshot
  std::optional<std::int64_t> promise;  ///< its NgayHenTra
  bool entries_loaded = false;
  std::vector<StoredEntry> entries;  ///< every progress entry, sorted; when entries_loaded
  std::uint64_t used = 0;            ///< for eviction, the least recently used first
  // Written when the transaction ends:
  bool pending = false;
  std::optional<Dossier> row;              ///< the applied snapshot's fields
  std::optional<std::int64_t> last_batch;  ///< dossiers.last_batch
  std::int64_t settled = 0;                ///< raises dossiers.settled
  bool progress_changed = false;
};

struct CodeHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// A stored entry (owned) or one merged in place (EntryRef): the same merge serves both.
const ProgressEntry& entry_of(const StoredEntry& e) {
  return e.entry;
}
const ProgressEntry& entry_of(const EntryRef& e) {
  return *e.entry;
}
StoredEntry make_entry(const ProgressEntry& e, std::int64_t batch, const StoredEntry*) {
  return StoredEntry{e, batch};
}
EntryRef make_entry(const ProgressEntry& e, std::int64_t batch, const EntryRef*) {
  return EntryRef{&e, batch};
}

// Merges `incoming` into the sorted `into` by key (the first arrival of a key is kept); gives
// the number added.
template <class Entry>
std::size_t merge(std::vector<Entry>& into, std::span<const ProgressEntry> incoming,
                  std::int64_t batch, ApplyCounts& counts) {
  std::size_t added = 0;
  for (const ProgressEntry& e : incoming) {
    // Incoming entries are usually later than every stored one: look at the end first.
    auto at = into.end();
    if (!into.empty() && !progress_before(entry_of(into.back()), e)) {
      at = std::lower_bound(
          into.begin(), into.end(), e,
          [](const Entry& a, const ProgressEntry& b) { return progress_before(entry_of(a), b); });
    }
    if (at != into.end() && same_progress_key(entry_of(*at), e)) {
      ++counts.progress_known;
      continue;
    }
    into.insert(at, make_entry(e, batch, static_cast<const Entry*>(nullptr)));
    ++counts.progress_added;
    ++added;
  }
  return added;
}

// The latest end any entry records (dossiers.settled, migration 2).
template <class Entry>
std::int64_t ends_bound(const std::vector<Entry>& entries) {
  std::int64_t bound = 0;
  for (const Entry& e : entries) {
    if (is_end_status(entry_of(e).status)) bound = std::max(bound, to_db(entry_of(e).at));
  }
  return bound;
}

// Binds a dossier's fields as insert_dossier and update_dossier name them (?1 to ?15); the
// rounds' text is kept in `rounds` until the statement has run.
void bind_fields(sql::Stmt& st, const Dossier& d, std::optional<std::string>& rounds) {
  st.bind(1, d.code)
      .bind(2, d.unit_code())
      .bind(3, d.procedure_code)
      .bind(4, d.procedure_name)
      .bind(5, d.field_code)
      .bind(6, d.field_name)
      .bind(7, d.unit_name)
      .bind(8, static_cast<std::int64_t>(d.channel))
      .bind(9, static_cast<std::int64_t>(status_code(d.status)))
      .bind(10, to_db(d.submitted))
      .bind(11, to_db(d.received))
      .bind(12, to_db(d.promised_due))
      .bind(13, to_db(d.processing_end))
      .bind(14, to_db(d.returned));
  rounds = rounds_to_db(d.rounds);
  if (rounds) {
    st.bind(15, std::string_view(*rounds));
  } else {
    st.bind(15, std::nullopt);
  }
}

}  // namespace

struct Writer::Impl {
  sql::Db db;
  sql::Stmt find_dossier, insert_dossier, update_dossier, touch_dossier, has_snapshot,
      insert_snapshot, last_due, insert_due, set_base_due, select_progress, upsert_progress,
      select_orphans, upsert_orphans, delete_orphans, insert_batch, update_batch, upsert_cursor,
      raise_settled, data_version;
  // Reused between dossiers: entries decoded outside `recent`, the list to encode, its JSON.
  std::vector<StoredEntry> stored;
  std::vector<EntryRef> refs;
  std::string encoded;
  std::optional<std::string> rounds;
  // The recent dossiers by MaHoSo; valid while no other connection writes (data_version).
  std::unordered_map<std::string, Recent, CodeHash, std::equal_to<>> recent;
  /// Those with writes waiting for the end of the transaction.
  std::vector<std::pair<const std::string, Recent>*> pending;
  std::uint64_t tick = 0;
  std::int64_t seen_version = -1;
  static constexpr std::size_t kRecentLimit = 16384;

  static Result<std::unique_ptr<Impl>> create(sql::Db db);

  /// Decodes the packed entries `select` finds for its bound key into `out`, sorted.
  std::optional<Error> load_entries(sql::Stmt& select, std::vector<StoredEntry>& out);
  /// Writes `entries` with `upsert(key, n_entries, entries)`.
  template <class Key>
  std::optional<Error> store_entries(sql::Stmt& upsert, const Key& key,
                                     std::span<const EntryRef> entries);
  /// `entries` as references (in `refs`).
  std::span<const EntryRef> refs_of(const std::vector<StoredEntry>& entries);
  /// The stored dossier `code` (from `recent`, else read into it); null when there is none.
  Result<std::pair<const std::string, Recent>*> find(std::string_view code);
  std::optional<Error> load_recent_entries(Recent& r);
  void mark_pending(std::pair<const std::string, Recent>& item);
  /// Writes what the recent dossiers hold for the transaction.
  std::optional<Error> flush();
  std::optional<Error> flush_one(Recent& r);
  /// Forgets every recent dossier (after a rollback, or another connection's writes).
  void forget();
  /// Starts a transaction's use of `recent`: forgotten if another connection wrote since.
  std::optional<Error> check_recent();
  void evict();
  std::optional<Error> merge_update(const ProgressUpdate& u, std::int64_t batch,
                                    ApplyCounts& counts);
  std::optional<Error> apply_new(const DossierSnapshot& s, std::int64_t batch, ApplyCounts& counts);
  std::optional<Error> apply_snapshot(const DossierSnapshot& s, std::int64_t batch,
                                      ApplyCounts& counts);
  std::optional<Error> insert_snapshot_row(const DossierSnapshot& s, std::int64_t id,
                                           std::int64_t batch, bool applied);
  std::optional<Error> record_due(std::int64_t dossier_id, Moment due, bool applied,
                                  std::int64_t batch);
  Result<ApplyCounts> apply_in_transaction(const BatchInput& in);
};

Result<std::unique_ptr<Writer::Impl>> Writer::Impl::create(sql::Db db) {
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(db);
  struct Def {
    sql::Stmt* target;
    std::string_view sql;
  };
  const Def defs[] = {
      {&impl->find_dossier,
       "SELECT id, freshness, content_hash, promised_due FROM dossiers WHERE code=?1"},
      {&impl->insert_dossier,
       "INSERT INTO dossiers(code, unit_code, procedure_code, procedure_name, field_code,"
       " field_name, unit_name, channel, status, submitted, received, promised_due,"
       " processing_end, returned, base_due, rounds, freshness, content_hash, first_batch,"
       " last_batch, settled) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?12,?15,?16,"
       "?17,?18,?18,?19)"},
      {&impl->update_dossier,
       "UPDATE dossiers SET unit_code=?2, procedure_code=?3, procedure_name=?4, field_code=?5,"
       " field_name=?6, unit_name=?7, channel=?8, status=?9, submitted=?10, received=?11,"
       " promised_due=?12, processing_end=?13, returned=?14, rounds=?15, freshness=?16,"
       " content_hash=?17, last_batch=?18, settled=max(settled, ?19) WHERE id=?20"},
      {&impl->touch_dossier,
       "UPDATE dossiers SET last_batch=?2, settled=max(settled, ?3) WHERE id=?1"},
      {&impl->raise_settled, "UPDATE dossiers SET settled=max(settled, ?2) WHERE id=?1"},
      {&impl->has_snapshot,
       "SELECT 1 FROM snapshots WHERE dossier_id=?1 AND content_hash=?2 LIMIT 1"},
      {&impl->insert_snapshot,
       "INSERT INTO snapshots(dossier_id, batch_id, freshness, status, promised_due, applied,"
       " content_hash, raw) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)"},
      {&impl->last_due,
       "SELECT coalesce((SELECT max(seq) FROM due_changes WHERE dossier_id=?1), 0),"
       " coalesce((SELECT value FROM due_changes WHERE dossier_id=?1 ORDER BY seq DESC LIMIT 1),"
       " base_due) FROM dossiers WHERE id=?1"},
      {&impl->insert_due,
       "INSERT INTO due_changes(dossier_id, seq, value, batch_id) VALUES(?1,?2,?3,?4)"},
      {&impl->set_base_due, "UPDATE dossiers SET base_due=?2 WHERE id=?1 AND base_due IS NULL"},
      {&impl->select_progress, "SELECT entries FROM progress WHERE dossier_id=?1"},
      {&impl->upsert_progress,
       "INSERT INTO progress(dossier_id, n_entries, entries) VALUES(?1,?2,?3)"
       " ON CONFLICT(dossier_id) DO UPDATE SET n_entries=excluded.n_entries,"
       " entries=excluded.entries"},
      {&impl->select_orphans, "SELECT entries FROM progress_orphans WHERE dossier_code=?1"},
      {&impl->upsert_orphans,
       "INSERT INTO progress_orphans(dossier_code, n_entries, entries) VALUES(?1,?2,?3)"
       " ON CONFLICT(dossier_code) DO UPDATE SET n_entries=excluded.n_entries,"
       " entries=excluded.entries"},
      {&impl->delete_orphans, "DELETE FROM progress_orphans WHERE dossier_code=?1"},
      {&impl->insert_batch, "INSERT INTO batches(arrived, source, sender) VALUES(?1, ?2, ?3)"},
      {&impl->update_batch,
       "UPDATE batches SET records=?2, accepted=?3, unchanged=?4, rejected=?5 WHERE id=?1"},
      {&impl->upsert_cursor,
       "INSERT INTO cursors(source, value, batch_id) VALUES(?1,?2,?3) ON CONFLICT(source)"
       " DO UPDATE SET value=excluded.value, batch_id=excluded.batch_id"},
      {&impl->data_version, "PRAGMA data_version"},
  };
  for (const Def& d : defs) {
    TTHC_TRY(*d.target, sql::Stmt::prepare(impl->db, d.sql));
  }
  return impl;
}

std::optional<Error> Writer::Impl::load_entries(sql::Stmt& select, std::vector<StoredEntry>& out) {
  out.clear();
  TTHC_TRY(const bool row, select.step());
  std::optional<Error> bad;
  if (row) bad = decode_progress(select.text(0), out);
  select.reset();
  if (bad) return bad;
  // Written in order by this module; a migrated file may not be.
  const auto before = [](const StoredEntry& a, const StoredEntry& b) {
    return progress_before(a.entry, b.entry);
  };
  if (!std::is_sorted(out.begin(), out.end(), before)) {
    std::stable_sort(out.begin(), out.end(), before);
  }
  return std::nullopt;
}

template <class Key>
std::optional<Error> Writer::Impl::store_entries(sql::Stmt& upsert, const Key& key,
                                                 std::span<const EntryRef> entries) {
  encoded.clear();
  encode_progress(entries, encoded);
  upsert.bind(1, key)
      .bind(2, static_cast<std::int64_t>(entries.size()))
      .bind(3, std::string_view(encoded));
  return upsert.run();
}

std::span<const EntryRef> Writer::Impl::refs_of(const std::vector<StoredEntry>& entries) {
  refs.clear();
  for (const StoredEntry& e : entries) refs.push_back(EntryRef{&e.entry, e.batch});
  return refs;
}

Result<std::pair<const std::string, Recent>*> Writer::Impl::find(std::string_view code) {
  if (auto it = recent.find(code); it != recent.end()) {
    it->second.used = ++tick;
    return &*it;
  }
  TTHC_TRY(const bool found, find_dossier.bind(1, code).step());
  if (!found) {
    find_dossier.reset();
    return nullptr;
  }
  Recent r;
  r.id = find_dossier.int64(0);
  r.freshness = find_dossier.int64(1);
  r.hash = find_dossier.int64(2);
  r.promise = find_dossier.opt_int64(3);
  r.used = ++tick;
  find_dossier.reset();
  return &*recent.emplace(std::string(code), std::move(r)).first;
}

std::optional<Error> Writer::Impl::load_recent_entries(Recent& r) {
  if (r.entries_loaded) return std::nullopt;
  select_progress.bind(1, r.id);
  if (auto e = load_entries(select_progress, r.entries)) return e;
  r.entries_loaded = true;
  return std::nullopt;
}

void Writer::Impl::mark_pending(std::pair<const std::string, Recent>& item) {
  if (item.second.pending) return;
  item.second.pending = true;
  pending.push_back(&item);
}

std::optional<Error> Writer::Impl::flush() {
  for (auto* item : pending) {
    if (auto e = flush_one(item->second)) {
      return Error{e->message + " (dossier " + item->first + ")"};
    }
  }
  pending.clear();
  return std::nullopt;
}

std::optional<Error> Writer::Impl::flush_one(Recent& r) {
  if (r.row) {
    bind_fields(update_dossier, *r.row, rounds);
    update_dossier.bind(16, r.freshness)
        .bind(17, r.hash)
        .bind(18, *r.last_batch)
        .bind(19, r.settled)
        .bind(20, r.id);
    if (auto e = update_dossier.run()) return e;
  } else if (r.last_batch) {
    touch_dossier.bind(1, r.id).bind(2, *r.last_batch).bind(3, r.settled);
    if (auto e = touch_dossier.run()) return e;
  } else if (r.settled > 0) {
    raise_settled.bind(1, r.id).bind(2, r.settled);
    if (auto e = raise_settled.run()) return e;
  }
  if (r.progress_changed) {
    if (auto e = store_entries(upsert_progress, r.id, refs_of(r.entries))) return e;
  }
  r.pending = false;
  r.row.reset();
  r.last_batch.reset();
  r.settled = 0;
  r.progress_changed = false;
  return std::nullopt;
}

void Writer::Impl::forget() {
  pending.clear();
  recent.clear();
}

std::optional<Error> Writer::Impl::check_recent() {
  TTHC_TRY(const bool row, data_version.step());
  const std::int64_t version = row ? data_version.int64(0) : -1;
  data_version.reset();
  if (version != seen_version) forget();
  seen_version = version;
  return std::nullopt;
}

void Writer::Impl::evict() {
  if (recent.size() <= kRecentLimit) return;
  // Keeps the more recently used half.
  std::vector<std::uint64_t> uses;
  uses.reserve(recent.size());
  for (const auto& [code, r] : recent) uses.push_back(r.used);
  auto middle = uses.begin() + static_cast<std::ptrdiff_t>(uses.size() / 2);
  std::nth_element(uses.begin(), middle, uses.end());
  const std::uint64_t keep_from = *middle;
  std::erase_if(recent, [&](const auto& item) { return item.second.used < keep_from; });
}

std::optional<Error> Writer::Impl::merge_update(const ProgressUpdate& u, std::int64_t batch,
                                                ApplyCounts& counts) {
  TTHC_TRY(auto found, find(u.dossier_code));
  const std::span<const ProgressEntry> one(&u.entry, 1);
  if (found == nullptr) {
    // Its dossier has not arrived: the entry waits under the code.
    select_orphans.bind(1, u.dossier_code);
    if (auto e = load_entries(select_orphans, stored)) return e;
    if (merge(stored, one, batch, counts) == 0) return std::nullopt;
    return store_entries(upsert_orphans, u.dossier_code, refs_of(stored));
  }
  Recent& r = found->second;
  if (auto e = load_recent_entries(r)) return e;
  if (merge(r.entries, one, batch, counts) == 0) return std::nullopt;
  r.progress_changed = true;
  r.last_batch = batch;
  if (is_end_status(u.entry.status)) r.settled = std::max(r.settled, to_db(u.entry.at));
  mark_pending(*found);
  return std::nullopt;
}

std::optional<Error> Writer::Impl::record_due(std::int64_t dossier_id, Moment due, bool applied,
                                              std::int64_t batch) {
  // The base due lives in dossiers.base_due; due_changes holds the later values.
  TTHC_TRY(const bool row, last_due.bind(1, dossier_id).step());
  std::int64_t seq = 0;
  std::optional<std::int64_t> last;
  if (row) {
    seq = last_due.int64(0);
    last = last_due.opt_int64(1);
  }
  last_due.reset();
  if (!last) {
    // No base due yet: the first value is the base whatever the snapshot's age.
    set_base_due.bind(1, dossier_id).bind(2, to_db(due));
    return set_base_due.run();
  }
  // A later different value counts only from a snapshot at least as fresh as the stored one.
  if (!applied || *last == to_db(due)) return std::nullopt;
  insert_due.bind(1, dossier_id).bind(2, seq + 1).bind(3, to_db(due)).bind(4, batch);
  return insert_due.run();
}

std::optional<Error> Writer::Impl::insert_snapshot_row(const DossierSnapshot& s, std::int64_t id,
                                                       std::int64_t batch, bool applied) {
  insert_snapshot.bind(1, id)
      .bind(2, batch)
      .bind(3, to_db(s.freshness))
      .bind(4, static_cast<std::int64_t>(status_code(s.dossier.status)))
      .bind(5, to_db(s.dossier.promised_due))
      .bind(6, std::int64_t{applied ? 1 : 0})
      .bind(7, hash_to_db(s.content_hash))
      .bind(8, s.raw);
  return insert_snapshot.run();
}

// A dossier's first snapshot: its row is written at once (the snapshot refers to its id), its
// entries merged with those that waited for it without copying them.
std::optional<Error> Writer::Impl::apply_new(const DossierSnapshot& s, std::int64_t batch,
                                             ApplyCounts& counts) {
  const Dossier& d = s.dossier;
  select_orphans.bind(1, d.code);
  if (auto e = load_entries(select_orphans, stored)) return e;
  const bool had_orphans = !stored.empty();
  if (had_orphans) {
    delete_orphans.bind(1, d.code);
    if (auto e = delete_orphans.run()) return e;
  }
  refs_of(stored);
  std::vector<EntryRef>& merged = refs;
  const std::size_t added = s.progress.empty() ? 0 : merge(merged, s.progress, batch, counts);
  std::int64_t settled = ends_bound(merged);
  for (const auto& m : {d.received, d.processing_end, d.returned}) {
    if (m) settled = std::max(settled, to_db(*m));
  }
  bind_fields(insert_dossier, d, rounds);
  insert_dossier.bind(16, to_db(s.freshness))
      .bind(17, hash_to_db(s.content_hash))
      .bind(18, batch)
      .bind(19, settled);
  if (auto e = insert_dossier.run()) return e;
  const std::int64_t id = db.last_insert_rowid();
  if (auto e = insert_snapshot_row(s, id, batch, true)) return e;
  // A new dossier's NgayHenTra is its base due, already in its row; its orphans move to its id
  // even when the snapshot adds none.
  if (added > 0 || had_orphans) {
    if (auto e = store_entries(upsert_progress, id, std::span<const EntryRef>(merged))) return e;
  }
  // Not kept in `recent` yet: most dossiers of a bulk load are never sent again, and keeping
  // each made such a load a sixth slower; a re-send looks it up once.
  ++counts.new_dossiers;
  ++counts.accepted;
  return std::nullopt;
}

std::optional<Error> Writer::Impl::apply_snapshot(const DossierSnapshot& s, std::int64_t batch,
                                                  ApplyCounts& counts) {
  const Dossier& d = s.dossier;
  TTHC_TRY(auto found, find(d.code));
  if (found == nullptr) return apply_new(s, batch, counts);
  Recent& r = found->second;

  const std::int64_t hash = hash_to_db(s.content_hash);
  const std::int64_t freshness = to_db(s.freshness);
  // A snapshot fresher than the stored one has never been seen: the stored freshness is the
  // largest of every snapshot received. Only an equally fresh or older one may be a re-send.
  if (freshness <= r.freshness) {
    if (r.hash == hash) {
      ++counts.unchanged;
      return std::nullopt;
    }
    TTHC_TRY(const bool seen, has_snapshot.bind(1, r.id).bind(2, hash).step());
    has_snapshot.reset();
    if (seen) {
      ++counts.unchanged;
      return std::nullopt;
    }
  }

  const bool applied = freshness >= r.freshness;
  std::size_t added = 0;
  std::int64_t ends = 0;
  if (!s.progress.empty()) {
    if (auto e = load_recent_entries(r)) return e;
    added = merge(r.entries, s.progress, batch, counts);
    ends = ends_bound(r.entries);
  }
  if (added > 0) r.progress_changed = true;
  const std::optional<std::int64_t> stored_promise = r.promise;
  if (applied) {
    std::int64_t settled = ends;
    for (const auto& m : {d.received, d.processing_end, d.returned}) {
      if (m) settled = std::max(settled, to_db(*m));
    }
    r.row = d;
    r.freshness = freshness;
    r.hash = hash;
    r.promise = to_db(d.promised_due);
    r.last_batch = batch;
    r.settled = std::max(r.settled, settled);
  } else {
    // An older snapshot's fields are not kept, but its progress entries merge.
    r.settled = std::max(r.settled, ends);
  }
  if (applied || added > 0 || ends > 0) mark_pending(*found);
  if (auto e = insert_snapshot_row(s, r.id, batch, applied)) return e;
  // An applied snapshot promising what the row already says changes nothing: the row's
  // NgayHenTra is the last value recorded (a re-send of a dossier in progress, the usual case,
  // skips the lookup).
  const bool same_promise = applied && stored_promise == to_db(d.promised_due);
  if (d.promised_due && !same_promise) {
    if (auto e = record_due(r.id, *d.promised_due, applied, batch)) return e;
  }
  if (applied) {
    ++counts.updated;
  } else {
    ++counts.stale;
  }
  if (applied || added > 0) ++counts.accepted;
  return std::nullopt;
}

Writer::Writer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Writer::Writer(Writer&&) noexcept = default;
Writer& Writer::operator=(Writer&&) noexcept = default;
Writer::~Writer() = default;

Result<Writer> Writer::open(const Options& options) {
  TTHC_TRY(sql::Db db, sql::Db::open(options.path.string(), false));
  // SQLite opens the file lazily: a read-only file system or directory shows here.
  if (auto e = configure(db, options, true))
    return Error{e->message + " (" + options.path.string() + ")"};
  // Migrations keep their temporary data (the statement journal of a DROP TABLE: 600 MB for a
  // million dossiers' old progress rows) in files; the writer's own in memory.
  if (auto e = migrate(db)) return *e;
  if (auto e = db.exec("PRAGMA temp_store=MEMORY", "configure the writer")) return *e;
  TTHC_TRY(auto impl, Impl::create(std::move(db)));
  return Writer(std::move(impl));
}

Result<ApplyCounts> Writer::Impl::apply_in_transaction(const BatchInput& in) {
  ApplyCounts counts;
  insert_batch.bind(1, in.info.arrived_unix).bind(2, in.info.source).bind(3, in.info.sender);
  if (auto e = insert_batch.run()) return *e;
  counts.batch_id = db.last_insert_rowid();

  for (const DossierSnapshot& s : in.dossiers) {
    const std::size_t unchanged = counts.unchanged;
    if (auto e = apply_snapshot(s, counts.batch_id, counts)) {
      return Error{e->message + " (dossier " + s.dossier.code + ")"};
    }
    // Whatever was not the same snapshot again changed the dossier: even a stale one may have
    // set the base due (the first NgayHenTra received).
    if (in.info.collect_changed && counts.unchanged == unchanged) {
      counts.changed.push_back(s.dossier.code);
    }
  }
  for (const ProgressUpdate& u : in.progress) {
    const std::size_t before = counts.progress_added;
    if (auto e = merge_update(u, counts.batch_id, counts)) {
      return Error{e->message + " (dossier " + u.dossier_code + ")"};
    }
    if (counts.progress_added > before) {
      ++counts.accepted;
      if (in.info.collect_changed) counts.changed.push_back(u.dossier_code);
    } else {
      ++counts.unchanged;
    }
  }
  if (in.info.cursor) {
    upsert_cursor.bind(1, in.info.source).bind(2, *in.info.cursor).bind(3, counts.batch_id);
    if (auto e = upsert_cursor.run()) return *e;
  }
  const std::size_t records = in.dossiers.size() + in.progress.size();
  update_batch.bind(1, counts.batch_id)
      .bind(2, static_cast<std::int64_t>(records + in.info.rejected))
      .bind(3, static_cast<std::int64_t>(counts.accepted))
      .bind(4, static_cast<std::int64_t>(records - counts.accepted))
      .bind(5, static_cast<std::int64_t>(in.info.rejected));
  if (auto e = update_batch.run()) return *e;
  return counts;
}

Result<ApplyCounts> Writer::apply(std::span<const DossierSnapshot> dossiers,
                                  std::span<const ProgressUpdate> progress, const BatchInfo& info) {
  const BatchInput one{dossiers, progress, info};
  TTHC_TRY(auto all, apply_all(std::span(&one, 1)));
  return all.front();
}

Result<std::vector<ApplyCounts>> Writer::apply_all(std::span<const BatchInput> batches) {
  Impl& w = *impl_;
  TTHC_TRY(sql::Transaction tx, sql::Transaction::begin(w.db));
  // What `recent` holds is written before the commit; after a rollback it is forgotten.
  auto failed = [&w](Error e) {
    w.forget();
    return e;
  };
  if (auto e = w.check_recent()) return failed(*e);
  std::vector<ApplyCounts> out;
  out.reserve(batches.size());
  for (const BatchInput& in : batches) {
    auto counts = w.apply_in_transaction(in);
    if (!counts) return failed(std::move(counts).error());
    out.push_back(*counts);
  }
  if (auto e = w.flush()) return failed(*e);
  if (auto e = tx.commit()) return failed(*e);
  w.evict();
  return out;
}

namespace {

// The figures of ClaimedStats in the column order of claimed_stats (from `received` on).
constexpr std::optional<std::int64_t> StatsFigures::*kClaimedCounts[] = {
    &StatsFigures::received, &StatsFigures::carried_over,     &StatsFigures::to_process,
    &StatsFigures::resolved, &StatsFigures::resolved_on_time, &StatsFigures::resolved_overdue,
    &StatsFigures::pending,  &StatsFigures::pending_in_time,  &StatsFigures::pending_overdue};
constexpr std::string_view kClaimedColumns =
    "unit, year, month, kind, unit_name, note, received, carried_over, to_process, resolved,"
    " resolved_on_time, resolved_overdue, pending, pending_in_time, pending_overdue,"
    " on_time_percent, arrived, sender";

}  // namespace

Result<std::size_t> Writer::put_claimed_stats(std::span<const ClaimedStats> records,
                                              std::string_view sender, std::int64_t arrived_unix) {
  Impl& w = *impl_;
  TTHC_TRY(sql::Transaction tx, sql::Transaction::begin(w.db));
  TTHC_TRY(
      auto ins,
      sql::Stmt::prepare(
          w.db,
          "INSERT INTO claimed_stats(" + std::string(kClaimedColumns) +
              ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)"
              " ON CONFLICT(year, month, unit, kind) DO UPDATE SET unit_name=excluded.unit_name,"
              " note=excluded.note, received=excluded.received,"
              " carried_over=excluded.carried_over, to_process=excluded.to_process,"
              " resolved=excluded.resolved, resolved_on_time=excluded.resolved_on_time,"
              " resolved_overdue=excluded.resolved_overdue, pending=excluded.pending,"
              " pending_in_time=excluded.pending_in_time,"
              " pending_overdue=excluded.pending_overdue,"
              " on_time_percent=excluded.on_time_percent, arrived=excluded.arrived,"
              " sender=excluded.sender WHERE excluded.arrived >= claimed_stats.arrived"));
  std::size_t kept = 0;
  for (const ClaimedStats& r : records) {
    ins.bind(1, r.unit)
        .bind(2, std::int64_t{r.year})
        .bind(3, std::int64_t{r.month})
        .bind(4, r.kind)
        .bind(5, r.unit_name)
        .bind(6, r.note);
    int col = 7;
    for (const auto member : kClaimedCounts) ins.bind(col++, r.figures.*member);
    // Stored as sent, a percentage.
    std::optional<double> percent;
    if (r.figures.on_time_rate) percent = *r.figures.on_time_rate * 100.0;
    ins.bind(16, percent).bind(17, arrived_unix).bind(18, sender);
    if (auto e = ins.run()) {
      return Error{e->message + " (claimed statistics of " + r.unit + ", " +
                   std::to_string(r.year) + "-" + std::to_string(r.month) + ")"};
    }
    kept += static_cast<std::size_t>(w.db.changes());
  }
  if (auto e = tx.commit()) return *e;
  return kept;
}

Result<std::size_t> Writer::replace_catalogue(std::span<const CatalogueRow> rows) {
  Impl& w = *impl_;
  TTHC_TRY(sql::Transaction tx, sql::Transaction::begin(w.db));
  if (auto e = w.db.exec("DELETE FROM procedures", "clear the catalogue")) return *e;
  TTHC_TRY(
      auto ins,
      sql::Stmt::prepare(
          w.db,
          "INSERT INTO procedures(code, name, field_code, field_name, legal_limit, reduced_limit,"
          " online_limit) VALUES(?1,?2,?3,?4,?5,?6,?7)"));
  for (const CatalogueRow& r : rows) {
    ins.bind(1, r.code)
        .bind(2, r.name)
        .bind(3, r.field_code)
        .bind(4, r.field_name)
        .bind(5, r.legal_limit)
        .bind(6, r.reduced_limit)
        .bind(7, r.online_limit);
    if (auto e = ins.run()) return Error{e->message + " (procedure " + r.code + ")"};
  }
  if (auto e = tx.commit()) return *e;
  return rows.size();
}

// ---------------------------------------------------------------------------------------------

struct Reader::Impl {
  sql::Db db;
  sql::Stmt dossier, dues;  // prepared on first use, kept for the next dossier
};

namespace {

// A dossier's row and its packed progress entries (read_dossier's columns).
constexpr std::string_view kSelectDossiers =
    "SELECT id, code, procedure_code, procedure_name, field_code, field_name, unit_name, channel,"
    " status, submitted, received, promised_due, processing_end, returned, rounds, base_due,"
    " p.entries FROM dossiers d LEFT JOIN progress p ON p.dossier_id = d.id";

// Reads a row of kSelectDossiers (the progress entries sorted as the engine wants them); gives
// the dossier id.
Result<std::int64_t> read_dossier(const sql::Stmt& st, bool with_text, DossierTimeline& tl) {
  Dossier& d = tl.dossier;
  d.code = std::string(st.text(1));
  d.procedure_code = std::string(st.text(2));
  d.procedure_name = std::string(st.text(3));
  d.field_code = std::string(st.text(4));
  d.field_name = std::string(st.text(5));
  d.unit_name = std::string(st.text(6));
  d.channel = channel_from_code(st.int64(7)).value_or(Channel::InPerson);
  d.status = status_from_code(st.int64(8)).value_or(Status::Unknown);
  d.submitted = from_db(st.opt_int64(9));
  d.received = from_db(st.opt_int64(10));
  d.promised_due = from_db(st.opt_int64(11));
  d.processing_end = from_db(st.opt_int64(12));
  d.returned = from_db(st.opt_int64(13));
  if (!st.is_null(14)) d.rounds = rounds_from_db(st.text(14));
  if (!st.is_null(15)) tl.due_history.push_back(from_db(st.int64(15)));
  if (!st.is_null(16)) {
    if (auto e = decode_progress(st.text(16), with_text, tl.progress)) {
      return Error{e->message + " (dossier " + d.code + ")"};
    }
    sort_progress(tl.progress);  // one pass when in order, as written
  }
  return st.int64(0);
}

// Due changes are few (extensions, supplementation): held by dossier id.
Result<std::unordered_map<std::int64_t, std::vector<Moment>>> load_due_changes(sql::Db& db) {
  std::unordered_map<std::int64_t, std::vector<Moment>> dues;
  TTHC_TRY(sql::Stmt st, sql::Stmt::prepare(db,
                                            "SELECT dossier_id, value FROM due_changes ORDER BY"
                                            " dossier_id, seq"));
  for (;;) {
    TTHC_TRY(const bool r, st.step());
    if (!r) break;
    dues[st.int64(0)].push_back(from_db(st.int64(1)));
  }
  return dues;
}

// Steps the dossier statement `ds`: each dossier into one reused item, then `visit` (false:
// stop), in one read transaction. Gives the number visited.
Result<std::size_t> visit_dossiers(sql::Db& db, sql::Stmt& ds, bool with_text,
                                   const std::function<bool(StoredTimeline&)>& visit) {
  // One consistent state for the whole scan.
  TTHC_TRY(sql::Transaction tx, sql::Transaction::begin_read(db));
  TTHC_TRY(auto dues, load_due_changes(db));
  std::size_t visited = 0;
  StoredTimeline item;
  for (;;) {
    TTHC_TRY(const bool r, ds.step());
    if (!r) break;
    DossierTimeline& tl = item.timeline;
    tl.dossier.rounds.clear();
    tl.due_history.clear();
    tl.progress.clear();
    TTHC_TRY(const std::int64_t id, read_dossier(ds, with_text, tl));
    item.id = id;
    if (auto it = dues.find(item.id); it != dues.end()) {
      tl.due_history.insert(tl.due_history.end(), it->second.begin(), it->second.end());
    }
    ++visited;
    if (!visit(item)) break;
  }
  return visited;
}

std::optional<Error> prepare_once(sql::Db& db, sql::Stmt& st, std::string_view text) {
  if (st) return std::nullopt;
  TTHC_TRY(st, sql::Stmt::prepare(db, text));
  return std::nullopt;
}

}  // namespace

Reader::Reader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Reader::Reader(Reader&&) noexcept = default;
Reader& Reader::operator=(Reader&&) noexcept = default;
Reader::~Reader() = default;

Result<Reader> Reader::open(const std::filesystem::path& path) {
  TTHC_TRY(sql::Db db, sql::Db::open(path.string(), true));
  Options o;
  o.path = path;
  if (auto e = configure(db, o, false)) return *e;
  auto version = current_version(db);
  if (!version) {
    return Error{"store: " + path.string() + " is not a tthc-monitor database (" +
                 version.error().message + ")"};
  }
  if (*version != latest_schema_version()) {
    return Error{"store: " + path.string() + " has schema version " + std::to_string(*version) +
                 ", this program reads version " + std::to_string(latest_schema_version()) +
                 (*version < latest_schema_version()
                      ? "; `tthc-monitor run` or `import` upgrades it on opening"
                      : "; run a newer tthc-monitor")};
  }
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(db);
  return Reader(std::move(impl));
}

Result<std::optional<DossierTimeline>> Reader::timeline(std::string_view code) {
  TTHC_TRY(auto stored, load(code));
  if (!stored) return std::optional<DossierTimeline>();
  return std::optional<DossierTimeline>(std::move(stored->timeline));
}

Result<std::optional<StoredTimeline>> Reader::load(std::string_view code) {
  Impl& r = *impl_;
  if (auto e = prepare_once(r.db, r.dossier, std::string(kSelectDossiers) + " WHERE code=?1")) {
    return *e;
  }
  if (auto e = prepare_once(r.db, r.dues,
                            "SELECT value FROM due_changes WHERE dossier_id=?1 ORDER BY seq")) {
    return *e;
  }
  // A read transaction, so the two reads see one state of the file.
  TTHC_TRY(sql::Transaction tx, sql::Transaction::begin_read(r.db));
  TTHC_TRY(const bool row, r.dossier.bind(1, code).step());
  if (!row) {
    r.dossier.reset();
    return std::optional<StoredTimeline>();
  }
  StoredTimeline out;
  auto id = read_dossier(r.dossier, true, out.timeline);
  r.dossier.reset();
  if (!id) return std::move(id).error();
  out.id = *id;
  r.dues.bind(1, out.id);
  for (;;) {
    TTHC_TRY(const bool step, r.dues.step());
    if (!step) break;
    out.timeline.due_history.push_back(from_db(r.dues.int64(0)));
  }
  r.dues.reset();
  return std::optional<StoredTimeline>(std::move(out));
}

Result<std::size_t> Reader::scan(const ScanOptions& options,
                                 const std::function<bool(StoredTimeline&)>& visit) {
  sql::Db& db = impl_->db;
  // A pass over everything reuses no page: a small cache keeps the daemon's memory down.
  if (auto e = db.exec("PRAGMA cache_size=-4096", "configure the scan")) return *e;
  // Both tables in row id order: each progress row is next to the previous one.
  TTHC_TRY(sql::Stmt ds, sql::Stmt::prepare(db, std::string(kSelectDossiers) + " ORDER BY d.id"));
  return visit_dossiers(db, ds, options.with_text, visit);
}

Result<std::size_t> Reader::scan_period(const PeriodFilter& filter, const ScanOptions& options,
                                        const std::function<bool(StoredTimeline&)>& visit) {
  sql::Db& db = impl_->db;
  // A scan of the dossiers table (no index: a million rows take ~0.2 s); each candidate's
  // progress row by its key.
  TTHC_TRY(sql::Stmt ds, sql::Stmt::prepare(
                             db, std::string(kSelectDossiers) +
                                     " WHERE received < ?1 AND status NOT IN (1, 3) AND (status < 7"
                                     " OR (?3 AND status = 9) OR settled >= ?2)"));
  ds.bind(1, to_db(filter.end))
      .bind(2, to_db(filter.start))
      .bind(3, std::int64_t{filter.finished_is_pending ? 1 : 0});
  return visit_dossiers(db, ds, options.with_text, visit);
}

Result<Totals> Reader::totals() {
  TTHC_TRY(
      sql::Stmt st,
      sql::Stmt::prepare(impl_->db,
                         "SELECT (SELECT count(*) FROM dossiers), (SELECT count(*) FROM snapshots),"
                         " (SELECT coalesce(sum(n_entries), 0) FROM progress) +"
                         " (SELECT coalesce(sum(n_entries), 0) FROM progress_orphans),"
                         " (SELECT count(*) FROM due_changes),"
                         " (SELECT count(*) FROM batches)"));
  TTHC_TRY_VOID(st.step());
  return Totals{st.int64(0), st.int64(1), st.int64(2), st.int64(3), st.int64(4)};
}

Result<std::int64_t> Reader::last_arrival() {
  TTHC_TRY(sql::Stmt st,
           sql::Stmt::prepare(impl_->db, "SELECT coalesce(max(arrived), 0) FROM batches"));
  TTHC_TRY_VOID(st.step());
  return st.int64(0);
}

Result<std::optional<Moment>> Reader::first_received() {
  TTHC_TRY(sql::Stmt st, sql::Stmt::prepare(impl_->db, "SELECT min(received) FROM dossiers"));
  TTHC_TRY_VOID(st.step());
  return from_db(st.opt_int64(0));
}

namespace {

// Rows of (text, text, count) as `Row`s: the listings of codes, names and dossiers.
template <class Row>
Result<std::vector<Row>> named_counts(sql::Stmt& st) {
  std::vector<Row> out;
  for (;;) {
    TTHC_TRY(const bool r, st.step());
    if (!r) break;
    out.push_back({std::string(st.text(0)), std::string(st.text(1)), st.int64(2)});
  }
  return out;
}

}  // namespace

Result<std::vector<FirstArrivals>> Reader::first_arrivals(Moment from, Moment to) {
  TTHC_TRY(sql::Stmt st,
           sql::Stmt::prepare(impl_->db,
                              "SELECT d.received / 86400, b.arrived, count(*) FROM dossiers d "
                              "JOIN batches b ON b.id = d.first_batch WHERE d.received >= ? AND "
                              "d.received < ? GROUP BY 1, 2 ORDER BY 1, 2"));
  st.bind(1, to_db(from)).bind(2, to_db(to));
  std::vector<FirstArrivals> out;
  while (true) {
    TTHC_TRY(const bool row, st.step());
    if (!row) break;
    out.push_back({Date{std::chrono::days{st.int64(0)}}, st.int64(1), st.int64(2)});
  }
  return out;
}

Result<std::vector<UnknownProcedure>> Reader::unknown_procedures() {
  TTHC_TRY(
      auto st,
      sql::Stmt::prepare(
          impl_->db,
          "SELECT procedure_code, min(procedure_name), count(*) FROM dossiers d"
          // Province-local codes (1.004227.000.00.00.H42) fall back to their national part, as
          // engine::Catalogue::find does.
          " WHERE NOT EXISTS (SELECT 1 FROM procedures p WHERE p.code = d.procedure_code"
          " OR p.code = CASE WHEN instr(substr(d.procedure_code, instr(d.procedure_code, '.') + 1),"
          " '.') > 0 THEN substr(d.procedure_code, 1, instr(d.procedure_code, '.') +"
          " instr(substr(d.procedure_code, instr(d.procedure_code, '.') + 1), '.') - 1)"
          " ELSE NULL END)"
          " GROUP BY procedure_code ORDER BY count(*) DESC, procedure_code"));
  return named_counts<UnknownProcedure>(st);
}

Result<std::vector<StoredUnit>> Reader::units() {
  TTHC_TRY(auto st, sql::Stmt::prepare(impl_->db,
                                       "SELECT unit_code, unit_name, count(*) FROM dossiers"
                                       " GROUP BY unit_code, unit_name ORDER BY 1, 2"));
  return named_counts<StoredUnit>(st);
}

Result<std::optional<std::string>> Reader::cursor(std::string_view source) {
  TTHC_TRY(sql::Stmt st,
           sql::Stmt::prepare(impl_->db, "SELECT value FROM cursors WHERE source=?1"));
  TTHC_TRY(const bool r, st.bind(1, source).step());
  if (!r) return std::optional<std::string>();
  return std::optional<std::string>(std::string(st.text(0)));
}

Result<std::vector<StoredClaimedStats>> Reader::claimed_stats(int year, unsigned month) {
  TTHC_TRY(sql::Stmt st,
           sql::Stmt::prepare(impl_->db, "SELECT " + std::string(kClaimedColumns) +
                                             " FROM claimed_stats WHERE year=?1 AND month=?2"
                                             " ORDER BY unit, kind"));
  st.bind(1, std::int64_t{year}).bind(2, std::int64_t{month});
  std::vector<StoredClaimedStats> out;
  for (;;) {
    TTHC_TRY(const bool r, st.step());
    if (!r) break;
    StoredClaimedStats& s = out.emplace_back();
    s.stats.unit = st.text(0);
    s.stats.year = static_cast<int>(st.int64(1));
    s.stats.month = static_cast<unsigned>(st.int64(2));
    s.stats.kind = st.text(3);
    s.stats.unit_name = st.text(4);
    s.stats.note = st.text(5);
    int col = 6;
    for (const auto member : kClaimedCounts) s.stats.figures.*member = st.opt_int64(col++);
    if (const auto percent = st.opt_double(15)) s.stats.figures.on_time_rate = *percent / 100.0;
    s.arrived_unix = st.int64(16);
    s.sender = st.text(17);
  }
  return out;
}

Result<std::vector<CatalogueRow>> Reader::catalogue() {
  TTHC_TRY(sql::Stmt st,
           sql::Stmt::prepare(
               impl_->db,
               "SELECT code, name, field_code, field_name, legal_limit, reduced_limit, online_limit"
               " FROM procedures ORDER BY code"));
  std::vector<CatalogueRow> out;
  for (;;) {
    TTHC_TRY(const bool r, st.step());
    if (!r) break;
    out.push_back({std::string(st.text(0)), std::string(st.text(1)), std::string(st.text(2)),
                   std::string(st.text(3)), std::string(st.text(4)), std::string(st.text(5)),
                   std::string(st.text(6))});
  }
  return out;
}

}  // namespace tthc::store
