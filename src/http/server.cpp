// The server on Boost.Beast, in three layers as in Beast's examples:
//   Listener  accepts connections and admits them (State::admit: the per-client share, the cap,
//             closing the connection that has waited longest for a request, the reserve);
//   Session   one per connection, on its own strand: reads a request (a timeout before every
//             read and write, limits on every parser), hands it to the worker pool, writes the
//             response posted back to its strand, and keeps the connection alive or closes it.
//             One template over the stream, as in Beast's "flex" examples: plain TCP, or TLS
//             (a handshake with its own timeout first);
//   Server    owns the io_context, the threads and the shutdown sequence
//             (stop accepting -> close idle connections -> bounded wait -> close all -> join).
// Routing is the Router's (router.cpp); this file only moves bytes.

#include "http/server.hpp"

#include "http/beast_names.hpp"
#include "http/target.hpp"
#include "http/worker_pool.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <limits>
#include <list>
#include <mutex>
#include <system_error>
#include <thread>
#include <type_traits>
#include <unordered_map>

namespace tthc::http {

namespace {

using namespace beast_names;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using namespace std::chrono_literals;

constexpr std::size_t kFirstRead = 4096;
/// After a response that closes the connection, what the client still sends is read and
/// dropped for at most this long, so that closing does not reset the connection (and destroy
/// the response in flight) while the client is still sending, e.g. the body of a 413.
constexpr std::chrono::milliseconds kMaxLinger{1000};
/// After the grace period and closing every socket, how long stop waits for the connections'
/// last handlers before stopping the io_context regardless.
constexpr std::chrono::milliseconds kCloseWait{1000};
/// A reserve connection's whole request (at most header_timeout for its head too): enough for
/// a probe, too short for a slot to be held.
constexpr std::chrono::milliseconds kReserveWindow{2000};
/// After a failed accept (out of descriptors fails again at once): the pause before the next,
/// and how often a streak of failures that does not end is logged again.
constexpr std::chrono::milliseconds kAcceptRetry{100};
constexpr std::chrono::seconds kAcceptReminder{60};

/// Whom a connection counts against: an IPv4 address (an IPv4-mapped IPv6 one read as IPv4),
/// or an IPv6 /64, the block one host is usually given.
std::string client_key(const net::ip::address& peer) {
  net::ip::address a = peer;
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    a = net::ip::make_address_v4(net::ip::v4_mapped, a.to_v6());
  if (a.is_v4()) {
    const auto bytes = a.to_v4().to_bytes();
    return {bytes.begin(), bytes.end()};
  }
  const auto bytes = a.to_v6().to_bytes();
  return {bytes.begin(), bytes.begin() + 8};
}

bool header_is_ours(std::string_view name) {
  return beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding") ||
         beast::iequals(name, "connection") || beast::iequals(name, "x-content-type-options");
}

/// A header a handler may send: a token name and a value without CR, LF or NUL, so that no
/// value can split the response.
bool header_is_safe(std::string_view name, std::string_view value) {
  static constexpr std::string_view kSeparators = "()<>@,;:\\\"/[]?={} \t";
  const bool name_ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20U && u < 0x7FU && kSeparators.find(c) == std::string_view::npos;
  });
  return name_ok && value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

/// What the server's shutdown needs of a session, whatever its stream.
class SessionBase {
 public:
  /// `peer_key` and `in_reserve` as State::admit counted them.
  SessionBase(std::string peer_key, bool in_reserve)
      : client(std::move(peer_key)), reserve(in_reserve) {}
  virtual ~SessionBase() = default;
  SessionBase(const SessionBase&) = delete;
  SessionBase& operator=(const SessionBase&) = delete;

  virtual void start() = 0;
  /// Closes the connection if it is still waiting for a request; made room for a new one.
  virtual void evict() = 0;
  /// Graceful stop: a connection waiting for its next request (or still in its TLS handshake)
  /// closes now; one with a request in flight finishes it (its response says
  /// "Connection: close").
  virtual void shutdown() = 0;
  virtual void force_close() = 0;
  /// Only once no thread runs the io_context any more.
  virtual void close_now() = 0;

