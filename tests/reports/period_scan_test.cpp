// The store's restricted scan for a report period (Reader::scan_period) and the bound it rests
// on (dossiers.settled, migration 2): kept by every path that can bring an end-time candidate —
// a dossier's fields, progress entries inside it, progress entries sent apart (before or after
// their dossier), an older snapshot's entries — and computed for a file made by schema 1.
#include "store/schema.hpp"
#include "store/store.hpp"

#include "support/moments.hpp"
#include "support/temp_dir.hpp"
#include "support/timelines.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>

namespace tthc::store {
namespace {

using test::at;

DossierSnapshot snapshot(std::string code, Status status, Moment received, Moment freshness) {
  DossierSnapshot s;
  s.dossier.code = std::move(code);
  s.dossier.procedure_code = "1.000001";
  s.dossier.status = status;
  s.dossier.received = received;
  s.freshness = freshness;
  s.content_hash = static_cast<std::uint64_t>(freshness.time_since_epoch().count()) ^
                   std::hash<std::string>{}(s.dossier.code) ^ static_cast<unsigned>(status);
  return s;
}

ProgressEntry entry(Moment when, Status status) {
  return test::progress_entry(when, status, "Phòng A");
}

std::set<std::string> visited(Reader& r, Moment start, Moment end, bool by_return = false) {
  std::set<std::string> codes;
  EXPECT_TRUE(r.scan_period({start, end, by_return}, {}, [&](StoredTimeline& st) {
    codes.insert(st.timeline.dossier.code);
    return true;
  }));
  return codes;
}

TEST(PeriodScan, LeavesOutOnlyWhatEndedBeforeThePeriod) {
  test::TempDir dir;
  auto w = Writer::open({dir.file("s.db"), false, 5000}).value();
  const BatchInfo info{"test", 1, {}, 0};
  std::vector<DossierSnapshot> ds;
  // Ended in February by its NgayKetThucXuLy: left out of March.
  auto feb = snapshot("A-1", Status::Finished, at(2026, 2, 2, 9), at(2026, 2, 5, 9));
  feb.dossier.processing_end = at(2026, 2, 5, 9);
  ds.push_back(feb);
  // Pending since January: in every later period.
  ds.push_back(snapshot("A-2", Status::InProcess, at(2026, 1, 5, 9), at(2026, 1, 5, 9)));
  // Finished (status 9) with its end only in a progress entry inside the record, in March.
  auto inside = snapshot("A-3", Status::Finished, at(2026, 2, 2, 9), at(2026, 3, 3, 9));
  inside.progress.push_back(entry(at(2026, 3, 3, 9), Status::Finished));
  ds.push_back(inside);
  // Status 9 whose end entry comes apart, after it, or came before it.
  ds.push_back(snapshot("A-4", Status::Finished, at(2026, 2, 2, 9), at(2026, 2, 2, 9)));
  // Refused, and received in April: never.
  ds.push_back(snapshot("A-6", Status::Refused, at(2026, 3, 2, 9), at(2026, 3, 2, 9)));
  ds.push_back(snapshot("A-7", Status::InProcess, at(2026, 4, 1), at(2026, 4, 1)));
  // Returned (10) in February with NgayTra; status 9 since February.
  auto returned = snapshot("A-8", Status::Returned, at(2026, 2, 2, 9), at(2026, 2, 6, 9));
  returned.dossier.processing_end = at(2026, 2, 5, 9);
  returned.dossier.returned = at(2026, 2, 6, 9);
  ds.push_back(returned);
  auto nine = snapshot("A-9", Status::Finished, at(2026, 2, 2, 9), at(2026, 2, 5, 9));
  nine.dossier.processing_end = at(2026, 2, 5, 9);
  ds.push_back(nine);
  std::vector<ProgressUpdate> apart = {{"A-5", entry(at(2026, 3, 4, 9), Status::Finished)}};
  ASSERT_TRUE(w.apply({}, apart, info));  // A-5's entry before its dossier
  ASSERT_TRUE(w.apply(ds, {}, info));
  const std::vector<DossierSnapshot> a5 = {
      snapshot("A-5", Status::Finished, at(2026, 2, 2, 9), at(2026, 2, 2, 10))};
  const std::vector<ProgressUpdate> a4 = {{"A-4", entry(at(2026, 3, 5, 9), Status::Finished)}};
  ASSERT_TRUE(w.apply(a5, a4, info));
  // An older snapshot of A-1 whose fields are not kept, but whose stop entry in March merges.
  auto stale = snapshot("A-1", Status::Stopped, at(2026, 2, 2, 9), at(2026, 2, 3, 9));
  stale.progress.push_back(entry(at(2026, 3, 9, 9), Status::Stopped));
  const std::vector<DossierSnapshot> stale_one = {stale};
  ASSERT_EQ(w.apply(stale_one, {}, info).value().stale, 1U);

  auto r = Reader::open(dir.file("s.db")).value();
  EXPECT_EQ(visited(r, at(2026, 3, 1), at(2026, 4, 1)),
            (std::set<std::string>{"A-1", "A-2", "A-3", "A-4", "A-5"}));
  EXPECT_EQ(visited(r, at(2026, 4, 1), at(2026, 5, 1)), (std::set<std::string>{"A-2", "A-7"}));
  // judge_by = return: status 9 has not ended.
  EXPECT_EQ(visited(r, at(2026, 4, 1), at(2026, 5, 1), true),
            (std::set<std::string>{"A-1", "A-2", "A-3", "A-4", "A-5", "A-7", "A-9"}));
  EXPECT_EQ(r.first_received().value(), at(2026, 1, 5, 9));
}

TEST(PeriodScan, MigrationTwoComputesTheBoundOfAnOlderFile) {
  test::TempDir dir;
  const std::string path = dir.file("v1.db").string();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const std::string sql =
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
        " applied_at TEXT NOT NULL);" +
        std::string(kMigrations[0].sql) +
        "INSERT INTO schema_migrations VALUES (1, 'v1', '2026-01-01T00:00:00Z');"
        "INSERT INTO batches(id, arrived, source) VALUES (1, 0, 'old');"
        "INSERT INTO dossiers(code, unit_code, procedure_code, procedure_name, field_code,"
        " field_name, unit_name, channel, status, received, freshness, content_hash,"
        " first_batch, last_batch) VALUES"
        " ('A-1', 'A', 'p', '', '', '', '', 1, 9, 100, 100, 1, 1, 1),"
        " ('A-2', 'A', 'p', '', '', '', '', 1, 4, 100, 100, 2, 1, 1);"
        "UPDATE dossiers SET processing_end = 500 WHERE code = 'A-1';"
        "INSERT INTO progress(dossier_code, at, status, department, handler, handler_title,"
        " action, batch_id) VALUES ('A-1', 900, 10, '', '', '', '', 1),"
        " ('A-2', 950, 4, '', '', '', '', 1);";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  ASSERT_TRUE(Writer::open({path, false, 5000}));  // migrates
  EXPECT_EQ(schema_version_of(path).value(), latest_schema_version());
  auto r = Reader::open(path).value();
  const auto moment = [](std::int64_t s) { return Moment{Duration{s}}; };
  // A-1 may have ended as late as 900 (its status-10 entry).
  EXPECT_EQ(visited(r, moment(900), moment(2000)), (std::set<std::string>{"A-1", "A-2"}));
  EXPECT_EQ(visited(r, moment(901), moment(2000)), (std::set<std::string>{"A-2"}));
}

}  // namespace
}  // namespace tthc::store
