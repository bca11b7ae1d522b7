// The server over real sockets on 127.0.0.1, port 0: the client module for well-formed traffic,
// a raw POSIX socket for what a well-behaved client would never send.

#include "http/server.hpp"
#include "http/client.hpp"
#include "http/server_support.hpp"
#include "support/raw_socket.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using tthc::http::ClientRequest;
using tthc::http::Connection;
using tthc::http::Request;
using tthc::http::Response;
using tthc::http::Router;
using tthc::http::Server;
using tthc::http::ServerOptions;
using tthc::test::LogLines;
using tthc::test::start_server;
using tthc::test::test_options;
using tthc::test::text;
using Clock = std::chrono::steady_clock;

constexpr const char* kHost = "127.0.0.1";

// --- helpers ---------------------------------------------------------------------------------

/// A door handlers wait at until the test opens it; counts who arrived. Opened on destruction
/// of its Opener so that a failing test never leaves a worker blocked (and stop waiting).
class Gate {
 public:
  void arrive_and_wait() {
    std::unique_lock lock(mutex_);
    ++arrived_;
    changed_.notify_all();
    changed_.wait_for(lock, 30s, [this] { return open_; });
  }
  [[nodiscard]] bool wait_arrived(int n, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return arrived_ >= n; });
  }
  void open() {
    {
      const std::lock_guard lock(mutex_);
      open_ = true;
    }
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int arrived_ = 0;
  bool open_ = false;
};

struct Opener {
  std::shared_ptr<Gate> gate;
  ~Opener() { gate->open(); }
};

std::string header_of(const Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "<absent>";
}

/// The routes most tests use. `echo_calls` counts the POST /echo handler's calls.
Router basic_router(std::atomic<int>* echo_calls = nullptr) {
  Router router;
  router.add("GET", "/hello", [](const Request&) { return text("xin chào"); });
  router.add("GET", "/api/v1/dossiers/{code}",
             [](const Request& r) { return text(std::string(*r.param("code"))); });
  router.add("GET", "/query", [](const Request& r) {
    return text(r.query_param("name").value_or("<none>") + "|" +
                r.query_param("city").value_or("<none>"));
  });
  router.add("GET", "/whoami", [](const Request& r) { return text(r.remote); });
  router.add("POST", "/echo", [echo_calls](const Request& r) {
    if (echo_calls != nullptr) ++*echo_calls;
    Response response = text(r.body);
    response.headers.emplace_back("X-Method", r.method);
    response.headers.emplace_back("X-Content-Type",
                                  std::string(r.header("content-type").value_or("")));
    return response;
  });
  router.add("GET", "/throw",
             [](const Request&) -> Response { throw std::runtime_error("boom in handler"); });
  router.add("GET", "/headers", [](const Request&) {
    Response r = text("h");
    r.headers.emplace_back("X-Good", "yes");
    r.headers.emplace_back("X-Split", "a\r\nInjected: 1");
    r.headers.emplace_back("Content-Length", "999");
    return r;
  });
  return router;
}

ClientRequest get(std::string target) {
  ClientRequest r;
  r.target = std::move(target);
  return r;
}

using tthc::test::RawSocket;

// --- routing, headers, encoding --------------------------------------------------------------

