// Working-time arithmetic and dossier evaluation on the official calendar.
//   build/bench/engine_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include "calendar/limit.hpp"
#include "config/settings.hpp"
#include "engine/evaluate.hpp"

#include <benchmark/benchmark.h>

#include <random>
#include <stdexcept>
#include <vector>

namespace {

using namespace tthc;
using std::chrono::hours;
using std::chrono::minutes;

const calendar::WorkingCalendar& cal() {
  static const calendar::WorkingCalendar c = [] {
    config::CalendarSettings s;
    s.holidays_dir = std::filesystem::path(TTHC_SOURCE_DIR) / "config" / "holidays";
    auto r = config::build_calendar(s);
    if (!r) throw std::runtime_error(r.error().message);
    return std::move(*r);
  }();
  return c;
}

// Receipts spread over 2025–2026 at any minute, so lookups are not all in one cache line.
std::vector<Moment> receipts(std::size_t n) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> day(0, 729);
  std::uniform_int_distribution<int> minute(0, 24 * 60 - 1);
  std::vector<Moment> out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(make_moment(2025, 1, 1) + std::chrono::days{day(rng)} + minutes{minute(rng)});
  }
  return out;
}

void BM_AddWorkingTime30wd(benchmark::State& state) {
  const auto& c = cal();
  const auto from = receipts(4096);
  const Duration amount = 30 * c.day_length();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(c.add(from[i++ & 4095], amount));
  }
}
BENCHMARK(BM_AddWorkingTime30wd);

// The straightforward alternative, for a side-by-side ratio: walk day by day through the
// sessions until the amount is used up.
Moment add_by_walking(const calendar::WorkingCalendar& c, Moment from, Duration amount) {
  Date d = day_of(from);
  for (;;) {
    if (c.is_working_day(d)) {
      for (const calendar::Session& s : c.hours().sessions) {
        const Moment begin = std::max(from, d + s.start);
        const Moment end = d + s.end;
        if (end <= begin) continue;
        if (end - begin >= amount) return begin + amount;
        amount -= end - begin;
      }
    }
    d += std::chrono::days{1};
  }
}

void BM_AddWorkingTime30wdByWalking(benchmark::State& state) {
  const auto& c = cal();
  const auto from = receipts(4096);
  const Duration amount = 30 * c.day_length();
  for (const Moment m : from) {
    if (add_by_walking(c, m, amount) != c.add(m, amount)) {
      state.SkipWithError("the two additions disagree");
      return;
    }
  }
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(add_by_walking(c, from[i++ & 4095], amount));
  }
}
BENCHMARK(BM_AddWorkingTime30wdByWalking);

void BM_WorkingTimeBetween(benchmark::State& state) {
  const auto& c = cal();
  const auto from = receipts(4096);
  std::size_t i = 0;
  for (auto _ : state) {
    const Moment a = from[i & 4095];
    benchmark::DoNotOptimize(c.between(a, a + std::chrono::days{45}));
    ++i;
  }
}
BENCHMARK(BM_WorkingTimeBetween);

void BM_ComputeDue15wd(benchmark::State& state) {
  const auto& c = cal();
  const auto from = receipts(4096);
  const auto limit = calendar::parse_limit("15wd").value();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(calendar::compute_due(c, from[i++ & 4095], limit));
  }
}
BENCHMARK(BM_ComputeDue15wd);

// A dossier with 8 progress entries and one supplementation round, finished.
DossierTimeline sample_dossier(Moment received) {
  DossierTimeline tl;
  tl.dossier.code = "000.00.12.H42-250715-0001";
  tl.dossier.procedure_code = "1.004227";
  tl.dossier.status = Status::Finished;
  tl.dossier.received = received;
  const Status flow[8] = {Status::Received,           Status::InProcess, Status::InProcess,
                          Status::AwaitingSupplement, Status::InProcess, Status::InProcess,
                          Status::InProcess,          Status::Finished};
  const char* depts[8] = {"Bộ phận Một cửa",
                          "Phòng Quản lý chuyên ngành",
                          "Phòng Quản lý chuyên ngành",
                          "Bộ phận Một cửa",
                          "Phòng Quản lý chuyên ngành",
                          "Lãnh đạo Sở",
                          "Văn thư",
                          "Bộ phận Một cửa"};
  Moment t = received;
  for (int i = 0; i < 8; ++i) {
    ProgressEntry e;
    e.at = t;
    e.status = flow[i];
    e.department = depts[i];
    e.handler = "Nguyễn Văn A";
    e.step_deadline = cal().add(t, hours{8});
    tl.progress.push_back(e);
    t = cal().add(t, hours{5 + i});
  }
  SupplementRound round;
  round.requested = tl.progress[3].at;
  round.received = tl.progress[4].at;
  tl.dossier.rounds.push_back(round);
  tl.dossier.processing_end = tl.progress.back().at;
  return tl;
}

void BM_EvaluateDossier(benchmark::State& state) {
  const auto& c = cal();
  std::vector<DossierTimeline> dossiers;
  for (const Moment r : receipts(1024)) dossiers.push_back(sample_dossier(r));
  engine::ProcedureRule rule;
  rule.legal = calendar::parse_limit("15wd").value();
  rule.reduced = calendar::parse_limit("10wd").value();
  const engine::Settings settings;
  const Moment now = make_moment(2027, 1, 1);
  engine::Evaluation out;
  std::size_t i = 0;
  for (auto _ : state) {
    engine::evaluate(dossiers[i++ & 1023], &rule, c, settings, now, out);
    benchmark::DoNotOptimize(out.effective_due);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvaluateDossier);

void BM_CreateCalendar(benchmark::State& state) {
  config::CalendarSettings s;
  s.holidays_dir = std::filesystem::path(TTHC_SOURCE_DIR) / "config" / "holidays";
  auto tables = config::load_holiday_dir(s.holidays_dir).value();
  for (auto _ : state) {
    auto c = calendar::WorkingCalendar::create(tables);
    benchmark::DoNotOptimize(c.has_value());
  }
}
BENCHMARK(BM_CreateCalendar)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
