// Every PromQL expression of the Grafana dashboards and of the Prometheus rules, evaluated by a
// real Prometheus (/usr/bin/prometheus) scraping the real daemon while it polls the simulator.
// Each must be accepted by Prometheus and return data, except the few listed below, each with
// its reason and a check that still catches a misspelt metric.
#include "integration/prometheus_api.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

#include <unistd.h>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace tthc {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using test::Answer;
using test::exposition_sum;
using test::get;
using test::PrometheusApi;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::string kSource = TTHC_SOURCE_DIR;
const std::string kPrometheus = "/usr/bin/prometheus";
const std::string kRulesFile = "dashboards/prometheus/rules.yml";

// --- What may be empty, and why ---------------------------------------------------------------

// Alerting rules: their condition is false on a healthy daemon one minute after start, or
// depends on the simulated figures. Each must still be accepted by Prometheus, and the left
// operand of its top-level comparison must return data, so a misspelt metric cannot hide behind
// "no alert". `quiet`: in this scenario (daemon up and ready, poller and webhook succeeding) the
// alert must not fire at all.
struct AlertException {
  std::string_view name;
  bool quiet;
  std::string_view why;
};
constexpr AlertException kAlertExceptions[] = {
    {"TthcOverdueRising", true,
     "compares with itself `offset 1d`: this Prometheus holds a minute of data, none a day back"},
    {"TthcOnTimeRateBelowTarget", false,
     "fires or not with the simulated on-time rates (about 0.9) against the target (0.95)"},
    {"TthcProvinceOnTimeRateBelowTarget", false, "likewise, for the whole province"},
    {"TthcIntakeStale", true, "the daemon has just committed intake: not 2 hours ago"},
    {"TthcPollFailing", true, "every poll cycle against the simulator succeeds"},
    {"TthcWebhookFailing", true, "the test's webhook requests are all accepted"},
    {"TthcMonitorDown", true, "the daemon is up"},
    {"TthcStateNotReady", true, "the daemon's state is loaded"},
    {"TthcStoreFailing", true, "every commit succeeds"},
    {"TthcStoreDamaged", true, "the store passed its quick check"},
    {"TthcCalendarProvisional", false,
     "fires only while this year's holiday table is provisional, or next year's in December"},
};

// This-month figures (tthc_month_*, tthc:month_*, tthc_index766_*) exist once a dossier has been
// resolved in the current calendar month. The simulated history ends this morning, so on the
// first working day of a month (and the days off before it) there may be none yet: only then may
// such an expression be empty, and tthc_month_resolved (every unit and outcome, zeros included)
// must have data instead.
bool reads_this_month(std::string_view expr) {
  return expr.find("tthc_month_") != std::string_view::npos ||
         expr.find("tthc:month_") != std::string_view::npos ||
         expr.find("tthc_index766_") != std::string_view::npos;
}
constexpr std::string_view kMonthFigures = R"(tthc_month_resolved{province="Test"})";
constexpr std::string_view kResolvedThisMonth = R"(sum(tthc_month_resolved{province="Test"}) > 0)";

// "X or vector(0)" always returns data; X is queried too and must return data.

// --- PromQL text ------------------------------------------------------------------------------

std::string collapse_spaces(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

/// For each position of `e`: outside every (), [], {} and string literal.
std::vector<bool> top_level(std::string_view e) {
  std::vector<bool> top(e.size(), false);
  int depth = 0;
  for (std::size_t i = 0; i < e.size(); ++i) {
    const char c = e[i];
    if (c == '"' || c == '\'' || c == '`') {
      std::size_t j = i + 1;
      while (j < e.size() && e[j] != c) j += (e[j] == '\\' && c != '`') ? 2U : 1U;
      i = j;  // the closing quote
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      --depth;
    } else {
      top[i] = depth == 0;
    }
  }
  return top;
}

/// The part of `e` before its first top-level comparison operator; nullopt when it has none.
/// (=~ and !~ occur only inside selectors' braces; a lone = not at all.)
std::optional<std::string> left_operand(std::string_view e) {
  const std::vector<bool> top = top_level(e);
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (!top[i]) continue;
    const bool next_is_eq = i + 1 < e.size() && e[i + 1] == '=';
    if (e[i] == '<' || e[i] == '>' || ((e[i] == '=' || e[i] == '!') && next_is_eq)) {
      return collapse_spaces(e.substr(0, i));
    }
  }
  return std::nullopt;
}

