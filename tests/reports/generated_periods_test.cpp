// The reports of quarters, half-years, years and ranges on a simulated province (src/sim), for
// both cut-offs, against the reports of their months built separately: received and resolved
// are the months' added up row by row, carried-over is the first month's, pending the last
// month's, the rates come from the period's own counts; a quarter's snapshot reruns byte for
// byte and `report --period --diff` compares against it.
#include "app/commands.hpp"
#include "reports/period_claims.hpp"
#include "reports/render.hpp"
#include "reports/snapshot.hpp"
#include "reports/source.hpp"

#include "reports/command_support.hpp"
#include "reports/generated.hpp"
#include "support/moments.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

namespace tthc::reports {
namespace {

namespace fs = std::filesystem;

using test::at;

class GeneratedPeriods : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    // Received December 2024 to May 2025, synced until 20 June.
    test::fill_store(dir_->file("store.db"), at(2024, 12, 1), at(2025, 6, 1), at(2025, 6, 20), 15,
                     11);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static ReportSource source() {
    ReportSource s;
    s.db = dir_->file("store.db");
    s.calendar = &test::official_calendar();
    s.catalogue = &test::sample_catalogue();
    return s;
  }
  static Reports build(const Period& p) { return build_reports(source(), p, p.end).value(); }

  static test::TempDir* dir_;
};

test::TempDir* GeneratedPeriods::dir_ = nullptr;

using RowKey = std::pair<std::string, std::string>;  // unit, field ("*": the unit's subtotal)

std::map<RowKey, ResultsCounts> rows_of(const ResultsReport& r) {
  std::map<RowKey, ResultsCounts> out;
  for (const ResultsRow& row : r.rows) out[{row.unit, row.field.value_or("*")}] = row.counts;
  out[{"", "total"}] = r.total;
  return out;
}

// What the period's counts must be, from its months' reports: flows added up, the stock at S
// the first month's, the stock at E the last month's.
std::map<RowKey, ResultsCounts> expected_from_months(const std::vector<Reports>& months) {
  std::map<RowKey, ResultsCounts> out;
  for (std::size_t i = 0; i < months.size(); ++i) {
    for (const auto& [key, c] : rows_of(months[i].results)) {
      ResultsCounts& e = out[key];
      e.received_online += c.received_online;
      e.received_direct += c.received_direct;
      e.resolved_early += c.resolved_early;
      e.resolved_on_time += c.resolved_on_time;
      e.resolved_overdue += c.resolved_overdue;
      if (i == 0) e.carried_over = c.carried_over;
      if (i + 1 == months.size()) {
        e.pending_in_time = c.pending_in_time;
        e.pending_overdue = c.pending_overdue;
      }
    }
  }
  std::erase_if(out, [](const auto& kv) { return kv.second.received_total() == 0; });
  return out;
}

TEST_F(GeneratedPeriods, EveryKindIsItsMonthsByTheFormsRuleUnderBothCutOffs) {
  for (const int start_day : {1, 15}) {
    std::map<std::string, Reports> month_reports;  // each month built once
    const auto month = [&](const Period& m) -> const Reports& {
      auto it = month_reports.find(m.label());
      if (it == month_reports.end()) it = month_reports.emplace(m.label(), build(m)).first;
      return it->second;
    };
    for (const char* text :
         {"2025-Q1", "2025-Q2", "2025-H1", "2025", "2024-12..2025-04", "2024..2025"}) {
      SCOPED_TRACE(std::string(text) + " from day " + std::to_string(start_day));
      const Period period = parse_period_spec(text, start_day).value();
      const Reports r = build(period);
      std::vector<Reports> months;
      for (const Period& m : period.months()) months.push_back(month(m));
      const auto expected = expected_from_months(months);
      const auto actual = rows_of(r.results);
      ASSERT_GT(r.results.total.received_total(), 100);
      EXPECT_EQ(actual.size(), expected.size());
      for (const auto& [key, e] : expected) {
        const auto it = actual.find(key);
        ASSERT_NE(it, actual.end()) << key.first << "/" << key.second;
        EXPECT_EQ(it->second, e) << key.first << "/" << key.second;
        // The rate of the period's own counts, not a mean of the months' rates.
        const std::int64_t resolved = e.resolved_total();
        if (resolved > 0) {
          EXPECT_DOUBLE_EQ(*it->second.on_time_rate(),
                           static_cast<double>(e.resolved_early + e.resolved_on_time) /
                               static_cast<double>(resolved));
        }
      }
      // The reduction and the 766 estimate over the period's resolved set.
      EXPECT_EQ(r.reduction.total.count, r.results.total.resolved_total());
      // The 766 rule ends a dossier waiting for a supplement at E at its request: a month can
      // count one that a later month sees resumed, so the period counts at most the months' sum.
      std::int64_t resolved_766 = 0;
      for (const Reports& m : months) resolved_766 += m.index766.total.resolved();
      EXPECT_LE(r.index766.total.resolved(), resolved_766);
      EXPECT_GE(r.index766.total.resolved(), r.results.total.resolved_total());
      const Index766Counts& x = r.index766.total;
      if (x.handled() > 0) {
        EXPECT_DOUBLE_EQ(*x.rate(),
                         static_cast<double>(x.good()) / static_cast<double>(x.handled()));
      }
      // Every format, and the title names the period with its dates.
      const std::string html = render(r, Kind::Results, Format::Html).value();
      EXPECT_NE(html.find(period_name_vi(period)), std::string::npos);
      const std::string json = render(r, Kind::Results, Format::Json).value();
      EXPECT_NE(json.find("\"period\": {\"kind\": \"" + std::string(to_string(period.kind)) +
                          "\", \"label\": \"" + period.label() + "\""),
                std::string::npos)
          << json.substr(0, 400);
      EXPECT_FALSE(render(r, Kind::DvcqgStats, Format::Json));  // a month's payload only
    }
  }
}

TEST_F(GeneratedPeriods, AMonthReadAsAPeriodHasTheMonthsBytes) {
  const Period march = period_of(2025, 3, 15);
  const Reports a = build(march), b = build(parse_period_spec("2025-03", 15).value());
  for (const Kind k : kKinds) {
    for (const Format f : kFormats) {
      EXPECT_TRUE(render(a, k, f).value() == render(b, k, f).value()) << to_string(k);
    }
  }
  const std::string json = render(a, Kind::Results, Format::Json).value();
  EXPECT_NE(json.find("\"period\": {\"month\": \"2025-03\", \"from\""), std::string::npos);
  EXPECT_EQ(json.find("\"kind\""), std::string::npos);
  EXPECT_TRUE(render(a, Kind::DvcqgStats, Format::Json));
}

// A quarter's snapshot: the same bytes twice, in a folder named 2025-Q1, and `report --period
// 2025-Q1 --diff` finds it identical, then finds a late sync in February.
TEST_F(GeneratedPeriods, AQuartersSnapshotRerunsIdenticallyAndDiffsAgainstALateSync) {
  test::TempDir work;
  fs::copy_file(source().db, work.file("store.db"));
  ReportSource s = source();
  s.db = work.file("store.db");
  const Period q1 = parse_period_spec("2025-Q1", 1).value();
  const auto files = snapshot_files(build_reports(s, q1, q1.end).value()).value();
  const auto again = snapshot_files(build_reports(s, q1, q1.end).value()).value();
  ASSERT_EQ(files.size(), again.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_TRUE(files[i].bytes == again[i].bytes) << files[i].name;
  }
  ASSERT_TRUE(write_snapshot(work.path() / "reports", q1, files).value());
  ASSERT_TRUE(fs::exists(work.path() / "reports" / "2025-Q1" / "results.xlsx"));

  app::SourceOptions options;
  options.config = test::report_config(work, std::string(TTHC_SOURCE_DIR) + "/config/holidays");
  app::ReportCommand cmd;
  cmd.kind = "results";
  cmd.period = "2025-Q1";
  cmd.diff = (work.path() / "reports" / "2025-Q1").string();
  std::string out;
  EXPECT_EQ(test::run_report(options, cmd, out), 0) << out;
  EXPECT_NE(out.find("report results 2025-Q1 as of 2025-04-01T00:00:00+07:00: identical"),
            std::string::npos)
      << out;
  test::apply_late(
      work.file("store.db"),
      R"({"MaHoSo":"000.00.12.H42-250210-9999","MaTTHC":"1.004227","MaLinhVuc":"ATBXHN",)"
      R"("TrangThaiHoSo":9,"NgayTiepNhan":"20250210090000","NgayKetThucXuLy":"20250212090000"})");
  EXPECT_EQ(test::run_report(options, cmd, out), app::kExitDifferent) << out;
  EXPECT_NE(out.find("total.resolved_early: "), std::string::npos) << out;
}

TEST_F(GeneratedPeriods, TheCommandRefusesMonthWithPeriodAndABadPeriod) {
  app::SourceOptions options;
  const auto run = [&](app::ReportCommand cmd) {
    std::ostringstream o, e;
    const int status = app::run_report(options, cmd, o, e);
    return std::pair{status, e.str()};
  };
  app::ReportCommand both;
  both.kind = "results";
  both.month = "2025-03";
  both.period = "2025-Q1";
  auto [status, err] = run(both);
  EXPECT_EQ(status, app::kExitUsage);
  EXPECT_NE(err.find("--month and --period: give one of them, not both"), std::string::npos) << err;
  app::ReportCommand bad;
  bad.kind = "results";
  bad.period = "2025-Q5";
  std::tie(status, err) = run(bad);
  EXPECT_EQ(status, app::kExitUsage);
  EXPECT_NE(err.find("--period: not a period: \"2025-Q5\""), std::string::npos) << err;
  app::ReportCommand none;
  none.kind = "results";
  std::tie(status, err) = run(none);
  EXPECT_EQ(status, app::kExitUsage);
  EXPECT_NE(err.find("--period (or --month) is required"), std::string::npos) << err;
}

// The claims of a quarter: received and resolved added up over its months (none unless every
// month gives them), carried-over the first month's, pending the last month's, the rate from
// the sums.
TEST(PeriodClaims, AQuartersClaimsAreItsMonthsByTheFormsRule) {
  const auto claim = [](unsigned month, std::int64_t received, std::int64_t carried,
                        std::int64_t resolved, std::int64_t on_time, std::int64_t pending) {
    store::StoredClaimedStats c;
    c.stats.year = 2025;
    c.stats.month = month;
    c.stats.unit = "000.00.12.H42";
    c.stats.kind = "1";
    c.stats.unit_name = "Sở " + std::to_string(month);
    c.stats.figures.received = received;
    c.stats.figures.carried_over = carried;
    c.stats.figures.resolved = resolved;
    c.stats.figures.resolved_on_time = on_time;
    c.stats.figures.resolved_overdue = resolved - on_time;
    c.stats.figures.pending = pending;
    c.stats.figures.pending_in_time = pending - 1;
    c.stats.figures.pending_overdue = 1;
    c.stats.figures.on_time_rate = 0.5;  // whatever each month said
    c.arrived_unix = 1000 + month;
    return c;
  };
  const std::vector<std::vector<store::StoredClaimedStats>> months = {
      {claim(7, 10, 4, 9, 8, 5)}, {claim(8, 20, 5, 15, 15, 10)}, {claim(9, 30, 10, 35, 30, 5)}};
  const auto q3 = combine_claims(quarter_of(2025, 3, 1), months);
  ASSERT_EQ(q3.size(), 1U);
  const StatsFigures& f = q3[0].stats.figures;
  EXPECT_EQ(f.received, 60);
  EXPECT_EQ(f.resolved, 59);
  EXPECT_EQ(f.resolved_on_time, 53);
  EXPECT_EQ(f.resolved_overdue, 6);
  EXPECT_EQ(f.carried_over, 4);
  EXPECT_EQ(f.to_process, 64);
  EXPECT_EQ(f.pending, 5);
  EXPECT_EQ(f.pending_in_time, 4);
  EXPECT_DOUBLE_EQ(*f.on_time_rate, 53.0 / 59.0);
  EXPECT_EQ(q3[0].stats.unit_name, "Sở 9");
  EXPECT_EQ(q3[0].arrived_unix, 1009);
  // A month without a claim leaves the added figures unknown, never a partial sum.
  const std::vector<std::vector<store::StoredClaimedStats>> gap = {
      {claim(7, 10, 4, 9, 8, 5)}, {}, {claim(9, 30, 10, 35, 30, 5)}};
  const auto partial = combine_claims(quarter_of(2025, 3, 1), gap);
  ASSERT_EQ(partial.size(), 1U);
  EXPECT_FALSE(partial[0].stats.figures.received);
  EXPECT_FALSE(partial[0].stats.figures.on_time_rate);
  EXPECT_EQ(partial[0].stats.figures.carried_over, 4);
  EXPECT_EQ(partial[0].stats.figures.pending, 5);
}

}  // namespace
}  // namespace tthc::reports