  const std::string client;  ///< client_key of the peer
  const bool reserve;        ///< admitted to the reserve
  /// Its place among the connections waiting for a request; guarded by State::mutex.
  std::optional<std::list<SessionBase*>::iterator> waiting;
};

/// What State::admit decided for a new connection.
enum class Admission { regular, reserve, over_client_share, full };

/// What the server, its listener and its sessions share; every session keeps it alive, so it
/// outlives whichever of them goes last.
struct State {
  State(ServerOptions o, Router r)
      : options(std::move(o)), router(std::move(r)), workers(options.max_queued_requests) {}

  const ServerOptions options;
  const Router router;
  detail::WorkerPool workers;
  std::atomic<bool> stopping{false};

  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> rejected_too_large{0};
  std::atomic<std::uint64_t> rejected_overload{0};
  std::atomic<std::uint64_t> bad_requests{0};
  std::atomic<std::uint64_t> timeouts{0};
  std::atomic<std::uint64_t> handler_errors{0};
  std::atomic<std::uint64_t> tls_handshake_failures{0};
  std::atomic<std::uint64_t> refused_client_share{0};
  std::atomic<std::uint64_t> refused_full{0};
  std::atomic<std::uint64_t> evicted_idle{0};
  std::atomic<std::uint64_t> reserve_served{0};
  std::atomic<std::uint64_t> reserve_refused{0};
  std::atomic<std::uint64_t> header_timeouts{0};
  std::atomic<std::uint64_t> accept_failures{0};

  /// Set by start, before any connection is accepted, when the server speaks TLS.
  std::optional<ssl::context> tls;

  void log(const std::string& message) const noexcept { options.log.error(message); }

  /// Runs on a worker thread: the handler's response, or a 500 when it throws.
  Response handle(Request request) {
    std::string what = request.method + ' ' + request.path;
    try {
      Response r = router.dispatch(std::move(request));
      if (!r.log_detail.empty()) {
        log(what + ": " + std::to_string(r.status) + ": " + r.log_detail);
        r.log_detail.clear();
      }
      return r;
    } catch (const std::exception& e) {
      log("handler for " + what + " threw: " + e.what());
    } catch (...) {
      log("handler for " + what + " threw a non-standard exception");
    }
    ++handler_errors;
    return error_response(500, "internal server error");
  }

  // The live sessions, so that stop can reach them, and what admission counts; all guarded by
  // `mutex`.
  std::mutex mutex;
  std::condition_variable sessions_changed;
  std::unordered_map<const SessionBase*, std::weak_ptr<SessionBase>> sessions;
  std::size_t regular_count = 0;  // admitted, not yet destroyed (the evicted included)
  std::size_t reserve_count = 0;
  std::unordered_map<std::string, std::size_t> per_client;
  std::list<SessionBase*> waiting;  // regular sessions waiting for a request, longest first

  /// Decides for a new connection from `client` and, unless it is refused, counts it. A
  /// connection waiting for a request may be chosen to make room: `victim`, to be evicted.
  Admission admit(const std::string& client, std::shared_ptr<SessionBase>& victim) {
    const std::lock_guard lock(mutex);
    const auto held = per_client.find(client);
    if (held != per_client.end() && held->second >= options.max_connections_per_client) {
      return Admission::over_client_share;
    }
    Admission admitted = Admission::regular;
    if (regular_count >= options.max_connections) {
      victim = longest_waiting();
      if (!victim) {
        if (options.reserved_paths.empty() || reserve_count >= options.reserve_connections) {
          return Admission::full;
        }
        admitted = Admission::reserve;
      }
    }
    ++per_client[client];
    ++(admitted == Admission::reserve ? reserve_count : regular_count);
    return admitted;
  }
  /// The session (taken off the waiting list) that has waited longest; `mutex` held.
  std::shared_ptr<SessionBase> longest_waiting() {
    while (!waiting.empty()) {
      SessionBase* s = waiting.front();
      waiting.pop_front();
      s->waiting.reset();
      const auto it = sessions.find(s);
      if (it == sessions.end()) continue;
      if (auto session = it->second.lock()) return session;
    }
    return nullptr;
  }
  /// Gives back what admit counted; `mutex` held.
  void release(const std::string& client, bool reserve) {
    --(reserve ? reserve_count : regular_count);
    const auto held = per_client.find(client);
    if (held != per_client.end() && --held->second == 0) per_client.erase(held);
  }
  void release_admission(const std::string& client, bool reserve) {
    const std::lock_guard lock(mutex);
    release(client, reserve);
  }
  /// Puts the session on the waiting list (or takes it off): it may be evicted meanwhile.
  void set_waiting(SessionBase* session, bool waits) {
    const std::lock_guard lock(mutex);
    if (session->waiting) {
      waiting.erase(*session->waiting);
      session->waiting.reset();
    }
    if (waits) session->waiting = waiting.insert(waiting.end(), session);
  }

