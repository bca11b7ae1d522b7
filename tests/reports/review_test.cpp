// The phase review on a simulated province: each year's figures equal that year's results and
// reduction reports (one year, and every year of a span judged in one scan), the ranking follows
// the stated composite, the caveats appear, reruns are byte-identical, bad spans are refused.
#include "reports/review.hpp"

#include "app/commands.hpp"
#include "ingest/mc_payload.hpp"
#include "reports/collect.hpp"
#include "reports/snapshot.hpp"
#include "reports/source.hpp"

#include "reports/generated.hpp"
#include "support/moments.hpp"
#include "support/temp_dir.hpp"
#include "support/units.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

namespace tthc::reports {
namespace {

namespace fs = std::filesystem;
using test::at;

class Review : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    // Received from November 2023 to March 2025, synced until April 2025.
    test::fill_store(db(), at(2023, 11, 1), at(2025, 3, 1), at(2025, 4, 1), 12);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path db() { return dir_->file("store.db"); }

  ReportSource source() const {
    ReportSource s;
    s.db = db();
    s.calendar = &test::official_calendar();
    s.catalogue = &test::sample_catalogue();
    return s;
  }
  ReviewReport review(const std::string& span, int start_day, Moment now = at(2025, 6, 1),
                      const std::string& snapshots = "") const {
    return build_review(source(), {parse_year_span(span).value(), start_day, now}, snapshots)
        .value();
  }
  // The year's own reports, built over the year as the monthly ones are over a month.
  Reports year_reports(int year, int start_day, Moment now = at(2025, 6, 1)) const {
    const Period p = year_period(year, start_day);
    return build_reports(source(), p, std::min(p.end, now)).value();
  }

