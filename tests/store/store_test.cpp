// The SQLite store on real temporary files: idempotency, snapshot order, due history, progress
// merge, atomic batches, migrations, and a writer killed with SIGKILL mid-stream.
#include "store/store.hpp"

#include "support/sql.hpp"
#include "support/store_v2.hpp"
#include "support/temp_dir.hpp"
#include "support/timelines.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <random>
#include <string>

namespace tthc::store {
namespace {

namespace fs = std::filesystem;

using test::TempDir;

ProgressEntry entry(Moment at, Status s, std::string dept, std::string handler = "Nguyễn Văn A") {
  return test::progress_entry(at, s, std::move(dept), std::move(handler));
}

// A snapshot as fresh as `latest`, whose content hash follows its fields as the parser's would.
DossierSnapshot snapshot(std::string code, Status status, Moment latest,
                         std::optional<Moment> due = std::nullopt,
                         std::vector<ProgressEntry> progress = {}) {
  DossierSnapshot s;
  s.dossier.code = std::move(code);
  s.dossier.procedure_code = "1.004227";
  s.dossier.procedure_name = "Cấp giấy phép";
  s.dossier.status = status;
  s.dossier.received = make_moment(2026, 3, 2, 9);
  s.dossier.processing_end = status == Status::Finished ? std::optional(latest) : std::nullopt;
  s.dossier.promised_due = due;
  s.progress = std::move(progress);
  sort_progress(s.progress);
  s.freshness = latest;
  s.raw = "{\"MaHoSo\":\"" + s.dossier.code +
          "\",\"TrangThaiHoSo\":" + std::to_string(status_code(status)) + ",\"t\":\"" +
          format_compact(latest) + "\"}";
  s.content_hash = content_hash(s.raw + std::to_string(s.progress.size()) +
                                (due ? format_compact(*due) : std::string()));
  return s;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Options o;
    o.path = dir.file("tthc.db");
    auto w = Writer::open(o);
    ASSERT_TRUE(w) << w.error().message;
    writer.emplace(std::move(*w));
    auto r = Reader::open(o.path);
    ASSERT_TRUE(r) << r.error().message;
    reader.emplace(std::move(*r));
  }
  ApplyCounts apply(std::vector<DossierSnapshot> dossiers,
                    std::vector<ProgressUpdate> progress = {},
                    std::optional<std::string> cursor = std::nullopt) {
    BatchInfo info{"test", 1760000000, std::move(cursor), 0};
    auto r = writer->apply(dossiers, progress, info);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : ApplyCounts{};
  }
  DossierTimeline timeline(std::string_view code) {
    auto t = reader->timeline(code);
    EXPECT_TRUE(t) << t.error().message;
    EXPECT_TRUE(t && *t) << "no dossier " << code;
    return t && *t ? **t : DossierTimeline{};
  }

