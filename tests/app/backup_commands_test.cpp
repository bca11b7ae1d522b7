// `backup` and `restore` on the real executable beside the real daemon: the restored store gives
// the same report as the live one, a restore is refused while the daemon runs, and a damaged or
// incomplete backup is refused before anything is touched.
#include "store/store.hpp"
#include "support/backup_fixture.hpp"
#include "support/process.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

namespace tthc {
namespace {

namespace fs = std::filesystem;
using test::Outcome;

using test::monitor::run;

std::unique_ptr<test::Daemon> start_daemon(const std::string& config) {
  return std::make_unique<test::Daemon>(
      TTHC_EXECUTABLE, std::vector<std::string>{"run", "--config", config}, TTHC_SOURCE_DIR);
}

Outcome results_report(const std::string& config) {
  return run({"report", "--config", config, "--kind", "results", "--month", "2026-03", "--format",
              "json", "--as-of", "2026-04-01T00:00"});
}

TEST(RestoreCommand, TheRestoredStoreGivesTheSameReport) {
  test::TempDir dir;
  const std::string config = test::backup_config(dir, "live.toml");
  auto daemon = start_daemon(config);
  ASSERT_GT(daemon->port(), 0) << daemon->first_line();
  for (int b = 0; b < 6; ++b) ASSERT_TRUE(test::post_dossiers(daemon->port(), b * 50, 50));
  const Outcome before = results_report(config);
  ASSERT_EQ(before.status, 0) << before.err;

  const std::string backup = dir.file("backup").string();
  const Outcome b = run({"backup", backup, "--config", config});
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_NE(b.out.find("tthc-monitor.db"), std::string::npos) << b.out;
  EXPECT_NE(b.out.find("alerts.db"), std::string::npos) << b.out;
  for (const char* f : {"tthc-monitor.db", "alerts.db", "manifest.json"}) {
    EXPECT_TRUE(fs::is_regular_file(dir.file("backup") / f)) << f;
  }
  EXPECT_EQ(daemon->stop(), 0);

  // Elsewhere, as on a new machine: the same report from the restored store.
  const std::string fresh = test::backup_config(dir, "fresh.toml", "fresh");
  const Outcome r = run({"restore", backup, "--config", fresh});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(dir.file("fresh/d.db")));
  EXPECT_TRUE(fs::is_regular_file(dir.file("fresh/alerts.db")));
  const Outcome after = results_report(fresh);
  ASSERT_EQ(after.status, 0) << after.err;
  EXPECT_EQ(after.out, before.out);
  EXPECT_NE(after.out.find("\"received_total\": 300"), std::string::npos) << after.out;
}

TEST(RestoreCommand, IsRefusedWhileTheDaemonRunsAndKeepsTheCurrentFilesAside) {
  test::TempDir dir;
  const std::string config = test::backup_config(dir, "live.toml");
  auto daemon = start_daemon(config);
  ASSERT_GT(daemon->port(), 0) << daemon->first_line();
  ASSERT_TRUE(test::post_dossiers(daemon->port(), 0, 20));
  const std::string backup = dir.file("backup").string();
  ASSERT_EQ(run({"backup", backup, "--config", config}).status, 0);
  ASSERT_TRUE(test::post_dossiers(daemon->port(), 20, 20));  // after the backup

  Outcome r = run({"restore", backup, "--config", config});
  EXPECT_EQ(r.status, 4) << r.err;
  EXPECT_NE(r.err.find("d.db is in use"), std::string::npos) << r.err;
  // A second daemon on the same store is refused too.
  Outcome second = run({"run", "--config", config});
  EXPECT_EQ(second.status, 1);
  EXPECT_NE(second.err.find("is in use"), std::string::npos) << second.err;
  EXPECT_EQ(daemon->stop(), 0);

  r = run({"restore", backup, "--config", config});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("kept as d.db.before-restore-"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir.file("data/d.db-wal")));
  EXPECT_FALSE(fs::exists(dir.file("data/d.db-shm")));
  std::vector<fs::path> aside;
  for (const auto& e : fs::directory_iterator(dir.file("data"))) {
    const std::string name = e.path().filename().string();  // perhaps with its -wal beside
    if (name.starts_with("d.db.before-restore-") && !name.ends_with("-wal")) aside.push_back(e);
  }
  ASSERT_EQ(aside.size(), 1U);
  EXPECT_EQ(store::Reader::open(aside[0]).value().totals().value().dossiers, 40);
  EXPECT_EQ(store::Reader::open(dir.file("data/d.db")).value().totals().value().dossiers, 20);

  // The daemon starts on the restored store.
  daemon = start_daemon(config);
  ASSERT_GT(daemon->port(), 0) << daemon->first_line();
  EXPECT_TRUE(test::post_dossiers(daemon->port(), 40, 5));
  EXPECT_EQ(daemon->stop(), 0);
  EXPECT_EQ(store::Reader::open(dir.file("data/d.db")).value().totals().value().dossiers, 25);
}

TEST(RestoreCommand, RefusesAnIncompleteOrDamagedBackup) {
  test::TempDir dir;
  const std::string config = test::backup_config(dir, "live.toml");
  ASSERT_EQ(run({"import", "-", "--config", config}).status, 0);  // an empty store
  const fs::path backup = dir.file("backup");
  ASSERT_EQ(run({"backup", backup.string(), "--config", config}).status, 0);
  const std::string fresh = test::backup_config(dir, "fresh.toml", "fresh");

  fs::copy(backup, dir.file("partial"), fs::copy_options::recursive);
  fs::remove(dir.file("partial/manifest.json"));
  Outcome r = run({"restore", dir.file("partial").string(), "--config", fresh});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("partial/manifest.json: missing"), std::string::npos) << r.err;

  std::ofstream(backup / "tthc-monitor.db", std::ios::app) << "tail";
  r = run({"restore", backup.string(), "--config", fresh});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("tthc-monitor.db: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the manifest says"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.file("fresh/d.db")));
}

TEST(BackupCommand, ErrorsNameTheFileAndTheCause) {
  test::TempDir dir;
  const std::string config = test::backup_config(dir, "live.toml");
  Outcome r = run({"backup", dir.file("b").string(), "--config", config});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("no store at "), std::string::npos) << r.err;

  ASSERT_EQ(run({"import", "-", "--config", config}).status, 0);
  dir.write("full/something", "x");
  r = run({"backup", dir.file("full").string(), "--config", config});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("full: not empty"), std::string::npos) << r.err;

  dir.write("plain", "a file");
  r = run({"backup", (dir.file("plain") / "b").string(), "--config", config});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("cannot create "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("plain/b"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace tthc
