// Report benchmark: builds each report of a period — a month, a quarter, a half-year, a year or
// a range (2025-09, 2025-Q3, 2025-H1, 2025, 2025-01..2025-09) — from a stored database, as
// `tthc-monitor report` does — the restricted store scan, every candidate judged by the engine,
// the reports counted — then renders each kind; with --full, also the same reports from a scan
// of every stored dossier (the cost the restriction avoids). With --review SPAN, the phase
// review of the span (one scan over it and the span before, each dossier judged once per year
// end it can count in), both cut-offs, and every format rendered.
//   build/bench/report_bench DB [--runs N] [--full] [--start-day D] [--review SPAN]... PERIOD...
// Prints the median of N runs (the first run warms the page cache and is not counted), wall
// time and the process's CPU time.
#include "config/catalogue.hpp"
#include "config/settings.hpp"
#include "reports/collect.hpp"
#include "reports/render.hpp"
#include "reports/review.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

namespace {

using namespace tthc;
using Steady = std::chrono::steady_clock;

double seconds_since(Steady::time_point t0) {
  return std::chrono::duration<double>(Steady::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "report_bench: %s\n", message.c_str());
  std::exit(1);
}

// The phase review of each span, judged as of the span's ends (the bench's "now" is far ahead).
void bench_reviews(store::Reader& reader, const calendar::WorkingCalendar& calendar,
                   const engine::Catalogue& catalogue, const std::vector<std::string>& spans,
                   int runs) {
  const Moment now = Moment(Date(std::chrono::year{2100} / 1 / 1));
  for (const std::string& text : spans) {
    auto span = reports::parse_year_span(text);
    if (!span) fail(span.error().message);
    for (const int start_day : {1, 15}) {
      std::vector<double> build_times, render_times[std::size(reports::kFormats)];
      std::size_t read = 0, judged = 0;
      std::int64_t resolved = 0;
      for (int run = 0; run <= runs; ++run) {
        const auto t0 = Steady::now();
        auto r = reports::build_review(reader, calendar, catalogue, engine::Settings{},
                                       {*span, start_day, now});
        if (!r) fail(r.error().message);
        if (run > 0) build_times.push_back(seconds_since(t0));
        read = r->dossiers_read;
        judged = r->judgements;
        resolved = r->total_span.resolved;
        for (std::size_t f = 0; f < std::size(reports::kFormats); ++f) {
          const auto t1 = Steady::now();
          if (!reports::render_review(*r, reports::kFormats[f])) fail("render failed");
          if (run > 0) render_times[f].push_back(seconds_since(t1));
        }
      }
      std::printf(
          "%s (start day %d): %zu dossiers read, %zu judgements, %lld resolved in the "
          "span; build median %.3f s of %d runs; render json %.0f ms, csv %.0f ms, "
          "html %.0f ms, xlsx %.0f ms\n",
          text.c_str(), start_day, read, judged, static_cast<long long>(resolved),
          median(build_times), runs, median(render_times[0]) * 1000, median(render_times[1]) * 1000,
          median(render_times[2]) * 1000, median(render_times[3]) * 1000);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: report_bench DB [--runs N] [--full] [--start-day D] [--review SPAN]... "
                 "PERIOD...\n");
    return 2;
  }
  const std::string db = argv[1];
  int runs = 5;
  bool full = false;
  int start_day = 1;
  std::vector<std::string> months, spans;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
    } else if (a == "--start-day" && i + 1 < argc) {
      start_day = std::atoi(argv[++i]);
    } else if (a == "--review" && i + 1 < argc) {
      spans.emplace_back(argv[++i]);
    } else if (a == "--full") {
      full = true;
    } else {
      months.push_back(a);
    }
  }
  config::CalendarSettings cs;
  cs.holidays_dir = std::string(TTHC_SOURCE_DIR) + "/config/holidays";
  auto cal = config::build_calendar(cs);
  if (!cal) fail(cal.error().message);
  auto rules = config::load_catalogue(std::string(TTHC_SOURCE_DIR) + "/config/procedures.csv");
  if (!rules) fail(rules.error().message);
  const engine::Catalogue catalogue(std::move(*rules));
  {
    auto w = store::Writer::open(store::Options{db, false, 5000});  // migrates an older file
    if (!w) fail(w.error().message);
  }
  auto reader = store::Reader::open(db);
  if (!reader) fail(reader.error().message);
  const auto totals = reader->totals();
  std::printf("store: %s, %lld dossiers, %lld progress entries\n", db.c_str(),
              static_cast<long long>(totals ? totals->dossiers : 0),
              static_cast<long long>(totals ? totals->progress : 0));

  for (const std::string& m : months) {
    auto period = reports::parse_period_spec(m, start_day);
    if (!period) fail(period.error().message);
    const reports::Inputs in =
        reports::make_inputs(*period, period->end, *cal, catalogue, engine::Settings{});
    std::vector<double> build_times, build_cpu;
    std::vector<std::vector<double>> render_times(std::size(reports::kKinds) *
                                                  std::size(reports::kFormats));
    std::size_t read = 0;
    std::int64_t handled = 0;
    for (int run = 0; run <= runs; ++run) {
      const auto t0 = Steady::now();
      const std::clock_t c0 = std::clock();
      auto built = reports::build_reports(*reader, *cal, catalogue, in);
      if (!built) fail(built.error().message);
      const double build = seconds_since(t0);
      const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
      read = built->dossiers_read;
      handled = built->results.total.received_total();
      std::size_t k = 0;
      for (const reports::Kind kind : reports::kKinds) {
        for (const reports::Format format : reports::kFormats) {
          const auto t1 = Steady::now();
          auto bytes = reports::render(*built, kind, format);
          if (!bytes) fail(bytes.error().message);
          if (run > 0) render_times[k].push_back(seconds_since(t1));
          ++k;
        }
      }
      if (run > 0) {
        build_times.push_back(build);
        build_cpu.push_back(cpu);
      }
    }
    // CPU time beside the wall time: on a shared machine the wall time counts the others' work.
    std::printf(
        "%s: %zu dossiers read, %lld handled (col 3); build (scan, judge, count) "
        "median %.3f s of %d runs, %.3f s CPU\n",
        m.c_str(), read, static_cast<long long>(handled), median(build_times), runs,
        median(build_cpu));
    std::size_t k = 0;
    for (const reports::Kind kind : reports::kKinds) {
      std::printf("  %-9s", std::string(reports::to_string(kind)).c_str());
      for (const reports::Format format : reports::kFormats) {
        std::printf("  %s +%.1f ms", std::string(reports::to_string(format)).c_str(),
                    median(render_times[k++]) * 1000);
      }
      std::printf("\n");
    }
    if (full) {
      const auto t0 = Steady::now();
      reports::Collector all(*cal, catalogue, in);
      auto scanned = reader->scan({}, [&](store::StoredTimeline& st) {
        all.add(st.timeline);
        return true;
      });
      if (!scanned) fail(scanned.error().message);
      const reports::Reports r = all.finish();
      std::printf(
          "  every stored dossier instead (Reader::scan, one run): %zu read, %.3f s; "
          "same figures: %s\n",
          r.dossiers_read, seconds_since(t0),
          reports::to_json(r.results) ==
                  reports::to_json(
                      reports::build_reports(*reader, *cal, catalogue, in).value().results)
              ? "yes"
              : "NO");
    }
  }
  bench_reviews(*reader, *cal, catalogue, spans, runs);
  return 0;
}
