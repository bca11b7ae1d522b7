// The real executable: `import` of JSON Lines files and the `run` daemon's webhook, stopped
// with SIGTERM.
#include "http/client.hpp"
#include "store/store.hpp"
#include "support/process.hpp"
#include "support/sql.hpp"
#include "support/store_v2.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

namespace tthc {
namespace {

using test::Outcome;

using test::monitor::run;

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// The shipped configuration, with the monthly snapshots kept inside the test's folder.
std::filesystem::path daemon_config(test::TempDir& dir) {
  const std::string src = TTHC_SOURCE_DIR;
  return dir.write("monitor.toml", "[calendar]\nholidays_dir = \"" + src + "/config/holidays\"\n" +
                                       "[catalogue]\nfile = \"" + src +
                                       "/config/procedures.csv\"\n" +
                                       "[reports]\ndir = \"reports\"\n");
}

// The daemon on that configuration and `db`, on a free port (it prints its address once it
// listens).
test::Daemon start_daemon(test::TempDir& dir, const std::string& db) {
  return test::Daemon(TTHC_EXECUTABLE,
                      {"run", "--config", daemon_config(dir).string(), "--db", db, "--port", "0"},
                      TTHC_SOURCE_DIR);
}

const std::string kGood =
    R"({"MaHoSo":"000.00.12.H42-260302-0001","MaTTHC":"1.004227","TrangThaiHoSo":4,"NgayTiepNhan":"20260302090000","QuaTrinhXuLy":[{"ThoiDiemXuLy":"20260302100000","TrangThai":4,"PhongBanXuLy":"Phòng A"}]})";

TEST(ImportCommand, ImportsReportsRejectionsByLineAndIsIdempotent) {
  test::TempDir dir;
  const auto file = dir.file("in.jsonl");
  write_file(
      file,
      kGood + "\n\n" +
          R"({"MaHoSo":"000.00.12.H42-260302-0002","MaTTHC":"1.004227","TrangThaiHoSo":4,"NgayTiepNhan":"2025-13-40"})" +
          "\n{broken\n" +
          R"({"service":"CapNhatTienDoHoSoMC","data":[{"MaHoSo":"000.00.12.H42-260302-0001","ThoiDiemXuLy":"20260303100000","TrangThai":9}]})" +
          "\n");
  const std::string db = dir.file("t.db").string();
  Outcome r = run({"import", file.string(), "--db", db});
  EXPECT_EQ(r.status, 3) << r.err;  // completed, with rejected records
  EXPECT_NE(
      r.err.find("in.jsonl:3: 000.00.12.H42-260302-0002: NgayTiepNhan: not a date: \"2025-13-40\""),
      std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("in.jsonl:4: malformed JSON"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("new dossiers       1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rejected           2"), std::string::npos) << r.out;
  auto reader = store::Reader::open(db).value();
  auto tl = reader.timeline("000.00.12.H42-260302-0001").value();
  ASSERT_TRUE(tl);
  EXPECT_EQ(tl->progress.size(), 2U);
  const auto before = reader.totals().value();

  r = run({"import", file.string(), "--db", db});
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.out.find("unchanged          2"), std::string::npos) << r.out;
  const auto after = reader.totals().value();
  EXPECT_EQ(after.dossiers, before.dossiers);
  EXPECT_EQ(after.snapshots, before.snapshots);
  EXPECT_EQ(after.progress, before.progress);
}

TEST(ImportCommand, AWholeFileEnvelopeAndACleanRunExitZero) {
  test::TempDir dir;
  const auto file = dir.file("envelope.json");
  write_file(file,
             "{\n  \"service\": \"DongBoHoSoMC\",\n  \"data\": [\n    " + kGood + "\n  ]\n}\n");
  Outcome r = run({"import", file.string(), "--db", dir.file("t.db").string()});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("new dossiers       1"), std::string::npos) << r.out;
}

// A sync log may hold the monthly statistics a system claims: the import keeps them as the
// webhook does, and names a bad one by its line.
TEST(ImportCommand, KeepsClaimedStatisticsLines) {
  test::TempDir dir;
  const auto file = dir.file("stats.jsonl");
  write_file(file, kGood + "\n" +
                       R"({"session":"s","madonvi":"000.00.12.H42","service":"DongBoThongKeHoSo",)"
                       R"("data":[{"Thang":"3","Nam":"2026","Madonvi":"000.00.12.H42",)"
                       R"("SoNhanTrongKy":"7","TongDaXuLy":"5","TongXuLyDungHan":"5"}]})" +
                       "\n" +
                       R"({"service":"DongBoThongKeHoSo","data":[{"Thang":"13","Nam":"2026",)" +
                       R"("Madonvi":"000.00.12.H42"}]})" + "\n");
  const std::string db = dir.file("t.db").string();
  Outcome r = run({"import", file.string(), "--db", db});
  EXPECT_EQ(r.status, 3) << r.err;  // completed, with a rejected record
  EXPECT_NE(r.out.find("claimed statistics 1"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("stats.jsonl:3: data[0]: Thang: out of range: \"13\""), std::string::npos)
      << r.err;
  auto reader = store::Reader::open(db).value();
  const auto claimed = reader.claimed_stats(2026, 3).value();
  ASSERT_EQ(claimed.size(), 1U);
  EXPECT_EQ(claimed[0].stats.figures.received, 7);
}

// A regular file is mapped, standard input and pipes are streamed: the same lines (CRLF ends,
// blank lines, no final newline) give the same store either way.
TEST(ImportCommand, FilesPipesAndStandardInputReadAlike) {
  test::TempDir dir;
  std::string text;
  for (int i = 1; i <= 300; ++i) {
    std::string line = kGood;
    const std::string code = "000.00.12.H42-260302-" + std::to_string(1000 + i);
    line.replace(line.find("000.00.12.H42-260302-0001"), code.size(), code);
    text += line + (i % 3 == 0 ? "\r\n" : "\n") + (i % 50 == 0 ? "  \n" : "");
  }
  // Line 307 (after six blank ones): rejected, and no newline at the end.
  text += R"({"MaHoSo":"X-1","MaTTHC":"1.004227","TrangThaiHoSo":99})";
  const auto file = dir.file("in.jsonl");
  write_file(file, text);
  const std::string shell = "/bin/sh";
  const std::vector<std::pair<std::string, std::string>> ways = {
      {"file", "exec \"$0\" import " + file.string() + " --db " + dir.file("a.db").string()},
      {"stdin", "exec \"$0\" import - --db " + dir.file("b.db").string() + " < " + file.string()},
      {"pipe",
       "cat " + file.string() + " | \"$0\" import /dev/stdin --db " + dir.file("c.db").string()}};
  for (const auto& [way, command] : ways) {
    Outcome r = test::run_process(shell, {"-c", command, TTHC_EXECUTABLE}, TTHC_SOURCE_DIR);
    EXPECT_EQ(r.status, 3) << way << ": " << r.err;
    EXPECT_NE(r.out.find("new dossiers       300"), std::string::npos) << way << ": " << r.out;
    EXPECT_NE(r.err.find(":307: X-1: TrangThaiHoSo: not a status code"), std::string::npos)
        << way << ": " << r.err;
  }
  for (const char* db : {"a.db", "b.db", "c.db"}) {
    auto reader = store::Reader::open(dir.file(db)).value();
    EXPECT_EQ(reader.totals().value().dossiers, 300) << db;
    EXPECT_EQ(reader.totals().value().progress, 300) << db;
  }
  // An empty file is an empty import.
  write_file(dir.file("empty.jsonl"), "");
  Outcome r = run({"import", dir.file("empty.jsonl").string(), "--db", dir.file("d.db").string()});
  EXPECT_EQ(r.status, 0) << r.err;
}

// Lines and envelopes larger than the reading block (1 MiB) are read whole.
TEST(ImportCommand, LinesAndEnvelopesLargerThanTheReadingBlock) {
  test::TempDir dir;
  const std::string huge(3 << 20, 'x');
  const auto lines = dir.file("long.jsonl");
  write_file(lines, kGood + "\n" +
                        R"({"MaHoSo":"Y-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"TenTTHC":")" +
                        huge + "\"}\n" +
                        R"({"MaHoSo":"Y-2","MaTTHC":"1.004227","TrangThaiHoSo":4})" + "\n");
  Outcome r = run({"import", lines.string(), "--db", dir.file("a.db").string()});
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("long.jsonl:2: Y-1: TenTTHC: too long: 3145728 bytes"), std::string::npos)
      << r.err.substr(0, 300);
  EXPECT_NE(r.out.find("new dossiers       2"), std::string::npos) << r.out;

  std::string data;
  for (int i = 0; i < 700; ++i) {
    std::string record = kGood;
    const std::string code = "000.00.12.H42-260302-" + std::to_string(5000 + i);
    record.replace(record.find("000.00.12.H42-260302-0001"), code.size(), code);
    data += (i > 0 ? ",\n    " : "") + record;
  }
  data.replace(data.find("Phòng A"), 7, "Phòng A " + std::string(1500, 'y'));
  const auto envelope = dir.file("envelope.json");
  write_file(envelope, "{\n  \"service\": \"DongBoHoSoMC\",\n  \"data\": [\n    " + data +
                           std::string(1 << 20, ' ') + "\n  ]\n}\n");
  r = run({"import", envelope.string(), "--db", dir.file("b.db").string()});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("new dossiers       700"), std::string::npos) << r.out;
}