  static test::TempDir* dir_;
};

test::TempDir* Review::dir_ = nullptr;

void expect_year_equals_reports(const ReviewReport& r, std::size_t i, const Reports& year) {
  std::map<std::string, const ReviewRow*> units;
  for (const ReviewRow& row : r.rows) {
    if (!row.department) units[row.unit] = &row;
  }
  std::size_t checked = 0;
  for (const ResultsRow& row : year.results.rows) {
    if (row.field) continue;
    SCOPED_TRACE(row.unit);
    ASSERT_TRUE(units.count(row.unit));
    const ReviewCounts& c = units[row.unit]->years[i];
    EXPECT_EQ(c.resolved, row.counts.resolved_total());
    EXPECT_EQ(c.on_time, row.counts.resolved_early + row.counts.resolved_on_time);
    EXPECT_EQ(c.overdue, row.counts.resolved_overdue + row.counts.pending_overdue);
    EXPECT_EQ(c.on_time_rate(), row.counts.on_time_rate());
    ++checked;
  }
  for (const ReductionRow& row : year.reduction.rows) {
    if (row.field) continue;
    const ReviewCounts& c = units[row.unit]->years[i];
    EXPECT_EQ(c.with_limit, row.figures.with_limit);
    ASSERT_EQ(c.actual_reduction().has_value(), row.figures.actual_reduction.has_value());
    if (c.actual_reduction()) {
      EXPECT_NEAR(*c.actual_reduction(), *row.figures.actual_reduction, 1e-9);
    }
  }
  EXPECT_GT(checked, 2U);
}

TEST_F(Review, OneYearEqualsThatYearsResultsReport) {
  for (const int start_day : {1, 15}) {
    SCOPED_TRACE("start day " + std::to_string(start_day));
    const ReviewReport r = review("2024", start_day);
    ASSERT_EQ(r.years.size(), 1U);
    EXPECT_TRUE(r.years[0].closed());
    expect_year_equals_reports(r, 0, year_reports(2024, start_day));
    EXPECT_GT(r.total_span.resolved, 1000);
  }
}

TEST_F(Review, EveryYearOfASpanJudgedInOneScanEqualsItsOwnReport) {
  for (const int start_day : {1, 15}) {
    SCOPED_TRACE("start day " + std::to_string(start_day));
    const ReviewReport r = review("2024..2025", start_day);
    ASSERT_EQ(r.years.size(), 2U);
    expect_year_equals_reports(r, 0, year_reports(2024, start_day));
    expect_year_equals_reports(r, 1, year_reports(2025, start_day));
    EXPECT_FALSE(r.years[1].closed());  // 2025 judged as of "now", 1 June
    // The span before (2022..2023) has the dossiers of late 2023.
    EXPECT_TRUE(r.before_has_data);
    ASSERT_TRUE(r.total_before);
    EXPECT_GT(r.total_before->resolved, 0);
    EXPECT_EQ(r.total_before->resolved,
              year_reports(2022, start_day).results.total.resolved_total() +
                  year_reports(2023, start_day).results.total.resolved_total());
  }
}

TEST_F(Review, AThreeYearSpanCountsItsFirstYearToo) {
  // 2023's dossiers ended before 2024 began: judged at 2025's end first, then at 2023's.
  const ReviewReport r = review("2023..2025", 1);
  for (int y = 2023; y <= 2025; ++y) {
    SCOPED_TRACE(y);
    expect_year_equals_reports(r, static_cast<std::size_t>(y - 2023), year_reports(y, 1));
  }
  EXPECT_FALSE(r.before_has_data);  // 2020..2022: nothing stored
}

TEST_F(Review, UnderAUnitRegisterTheUnitsAreTheMonthlyReportsOnes) {
  const engine::UnitRegister units = test::sample_units();
  ReportSource s = source();
  s.units = &units;
  const ReviewReport r = build_review(s, {YearSpan{2024, 2024}, 1, at(2025, 6, 1)}, "").value();
  const Period y = year_period(2024, 1);
  const Reports year = build_reports(s, y, y.end).value();
  expect_year_equals_reports(r, 0, year);
  std::set<std::string> unit_rows;
  for (const ReviewRow& row : r.rows) {
    if (!row.department) unit_rows.insert(row.unit);
  }
  for (const ReviewRow& row : r.rows) EXPECT_TRUE(unit_rows.count(row.unit)) << row.unit;
  // The simulated province's codes the sample register lacks are named, as the months name them.
  EXPECT_TRUE(r.caveats.unit_register);
  EXPECT_EQ(r.caveats.unknown_units, year.results.inputs.units.unknown_units);
  ASSERT_FALSE(r.caveats.unknown_units.empty());
  EXPECT_EQ(r.caveats.unknown_unit_dossiers,
            std::vector<std::int64_t>{year.results.inputs.units.unknown_dossiers});
  EXPECT_NE(render_review(r, Format::Html)
                .value()
                .find("không có trong danh mục đơn vị: " + r.caveats.unknown_units.front()),
            std::string::npos);
}

TEST_F(Review, ASpanBeforeWithoutDataSaysSo) {
  const ReviewReport r = review("2022", 1);
  EXPECT_FALSE(r.before_has_data);
  for (const ReviewRow& row : review("2023", 1).rows) EXPECT_FALSE(row.before);
  const std::string html = render_review(review("2023", 1), Format::Html).value();
  EXPECT_NE(html.find("chưa có số liệu"), std::string::npos);
}

TEST_F(Review, DepartmentsHoldingStepsHaveTheirOwnRows) {
  const ReviewReport r = review("2024", 1);
  std::int64_t steps = 0, late = 0;
  for (const ReviewRow& row : r.rows) {
    if (!row.department) continue;
    steps += row.span.resolved;
    late += row.span.overdue;
    EXPECT_EQ(row.span.resolved, row.span.on_time + row.span.overdue);
    EXPECT_FALSE(row.rank);
  }
  EXPECT_GT(steps, r.total_span.resolved);  // several steps a dossier
  EXPECT_GT(late, 0);
}

TEST_F(Review, TheRankingFollowsTheStatedComposite) {
  ReviewCounts c;
  c.resolved = 1000;
  c.on_time = 900;
  c.overdue = 150;
  c.with_limit = 10;
  c.legal_days = 100;
  c.reduced_days = 70;  // 30 % promised
  c.actual_days = 85;   // 15 % achieved: half the promise
  const Composite k = composite_of(c);
  EXPECT_DOUBLE_EQ(*k.on_time, 90);
  EXPECT_DOUBLE_EQ(*k.overdue, 85);
  EXPECT_NEAR(*k.reduction, 50, 1e-9);
  EXPECT_NEAR(*k.score, 0.5 * 90 + 0.3 * 85 + 0.2 * 50, 1e-9);

  const ReviewReport r = review("2024", 1);
  std::vector<const ReviewRow*> ranked;
  for (const ReviewRow& row : r.rows) {
    if (row.department) continue;
    EXPECT_EQ(row.rank.has_value(), row.span.resolved >= kMinResolvedToRank) << row.unit;
    if (row.rank) ranked.push_back(&row);
  }
  ASSERT_GT(ranked.size(), 2U);
  std::sort(ranked.begin(), ranked.end(),
            [](const ReviewRow* a, const ReviewRow* b) { return *a->rank < *b->rank; });
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    EXPECT_EQ(*ranked[i]->rank, static_cast<int>(i) + 1);
    EXPECT_EQ(*ranked[i]->composite.score, *composite_of(ranked[i]->span).score);
    if (i > 0) {
      const double prev = *ranked[i - 1]->composite.score, cur = *ranked[i]->composite.score;
      EXPECT_TRUE(prev > cur || (prev == cur && ranked[i - 1]->unit < ranked[i]->unit));
    }
  }
}

