// The synchronous client: Beast's asynchronous operations run to completion on a private
// io_context, because only they honour tcp_stream's timeouts.

#include "http/client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <optional>

namespace tthc::http {

namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

struct Connection::Impl {
  Impl(std::string_view h, std::uint16_t p, ClientOptions o)
      : host(h), port(p), options(o), where(std::string(h) + ':' + std::to_string(p)) {}

  /// Starts an operation with a completion handler storing its error, and runs it to the end.
  template <class Start>
  beast::error_code run(Start start) {
    beast::error_code result = net::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  Error fail(std::string_view doing, beast::error_code ec) {
    stream.close();
    open = false;
    return Error{std::string(doing) + ' ' + where + ": " + ec.message()};
  }

  std::string host;
  std::uint16_t port;
  ClientOptions options;
  std::string where;  // "host:port", for messages
  net::io_context ioc{1};
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  bool open = false;
};

Connection::Connection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;
Connection::~Connection() = default;

Result<Connection> Connection::open(std::string_view host, std::uint16_t port,
                                    ClientOptions options) {
  auto impl = std::make_unique<Impl>(host, port, options);
  beast::error_code ec;
  tcp::resolver resolver(impl->ioc);
  const auto endpoints =
      resolver.resolve(std::string(host), std::to_string(port), tcp::resolver::numeric_service, ec);
  if (ec) return impl->fail("cannot resolve", ec);
  impl->stream.expires_after(options.timeout);
  ec = impl->run([&](auto handler) { impl->stream.async_connect(endpoints, std::move(handler)); });
  if (ec) return impl->fail("cannot connect to", ec);
  impl->stream.socket().set_option(tcp::no_delay(true), ec);
  impl->open = true;
  return Connection(std::move(impl));
}

Result<Response> Connection::send(const ClientRequest& request) {
  if (!impl_ || !impl_->open) return Error{"connection closed"};
  Impl& c = *impl_;

  bhttp::request<bhttp::string_body> req;
  req.method_string(request.method);
  req.target(request.target);
  req.version(11);
  req.set(bhttp::field::host, c.where);
  req.set(bhttp::field::user_agent, "tthc-monitor");
  if (!request.content_type.empty()) req.set(bhttp::field::content_type, request.content_type);
  for (const auto& [name, value] : request.headers) req.insert(name, value);
  req.body() = request.body;
  req.prepare_payload();

  c.stream.expires_after(c.options.timeout);
  beast::error_code ec =
      c.run([&](auto handler) { bhttp::async_write(c.stream, req, std::move(handler)); });
  if (ec) return c.fail("cannot send to", ec);

  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(static_cast<std::uint64_t>(c.options.body_limit));
  parser.skip(request.method == "HEAD");  // a HEAD response has a Content-Length but no body
  c.stream.expires_after(c.options.timeout);
  ec = c.run(
      [&](auto handler) { bhttp::async_read(c.stream, c.buffer, parser, std::move(handler)); });
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
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  impl_->stream.close();
  impl_->open = false;
}

Result<Response> request(std::string_view host, std::uint16_t port, const ClientRequest& request,
                         ClientOptions options) {
  auto connection = Connection::open(host, port, options);
  if (!connection) return std::move(connection).error();
  return connection->send(request);
}

}  // namespace tthc::http