/// X of "X or vector(0)" when that `or` is at the top level.
std::optional<std::string> before_or_vector0(std::string_view expr) {
  const std::string e = collapse_spaces(expr);
  constexpr std::string_view tail = " or vector(0)";
  if (e.size() <= tail.size() || !e.ends_with(tail)) return std::nullopt;
  const std::size_t at = e.size() - tail.size() + 1;  // the 'o' of "or"
  if (!top_level(e)[at]) return std::nullopt;
  return e.substr(0, at - 1);
}

// --- Processes and HTTP -----------------------------------------------------------------------

std::string tail_of(const fs::path& p, std::size_t bytes = 3000) {
  const std::string text = test::read_file(p);
  return text.size() <= bytes ? text : "..." + text.substr(text.size() - bytes);
}

// --- The Prometheus HTTP API ------------------------------------------------------------------

// --- The checks -------------------------------------------------------------------------------

using Query = test::Expression;

const AlertException* alert_exception(const Query& q) {
  if (q.file != kRulesFile) return nullptr;
  for (const AlertException& e : kAlertExceptions) {
    if (e.name == q.panel) return &e;
  }
  return nullptr;
}

/// What is wrong with one expression's answer; nullopt when nothing is.
std::optional<std::string> check(const PrometheusApi& api, const Query& q, bool month_empty) {
  const Answer a = api.query(q.expr);
  if (!a.problem.empty()) return a.problem;
  const auto require_data = [&](const std::string& sub,
                                const std::string& role) -> std::optional<std::string> {
    const Answer s = api.query(sub);
    if (!s.problem.empty()) return role + " `" + sub + "`: " + s.problem;
    if (s.series == 0) return role + " `" + sub + "` returned no data";
    return std::nullopt;
  };
  if (const AlertException* ex = alert_exception(q)) {
    const auto lhs = left_operand(q.expr);
    if (!lhs) return "listed as an alert exception but has no top-level comparison";
    if (auto problem = require_data(*lhs, "left operand")) return problem;
    if (ex->quiet && a.series > 0) {
      return "the alert fires on a healthy daemon (" + std::to_string(a.series) + " series)";
    }
    return std::nullopt;
  }
  if (a.series == 0) {
    if (month_empty && reads_this_month(q.expr)) {
      return require_data(std::string(kMonthFigures), "nothing resolved this month yet, and");
    }
    return "no data";
  }
  if (const auto x = before_or_vector0(q.expr)) {
    return require_data(*x, "the operand before `or vector(0)`");
  }
  return std::nullopt;
}