TEST_F(Review, TheWorstYearsOverdueDossiersAreListedAndLinked) {
  const ReviewReport r = review("2024..2025", 1);
  const Reports y2024 = year_reports(2024, 1), y2025 = year_reports(2025, 1);
  std::size_t listed = 0;
  for (const ReviewRow& row : r.rows) {
    if (row.department || !row.worst_year) continue;
    const Reports& y = *row.worst_year == 0 ? y2024 : y2025;
    const auto it = y.claimed.overdue.find(row.unit);
    if (it == y.claimed.overdue.end()) continue;
    EXPECT_EQ(row.worst_overdue.total, it->second.total);
    EXPECT_EQ(row.worst_overdue.first.size(),
              std::min<std::size_t>(50, static_cast<std::size_t>(it->second.total)));
    listed += row.worst_overdue.first.size();
  }
  ASSERT_GT(listed, 0U);
  const std::string html = render_review(r, Format::Html).value();
  const std::string code = [&] {
    for (const ReviewRow& row : r.rows) {
      if (!row.worst_overdue.first.empty()) return row.worst_overdue.first.front().code;
    }
    return std::string();
  }();
  EXPECT_NE(html.find("<a href=\"/dossiers/" + code + "\">"), std::string::npos);
}

TEST_F(Review, CaveatsAreStatedInTheReport) {
  // 2020 has no notice in config/holidays: judged on the provisional table.
  const ReviewReport r = review("2020..2024", 1);
  EXPECT_EQ(r.caveats.provisional_years, std::vector<int>{2020});
  const std::string html = render_review(r, Format::Html).value();
  EXPECT_NE(html.find("lịch nghỉ tạm tính (chưa có thông báo chính thức): 2020"),
            std::string::npos);
  const std::string json = render_review(review("2024", 1), Format::Json).value();
  EXPECT_NE(json.find("\"provisional_years\": []"), std::string::npos);
  EXPECT_NE(json.find("\"snapshots_read\": false"), std::string::npos);
}

