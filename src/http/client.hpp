#pragma once
// A small synchronous HTTP/1.1 client over plain TCP or TLS, for polling upstream systems, tests,
// the load benchmark and health checks: one request at a time, a timeout on every connect,
// TLS handshake, write and read, and optionally an overall deadline per call.
// Boost.Beast, Asio and OpenSSL stay in client.cpp (parse_url: url.cpp).

#include "base/result.hpp"
#include "http/server.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
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
  /// Extra headers, e.g. Authorization. A "Host" header here replaces the default one.
  std::vector<std::pair<std::string, std::string>> headers;
};

struct ClientOptions {
  /// Each step on its own: connect, TLS handshake, write, read. (Name resolution is the system
  /// resolver's, bounded by its own settings, as in resolv.conf.)
  std::chrono::milliseconds timeout{5000};
  /// 0: none. Otherwise a bound on one call as a whole: `open` (connect + handshake), `send`
  /// (write + read), or `request` (all of them); each step gets the smaller of `timeout` and
  /// what is left of it.
  std::chrono::milliseconds total_timeout{0};
  std::size_t body_limit = std::size_t{64} * 1024 * 1024;

  /// HTTPS: a TLS handshake (TLS 1.2 or later) after connecting.
  bool tls = false;
  /// PEM file of the CA certificates to trust; none: the system's default trust store.
  std::optional<std::filesystem::path> ca_file;
  /// Verify the server's certificate chain and that it names `server_name`. Turn off only for
  /// tests or a one-off diagnosis: without it anybody on the path can read and alter the traffic.
  bool verify_peer = true;
  /// The name sent in SNI (unless it is an IP address) and checked against the certificate (a
  /// DNS name, or an IP address against the certificate's IP SANs); empty: the host passed to
  /// open.
  std::string server_name;
};

/// An http:// or https:// URL split for Connection::open and ClientRequest::target.
struct Url {
  bool tls = false;         ///< https
  std::string host;         ///< a name or an IP address; an IPv6 address without its brackets
  std::uint16_t port = 80;  ///< the URL's port, else 80 (http) or 443 (https)
  std::string target;       ///< path and query, percent-encoding kept as given; "/" if empty
};

/// Parses an absolute http or https URL (scheme case-insensitive). The fragment is dropped. An
/// error, naming the URL, for another scheme, no host, user info ("user:pass@"), a port that is
/// not 1-65535, or a malformed URL.
Result<Url> parse_url(std::string_view url);

/// One keep-alive connection (plain or TLS): connect once, send many requests, in turn.
/// Not thread-safe: one thread at a time (use one Connection per thread).
/// After any error, or a response saying "Connection: close", the connection is closed and
/// further sends fail; open a new one.
class Connection {
 public:
  /// Connects to host:port (host: an IP address, bracketed or not, or a name) and, with
  /// `options.tls`, does the TLS handshake, verifying the server unless `verify_peer` is off.
  /// Errors name host:port and the reason, e.g. "TLS handshake with 127.0.0.1:8443 failed:
  /// certificate verify failed (self-signed certificate in certificate chain)".
  static Result<Connection> open(std::string_view host, std::uint16_t port,
                                 ClientOptions options = {});

  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  ~Connection();

  /// Sends one request and reads its response. The response's `headers` hold every header
  /// received (names lower-cased); `content_type` is the Content-Type header. The Host header
  /// is server_name (or the host) with the port unless it is the scheme's default.
  Result<Response> send(const ClientRequest& request);

  bool is_open() const;
  /// Closes the socket (over TLS without a close_notify: HTTP framing does not rely on it, and
  /// closing never waits for the server).
  void close();

 private:
  friend Result<Response> request(std::string_view host, std::uint16_t port,
                                  const ClientRequest& request, ClientOptions options);
  struct Impl;
  explicit Connection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// RFC 3986 percent-encoding of everything but unreserved characters: a query parameter's name
/// or value, or a path segment.
std::string percent_encode(std::string_view text);

/// Connect, send one request, close. `options.total_timeout` bounds the whole.
Result<Response> request(std::string_view host, std::uint16_t port, const ClientRequest& request,
                         ClientOptions options = {});

}  // namespace tthc::http