  TempDir dir;
  std::optional<Writer> writer;
  std::optional<Reader> reader;
  const Moment t1 = make_moment(2026, 3, 2, 10);
  const Moment t2 = make_moment(2026, 3, 3, 10);
  const Moment t3 = make_moment(2026, 3, 4, 10);
};

TEST_F(StoreTest, NewDossierIsStoredWithItsTimeline) {
  auto s =
      snapshot("A-1", Status::InProcess, t1, make_moment(2026, 3, 5, 9),
               {entry(t1, Status::InProcess, "Phòng B"), entry(t1, Status::Received, "Một cửa")});
  s.dossier.rounds = {SupplementRound{t1, std::nullopt, make_moment(2026, 3, 5, 9), std::nullopt}};
  const auto c = apply({s});
  EXPECT_EQ(c.new_dossiers, 1U);
  EXPECT_EQ(c.accepted, 1U);
  EXPECT_EQ(c.progress_added, 2U);
  const auto tl = timeline("A-1");
  EXPECT_EQ(tl.dossier.procedure_name, "Cấp giấy phép");
  EXPECT_EQ(tl.dossier.status, Status::InProcess);
  EXPECT_EQ(tl.dossier.received, make_moment(2026, 3, 2, 9));
  EXPECT_EQ(tl.dossier.rounds, s.dossier.rounds);
  ASSERT_EQ(tl.due_history.size(), 1U);
  EXPECT_EQ(tl.due_history[0], make_moment(2026, 3, 5, 9));
  ASSERT_EQ(tl.progress.size(), 2U);
  EXPECT_EQ(tl.progress[0].status, Status::Received);  // engine order: time, status, department
  EXPECT_EQ(tl.progress[1].handler, "Nguyễn Văn A");
}

TEST_F(StoreTest, TheSameSnapshotTwiceChangesNothing) {
  const auto s =
      snapshot("A-1", Status::InProcess, t1, std::nullopt, {entry(t1, Status::InProcess, "P")});
  apply({s});
  const auto before = reader->totals().value();
  const auto c = apply({s, s});
  EXPECT_EQ(c.unchanged, 2U);
  EXPECT_EQ(c.accepted, 0U);
  const auto after = reader->totals().value();
  EXPECT_EQ(after.snapshots, before.snapshots);
  EXPECT_EQ(after.progress, before.progress);
  EXPECT_EQ(after.dossiers, 1);
}

TEST_F(StoreTest, AnOlderSnapshotDoesNotOverwriteButItsNewProgressMerges) {
  apply({snapshot("A-1", Status::Finished, t3, std::nullopt, {entry(t3, Status::Finished, "P")})});
  const auto c = apply(
      {snapshot("A-1", Status::InProcess, t2, std::nullopt, {entry(t2, Status::InProcess, "P")})});
  EXPECT_EQ(c.stale, 1U);
  EXPECT_EQ(c.progress_added, 1U);
  EXPECT_EQ(c.accepted, 1U);  // it brought a new progress entry
  const auto tl = timeline("A-1");
  EXPECT_EQ(tl.dossier.status, Status::Finished);
  EXPECT_EQ(tl.progress.size(), 2U);
  // The old snapshot again: already recorded.
  const auto again = apply(
      {snapshot("A-1", Status::InProcess, t2, std::nullopt, {entry(t2, Status::InProcess, "P")})});
  EXPECT_EQ(again.unchanged, 1U);
  EXPECT_EQ(reader->totals().value().snapshots, 2);
}

TEST_F(StoreTest, EqualFreshnessLaterArrivalWins) {
  apply({snapshot("A-1", Status::InProcess, t2)});
  auto other = snapshot("A-1", Status::AwaitingSupplement, t2);
  const auto c = apply({other});
  EXPECT_EQ(c.updated, 1U);
  EXPECT_EQ(timeline("A-1").dossier.status, Status::AwaitingSupplement);
}

TEST_F(StoreTest, DueHistoryKeepsTheFirstAndLaterChangesFromFreshSnapshots) {
  const Moment due1 = make_moment(2026, 3, 5, 9);
  const Moment due2 = make_moment(2026, 3, 9, 17);
  apply({snapshot("A-1", Status::InProcess, t1)});        // no NgayHenTra yet
  apply({snapshot("A-1", Status::InProcess, t2, due1)});  // first value: the base due
  apply({snapshot("A-1", Status::InProcess, t3, due1)});  // same value: nothing
  apply({snapshot("A-1", Status::InProcess, make_moment(2026, 3, 1), due2)});  // stale: ignored
  auto tl = timeline("A-1");
  ASSERT_EQ(tl.due_history.size(), 1U);
  apply({snapshot("A-1", Status::InProcess, make_moment(2026, 3, 6), due2)});  // extension
  tl = timeline("A-1");
  ASSERT_EQ(tl.due_history.size(), 2U);
  EXPECT_EQ(tl.due_history[0], due1);
  EXPECT_EQ(tl.due_history[1], due2);
}

TEST_F(StoreTest, FirstDueMayComeFromAStaleSnapshot) {
  apply({snapshot("A-1", Status::Finished, t3)});
  apply({snapshot("A-1", Status::InProcess, t1, make_moment(2026, 3, 5, 9))});
  const auto tl = timeline("A-1");
  ASSERT_EQ(tl.due_history.size(), 1U);
  EXPECT_EQ(tl.due_history[0], make_moment(2026, 3, 5, 9));
  EXPECT_EQ(tl.dossier.status, Status::Finished);
}

// A re-sent dossier in progress takes the short paths (a fresher snapshot is never a re-send;
// an unchanged promise needs no due lookup): the outcomes stay those of the long ones.
TEST_F(StoreTest, ReSendsOfADossierInProgressKeepTheirOutcomes) {
  const Moment z = make_moment(2026, 3, 5, 9), p = make_moment(2026, 3, 9, 17);
  apply({snapshot("A-1", Status::Finished, t3)});                           // no promise in the row
  apply({snapshot("A-1", Status::InProcess, t1, z)});                       // stale: the base due
  apply({snapshot("A-1", Status::Finished, make_moment(2026, 3, 20), p)});  // fresher: a change
  apply({snapshot("A-1", Status::Finished, make_moment(2026, 3, 21), p)});  // same promise
  auto tl = timeline("A-1");
  ASSERT_EQ(tl.due_history.size(), 2U);
  EXPECT_EQ(tl.due_history[0], z);
  EXPECT_EQ(tl.due_history[1], p);
  const auto snapshots = reader->totals().value().snapshots;
  // Every one of them again: all known, nothing written.
  const auto c =
      apply({snapshot("A-1", Status::Finished, t3), snapshot("A-1", Status::InProcess, t1, z),
             snapshot("A-1", Status::Finished, make_moment(2026, 3, 20), p),
             snapshot("A-1", Status::Finished, make_moment(2026, 3, 21), p)});
  EXPECT_EQ(c.unchanged, 4U);
  EXPECT_EQ(reader->totals().value().snapshots, snapshots);
  EXPECT_EQ(timeline("A-1").due_history.size(), 2U);
}

TEST_F(StoreTest, ProgressMergesByKeyAndMayArriveBeforeItsDossier) {
  const auto c = apply({}, {ProgressUpdate{"A-1", entry(t1, Status::InProcess, "P", "X")},
                            ProgressUpdate{"A-1", entry(t1, Status::InProcess, "P", "Y")},
                            ProgressUpdate{"A-1", entry(t1, Status::InProcess, "Q")}});
  EXPECT_EQ(c.progress_added, 2U);
  EXPECT_EQ(c.progress_known, 1U);
  EXPECT_EQ(c.accepted, 2U);
  EXPECT_EQ(c.unchanged, 1U);
  apply({snapshot("A-1", Status::InProcess, t2)});
  const auto tl = timeline("A-1");
  ASSERT_EQ(tl.progress.size(), 2U);
  EXPECT_EQ(tl.progress[0].handler, "X");  // the first arrival of a key is kept
}

TEST_F(StoreTest, CursorIsCommittedWithItsBatch) {
  apply({snapshot("A-1", Status::InProcess, t1)}, {}, std::string("2026-03-02T10:00:00"));
  EXPECT_EQ(reader->cursor("test").value(), "2026-03-02T10:00:00");
  EXPECT_FALSE(reader->cursor("other").value());
}

TEST_F(StoreTest, AFailingBatchKeepsNothingOfItself) {
  // A trigger makes the third record fail inside the batch's transaction.
  ASSERT_EQ(test::sql_exec(dir.file("tthc.db"),
                           "CREATE TRIGGER boom BEFORE INSERT ON progress WHEN NEW.entries LIKE"
                           " '%BOOM%' BEGIN SELECT RAISE(ABORT, 'boom'); END"),
            "");
  const auto before = reader->totals().value();
  BatchInfo info{"test", 1, std::string("cursor-1"), 0};
  std::vector<DossierSnapshot> batch = {
      snapshot("A-1", Status::InProcess, t1), snapshot("A-2", Status::InProcess, t1),
      snapshot("A-3", Status::InProcess, t1, std::nullopt, {entry(t1, Status::InProcess, "BOOM")})};
  auto r = writer->apply(batch, {}, info);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("boom"), std::string::npos);
  EXPECT_NE(r.error().message.find("A-3"), std::string::npos);
  const auto after = reader->totals().value();
  EXPECT_EQ(after.dossiers, before.dossiers);
  EXPECT_EQ(after.batches, before.batches);
  EXPECT_FALSE(reader->cursor("test").value());
  // The writer is still usable.
  EXPECT_TRUE(writer->apply(std::vector{snapshot("A-1", Status::InProcess, t1)}, {}, info));
}

