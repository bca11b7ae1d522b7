// The report data on hand-built timelines with known counts (domain.md §6, §8.8–8.11): the
// period's boundaries, withdrawn and stopped dossiers in col 7, paused dossiers, the 766 rules,
// the reduction figures, and the periods themselves.
#include "reports/collect.hpp"

#include "support/calendar.hpp"
#include "support/moments.hpp"
#include "support/rules.hpp"
#include "support/timelines.hpp"

#include <gtest/gtest.h>

namespace tthc::reports {
namespace {

using test::at;

using test::procedure_rule;

DossierTimeline dossier(std::string code, Moment received, Status status,
                        std::string procedure = "1.000001", std::string field = "KHCN") {
  DossierTimeline tl = test::timeline(std::move(code), std::move(procedure), received, status);
  tl.dossier.field_code = std::move(field);
  tl.dossier.unit_name = "Đơn vị " + std::string(tl.dossier.code.substr(0, 1));
  return tl;
}

DossierTimeline finished(std::string code, Moment received, Moment end) {
  DossierTimeline tl = dossier(std::move(code), received, Status::Finished);
  tl.dossier.processing_end = end;
  return tl;
}

void add_entry(DossierTimeline& tl, Moment when, Status status) {
  tl.progress.push_back(test::progress_entry(when, status, "Phòng A"));
  sort_progress(tl.progress);
}

class CollectTest : public ::testing::Test {
 protected:
  CollectTest()
      : catalogue_({procedure_rule("1.000001", "KHCN", "5wd"),
                    procedure_rule("1.000002", "TC", "10wd", "7wd")}) {}

  Reports collect(const std::vector<DossierTimeline>& timelines, const Period& period,
                  std::optional<Moment> as_of = std::nullopt) {
    Collector c(cal_, catalogue_,
                make_inputs(period, as_of.value_or(period.end), cal_, catalogue_, settings_));
    for (const auto& tl : timelines) c.add(tl);
    return c.finish();
  }

  // March 2026 (no day off): every case of the form, judged at E = 1/4/2026 00:00.
  std::vector<DossierTimeline> march_cases() {
    std::vector<DossierTimeline> v;
    auto a1 = finished("A-1", at(2026, 3, 2, 9), at(2026, 3, 3, 9));  // due 9/3 09:00: early
    a1.dossier.channel = Channel::Online;
    v.push_back(a1);
    v.push_back(dossier("A-2", at(2026, 2, 20, 9), Status::InProcess));  // carried, overdue
    // Received exactly at S (Sunday 00:00: due Fri 6/3 17:00); ends exactly at E: still
    // pending at E, overdue.
    v.push_back(finished("A-3", at(2026, 3, 1), at(2026, 4, 1)));
    v.push_back(finished("A-4", at(2026, 4, 1), at(2026, 4, 2, 9)));  // received at E: not here
    auto a5 = dossier("A-5", at(2026, 3, 2, 9), Status::Withdrawn);   // col 7, early
    add_entry(a5, at(2026, 3, 4, 10), Status::Withdrawn);
    v.push_back(a5);
    auto a6 = dossier("A-6", at(2026, 3, 3, 9), Status::Stopped);  // col 7, overdue (due 10/3)
    add_entry(a6, at(2026, 3, 20, 10), Status::Stopped);
    v.push_back(a6);
    // Waiting for a supplement asked before its due (1/4 09:00): paused, in time at E.
    auto a7 = dossier("A-7", at(2026, 3, 25, 9), Status::AwaitingSupplement);
    a7.dossier.rounds.push_back({at(2026, 3, 26, 9), {}, {}, {}});
    v.push_back(a7);
    // Asked after its due (9/3 09:00): the pause does not rescue it — overdue.
    auto a8 = dossier("A-8", at(2026, 3, 2, 9), Status::AwaitingSupplement);
    a8.dossier.rounds.push_back({at(2026, 3, 20, 9), {}, {}, {}});
    v.push_back(a8);
    // Unit B: the field from the catalogue; on time (the due's day); two requests.
    auto b1 = finished("B-1", at(2026, 3, 10, 9), at(2026, 3, 17, 8));
    b1.dossier.field_code.clear();
    b1.dossier.unit_name = "Đơn vị B mới";
    v.push_back(b1);
    auto b2 = finished("B-2", at(2026, 3, 2, 9), at(2026, 3, 10, 9));
    b2.dossier.rounds.push_back({at(2026, 3, 3, 9), at(2026, 3, 4, 9), {}, {}});
    b2.dossier.rounds.push_back({at(2026, 3, 5, 9), at(2026, 3, 6, 9), {}, {}});
    b2.dossier.unit_name = "Đơn vị B cũ";
    v.push_back(b2);
    // Unit C: waiting since February: carried over and paused; not handled for 766.
    auto c1 = dossier("C-1", at(2026, 2, 2, 9), Status::AwaitingSupplement);
    c1.dossier.rounds.push_back({at(2026, 2, 5, 9), {}, {}, {}});
    v.push_back(c1);
    return v;
  }