// The reading commands upgrade a store an older version wrote, as `run` and `import` do,
// instead of failing on its old layout.
TEST(ExplainCommand, UpgradesAnOlderStoreFirst) {
  test::TempDir dir;
  const auto db = dir.file("v2.db");
  const auto written = test::write_schema_2(db, R"sql(
INSERT INTO batches(id, arrived, source) VALUES(1, 100, 'import');
INSERT INTO dossiers(code, unit_code, procedure_code, procedure_name, field_code, field_name,
  unit_name, channel, status, received, promised_due, base_due, freshness, content_hash,
  first_batch, last_batch, settled)
  VALUES('000.00.12.H42-260302-0001', '000.00.12.H42', '9.9', 'Thủ tục', 'F', 'Lĩnh vực', 'Sở',
         1, 4, 1772442000, 1772787600, 1772787600, 1772445600, 11, 1, 1, 1772442000);
INSERT INTO progress VALUES('000.00.12.H42-260302-0001', 1772445600, 4, 'Phòng Quản lý', 'A',
  'CV', 'Thẩm định', NULL, NULL, 1);
)sql");
  ASSERT_FALSE(written) << *written;
  Outcome r = run({"explain", "000.00.12.H42-260302-0001", "--db", db.string(), "--json"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("Phòng Quản lý"), std::string::npos) << r.out;
  EXPECT_EQ(store::schema_version_of(db).value(), store::latest_schema_version());
}

TEST(ImportCommand, MissingFileIsAFailure) {
  test::TempDir dir;
  Outcome r = run({"import", dir.file("nope.jsonl").string(), "--db", dir.file("t.db").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("nope.jsonl: cannot read"), std::string::npos) << r.err;
}

TEST(RunCommand, ServesTheWebhookAndStopsOnSigterm) {
  test::TempDir dir;
  const std::string db = dir.file("d.db").string();
  test::Daemon daemon = start_daemon(dir, db);
  const auto port = daemon.port();
  ASSERT_GT(port, 0) << daemon.first_line();

  http::ClientRequest req{"POST",
                          "/api/v1/mc",
                          R"({"service":"DongBoHoSoMC","data":[)" + kGood + "]}",
                          "application/json",
                          {}};
  auto r = http::request("127.0.0.1", port, req);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200) << r->body;
  auto health =
      http::request("127.0.0.1", port, http::ClientRequest{"GET", "/healthz", "", "", {}});
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);

  EXPECT_EQ(daemon.stop(), 0);
  auto reader = store::Reader::open(db).value();
  EXPECT_EQ(reader.totals().value().dossiers, 1);
}