// Every row of the tables the intake writes, as text: two stores written the same way dump
// the same.
std::string dump(const fs::path& path) {
  std::string out;
  for (const char* sql :
       {"SELECT * FROM dossiers ORDER BY id", "SELECT * FROM snapshots ORDER BY id",
        "SELECT * FROM due_changes ORDER BY dossier_id, seq", "SELECT * FROM progress ORDER BY 1",
        "SELECT * FROM progress_orphans ORDER BY 1",
        "SELECT id, records, accepted, unchanged, rejected FROM batches ORDER BY id"}) {
    out += std::string(sql) + '\n';
    for (const auto& row : test::sql_rows(path, sql)) {
      for (const std::string& value : row) out += value + '|';
      out += '\n';
    }
  }
  return out;
}

TEST_F(StoreTest, ADossierReSentWithinOneTransactionEndsAsWrittenOneByOne) {
  // A sync log's life of a dossier: received, in process with a promise, a progress item on
  // its own, a stale copy with an entry of its own, the end; then a second dossier's
  // orphan entry and its arrival.
  const Moment due = make_moment(2026, 3, 9, 17), later_due = make_moment(2026, 3, 12, 17);
  std::vector<std::vector<DossierSnapshot>> snapshots = {
      {snapshot("A-1", Status::Received, t1, due, {entry(t1, Status::Received, "Một cửa")})},
      {snapshot("A-1", Status::InProcess, t2, due,
                {entry(t1, Status::Received, "Một cửa"), entry(t2, Status::InProcess, "P")})},
      {},
      {snapshot("A-1", Status::InProcess, make_moment(2026, 3, 2, 12), due,
                {entry(make_moment(2026, 3, 2, 12), Status::InProcess, "Q")})},
      {snapshot("A-1", Status::Finished, t3, later_due,
                {entry(t1, Status::Received, "Một cửa"), entry(t2, Status::InProcess, "P"),
                 entry(t3, Status::Finished, "P")})},
      {snapshot("B-1", Status::InProcess, t3)},
  };
  std::vector<std::vector<ProgressUpdate>> updates(snapshots.size());
  updates[2] = {ProgressUpdate{"A-1", entry(make_moment(2026, 3, 3, 15), Status::InProcess, "R")},
                ProgressUpdate{"B-1", entry(t2, Status::InProcess, "S")}};
  updates[5] = {ProgressUpdate{"A-1", entry(t3, Status::Returned, "Một cửa")}};

  // Here one transaction per batch; in a second store all of them in one transaction.
  for (std::size_t i = 0; i < snapshots.size(); ++i) apply(snapshots[i], updates[i]);
  Options o;
  o.path = dir.file("together.db");
  auto together = Writer::open(o);
  ASSERT_TRUE(together) << together.error().message;
  std::vector<Writer::BatchInput> inputs;
  for (std::size_t i = 0; i < snapshots.size(); ++i) {
    inputs.push_back({snapshots[i], updates[i], BatchInfo{"test", 1760000000, std::nullopt, 0}});
  }
  auto counts = together->apply_all(inputs);
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->at(3).stale, 1U);
  EXPECT_EQ(dump(dir.file("tthc.db")), dump(o.path));
  const auto tl = timeline("A-1");
  EXPECT_EQ(tl.dossier.status, Status::Finished);
  EXPECT_EQ(tl.due_history, (std::vector<Moment>{due, later_due}));
  EXPECT_EQ(tl.progress.size(), 6U);
}

