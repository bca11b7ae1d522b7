// parse_url, apart from client.cpp so that Boost.URL and Beast are not compiled together.

#include "http/client.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/scheme.hpp>
#include <boost/url/url_view.hpp>

#include <charconv>

namespace tthc::http {

Result<Url> parse_url(std::string_view text) {
  namespace urls = boost::urls;
  const auto bad = [&](std::string_view why) {
    return Error{"not an http(s) URL: \"" + std::string(text) + "\": " + std::string(why)};
  };
  const auto parsed = urls::parse_uri(text);  // a fragment is allowed, then dropped
  if (!parsed) return bad("malformed (" + std::string(parsed.error().message()) + ")");
  const urls::url_view& url = *parsed;

  Url out;
  switch (url.scheme_id()) {
    case urls::scheme::http: out.tls = false; break;
    case urls::scheme::https: out.tls = true; break;
    default: return bad("the scheme must be http or https");
  }
  if (!url.has_authority()) return bad("no host");
  if (url.has_userinfo()) {
    // Named without the user info, which may hold a password.
    return Error{"not an http(s) URL: \"" + std::string(url.scheme()) + "://***@" +
                 std::string(url.encoded_host_and_port()) + std::string(url.encoded_path()) +
                 "\": user info (user:password@) is not supported"};
  }
  switch (url.host_type()) {
    case urls::host_type::ipv4:
    case urls::host_type::ipv6: out.host = std::string(url.encoded_host_address()); break;
    case urls::host_type::name: {
      const std::string_view host = url.encoded_host();
      if (host.find('%') != std::string_view::npos) return bad("a percent-encoded host");
      out.host = std::string(host);
      break;
    }
    default: return bad("no host");
  }
  if (out.host.empty()) return bad("no host");

  out.port = out.tls ? 443 : 80;
  if (url.has_port() && !url.port().empty()) {  // "host:" means the default port
    const std::string_view port = url.port();
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return bad("the port must be 1-65535");
    }
    out.port = static_cast<std::uint16_t>(value);
  }

  out.target = std::string(url.encoded_path());
  // After an authority a path is empty or starts with '/'; Boost.URL 1.81 reads
  // "http://h:80x/" as port 80 and path "x/".
  if (!out.target.empty() && out.target.front() != '/') return bad("malformed port or path");
  if (out.target.empty()) out.target = "/";
  if (url.has_query()) out.target += '?' + std::string(url.encoded_query());
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' ||
        u == '.' || u == '_' || u == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

}  // namespace tthc::http