  const calendar::WorkingCalendar& cal_ = test::official_calendar();
  engine::Catalogue catalogue_;
  engine::Settings settings_;
};

TEST_F(CollectTest, ResultsCountEveryColumnOfTheForm) {
  const Reports r = collect(march_cases(), period_of(2026, 3, 1));
  const ResultsReport& res = r.results;
  ASSERT_EQ(res.rows.size(), 6U);  // A, A/KHCN, B, B/KHCN, C, C/KHCN

  const ResultsRow& a = res.rows[0];
  EXPECT_EQ(a.unit, "A");
  EXPECT_FALSE(a.field);
  const ResultsCounts& c = a.counts;
  EXPECT_EQ(c.received_online, 1);
  EXPECT_EQ(c.received_direct, 5);  // A-3 (at S), A-5, A-6, A-7, A-8; not A-4 (at E)
  EXPECT_EQ(c.carried_over, 1);
  EXPECT_EQ(c.received_total(), 7);
  EXPECT_EQ(c.resolved_early, 2);  // A-1, A-5 (withdrawn)
  EXPECT_EQ(c.resolved_on_time, 0);
  EXPECT_EQ(c.resolved_overdue, 1);  // A-6 (stopped)
  EXPECT_EQ(c.pending_in_time, 1);   // A-7 (paused)
  EXPECT_EQ(c.pending_overdue, 3);   // A-2, A-3 (ends at E), A-8 (paused after its due)
  EXPECT_EQ(c.received_total(), c.resolved_total() + c.pending_total());
  EXPECT_EQ(c.on_time_rate(), 2.0 / 3.0);
  EXPECT_EQ(res.rows[1].field, "KHCN");
  EXPECT_EQ(res.rows[1].counts, c);
  EXPECT_EQ(res.rows[1].field_name, "Lĩnh vực KHCN");  // the catalogue's: no TenLinhVuc

  const ResultsRow& b = res.rows[2];
  EXPECT_EQ(b.unit, "B");
  EXPECT_EQ(b.unit_name, "Đơn vị B mới");  // the most recently received dossier's
  EXPECT_EQ(b.counts.resolved_on_time, 1);
  EXPECT_EQ(b.counts.resolved_early, 1);
  EXPECT_EQ(res.rows[3].field, "KHCN");  // B-1's field from the catalogue

  EXPECT_EQ(res.rows[4].unit, "C");
  EXPECT_EQ(res.rows[4].counts.carried_over, 1);
  EXPECT_EQ(res.rows[4].counts.pending_in_time, 1);  // paused since February

  ResultsCounts sum;
  for (const auto& row : res.rows) {
    if (!row.field) sum.add(row.counts);
  }
  EXPECT_EQ(res.total, sum);
  EXPECT_EQ(res.total.received_total(), 10);
}

TEST_F(CollectTest, TheDossierEndingAtEIsResolvedInTheNextPeriod) {
  const Reports april = collect(march_cases(), period_of(2026, 4, 1));
  ASSERT_FALSE(april.results.rows.empty());
  const ResultsCounts& a = april.results.rows[0].counts;
  // March's pending dossiers of A are April's carried-over ones; A-4 is received in April.
  EXPECT_EQ(a.carried_over, 4);
  EXPECT_EQ(a.received_direct, 1);
  EXPECT_EQ(a.resolved_overdue, 1);  // A-3, ended at 1/4 00:00
  EXPECT_EQ(a.resolved_early, 1);    // A-4 (due Tue 7/4 17:00)
}

TEST_F(CollectTest, Index766AppliesItsOwnRules) {
  const Reports r = collect(march_cases(), period_of(2026, 3, 1));
  const Index766Report& x = r.index766;
  ASSERT_EQ(x.rows.size(), 2U);  // C-1 waits since before S: not handled in March
  const Index766Counts& a = x.rows[0].counts;
  EXPECT_EQ(x.rows[0].unit, "A");
  EXPECT_EQ(a.resolved_early, 3);    // ended at its request (before its due)
  EXPECT_EQ(a.resolved_overdue, 2);  // ended at its request after the due
  EXPECT_EQ(a.pending_in_time, 0);
  EXPECT_EQ(a.pending_overdue, 2);
  EXPECT_EQ(a.handled(), 7);
  EXPECT_EQ(a.rate(), 3.0 / 7.0);
  EXPECT_EQ(a.score(), 20.0 * 3.0 / 7.0);
  const Index766Counts& b = x.rows[1].counts;
  EXPECT_EQ(b.many_requests, 1);  // B-2: two requests → overdue although early
  EXPECT_EQ(b.resolved_overdue, 1);
  EXPECT_EQ(b.resolved_on_time, 1);
  EXPECT_EQ(x.total.handled(), 9);
  // Indicator 2.2: A-7's time runs to its request: 25/3 09:00 → 26/3 09:00 = 1 working day.
  ASSERT_EQ(x.procedures.size(), 1U);
  EXPECT_EQ(x.procedures[0].procedure, "1.000001");
  EXPECT_EQ(x.procedures[0].resolved, 7);
}

TEST_F(CollectTest, ReductionAgainstTheLegalAndReducedLimits) {
  // 10wd legal, 7wd reduced; received Mon 2/3 09:00, finished after 4, 6 and 8 working days.
  std::vector<DossierTimeline> v;
  int n = 0;
  for (const unsigned day : {6U, 10U, 12U}) {
    v.push_back(finished("T-" + std::to_string(++n), at(2026, 3, 2, 9), at(2026, 3, day, 9)));
    v.back().dossier.procedure_code = "1.000002";
    v.back().dossier.field_code = "TC";
  }
  v.push_back(finished("T-9", at(2026, 2, 2, 9), at(2026, 2, 3, 9)));  // ended before S
  const ReductionReport r = collect(v, period_of(2026, 3, 1)).reduction;
  ASSERT_EQ(r.rows.size(), 3U);  // T, T/TC, T/TC/1.000002
  EXPECT_FALSE(r.rows[0].field);
  EXPECT_EQ(r.rows[1].field, "TC");
  EXPECT_FALSE(r.rows[1].procedure);
  EXPECT_EQ(r.rows[2].procedure, "1.000002");
  for (const ReductionFigures& f : {r.rows[2].figures, r.total}) {
    EXPECT_EQ(f.count, 3);
    EXPECT_DOUBLE_EQ(*f.legal_days, 10);
    EXPECT_DOUBLE_EQ(*f.reduced_days, 7);
    EXPECT_DOUBLE_EQ(*f.committed_reduction, 0.3);
    EXPECT_DOUBLE_EQ(*f.mean_days, 6);
    EXPECT_DOUBLE_EQ(*f.median_days, 6);
    EXPECT_DOUBLE_EQ(*f.actual_reduction, 0.4);
    EXPECT_DOUBLE_EQ(*f.within_reduced_share, 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(*f.overdue_share, 1.0 / 3.0);  // due 11/3 09:00 (7wd): 12/3 is late
  }
}

TEST_F(CollectTest, AnOpenPeriodIsJudgedAsOfItsMoment) {
  const Reports r = collect(march_cases(), period_of(2026, 3, 1), at(2026, 3, 5, 12));
  EXPECT_FALSE(r.results.inputs.closed());
  const ResultsCounts& a = r.results.rows[0].counts;
  EXPECT_EQ(a.resolved_early, 2);   // A-1 and A-5 (4/3); A-6 stops on 20/3
  EXPECT_EQ(a.received_direct, 4);  // A-7 (25/3) not received yet
  EXPECT_EQ(a.pending_in_time, 3);  // A-3 (due 6/3 17:00), A-6, A-8 (due 9/3)
}

TEST(Periods, CalendarMonthsAndTheFifteenth) {
  const Period march = period_of(2025, 3, 1);
  EXPECT_EQ(march.start, at(2025, 3, 1));
  EXPECT_EQ(march.end, at(2025, 4, 1));
  EXPECT_EQ(march.label(), "2025-03");
  EXPECT_EQ(format_date(march.last_day()), "2025-03-31");
  const Period fifteenth = period_of(2025, 3, 15);
  EXPECT_EQ(fifteenth.start, at(2025, 2, 15));
  EXPECT_EQ(fifteenth.end, at(2025, 3, 15));
  EXPECT_EQ(format_date(fifteenth.last_day()), "2025-03-14");
  EXPECT_EQ(period_of(2026, 1, 15).start, at(2025, 12, 15));
  EXPECT_EQ(period_of(2025, 12, 1).end, at(2026, 1, 1));
  EXPECT_EQ(period_containing(at(2025, 3, 14, 23), 15), fifteenth);
  EXPECT_EQ(period_containing(at(2025, 3, 15), 15), period_of(2025, 4, 15));
  EXPECT_EQ(next(period_of(2025, 12, 1)), period_of(2026, 1, 1));
  EXPECT_EQ(previous(period_of(2025, 1, 15)), period_of(2024, 12, 15));
  EXPECT_EQ(parse_period("2025-03", 1).value(), march);
  EXPECT_FALSE(parse_period("2025-13", 1));
  EXPECT_FALSE(parse_period("2025-3", 1));
  EXPECT_FALSE(parse_period("2025-03", 29));
}

}  // namespace
}  // namespace tthc::reports