TEST(HttpServer, RoutesOverTheWireWithStandardHeaders) {
  auto server = start_server(test_options(), basic_router());
  auto hello = tthc::http::request(kHost, server->port(), get("/hello"));
  ASSERT_TRUE(hello) << hello.error().message;
  EXPECT_EQ(hello->status, 200);
  EXPECT_EQ(hello->body, "xin chào");
  EXPECT_EQ(hello->content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(header_of(*hello, "server"), "tthc-monitor");
  EXPECT_EQ(header_of(*hello, "content-length"), std::to_string(std::string("xin chào").size()));

  auto code =
      tthc::http::request(kHost, server->port(), get("/api/v1/dossiers/000.00.10.H56-240101-0001"));
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(code->body, "000.00.10.H56-240101-0001");

  auto missing = tthc::http::request(kHost, server->port(), get("/nope"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->content_type, "application/json");
  EXPECT_EQ(missing->body, R"({"error":"no route for /nope"})");

  ClientRequest put = get("/hello");
  put.method = "PUT";
  auto wrong = tthc::http::request(kHost, server->port(), put);
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(header_of(*wrong, "allow"), "GET, HEAD");
  EXPECT_EQ(header_of(*wrong, "server"), "tthc-monitor");
}

TEST(HttpServer, DecodesVietnamesePathSegmentsAndQueryParams) {
  auto server = start_server(test_options(), basic_router());
  auto code = tthc::http::request(kHost, server->port(),
                                  get("/api/v1/dossiers/H%C3%A0%20N%E1%BB%99i%2F01"));
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(code->body, "Hà Nội/01");

  auto query = tthc::http::request(
      kHost, server->port(),
      get("/query?name=Nguy%E1%BB%85n%20V%C4%83n%20A&city=H%C3%A0+N%E1%BB%99i"));
  ASSERT_TRUE(query) << query.error().message;
  EXPECT_EQ(query->body, "Nguyễn Văn A|Hà Nội");
}

TEST(HttpServer, PostBodyAndHeadersReachTheHandler) {
  std::atomic<int> calls{0};
  auto server = start_server(test_options(), basic_router(&calls));
  ClientRequest post = get("/echo");
  post.method = "POST";
  post.content_type = "application/json";
  post.body = R"({"MaHoSo":"H56-1","TrangThai":"Đã tiếp nhận"})";
  auto echoed = tthc::http::request(kHost, server->port(), post);
  ASSERT_TRUE(echoed) << echoed.error().message;
  EXPECT_EQ(echoed->body, post.body);
  EXPECT_EQ(header_of(*echoed, "x-method"), "POST");
  EXPECT_EQ(header_of(*echoed, "x-content-type"), "application/json");
  EXPECT_EQ(calls, 1);
}

TEST(HttpServer, HeadGetsTheHeadersOfGetWithoutABody) {
  auto server = start_server(test_options(), basic_router());
  ClientRequest head = get("/hello");
  head.method = "HEAD";
  auto connection = Connection::open(kHost, server->port());
  ASSERT_TRUE(connection) << connection.error().message;
  auto reply = connection->send(head);
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "");
  EXPECT_EQ(header_of(*reply, "content-length"), std::to_string(std::string("xin chào").size()));
  // No stray body bytes were sent: the next response on the connection parses.
  auto after = connection->send(get("/hello"));
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->body, "xin chào");
}

