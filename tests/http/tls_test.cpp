// HTTPS between the module's server and client on 127.0.0.1, port 0, with a throwaway PKI made
// in a temp folder by the OpenSSL C API: a CA, a server certificate it signs for localhost and
// 127.0.0.1, and a self-signed server certificate. Also parse_url.

#include "http/client.hpp"
#include "http/server.hpp"
#include "http/server_support.hpp"
#include "support/raw_socket.hpp"
#include "support/temp_dir.hpp"
#include "support/test_pki.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using tthc::http::ClientOptions;
using tthc::http::ClientRequest;
using tthc::http::Connection;
using tthc::http::Request;
using tthc::http::Response;
using tthc::http::Router;
using tthc::http::Server;
using tthc::http::ServerOptions;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr const char* kHost = "127.0.0.1";

using tthc::test::pki;
using tthc::test::text;

// --- helpers ---------------------------------------------------------------------------------

Router router() {
  Router r;
  r.add("GET", "/hello", [](const Request&) { return text("xin chào"); });
  r.add("GET", "/whoami", [](const Request& q) { return text(q.remote); });
  r.add("GET", "/host",
        [](const Request& q) { return text(std::string(q.header("host").value_or(""))); });
  r.add("POST", "/echo", [](const Request& q) { return text(q.body); });
  return r;
}

ServerOptions tls_options(bool self_signed = false) {
  ServerOptions o = tthc::test::test_options();
  o.handshake_timeout = 5s;
  o.tls_cert_file = self_signed ? pki().self_signed_cert : pki().server_cert;
  o.tls_key_file = self_signed ? pki().self_signed_key : pki().server_key;
  return o;
}

std::unique_ptr<Server> start_server(ServerOptions options) {
  auto server = std::make_unique<Server>(std::move(options), router());
  const auto port = server->start();
  if (!port) throw std::runtime_error("start failed: " + port.error().message);
  return server;
}

ClientOptions trusting() {
  ClientOptions o;
  o.tls = true;
  o.ca_file = pki().ca_cert;
  return o;
}

ClientRequest get(std::string target) {
  ClientRequest r;
  r.target = std::move(target);
  return r;
}

std::string where(const Server& server) {
  return std::string(kHost) + ':' + std::to_string(server.port());
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// The server counts a failed handshake on its own thread, possibly after the client has seen
/// the failure: the count is awaited (stop could otherwise cancel the handshake first).
bool eventually(const std::function<bool()>& condition) {
  return tthc::test::await(condition, 10s, 1ms);
}

/// A TCP connection that sends nothing: tells when the peer closes it.
using SilentSocket = tthc::test::RawSocket;

/// A listening socket that never accepts: the kernel completes connections, nobody answers.
class DeafListener {
 public:
  DeafListener() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = 0;
    ::inet_pton(AF_INET, kHost, &address.sin_addr);
    socklen_t size = sizeof address;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), size) != 0 ||
        ::listen(fd_, 8) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      throw std::runtime_error("cannot listen");
    }
    port_ = ntohs(address.sin_port);
  }
  ~DeafListener() { ::close(fd_); }
  DeafListener(const DeafListener&) = delete;
  DeafListener& operator=(const DeafListener&) = delete;
  std::uint16_t port() const { return port_; }

 private:
  int fd_;
  std::uint16_t port_ = 0;
};

// --- HTTPS -----------------------------------------------------------------------------------

TEST(Tls, RequestSucceedsWithTheCaFile) {
  auto server = start_server(tls_options());
  auto hello = tthc::http::request(kHost, server->port(), get("/hello"), trusting());
  ASSERT_TRUE(hello) << hello.error().message;
  EXPECT_EQ(hello->status, 200);
  EXPECT_EQ(hello->body, "xin chào");

  // By name: SNI and the DNS name in the certificate; the Host header names it too.
  ClientOptions by_name = trusting();
  by_name.server_name = "localhost";
  auto host = tthc::http::request(kHost, server->port(), get("/host"), by_name);
  ASSERT_TRUE(host) << host.error().message;
  EXPECT_EQ(host->body, "localhost:" + std::to_string(server->port()));

  server->stop();
  EXPECT_EQ(server->stats().requests, 2U);
  EXPECT_EQ(server->stats().tls_handshake_failures, 0U);
}