TEST(PrometheusIntegration, EveryDashboardQueryAndRuleReturnsDataFromTheRealDaemon) {
  const auto started = Clock::now();
  ASSERT_TRUE(fs::exists(kPrometheus)) << kPrometheus << " is missing (Debian package prometheus)";
  test::TempDir dir;  // declared first: removed after every process below has been stopped

  // Every expression, as Grafana would send it (variables substituted) and as the rules hold it.
  const test::Outcome listed =
      test::run_process(kSource + "/dashboards/check", {"--exprs"}, kSource);
  ASSERT_EQ(listed.status, 0) << "dashboards/check --exprs failed:\n" << listed.err;
  const std::vector<Query> queries = test::parse_expressions(listed.out);
  ASSERT_GT(queries.size(), 50U) << listed.out;
  for (const AlertException& e : kAlertExceptions) {
    EXPECT_TRUE(std::any_of(queries.begin(), queries.end(),
                            [&](const Query& q) { return alert_exception(q) == &e; }))
        << "stale exception: no rule " << e.name << " in " << kRulesFile;
  }

  const fs::path sim_log = dir.file("simulate.log");
  const fs::path daemon_log = dir.file("daemon.log");
  const fs::path prometheus_log = dir.file("prometheus.log");
  const auto logs = [&] {
    return "\n--- simulate:\n" + tail_of(sim_log) + "\n--- daemon:\n" + tail_of(daemon_log) +
           "\n--- prometheus:\n" + tail_of(prometheus_log);
  };

  // The repository's calendar and catalogue, for the simulator and the daemon alike (not the
  // example config/tthc-monitor.toml: its store, listen address and poller are not the test's).
  const std::string sources = "[calendar]\nholidays_dir = \"" + kSource + "/config/holidays\"\n" +
                              "[catalogue]\nfile = \"" + kSource + "/config/procedures.csv\"\n";

  // 1. The simulated one-stop system: 40 days of history at once, then live at wall-clock pace.
  const auto sim_config = dir.write("simulate.toml", sources);
  auto sim = test::start_logged(
      sim_log,
      {TTHC_EXECUTABLE, "simulate", "--config", sim_config.string(), "--serve", "--port", "0",
       "--wall-clock", "--speed", "1", "--history", "40", "--rate", "200"},
      false, kSource);
  ASSERT_NE(sim->first_line().find("serving http://127.0.0.1:"), std::string::npos)
      << sim->first_line() << logs();

  // 2. The daemon, polling it. The history (~36,000 records) is fetched 30 pages of 100 a
  // second, so the catch-up lasts some 15 s: Prometheus, started once the first pages are in,
  // sees the counters and histograms grow. (All at once, it would be committed in ~5 s, maybe
  // before the first scrape; the simulator adds a dossier every couple of minutes afterwards, so
  // every "increase(...) / (increase(...) > 0)" panel would then be legitimately empty.)
  const auto config = dir.write(
      "monitor.toml",
      sources + "[metrics]\nprovince = \"Test\"\n[reports]\ndir = \"reports\"\n" +
          "[poller]\nenabled = true\nurl = \"http://127.0.0.1:" + std::to_string(sim->port()) +
          "/api/dossiers\"\ninterval = \"1s\"\npage_size = 100\nmax_pages_per_cycle = 30\n");
  auto daemon = test::start_logged(daemon_log,
                                   {TTHC_EXECUTABLE, "run", "--config", config.string(), "--db",
                                    dir.file("t.db").string(), "--port", "0"},
                                   false, kSource);
  ASSERT_NE(daemon->first_line().find("tthc-monitor: listening on http://127.0.0.1:"),
            std::string::npos)
      << daemon->first_line() << logs();
  const std::uint16_t daemon_port = daemon->port();
  std::string exposition;
  ASSERT_TRUE(test::await(
      [&] {
        const auto ready = get(daemon_port, "/readyz");
        if (!ready || ready->status != 200) return false;
        const auto metrics = get(daemon_port, "/metrics");
        if (!metrics || metrics->status != 200) return false;
        exposition = metrics->body;
        return exposition_sum(exposition, "tthc_dossiers_tracked").value_or(0) > 0 &&
               exposition_sum(exposition, "tthc_dossiers_pending").value_or(0) > 0;
      },
      30s))
      << "the daemon is not ready with tracked and pending dossiers:\n"
      << exposition.substr(0, 2000) << logs();

  // 3. Prometheus, scraping and evaluating every second. The rule groups say `interval: 1m`; a
  // test cannot wait minutes for their evaluations, so Prometheus loads a copy in which every
  // group's interval is 1s (nothing else differs).
  std::string rules;
  {
    std::istringstream in(test::read_file(kSource + "/" + kRulesFile));
    std::string line;
    int intervals = 0;
    while (std::getline(in, line)) {
      const auto indent = line.find_first_not_of(' ');
      if (indent != std::string::npos && indent > 0 &&
          std::string_view(line).substr(indent).starts_with("interval:")) {
        line = line.substr(0, indent) + "interval: 1s";
        ++intervals;
      }
      rules += line + "\n";
    }
    ASSERT_GT(rules.size(), 100U) << "cannot read " << kRulesFile;
    RecordProperty("rule_group_intervals_shortened", intervals);
  }
  const fs::path rules_copy = dir.write("rules.yml", rules);
  const std::uint16_t prometheus_port = test::free_port();
  ASSERT_GT(prometheus_port, 0);
  const fs::path prometheus_config =
      dir.write("prometheus.yml",
                "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
                "rule_files:\n  - \"" +
                    rules_copy.string() +
                    "\"\n"
                    "scrape_configs:\n"
                    "  - job_name: tthc-monitor\n"
                    "    metrics_path: /metrics\n"
                    "    honor_labels: true\n"
                    "    static_configs:\n"
                    "      - targets: [\"127.0.0.1:" +
                    std::to_string(daemon_port) +
                    "\"]\n"
                    "        labels:\n"
                    "          province: Test\n");
  auto prometheus =
      test::start_logged(prometheus_log,
                         {kPrometheus, "--config.file=" + prometheus_config.string(),
                          "--storage.tsdb.path=" + dir.file("tsdb").string(),
                          "--web.listen-address=127.0.0.1:" + std::to_string(prometheus_port)},
                         true, kSource);
  const PrometheusApi api(prometheus_port);
  ASSERT_TRUE(test::await([&] { return test::answers_ok(prometheus_port, "/-/ready"); }, 20s))
      << "Prometheus is not ready on port " << prometheus_port << logs();
  ASSERT_TRUE(
      test::await([&] { return api.query(R"(up{job="tthc-monitor"} == 1)").series == 1; }, 20s))
      << "no successful scrape of the daemon" << logs();

  // Webhook traffic, for the webhook panels: empty envelopes, accepted.
  for (int i = 0; i < 3; ++i) {
    const auto r = http::request("127.0.0.1", daemon_port,
                                 http::ClientRequest{"POST",
                                                     "/api/v1/mc",
                                                     R"({"service":"DongBoHoSoMC","data":[]})",
                                                     "application/json",
                                                     {}});
    ASSERT_TRUE(r && r->status == 200) << (r ? r->body : r.error().message);
  }

  // A few evaluation rounds of every rule group after the first scrape.
  std::map<std::string, std::set<std::string>> evaluations;
  ASSERT_TRUE(test::await(
      [&] {
        const auto r = api.rules();
        if (!r.problem.empty() || r.group_evaluated.empty()) return false;
        bool enough = true;
        for (const auto& [group, at] : r.group_evaluated) {
          if (!at.starts_with("0001-")) evaluations[group].insert(at);  // 0001-...: not yet
          enough = enough && evaluations[group].size() >= 3;
        }
        return enough;
      },
      30s, 200ms))
      << "the rule groups were not evaluated three times" << logs();

  // 4. Every expression, in rounds until all pass: the catch-up and the webhook requests must
  // have reached two scrapes for rate() and increase() to see them. The last round's failures
  // are reported, all at once.
  std::vector<std::string> failures;
  int rounds = 0;
  bool month_empty = false;
  const auto deadline = Clock::now() + 60s;
  while (true) {
    ++rounds;
    failures.clear();
    const Answer resolved = api.query(kResolvedThisMonth);
    month_empty = resolved.problem.empty() && resolved.series == 0;
    const auto health = api.rules();
    if (!health.problem.empty()) failures.push_back("GET /api/v1/rules: " + health.problem);
    for (const Query& q : queries) {
      if (q.file == kRulesFile) {
        const auto it = health.health.find(q.panel);
        if (it == health.health.end()) {
          failures.push_back(q.file + " | " + q.panel + " | not loaded by Prometheus");
        } else if (it->second.first != "ok") {
          failures.push_back(q.file + " | " + q.panel + " | rule health " + it->second.first +
                             ": " + it->second.second);
        }
      }
      if (auto problem = check(api, q, month_empty)) {
        failures.push_back(q.file + " | " + q.panel + " | " + collapse_spaces(q.expr) + " | " +
                           *problem);
      }
    }
    if (failures.empty() || Clock::now() >= deadline) break;
    std::this_thread::sleep_for(1s);  // the next scrape and evaluation
  }
  RecordProperty("queries", static_cast<int>(queries.size()));
  RecordProperty("rounds", rounds);
  if (month_empty) {
    std::cout << "note: nothing resolved this month yet; this-month panels were allowed empty\n";
  }
  std::string report;
  for (const std::string& f : failures) report += "\n  " + f;
  EXPECT_TRUE(failures.empty()) << failures.size() << " of " << queries.size()
                                << " expressions failed (file | panel | expr | problem):" << report;

  // 5. Everything stops cleanly (on an early return, the destructors kill what is left).
  EXPECT_EQ(prometheus->stop(), 0) << logs();
  EXPECT_EQ(daemon->stop(), 0) << logs();
  EXPECT_EQ(sim->stop(), 0) << logs();
  std::cout << queries.size() << " expressions checked in " << rounds << " round(s), "
            << std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count()
            << " s in all\n";
}

}  // namespace
}  // namespace tthc
