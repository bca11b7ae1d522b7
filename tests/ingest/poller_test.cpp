// The poller against a scripted upstream on loopback: paging with the cursor committed with the
// records, a restart in the middle of a cycle, and every upstream failure it must survive.
#include "ingest/poller.hpp"

#include "http/client.hpp"

#include "http/server.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"
#include "support/test_pki.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

namespace tthc::ingest {
namespace {

std::string record(int i, bool embed_progress = true) {
  std::string r = R"({"MaHoSo":"000.00.12.H42-260302-)" + std::to_string(10000 + i) +
                  R"(","MaTTHC":"1.004227","TrangThaiHoSo":4,"NgayTiepNhan":"20260302090000")";
  if (embed_progress) {
    r += R"(,"QuaTrinhXuLy":[{"ThoiDiemXuLy":"20260302100000","TrangThai":4,"PhongBanXuLy":"P"}])";
  }
  return r + "}";
}

// An upstream holding `total` records, served in pages by the `since` cursor (an index).
struct Upstream {
  int total = 0;
  std::function<std::optional<http::Response>(const http::Request&)> override;  // failures
  std::vector<std::vector<std::pair<std::string, std::string>>> seen_headers;
  std::mutex m;

  http::Response page(const http::Request& req) {
    {
      std::lock_guard lock(m);
      seen_headers.push_back(req.headers);
    }
    if (override) {
      if (auto r = override(req)) return *r;
    }
    const int since = std::stoi(req.query_param("since").value_or("0"));
    const int limit = std::stoi(req.query_param("limit").value_or("100"));
    const int end = std::min(total, since + limit);
    std::string body = R"({"data":[)";
    for (int i = since; i < end; ++i) body += (i > since ? "," : "") + record(i);
    body += R"(],"next":")" + std::to_string(end) + R"(","has_more":)" +
            (end < total ? "true" : "false") + "}";
    http::Response r;
    r.body = body;
    return r;
  }
};

class PollerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w = store::Writer::open(store::Options{dir.file("p.db"), false, 5000});
    ASSERT_TRUE(w) << w.error().message;
    intake = std::make_unique<Intake>(std::move(*w));
    http::Router router;
    router.add("GET", "/api/dossiers", [this](const http::Request& r) { return upstream.page(r); });
    router.add("GET", "/api/dossiers/{code}/progress", [this](const http::Request& r) {
      if (upstream.override) {
        if (auto o = upstream.override(r)) return *o;
      }
      http::Response resp;
      resp.body = R"({"data":[{"MaHoSo":")" + std::string(*r.param("code")) +
                  R"(","ThoiDiemXuLy":"20260303100000","TrangThai":9,"PhongBanXuLy":"Q"}]})";
      return resp;
    });
    server = std::make_unique<http::Server>(http::ServerOptions{}, std::move(router));
    auto port = server->start();
    ASSERT_TRUE(port);
    options.url = "http://127.0.0.1:" + std::to_string(*port) + "/api/dossiers";
    options.timeout = std::chrono::milliseconds(2000);
  }
  void TearDown() override { server->stop(); }

  std::unique_ptr<Poller> make(PollerOptions o) {
    Poller::Seams seams;
    seams.random = [this] { return random_value; };
    seams.log = Log([this](LogLevel level, std::string_view message) {
      logs.emplace_back(level, std::string(message));
    });
    return std::make_unique<Poller>(std::move(o), *intake, dir.file("p.db"), clock, seams);
  }
  store::Totals totals() { return store::Reader::open(dir.file("p.db")).value().totals().value(); }
  std::optional<std::string> cursor() {
    return store::Reader::open(dir.file("p.db")).value().cursor("poll:onestop").value();
  }

  test::TempDir dir;
  ManualClock clock{ManualClock::WallTime{std::chrono::seconds{1760000000}}};
  std::unique_ptr<Intake> intake;
  std::unique_ptr<http::Server> server;
  Upstream upstream;
  PollerOptions options;
  std::uint64_t random_value = 0;
  std::vector<std::pair<LogLevel, std::string>> logs;
};

