// Online copies of a SQLite file while another connection keeps writing to it, and the
// integrity check a copy passes: on real files.
#include "store/backup.hpp"

#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <fstream>
#include <string>
#include <thread>

namespace tthc::store {
namespace {

namespace fs = std::filesystem;

// A connection for the test's own SQL; closed at the end of the scope.
struct Conn {
  explicit Conn(const fs::path& p) { sqlite3_open(p.c_str(), &db); }
  ~Conn() { sqlite3_close(db); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  void exec(const std::string& sql) const {
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db) << " in " << sql;
  }
  std::string text(const std::string& sql) const {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW) {
      const auto* t = sqlite3_column_text(s, 0);
      if (t != nullptr) out = reinterpret_cast<const char*>(t);
    }
    sqlite3_finalize(s);
    return out;
  }
  sqlite3* db = nullptr;
};

// A WAL file written by another connection all along: the copy is the file as of its start (a
// gap-free prefix of the rows, at least those committed before it), whole, and in one file.
TEST(CopyDatabase, IsConsistentWhileAnotherConnectionWrites) {
  test::TempDir dir;
  const fs::path source = dir.file("source.db");
  {
    Conn c(source);
    c.exec("PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, pad TEXT)");
  }
  std::atomic<long> committed{0};
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    Conn c(source);
    c.exec("PRAGMA busy_timeout=5000");
    long next = 0;
    while (!stop) {
      std::string sql = "BEGIN;";
      for (int i = 0; i < 200; ++i, ++next) {
        sql += "INSERT INTO t VALUES(" + std::to_string(next) + ", hex(randomblob(100)));";
      }
      c.exec(sql + "COMMIT;");
      committed = next;
    }
  });
  while (committed < 40'000) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const long before = committed;
  CopyOptions small_steps;
  small_steps.pages_per_step = 64;
  auto copied = copy_database(source, dir.file("copy.db"), small_steps);
  const long after = committed;
  stop = true;
  writer.join();
  ASSERT_TRUE(copied) << copied.error().message;
  EXPECT_GT(copied->steps, 10);
  EXPECT_GT(after, before) << "the writer went on during the copy";
  EXPECT_FALSE(fs::exists(dir.file("copy.db-wal")));
  Conn copy(dir.file("copy.db"));
  EXPECT_EQ(copy.text("PRAGMA journal_mode"), "delete");
  const long rows = std::stol(copy.text("SELECT count(*) FROM t"));
  EXPECT_GE(rows, before);
  EXPECT_EQ(std::stol(copy.text("SELECT max(id) + 1 FROM t")), rows);
  EXPECT_EQ(copy.text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(static_cast<std::int64_t>(copied->bytes),
            copied->pages * std::stol(copy.text("PRAGMA page_size")));
}

TEST(CopyDatabase, ErrorsNameTheFileAndTheCause) {
  test::TempDir dir;
  auto missing = copy_database(dir.file("none.db"), dir.file("copy.db"), {});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("none.db: no such file"), std::string::npos)
      << missing.error().message;

  {
    Conn c(dir.file("source.db"));
    c.exec("CREATE TABLE t(x)");
  }
  dir.write("plain", "a file, not a folder");
  auto unwritable = copy_database(dir.file("source.db"), dir.file("plain") / "copy.db", {});
  ASSERT_FALSE(unwritable);
  EXPECT_NE(unwritable.error().message.find("plain/copy.db"), std::string::npos)
      << unwritable.error().message;
}

TEST(CheckIntegrity, NamesADamagedFile) {
  test::TempDir dir;
  {
    Conn c(dir.file("good.db"));
    c.exec("CREATE TABLE t(x); INSERT INTO t VALUES(1)");
  }
  EXPECT_FALSE(check_integrity(dir.file("good.db")));
  dir.write("bad.db", std::string(8192, 'x'));
  auto bad = check_integrity(dir.file("bad.db"));
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->message.find("bad.db"), std::string::npos) << bad->message;
  auto none = check_integrity(dir.file("none.db"));
  ASSERT_TRUE(none);
  EXPECT_NE(none->message.find("none.db: no such file"), std::string::npos) << none->message;
  EXPECT_FALSE(fs::exists(dir.file("none.db")));
}

}  // namespace
}  // namespace tthc::store
