// Request accessors, JSON error bodies and the router. Boost.URL only; no Beast here.

#include "http/server.hpp"

#include "base/json_text.hpp"
#include "http/target.hpp"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cstddef>
#include <stdexcept>

namespace tthc::http {

namespace {

char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return lower_ascii(x) == lower_ascii(y);
         });
}

/// Length of the well-formed UTF-8 sequence at s[i], or 0 (no overlongs, surrogates, or
/// code points above U+10FFFF).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  const auto continuation = [&](std::size_t k) {
    return k < s.size() && (byte(k) & 0xC0U) == 0x80U;
  };
  if (b0 < 0x80U) return 1;
  if (b0 >= 0xC2U && b0 <= 0xDFU) return continuation(i + 1) ? 2 : 0;
  if (b0 >= 0xE0U && b0 <= 0xEFU) {
    if (!continuation(i + 1) || !continuation(i + 2)) return 0;
    const unsigned char b1 = byte(i + 1);
    if (b0 == 0xE0U && b1 < 0xA0U) return 0;   // overlong
    if (b0 == 0xEDU && b1 >= 0xA0U) return 0;  // surrogate
    return 3;
  }
  if (b0 >= 0xF0U && b0 <= 0xF4U) {
    if (!continuation(i + 1) || !continuation(i + 2) || !continuation(i + 3)) return 0;
    const unsigned char b1 = byte(i + 1);
    if (b0 == 0xF0U && b1 < 0x90U) return 0;   // overlong
    if (b0 == 0xF4U && b1 >= 0x90U) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// `s` as a JSON string of valid UTF-8 (U+FFFD for each invalid byte: a message may quote a
// client's bytes), escaped by the project's one rule (base/json_text.hpp).
void append_error_text(std::string& out, std::string_view s) {
  std::string valid;
  valid.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c >= 0x80U ? utf8_sequence_length(s, i) : 1;
    if (n == 0) {
      valid += "\xEF\xBF\xBD";
      ++i;
    } else {
      valid.append(s, i, n);
      i += n;
    }
  }
  append_json_string(out, valid);
}

/// Splits "/a/b/" into {"a", "b", ""}; "/" and "" into {}.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      parts.push_back(path.substr(start));
      return parts;
    }
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

bool is_param_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool is_token(std::string_view method) {
  static constexpr std::string_view kSeparators = "()<>@,;:\\\"/[]?={} \t";
  return !method.empty() && std::all_of(method.begin(), method.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20U && u < 0x7FU && kSeparators.find(c) == std::string_view::npos;
  });
}

}  // namespace