TEST_F(StoreTest, AnotherWritersCommitsAreSeen) {
  apply({snapshot("A-1", Status::InProcess, t1, std::nullopt, {entry(t1, Status::Received, "M")})});
  {
    // Another connection (an import beside the daemon) stores a fresher copy.
    Options o;
    o.path = dir.file("tthc.db");
    auto other = Writer::open(o);
    ASSERT_TRUE(other) << other.error().message;
    const std::vector<DossierSnapshot> fresher = {
        snapshot("A-1", Status::Finished, t3, std::nullopt, {entry(t3, Status::Finished, "P")})};
    ASSERT_TRUE(other->apply(fresher, {}, BatchInfo{"import", 1, std::nullopt, 0}));
  }
  // Fresher than what this writer wrote, older than what the other did: stale.
  const auto c = apply(
      {snapshot("A-1", Status::InProcess, t2, std::nullopt, {entry(t2, Status::InProcess, "P")})});
  EXPECT_EQ(c.stale, 1U);
  const auto tl = timeline("A-1");
  EXPECT_EQ(tl.dossier.status, Status::Finished);
  EXPECT_EQ(tl.progress.size(), 3U);  // every entry of the three, none lost
}

TEST_F(StoreTest, WhatARolledBackTransactionMergedIsForgotten) {
  apply({snapshot("A-1", Status::InProcess, t1, std::nullopt, {entry(t1, Status::Received, "M")})});
  ASSERT_EQ(test::sql_exec(dir.file("tthc.db"),
                           "CREATE TRIGGER boom BEFORE UPDATE ON progress WHEN NEW.entries LIKE"
                           " '%BOOM%' BEGIN SELECT RAISE(ABORT, 'boom'); END"),
            "");
  // A-1's new entry waits for the end of the transaction, where the trigger refuses it.
  const std::vector<DossierSnapshot> refused = {
      snapshot("A-1", Status::InProcess, t2, std::nullopt, {entry(t2, Status::InProcess, "BOOM")})};
  auto r = writer->apply(refused, {}, BatchInfo{"test", 1, std::nullopt, 0});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("boom"), std::string::npos);
  EXPECT_NE(r.error().message.find("A-1"), std::string::npos);
  // The next copy brings another entry: what the refused one merged is not written with it.
  apply(
      {snapshot("A-1", Status::InProcess, t3, std::nullopt, {entry(t3, Status::InProcess, "P")})});
  const auto tl = timeline("A-1");
  ASSERT_EQ(tl.progress.size(), 2U);
  EXPECT_EQ(tl.progress[0].department, "M");
  EXPECT_EQ(tl.progress[1].department, "P");
  EXPECT_EQ(tl.dossier.status, Status::InProcess);
}

