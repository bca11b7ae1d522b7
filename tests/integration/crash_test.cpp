// kill -9 as part of the suite, on the real executable. The daemon, killed again and again at
// random moments while senders post MC batches to its webhook, keeps every record it
// acknowledged and leaves a sound file; `import`, killed again and again and then run to the
// end, leaves the very store a clean import of the same file gives. The moments come from a
// seed printed by each test (TTHC_CRASH_SEED=N repeats a run).
#include "http/client.hpp"
#include "support/process.hpp"
#include "support/sql.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace tthc {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// The random moments of a run, from TTHC_CRASH_SEED or a fresh seed, printed to repeat it.
std::mt19937_64 seeded_moments() {
  const char* given = std::getenv("TTHC_CRASH_SEED");
  const std::uint64_t seed = given != nullptr ? std::stoull(given) : std::random_device{}();
  std::printf("crash seed %llu (TTHC_CRASH_SEED to repeat)\n",
              static_cast<unsigned long long>(seed));
  return std::mt19937_64(seed);
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::chrono::milliseconds pick_ms(std::mt19937_64& rng, double from_s, double to_s) {
  return std::chrono::milliseconds(
      static_cast<long>(1000 * std::uniform_real_distribution<double>(from_s, to_s)(rng)));
}

// --- the webhook ----------------------------------------------------------------------------

// A dossier as its system re-sends it while it progresses: version k holds k progress entries
// (one a day from 3/3/2026) and the status of the last one; the last version has ended.
constexpr int kVersions = 5;
constexpr std::array<int, kVersions> kStatuses = {2, 4, 4, 4, 9};
int status_of(int version) {
  return kStatuses[static_cast<std::size_t>(version - 1)];
}

std::string record(const std::string& code, int version) {
  std::string r = R"({"MaHoSo":")" + code +
                  R"(","MaTTHC":"1.004227","MaLinhVuc":"KHCN","KenhThucHien":1,"TrangThaiHoSo":)" +
                  std::to_string(status_of(version)) +
                  R"(,"NgayTiepNhan":"20260302090000","NgayHenTra":"20260316090000")";
  if (version == kVersions) r += R"(,"NgayKetThucXuLy":"20260310090000")";
  r += R"(,"QuaTrinhXuLy":[)";
  for (int i = 1; i <= version; ++i) {
    if (i > 1) r += ',';
    r += R"({"ThoiDiemXuLy":"2026030)" + std::to_string(2 + i) + R"(100000","TrangThai":)" +
         std::to_string(status_of(i)) + R"(,"PhongBanXuLy":"Phòng A"})";
  }
  return r + "]}";
}

// One sender and its own dossiers. Each request carries up to five of its open dossiers re-sent
// one version on and five new ones. A request the daemon answers 200 with error_code "0" was
// taken: each of its records is acknowledged at the version it carried. Any other outcome (a
// refused connection while the daemon is down, a reset when it is killed mid-request) is not;
// the sender moves on as a real one would, its dossiers progressing regardless.
class Sender {
 public:
  Sender(int id, const std::atomic<std::uint16_t>& port) : id_(id), port_(port) {}

  void run(const std::atomic<bool>& stop) {
    while (!stop) {
      std::vector<std::pair<std::size_t, int>> sent;  // dossier, version
      for (int i = 0; i < 5 && !open_.empty(); ++i) {
        const std::size_t d = open_.front();
        open_.pop_front();
        if (++version_[d] < kVersions) open_.push_back(d);
        sent.emplace_back(d, version_[d]);
      }
      for (int i = 0; i < 5; ++i) {
        version_.push_back(1);
        acked_.push_back(0);
        open_.push_back(version_.size() - 1);
        sent.emplace_back(version_.size() - 1, 1);
      }
      std::string body = R"({"madonvi":"000.00.12.H42","service":"DongBoHoSoMC","data":[)";
      for (const auto& [d, v] : sent) body += record(code(d), v) + ",";
      body.back() = ']';
      body += '}';
      if (post(body)) {
        for (const auto& [d, v] : sent) acked_[d] = std::max(acked_[d], v);
        ++taken_;
      } else {
        ++failed_;
        std::this_thread::sleep_for(5ms);  // the daemon is probably down: do not spin
      }
    }
  }

  std::string code(std::size_t d) const {
    return "000.00.12.H42-260302-S" + std::to_string(id_) + "-" + std::to_string(d);
  }
  /// The highest version of each dossier the daemon acknowledged (0: none).
  const std::vector<int>& acknowledged() const { return acked_; }
  std::size_t taken() const { return taken_; }
  std::size_t failed() const { return failed_; }
  std::size_t rejected() const { return rejected_; }

