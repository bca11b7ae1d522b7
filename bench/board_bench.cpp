// The board's endpoints against a running daemon, over one keep-alive loopback connection:
//   build/bench/board_bench PORT [requests=200] [TARGET...]
// Each target is asked `requests` times after 5 warm-up requests; prints p50, p90, p99 and the
// largest latency in ms and the body size. Default targets: every JSON and picture the pages
// read (the work list's first page, a unit, a dossier found in the work list). With
// TTHC_BENCH_TOKEN set, sends it as the bearer token.
#include "http/client.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace tthc;

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// The first item's `key` of a JSON answer (a unit, a dossier code), for the default targets.
std::string first_of(http::Connection& c, const http::ClientRequest& r, const char* array,
                     const char* key) {
  auto res = c.send(r);
  if (!res || res->status != 200) return "";
  boost::system::error_code ec;
  const auto v = boost::json::parse(res->body, ec);
  if (ec || !v.is_object()) return "";
  const auto* a = v.as_object().if_contains(array);
  if (a == nullptr || !a->is_array() || a->as_array().empty()) return "";
  return std::string(a->as_array()[0].at(key).as_string());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: board_bench PORT [requests=200] [TARGET...]\n");
    return 2;
  }
  const auto port = static_cast<std::uint16_t>(std::atoi(argv[1]));
  const int requests = argc > 2 ? std::atoi(argv[2]) : 200;
  std::vector<std::pair<std::string, std::string>> headers;
  if (const char* token = std::getenv("TTHC_BENCH_TOKEN")) {
    headers.emplace_back("Authorization", std::string("Bearer ") + token);
  }
  auto connection = http::Connection::open("127.0.0.1", port);
  if (!connection) {
    std::fprintf(stderr, "board_bench: %s\n", connection.error().message.c_str());
    return 1;
  }
  std::vector<std::string> targets;
  for (int i = 3; i < argc; ++i) targets.emplace_back(argv[i]);
  if (targets.empty()) {
    const std::string unit =
        first_of(*connection, {"GET", "/api/v1/overview", "", "", headers}, "units", "unit");
    const std::string code =
        first_of(*connection, {"GET", "/api/v1/dossiers?state=overdue&limit=1", "", "", headers},
                 "items", "code");
    targets = {"/api/v1/overview",
               "/api/v1/trend",
               "/api/v1/trend.svg",
               "/api/v1/overview/ranking.svg",
               "/api/v1/units/" + unit,
               "/api/v1/dossiers?limit=50",
               "/api/v1/dossiers?state=overdue&limit=50",
               "/api/v1/dossiers?unit=" + unit + "&state=due_soon&limit=50",
               "/api/v1/dossiers/" + code,
               "/api/v1/dossiers/" + code + "/timeline.svg",
               "/"};
  }
  std::printf("%-52s %9s %9s %9s %9s %10s\n", "target", "p50 ms", "p90 ms", "p99 ms", "max ms",
              "bytes");
  for (const std::string& target : targets) {
    const http::ClientRequest req{"GET", target, "", "", headers};
    std::vector<double> ms;
    std::size_t bytes = 0;
    for (int i = 0; i < requests + 5; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      auto r = connection->send(req);
      const double elapsed =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      if (!r || r->status != 200) {
        std::fprintf(
            stderr, "board_bench: %s: %s\n", target.c_str(),
            r ? ("status " + std::to_string(r->status)).c_str() : r.error().message.c_str());
        return 1;
      }
      bytes = r->body.size();
      if (i >= 5) ms.push_back(elapsed);
    }
    std::printf("%-52s %9.2f %9.2f %9.2f %9.2f %10zu\n", target.substr(0, 52).c_str(),
                percentile(ms, 0.5), percentile(ms, 0.9), percentile(ms, 0.99),
                *std::max_element(ms.begin(), ms.end()), bytes);
  }
  return 0;
}
