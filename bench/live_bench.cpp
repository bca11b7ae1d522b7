// The daemon's live side over a stored database, in one process as the daemon runs it:
//   build/bench/live_bench DB [scrapes=200] [reevaluations=5]
// start-up (the live state loaded from the store and judged now, metrics following), resident
// memory afterwards, the time to re-judge every dossier in process, and /metrics scrapes over
// loopback HTTP (the real server and endpoint). Prints one line per figure.
#include "api/dossier_api.hpp"
#include "api/probes_api.hpp"
#include "app/cli_support.hpp"
#include "config/catalogue.hpp"
#include "config/settings.hpp"
#include "http/client.hpp"
#include "live/monitor.hpp"
#include "metrics/metrics.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace tthc;
using app::now_in_vietnam;

// VmRSS / VmHWM of this process, in MiB.
double status_mib(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::atof(line.c_str() + std::string(key).size()) / 1024;
  }
  return 0;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: live_bench DB [scrapes=200] [reevaluations=5]\n");
    return 2;
  }
  const std::string db = argv[1];
  const int scrapes = argc > 2 ? std::atoi(argv[2]) : 200;
  const int reevaluations = argc > 3 ? std::atoi(argv[3]) : 5;
  {
    // As the daemon does before it loads: an older file is migrated (not timed).
    auto w = store::Writer::open(store::Options{db, false, 5000});
    if (!w) {
      std::fprintf(stderr, "live_bench: %s\n", w.error().message.c_str());
      return 1;
    }
  }

  config::CalendarSettings cs;
  cs.holidays_dir = std::string(TTHC_SOURCE_DIR) + "/config/holidays";
  auto cal = config::build_calendar(cs);
  auto rules = config::load_catalogue(std::string(TTHC_SOURCE_DIR) + "/config/procedures.csv");
  if (!cal || !rules) {
    std::fprintf(stderr, "live_bench: cannot load the calendar or the catalogue\n");
    return 1;
  }
  const engine::Catalogue catalogue(*rules);
  metrics::Metrics metrics(metrics::MetricsOptions{}, *cal);
  live::MonitorOptions mo;
  mo.db = db;
  mo.log = Log([](LogLevel, std::string_view m) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(m.size()), m.data());
  });
  live::Monitor monitor(mo, tthc::system_clock(), catalogue, *cal, engine::Settings{}, {&metrics});
  const auto started = std::chrono::steady_clock::now();
  monitor.start();
  while (!monitor.ready()) {
    if (!monitor.load_error().empty()) return 1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const double startup = seconds_since(started);
  const live::LoadStats stats = monitor.load_stats();
  std::printf("dossiers              %zu (%zu in process)\n", stats.dossiers, stats.held);
  std::printf("start-up              %.2f s (store scan and judging, metrics following)\n",
              startup);
  std::printf("resident memory       %.0f MiB (peak %.0f MiB)\n", status_mib("VmRSS:"),
              status_mib("VmHWM:"));

  std::vector<double> rejudge;
  for (int i = 0; i < reevaluations; ++i) {
    const auto t = std::chrono::steady_clock::now();
    monitor.with_state([](live::LiveState& s) { return s.reevaluate_all(now_in_vietnam()); });
    rejudge.push_back(seconds_since(t));
  }
  std::printf("re-judge all held     median %.1f ms over %d runs\n",
              percentile(rejudge, 0.5) * 1000, reevaluations);

  http::Router router;
  api::ReadApiOptions read{.catalogue = catalogue, .calendar = *cal};
  read.db = db;
  read.monitor = &monitor;
  api::add_read_api(router, system_clock(), std::move(read));
  api::ProbeOptions probes;
  probes.monitor = &monitor;
  probes.metrics = &metrics;
  api::add_probes(router, system_clock(), std::move(probes));
  http::Server server(http::ServerOptions{}, std::move(router));
  const auto port = server.start();
  if (!port) return 1;
  std::vector<double> times;
  std::size_t bytes = 0;
  for (int i = 0; i < scrapes; ++i) {
    const auto t = std::chrono::steady_clock::now();
    auto r = http::request("127.0.0.1", *port, http::ClientRequest{"GET", "/metrics", "", "", {}});
    times.push_back(seconds_since(t));
    if (!r || r->status != 200) return 1;
    bytes = r->body.size();
  }
  std::printf("/metrics scrape       p50 %.2f ms, p99 %.2f ms over %d (%zu bytes)\n",
              percentile(times, 0.5) * 1000, percentile(times, 0.99) * 1000, scrapes, bytes);
  server.stop(std::chrono::seconds(5));
  monitor.stop();
  return 0;
}
