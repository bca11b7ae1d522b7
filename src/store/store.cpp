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
  auto st = sql::Stmt::prepare(db, "SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!st) return std::move(st).error();
  auto row = st->step();
  if (!row) return std::move(row).error();
  return static_cast<int>(st->int64(0));
}

std::optional<Error> migrate(sql::Db& db) {
  if (auto e = db.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                       " version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                       " applied_at TEXT NOT NULL)",
                       "create schema_migrations")) {
    return e;
  }
  auto version = current_version(db);
  if (!version) return std::move(version).error();
  if (*version > latest_schema_version()) {
    return Error{"store: the database has schema version " + std::to_string(*version) +
                 ", newer than this program's " + std::to_string(latest_schema_version()) +
                 "; run a newer tthc-monitor"};
  }
  for (const Migration& m : kMigrations) {
    if (m.version <= *version) continue;
    auto tx = sql::Transaction::begin(db);
    if (!tx) return std::move(tx).error();
    if (auto e = db.exec(m.sql, "migration " + std::to_string(m.version))) return e;
    auto rec = sql::Stmt::prepare(db,
                                  "INSERT INTO schema_migrations(version, description, applied_at)"
                                  " VALUES(?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    if (!rec) return std::move(rec).error();
    rec->bind(1, static_cast<std::int64_t>(m.version)).bind(2, m.description);
    if (auto e = rec->run()) return e;
    if (auto e = tx->commit()) return e;
  }
  return std::nullopt;
}

}  // namespace

int latest_schema_version() {
  return kMigrations[std::size(kMigrations) - 1].version;
}

Result<int> schema_version_of(const std::filesystem::path& path) {
  auto db = sql::Db::open(path.string(), true);
  if (!db) return std::move(db).error();
  return current_version(*db);
}

// ---------------------------------------------------------------------------------------------

struct Writer::Impl {
  sql::Db db;
  sql::Stmt find_dossier, insert_dossier, update_dossier, touch_dossier, has_snapshot,
      insert_snapshot, last_due, insert_due, set_base_due, select_progress, upsert_progress,
      select_orphans, upsert_orphans, delete_orphans, insert_batch, update_batch, upsert_cursor,
      raise_settled;
  // Reused between dossiers: the stored entries decoded, the merged list, its JSON.
  std::vector<StoredEntry> stored;
  std::vector<EntryRef> merged;
  std::string encoded;

  static Result<std::unique_ptr<Impl>> create(sql::Db db);

  /// Reads the packed entries `select` finds for its bound key into `stored` and `merged`.
  std::optional<Error> load_entries(sql::Stmt& select);
  /// Merges `incoming` into `merged` by key; gives the number added.
  std::size_t merge(std::span<const ProgressEntry> incoming, std::int64_t batch,
                    ApplyCounts& counts);
  /// Writes `merged` with `upsert(key, n_entries, entries)`.
  template <class Key>
  std::optional<Error> store_entries(sql::Stmt& upsert, const Key& key);
  std::optional<Error> merge_update(const ProgressUpdate& u, std::int64_t batch,
                                    ApplyCounts& counts);
  std::optional<Error> apply_snapshot(const DossierSnapshot& s, std::int64_t batch,
                                      ApplyCounts& counts);
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
  };
  for (const Def& d : defs) {
    auto st = sql::Stmt::prepare(impl->db, d.sql);
    if (!st) return std::move(st).error();
    *d.target = std::move(*st);
  }
  return impl;
}

std::optional<Error> Writer::Impl::load_entries(sql::Stmt& select) {
  stored.clear();
  merged.clear();
  auto row = select.step();
  if (!row) return std::move(row).error();
  std::optional<Error> bad;
  if (*row) bad = decode_progress(select.text(0), stored);
  select.reset();
  if (bad) return bad;
  // Written in order by this module; a migrated file may not be.
  const auto before = [](const StoredEntry& a, const StoredEntry& b) {
    return progress_before(a.entry, b.entry);
  };
  if (!std::is_sorted(stored.begin(), stored.end(), before)) {
    std::stable_sort(stored.begin(), stored.end(), before);
  }
  for (const StoredEntry& e : stored) merged.push_back(EntryRef{&e.entry, e.batch});
  return std::nullopt;
}

