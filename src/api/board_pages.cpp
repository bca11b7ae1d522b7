// The board's pages: one HTML shell for every page (the front-end draws it from the JSON), the
// built-in assets, and the sign-in that turns the read token into an HttpOnly cookie.
#include "api/board_parts.hpp"

#include "api/bearer_auth.hpp"
#include "board/assets.hpp"
#include "domain/text.hpp"
#include "http/client.hpp"

#include <cctype>

#include <fstream>
#include <sstream>

namespace tthc::api {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'";

std::string_view content_type_of(std::string_view name) {
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".svg")) return "image/svg+xml";
  return "text/html; charset=utf-8";
}

// The asset's bytes: from the development folder when one is set, else built in.
std::optional<std::string> asset(const BoardOptions& o, std::string_view name) {
  const auto built_in = board::find_asset(name);
  if (!built_in) return std::nullopt;  // only the known names, whatever the folder holds
  if (o.assets_dir) {
    std::ifstream in(*o.assets_dir / std::string(name), std::ios::binary);
    if (in) {
      std::stringstream text;
      text << in.rdbuf();
      return text.str();
    }
  }
  return std::string(built_in->bytes);
}

void replace_all(std::string& text, std::string_view what, std::string_view with) {
  for (std::size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

http::Response redirect(std::string location) {
  http::Response r;
  r.status = 303;
  r.content_type.clear();
  r.headers.emplace_back("Location", std::move(location));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// Where to go after signing in: a path of this site only ("/x", not "//host" or "/\host").
std::string safe_next(std::string_view next) {
  if (next.empty() || next.front() != '/' || next.starts_with("//") ||
      next.find_first_of("\\\r\n\t") != std::string_view::npos || next.size() > 2000) {
    return "/";
  }
  for (const char c : next) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) return "/";
  }
  return std::string(next);
}

http::Response html_page(std::string html) {
  return board_response("text/html; charset=utf-8", std::move(html));
}

http::Response page(const BoardOptions& o, const http::Request& req, std::string_view name) {
  if (o.token && !session_authorised(*o.token, req)) {
    // The sign-in page speaks the language the visitor asked the page in.
    const auto lang = req.query_param("lang");
    return redirect("/signin?next=" + http::percent_encode(req.target) +
                    (lang && board::parse_lang(*lang)
                         ? "&lang=" + std::string(board::lang_code(*board::parse_lang(*lang)))
                         : std::string()));
  }
  auto shell = asset(o, "shell.html");
  if (!shell) return http::error_response(500, "the board's shell is missing");
  replace_all(*shell, "{{lang}}", board::lang_code(page_lang(req)));
  replace_all(*shell, "{{page}}", name);
  replace_all(*shell, "{{auth}}", o.token ? "token" : "open");
  return html_page(std::move(*shell));
}

http::Response signin_page(const BoardOptions& o, const http::Request& req) {
  if (!o.token) return redirect("/");
  auto form = asset(o, "signin.html");
  if (!form) return http::error_response(500, "the sign-in page is missing");
  replace_all(*form, "{{lang}}", board::lang_code(page_lang(req)));
  replace_all(*form, "{{next}}", escape_markup(safe_next(req.query_param("next").value_or("/"))));
  replace_all(*form, "{{error_class}}", req.query_param("error") ? "error" : "hidden");
  return html_page(std::move(*form));
}

http::Response signin(const BoardOptions& o, const http::Request& req) {
  if (!o.token) return redirect("/");
  // The form's body is a query string (application/x-www-form-urlencoded): read it as one.
  http::Request form;
  form.query = req.body;
  const std::string next = safe_next(form.query_param("next").value_or("/"));
  const std::string given = form.query_param("token").value_or("");
  http::Request probe;
  probe.headers.emplace_back("authorization", "Bearer " + given);
  if (!bearer_authorised(o.token, probe)) {
    return redirect("/signin?error=1&next=" + http::percent_encode(next));
  }
  http::Response r = redirect(next);
  r.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) + "=" + session_value(*o.token) +
                                           "; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000");
  return r;
}

http::Response signout(const BoardOptions&, const http::Request&) {
  http::Response r = redirect("/signin");
  r.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) +
                                           "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  return r;
}

}  // namespace

board::Lang page_lang(const http::Request& req) {
  if (const auto lang = req.query_param("lang")) {
    if (const auto parsed = board::parse_lang(*lang)) return *parsed;
  }
  return board::lang_from_accept_language(req.header("accept-language").value_or(""));
}

http::Response board_response(std::string_view content_type, std::string body) {
  http::Response r;
  r.content_type = std::string(content_type);
  r.body = std::move(body);
  r.headers.emplace_back("Cache-Control", "no-store");
  add_page_security(r);
  return r;
}

void add_page_security(http::Response& r) {
  r.headers.emplace_back("Content-Security-Policy", std::string(kPolicy));
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
}

void add_board_pages(http::Router& router, const BoardOptions& options) {
  auto o = std::make_shared<const BoardOptions>(options);
  const std::pair<std::string_view, std::string_view> pages[] = {{"/", "overview"},
                                                                 {"/units/{unit}", "unit"},
                                                                 {"/dossiers", "worklist"},
                                                                 {"/dossiers/{code}", "dossier"},
                                                                 {"/reports", "reports"}};
  for (const auto& [path, name] : pages) {
    router.add("GET", std::string(path), [o, name = std::string(name)](const http::Request& req) {
      return page(*o, req, name);
    });
  }
  router.add("GET", "/assets/{file}", [o](const http::Request& req) {
    const std::string name(req.param("file").value_or(""));
    auto bytes = asset(*o, name);
    if (!bytes) return http::error_response(404, "no asset " + quote_for_error(name));
    http::Response r;
    r.content_type = std::string(content_type_of(name));
    r.body = std::move(*bytes);
    r.headers.emplace_back("Cache-Control", "no-cache");
    add_page_security(r);
    return r;
  });
  router.add("GET", "/signin", [o](const http::Request& req) { return signin_page(*o, req); });
  router.add("POST", "/signin", [o](const http::Request& req) { return signin(*o, req); });
  router.add("POST", "/signout", [o](const http::Request& req) { return signout(*o, req); });
}

}  // namespace tthc::api