TEST_F(StoreTest, CatalogueAndUnknownProcedures) {
  auto known = snapshot("A-1", Status::InProcess, t1);
  auto unknown = snapshot("A-2", Status::InProcess, t1);
  unknown.dossier.procedure_code = "9.999999";
  unknown.dossier.procedure_name = "Thủ tục lạ";
  auto unknown2 = unknown;
  unknown2.dossier.code = "A-3";
  auto local = snapshot("A-4", Status::InProcess, t1);  // a province-local code of a known one
  local.dossier.procedure_code = "1.004227.000.00.00.H42";
  apply({known, unknown, unknown2, local});
  const std::vector<CatalogueRow> rows = {
      {"1.004227", "Cấp giấy phép", "AT", "An toàn", "15wd", "10wd", ""}};
  ASSERT_EQ(writer->replace_catalogue(rows).value(), 1U);
  const auto missing = reader->unknown_procedures().value();
  ASSERT_EQ(missing.size(), 1U);
  EXPECT_EQ(missing[0].code, "9.999999");
  EXPECT_EQ(missing[0].name, "Thủ tục lạ");
  EXPECT_EQ(missing[0].dossiers, 2);
  EXPECT_EQ(reader->catalogue().value().at(0).reduced_limit, "10wd");
}

ClaimedStats claimed(std::string unit, unsigned month, std::int64_t resolved,
                     std::string kind = "") {
  ClaimedStats c;
  c.year = 2026;
  c.month = month;
  c.unit = std::move(unit);
  c.kind = std::move(kind);
  c.unit_name = "Sở Khoa học và Công nghệ";
  c.figures.resolved = resolved;
  c.figures.resolved_on_time = resolved;
  c.figures.on_time_rate = 0.5;
  return c;
}