TEST(Tls, WithoutTheCaFileTheDefaultTrustStoreRefusesTheServer) {
  auto server = start_server(tls_options());
  ClientOptions defaults;
  defaults.tls = true;
  auto reply = tthc::http::request(kHost, server->port(), get("/hello"), defaults);
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().message, "TLS handshake with " + where(*server) +
                                       " failed: certificate verify failed (unable to get local "
                                       "issuer certificate)");
  EXPECT_TRUE(eventually([&] { return server->stats().tls_handshake_failures == 1; }));
  EXPECT_EQ(server->stats().requests, 0U);
}

TEST(Tls, SelfSignedServerCertificateIsRefusedUnlessTrustedOrUnverified) {
  auto server = start_server(tls_options(/*self_signed=*/true));
  auto refused = tthc::http::request(kHost, server->port(), get("/hello"), trusting());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "TLS handshake with " + where(*server) +
                                         " failed: certificate verify failed (self-signed "
                                         "certificate)");

  ClientOptions pinned = trusting();
  pinned.ca_file = pki().self_signed_cert;  // a self-signed certificate is its own CA
  auto trusted = tthc::http::request(kHost, server->port(), get("/hello"), pinned);
  ASSERT_TRUE(trusted) << trusted.error().message;

  ClientOptions unverified;
  unverified.tls = true;
  unverified.verify_peer = false;
  auto blind = tthc::http::request(kHost, server->port(), get("/hello"), unverified);
  ASSERT_TRUE(blind) << blind.error().message;
  EXPECT_EQ(blind->body, "xin chào");
}

TEST(Tls, WrongServerNameIsRefused) {
  auto server = start_server(tls_options());
  ClientOptions wrong = trusting();
  wrong.server_name = "wrong.example";
  auto reply = tthc::http::request(kHost, server->port(), get("/hello"), wrong);
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().message, "TLS handshake with " + where(*server) +
                                       " failed: certificate verify failed (hostname mismatch)");

  ClientOptions wrong_ip = trusting();
  wrong_ip.server_name = "127.0.0.2";
  auto ip = tthc::http::request(kHost, server->port(), get("/hello"), wrong_ip);
  ASSERT_FALSE(ip);
  EXPECT_TRUE(contains(ip.error().message, "certificate verify failed (IP address mismatch)"))
      << ip.error().message;
}

TEST(Tls, UnreadableCaFileIsAClearError) {
  ClientOptions missing = trusting();
  missing.ca_file = pki().dir.file("no-such-ca.pem");
  auto reply = tthc::http::request(kHost, 443, get("/"), missing);
  ASSERT_FALSE(reply);
  EXPECT_TRUE(contains(reply.error().message,
                       "cannot connect to 127.0.0.1:443: cannot read the "
                       "CA file " +
                           missing.ca_file->string()))
      << reply.error().message;
}

TEST(Tls, KeepAliveServesManyRequestsOnOneConnection) {
  auto server = start_server(tls_options());
  auto connection = Connection::open(kHost, server->port(), trusting());
  ASSERT_TRUE(connection) << connection.error().message;
  std::string first_remote;
  const std::string big(256 * 1024, 'x');  // many TLS records each way
  for (int i = 0; i < 200; ++i) {
    ClientRequest request = get("/whoami");
    if (i % 50 == 49) {
      request.method = "POST";
      request.target = "/echo";
      request.body = big;
    }
    auto reply = connection->send(request);
    ASSERT_TRUE(reply) << "request " << i << ": " << reply.error().message;
    ASSERT_EQ(reply->status, 200);
    if (request.method == "POST") {
      ASSERT_EQ(reply->body, big);
      continue;
    }
    if (first_remote.empty()) first_remote = reply->body;
    ASSERT_EQ(reply->body, first_remote) << "a new connection at request " << i;
  }
  EXPECT_TRUE(connection->is_open());
  server->stop();
  EXPECT_EQ(server->stats().requests, 200U);
  EXPECT_EQ(server->stats().tls_handshake_failures, 0U);
}

