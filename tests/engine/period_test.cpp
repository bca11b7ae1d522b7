// How a dossier counts in a period [S, E): the results form and the 766 estimate.
#include "engine/period.hpp"

#include "engine/evaluate.hpp"
#include "support/calendar.hpp"
#include "support/moments.hpp"
#include "support/timelines.hpp"

#include <gtest/gtest.h>

namespace tthc::engine {
namespace {

using test::at;

class PeriodTest : public ::testing::Test {
 protected:
  // Received `received` with NgayHenTra `due`; `status` the latest one.
  DossierTimeline dossier(Moment received, Moment due, Status status = Status::InProcess) {
    DossierTimeline tl = test::timeline("000.00.12.H42-260302-0001", "", received, status);
    tl.dossier.promised_due = due;
    return tl;
  }
  PeriodCounts count(const DossierTimeline& tl, Moment start, Moment end) {
    return count_in_period(evaluate(tl, nullptr, cal, settings, end), start);
  }
  const calendar::WorkingCalendar& cal = test::official_calendar();
  Settings settings;
  const Moment march = at(2026, 3, 1);
  const Moment april = at(2026, 4, 1);
};

TEST_F(PeriodTest, ReceivedCarriedOverResolvedPending) {
  auto in_march = dossier(at(2026, 3, 10, 9), at(2026, 3, 20, 9));
  auto c = count(in_march, march, april);
  EXPECT_TRUE(c.received);
  EXPECT_FALSE(c.carried_over);
  EXPECT_TRUE(c.pending);
  EXPECT_TRUE(c.pending_overdue);  // E is after the due
  EXPECT_TRUE(c.handled_766);
  EXPECT_FALSE(c.good_766);

  auto from_february = dossier(at(2026, 2, 25, 9), at(2026, 4, 10, 9), Status::Finished);
  from_february.dossier.processing_end = at(2026, 3, 5, 9);
  c = count(from_february, march, april);
  EXPECT_FALSE(c.received);
  EXPECT_TRUE(c.carried_over);
  EXPECT_TRUE(c.resolved);
  EXPECT_EQ(c.outcome, Outcome::Early);
  EXPECT_TRUE(c.good_766);
  // Ended before S: not in the period at all.
  c = count(from_february, april, at(2026, 5, 1));
  EXPECT_FALSE(c.handled());
  EXPECT_FALSE(c.handled_766);
  // Ending exactly at E belongs to the next period (§8.8).
  from_february.dossier.processing_end = april;
  c = count(from_february, march, april);
  EXPECT_TRUE(c.pending);
  EXPECT_FALSE(c.resolved);
}

TEST_F(PeriodTest, Decision766WaitingForASupplementHasEndedAtTheRequest) {
  auto tl = dossier(at(2026, 3, 2, 9), at(2026, 3, 20, 9), Status::AwaitingSupplement);
  tl.dossier.rounds.push_back({at(2026, 3, 10, 9), {}, {}, {}});
  auto c = count(tl, march, april);
  EXPECT_TRUE(c.pending);  // the results form: still in process
  EXPECT_TRUE(c.resolved_766);
  EXPECT_TRUE(c.good_766);  // the request came before the due
  // Requested before S: not handled in April by the 766 rules; still carried over on the form.
  c = count(tl, april, at(2026, 5, 1));
  EXPECT_TRUE(c.carried_over);
  EXPECT_FALSE(c.handled_766);
  // A second request makes it overdue for 766.
  tl.dossier.rounds.front().received = at(2026, 3, 11, 9);
  tl.dossier.rounds.push_back({at(2026, 3, 12, 9), {}, {}, {}});
  c = count(tl, march, april);
  EXPECT_TRUE(c.resolved_766);
  EXPECT_EQ(c.outcome_766, Outcome::Overdue);
  EXPECT_FALSE(c.good_766);
}

}  // namespace
}  // namespace tthc::engine