 private:
  bool post(const std::string& body) {
    http::ClientOptions options;
    options.timeout = 3s;
    auto r = http::request("127.0.0.1", port_, {"POST", "/api/v1/mc", body, "application/json", {}},
                           options);
    if (!r || r->status != 200) return false;
    const json::value answer = json::parse(r->body);
    if (answer.at("error_code").as_string() != "0") return false;
    rejected_ += answer.at("rejected").to_number<std::size_t>();  // every record is valid
    return true;
  }

  int id_;
  const std::atomic<std::uint16_t>& port_;
  std::vector<int> version_;  // the last version sent, by dossier
  std::vector<int> acked_;
  std::deque<std::size_t> open_;  // dossiers with versions still to send
  std::size_t taken_ = 0, failed_ = 0, rejected_ = 0;
};

std::unique_ptr<test::Daemon> start_daemon(const test::TempDir& dir,
                                           const std::filesystem::path& config) {
  return test::start_logged(dir.file("daemon.log"),
                            {TTHC_EXECUTABLE, "run", "--config", config.string()}, false,
                            dir.path());
}

// What the senders were told against what the store holds.
struct Audit {
  std::size_t requests = 0, failed = 0, rejected = 0;  // as the senders counted them
  std::size_t dossiers = 0, stored = 0;                // acknowledged; in the store
  std::size_t missing = 0;                             // acknowledged, not in the store
  std::size_t behind = 0;        // stored at a version older than the one acknowledged
  std::size_t inconsistent = 0;  // the stored status is not its version's
  std::size_t faults = 0;
  std::string examples;  // the first ten faults, one a line

  void fault(std::size_t& count, const std::string& what) {
    ++count;
    if (++faults <= 10) examples += what + "\n";
  }
};

Audit audit(const std::vector<std::unique_ptr<Sender>>& senders, const std::filesystem::path& db) {
  std::map<std::string, std::pair<int, int>> stored;  // MaHoSo: status, progress entries
  for (const auto& row :
       test::sql_rows(db,
                      "SELECT d.code, d.status, coalesce(p.n_entries, 0) FROM dossiers d "
                      "LEFT JOIN progress p ON p.dossier_id = d.id")) {
    stored[row[0]] = {std::stoi(row[1]), std::stoi(row[2])};
  }
  Audit a;
  a.stored = stored.size();
  for (const auto& s : senders) {
    a.requests += s->taken();
    a.failed += s->failed();
    a.rejected += s->rejected();
    for (std::size_t d = 0; d < s->acknowledged().size(); ++d) {
      const int acked = s->acknowledged()[d];
      if (acked == 0) continue;
      ++a.dossiers;
      const std::string code = s->code(d);
      const auto it = stored.find(code);
      if (it == stored.end()) {
        a.fault(a.missing,
                code + " acknowledged at version " + std::to_string(acked) + ", missing");
        continue;
      }
      const auto [status, version] = it->second;
      if (version < acked) {
        a.fault(a.behind, code + " acknowledged at version " + std::to_string(acked) +
                              ", stored at " + std::to_string(version));
      }
      if (version < 1 || version > kVersions || status != status_of(version)) {
        a.fault(a.inconsistent, code + ": status " + std::to_string(status) + " with " +
                                    std::to_string(version) + " progress entries");
      }
    }
  }
  return a;
}