  void add(const std::shared_ptr<SessionBase>& session) {
    const std::lock_guard lock(mutex);
    sessions.emplace(session.get(), session);
  }
  /// From the session's destructor: forgets it and gives back its admission.
  void remove(SessionBase* session) {
    {
      const std::lock_guard lock(mutex);
      sessions.erase(session);
      if (session->waiting) waiting.erase(*session->waiting);
      session->waiting.reset();
      release(session->client, session->reserve);
    }
    sessions_changed.notify_all();
  }
  std::size_t connection_count() {
    const std::lock_guard lock(mutex);
    return regular_count + reserve_count;
  }
  std::vector<std::shared_ptr<SessionBase>> live_sessions() {
    std::vector<std::shared_ptr<SessionBase>> out;
    const std::lock_guard lock(mutex);
    for (const auto& [key, weak] : sessions) {
      if (auto session = weak.lock()) out.push_back(std::move(session));
    }
    return out;
  }
  bool wait_for_no_sessions(Clock::time_point deadline) {
    std::unique_lock lock(mutex);
    return sessions_changed.wait_until(lock, deadline, [this] { return sessions.empty(); });
  }
};

// ---------------------------------------------------------------------------------------------
// Session: one connection. Every member function runs on the connection's strand, except
// the three entry points start, shutdown and force_close, which post to it.

template <class Stream>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  Session(tcp::socket&& socket, const tcp::endpoint& peer, std::string peer_key, bool in_reserve,
          std::shared_ptr<State> state)
      : SessionBase(std::move(peer_key), in_reserve),
        stream_(make_stream(std::move(socket), *state)),
        executor_(stream_.get_executor()),
        state_(std::move(state)),
        opts_(state_->options),
        buffer_(std::max<std::size_t>(opts_.header_limit, std::size_t{64} * 1024)) {
    beast::error_code ec;
    tcp_layer().socket().set_option(tcp::no_delay(true), ec);
    const std::string address = peer.address().to_string();
    remote_ = (peer.address().is_v6() ? '[' + address + ']' : address) + ':' +
              std::to_string(peer.port());
  }

  ~Session() override { state_->remove(this); }

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() override {
    net::dispatch(executor_, [self = shared_from_this()] {
      if constexpr (kTls) {
        self->handshake();
      } else {
        self->wait_for_request();
      }
    });
  }

  void evict() override {
    net::post(executor_, [self = shared_from_this()] {
      if (self->phase_ != Phase::idle) return;  // its request began meanwhile
      ++self->state_->evicted_idle;
      self->close();
    });
  }

  void shutdown() override {
    net::post(executor_, [self = shared_from_this()] {
      if (self->phase_ == Phase::handshaking || self->phase_ == Phase::idle ||
          self->phase_ == Phase::lingering) {
        self->tcp_layer().cancel();
      }
    });
  }

  void force_close() override {
    net::post(executor_, [self = shared_from_this()] { self->close(); });
  }

  void close_now() override { close(); }

 private:
  enum class Phase { handshaking, idle, reading, handling, writing, lingering, closed };