// A page of the store damaged on disk: check-store says so and what to do; the daemon starts,
// says it is not ready, and acknowledges nothing into the damaged file.
TEST(RunCommand, ADamagedStoreIsFoundAtStartAndTakesNoWrites) {
  test::TempDir dir;
  const std::string db = dir.file("d.db").string();
  std::string lines;
  for (int i = 0; i < 2000; ++i) {
    char code[64];
    std::snprintf(code, sizeof code, "000.00.12.H42-260302-%04d", i);
    std::string line = kGood;
    line.replace(line.find("000.00.12.H42-260302-0001"), 25, code);
    lines += line + "\n";
  }
  write_file(dir.file("in.jsonl"), lines);
  ASSERT_EQ(run({"import", dir.file("in.jsonl").string(), "--db", db}).status, 0);
  Outcome ok = run({"check-store", "--db", db});
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_NE(ok.out.find(": ok (quick_check"), std::string::npos) << ok.out;

  // One page in the middle of the dossiers' pages, overwritten.
  {
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(std::filesystem::file_size(db) / 4096 / 2 * 4096));
    const std::string garbage(4096, '\xA5');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  Outcome bad = run({"check-store", "--db", db, "--full"});
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find("DAMAGED (integrity_check)"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("Restore the last backup"), std::string::npos) << bad.err;

  test::Daemon daemon = start_daemon(dir, db);
  const auto port = daemon.port();
  ASSERT_GT(port, 0) << daemon.first_line();
  // The check runs beside the start-up load: the probes answer meanwhile.
  Result<http::Response> ready = Error{"not asked"};
  EXPECT_TRUE(test::await(
      [&] {
        ready = http::request("127.0.0.1", port, http::ClientRequest{"GET", "/readyz", "", "", {}});
        return ready && ready->body.find("store_damaged") != std::string::npos;
      },
      std::chrono::seconds(20)));
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 503);
  EXPECT_EQ(ready->body.find(db), std::string::npos) << ready->body;  // no path in answers
  std::string fresh = kGood;
  fresh.replace(fresh.find("000.00.12.H42-260302-0001"), 25, "000.00.12.H42-260303-0001");
  auto r = http::request("127.0.0.1", port,
                         http::ClientRequest{"POST",
                                             "/api/v1/mc",
                                             R"({"service":"DongBoHoSoMC","data":[)" + fresh + "]}",
                                             "application/json",
                                             {}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500) << r->body;
  EXPECT_NE(r->body.find(R"("error_code":"5")"), std::string::npos) << r->body;
  auto metrics =
      http::request("127.0.0.1", port, http::ClientRequest{"GET", "/metrics", "", "", {}});
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("tthc_store_damaged 1"), std::string::npos);
  EXPECT_EQ(daemon.stop(), 0);
  EXPECT_EQ(test::row_count(db, "dossiers WHERE code LIKE '%260303%'"), 0);
}