// Twelve SIGKILLs, 0.3–1.5 s apart, under the load of three senders; the daemon restarts at
// once on the same store and port. Then, on the file as the last kill left it: every
// acknowledged dossier at its acknowledged version or a later one, and a sound file; and the
// daemon starts on it and becomes ready.
TEST(CrashDaemon, KillNineUnderWebhookLoadLosesNoAcknowledgedRecord) {
  std::mt19937_64 rng = seeded_moments();
  test::TempDir dir;
  const std::string src = TTHC_SOURCE_DIR;
  std::atomic<std::uint16_t> port = test::free_port();
  const auto config = dir.write(
      "monitor.toml", "[calendar]\nholidays_dir = \"" + src + "/config/holidays\"\n" +
                          "[catalogue]\nfile = \"" + src + "/config/procedures.csv\"\n" +
                          "[store]\npath = \"d.db\"\n[reports]\ndir = \"reports\"\n" +
                          "[http]\nlisten = \"127.0.0.1:" + std::to_string(port) + "\"\n");
  const auto log = [&] { return test::read_file(dir.file("daemon.log")); };
  auto daemon = start_daemon(dir, config);
  ASSERT_EQ(daemon->port(), port) << daemon->first_line() << log();

  const auto started = Clock::now();
  std::atomic<bool> stop = false;
  std::vector<std::unique_ptr<Sender>> senders;
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    senders.push_back(std::make_unique<Sender>(i, port));
    threads.emplace_back([&s = *senders.back(), &stop] { s.run(stop); });
  }
  constexpr int kKills = 12;
  int kills = 0;
  for (int k = 1; k <= kKills; ++k) {
    std::this_thread::sleep_for(pick_ms(rng, 0.3, 1.5));
    kills += daemon->kill_hard() ? 1 : 0;
    if (k < kKills) {
      daemon = start_daemon(dir, config);
      ASSERT_EQ(daemon->port(), port) << "restart " << k << ": " << daemon->first_line() << log();
    }
  }
  stop = true;
  for (auto& t : threads) t.join();
  const double loaded_s = seconds_since(started);
  EXPECT_EQ(kills, kKills) << "the daemon exited before a kill:\n" << log();

  const auto db = dir.file("d.db");
  EXPECT_EQ(test::integrity_check(db), "ok");
  const Audit a = audit(senders, db);
  std::printf(
      "%d kills in %.1f s; %zu requests acknowledged (%zu dossiers), %zu not; %zu stored; "
      "%zu missing, %zu behind\n",
      kills, loaded_s, a.requests, a.dossiers, a.failed, a.stored, a.missing, a.behind);
  EXPECT_EQ(a.faults, 0U) << a.examples;
  EXPECT_EQ(a.rejected, 0U);  // every record sent is valid
  EXPECT_GT(a.requests, 100U) << "too little load to say anything";

  // The daemon starts on what the last kill left and becomes ready.
  daemon = start_daemon(dir, config);
  ASSERT_EQ(daemon->port(), port) << daemon->first_line() << log();
  EXPECT_TRUE(test::await(
      [&] {
        auto r = http::request("127.0.0.1", port, {"GET", "/readyz", "", "", {}});
        return r && r->status == 200;
      },
      20s))
      << log();
  EXPECT_EQ(daemon->stop(), 0) << log();
}

// --- the import -----------------------------------------------------------------------------

// The store's content as one list of rows, each table's rows in a fixed order, for comparing
// two stores filled from the same file. Content is what a record sent or what the store derived
// from the records in file order: a dossier's fields, freshness, fingerprint and `settled`; its
// snapshots in arrival order (freshness, status, NgayHenTra, applied, fingerprint, raw members);
// its due changes in order; its progress entries; the orphans still waiting; claimed statistics.
// Bookkeeping is left out, as it differs between a run cut short and re-run and a clean run:
// which batch wrote a row (`batch_id`, `first_batch`, `last_batch`, the `batches` table: a
// re-run records its own batches, counting as unchanged what the killed run already wrote),
// row ids (rows are joined by MaHoSo instead), when a claimed statistic `arrived`, and the
// `cursors` (an import keeps none) and `procedures` (the catalogue, not the file's) tables.
const char* const kContent[] = {
    "SELECT 'dossier', code, unit_code, procedure_code, procedure_name, field_code, field_name, "
    "unit_name, channel, status, submitted, received, promised_due, processing_end, returned, "
    "base_due, rounds, freshness, content_hash, settled FROM dossiers ORDER BY code",
    "SELECT 'snapshot', d.code, s.freshness, s.status, s.promised_due, s.applied, s.content_hash, "
    "s.raw FROM snapshots s JOIN dossiers d ON d.id = s.dossier_id ORDER BY d.code, s.id",
    "SELECT 'due change', d.code, c.seq, c.value FROM due_changes c "
    "JOIN dossiers d ON d.id = c.dossier_id ORDER BY d.code, c.seq",
    "SELECT 'progress', d.code, p.n_entries FROM progress p JOIN dossiers d ON d.id = p.dossier_id "
    "ORDER BY d.code",
    "SELECT 'entry', dossier_code, at, status, department, handler, handler_title, action, "
    "step_start, step_deadline FROM progress_entries ORDER BY dossier_code, at, status, department",
    "SELECT 'orphans', dossier_code, n_entries FROM progress_orphans ORDER BY dossier_code",
    "SELECT 'claimed', unit, year, month, kind, unit_name, note, received, carried_over, "
    "to_process, resolved, resolved_on_time, resolved_overdue, pending, pending_in_time, "
    "pending_overdue, on_time_percent, sender FROM claimed_stats ORDER BY year, month, unit, kind",
};

