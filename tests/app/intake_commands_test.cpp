// The real executable: `import` of JSON Lines files and the `run` daemon's webhook, stopped
// with SIGTERM.
#include "http/client.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

namespace tthc {
namespace {

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs the executable with `args`, waits, and captures both streams.
Outcome run(const std::vector<std::string>& args) {
  int out_pipe[2];
  int err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    close(out_pipe[0]);
    close(err_pipe[0]);
    std::vector<char*> argv;
    std::string exe = TTHC_EXECUTABLE;
    argv.push_back(exe.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (chdir(TTHC_SOURCE_DIR) != 0) _exit(126);
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  Outcome r;
  auto drain = [](int fd, std::string& into) {
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) into.append(buf, static_cast<std::size_t>(n));
    close(fd);
  };
  drain(out_pipe[0], r.out);
  drain(err_pipe[0], r.err);
  int status = 0;
  waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

const std::string kGood =
    R"({"MaHoSo":"000.00.12.H42-260302-0001","MaTTHC":"1.004227","TrangThaiHoSo":4,"NgayTiepNhan":"20260302090000","QuaTrinhXuLy":[{"ThoiDiemXuLy":"20260302100000","TrangThai":4,"PhongBanXuLy":"Phòng A"}]})";

TEST(ImportCommand, ImportsReportsRejectionsByLineAndIsIdempotent) {
  test::TempDir dir;
  const auto file = dir.file("in.jsonl");
  write_file(
      file,
      kGood + "\n\n" +
          R"({"MaHoSo":"000.00.12.H42-260302-0002","TrangThaiHoSo":4,"NgayTiepNhan":"2025-13-40"})" +
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

TEST(ImportCommand, MissingFileIsAFailure) {
  test::TempDir dir;
  Outcome r = run({"import", dir.file("nope.jsonl").string(), "--db", dir.file("t.db").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("nope.jsonl: cannot read"), std::string::npos) << r.err;
}

TEST(RunCommand, ServesTheWebhookAndStopsOnSigterm) {
  test::TempDir dir;
  int out_pipe[2];
  ASSERT_EQ(pipe(out_pipe), 0);
  const std::string db = dir.file("d.db").string();
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    close(out_pipe[0]);
    std::string exe = TTHC_EXECUTABLE;
    std::string a1 = "run", a2 = "--db", a3 = db, a4 = "--port", a5 = "0";
    char* argv[] = {exe.data(), a1.data(), a2.data(), a3.data(), a4.data(), a5.data(), nullptr};
    if (chdir(TTHC_SOURCE_DIR) != 0) _exit(126);
    execv(exe.c_str(), argv);
    _exit(127);
  }
  close(out_pipe[1]);
  // The daemon prints its address once it listens: wait for that line.
  std::string line;
  char c = 0;
  while (read(out_pipe[0], &c, 1) == 1 && c != '\n') line += c;
  const auto colon = line.rfind(':');
  ASSERT_NE(colon, std::string::npos) << line;
  const auto port = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));

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

  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  close(out_pipe[0]);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  auto reader = store::Reader::open(db).value();
  EXPECT_EQ(reader.totals().value().dossiers, 1);
}

// Starts the daemon with `args`, returns its pid and the port it printed.
std::pair<pid_t, std::uint16_t> start_daemon(std::vector<std::string> args, int& out_fd) {
  int out_pipe[2];
  if (pipe(out_pipe) != 0) return {-1, 0};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    close(out_pipe[0]);
    std::string exe = TTHC_EXECUTABLE;
    std::vector<char*> argv{exe.data()};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (chdir(TTHC_SOURCE_DIR) != 0) _exit(126);
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  out_fd = out_pipe[0];
  std::string line;
  char c = 0;
  while (read(out_fd, &c, 1) == 1 && c != '\n') line += c;
  const auto colon = line.rfind(':');
  if (colon == std::string::npos) return {pid, 0};
  return {pid, static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)))};
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
          "[poller]\nenabled = true\nurl = \"http://127.0.0.1:" + std::to_string(upstream_port) +
          "/api/dossiers\"\ninterval = \"100ms\"\n");
  int out_fd = -1;
  auto [pid, port] = start_daemon({"run", "--config", config.string()}, out_fd);
  ASSERT_GT(port, 0);
  {
    // The first cycle fetches the record; the second finds the cursor committed with it.
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return calls.load() >= 2; });
  }
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  close(out_fd);
  upstream.stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  auto reader = store::Reader::open(dir.file("d.db")).value();
  EXPECT_EQ(reader.totals().value().dossiers, 1);
  EXPECT_EQ(reader.cursor("poll:onestop").value(), "1");
}

}  // namespace
}  // namespace tthc