std::size_t Writer::Impl::merge(std::span<const ProgressEntry> incoming, std::int64_t batch,
                                ApplyCounts& counts) {
  std::size_t added = 0;
  for (const ProgressEntry& e : incoming) {
    // Incoming entries are usually later than every stored one: look at the end first.
    auto at = merged.end();
    if (!merged.empty() && !progress_before(*merged.back().entry, e)) {
      at = std::lower_bound(
          merged.begin(), merged.end(), e,
          [](const EntryRef& a, const ProgressEntry& b) { return progress_before(*a.entry, b); });
    }
    if (at != merged.end() && same_progress_key(*at->entry, e)) {
      ++counts.progress_known;  // the first arrival of a key is kept
      continue;
    }
    merged.insert(at, EntryRef{&e, batch});
    ++counts.progress_added;
    ++added;
  }
  return added;
}

template <class Key>
std::optional<Error> Writer::Impl::store_entries(sql::Stmt& upsert, const Key& key) {
  encoded.clear();
  encode_progress(merged, encoded);
  upsert.bind(1, key)
      .bind(2, static_cast<std::int64_t>(merged.size()))
      .bind(3, std::string_view(encoded));
  return upsert.run();
}

std::optional<Error> Writer::Impl::merge_update(const ProgressUpdate& u, std::int64_t batch,
                                                ApplyCounts& counts) {
  auto found = find_dossier.bind(1, u.dossier_code).step();
  if (!found) return std::move(found).error();
  const std::optional<std::int64_t> id =
      *found ? std::optional<std::int64_t>(find_dossier.int64(0)) : std::nullopt;
  find_dossier.reset();
  const std::span<const ProgressEntry> one(&u.entry, 1);
  if (!id) {
    // Its dossier has not arrived: the entry waits under the code.
    select_orphans.bind(1, u.dossier_code);
    if (auto e = load_entries(select_orphans)) return e;
    if (merge(one, batch, counts) == 0) return std::nullopt;
    return store_entries(upsert_orphans, u.dossier_code);
  }
  select_progress.bind(1, *id);
  if (auto e = load_entries(select_progress)) return e;
  if (merge(one, batch, counts) == 0) return std::nullopt;
  if (auto e = store_entries(upsert_progress, *id)) return e;
  touch_dossier.bind(1, *id).bind(2, batch).bind(
      3, is_end_status(u.entry.status) ? to_db(u.entry.at) : std::int64_t{0});
  return touch_dossier.run();
}