TEST_F(StoreTest, ClaimedStatsAreKeptPerUnitMonthAndKindTheLatestWins) {
  ClaimedStats first = claimed("H42", 3, 10);
  first.figures.pending = 4;
  const std::vector<ClaimedStats> batch = {first, claimed("H41", 3, 7), claimed("H42", 4, 1),
                                           claimed("H42", 3, 2, "2")};
  ASSERT_EQ(writer->put_claimed_stats(batch, "000.00.00.H42", 1760000000).value(), 4U);
  auto march = reader->claimed_stats(2026, 3).value();
  ASSERT_EQ(march.size(), 3U);  // by unit, then kind
  EXPECT_EQ(march[0].stats.unit, "H41");
  EXPECT_EQ(march[1].stats, first);
  EXPECT_EQ(march[1].sender, "000.00.00.H42");
  EXPECT_EQ(march[1].arrived_unix, 1760000000);
  EXPECT_EQ(march[2].stats.kind, "2");

  // A later record replaces the stored one whole (an absent figure is absent again).
  const std::vector<ClaimedStats> later = {claimed("H42", 3, 12)};
  ASSERT_EQ(writer->put_claimed_stats(later, "other", 1760000100).value(), 1U);
  // An older one arriving late does not.
  const std::vector<ClaimedStats> older = {claimed("H42", 3, 99)};
  ASSERT_EQ(writer->put_claimed_stats(older, "old", 1760000050).value(), 0U);
  march = reader->claimed_stats(2026, 3).value();
  ASSERT_EQ(march.size(), 3U);
  EXPECT_EQ(march[1].stats, later[0]);
  EXPECT_FALSE(march[1].stats.figures.pending);
  EXPECT_EQ(march[1].sender, "other");
  EXPECT_EQ(march[1].arrived_unix, 1760000100);

  // Within one call, the later record of a unit and month wins.
  const std::vector<ClaimedStats> twice = {claimed("H40", 5, 1), claimed("H40", 5, 2)};
  ASSERT_TRUE(writer->put_claimed_stats(twice, "", 1760000200));
  const auto may = reader->claimed_stats(2026, 5).value();
  ASSERT_EQ(may.size(), 1U);
  EXPECT_EQ(may[0].stats.figures.resolved, 2);
  EXPECT_TRUE(reader->claimed_stats(2026, 6).value().empty());
}

TEST(StoreMigrations, RecordedOnceAndNewerSchemasRefused) {
  TempDir dir;
  Options o;
  o.path = dir.file("m.db");
  { ASSERT_TRUE(Writer::open(o)); }
  { ASSERT_TRUE(Writer::open(o)); }  // reopening runs nothing twice
  EXPECT_EQ(schema_version_of(o.path).value(), latest_schema_version());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(o.path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_migrations VALUES(999, 'future', 'x')", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto w = Writer::open(o);
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message.find("schema version 999"), std::string::npos);
  auto r = Reader::open(o.path);  // nor read as if it were this program's
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("schema version 999"), std::string::npos);
  EXPECT_NE(r.error().message.find("run a newer tthc-monitor"), std::string::npos);
}

TEST_F(StoreTest, ProgressInterleavesWithStoredEntriesAndShowsInTheView) {
  apply({snapshot("A-1", Status::InProcess, t1, std::nullopt,
                  {entry(t1, Status::Received, "Một cửa"), entry(t3, Status::InProcess, "P")})});
  // A later snapshot repeats one entry and brings one between the stored two; a progress update
  // brings one more; a second dossier's entries stay its own.
  const auto c = apply(
      {snapshot("A-1", Status::InProcess, t3, std::nullopt,
                {entry(t2, Status::InProcess, "Q", "Lê \"B\"\n"),
                 entry(t3, Status::InProcess, "P", "other")}),
       snapshot("A-2", Status::InProcess, t1, std::nullopt, {entry(t1, Status::InProcess, "R")})},
      {ProgressUpdate{"A-1", entry(t3, Status::Finished, "P")}});
  EXPECT_EQ(c.progress_added, 3U);
  EXPECT_EQ(c.progress_known, 1U);
  const auto tl = timeline("A-1");
  ASSERT_EQ(tl.progress.size(), 4U);
  EXPECT_EQ(tl.progress[1].department, "Q");
  EXPECT_EQ(tl.progress[1].handler, "Lê \"B\"\n");
  EXPECT_EQ(tl.progress[2].handler, "Nguyễn Văn A");  // the first arrival of a key is kept
  EXPECT_EQ(tl.progress[3].status, Status::Finished);
  EXPECT_EQ(reader->totals().value().progress, 5);

  // The view shows each entry as a row, as SQL users expect.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("tthc.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT department, handler, status FROM progress_entries"
                               " WHERE dossier_code='A-1' ORDER BY at, status, department",
                               -1, &st, nullptr),
            SQLITE_OK);
  std::vector<std::string> rows;
  while (sqlite3_step(st) == SQLITE_ROW) {
    rows.push_back(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) + "|" +
                   reinterpret_cast<const char*>(sqlite3_column_text(st, 1)) + "|" +
                   std::to_string(sqlite3_column_int(st, 2)));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  EXPECT_EQ(rows, (std::vector<std::string>{
                      "Một cửa|Nguyễn Văn A|2", "Q|Lê \"B\"\n|4", "P|Nguyễn Văn A|4",
                      "P|Nguyễn Văn A|" + std::to_string(status_code(Status::Finished))}));
}