namespace detail {

Result<Target> parse_target(std::string_view target) {
  namespace urls = boost::urls;
  const auto parsed = (!target.empty() && target.front() == '/') ? urls::parse_origin_form(target)
                                                                 : urls::parse_absolute_uri(target);
  if (!parsed) return Error{"malformed request target: " + parsed.error().message()};
  const urls::url_view& url = *parsed;
  Target out;
  out.encoded_path = std::string(url.encoded_path());
  if (out.encoded_path.empty()) out.encoded_path = "/";  // "http://host" means "/"
  out.path = url.path();
  if (out.path.empty()) out.path = "/";
  if (out.path.find('\0') != std::string::npos) return Error{"malformed request target: NUL"};
  out.query = std::string(url.encoded_query());
  return out;
}

Result<std::vector<std::string>> decoded_segments(std::string_view encoded_path) {
  std::vector<std::string> out;
  for (const std::string_view part : split_path(encoded_path)) {
    const auto pct = boost::urls::make_pct_string_view(part);
    if (!pct) return Error{"malformed path segment"};
    out.push_back(pct->decode());
  }
  return out;
}

}  // namespace detail

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (equals_ignore_case(name, lower_name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  namespace urls = boost::urls;
  if (!urls::parse_query(query)) return std::nullopt;
  try {
    const urls::params_view decoded(query, urls::encoding_opts(/*space_as_plus=*/true));
    for (const auto& param : decoded) {
      if (param.key == name) return param.has_value ? param.value : std::string();
    }
  } catch (const std::exception&) {
    // parse_query accepted it, so the constructor should not throw; an odd query is "absent".
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

Response error_response(int status, std::string_view message) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body.reserve(message.size() + 16);
  response.body += "{\"error\":";
  append_error_text(response.body, message);
  response.body += '}';
  return response;
}

Response internal_error(int status, std::string_view public_message, std::string detail) {
  Response r = error_response(status, public_message);
  r.log_detail = std::move(detail);
  return r;
}

void Router::add(std::string method, std::string pattern, Handler handler) {
  if (!is_token(method)) throw std::invalid_argument("router: bad method \"" + method + "\"");
  if (!handler) throw std::invalid_argument("router: empty handler for " + pattern);
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("router: pattern must start with '/': \"" + pattern + "\"");
  }
  Route route;
  for (const std::string_view part : split_path(pattern)) {
    Segment segment;
    if (!part.empty() && part.front() == '{') {
      const std::string_view name =
          part.size() >= 2 && part.back() == '}' ? part.substr(1, part.size() - 2) : "";
      if (!is_param_name(name)) {
        throw std::invalid_argument("router: bad placeholder in \"" + pattern + "\"");
      }
      segment.text = std::string(name);
      segment.is_param = true;
      for (const Segment& other : route.segments) {
        if (other.is_param && other.text == segment.text) {
          throw std::invalid_argument("router: placeholder repeated in \"" + pattern + "\"");
        }
      }
    } else {
      if (part.find_first_of("{}") != std::string_view::npos) {
        throw std::invalid_argument("router: '{' or '}' inside a segment of \"" + pattern + "\"");
      }
      segment.text = std::string(part);
    }
    route.segments.push_back(std::move(segment));
  }
  for (const Route& other : routes_) {
    if (other.method != method || other.segments.size() != route.segments.size()) continue;
    const bool same_shape =
        std::equal(other.segments.begin(), other.segments.end(), route.segments.begin(),
                   [](const Segment& a, const Segment& b) {
                     return a.is_param == b.is_param && (a.is_param || a.text == b.text);
                   });
    if (same_shape) {
      std::string message = "router: " + method;
      message.append(" ").append(pattern).append(" duplicates ").append(other.pattern);
      throw std::invalid_argument(message);
    }
  }
  route.method = std::move(method);
  route.pattern = std::move(pattern);
  route.handler = std::move(handler);
  routes_.push_back(std::move(route));
}

Response Router::dispatch(Request request) const {
  // Hand-built requests may carry only `path`; received ones are matched on their raw target
  // so that an escaped '/' stays inside its segment.
  std::vector<std::string> segments;
  if (!request.target.empty()) {
    auto target = detail::parse_target(request.target);
    if (!target) return error_response(400, target.error().message);
    auto decoded = detail::decoded_segments(target->encoded_path);
    if (!decoded) return error_response(400, decoded.error().message);
    segments = std::move(*decoded);
  } else {
    for (const std::string_view part : split_path(request.path)) segments.emplace_back(part);
  }

  const auto matches = [&](const Route& route) {
    if (route.segments.size() != segments.size()) return false;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const Segment& s = route.segments[i];
      if (s.is_param ? segments[i].empty() : s.text != segments[i]) return false;
    }
    return true;
  };
  // Literal segments beat placeholders, the earliest difference deciding.
  const auto more_specific = [](const Route& a, const Route& b) {
    for (std::size_t i = 0; i < a.segments.size(); ++i) {
      if (a.segments[i].is_param != b.segments[i].is_param) return !a.segments[i].is_param;
    }
    return false;
  };
  const auto best_for = [&](std::string_view method) -> const Route* {
    const Route* best = nullptr;
    for (const Route& route : routes_) {
      if (route.method != method || !matches(route)) continue;
      if (best == nullptr || more_specific(route, *best)) best = &route;
    }
    return best;
  };

  const Route* route = best_for(request.method);
  if (route == nullptr && request.method == "HEAD") route = best_for("GET");
  if (route == nullptr) {
    std::vector<std::string> allowed;
    for (const Route& r : routes_) {
      if (matches(r)) allowed.push_back(r.method);
    }
    if (allowed.empty()) return error_response(404, "no route for " + request.path);
    if (std::find(allowed.begin(), allowed.end(), "GET") != allowed.end()) {
      allowed.emplace_back("HEAD");
    }
    std::sort(allowed.begin(), allowed.end());
    allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
    std::string allow;
    for (const std::string& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    Response response =
        error_response(405, "method " + request.method + " not allowed for " + request.path);
    response.headers.emplace_back("Allow", std::move(allow));
    return response;
  }

  request.params.clear();
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (route->segments[i].is_param) {
      request.params.emplace_back(route->segments[i].text, std::move(segments[i]));
    }
  }
  return route->handler(request);
}

}  // namespace tthc::http