TEST_F(PollerTest, PagesThroughAndCommitsTheCursorWithTheRecords) {
  upstream.total = 250;
  auto poller = make(options);
  const auto r = poller->run_cycle();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.pages, 3U);
  EXPECT_EQ(r.records, 250U);
  EXPECT_EQ(r.accepted, 250U);
  EXPECT_EQ(totals().dossiers, 250);
  EXPECT_EQ(totals().progress, 250);
  EXPECT_EQ(cursor(), "250");
  // Nothing new: nothing written, the cursor stays.
  const auto again = poller->run_cycle();
  ASSERT_TRUE(again.ok);
  EXPECT_EQ(again.records, 0U);
  EXPECT_EQ(totals().batches, 3);
  // New records upstream are picked up from the cursor.
  upstream.total = 260;
  EXPECT_EQ(poller->run_cycle().records, 10U);
  EXPECT_EQ(cursor(), "260");
}

TEST_F(PollerTest, ARestartInTheMiddleOfACycleNeitherSkipsNorDoubleCounts) {
  upstream.total = 250;
  options.max_pages_per_cycle = 1;  // the cycle stops after one page, as a crash would
  make(options)->run_cycle();
  EXPECT_EQ(cursor(), "100");
  EXPECT_EQ(totals().dossiers, 100);
  auto restarted = make(options);  // a new process: it only has the stored cursor
  restarted->run_cycle();
  restarted->run_cycle();
  EXPECT_EQ(cursor(), "250");
  const auto t = totals();
  EXPECT_EQ(t.dossiers, 250);
  EXPECT_EQ(t.snapshots, 250);  // each change received exactly once
}

TEST_F(PollerTest, UpstreamFailuresEndTheCycleKeepTheCursorAndAreRetried) {
  upstream.total = 50;
  auto poller = make(options);
  struct Case {
    std::string name;
    int status;
    std::string body;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"500", 500, R"({"error":"db down"})", "HTTP 500"},
      {"html", 200, "<html><body>502 Bad Gateway</body></html>", "HTML page"},
      {"shape", 200, R"({"items":[]})", R"(unexpected JSON shape: no array at "data")"},
      {"truncated json", 200, R"({"data":[{"MaHoSo":"A-1","TrangTh)", "malformed JSON"},
  };
  for (const Case& c : cases) {
    upstream.override = [&](const http::Request&) -> std::optional<http::Response> {
      http::Response r;
      r.status = c.status;
      r.content_type = c.name == "html" ? "text/html" : "application/json";
      r.body = c.body;
      return r;
    };
    const auto r = poller->run_cycle();
    EXPECT_FALSE(r.ok) << c.name;
    EXPECT_NE(r.error.find(c.expected), std::string::npos) << c.name << ": " << r.error;
    EXPECT_FALSE(cursor()) << c.name;
  }
  EXPECT_EQ(totals().dossiers, 0);
  // One log line for the whole streak, then one for the recovery.
  ASSERT_EQ(logs.size(), 1U);
  EXPECT_EQ(logs[0].first, LogLevel::warning);
  EXPECT_EQ(poller->stats().consecutive_failures, 4U);
  upstream.override = nullptr;
  ASSERT_TRUE(poller->run_cycle().ok);
  EXPECT_EQ(totals().dossiers, 50);
  ASSERT_EQ(logs.size(), 2U);
  EXPECT_EQ(logs[1].first, LogLevel::info);
  EXPECT_NE(logs[1].second.find("recovered after 4"), std::string::npos);
  EXPECT_EQ(poller->stats().consecutive_failures, 0U);
  EXPECT_EQ(poller->stats().cycles_failed, 4U);
}