  static Stream make_stream(tcp::socket&& socket, State& state) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *state.tls);
    } else {
      return Stream(std::move(socket));
    }
  }

  std::shared_ptr<Session> shared_from_this() {
    return std::enable_shared_from_this<Session<Stream>>::shared_from_this();
  }

  beast::tcp_stream& tcp_layer() { return beast::get_lowest_layer(stream_); }

  void handshake() {
    if constexpr (kTls) {
      if (state_->stopping) return close();
      phase_ = Phase::handshaking;
      tcp_layer().expires_after(opts_.handshake_timeout);
      stream_.async_handshake(
          ssl::stream_base::server,
          [self = shared_from_this()](beast::error_code ec) { self->on_handshake(ec); });
    }
  }

  void on_handshake(beast::error_code ec) {
    if (ec) {
      if (ec != net::error::operation_aborted) {  // not a cancellation by stop
        ++state_->tls_handshake_failures;
        if (ec == beast::error::timeout) ++state_->timeouts;
      }
      return close();
    }
    wait_for_request();
  }

  /// How long a request's head may take, and the whole request; a reserve connection has less.
  std::chrono::milliseconds head_window() const {
    return std::min({opts_.header_timeout, request_window()});
  }
  std::chrono::milliseconds request_window() const {
    return reserve ? std::min(opts_.read_timeout, kReserveWindow) : opts_.read_timeout;
  }

  void wait_for_request() {
    if (state_->stopping) return close();
    const Clock::time_point now = Clock::now();
    if (buffer_.size() > 0) {  // pipelined
      return read_request(now + head_window(), now + request_window());
    }
    // A new connection gets head_window for its first request's head, first byte included;
    // a kept-alive one waits idle_timeout for the first byte, then head_window for the rest of
    // the head. Meanwhile it may be closed to make room for a new connection.
    phase_ = Phase::idle;
    if (!reserve) state_->set_waiting(this, true);
    tcp_layer().expires_after(fresh_ ? head_window() : opts_.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kFirstRead),
                            [self = shared_from_this(), now](beast::error_code ec, std::size_t n) {
                              self->on_first_bytes(ec, n, now);
                            });
  }

  void on_first_bytes(beast::error_code ec, std::size_t n, Clock::time_point waited_from) {
    if (!reserve) state_->set_waiting(this, false);
    if (ec) {
      // An idle keep-alive connection timing out is normal; a new one sending nothing is not.
      if (ec == beast::error::timeout && fresh_) {
        ++state_->timeouts;
        ++state_->header_timeouts;
      }
      return close();
    }
    buffer_.commit(n);
    const Clock::time_point start = fresh_ ? waited_from : Clock::now();
    read_request(start + head_window(), start + request_window());
  }

  void read_request(Clock::time_point head_deadline, Clock::time_point deadline) {
    phase_ = Phase::reading;
    reading_head_ = true;
    deadline_ = deadline;
    parser_.emplace();
    parser_->body_limit(static_cast<std::uint64_t>(opts_.body_limit));
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(opts_.header_limit, std::numeric_limits<std::uint32_t>::max())));
    tcp_layer().expires_at(std::min(head_deadline, deadline_));
    // The head first: an oversized Content-Length is refused before any body is read, and a
    // client waiting for "100 Continue" gets it.
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    reading_head_ = false;
    const auto& head = parser_->get();
    if (reserve && !is_reserved(head)) {
      ++state_->reserve_refused;
      ++state_->rejected_overload;
      const std::string_view target = head.target();
      path_ = std::string(target.substr(0, target.find('?')));
      Response busy = refusal(503, "server busy: too many connections");
      busy.headers.emplace_back("Retry-After", "1");
      return send(std::move(busy), head.method() == bhttp::verb::head, head.version(), false);
    }
    if (parser_->is_done()) return on_read({});
    if (head.version() >= 11 && beast::iequals(head[bhttp::field::expect], "100-continue")) {
      continue_.emplace(bhttp::status::continue_, 11);
      tcp_layer().expires_after(opts_.write_timeout);
      bhttp::async_write(stream_, *continue_,
                         [self = shared_from_this()](beast::error_code wec, std::size_t) {
                           self->continue_.reset();
                           if (wec) {
                             if (wec == beast::error::timeout) ++self->state_->timeouts;
                             return self->close();
                           }
                           self->read_body();
                         });
      return;
    }
    read_body();
  }

  void read_body() {
    tcp_layer().expires_at(deadline_);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  /// What a reserve connection serves: a GET or HEAD of a reserved path.
  bool is_reserved(const bhttp::request_parser<bhttp::string_body>::value_type& head) const {
    if (head.method() != bhttp::verb::get && head.method() != bhttp::verb::head) return false;
    const auto target = detail::parse_target(head.target());
    return target && std::find(opts_.reserved_paths.begin(), opts_.reserved_paths.end(),
                               target->path) != opts_.reserved_paths.end();
  }

  void on_read_error(beast::error_code ec) {
    if (ec == beast::error::timeout) {
      ++state_->timeouts;
      if (reading_head_) ++state_->header_timeouts;
      return close();
    }
    if (ec == bhttp::error::body_limit) {
      ++state_->rejected_too_large;
      const std::string_view target = parser_->get().target();
      path_ = std::string(target.substr(0, target.find('?')));
      return send(
          refusal(413, "request body larger than " + std::to_string(opts_.body_limit) + " bytes"),
          false, 11, false);
    }
    if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
      ++state_->bad_requests;
      return send(error_response(431, "request header fields too large"), false, 11, false);
    }
    // The client went away, in between requests or in the middle of one.
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return close();
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
      ++state_->bad_requests;
      return send(error_response(400, "malformed request: " + ec.message()), false, 11, false);
    }
    close();  // a socket error or a cancellation by stop
  }

  void on_read(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    ++state_->requests;
    fresh_ = false;
    auto& message = parser_->get();
    const bool head = message.method() == bhttp::verb::head;
    const unsigned version = message.version();
    const bool keep_alive = message.keep_alive() && !reserve;  // a reserve slot serves once
    if (reserve) ++state_->reserve_served;

    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    auto target = detail::parse_target(request.target);
    if (!target) {
      ++state_->bad_requests;
      parser_.reset();
      return send(error_response(400, target.error().message), head, version, false);
    }
    request.path = std::move(target->path);
    request.query = std::move(target->query);
    path_ = request.path;
    request.headers.reserve(
        static_cast<std::size_t>(std::distance(message.begin(), message.end())));
    for (const auto& field : message) {
      request.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(message.body());
    request.remote = remote_;
    parser_.reset();

    phase_ = Phase::handling;
    const bool queued =
        state_->workers.try_post([self = shared_from_this(), request = std::move(request), head,
                                  version, keep_alive]() mutable {
          Response response = self->state_->handle(std::move(request));
          net::post(self->executor_,
                    [self, response = std::move(response), head, version, keep_alive]() mutable {
                      self->send(std::move(response), head, version, keep_alive);
                    });
        });
    if (!queued) {
      ++state_->rejected_overload;
      Response busy = refusal(503, "server busy: too many queued requests");
      busy.headers.emplace_back("Retry-After", "1");
      send(std::move(busy), head, version, keep_alive);
    }
  }

  // A response the server writes itself, before any handler (ServerOptions::refusal_body).
  Response refusal(int status, const std::string& reason) const {
    Response r = error_response(status, reason);
    if (opts_.refusal_body) {
      std::string body = opts_.refusal_body(path_, status, reason);
      if (!body.empty()) r.body = std::move(body);
    }
    return r;
  }

  void send(Response r, bool head, unsigned version, bool keep_alive) {
    if (phase_ == Phase::closed) return;  // closed by stop while the handler ran
    phase_ = Phase::writing;
    close_after_ = !keep_alive || state_->stopping;
    response_.emplace();
    auto& res = *response_;
    const int status = (r.status >= 100 && r.status <= 999) ? r.status : 500;
    path_.clear();
    res.result(static_cast<unsigned>(status));
    res.version(version == 10 ? 10 : 11);
    res.set(bhttp::field::server, "tthc-monitor");
    // No response of ours is to be read as another type than the one it says (a JSON error
    // quoting a hostile value must not become HTML).
    res.set("X-Content-Type-Options", "nosniff");
    if (!r.content_type.empty() && header_is_safe("content-type", r.content_type)) {
      res.set(bhttp::field::content_type, r.content_type);
    }
    for (const auto& [name, value] : r.headers) {
      if (!header_is_ours(name) && header_is_safe(name, value)) res.insert(name, value);
    }
    res.keep_alive(!close_after_);
    const bool bodiless = status < 200 || status == 204 || status == 304;
    if (bodiless) {
      // No body and no Content-Length for these statuses.
    } else if (head) {
      res.content_length(r.body.size());  // what GET would send
    } else {
      res.body() = std::move(r.body);
      res.prepare_payload();
    }
    tcp_layer().expires_after(opts_.write_timeout);
    bhttp::async_write(
        stream_, res,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
  }

  void on_write(beast::error_code ec) {
    response_.reset();
    if (ec) {
      if (ec == beast::error::timeout) ++state_->timeouts;
      return close();
    }
    if (close_after_) return linger_close();
    wait_for_request();
  }

  void linger_close() {
    phase_ = Phase::lingering;
    if (state_->stopping) return close();
    linger_deadline_ = Clock::now() + std::min(opts_.read_timeout, kMaxLinger);
    if constexpr (kTls) {
      // close_notify first (and the client's, if it comes in time), then as over plain TCP.
      tcp_layer().expires_at(linger_deadline_);
      stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
        if (self->state_->stopping) return self->close();
        self->shutdown_send_and_drain();
      });
    } else {
      shutdown_send_and_drain();
    }
  }

  void shutdown_send_and_drain() {
    beast::error_code ec;
    tcp_layer().socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    drain();
  }

  /// Reads and drops bytes below any TLS: the connection is being closed.
  void drain() {
    tcp_layer().expires_at(linger_deadline_);
    tcp_layer().async_read_some(net::buffer(drain_),
                                [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                  if (ec) return self->close();  // EOF, the deadline, or stop
                                  self->drain();
                                });
  }

  void close() {
    phase_ = Phase::closed;
    tcp_layer().close();  // cancels whatever is pending
  }

  Stream stream_;
  const net::any_io_executor executor_;  // the connection's strand
  const std::shared_ptr<State> state_;
  const ServerOptions& opts_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::empty_body>> continue_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  std::array<char, 4096> drain_{};
  Phase phase_ = kTls ? Phase::handshaking : Phase::idle;
  bool fresh_ = true;  // no request read yet
  bool reading_head_ = false;
  std::string path_;  // of the request being answered, for ServerOptions::refusal_body
  bool close_after_ = false;
  Clock::time_point deadline_{};
  Clock::time_point linger_deadline_{};
};

