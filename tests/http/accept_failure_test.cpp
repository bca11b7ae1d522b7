// The server when accepting fails because the process has no descriptor left.
//
// A binary of its own, left out of the sanitizer build (tests/CMakeLists.txt): under GCC's
// UndefinedBehaviorSanitizer a vptr check that misses its type cache reads the object through a
// pipe, and its runtime reads its options and suppressions on its first report; with no
// descriptor free neither can be done, and a valid object is reported as one with an invalid
// vptr (Asio's scheduler, std::type_info). scripts/test runs it in the plain build.

#include "http/server_support.hpp"
#include "support/raw_socket.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using tthc::test::RawSocket;

/// Lowers the soft descriptor limit just above the descriptors open now and takes every one
/// left; all given back (and the limit restored) on destruction.
class DescriptorsTaken {
 public:
  DescriptorsTaken() {
    ::getrlimit(RLIMIT_NOFILE, &saved_);
    int highest = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
      highest = std::max(highest, std::stoi(entry.path().filename().string()));
    }
    rlimit lowered = saved_;
    lowered.rlim_cur = static_cast<rlim_t>(highest) + 32;
    ::setrlimit(RLIMIT_NOFILE, &lowered);
    for (int fd = ::dup(STDIN_FILENO); fd >= 0; fd = ::dup(STDIN_FILENO)) taken_.push_back(fd);
  }
  ~DescriptorsTaken() {
    for (const int fd : taken_) ::close(fd);
    ::setrlimit(RLIMIT_NOFILE, &saved_);
  }
  DescriptorsTaken(const DescriptorsTaken&) = delete;
  DescriptorsTaken& operator=(const DescriptorsTaken&) = delete;

  /// Gives one back, for the test's own socket.
  void give_one() {
    ::close(taken_.back());
    taken_.pop_back();
  }

 private:
  rlimit saved_{};
  std::vector<int> taken_;
};

TEST(HttpServer, AcceptFailuresAreLoggedOncePerStreak) {
  const tthc::test::LogLines log;
  tthc::http::ServerOptions options = tthc::test::test_options();
  options.log = log.sink();
  tthc::http::Router router;
  router.add("GET", "/hello",
             [](const tthc::http::Request&) { return tthc::test::text("xin chào"); });
  auto server = tthc::test::start_server(options, std::move(router));
  std::optional<RawSocket> client;
  {
    DescriptorsTaken taken;
    // One descriptor back for the test's socket, queued by the kernel: the server cannot accept
    // it. Another thread of the process may take the one given back first (seen once in a
    // loaded run): then no socket was made, and one more is given back.
    for (int attempt = 0; attempt < 4 && !(client && client->connected()); ++attempt) {
      client.reset();
      taken.give_one();
      client.emplace(server->port());
    }
    ASSERT_TRUE(client->connected()) << std::strerror(errno);
    ASSERT_TRUE(tthc::test::await([&] { return server->stats().accept_failures >= 5; }, 5s));
  }
  // Accepting fails while no descriptor is free, a connection waiting or not: the streak ends
  // with the next connection accepted.
  RawSocket next(server->port());
  for (RawSocket* raw : {&*client, &next}) {
    ASSERT_TRUE(raw->send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
    const auto reply = raw->read_reply();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
  }

  EXPECT_TRUE(tthc::test::await([&] { return log.lines().size() >= 2; }, 2s));
  server->stop();
  const std::vector<std::string> lines = log.lines();
  ASSERT_EQ(lines.size(), 2U) << ::testing::PrintToString(lines);
  EXPECT_NE(lines.front().find("accept failing: Too many open files"), std::string::npos);
  EXPECT_NE(lines.back().find("accept recovered after"), std::string::npos);
  EXPECT_NE(lines.back().find(" failures)"), std::string::npos);
}

}  // namespace