TEST_F(PollerTest, TooManyRequestsHonoursRetryAfter) {
  upstream.override = [](const http::Request&) -> std::optional<http::Response> {
    http::Response r = http::error_response(429, "slow down");
    r.headers.emplace_back("Retry-After", "7");
    return r;
  };
  auto poller = make(options);
  const auto r = poller->run_cycle();
  EXPECT_FALSE(r.ok);
  ASSERT_TRUE(r.retry_after);
  EXPECT_EQ(*r.retry_after, std::chrono::seconds(7));
  EXPECT_GE(poller->next_delay(r), std::chrono::seconds(7));
}

TEST_F(PollerTest, BackoffDoublesWithJitterUpToTheCap) {
  upstream.override = [](const http::Request&) -> std::optional<http::Response> {
    return http::error_response(503, "maintenance");
  };
  options.backoff_initial = std::chrono::milliseconds(1000);
  options.backoff_max = std::chrono::milliseconds(10'000);
  auto poller = make(options);
  const long long expected_full[] = {1000, 2000, 4000, 8000, 10'000, 10'000};
  for (long long full : expected_full) {
    const auto r = poller->run_cycle();
    random_value = 0;  // the lowest jitter: half the delay
    EXPECT_EQ(poller->next_delay(r).count(), full / 2);
    random_value = static_cast<std::uint64_t>(full / 2);  // the highest: the whole delay
    EXPECT_EQ(poller->next_delay(r).count(), full);
  }
  upstream.override = nullptr;
  EXPECT_EQ(poller->next_delay(poller->run_cycle()), options.interval);
}

TEST_F(PollerTest, AuthenticationHeaders) {
  upstream.total = 1;
  struct Case {
    PollerOptions::Auth auth;
    std::string secret;
    std::string header;
    std::string value;
  };
  for (const Case& c :
       {Case{PollerOptions::Auth::Bearer, "tok", "authorization", "Bearer tok"},
        Case{PollerOptions::Auth::ApiKey, "k3y", "x-api-key", "k3y"},
        Case{PollerOptions::Auth::Basic, "user:pass", "authorization", "Basic dXNlcjpwYXNz"}}) {
    upstream.seen_headers.clear();
    PollerOptions o = options;
    o.auth = c.auth;
    o.secret = c.secret;
    make(o)->run_cycle();
    ASSERT_FALSE(upstream.seen_headers.empty());
    bool found = false;
    for (const auto& [k, v] : upstream.seen_headers.front())
      found = found || (k == c.header && v == c.value);
    EXPECT_TRUE(found) << c.value;
  }
}

TEST_F(PollerTest, ProgressEntriesFromASecondUrl) {
  upstream.total = 3;
  options.progress_url = options.url + "/{code}/progress";
  auto poller = make(options);
  ASSERT_TRUE(poller->run_cycle().ok);
  auto reader = store::Reader::open(dir.file("p.db")).value();
  auto tl = reader.timeline("000.00.12.H42-260302-10001").value();
  ASSERT_TRUE(tl);
  ASSERT_EQ(tl->progress.size(), 2U);  // the embedded one and the fetched one
  EXPECT_EQ(tl->progress[1].status, Status::Finished);
}

TEST_F(PollerTest, BadRecordsAreRejectedAndThePageStillCommits) {
  upstream.override = [](const http::Request& req) -> std::optional<http::Response> {
    if (req.query_param("since")) return std::nullopt;
    http::Response r;
    r.body =
        R"({"data":[)" + record(1) +
        R"(,{"MaHoSo":"X","MaTTHC":"1.004227","TrangThaiHoSo":11}],"next":"2","has_more":false})";
    return r;
  };
  auto poller = make(options);
  const auto r = poller->run_cycle();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.rejected, 1U);
  EXPECT_EQ(cursor(), "2");
  EXPECT_EQ(totals().dossiers, 1);
}

