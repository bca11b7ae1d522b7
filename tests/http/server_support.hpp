#pragma once
// What the HTTP server's tests share: options with short timeouts, a server started on a free
// port, a plain-text response, and the lines the server logs.

#include "http/server.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::test {

inline http::Response text(std::string body) {
  http::Response r;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

/// What the server logs (ServerOptions::log), kept for the test to read.
class LogLines {
 public:
  Log sink() const {
    return [shared = shared_](LogLevel, std::string_view message) {
      const std::lock_guard lock(shared->mutex);
      shared->lines.emplace_back(message);
    };
  }
  std::vector<std::string> lines() const {
    const std::lock_guard lock(shared_->mutex);
    return shared_->lines;
  }

 private:
  struct Shared {
    std::mutex mutex;
    std::vector<std::string> lines;
  };
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
};

/// Loopback on a free port, 5 s timeouts.
inline http::ServerOptions test_options() {
  using namespace std::chrono_literals;
  http::ServerOptions o;
  o.read_timeout = 5s;
  o.write_timeout = 5s;
  o.idle_timeout = 5s;
  return o;
}

inline std::unique_ptr<http::Server> start_server(http::ServerOptions options,
                                                  http::Router router) {
  auto server = std::make_unique<http::Server>(std::move(options), std::move(router));
  const auto port = server->start();
  if (!port) throw std::runtime_error("start failed: " + port.error().message);
  EXPECT_NE(*port, 0);
  EXPECT_EQ(server->port(), *port);
  return server;
}

}  // namespace tthc::test
