// The read token's header as RFC 7235 writes it, and error answers that keep the daemon's own
// files out of the body while the log gets the cause.
#include "api/bearer_auth.hpp"
#include "api/dossier_api.hpp"
#include "http/client.hpp"
#include "http/server.hpp"
#include "support/calendar.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

namespace tthc::api {
namespace {

http::Request with_authorization(std::string value) {
  http::Request r;
  r.headers.emplace_back("authorization", std::move(value));
  return r;
}

TEST(BearerAuth, TheSchemeIsCaseInsensitive) {
  const std::optional<std::string> token = "t0k3n";
  for (const char* ok : {"Bearer t0k3n", "bearer t0k3n", "BEARER t0k3n", "Bearer   t0k3n"}) {
    EXPECT_TRUE(bearer_authorised(token, with_authorization(ok))) << ok;
  }
  for (const char* refused : {"Bearer T0K3N", "Basic t0k3n", "Bearer", "Bearer ", "Bearert0k3n",
                              "t0k3n", "Bearer t0k3n "}) {
    EXPECT_FALSE(bearer_authorised(token, with_authorization(refused))) << refused;
  }
  EXPECT_TRUE(bearer_authorised(std::nullopt, http::Request{}));  // no token: open
}

// A server on loopback whose log is kept.
class ServerWithLog : public ::testing::Test {
 protected:
  void start(http::Router router) {
    http::ServerOptions so;
    so.log = [this](LogLevel, std::string_view m) {
      const std::lock_guard lock(mutex);
      logged.emplace_back(m);
    };
    server = std::make_unique<http::Server>(so, std::move(router));
    auto port = server->start();
    ASSERT_TRUE(port) << port.error().message;
    port_ = *port;
  }
  http::Response get(const std::string& target) {
    http::ClientRequest req;
    req.method = "GET";
    req.target = target;
    auto r = http::request("127.0.0.1", port_, req);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : http::Response{};
  }
  std::string log_text() {
    const std::lock_guard lock(mutex);
    std::string all;
    for (const auto& m : logged) all += m + "\n";
    return all;
  }
  void TearDown() override {
    if (server) server->stop();
  }

  std::mutex mutex;
  std::vector<std::string> logged;
  std::unique_ptr<http::Server> server;
  std::uint16_t port_ = 0;
};

TEST_F(ServerWithLog, AnInternalErrorsCauseGoesToTheLogNotTheAnswer) {
  http::Router router;
  router.add("GET", "/x", [](const http::Request&) {
    return http::internal_error(503, "the store cannot be read now",
                                "store: cannot open /var/lib/secret/tthc.db: disk I/O error");
  });
  start(std::move(router));
  const auto r = get("/x");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, R"({"error":"the store cannot be read now"})");
  EXPECT_NE(log_text().find("GET /x: 503: store: cannot open /var/lib/secret/tthc.db"),
            std::string::npos)
      << log_text();
}

TEST_F(ServerWithLog, TheReadApiNamesNoFileWhenTheStoreCannotBeRead) {
  http::Router router;
  const engine::Catalogue catalogue;
  ReadApiOptions o{.catalogue = catalogue, .calendar = test::official_calendar()};
  o.db = "/nonexistent-dir-7f3a/tthc-monitor.db";
  add_read_api(router, system_clock(), o);
  start(std::move(router));
  const auto r = get("/api/v1/dossiers/000.00.12.H42-260302-0001");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body.find("nonexistent-dir-7f3a"), std::string::npos) << r.body;
  EXPECT_NE(log_text().find("/nonexistent-dir-7f3a/tthc-monitor.db"), std::string::npos)
      << log_text();
}

}  // namespace
}  // namespace tthc::api