// ---------------------------------------------------------------------------------------------
// Listener: accepts connections on its own strand.

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, tcp::acceptor&& acceptor, std::shared_ptr<State> state)
      : ioc_(ioc),
        acceptor_(std::move(acceptor)),
        retry_(acceptor_.get_executor()),
        state_(std::move(state)) {}

  void start() {
    net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] { self->accept(); });
  }

  void stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->retry_.cancel();
      self->acceptor_.close(ec);
    });
  }

 private:
  void accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) return on_accept_error(ec);
    if (failures_ > 0) on_accept_recovered();
    admit(std::move(socket));
    accept();
  }

  void admit(tcp::socket socket) {
    beast::error_code ec;
    const tcp::endpoint peer = socket.remote_endpoint(ec);
    if (ec) return;  // gone already (reset): the socket closes here
    std::string client = client_key(peer.address());
    std::shared_ptr<SessionBase> victim;
    const Admission admission = state_->admit(client, victim);
    if (admission == Admission::over_client_share || admission == Admission::full) {
      ++(admission == Admission::full ? state_->refused_full : state_->refused_client_share);
      ++state_->rejected_overload;
      socket.close(ec);
      return;
    }
    if (victim) victim->evict();
    const bool reserve = admission == Admission::reserve;
    std::shared_ptr<SessionBase> session;
    try {
      if (state_->tls) {
        session =
            std::make_shared<Session<TlsStream>>(std::move(socket), peer, client, reserve, state_);
      } else {
        session = std::make_shared<Session<PlainStream>>(std::move(socket), peer, client, reserve,
                                                         state_);
      }
    } catch (...) {  // out of memory: the connection is dropped, its admission given back
      state_->release_admission(client, reserve);
      return;
    }
    state_->add(session);
    session->start();
  }

  // Out of descriptors (EMFILE, ENFILE) or buffers, accepting fails again at once: pause, and
  // log the streak, not every failure.
  void on_accept_error(beast::error_code ec) {
    ++state_->accept_failures;
    const Clock::time_point now = Clock::now();
    if (failures_++ == 0) {
      failing_since_ = now;
      reminded_at_ = now;
      state_->log("http: accept failing: " + ec.message() + "; retrying every " +
                  std::to_string(kAcceptRetry.count()) + " ms");
    } else if (now - reminded_at_ >= kAcceptReminder) {
      reminded_at_ = now;
      state_->log("http: accept still failing after " + seconds_since(failing_since_) + ": " +
                  ec.message() + " (" + std::to_string(failures_) + " failures)");
    }
    retry_.expires_after(kAcceptRetry);
    retry_.async_wait([self = shared_from_this()](beast::error_code wec) {
      if (!wec) self->accept();
    });
  }

  void on_accept_recovered() {
    state_->log("http: accept recovered after " + seconds_since(failing_since_) + " (" +
                std::to_string(failures_) + " failures)");
    failures_ = 0;
  }

  static std::string seconds_since(Clock::time_point since) {
    const auto tenths =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count() / 100;
    return std::to_string(tenths / 10) + '.' + std::to_string(tenths % 10) + " s";
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
  const std::shared_ptr<State> state_;
  std::uint64_t failures_ = 0;  // in the current streak of failed accepts
  Clock::time_point failing_since_{};
  Clock::time_point reminded_at_{};
};

