// The router, request accessors and JSON error bodies, without sockets.

#include "http/server.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace {

using tthc::http::error_response;
using tthc::http::Request;
using tthc::http::Response;
using tthc::http::Router;

Response text(std::string body) {
  Response r;
  r.content_type = "text/plain";
  r.body = std::move(body);
  return r;
}

Request get(std::string target, std::string method = "GET") {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.path = r.target.substr(0, r.target.find('?'));
  return r;
}

std::string header(const Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "<absent>";
}

Router sample_router() {
  Router router;
  router.add("GET", "/", [](const Request&) { return text("root"); });
  router.add("GET", "/api/v1/dossiers", [](const Request&) { return text("list"); });
  router.add("GET", "/api/v1/dossiers/{code}",
             [](const Request& r) { return text("one:" + std::string(*r.param("code"))); });
  router.add("DELETE", "/api/v1/dossiers/{code}", [](const Request&) { return text("deleted"); });
  router.add("GET", "/api/v1/dossiers/summary", [](const Request&) { return text("summary"); });
  router.add("POST", "/api/v1/webhook", [](const Request&) { return text("posted"); });
  router.add("GET", "/a/{x}/b/{y}", [](const Request& r) {
    return text(std::string(*r.param("x")) + "," + std::string(*r.param("y")));
  });
  return router;
}

TEST(Router, MatchesExactPathsAndPlaceholders) {
  const Router router = sample_router();
  EXPECT_EQ(router.dispatch(get("/")).body, "root");
  EXPECT_EQ(router.dispatch(get("/api/v1/dossiers")).body, "list");
  EXPECT_EQ(router.dispatch(get("/api/v1/dossiers?state=overdue")).body, "list");
  EXPECT_EQ(router.dispatch(get("/api/v1/dossiers/H56-0001")).body, "one:H56-0001");
  EXPECT_EQ(router.dispatch(get("/a/1/b/2")).body, "1,2");
  EXPECT_EQ(router.dispatch(get("/api/v1/dossiers/H56-0001", "DELETE")).body, "deleted");
}

TEST(Router, LiteralSegmentBeatsPlaceholder) {
  const Router router = sample_router();
  EXPECT_EQ(router.dispatch(get("/api/v1/dossiers/summary")).body, "summary");
}

TEST(Router, PlaceholdersArePercentDecodedPerSegment) {
  const Router router = sample_router();
  // "Hà Nội/01": the escaped '/' stays inside the segment.
  EXPECT_EQ(router.dispatch(get("/api/v1/dossiers/H%C3%A0%20N%E1%BB%99i%2F01")).body,
            "one:Hà Nội/01");
}

TEST(Router, HandBuiltRequestWithOnlyAPathIsRouted) {
  const Router router = sample_router();
  Request r;
  r.method = "GET";
  r.path = "/api/v1/dossiers/X1";
  EXPECT_EQ(router.dispatch(r).body, "one:X1");
}

TEST(Router, UnknownPathIs404Json) {
  const Router router = sample_router();
  for (const char* target : {"/nope", "/api/v1/dossiers/", "/api/v1/dossiers/a/b", "/api/v1"}) {
    const Response r = router.dispatch(get(target));
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_NE(r.body.find("\"error\""), std::string::npos);
  }
}

TEST(Router, WrongMethodIs405WithAllow) {
  const Router router = sample_router();
  const Response r = router.dispatch(get("/api/v1/dossiers/X1", "PUT"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(header(r, "Allow"), "DELETE, GET, HEAD");
  const Response post_only = router.dispatch(get("/api/v1/webhook"));
  EXPECT_EQ(post_only.status, 405);
  EXPECT_EQ(header(post_only, "Allow"), "POST");
}

TEST(Router, HeadFallsBackToGet) {
  const Router router = sample_router();
  EXPECT_EQ(router.dispatch(get("/api/v1/dossiers", "HEAD")).body, "list");
}

TEST(Router, HandlerExceptionsPropagate) {
  Router router;
  router.add("GET", "/boom", [](const Request&) -> Response { throw std::runtime_error("x"); });
  EXPECT_THROW((void)router.dispatch(get("/boom")), std::runtime_error);
}

TEST(Router, RejectsMalformedPatternsAndDuplicates) {
  Router router;
  const auto ok = [](const Request&) { return Response{}; };
  EXPECT_THROW(router.add("GET", "no-slash", ok), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/a/{", ok), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/a/{}", ok), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/a/x{id}", ok), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/a/{id}/{id}", ok), std::invalid_argument);
  EXPECT_THROW(router.add("", "/a", ok), std::invalid_argument);
  EXPECT_THROW(router.add("G T", "/a", ok), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/a", nullptr), std::invalid_argument);
  router.add("GET", "/a/{id}", ok);
  EXPECT_THROW(router.add("GET", "/a/{other}", ok), std::invalid_argument);
  EXPECT_NO_THROW(router.add("POST", "/a/{id}", ok));
}

TEST(ErrorResponse, EscapesTheMessageAsJson) {
  const Response r = error_response(422, "bad \"code\"\\ line\nnext\ttab \x01 Hồ sơ");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"error":"bad \"code\"\\ line\u000anext\u0009tab \u0001 Hồ sơ"})");
}

TEST(ErrorResponse, ReplacesInvalidUtf8) {
  // A lone continuation byte, a truncated sequence, an overlong '/' and a surrogate.
  const Response r = error_response(400, "a\x80z\xE1\x80!\xC0\xAF\xED\xA0\x80");
  EXPECT_EQ(r.body,
            "{\"error\":\"a\xEF\xBF\xBDz\xEF\xBF\xBD\xEF\xBF\xBD!\xEF\xBF\xBD\xEF\xBF\xBD"
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"}");
}

TEST(ErrorResponse, EscapesByTheProjectsOneRule) {
  // base/json_text.hpp: quotes, backslashes and controls below U+0020 escaped, the rest as is.
  const Response r = error_response(400, "\x7f\"a\n\x1f\xC3\xA0\\");
  EXPECT_EQ(r.body, "{\"error\":\"\x7f\\\"a\\u000a\\u001f\xC3\xA0\\\\\"}");
}

TEST(Request, HeaderLookupIgnoresCase) {
  Request r;
  r.headers = {{"content-type", "text/csv"}, {"x-a", "1"}, {"x-a", "2"}};
  EXPECT_EQ(r.header("content-type"), "text/csv");
  EXPECT_EQ(r.header("Content-Type"), "text/csv");
  EXPECT_EQ(r.header("x-a"), "1");
  EXPECT_FALSE(r.header("x-b").has_value());
}

TEST(Request, QueryParamsArePercentDecoded) {
  Request r;
  r.query = "name=Nguy%E1%BB%85n%20V%C4%83n%20A&city=H%C3%A0+N%E1%BB%99i&flag&empty=&amp=a%26b";
  EXPECT_EQ(r.query_param("name"), "Nguyễn Văn A");
  EXPECT_EQ(r.query_param("city"), "Hà Nội");
  EXPECT_EQ(r.query_param("flag"), "");
  EXPECT_EQ(r.query_param("empty"), "");
  EXPECT_EQ(r.query_param("amp"), "a&b");
  EXPECT_FALSE(r.query_param("missing").has_value());
  r.query = "a=%zz";
  EXPECT_FALSE(r.query_param("a").has_value());
}

}  // namespace