TEST(Tls, BodyOverTheLimitGets413AndTheConnectionClosesCleanly) {
  ServerOptions options = tls_options();
  options.body_limit = 1024;
  auto server = start_server(options);
  auto connection = Connection::open(kHost, server->port(), trusting());
  ASSERT_TRUE(connection) << connection.error().message;
  ClientRequest post = get("/echo");
  post.method = "POST";
  post.body = std::string(512 * 1024, 'x');  // sent in full before the response is read
  auto reply = connection->send(post);
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->status, 413);
  EXPECT_FALSE(connection->is_open());  // "Connection: close"

  auto hello = tthc::http::request(kHost, server->port(), get("/hello"), trusting());
  ASSERT_TRUE(hello) << hello.error().message;
  server->stop();
  EXPECT_EQ(server->stats().rejected_too_large, 1U);
}

TEST(Tls, PlainHttpClientFailsCleanlyAndTheServerKeepsServing) {
  auto server = start_server(tls_options());
  auto plain = tthc::http::request(kHost, server->port(), get("/hello"));
  ASSERT_FALSE(plain);
  EXPECT_TRUE(contains(plain.error().message, where(*server))) << plain.error().message;

  auto hello = tthc::http::request(kHost, server->port(), get("/hello"), trusting());
  ASSERT_TRUE(hello) << hello.error().message;
  EXPECT_EQ(hello->body, "xin chào");
  EXPECT_TRUE(eventually([&] { return server->stats().tls_handshake_failures == 1; }));
  EXPECT_EQ(server->stats().requests, 1U);
}

TEST(Tls, TlsClientAgainstAPlainServerFailsCleanly) {
  ServerOptions plain_options = tls_options();
  plain_options.tls_cert_file.reset();
  plain_options.tls_key_file.reset();
  auto server = start_server(plain_options);
  auto reply = tthc::http::request(kHost, server->port(), get("/hello"), trusting());
  ASSERT_FALSE(reply);
  EXPECT_TRUE(contains(reply.error().message, "TLS handshake with " + where(*server) + " failed: "))
      << reply.error().message;
  auto hello = tthc::http::request(kHost, server->port(), get("/hello"));
  ASSERT_TRUE(hello) << hello.error().message;
}

TEST(Tls, ServerClosesAConnectionThatNeverHandshakes) {
  ServerOptions options = tls_options();
  options.handshake_timeout = 200ms;
  auto server = start_server(options);
  SilentSocket silent(server->port());
  ASSERT_TRUE(silent.connected());
  const auto connected = Clock::now();
  ASSERT_TRUE(silent.wait_closed(10s));
  const auto waited = Clock::now() - connected;
  EXPECT_GE(waited, 150ms);
  EXPECT_LT(waited, 5s);

  auto hello = tthc::http::request(kHost, server->port(), get("/hello"), trusting());
  ASSERT_TRUE(hello) << hello.error().message;
  server->stop();  // every handler has run: the counts are final
  EXPECT_EQ(server->stats().tls_handshake_failures, 1U);
  EXPECT_EQ(server->stats().timeouts, 1U);
}

TEST(Tls, StopClosesIdleTlsConnectionsAtOnce) {
  auto server = start_server(tls_options());
  auto connection = Connection::open(kHost, server->port(), trusting());
  ASSERT_TRUE(connection) << connection.error().message;
  ASSERT_TRUE(connection->send(get("/hello")));
  SilentSocket handshaking(server->port());  // still in its handshake
  ASSERT_TRUE(handshaking.connected());
  const auto before = Clock::now();
  server->stop(10s);
  EXPECT_LT(Clock::now() - before, 3s);
  EXPECT_FALSE(connection->send(get("/hello")));
  EXPECT_EQ(server->stats().tls_handshake_failures, 0U);  // closing by stop is not a failure
}

TEST(Tls, ClientHandshakeTimeoutAndOverallDeadline) {
  DeafListener deaf;
  ClientOptions step = trusting();
  step.timeout = 200ms;
  const auto start = Clock::now();
  auto timed_out = Connection::open(kHost, deaf.port(), step);
  ASSERT_FALSE(timed_out);
  EXPECT_TRUE(contains(timed_out.error().message,
                       "TLS handshake with 127.0.0.1:" + std::to_string(deaf.port()) + " failed"))
      << timed_out.error().message;
  EXPECT_LT(Clock::now() - start, 3s);

  ClientOptions overall = trusting();
  overall.timeout = 30s;
  overall.total_timeout = 300ms;
  const auto again = Clock::now();
  auto reply = tthc::http::request(kHost, deaf.port(), get("/"), overall);
  ASSERT_FALSE(reply);
  EXPECT_GE(Clock::now() - again, 250ms);
  EXPECT_LT(Clock::now() - again, 3s);
}