// A file written by the previous schema (one progress row per entry) is repacked on open:
// every entry, its texts and its batch survive, out-of-order rows come back in order, and
// entries of a dossier not received yet wait for it.
TEST(StoreMigrations, ProgressRowsArePackedByDossier) {
  TempDir dir;
  const fs::path path = dir.file("v2.db");
  const auto written = test::write_schema_2(path, R"sql(
INSERT INTO batches(id, arrived, source) VALUES(1, 100, 'import'), (2, 200, 'webhook');
INSERT INTO dossiers(code, unit_code, procedure_code, procedure_name, field_code, field_name,
  unit_name, channel, status, received, base_due, freshness, content_hash, first_batch,
  last_batch, settled)
  VALUES('U-1', 'U', '1.1', 'Thủ tục', 'F', 'Lĩnh vực', 'Sở', 1, 4, 1000, 5000, 3000, 11, 1, 2,
         1000);
INSERT INTO progress VALUES('U-1', 3000, 4, 'Phòng "B"', 'Lê\Văn', 'Chuyên viên', 'bước 2',
  NULL, 4000, 2);
INSERT INTO progress VALUES('U-1', 1000, 2, 'Một cửa', 'Trần', 'CV', 'bước 1', 1000, 2000, 1);
INSERT INTO progress VALUES('U-1', 2000, 4, char(10) || 'Phòng A', 'x', 'y', 'z', NULL, NULL, 1);
INSERT INTO progress VALUES('U-2', 1500, 2, 'Một cửa', 'Hồ', 'CV', 'sớm', NULL, NULL, 2);
)sql");
  ASSERT_FALSE(written) << *written;

  // A reader does not misread the old layout: it says what to do.
  auto early = Reader::open(path);
  ASSERT_FALSE(early);
  EXPECT_NE(early.error().message.find("schema version 2"), std::string::npos);
  EXPECT_NE(early.error().message.find("upgrades it"), std::string::npos);
  EXPECT_EQ(schema_version_of(path).value(), 2);

  Options o;
  o.path = path;
  auto w = Writer::open(o);
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ(schema_version_of(path).value(), latest_schema_version());
  auto r = Reader::open(path).value();
  EXPECT_EQ(r.totals().value().progress, 4);
  auto tl = r.timeline("U-1").value().value();
  ASSERT_EQ(tl.progress.size(), 3U);
  EXPECT_EQ(tl.progress[0].action, "bước 1");
  EXPECT_EQ(tl.progress[0].step_start, Moment{Duration{1000}});
  EXPECT_EQ(tl.progress[1].department, "\nPhòng A");
  EXPECT_EQ(tl.progress[2].department, "Phòng \"B\"");
  EXPECT_EQ(tl.progress[2].handler, "Lê\\Văn");
  EXPECT_FALSE(tl.progress[2].step_start);
  EXPECT_EQ(tl.progress[2].step_deadline, Moment{Duration{4000}});

  // The migrated dossier takes new entries in order; the orphan joins its dossier.
  ProgressEntry late;
  late.at = Moment{Duration{2500}};
  late.department = "C";
  DossierSnapshot u2;
  u2.dossier.code = "U-2";
  u2.dossier.status = Status::InProcess;
  u2.freshness = Moment{Duration{1600}};
  u2.content_hash = 99;
  auto c = w->apply(std::vector{u2}, std::vector{ProgressUpdate{"U-1", late}},
                    BatchInfo{"test", 300, std::nullopt, 0});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->progress_added, 1U);
  tl = r.timeline("U-1").value().value();
  ASSERT_EQ(tl.progress.size(), 4U);
  EXPECT_EQ(tl.progress[2].department, "C");
  const auto u2_read = r.timeline("U-2").value().value();
  ASSERT_EQ(u2_read.progress.size(), 1U);
  EXPECT_EQ(u2_read.progress[0].handler, "Hồ");
  EXPECT_EQ(r.totals().value().progress, 5);
}