std::string validate(const ServerOptions& o) {
  if (o.io_threads == 0) return "io_threads must be at least 1";
  if (o.worker_threads == 0) return "worker_threads must be at least 1";
  if (o.max_connections == 0) return "max_connections must be at least 1";
  if (o.max_connections_per_client == 0) return "max_connections_per_client must be at least 1";
  if (o.max_queued_requests == 0) return "max_queued_requests must be at least 1";
  if (o.header_limit == 0) return "header_limit must be positive";
  if (o.read_timeout <= 0ms || o.write_timeout <= 0ms || o.idle_timeout <= 0ms ||
      o.handshake_timeout <= 0ms || o.header_timeout <= 0ms) {
    return "timeouts must be positive";
  }
  if (o.tls_cert_file.has_value() != o.tls_key_file.has_value()) {
    return "tls_cert_file and tls_key_file must be set together";
  }
  return {};
}

/// The server's TLS context from its certificate chain and key files; an error message or "".
std::string load_tls(const ServerOptions& o, std::optional<ssl::context>& tls) {
  beast::error_code ec;
  tls.emplace(ssl::context::tls_server);
  SSL_CTX_set_min_proto_version(tls->native_handle(), TLS1_2_VERSION);
  tls->set_options(ssl::context::default_workarounds | ssl::context::single_dh_use);
  SSL_CTX_set_options(tls->native_handle(), SSL_OP_NO_RENEGOTIATION);
  const std::string cert = o.tls_cert_file->string();
  const std::string key = o.tls_key_file->string();
  if (tls->use_certificate_chain_file(cert, ec); ec) {
    return "cannot load the TLS certificate " + cert + ": " + ec.message();
  }
  if (tls->use_private_key_file(key, ssl::context::pem, ec); ec) {
    return "cannot load the TLS private key " + key + ": " + ec.message();
  }
  if (SSL_CTX_check_private_key(tls->native_handle()) != 1) {
    return "the TLS private key " + key + " does not match the certificate " + cert;
  }
  return {};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Server

struct Server::Impl {
  Impl(ServerOptions options, Router router)
      : state(std::make_shared<State>(std::move(options), std::move(router))),
        ioc(static_cast<int>(std::clamp<std::size_t>(state->options.io_threads, 1, 64))) {}

  Result<std::uint16_t> start();
  void stop(std::chrono::milliseconds grace);
  void stop_locked(std::chrono::milliseconds grace);  // `lifecycle` held
  void run_io();

  enum class Phase { created, running, stopped };

  std::mutex lifecycle;  // start and stop, one at a time
  Phase phase = Phase::created;
  const std::shared_ptr<State> state;
  net::io_context ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> threads;
  std::atomic<std::uint16_t> port{0};
};

Result<std::uint16_t> Server::Impl::start() {
  const std::lock_guard lock(lifecycle);
  const ServerOptions& o = state->options;
  const std::string where = o.address + ':' + std::to_string(o.port);
  const auto fail = [&](const std::string& why) {
    return Error{"cannot listen on " + where + ": " + why};
  };
  if (phase == Phase::running) return fail("the server is already running");
  if (phase == Phase::stopped) return fail("the server was stopped; it cannot start again");
  if (const std::string invalid = validate(o); !invalid.empty()) return fail(invalid);
  if (o.tls_cert_file) {
    if (const std::string error = load_tls(o, state->tls); !error.empty()) {
      state->tls.reset();
      return fail(error);
    }
  }

  beast::error_code ec;
  tcp::endpoint endpoint;
  const net::ip::address address = net::ip::make_address(o.address, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, o.port);
  } else {
    tcp::resolver resolver(ioc);
    const auto results =
        resolver.resolve(o.address, std::to_string(o.port), tcp::resolver::numeric_service, ec);
    if (ec || results.empty()) return fail("cannot resolve the address: " + ec.message());
    endpoint = results.begin()->endpoint();
  }

  tcp::acceptor acceptor(net::make_strand(ioc));
  if (acceptor.open(endpoint.protocol(), ec); ec) return fail(ec.message());
  // Lets a restarted daemon bind while old connections sit in TIME_WAIT; on Linux it does
  // not allow two listeners on one port.
  if (acceptor.set_option(net::socket_base::reuse_address(true), ec); ec) {
    return fail(ec.message());
  }
  if (acceptor.bind(endpoint, ec); ec) return fail(ec.message());
  if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec) {
    return fail(ec.message());
  }
  const std::uint16_t bound = acceptor.local_endpoint(ec).port();
  if (ec) return fail(ec.message());

  try {
    state->workers.start(o.worker_threads);
    listener = std::make_shared<Listener>(ioc, std::move(acceptor), state);
    listener->start();
    work.emplace(ioc.get_executor());
    for (std::size_t i = 0; i < o.io_threads; ++i) threads.emplace_back([this] { run_io(); });
  } catch (const std::system_error& e) {  // no thread could be created: undo the rest
    phase = Phase::running;
    stop_locked(0ms);
    return fail(e.what());
  }
  port = bound;
  phase = Phase::running;
  return bound;
}