TEST_F(Review, AMonthWhoseSnapshotMissedALateSyncIsNamed) {
  test::TempDir work;
  fs::copy_file(db(), work.file("store.db"));
  ReportSource s = source();
  s.db = work.file("store.db");
  const Period feb = period_of(2025, 2, 1);
  ASSERT_TRUE(write_snapshot(work.path() / "reports", feb,
                             snapshot_files(build_reports(s, feb, feb.end).value()).value()));
  const ReviewRequest req{YearSpan{2025, 2025}, 1, at(2025, 6, 1)};
  const std::string dir = (work.path() / "reports").string();
  // The fill's batches carry arrival 1 (1970): none arrived after the snapshot was written.
  const auto mtime = fs::last_write_time(work.path() / "reports" / "2025-02" / "results.json");
  const std::int64_t written = std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::file_clock::to_sys(mtime).time_since_epoch())
                                   .count();
  ReviewReport r = build_review(s, req, dir).value();
  EXPECT_TRUE(r.caveats.snapshots_read);
  EXPECT_TRUE(r.caveats.late_syncs.empty());
  // One dossier of February stored just before the snapshot was written, one an hour after.
  {
    auto writer = store::Writer::open(store::Options{s.db, false, 5000}).value();
    for (const auto& [code, arrived] :
         {std::pair{"9998", written - 60}, {"9999", written + 3600}}) {
      auto batch = ingest::parse_line(
          std::string(R"({"MaHoSo":"000.00.12.H42-250210-)") + code +
              R"(","MaTTHC":"1.004227","MaLinhVuc":"ATBXHN","TrangThaiHoSo":9,)"
              R"("NgayTiepNhan":"20250210090000","NgayKetThucXuLy":"20250212090000"})",
          1);
      ASSERT_TRUE(batch);
      ASSERT_TRUE(writer.apply(batch->dossiers, batch->progress, {"late", arrived, {}, 0}));
    }
  }
  r = build_review(s, req, dir).value();
  ASSERT_EQ(r.caveats.late_syncs.size(), 1U);
  EXPECT_EQ(r.caveats.late_syncs[0].month, "2025-02");
  EXPECT_EQ(r.caveats.late_syncs[0].arrived_late, 1);
  EXPECT_NE(render_review(r, Format::Csv).value().find("Tháng 2025-02: 1 hồ sơ"),
            std::string::npos);
}

TEST_F(Review, RerunsAreByteIdenticalInEveryFormat) {
  for (const Format f : kFormats) {
    SCOPED_TRACE(std::string(to_string(f)));
    const std::string a = render_review(review("2024..2025", 15), f).value();
    const std::string b = render_review(review("2024..2025", 15), f).value();
    EXPECT_EQ(a, b);
    EXPECT_GT(a.size(), 1000U);
  }
  const std::string html = render_review(review("2024..2025", 1), Format::Html).value();
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));  // no external resource
  EXPECT_NE(html.find("A4"), std::string::npos);
}

TEST(ReviewSpan, BadSpansAreRefused) {
  EXPECT_EQ(parse_year_span("2025").value(), (YearSpan{2025, 2025}));
  EXPECT_EQ(parse_year_span("2022..2025").value(), (YearSpan{2022, 2025}));
  for (const char* bad : {"2025-03", "2025..2022", "2010..2025", "25", "2025..", "x"}) {
    const auto r = parse_year_span(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find(bad), std::string::npos) << r.error().message;
  }
  EXPECT_NE(parse_year_span("2025..2022").error().message.find("ends before"), std::string::npos);
  EXPECT_NE(parse_year_span("2010..2025").error().message.find("longer than 10"),
            std::string::npos);
}

TEST(ReviewSpan, AYearFollowsThePeriodStartDay) {
  const Period calendar = year_period(2025, 1);
  EXPECT_EQ(calendar.start, at(2025, 1, 1));
  EXPECT_EQ(calendar.end, at(2026, 1, 1));
  const Period fifteenth = year_period(2025, 15);
  EXPECT_EQ(fifteenth.start, at(2024, 12, 15));
  EXPECT_EQ(fifteenth.end, at(2025, 12, 15));
}

TEST(ReviewSpan, TheCommandRefusesABadSpanWithAUsageError) {
  app::ReportCommand cmd;
  cmd.kind = "review";
  cmd.period = "2025-03";
  std::ostringstream o, e;
  EXPECT_EQ(app::run_report({}, cmd, o, e), app::kExitUsage);
  EXPECT_NE(e.str().find("--period: not a year or a span of years: \"2025-03\""), std::string::npos)
      << e.str();
}

}  // namespace
}  // namespace tthc::reports