TEST(RunCommand, PollsTheOneStopSystemWhenConfigured) {
  test::TempDir dir;
  std::atomic<int> calls{0};
  std::mutex m;
  std::condition_variable cv;
  http::Router router;
  router.add("GET", "/api/dossiers", [&](const http::Request& req) {
    http::Response r;
    r.body = req.query_param("since")
                 ? R"({"data":[],"next":"1","has_more":false})"
                 : R"({"data":[)" + kGood + R"(],"next":"1","has_more":false})";
    {
      std::lock_guard lock(m);
      ++calls;
    }
    cv.notify_all();
    return r;
  });
  http::Server upstream(http::ServerOptions{}, std::move(router));
  const auto upstream_port = upstream.start().value();
  const std::string src = TTHC_SOURCE_DIR;
  const auto config = dir.write(
      "monitor.toml",
      "[calendar]\nholidays_dir = \"" + src + "/config/holidays\"\n" + "[catalogue]\nfile = \"" +
          src + "/config/procedures.csv\"\n" +
          "[store]\npath = \"d.db\"\n[http]\nlisten = \"127.0.0.1:0\"\n" +
          "[reports]\ndir = \"reports\"\n[poller]\nenabled = true\nurl = \"http://127.0.0.1:" +
          std::to_string(upstream_port) + "/api/dossiers\"\ninterval = \"100ms\"\n");
  test::Daemon daemon(TTHC_EXECUTABLE, {"run", "--config", config.string()}, TTHC_SOURCE_DIR);
  ASSERT_GT(daemon.port(), 0) << daemon.first_line();
  {
    // The first cycle fetches the record; the second finds the cursor committed with it.
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return calls.load() >= 2; });
  }
  EXPECT_EQ(daemon.stop(), 0);
  upstream.stop();
  auto reader = store::Reader::open(dir.file("d.db")).value();
  EXPECT_EQ(reader.totals().value().dossiers, 1);
  EXPECT_EQ(reader.cursor("poll:onestop").value(), "1");
}

}  // namespace
}  // namespace tthc
