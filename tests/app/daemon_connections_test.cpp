// The daemon under a flood of idle connections, end to end on the real executable started with
// a low descriptor limit (`ulimit -n 256`, as a shell or an old init gives it): the probes and
// the webhook are still answered, and the log says what it did in a few lines, not ten a second.
#include "support/process.hpp"
#include "support/raw_socket.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace tthc {
namespace {

using namespace std::chrono_literals;
using test::RawSocket;

constexpr int kIdle = 1000;

const std::string kBody =
    R"({"session":"s","madonvi":"000.00.00.H42","service":"DongBoHoSoMC","isUpdating":"True",)"
    R"("data":[{"MaHoSo":"000.00.12.H42-260302-0003","MaTTHC":"1.004227","MaLinhVuc":"KHCN",)"
    R"("TrangThaiHoSo":"Đang xử lý","NgayTiepNhan":"2026-03-02 09:00:00",)"
    R"("NgayHenTra":"06/03/2026 09:00:00"}]})";

/// One request on a fresh connection from `from`: the reply's status, 0 when none came.
int status_of(std::uint16_t port, const char* from, const std::string& request) {
  RawSocket raw(port, from);
  if (!raw.send(request)) return 0;
  const auto reply = raw.read_reply(10s);
  return reply ? reply->status : 0;
}

std::string get(const std::string& path) {
  return "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
}

TEST(DaemonConnections, ProbesAndWebhookAnsweredThroughAThousandIdleConnections) {
  // This process holds the thousand client sockets.
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_max < kIdle + 64) GTEST_SKIP() << "descriptor hard limit " << limit.rlim_max;
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);

  test::TempDir dir;
  const std::string src = TTHC_SOURCE_DIR;
  const std::string config =
      dir.write("monitor.toml", "[calendar]\nholidays_dir = \"" + src + "/config/holidays\"\n" +
                                    "[catalogue]\nfile = \"" + src + "/config/procedures.csv\"\n" +
                                    "[store]\npath = \"d.db\"\n" +
                                    "[http]\nlisten = \"127.0.0.1:0\"\n")
          .string();
  const auto log = dir.file("daemon.log");
  auto daemon = test::start_logged(log,
                                   {"/bin/sh", "-c", R"(ulimit -n 256 && exec "$0" "$@")",
                                    TTHC_EXECUTABLE, "run", "--config", config},
                                   false, dir.path());
  const std::uint16_t port = daemon->port();
  ASSERT_GT(port, 0) << daemon->first_line();

  // A thousand connections that say nothing, from twenty addresses (fifty each: under the
  // per-client share, so that they fill every slot the descriptor limit leaves).
  std::vector<std::unique_ptr<RawSocket>> idle;
  std::vector<std::string> from;
  for (int i = 0; i < 20; ++i) from.push_back("127.0.1." + std::to_string(i + 1));
  for (int i = 0; i < kIdle; ++i) {
    idle.push_back(
        std::make_unique<RawSocket>(port, from[static_cast<std::size_t>(i / 50)].c_str()));
    ASSERT_TRUE(idle.back()->connected()) << i;
  }

  EXPECT_TRUE(
      test::await([&] { return status_of(port, "127.0.0.2", get("/readyz")) == 200; }, 10s));
  EXPECT_EQ(status_of(port, "127.0.0.3", get("/healthz")), 200);
  EXPECT_EQ(status_of(port, "127.0.0.4",
                      "POST /api/v1/mc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Connection: close\r\nContent-Length: " +
                          std::to_string(kBody.size()) + "\r\n\r\n" + kBody),
            200);
  EXPECT_EQ(daemon->stop(), 0);

  std::ifstream in(log);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::ostringstream all;
  for (const auto& line : lines) all << line << "\n";
  EXPECT_LE(lines.size(), 12U) << all.str();
  EXPECT_EQ(all.str().find("http: accept"), std::string::npos) << all.str();
  EXPECT_NE(all.str().find("http.max_connections lowered from 1024 to 112"), std::string::npos)
      << all.str();
}

}  // namespace
}  // namespace tthc
