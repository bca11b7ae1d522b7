#pragma once
// A generic HTTP/1.1 server: a listener accepts connections, a session per connection reads
// requests and writes responses on its own strand, a router maps method and path to a handler.
// Handlers run on a bounded worker pool, never on the socket threads, so they may block (SQLite,
// file I/O). It knows nothing of dossiers; the api module registers the endpoints.
//
// With a certificate and key in its options it speaks HTTPS (TLS 1.2+) instead of HTTP.
//
// Boost.Beast, Boost.Asio and OpenSSL stay in server.cpp: this header is all a caller compiles.

#include "base/log.hpp"
#include "base/result.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tthc::http {

/// One request as a handler sees it. A plain value: copy it, read it from any thread.
struct Request {
  std::string method;  ///< "GET", "POST", ... as received (methods are case-sensitive)
  std::string target;  ///< as received, e.g. "/api/v1/dossiers?state=overdue"
  std::string path;    ///< percent-decoded path without the query
  std::string query;   ///< raw query string without '?'
  std::vector<std::pair<std::string, std::string>> headers;  ///< names lower-cased, in order
  std::string body;
  std::string remote;  ///< the peer, "127.0.0.1:54321"
  /// The "{name}" segments of the matched route, percent-decoded; filled by Router::dispatch.
  std::vector<std::pair<std::string, std::string>> params;

  /// The first header of that name (compared case-insensitively).
  std::optional<std::string_view> header(std::string_view lower_name) const;
  /// The first query parameter of that name, percent-decoded, '+' read as a space (HTML forms);
  /// "" for a key without '='; nullopt when absent or when the query is not well-formed.
  std::optional<std::string> query_param(std::string_view name) const;
  /// The value of a "{name}" segment of the matched route.
  std::optional<std::string_view> param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";  ///< empty: no Content-Type header
  std::string body;
  /// Extra headers. Content-Length, Transfer-Encoding and Connection are the server's: ignored.
  std::vector<std::pair<std::string, std::string>> headers;
  /// Never sent: the cause behind an error answer (a file path, SQLite's message), given to
  /// ServerOptions::log with the request's method and path.
  std::string log_detail;
};

/// A JSON error body {"error": "<message>"} with that status. The message is JSON-escaped and
/// invalid UTF-8 in it becomes U+FFFD, so a hostile value quoted in it cannot break the JSON.
Response error_response(int status, std::string_view message);
/// An error whose cause is the server's own (a store that cannot be read): the client gets
/// `public_message`, the operator's log the detail (which may name files and paths).
Response internal_error(int status, std::string_view public_message, std::string detail);

/// Must be safe to call concurrently: the server runs handlers on several worker threads.
/// An exception thrown by a handler becomes a 500 JSON error.
using Handler = std::function<Response(const Request&)>;

/// Maps method and path to a handler. Patterns are exact paths whose segments may be "{name}"
/// placeholders matching one whole non-empty segment, e.g. "/api/v1/dossiers/{code}". Segments
/// are compared after percent-decoding, one by one, so "%2F" inside a segment stays in it.
/// When several patterns match, the one with a literal segment earliest wins
/// ("/a/summary" over "/a/{code}"). HEAD falls back to the GET handler (the server drops the
/// body).
///
/// Build it before the server starts; afterwards it is only read, so dispatch is thread-safe.
class Router {
 public:
  /// Throws std::invalid_argument for a malformed pattern (not starting with '/', a '{' that is
  /// not a whole "{name}" segment), an empty method or handler, or a duplicate route: these are
  /// programming errors found at start-up.
  void add(std::string method, std::string pattern, Handler handler);

  /// Calls the matching handler with the request, its `params` filled in. Taken by value so the
  /// params can be stored in it: move a request in to avoid copying its body.
  /// 404 JSON error when no pattern matches the path; 405 with an Allow header when the path
  /// matches but not the method. Exceptions from the handler propagate to the caller.
  Response dispatch(Request request) const;