// A raw TCP peer for what an HTTP server library will not do: hang, or cut a body short.
class RawPeer {
 public:
  explicit RawPeer(std::string reply) : reply_(std::move(reply)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(fd_, 4);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      const int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      char buf[4096];
      (void)recv(c, buf, sizeof buf, 0);
      if (!reply_.empty()) (void)send(c, reply_.data(), reply_.size(), MSG_NOSIGNAL);
      std::unique_lock lock(m_);
      cv_.wait(lock, [&] { return done_; });  // hold the connection open until the test ends
      close(c);
    });
  }
  ~RawPeer() {
    {
      std::lock_guard lock(m_);
      done_ = true;
    }
    cv_.notify_all();
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  std::uint16_t port() const { return port_; }

 private:
  std::string reply_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::mutex m_;
  std::condition_variable cv_;
  bool done_ = false;
};

TEST_F(PollerTest, AHangingUpstreamTimesOut) {
  RawPeer hang("");
  options.url = "http://127.0.0.1:" + std::to_string(hang.port()) + "/api/dossiers";
  options.timeout = std::chrono::milliseconds(300);
  const auto r = make(options)->run_cycle();
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(cursor());
}

TEST_F(PollerTest, ATruncatedBodyFails) {
  RawPeer cut(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
      R"({"data":[)");
  options.url = "http://127.0.0.1:" + std::to_string(cut.port()) + "/api/dossiers";
  options.timeout = std::chrono::milliseconds(300);
  const auto r = make(options)->run_cycle();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(totals().dossiers, 0);
}

TEST_F(PollerTest, AnUnreachableUpstreamIsAFailureNotACrash) {
  options.url = "http://127.0.0.1:1/api/dossiers";
  const auto r = make(options)->run_cycle();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("127.0.0.1:1"), std::string::npos) << r.error;
}

TEST_F(PollerTest, RunStopsPromptly) {
  upstream.total = 5;
  options.interval = std::chrono::hours(1);
  auto poller = make(options);
  poller->start();
  while (poller->stats().cycles == 0) std::this_thread::yield();
  poller->stop();
  EXPECT_EQ(totals().dossiers, 5);
}

// HTTPS with certificate verification against a CA made in the test.
TEST_F(PollerTest, PollsOverHttpsTrustingTheConfiguredCaOnly) {
  http::Router router;
  router.add("GET", "/api/dossiers", [](const http::Request& req) {
    http::Response r;
    r.body = req.query_param("since")
                 ? R"({"data":[],"next":"1","has_more":false})"
                 : R"({"data":[)" + record(7) + R"(],"next":"1","has_more":false})";
    return r;
  });
  http::ServerOptions so;
  so.tls_cert_file = test::pki().server_cert;
  so.tls_key_file = test::pki().server_key;
  http::Server tls_server(so, std::move(router));
  auto port = tls_server.start();
  ASSERT_TRUE(port) << port.error().message;
  options.url = "https://127.0.0.1:" + std::to_string(*port) + "/api/dossiers";

  const auto untrusted = make(options)->run_cycle();  // the system store does not know the CA
  EXPECT_FALSE(untrusted.ok);
  EXPECT_NE(untrusted.error.find("certificate verify failed"), std::string::npos)
      << untrusted.error;
  EXPECT_EQ(totals().dossiers, 0);

  options.ca_file = test::pki().ca_cert;
  const auto trusted = make(options)->run_cycle();
  ASSERT_TRUE(trusted.ok) << trusted.error;
  EXPECT_EQ(totals().dossiers, 1);
  EXPECT_EQ(cursor(), "1");
  tls_server.stop();
}

TEST(PollerText, Base64AndPercentEncoding) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("user:pass"), "dXNlcjpwYXNz");
  EXPECT_EQ(http::percent_encode("a b/c?d=é"), "a%20b%2Fc%3Fd%3D%C3%A9");
  EXPECT_EQ(http::percent_encode("2026-03-02T10:00:00+07:00"), "2026-03-02T10%3A00%3A00%2B07%3A00");
}

}  // namespace
}  // namespace tthc::ingest