void Server::Impl::run_io() {
  while (true) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      state->log(std::string("http: io thread: ") + e.what());
    } catch (...) {
      state->log("http: io thread: a non-standard exception");
    }
  }
}

void Server::Impl::stop(std::chrono::milliseconds grace) {
  const std::lock_guard lock(lifecycle);
  stop_locked(grace);
}

void Server::Impl::stop_locked(std::chrono::milliseconds grace) {
  if (phase != Phase::running) return;

  // 1. Stop accepting; idle connections close, busy ones finish their request.
  state->stopping = true;
  if (listener) listener->stop();
  for (const auto& session : state->live_sessions()) session->shutdown();

  // 2. The bounded wait.
  if (!state->wait_for_no_sessions(Clock::now() + grace)) {
    // 3. Out of time: close every connection.
    for (const auto& session : state->live_sessions()) session->force_close();
  }
  // Queued requests are dropped; running handlers are waited for (they cannot be cancelled).
  state->workers.stop();
  work.reset();
  state->wait_for_no_sessions(Clock::now() + kCloseWait);

  // 4. Stop the io_context and join its threads.
  ioc.stop();
  for (std::thread& t : threads) {
    if (t.joinable()) t.join();
  }
  threads.clear();
  // Nothing runs any more: close what is left without posting.
  for (const auto& session : state->live_sessions()) session->close_now();
  listener.reset();
  phase = Phase::stopped;
}

Server::Server(ServerOptions options, Router router)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router))) {}

Server::~Server() {
  try {
    impl_->stop(std::chrono::milliseconds(5000));
  } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor never throws
  }
}

Result<std::uint16_t> Server::start() {
  return impl_->start();
}

std::uint16_t Server::port() const {
  return impl_->port;
}

void Server::stop(std::chrono::milliseconds grace) {
  impl_->stop(grace);
}

Server::Stats Server::stats() const {
  State& s = *impl_->state;
  return Stats{.requests = s.requests,
               .rejected_too_large = s.rejected_too_large,
               .rejected_overload = s.rejected_overload,
               .bad_requests = s.bad_requests,
               .timeouts = s.timeouts,
               .handler_errors = s.handler_errors,
               .tls_handshake_failures = s.tls_handshake_failures,
               .connections = s.connection_count(),
               .refused_client_share = s.refused_client_share,
               .refused_full = s.refused_full,
               .evicted_idle = s.evicted_idle,
               .reserve_served = s.reserve_served,
               .reserve_refused = s.reserve_refused,
               .header_timeouts = s.header_timeouts,
               .accept_failures = s.accept_failures};
}

}  // namespace tthc::http