 private:
  struct Segment {
    std::string text;  ///< the literal, or the placeholder's name
    bool is_param = false;
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

struct ServerOptions {
  std::string address = "127.0.0.1";  ///< an IP address or a host name
  std::uint16_t port = 0;             ///< 0: any free port
  /// Larger request bodies get 413 and never reach a handler (Content-Length or chunked).
  std::size_t body_limit = std::size_t{8} * 1024 * 1024;
  /// Larger request heads (request line and headers) get 431.
  std::size_t header_limit = std::size_t{16} * 1024;
  std::chrono::milliseconds read_timeout{30000};  ///< per request, head and body
  std::chrono::milliseconds write_timeout{30000};
  std::chrono::milliseconds idle_timeout{60000};  ///< keep-alive wait for the next request
  /// HTTPS: the server's certificate (PEM; the leaf first, then any intermediate CAs) and its
  /// private key (PEM, unencrypted). Both or neither; when set the server speaks TLS 1.2 or later
  /// only. Read once, by start: a file that cannot be read or a key that does not match is a
  /// start error.
  std::optional<std::filesystem::path> tls_cert_file;
  std::optional<std::filesystem::path> tls_key_file;
  /// For a new TLS connection to complete its handshake; then read_timeout starts for the
  /// first request.
  std::chrono::milliseconds handshake_timeout{10000};
  std::size_t io_threads = 1;
  std::size_t worker_threads = 2;  ///< handlers run here, never on the socket threads
  /// Connections open at once. A new one beyond it takes the place of the connection that has
  /// waited longest for a request (a silent new one, or an idle keep-alive one), which is
  /// closed; when none waits, it goes to the reserve (below), else it is closed at once.
  std::size_t max_connections = 1024;
  /// Connections from one client address at once (an IPv6 client: its /64); beyond, a new one
  /// is closed at once. Behind a reverse proxy every connection comes from the proxy: set it
  /// to max_connections there.
  std::size_t max_connections_per_client = 64;
  /// A connection's request head (request line and headers) must be complete this long after
  /// the connection is ready (accepted, or its TLS handshake done) or, when kept alive, after
  /// the request's first byte; else it is closed. Shorter than read_timeout, so that a client
  /// saying nothing or trickling a head (slow loris) holds a slot this long at most.
  std::chrono::milliseconds header_timeout{10000};
  /// Requests answered even when every connection slot is taken by requests in progress:
  /// beyond max_connections up to `reserve_connections` more are accepted, each given at most
  /// 2 s (and header_timeout) for its request and closed after one answer. A GET or HEAD of
  /// one of these paths (e.g. the health probes) is served; any other request gets 503.
  /// Empty: no reserve.
  std::vector<std::string> reserved_paths;
  std::size_t reserve_connections = 16;
  std::size_t max_queued_requests = 4096;  ///< waiting for a worker; beyond: 503
  /// Told about what the server cannot answer for: a handler's exception, accept failing (once
  /// when a streak of failures starts, once a minute while it lasts, once when it ends), the
  /// cause of an internal_error answer.
  /// Each at error level, from the server's threads (the sink must be thread-safe). Empty:
  /// nothing is reported.
  Log log;
  /// Writes the body of the refusals the server answers before any handler runs — 413 (body
  /// over body_limit) and 503 (too many queued requests) — for endpoints whose clients expect a
  /// body of their own: given the request's path, the status and the reason. Returning "" (or
  /// leaving this empty) gives {"error": reason}. Called from the socket threads; must be cheap
  /// and must not throw.
  std::function<std::string(std::string_view path, int status, std::string_view reason)>
      refusal_body;
};

/// Thread-safe: start, stop and stats from any thread (but not stop from inside a handler: stop
/// waits for the running handlers).
class Server {
 public:
  Server(ServerOptions options, Router router);
  ~Server();  ///< stops if running (with the default grace); never throws
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and listens; returns the bound port. The error names address:port and the reason.
  /// A server starts once: starting it again, or after stop, is an error.
  Result<std::uint16_t> start();
  /// The bound port; 0 before start.
  std::uint16_t port() const;

  /// Stops accepting and closes idle keep-alive connections at once; requests in flight (being
  /// read, queued, handled or written) get `grace` to finish, their responses saying
  /// "Connection: close". Then every connection is closed and the threads are joined. Queued
  /// requests not started by then are dropped; a handler already running is waited for.
  /// Idempotent; a no-op before start.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));

  struct Stats {
    std::uint64_t requests = 0;            ///< complete requests read
    std::uint64_t rejected_too_large = 0;  ///< 413
    /// 503 (queue full; a reserve connection's request not for a reserved path) and
    /// connections closed at once (refused_client_share + refused_full).
    std::uint64_t rejected_overload = 0;
    std::uint64_t bad_requests = 0;  ///< 400 and 431: unparsable requests
    /// Read, write or TLS handshake timeouts (an idle keep-alive close is not one).
    std::uint64_t timeouts = 0;
    std::uint64_t handler_errors = 0;  ///< handlers that threw: 500
    /// TLS handshakes that failed or timed out (those count in `timeouts` too); the connection
    /// is closed. E.g. a plain-HTTP client, or one that does not trust the certificate.
    std::uint64_t tls_handshake_failures = 0;
    std::uint64_t connections = 0;  ///< open now (a gauge), the reserve's included
    /// New connections closed at once: their client held max_connections_per_client.
    std::uint64_t refused_client_share = 0;
    /// New connections closed at once: every slot and the reserve taken, none waiting.
    std::uint64_t refused_full = 0;
    /// Connections waiting for a request closed to make room for a new one.
    std::uint64_t evicted_idle = 0;
    std::uint64_t reserve_served = 0;   ///< reserved-path requests answered from the reserve
    std::uint64_t reserve_refused = 0;  ///< other requests on a reserve connection: 503
    /// No complete request head within header_timeout (counted in `timeouts` too).
    std::uint64_t header_timeouts = 0;
    /// Failed accepts (e.g. out of descriptors); the listener retries every 100 ms and logs
    /// the first failure of a streak and its end, not each one.
    std::uint64_t accept_failures = 0;
  };
  Stats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tthc::http