std::optional<Error> Writer::Impl::record_due(std::int64_t dossier_id, Moment due, bool applied,
                                              std::int64_t batch) {
  // The base due lives in dossiers.base_due; due_changes holds the later values.
  auto row = last_due.bind(1, dossier_id).step();
  if (!row) return std::move(row).error();
  std::int64_t seq = 0;
  std::optional<std::int64_t> last;
  if (*row) {
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

std::optional<Error> Writer::Impl::apply_snapshot(const DossierSnapshot& s, std::int64_t batch,
                                                  ApplyCounts& counts) {
  const Dossier& d = s.dossier;
  auto found = find_dossier.bind(1, d.code).step();
  if (!found) return std::move(found).error();
  std::optional<std::int64_t> id;
  std::int64_t stored_freshness = 0;
  std::int64_t stored_hash = 0;
  std::optional<std::int64_t> stored_promise;
  if (*found) {
    id = find_dossier.int64(0);
    stored_freshness = find_dossier.int64(1);
    stored_hash = find_dossier.int64(2);
    stored_promise = find_dossier.opt_int64(3);
  }
  find_dossier.reset();

  const std::int64_t hash = hash_to_db(s.content_hash);
  // A snapshot fresher than the stored one has never been seen: the stored freshness is the
  // largest of every snapshot received. Only an equally fresh or older one may be a re-send.
  if (id && to_db(s.freshness) <= stored_freshness) {
    if (stored_hash == hash) {
      ++counts.unchanged;
      return std::nullopt;
    }
    auto seen = has_snapshot.bind(1, *id).bind(2, hash).step();
    if (!seen) return std::move(seen).error();
    has_snapshot.reset();
    if (*seen) {
      ++counts.unchanged;
      return std::nullopt;
    }
  }

  const bool applied = !id || to_db(s.freshness) >= stored_freshness;
  const std::optional<std::string> rounds = rounds_to_db(d.rounds);
  // The stored entries (a new dossier's orphans) and the snapshot's, merged.
  stored.clear();
  merged.clear();
  if (id) {
    if (!s.progress.empty()) {
      select_progress.bind(1, *id);
      if (auto e = load_entries(select_progress)) return e;
    }
  } else {
    select_orphans.bind(1, d.code);
    if (auto e = load_entries(select_orphans)) return e;
    if (!merged.empty()) {
      delete_orphans.bind(1, d.code);
      if (auto e = delete_orphans.run()) return e;
    }
  }
  const bool had_entries = !merged.empty();
  const std::size_t added = s.progress.empty() ? 0 : merge(s.progress, batch, counts);
  // dossiers.settled (migration 2): every moment the engine could take as the end.
  std::int64_t ends_bound = 0;
  for (const EntryRef& e : merged) {
    if (is_end_status(e.entry->status)) ends_bound = std::max(ends_bound, to_db(e.entry->at));
  }
  std::int64_t settled = ends_bound;
  for (const auto& m : {d.received, d.processing_end, d.returned}) {
    if (m) settled = std::max(settled, to_db(*m));
  }
  const std::string unit_code(d.unit_code());
  if (applied) {
    sql::Stmt& st = id ? update_dossier : insert_dossier;
    st.bind(1, d.code)
        .bind(2, unit_code)
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
    if (rounds) {
      st.bind(15, std::string_view(*rounds));
    } else {
      st.bind(15, std::nullopt);
    }
    st.bind(16, to_db(s.freshness)).bind(17, hash).bind(18, batch).bind(19, settled);
    if (id) st.bind(20, *id);
    if (auto e = st.run()) return e;
    if (!id) id = db.last_insert_rowid();
  } else if (ends_bound > 0) {
    // An older snapshot's fields are not kept, but its progress entries merge.
    raise_settled.bind(1, *id).bind(2, ends_bound);
    if (auto e = raise_settled.run()) return e;
  }
  insert_snapshot.bind(1, *id)
      .bind(2, batch)
      .bind(3, to_db(s.freshness))
      .bind(4, static_cast<std::int64_t>(status_code(d.status)))
      .bind(5, to_db(d.promised_due))
      .bind(6, std::int64_t{applied ? 1 : 0})
      .bind(7, hash)
      .bind(8, s.raw);
  if (auto e = insert_snapshot.run()) return e;
  // A new dossier's NgayHenTra is its base due, already written in its row. An applied
  // snapshot promising what the row already says changes nothing: the row's NgayHenTra is the
  // last value recorded (a re-send of a dossier in progress, the usual case, skips the lookup).
  const bool same_promise = applied && stored_promise == to_db(d.promised_due);
  if (d.promised_due && *found && !same_promise) {
    if (auto e = record_due(*id, *d.promised_due, applied, batch)) return e;
  }
  // A new dossier's orphans move to its id even when the snapshot adds none.
  if (added > 0 || (!*found && had_entries)) {
    if (auto e = store_entries(upsert_progress, *id)) return e;
  }
  if (!*found) {
    ++counts.new_dossiers;
  } else if (applied) {
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
  auto db = sql::Db::open(options.path.string(), false);
  if (!db) return std::move(db).error();
  if (auto e = configure(*db, options, true)) return *e;
  // Migrations keep their temporary data (the statement journal of a DROP TABLE: 600 MB for a
  // million dossiers' old progress rows) in files; the writer's own in memory.
  if (auto e = migrate(*db)) return *e;
  if (auto e = db->exec("PRAGMA temp_store=MEMORY", "configure the writer")) return *e;
  auto impl = Impl::create(std::move(*db));
  if (!impl) return std::move(impl).error();
  return Writer(std::move(*impl));
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
  auto all = apply_all(std::span(&one, 1));
  if (!all) return std::move(all).error();
  return all->front();
}

Result<std::vector<ApplyCounts>> Writer::apply_all(std::span<const BatchInput> batches) {
  Impl& w = *impl_;
  auto tx = sql::Transaction::begin(w.db);
  if (!tx) return std::move(tx).error();
  std::vector<ApplyCounts> out;
  out.reserve(batches.size());
  for (const BatchInput& in : batches) {
    auto counts = w.apply_in_transaction(in);
    if (!counts) return std::move(counts).error();
    out.push_back(*counts);
  }
  if (auto e = tx->commit()) return *e;
  return out;
}

namespace {

// The figures of ClaimedStats in the column order of claimed_stats (from `received` on).
constexpr std::optional<std::int64_t> StatsFigures::*kClaimedCounts[] = {
    &StatsFigures::received,         &StatsFigures::carried_over,
    &StatsFigures::to_process,       &StatsFigures::resolved,
    &StatsFigures::resolved_on_time, &StatsFigures::resolved_overdue,
    &StatsFigures::pending,          &StatsFigures::pending_in_time,
    &StatsFigures::pending_overdue};
constexpr std::string_view kClaimedColumns =
    "unit, year, month, kind, unit_name, note, received, carried_over, to_process, resolved,"
    " resolved_on_time, resolved_overdue, pending, pending_in_time, pending_overdue,"
    " on_time_percent, arrived, sender";

}  // namespace

Result<std::size_t> Writer::put_claimed_stats(std::span<const ClaimedStats> records,
                                              std::string_view sender,
                                              std::int64_t arrived_unix) {
  Impl& w = *impl_;
  auto tx = sql::Transaction::begin(w.db);
  if (!tx) return std::move(tx).error();
  auto ins = sql::Stmt::prepare(
      w.db, "INSERT INTO claimed_stats(" + std::string(kClaimedColumns) +
                ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)"
                " ON CONFLICT(year, month, unit, kind) DO UPDATE SET unit_name=excluded.unit_name,"
                " note=excluded.note, received=excluded.received,"
                " carried_over=excluded.carried_over, to_process=excluded.to_process,"
                " resolved=excluded.resolved, resolved_on_time=excluded.resolved_on_time,"
                " resolved_overdue=excluded.resolved_overdue, pending=excluded.pending,"
                " pending_in_time=excluded.pending_in_time,"
                " pending_overdue=excluded.pending_overdue,"
                " on_time_percent=excluded.on_time_percent, arrived=excluded.arrived,"
                " sender=excluded.sender WHERE excluded.arrived >= claimed_stats.arrived");
  if (!ins) return std::move(ins).error();
  std::size_t kept = 0;
  for (const ClaimedStats& r : records) {
    ins->bind(1, r.unit)
        .bind(2, std::int64_t{r.year})
        .bind(3, std::int64_t{r.month})
        .bind(4, r.kind)
        .bind(5, r.unit_name)
        .bind(6, r.note);
    int col = 7;
    for (const auto member : kClaimedCounts) ins->bind(col++, r.figures.*member);
    // Stored as sent, a percentage.
    std::optional<double> percent;
    if (r.figures.on_time_rate) percent = *r.figures.on_time_rate * 100.0;
    ins->bind(16, percent).bind(17, arrived_unix).bind(18, sender);
    if (auto e = ins->run()) {
      return Error{e->message + " (claimed statistics of " + r.unit + ", " +
                   std::to_string(r.year) + "-" + std::to_string(r.month) + ")"};
    }
    kept += static_cast<std::size_t>(w.db.changes());
  }
  if (auto e = tx->commit()) return *e;
  return kept;
}

Result<std::size_t> Writer::replace_catalogue(std::span<const CatalogueRow> rows) {
  Impl& w = *impl_;
  auto tx = sql::Transaction::begin(w.db);
  if (!tx) return std::move(tx).error();
  if (auto e = w.db.exec("DELETE FROM procedures", "clear the catalogue")) return *e;
  auto ins = sql::Stmt::prepare(
      w.db,
      "INSERT INTO procedures(code, name, field_code, field_name, legal_limit, reduced_limit,"
      " online_limit) VALUES(?1,?2,?3,?4,?5,?6,?7)");
  if (!ins) return std::move(ins).error();
  for (const CatalogueRow& r : rows) {
    ins->bind(1, r.code)
        .bind(2, r.name)
        .bind(3, r.field_code)
        .bind(4, r.field_name)
        .bind(5, r.legal_limit)
        .bind(6, r.reduced_limit)
        .bind(7, r.online_limit);
    if (auto e = ins->run()) return Error{e->message + " (procedure " + r.code + ")"};
  }
  if (auto e = tx->commit()) return *e;
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
  auto st = sql::Stmt::prepare(db,
                               "SELECT dossier_id, value FROM due_changes ORDER BY"
                               " dossier_id, seq");
  if (!st) return std::move(st).error();
  for (;;) {
    auto r = st->step();
    if (!r) return std::move(r).error();
    if (!*r) break;
    dues[st->int64(0)].push_back(from_db(st->int64(1)));
  }
  return dues;
}

// Steps the dossier statement `ds`: each dossier into one reused item, then `visit` (false:
// stop), in one read transaction. Gives the number visited.
Result<std::size_t> visit_dossiers(sql::Db& db, sql::Stmt& ds, bool with_text,
                                   const std::function<bool(StoredTimeline&)>& visit) {
  auto tx = sql::Transaction::begin_read(db);  // one consistent state for the whole scan
  if (!tx) return std::move(tx).error();
  auto dues = load_due_changes(db);
  if (!dues) return std::move(dues).error();
  std::size_t visited = 0;
  StoredTimeline item;
  for (;;) {
    auto r = ds.step();
    if (!r) return std::move(r).error();
    if (!*r) break;
    DossierTimeline& tl = item.timeline;
    tl.dossier.rounds.clear();
    tl.due_history.clear();
    tl.progress.clear();
    auto id = read_dossier(ds, with_text, tl);
    if (!id) return std::move(id).error();
    item.id = *id;
    if (auto it = dues->find(item.id); it != dues->end()) {
      tl.due_history.insert(tl.due_history.end(), it->second.begin(), it->second.end());
    }
    ++visited;
    if (!visit(item)) break;
  }
  return visited;
}

std::optional<Error> prepare_once(sql::Db& db, sql::Stmt& st, std::string_view text) {
  if (st) return std::nullopt;
  auto prepared = sql::Stmt::prepare(db, text);
  if (!prepared) return std::move(prepared).error();
  st = std::move(*prepared);
  return std::nullopt;
}

}  // namespace

Reader::Reader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Reader::Reader(Reader&&) noexcept = default;
Reader& Reader::operator=(Reader&&) noexcept = default;
Reader::~Reader() = default;

Result<Reader> Reader::open(const std::filesystem::path& path) {
  auto db = sql::Db::open(path.string(), true);
  if (!db) return std::move(db).error();
  Options o;
  o.path = path;
  if (auto e = configure(*db, o, false)) return *e;
  auto version = current_version(*db);
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
  impl->db = std::move(*db);
  return Reader(std::move(impl));
}

Result<std::optional<DossierTimeline>> Reader::timeline(std::string_view code) {
  auto stored = load(code);
  if (!stored) return std::move(stored).error();
  if (!*stored) return std::optional<DossierTimeline>();
  return std::optional<DossierTimeline>(std::move((*stored)->timeline));
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
  auto tx = sql::Transaction::begin_read(r.db);
  if (!tx) return std::move(tx).error();
  auto row = r.dossier.bind(1, code).step();
  if (!row) return std::move(row).error();
  if (!*row) {
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
    auto step = r.dues.step();
    if (!step) return std::move(step).error();
    if (!*step) break;
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
  auto ds = sql::Stmt::prepare(db, std::string(kSelectDossiers) + " ORDER BY d.id");
  if (!ds) return std::move(ds).error();
  return visit_dossiers(db, *ds, options.with_text, visit);
}

Result<std::size_t> Reader::scan_period(const PeriodFilter& filter, const ScanOptions& options,
                                        const std::function<bool(StoredTimeline&)>& visit) {
  sql::Db& db = impl_->db;
  // A scan of the dossiers table (no index: a million rows take ~0.2 s); each candidate's
  // progress row by its key.
  auto ds =
      sql::Stmt::prepare(db, std::string(kSelectDossiers) +
                                 " WHERE received < ?1 AND status NOT IN (1, 3) AND (status < 7"
                                 " OR (?3 AND status = 9) OR settled >= ?2)");
  if (!ds) return std::move(ds).error();
  ds->bind(1, to_db(filter.end))
      .bind(2, to_db(filter.start))
      .bind(3, std::int64_t{filter.finished_is_pending ? 1 : 0});
  return visit_dossiers(db, *ds, options.with_text, visit);
}

Result<Totals> Reader::totals() {
  auto st =
      sql::Stmt::prepare(impl_->db,
                         "SELECT (SELECT count(*) FROM dossiers), (SELECT count(*) FROM snapshots),"
                         " (SELECT coalesce(sum(n_entries), 0) FROM progress) +"
                         " (SELECT coalesce(sum(n_entries), 0) FROM progress_orphans),"
                         " (SELECT count(*) FROM due_changes),"
                         " (SELECT count(*) FROM batches)");
  if (!st) return std::move(st).error();
  auto row = st->step();
  if (!row) return std::move(row).error();
  return Totals{st->int64(0), st->int64(1), st->int64(2), st->int64(3), st->int64(4)};
}

Result<std::int64_t> Reader::last_arrival() {
  auto st = sql::Stmt::prepare(impl_->db, "SELECT coalesce(max(arrived), 0) FROM batches");
  if (!st) return std::move(st).error();
  auto row = st->step();
  if (!row) return std::move(row).error();
  return st->int64(0);
}

Result<std::optional<Moment>> Reader::first_received() {
  auto st = sql::Stmt::prepare(impl_->db, "SELECT min(received) FROM dossiers");
  if (!st) return std::move(st).error();
  auto row = st->step();
  if (!row) return std::move(row).error();
  return from_db(st->opt_int64(0));
}

Result<std::vector<UnknownProcedure>> Reader::unknown_procedures() {
  auto st = sql::Stmt::prepare(
      impl_->db,
      "SELECT procedure_code, min(procedure_name), count(*) FROM dossiers d"
      // Province-local codes (1.004227.000.00.00.H42) fall back to their national part, as
      // engine::Catalogue::find does.
      " WHERE NOT EXISTS (SELECT 1 FROM procedures p WHERE p.code = d.procedure_code"
      " OR p.code = CASE WHEN instr(substr(d.procedure_code, instr(d.procedure_code, '.') + 1),"
      " '.') > 0 THEN substr(d.procedure_code, 1, instr(d.procedure_code, '.') +"
      " instr(substr(d.procedure_code, instr(d.procedure_code, '.') + 1), '.') - 1)"
      " ELSE NULL END)"
      " GROUP BY procedure_code ORDER BY count(*) DESC, procedure_code");
  if (!st) return std::move(st).error();
  std::vector<UnknownProcedure> out;
  for (;;) {
    auto r = st->step();
    if (!r) return std::move(r).error();
    if (!*r) break;
    out.push_back({std::string(st->text(0)), std::string(st->text(1)), st->int64(2)});
  }
  return out;
}

Result<std::optional<std::string>> Reader::cursor(std::string_view source) {
  auto st = sql::Stmt::prepare(impl_->db, "SELECT value FROM cursors WHERE source=?1");
  if (!st) return std::move(st).error();
  auto r = st->bind(1, source).step();
  if (!r) return std::move(r).error();
  if (!*r) return std::optional<std::string>();
  return std::optional<std::string>(std::string(st->text(0)));
}

Result<std::vector<StoredClaimedStats>> Reader::claimed_stats(int year, unsigned month) {
  auto st = sql::Stmt::prepare(impl_->db, "SELECT " + std::string(kClaimedColumns) +
                                              " FROM claimed_stats WHERE year=?1 AND month=?2"
                                              " ORDER BY unit, kind");
  if (!st) return std::move(st).error();
  st->bind(1, std::int64_t{year}).bind(2, std::int64_t{month});
  std::vector<StoredClaimedStats> out;
  for (;;) {
    auto r = st->step();
    if (!r) return std::move(r).error();
    if (!*r) break;
    StoredClaimedStats& s = out.emplace_back();
    s.stats.unit = st->text(0);
    s.stats.year = static_cast<int>(st->int64(1));
    s.stats.month = static_cast<unsigned>(st->int64(2));
    s.stats.kind = st->text(3);
    s.stats.unit_name = st->text(4);
    s.stats.note = st->text(5);
    int col = 6;
    for (const auto member : kClaimedCounts) s.stats.figures.*member = st->opt_int64(col++);
    if (const auto percent = st->opt_double(15)) s.stats.figures.on_time_rate = *percent / 100.0;
    s.arrived_unix = st->int64(16);
    s.sender = st->text(17);
  }
  return out;
}

Result<std::vector<CatalogueRow>> Reader::catalogue() {
  auto st = sql::Stmt::prepare(
      impl_->db,
      "SELECT code, name, field_code, field_name, legal_limit, reduced_limit, online_limit"
      " FROM procedures ORDER BY code");
  if (!st) return std::move(st).error();
  std::vector<CatalogueRow> out;
  for (;;) {
    auto r = st->step();
    if (!r) return std::move(r).error();
    if (!*r) break;
    out.push_back({std::string(st->text(0)), std::string(st->text(1)), std::string(st->text(2)),
                   std::string(st->text(3)), std::string(st->text(4)), std::string(st->text(5)),
                   std::string(st->text(6))});
  }
  return out;
}

}  // namespace tthc::store