std::vector<std::vector<std::string>> content_of(const std::filesystem::path& db) {
  std::vector<std::vector<std::string>> rows;
  for (const char* sql : kContent) {
    // sql_rows says nothing of an error: a query that fails would compare as empty on both sides.
    EXPECT_EQ(test::sql_exec(db, std::string(sql) + " LIMIT 0"), "") << sql;
    auto table = test::sql_rows(db, sql);
    rows.insert(rows.end(), std::make_move_iterator(table.begin()),
                std::make_move_iterator(table.end()));
  }
  return rows;
}

std::string joined(const std::vector<std::string>& row) {
  std::string text;
  for (const std::string& v : row) text += (text.empty() ? "" : " | ") + v.substr(0, 80);
  return text;
}

// Expects the two stores to hold the same content; on a difference, shows the first one.
void expect_same_content(const std::filesystem::path& expected, const std::filesystem::path& got) {
  const auto want = content_of(expected);
  const auto have = content_of(got);
  EXPECT_EQ(have.size(), want.size());
  const auto [w, h] = std::mismatch(want.begin(), want.end(), have.begin(), have.end());
  if (w != want.end() || h != have.end()) {
    ADD_FAILURE() << "first difference at row " << (w - want.begin())
                  << ":\n  clean:   " << (w != want.end() ? joined(*w) : "(end)")
                  << "\n  re-run:  " << (h != have.end() ? joined(*h) : "(end)");
  }
}

// The rows of `table` as text; "0" while the table is not there yet.
std::string count_of(const std::filesystem::path& db, const std::string& table) {
  return std::to_string(std::max<std::int64_t>(test::row_count(db, table), 0));
}

// A simulated quarter's sync log (re-sends as dossiers progress, duplicates, re-sends out of
// order, bad records) imported clean into one store, and into another by `import` runs killed at
// random moments, six times, then one run to the end: the same content, and after every kill a
// sound file. The n-th kill falls in the n-th of six slices of the first 70 % of the clean
// import's time, so that the runs are cut further and further into the file (a re-run passes
// quickly over what is stored already, as unchanged records).
TEST(CrashImport, KilledAndReRunEndsAsACleanImport) {
  std::mt19937_64 rng = seeded_moments();
  test::TempDir dir;
  const auto file = dir.file("log.jsonl");
  const auto run = [&](const std::vector<std::string>& args) {
    return test::run_process(TTHC_EXECUTABLE, args, TTHC_SOURCE_DIR);
  };
  const test::Outcome simulated = run({"simulate", "--from", "2025-01-01", "--to", "2025-03-31",
                                       "--seed", "7", "--out", file.string()});
  ASSERT_EQ(simulated.status, 0) << simulated.err;

  const auto clean = dir.file("clean.db");
  auto started = Clock::now();
  const test::Outcome first = run({"import", file.string(), "--db", clean.string()});
  const double clean_s = seconds_since(started);
  ASSERT_EQ(first.status, 3) << first.err;  // complete, with the log's bad records rejected

  const auto db = dir.file("killed.db");
  const auto log = dir.file("import.log");
  constexpr int kKills = 6;
  const double slice = (0.7 * clean_s - 0.1) / kKills;
  int kills = 0, runs = 0;
  std::string left;  // the snapshots stored after each run
  started = Clock::now();
  while (kills < kKills && runs < 3 * kKills) {
    const double from = 0.1 + (runs++ % kKills) * slice;
    auto import = test::start_logged(
        log, {TTHC_EXECUTABLE, "import", file.string(), "--db", db.string()}, true, dir.path());
    std::this_thread::sleep_for(pick_ms(rng, from, from + slice));
    const bool killed = import->kill_hard();  // else it had ended: run it again
    kills += killed ? 1 : 0;
    ASSERT_EQ(test::integrity_check(db), "ok") << "after run " << runs;
    left += " " + count_of(db, "snapshots") + (killed ? "" : " (ended)");
  }
  ASSERT_EQ(kills, kKills) << "import ended before the kill too often; " << runs << " runs";
  const test::Outcome last = run({"import", file.string(), "--db", db.string()});
  ASSERT_EQ(last.status, 3) << last.err;
  std::printf(
      "clean import %.1f s (%s snapshots); %d kills in %d runs and a last run, %.1f s; "
      "snapshots after each:%s\n",
      clean_s, count_of(clean, "snapshots").c_str(), kills, runs, seconds_since(started),
      left.c_str());

  EXPECT_EQ(test::integrity_check(db), "ok");
  expect_same_content(clean, db);
  EXPECT_GT(std::stoi(count_of(clean, "dossiers")), 5000);
}

}  // namespace
}  // namespace tthc
