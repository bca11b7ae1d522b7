// The synchronous client: Beast's asynchronous operations run to completion on a private
// io_context, because only they honour tcp_stream's timeouts. One code path for plain TCP and
// TLS: every I/O goes through Impl::with_stream, which picks the stream in use.

#include "http/client.hpp"

#include "http/beast_names.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <optional>

namespace tthc::http {

namespace {

using namespace beast_names;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

/// "[::1]" -> "::1"; anything else as it is.
std::string_view unbracketed(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

/// How a host appears before ":port" in a URL, a Host header or a message.
std::string bracketed(std::string_view host) {
  return host.find(':') != std::string_view::npos ? '[' + std::string(host) + ']'
                                                  : std::string(host);
}

bool is_ip_address(const std::string& host) {
  beast::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

struct Connection::Impl {
  Impl(std::string_view h, std::uint16_t p, ClientOptions o)
      : host(unbracketed(h)),
        port(p),
        options(std::move(o)),
        name(options.server_name.empty() ? host : std::string(unbracketed(options.server_name))),
        where(bracketed(host) + ':' + std::to_string(p)) {}

  /// Starts an operation with a completion handler storing its error, and runs it to the end.
  template <class Start>
  beast::error_code run(Start start) {
    beast::error_code result = net::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  /// Calls f with the stream in use: the TLS stream, or the plain one.
  template <class F>
  decltype(auto) with_stream(F&& f) {
    if (tls) return f(*tls);
    return f(plain);
  }

  beast::tcp_stream& tcp() { return tls ? beast::get_lowest_layer(*tls) : plain; }

  /// A new call (open, send or request) starts: its overall deadline.
  void begin_call() {
    if (keep_deadline) return;
    deadline = options.total_timeout > std::chrono::milliseconds(0)
                   ? Clock::now() + options.total_timeout
                   : Clock::time_point::max();
  }

  /// The timeout before each I/O: the step's own, cut short by the call's deadline.
  void arm() { tcp().expires_at(std::min(Clock::now() + options.timeout, deadline)); }

  Error fail(std::string_view doing, beast::error_code ec) {
    return fail_with(std::string(doing) + ' ' + where + ": " + ec.message());
  }

  Error fail_with(std::string message) {
    tcp().close();
    open = false;
    return Error{std::move(message)};
  }

  /// Sets up the TLS context and stream; an error message, or "".
  std::string prepare_tls() {
    beast::error_code ec;
    context.emplace(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
    if (options.verify_peer) {
      context->set_verify_mode(ssl::verify_peer);
      if (options.ca_file) {
        context->load_verify_file(options.ca_file->string(), ec);
        if (ec) return "cannot read the CA file " + options.ca_file->string() + ": " + ec.message();
      } else {
        context->set_default_verify_paths(ec);
        if (ec) return "cannot load the system's trusted CAs: " + ec.message();
      }
    } else {
      context->set_verify_mode(ssl::verify_none);
    }
    tls.emplace(ioc, *context);
    SSL* handle = tls->native_handle();
    const bool ip = is_ip_address(name);
    // SNI carries host names only (RFC 6066).
    if (!ip && SSL_ctrl(handle, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                        const_cast<char*>(name.c_str())) != 1) {
      return "cannot use the server name " + name + " for TLS";
    }
    if (options.verify_peer) {
      // OpenSSL checks the name during the handshake, so a mismatch has its own verify error.
      X509_VERIFY_PARAM* param = SSL_get0_param(handle);
      int ok = 0;
      if (ip) {
        ok = X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
      } else {
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        ok = X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size());
      }
      if (ok != 1) return "cannot use the server name " + name + " for TLS";
    }
    return {};
  }

  /// "certificate verify failed (hostname mismatch)" rather than OpenSSL's bare reason.
  Error handshake_failed(beast::error_code ec) {
    std::string why = ec.message();
    if (ec.category() == net::error::get_ssl_category()) {
      const long verify = SSL_get_verify_result(tls->native_handle());
      if (verify != X509_V_OK) {
        why = std::string("certificate verify failed (") + X509_verify_cert_error_string(verify) +
              ')';
      }
    }
    return fail_with("TLS handshake with " + where + " failed: " + why);
  }

  std::string host;  // without brackets
  std::uint16_t port;
  ClientOptions options;
  std::string name;   // verified and sent in SNI
  std::string where;  // "host:port", for messages
  net::io_context ioc{1};
  beast::tcp_stream plain{ioc};  // unused with TLS
  std::optional<ssl::context> context;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  bool open = false;
  Clock::time_point deadline = Clock::time_point::max();
  bool keep_deadline = false;  // set by request(): send keeps the deadline open started
};

Connection::Connection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;
Connection::~Connection() = default;

Result<Connection> Connection::open(std::string_view host, std::uint16_t port,
                                    ClientOptions options) {
  auto impl = std::make_unique<Impl>(host, port, std::move(options));
  Impl& c = *impl;
  c.begin_call();
  if (c.options.tls) {
    if (std::string error = c.prepare_tls(); !error.empty()) {
      return c.fail_with("cannot connect to " + c.where + ": " + error);
    }
  }
  beast::error_code ec;
  tcp::resolver resolver(c.ioc);
  const auto endpoints =
      resolver.resolve(c.host, std::to_string(port), tcp::resolver::numeric_service, ec);
  if (ec) return c.fail("cannot resolve", ec);
  c.arm();
  ec = c.run([&](auto handler) { c.tcp().async_connect(endpoints, std::move(handler)); });
  if (ec) return c.fail("cannot connect to", ec);
  c.tcp().socket().set_option(tcp::no_delay(true), ec);
  if (c.tls) {
    c.arm();
    ec = c.run([&](auto handler) {
      c.tls->async_handshake(ssl::stream_base::client, std::move(handler));
    });
    if (ec) return c.handshake_failed(ec);
  }
  c.open = true;
  return Connection(std::move(impl));
}

Result<Response> Connection::send(const ClientRequest& request) {
  if (!impl_ || !impl_->open) return Error{"connection closed"};
  Impl& c = *impl_;
  c.begin_call();

  bhttp::request<bhttp::string_body> req;
  req.method_string(request.method);
  req.target(request.target);
  req.version(11);
  const std::uint16_t default_port = c.options.tls ? 443 : 80;
  req.set(bhttp::field::host, c.port == default_port
                                  ? bracketed(c.name)
                                  : bracketed(c.name) + ':' + std::to_string(c.port));
  req.set(bhttp::field::user_agent, "tthc-monitor");
  if (!request.content_type.empty()) req.set(bhttp::field::content_type, request.content_type);
  for (const auto& [name, value] : request.headers) {
    if (beast::iequals(name, "host")) {
      req.set(bhttp::field::host, value);
    } else {
      req.insert(name, value);
    }
  }
  req.body() = request.body;
  req.prepare_payload();

  c.arm();
  beast::error_code ec = c.with_stream([&](auto& stream) {
    return c.run([&](auto handler) { bhttp::async_write(stream, req, std::move(handler)); });
  });
  if (ec) return c.fail("cannot send to", ec);

  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(static_cast<std::uint64_t>(c.options.body_limit));
  parser.skip(request.method == "HEAD");  // a HEAD response has a Content-Length but no body
  c.arm();
  ec = c.with_stream([&](auto& stream) {
    return c.run(
        [&](auto handler) { bhttp::async_read(stream, c.buffer, parser, std::move(handler)); });
  });
  if (ec) return c.fail("cannot read the response from", ec);

  auto& message = parser.get();
  Response response;
  response.status = static_cast<int>(message.result_int());
  response.content_type = std::string(message[bhttp::field::content_type]);
  for (const auto& field : message) {
    response.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
  }
  response.body = std::move(message.body());
  if (!message.keep_alive()) close();
  return response;
}

bool Connection::is_open() const {
  return impl_ && impl_->open;
}

void Connection::close() {
  if (!impl_ || !impl_->open) return;
  beast::error_code ignored;
  impl_->tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
  impl_->tcp().close();
  impl_->open = false;
}

Result<Response> request(std::string_view host, std::uint16_t port, const ClientRequest& request,
                         ClientOptions options) {
  TTHC_TRY(Connection connection, Connection::open(host, port, std::move(options)));
  connection.impl_->keep_deadline = true;  // one deadline for connect and exchange
  return connection.send(request);
}

}  // namespace tthc::http
