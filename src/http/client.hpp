#pragma once
// A small synchronous HTTP/1.1 client over plain TCP, for tests, the load benchmark and
// health checks: one request at a time, a timeout on every connect, write and read.
// Boost.Beast stays in client.cpp.

#include "base/result.hpp"
#include "http/server.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tthc::http {

struct ClientRequest {
  std::string method = "GET";
  std::string target = "/";  ///< origin-form, already percent-encoded
  std::string body;          ///< sent with a Content-Length when not empty (or not GET/HEAD)
  std::string content_type;  ///< empty: no Content-Type header
  std::vector<std::pair<std::string, std::string>> headers;  ///< extra headers
};

struct ClientOptions {
  std::chrono::milliseconds timeout{5000};  ///< each of connect, write and read
  std::size_t body_limit = std::size_t{64} * 1024 * 1024;
};

/// One keep-alive connection: connect once, send many requests, in turn.
/// Not thread-safe: one thread at a time (use one Connection per thread).
/// After any error, or a response saying "Connection: close", the connection is closed and
/// further sends fail; open a new one.
class Connection {
 public:
  /// Connects to host:port (host: an IP address or a name) within the timeout.
  static Result<Connection> open(std::string_view host, std::uint16_t port,
                                 ClientOptions options = {});

  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  ~Connection();

  /// Sends one request and reads its response. The response's `headers` hold every header
  /// received (names lower-cased); `content_type` is the Content-Type header.
  Result<Response> send(const ClientRequest& request);

  bool is_open() const;
  void close();

 private:
  struct Impl;
  explicit Connection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Connect, send one request, close.
Result<Response> request(std::string_view host, std::uint16_t port, const ClientRequest& request,
                         ClientOptions options = {});

}  // namespace tthc::http