// Damage (no more writes until restored) told apart from a failure that passes (a full disk).
TEST(StoreOpen, DamageIsToldApartFromFailure) {
  EXPECT_TRUE(is_damage(Error{"store: commit: database disk image is malformed (dossier A-1)"}));
  EXPECT_TRUE(is_damage(Error{"store: cannot open x.db: file is not a database"}));
  EXPECT_FALSE(is_damage(Error{"store: commit: database or disk is full"}));
  EXPECT_FALSE(is_damage(Error{"store: begin transaction: database is locked"}));
  // A file whose header is not SQLite's: what opening it for writing says is damage.
  TempDir dir;
  const auto path = dir.write("garbage.db", std::string(8192, 'x'));
  auto w = Writer::open(Options{path});
  ASSERT_FALSE(w);
  EXPECT_TRUE(is_damage(w.error())) << w.error().message;
}

TEST(StoreOpen, UnwritablePathIsAClearError) {
  Options o;
  o.path = "/nonexistent-dir/tthc.db";
  auto w = Writer::open(o);
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message.find("/nonexistent-dir/tthc.db"), std::string::npos);
  // The cause, not only SQLite's "unable to open database file".
  EXPECT_NE(w.error().message.find("its directory /nonexistent-dir does not exist"),
            std::string::npos)
      << w.error().message;
  // A directory where the file should be: the operating system's word for it.
  TempDir dir;
  o.path = dir.path();
  w = Writer::open(o);
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message.find("(Is a directory)"), std::string::npos) << w.error().message;
}

// A writer process acknowledges each committed batch on a pipe and is killed with SIGKILL at
// an arbitrary moment: every acknowledged batch must be there and the file must be consistent.
TEST(StoreCrash, KillNineLosesNoAcknowledgedBatch) {
  TempDir dir;
  const fs::path path = dir.file("crash.db");
  { ASSERT_TRUE(Writer::open(Options{path, false, 5000})); }
  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipefd[0]);
    auto w = Writer::open(Options{path, false, 5000});
    if (!w) _exit(3);
    for (int b = 0;; ++b) {
      std::vector<DossierSnapshot> batch;
      for (int i = 0; i < 50; ++i) {
        const std::string code = "K-" + std::to_string(b) + "-" + std::to_string(i);
        batch.push_back(snapshot(code, Status::InProcess, make_moment(2026, 3, 2, 10), std::nullopt,
                                 {entry(make_moment(2026, 3, 2, 10), Status::InProcess, "P")}));
      }
      if (!w->apply(batch, {}, BatchInfo{"crash", 1, std::to_string(b), 0})) _exit(4);
      if (write(pipefd[1], &b, sizeof b) != sizeof b) _exit(5);
    }
  }
  close(pipefd[1]);
  int acked = -1;
  for (int n = 0; n < 40; ++n) {  // let it commit a few dozen batches, then kill it mid-stream
    int b = 0;
    ASSERT_EQ(read(pipefd[0], &b, sizeof b), static_cast<ssize_t>(sizeof b));
    acked = b;
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  close(pipefd[0]);
  ASSERT_TRUE(WIFSIGNALED(status));

  EXPECT_EQ(test::integrity_check(path), "ok");

  auto reader = Reader::open(path).value();
  const auto totals = reader.totals().value();
  EXPECT_GE(totals.dossiers, static_cast<std::int64_t>(acked + 1) * 50);
  EXPECT_EQ(totals.dossiers % 50, 0);  // whole batches only
  EXPECT_EQ(totals.progress, totals.dossiers);
  const int cursor = std::stoi(reader.cursor("crash").value().value());
  EXPECT_GE(cursor, acked);
  EXPECT_EQ(totals.dossiers, static_cast<std::int64_t>(cursor + 1) * 50);
  // The last acknowledged batch's dossiers are readable.
  EXPECT_TRUE(reader.timeline("K-" + std::to_string(acked) + "-49").value());
}

}  // namespace
}  // namespace tthc::store
