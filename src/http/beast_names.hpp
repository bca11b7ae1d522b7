#pragma once
// The short names server.cpp and client.cpp give Boost's namespaces and types. Private to this
// module's Beast files: no public header includes it, so Beast stays out of them.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>

namespace tthc::http::beast_names {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

}  // namespace tthc::http::beast_names