TEST(Tls, ServerStartErrorsNameTheFile) {
  ServerOptions missing = tls_options();
  missing.tls_cert_file = pki().dir.file("no-such-cert.pem");
  Server no_cert(missing, router());
  auto started = no_cert.start();
  ASSERT_FALSE(started);
  EXPECT_TRUE(contains(started.error().message,
                       "cannot load the TLS certificate " + missing.tls_cert_file->string()))
      << started.error().message;

  ServerOptions mismatch = tls_options();
  mismatch.tls_key_file = pki().other_key;
  Server wrong_key(mismatch, router());
  started = wrong_key.start();
  ASSERT_FALSE(started);
  EXPECT_TRUE(contains(started.error().message, pki().other_key.string()))
      << started.error().message;

  ServerOptions half = tls_options();
  half.tls_key_file.reset();
  Server only_cert(half, router());
  started = only_cert.start();
  ASSERT_FALSE(started);
  EXPECT_TRUE(contains(started.error().message, "must be set together")) << started.error().message;
}

// --- parse_url -------------------------------------------------------------------------------

TEST(ParseUrl, HttpAndHttpsWithDefaultAndExplicitPorts) {
  auto a = tthc::http::parse_url("http://dichvucong.example.gov.vn/api/hoso?page=2&limit=50");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_FALSE(a->tls);
  EXPECT_EQ(a->host, "dichvucong.example.gov.vn");
  EXPECT_EQ(a->port, 80);
  EXPECT_EQ(a->target, "/api/hoso?page=2&limit=50");

  auto b = tthc::http::parse_url("HTTPS://motcua.example.vn:8443");
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_TRUE(b->tls);
  EXPECT_EQ(b->host, "motcua.example.vn");
  EXPECT_EQ(b->port, 8443);
  EXPECT_EQ(b->target, "/");

  auto c = tthc::http::parse_url("https://10.0.0.7/x#fragment");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->port, 443);
  EXPECT_EQ(c->host, "10.0.0.7");
  EXPECT_EQ(c->target, "/x");

  auto d = tthc::http::parse_url("http://host:/");
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->port, 80);
}

TEST(ParseUrl, Ipv6LiteralsLoseTheirBrackets) {
  auto a = tthc::http::parse_url("https://[::1]:9443/status");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 9443);
  EXPECT_EQ(a->target, "/status");

  auto b = tthc::http::parse_url("http://[2001:db8::1]");
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->host, "2001:db8::1");
  EXPECT_EQ(b->port, 80);
}

TEST(ParseUrl, PercentEncodingIsKeptAsGiven) {
  auto a =
      tthc::http::parse_url("https://h.example/h%E1%BB%93%20s%C6%A1/a%2Fb?q=Ti%E1%BA%BFn+Giang");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->target, "/h%E1%BB%93%20s%C6%A1/a%2Fb?q=Ti%E1%BA%BFn+Giang");
}

TEST(ParseUrl, BadUrlsAreErrorsNamingTheUrl) {
  for (const std::string bad :
       {"ftp://h.example/", "h.example/path", "", "http://", "http:///path", "http://[::1/x",
        "http://h.example:0/", "http://h.example:65536/", "http://h.example:80x/", "http://h ost/",
        "mailto:a@b.example", "http:/relative"}) {
    auto parsed = tthc::http::parse_url(bad);
    ASSERT_FALSE(parsed) << bad << " -> " << parsed->host;
    EXPECT_TRUE(contains(parsed.error().message, "\"" + bad + "\"")) << parsed.error().message;
  }
  auto secret = tthc::http::parse_url("https://user:secret@h.example/x?y");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().message,
            "not an http(s) URL: \"https://***@h.example/x\": user info (user:password@) is not "
            "supported");
}

}  // namespace