TEST(HttpServer, HandlerHeadersAreSentButCannotSplitOrReframeTheResponse) {
  auto server = start_server(test_options(), basic_router());
  RawSocket raw(server->port());
  ASSERT_TRUE(raw.connected());
  ASSERT_TRUE(raw.send("GET /headers HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto reply = raw.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_NE(reply->head.find("\r\nx-good: yes"), std::string::npos);
  EXPECT_EQ(reply->head.find("injected"), std::string::npos);
  EXPECT_NE(reply->head.find("\r\ncontent-length: 1"), std::string::npos);
  EXPECT_EQ(reply->head.find("999"), std::string::npos);
  EXPECT_EQ(reply->body, "h");
}

// --- connections -----------------------------------------------------------------------------

TEST(HttpServer, KeepAliveServesManyRequestsOnOneConnection) {
  auto server = start_server(test_options(), basic_router());
  auto connection = Connection::open(kHost, server->port());
  ASSERT_TRUE(connection) << connection.error().message;
  std::string first_remote;
  for (int i = 0; i < 500; ++i) {
    auto reply = connection->send(get("/whoami"));
    ASSERT_TRUE(reply) << "request " << i << ": " << reply.error().message;
    ASSERT_EQ(reply->status, 200);
    if (i == 0) first_remote = reply->body;
    ASSERT_EQ(reply->body, first_remote) << "a new connection at request " << i;
  }
  EXPECT_TRUE(connection->is_open());
  EXPECT_EQ(first_remote.rfind("127.0.0.1:", 0), 0U) << first_remote;
  EXPECT_EQ(server->stats().requests, 500U);
}

TEST(HttpServer, PipelinedRequestsAreAnsweredInOrder) {
  auto server = start_server(test_options(), basic_router());
  RawSocket raw(server->port());
  ASSERT_TRUE(raw.connected());
  ASSERT_TRUE(
      raw.send("GET /api/v1/dossiers/one HTTP/1.1\r\nHost: x\r\n\r\n"
               "GET /api/v1/dossiers/two HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto first = raw.read_reply();
  auto second = raw.read_reply();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, "one");
  EXPECT_EQ(second->body, "two");
}

TEST(HttpServer, ServesConcurrentClients) {
  ServerOptions options = test_options();
  options.io_threads = 2;
  options.worker_threads = 4;
  auto server = start_server(options, basic_router());
  constexpr int kThreads = 8;
  constexpr int kRequests = 200;
  std::atomic<int> ok{0};
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto connection = Connection::open(kHost, server->port());
      if (!connection) {
        failures[static_cast<std::size_t>(t)] = connection.error().message;
        return;
      }
      for (int i = 0; i < kRequests; ++i) {
        const std::string name = "t" + std::to_string(t) + "-" + std::to_string(i);
        auto reply = connection->send(get("/query?name=" + name + "&city=x"));
        if (!reply || reply->status != 200 || reply->body != name + "|x") {
          failures[static_cast<std::size_t>(t)] =
              reply ? "wrong reply " + reply->body : reply.error().message;
          return;
        }
        ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& failure : failures) EXPECT_EQ(failure, "");
  EXPECT_EQ(ok, kThreads * kRequests);
  EXPECT_EQ(server->stats().requests, static_cast<std::uint64_t>(kThreads * kRequests));
}

TEST(HttpServer, ConnectionsBeyondTheLimitAreClosedAtOnceWhenNoneWaits) {
  ServerOptions options = test_options();
  options.max_connections = 1;
  auto server = start_server(options, basic_router());
  RawSocket first(server->port());
  ASSERT_TRUE(first.connected());
  ASSERT_TRUE(first.send("GET /hello HTTP/1.1\r\n"));  // a request in progress: it stays
  ASSERT_TRUE(tthc::test::await([&] { return server->stats().connections == 1; }, 5s));

  RawSocket second(server->port());
  ASSERT_TRUE(second.connected());  // the kernel accepts; the server closes it
  EXPECT_TRUE(second.wait_closed());
  EXPECT_EQ(second.received(), "");
  EXPECT_EQ(server->stats().rejected_overload, 1U);
  EXPECT_EQ(server->stats().refused_full, 1U);

  ASSERT_TRUE(first.send("Host: x\r\n\r\n"));
  const auto reply = first.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
}

TEST(HttpServer, AConnectionWaitingForARequestMakesRoomForANewOne) {
  ServerOptions options = test_options();
  options.max_connections = 1;
  auto server = start_server(options, basic_router());
  RawSocket kept(server->port());
  ASSERT_TRUE(kept.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(kept.read_reply());  // now idle, kept alive

  RawSocket next(server->port());
  ASSERT_TRUE(next.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto reply = next.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_TRUE(kept.wait_closed());
  EXPECT_EQ(server->stats().evicted_idle, 1U);
  EXPECT_EQ(server->stats().rejected_overload, 0U);
}

/// The status of one GET on a fresh connection from `from`; 0 when closed unanswered.
int status_of(std::uint16_t port, const std::string& path, const char* from,
              std::string* head = nullptr) {
  RawSocket raw(port, from);
  if (!raw.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")) return 0;
  const auto reply = raw.read_reply();
  if (head != nullptr && reply) *head = reply->head;
  return reply ? reply->status : 0;
}

TEST(HttpServer, OneClientHoldsAtMostItsShareAndSilentOnesGiveWay) {
  ServerOptions options = test_options();
  options.max_connections = 32;
  options.max_connections_per_client = 8;
  auto server = start_server(options, basic_router());
  const std::uint16_t port = server->port();
  // One client opens 40 connections and says nothing: 8 are kept, the rest closed at once.
  std::vector<std::unique_ptr<RawSocket>> silent;
  for (int i = 0; i < 40; ++i) silent.push_back(std::make_unique<RawSocket>(port, "127.0.0.1"));
  ASSERT_TRUE(tthc::test::await([&] { return server->stats().refused_client_share == 32; }, 5s));
  EXPECT_EQ(server->stats().connections, 8U);
  EXPECT_TRUE(silent.back()->wait_closed(1s));
  // Three more clients fill the cap with silent connections of their share each.
  for (const char* from : {"127.0.0.10", "127.0.0.11", "127.0.0.12"}) {
    for (int i = 0; i < 8; ++i) silent.push_back(std::make_unique<RawSocket>(port, from));
  }
  ASSERT_TRUE(tthc::test::await([&] { return server->stats().connections == 32; }, 5s));

  // Others are still served, each taking the place of the connection silent the longest.
  EXPECT_EQ(status_of(port, "/hello", "127.0.0.2"), 200);
  EXPECT_EQ(status_of(port, "/whoami", "127.0.0.3"), 200);
  // (the first makes room and leaves it: the second may find it free)
  EXPECT_TRUE(tthc::test::await([&] { return server->stats().evicted_idle >= 1; }, 5s));
  EXPECT_TRUE(silent.front()->wait_closed(1s));
}

TEST(HttpServer, SilentOrTricklingConnectionsAreClosedAtTheHeaderTimeout) {
  ServerOptions options = test_options();
  options.header_timeout = 200ms;
  auto server = start_server(options, basic_router());
  RawSocket silent(server->port());
  RawSocket trickling(server->port());
  ASSERT_TRUE(trickling.send("GET /hello HTTP/1.1\r\nHost: x\r\n"));  // the head never ends
  const auto opened = Clock::now();
  EXPECT_TRUE(silent.wait_closed(3s));
  EXPECT_TRUE(trickling.wait_closed(3s));
  EXPECT_GE(Clock::now() - opened, 150ms);
  EXPECT_EQ(trickling.received(), "");

  // A kept-alive connection may wait longer for its next request (idle_timeout), then gets
  // header_timeout for the head again.
  RawSocket kept(server->port());
  ASSERT_TRUE(kept.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(kept.read_reply());
  std::this_thread::sleep_for(400ms);
  ASSERT_TRUE(kept.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(kept.read_reply());
  ASSERT_TRUE(kept.send("GET /hello HTTP/1.1\r\n"));
  EXPECT_TRUE(kept.wait_closed(3s));
  server->stop();  // every handler has run: the counts are final
  EXPECT_EQ(server->stats().header_timeouts, 3U);
  EXPECT_EQ(server->stats().timeouts, 3U);
  EXPECT_EQ(server->stats().requests, 2U);
}

TEST(HttpServer, AtTheFullCapTheReserveAnswersProbesOnly) {
  ServerOptions options = test_options();
  options.max_connections = 4;
  options.reserve_connections = 2;
  options.reserved_paths = {"/healthz"};
  Router router = basic_router();
  router.add("GET", "/healthz", [](const Request&) { return text("ok"); });
  auto server = start_server(options, std::move(router));
  const std::uint16_t port = server->port();
  // Every slot busy with a request whose head is still coming (none can be closed for room).
  std::vector<std::unique_ptr<RawSocket>> busy;
  for (int i = 0; i < 4; ++i) {
    busy.push_back(std::make_unique<RawSocket>(port));
    ASSERT_TRUE(busy.back()->send("GET /hello HTTP/1.1\r\n"));
  }
  ASSERT_TRUE(tthc::test::await([&] { return server->stats().connections == 4; }, 5s));

  std::string head;
  EXPECT_EQ(status_of(port, "/healthz", nullptr, &head), 200);
  EXPECT_NE(head.find("connection: close"), std::string::npos);
  EXPECT_EQ(status_of(port, "/hello", nullptr, &head), 503);
  EXPECT_NE(head.find("retry-after: 1"), std::string::npos);

  // The reserve full too (once the probes' connections are gone): a new connection is closed
  // at once.
  ASSERT_TRUE(tthc::test::await([&] { return server->stats().connections == 4; }, 5s));
  for (int i = 0; i < 2; ++i) {
    busy.push_back(std::make_unique<RawSocket>(port));
    ASSERT_TRUE(busy.back()->send("GET /healthz HTTP/1.1\r\n"));
  }
  ASSERT_TRUE(tthc::test::await([&] { return server->stats().connections == 6; }, 5s));
  EXPECT_EQ(status_of(port, "/healthz", nullptr), 0);
  const Server::Stats stats = server->stats();
  EXPECT_EQ(stats.reserve_served, 1U);
  EXPECT_EQ(stats.reserve_refused, 1U);
  EXPECT_EQ(stats.refused_full, 1U);
  EXPECT_EQ(stats.rejected_overload, 2U);
}

// --- bad input -------------------------------------------------------------------------------

TEST(HttpServer, MalformedRequestLineGets400ThenClose) {
  std::atomic<int> calls{0};
  auto server = start_server(test_options(), basic_router(&calls));
  RawSocket raw(server->port());
  ASSERT_TRUE(raw.connected());
  ASSERT_TRUE(raw.send("THIS IS NOT HTTP\r\n\r\n"));
  auto reply = raw.read_reply();
  ASSERT_TRUE(reply) << raw.received();
  EXPECT_EQ(reply->status, 400);
  EXPECT_NE(reply->head.find("content-type: application/json"), std::string::npos);
  EXPECT_EQ(reply->body.rfind("{\"error\":\"malformed request", 0), 0U) << reply->body;
  EXPECT_NE(reply->head.find("connection: close"), std::string::npos);
  EXPECT_TRUE(raw.wait_closed());
  EXPECT_EQ(server->stats().bad_requests, 1U);

  // The server still serves others.
  auto hello = tthc::http::request(kHost, server->port(), get("/hello"));
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->status, 200);
}

TEST(HttpServer, BadPercentEscapeInTargetGets400) {
  auto server = start_server(test_options(), basic_router());
  auto reply = tthc::http::request(kHost, server->port(), get("/api/v1/dossiers/a%zz"));
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->status, 400);
  EXPECT_EQ(server->stats().bad_requests, 1U);
}

TEST(HttpServer, OversizedHeadGets431) {
  ServerOptions options = test_options();
  options.header_limit = 1024;
  auto server = start_server(options, basic_router());
  RawSocket raw(server->port());
  ASSERT_TRUE(raw.connected());
  ASSERT_TRUE(
      raw.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n"));
  auto reply = raw.read_reply();
  ASSERT_TRUE(reply) << raw.received();
  EXPECT_EQ(reply->status, 431);
  EXPECT_TRUE(raw.wait_closed());
}

TEST(HttpServer, BodyOverTheLimitByContentLengthGets413BeforeTheBodyIsSent) {
  std::atomic<int> calls{0};
  ServerOptions options = test_options();
  options.body_limit = 1024;
  auto server = start_server(options, basic_router(&calls));
  RawSocket raw(server->port());
  ASSERT_TRUE(raw.connected());
  // Only the head: the server must answer from Content-Length alone.
  ASSERT_TRUE(raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"));
  auto reply = raw.read_reply();
  ASSERT_TRUE(reply) << raw.received();
  EXPECT_EQ(reply->status, 413);
  EXPECT_EQ(reply->body, R"({"error":"request body larger than 1024 bytes"})");
  EXPECT_TRUE(raw.wait_closed());
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(server->stats().rejected_too_large, 1U);
}

// An endpoint whose clients read a body of their own gets it on the server's own refusals.
TEST(HttpServer, RefusalBodyShapesTheServersOwn413ForItsPath) {
  std::atomic<int> calls{0};
  ServerOptions options = test_options();
  options.body_limit = 1024;
  options.refusal_body = [](std::string_view path, int status, std::string_view reason) {
    if (path != "/echo") return std::string();
    return R"({"code":")" + std::to_string(status) + R"(","why":")" + std::string(reason) + "\"}";
  };
  auto server = start_server(options, basic_router(&calls));
  for (const auto& [target, body] :
       {std::pair<std::string, std::string>{
            "/echo?x=1", R"({"code":"413","why":"request body larger than 1024 bytes"})"},
        {"/other", R"({"error":"request body larger than 1024 bytes"})"}}) {
    RawSocket raw(server->port());
    ASSERT_TRUE(raw.connected());
    ASSERT_TRUE(
        raw.send("POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"));
    auto reply = raw.read_reply();
    ASSERT_TRUE(reply) << raw.received();
    EXPECT_EQ(reply->status, 413);
    EXPECT_EQ(reply->body, body);
  }
  EXPECT_EQ(calls, 0);
}

TEST(HttpServer, BodyOverTheLimitSentInFullStillGets413) {
  std::atomic<int> calls{0};
  ServerOptions options = test_options();
  options.body_limit = 1024;
  auto server = start_server(options, basic_router(&calls));
  ClientRequest post = get("/echo");
  post.method = "POST";
  // More than the socket buffers hold: the client is still writing when the server answers,
  // so closing at once would reset the connection and the client would never see the 413.
  post.body = std::string(16 * 1024 * 1024, 'x');
  auto reply = tthc::http::request(kHost, server->port(), post);
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->status, 413);
  EXPECT_EQ(calls, 0);

  post.body = std::string(1024, 'y');  // exactly the limit is fine
  auto fits = tthc::http::request(kHost, server->port(), post);
  ASSERT_TRUE(fits) << fits.error().message;
  EXPECT_EQ(fits->status, 200);
  EXPECT_EQ(fits->body, post.body);
}

TEST(HttpServer, ChunkedBodiesAreReadAndLimited) {
  std::atomic<int> calls{0};
  ServerOptions options = test_options();
  options.body_limit = 1024;
  auto server = start_server(options, basic_router(&calls));
  {
    RawSocket raw(server->port());
    ASSERT_TRUE(raw.connected());
    ASSERT_TRUE(
        raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
    auto reply = raw.read_reply();
    ASSERT_TRUE(reply) << raw.received();
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->body, "hello world");
  }
  RawSocket raw(server->port());
  ASSERT_TRUE(raw.connected());
  std::string chunks;
  for (int i = 0; i < 3; ++i) chunks += "200\r\n" + std::string(512, 'z') + "\r\n";  // 1536 bytes
  ASSERT_TRUE(raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                       chunks + "0\r\n\r\n"));
  auto reply = raw.read_reply();
  ASSERT_TRUE(reply) << raw.received();
  EXPECT_EQ(reply->status, 413);
  EXPECT_TRUE(raw.wait_closed());
  EXPECT_EQ(calls, 1);  // only the small body reached the handler
  EXPECT_EQ(server->stats().rejected_too_large, 1U);
}

TEST(HttpServer, ExpectContinueGets100ThenTheResponse) {
  auto server = start_server(test_options(), basic_router());
  RawSocket raw(server->port());
  ASSERT_TRUE(raw.connected());
  ASSERT_TRUE(raw.send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
  auto interim = raw.read_reply();
  ASSERT_TRUE(interim) << raw.received();
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(raw.send("hello"));
  auto reply = raw.read_reply();
  ASSERT_TRUE(reply) << raw.received();
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "hello");
}

TEST(HttpServer, HandlerExceptionGives500AndTheServerCarriesOn) {
  const LogLines log;
  ServerOptions options = test_options();
  options.log = log.sink();
  auto server = start_server(options, basic_router());
  auto connection = Connection::open(kHost, server->port());
  ASSERT_TRUE(connection);
  auto failed = connection->send(get("/throw"));
  ASSERT_TRUE(failed) << failed.error().message;
  EXPECT_EQ(failed->status, 500);
  EXPECT_EQ(failed->body, R"({"error":"internal server error"})");  // no internals leak out
  auto next = connection->send(get("/hello"));                      // same connection
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(server->stats().handler_errors, 1U);
  const std::vector<std::string> lines = log.lines();
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_NE(lines.front().find("GET /throw"), std::string::npos);
  EXPECT_NE(lines.front().find("boom in handler"), std::string::npos);
}

// --- timeouts and overload -------------------------------------------------------------------

TEST(HttpServer, SlowClientIsClosedAtTheReadTimeout) {
  ServerOptions options = test_options();
  options.read_timeout = 200ms;
  auto server = start_server(options, basic_router());
  RawSocket raw(server->port());
  ASSERT_TRUE(raw.connected());
  const auto sent = Clock::now();
  ASSERT_TRUE(raw.send("GET /hello HTTP/1.1\r\nHost: x\r\n"));  // the head never ends
  ASSERT_TRUE(raw.wait_closed(10s));
  const auto waited = Clock::now() - sent;
  EXPECT_GE(waited, 150ms);
  EXPECT_LT(waited, 5s);
  EXPECT_EQ(raw.received(), "");
  // The timer closes the socket before the read's handler counts the timeout; after stop
  // every handler has run.
  server->stop();
  EXPECT_EQ(server->stats().timeouts, 1U);
  EXPECT_EQ(server->stats().requests, 0U);
}

TEST(HttpServer, IdleKeepAliveConnectionIsClosedWithoutCountingATimeout) {
  ServerOptions options = test_options();
  options.idle_timeout = 100ms;
  auto server = start_server(options, basic_router());
  RawSocket raw(server->port());
  ASSERT_TRUE(raw.connected());
  ASSERT_TRUE(raw.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(raw.read_reply());
  EXPECT_TRUE(raw.wait_closed(10s));
  server->stop();  // every handler has run: the count is final
  EXPECT_EQ(server->stats().timeouts, 0U);
  EXPECT_EQ(server->stats().requests, 1U);
}

TEST(HttpServer, FullWorkerQueueGives503) {
  auto gate = std::make_shared<Gate>();
  ServerOptions options = test_options();
  options.worker_threads = 1;
  options.max_queued_requests = 1;
  Router router;
  router.add("GET", "/block", [gate](const Request&) {
    gate->arrive_and_wait();
    return text("done");
  });
  auto server = start_server(options, std::move(router));
  const Opener opener{gate};

  // The only worker is busy...
  auto busy = std::async(std::launch::async,
                         [&] { return tthc::http::request(kHost, server->port(), get("/block")); });
  ASSERT_TRUE(gate->wait_arrived(1));

  // ...so of three more requests one waits in the queue and two are refused, whatever their
  // order of arrival. The refusals come back while the gate is still shut.
  std::mutex mutex;
  std::condition_variable changed;
  int refused = 0;
  std::vector<std::future<int>> others;
  for (int i = 0; i < 3; ++i) {
    others.push_back(std::async(std::launch::async, [&] {
      auto reply = tthc::http::request(kHost, server->port(), get("/block"));
      const int status = reply ? reply->status : -1;
      if (status == 503) {
        const std::lock_guard lock(mutex);
        ++refused;
        changed.notify_all();
      }
      return status;
    }));
  }
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return refused == 2; }));
  }
  EXPECT_EQ(server->stats().rejected_overload, 2U);
  gate->open();
  auto first = busy.get();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  int served = 0;
  for (auto& other : others) served += other.get() == 200 ? 1 : 0;
  EXPECT_EQ(served, 1);
}

// --- lifecycle -------------------------------------------------------------------------------

TEST(HttpServer, GracefulStopLetsTheRequestInFlightFinish) {
  auto gate = std::make_shared<Gate>();
  Router router;
  router.add("GET", "/slow", [gate](const Request&) {
    gate->arrive_and_wait();
    return text("finished");
  });
  auto server = start_server(test_options(), std::move(router));
  const Opener opener{gate};
  const std::uint16_t port = server->port();

  auto in_flight = std::async(std::launch::async,
                              [&] { return tthc::http::request(kHost, port, get("/slow")); });
  ASSERT_TRUE(gate->wait_arrived(1));
  auto stopped = std::async(std::launch::async, [&] { server->stop(10s); });

  // Stop has begun once the port refuses connections (no other event to await).
  const auto deadline = Clock::now() + 10s;
  while (RawSocket(port).connected()) {
    ASSERT_LT(Clock::now(), deadline) << "the listener was not closed";
    std::this_thread::sleep_for(2ms);
  }
  EXPECT_EQ(stopped.wait_for(0s), std::future_status::timeout) << "stop did not wait";

  gate->open();
  auto reply = in_flight.get();
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "finished");
  EXPECT_EQ(header_of(*reply, "connection"), "close");
  ASSERT_EQ(stopped.wait_for(10s), std::future_status::ready);
}

TEST(HttpServer, StopClosesConnectionsStillBusyAfterTheGrace) {
  auto gate = std::make_shared<Gate>();
  Router router;
  router.add("GET", "/stuck", [gate](const Request&) {
    gate->arrive_and_wait();
    return text("too late");
  });
  auto server = start_server(test_options(), std::move(router));
  const Opener opener{gate};
  const std::uint16_t port = server->port();

  auto in_flight = std::async(std::launch::async,
                              [&] { return tthc::http::request(kHost, port, get("/stuck")); });
  ASSERT_TRUE(gate->wait_arrived(1));
  auto stopped = std::async(std::launch::async, [&] { server->stop(100ms); });
  // The client's connection is closed after the grace although the handler still runs.
  ASSERT_EQ(in_flight.wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(in_flight.get());
  gate->open();  // stop waits for running handlers: let it finish
  ASSERT_EQ(stopped.wait_for(10s), std::future_status::ready);
}

TEST(HttpServer, StopClosesIdleConnectionsWithoutWaitingForTheGrace) {
  auto server = start_server(test_options(), basic_router());
  auto connection = Connection::open(kHost, server->port());
  ASSERT_TRUE(connection);
  ASSERT_TRUE(connection->send(get("/hello")));
  RawSocket idle(server->port());  // connected, never sends
  ASSERT_TRUE(idle.connected());
  const auto started = Clock::now();
  server->stop(30s);
  EXPECT_LT(Clock::now() - started, 5s);
  EXPECT_TRUE(idle.wait_closed(1s));
  EXPECT_FALSE(connection->send(get("/hello")));
}

TEST(HttpServer, StopIsIdempotentAndStartOnceOnly) {
  Server never_started(test_options(), basic_router());
  never_started.stop();  // before start: nothing to do
  EXPECT_EQ(never_started.port(), 0);

  auto server = start_server(test_options(), basic_router());
  auto again = server->start();
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("already running"), std::string::npos);
  server->stop();
  server->stop();
  server->stop(0ms);
  auto restart = server->start();
  ASSERT_FALSE(restart);
  EXPECT_NE(restart.error().message.find("stopped"), std::string::npos);
}

TEST(HttpServer, DestructorWithoutStopShutsDown) {
  std::uint16_t port = 0;
  {
    auto server = start_server(test_options(), basic_router());
    port = server->port();
    auto connection = Connection::open(kHost, port);
    ASSERT_TRUE(connection);
    ASSERT_TRUE(connection->send(get("/hello")));
  }  // ~Server with a live keep-alive connection
  EXPECT_FALSE(RawSocket(port).connected());
}

TEST(HttpServer, StartOnAPortInUseNamesThePort) {
  auto first = start_server(test_options(), basic_router());
  ServerOptions options = test_options();
  options.port = first->port();
  Server second(options, basic_router());
  auto started = second.start();
  ASSERT_FALSE(started);
  const std::string& message = started.error().message;
  EXPECT_NE(message.find("127.0.0.1:" + std::to_string(first->port())), std::string::npos)
      << message;
  EXPECT_NE(message.find("in use"), std::string::npos) << message;
}

TEST(HttpServer, InvalidOptionsAndAddressesAreStartErrors) {
  ServerOptions options = test_options();
  options.worker_threads = 0;
  Server no_workers(options, basic_router());
  auto started = no_workers.start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("worker_threads"), std::string::npos);

  ServerOptions bad_address = test_options();
  bad_address.address = "no-such-host.invalid";
  Server unresolvable(bad_address, basic_router());
  auto unresolved = unresolvable.start();
  ASSERT_FALSE(unresolved);
  EXPECT_NE(unresolved.error().message.find("no-such-host.invalid:0"), std::string::npos);
}

TEST(HttpClient, ReportsConnectionRefusedWithTheAddress) {
  std::uint16_t port = 0;
  {
    auto server = start_server(test_options(), basic_router());
    port = server->port();
  }
  auto reply = tthc::http::request(kHost, port, get("/hello"));
  ASSERT_FALSE(reply);
  EXPECT_NE(reply.error().message.find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << reply.error().message;
}

}  // namespace
