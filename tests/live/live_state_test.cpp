// The live state: dossiers change state at the right working moment with no new event, the
// aggregates follow every change, the month turns over, and the work lists filter and sort.
#include "live/live_state.hpp"

#include "support/calendar.hpp"
#include "support/moments.hpp"
#include "support/rules.hpp"
#include "support/timelines.hpp"
#include "support/units.hpp"

#include <gtest/gtest.h>

#include <map>

namespace tthc::live {
namespace {

using engine::PendingState;

using test::at;

using test::procedure_rule;

DossierTimeline dossier(std::string code, Moment received, Status status = Status::InProcess,
                        std::string procedure = "1.000001") {
  DossierTimeline tl = test::timeline(std::move(code), std::move(procedure), received, status);
  tl.dossier.field_code = "KHCN";
  tl.dossier.unit_name = "Sở Khoa học và Công nghệ";
  return tl;
}

// Counts what observers are told, per state, as a metric would.
struct Tally : Observer {
  std::map<PendingState, int> pending;
  int resolved = 0, changes = 0, settles = 0;
  void changed(const Change& c) override {
    ++changes;
    if (c.before != nullptr && c.before->pending()) --pending[c.before->judgement.pending];
    if (c.after.pending()) ++pending[c.after.judgement.pending];
    if (c.after.judgement.ended && !(c.before != nullptr && c.before->judgement.ended)) ++resolved;
  }
  void settled(const LiveState&) override { ++settles; }
};

class LiveStateTest : public ::testing::Test {
 protected:
  LiveStateTest()
      : catalogue_(
            {procedure_rule("1.000001", "KHCN", "5wd"), procedure_rule("1.000002", "KHCN", "2wd")}),
        state_(catalogue_, test::official_calendar(), engine::Settings{}, at(2026, 3, 2, 8)) {
    state_.add_observer(&tally_);
  }
  engine::Catalogue catalogue_;
  LiveState state_;
  Tally tally_;
};

TEST_F(LiveStateTest, BecomesDueSoonThenOverdueAtTheWorkingMomentWithNoEvent) {
  // Received Mon 2/3 09:00, 5 wd: due Mon 9/3 09:00; due soon (8 wh left) from Fri 6/3 09:00.
  state_.update(1, dossier("A-1", at(2026, 3, 2, 9)), at(2026, 3, 2, 10));
  EXPECT_EQ(state_.record(1)->judgement.pending, PendingState::InTime);
  EXPECT_EQ(state_.next_wakeup(), at(2026, 3, 6, 9));

  EXPECT_EQ(state_.advance(at(2026, 3, 6, 8, 59, 59)), 0U);  // nothing due yet: nothing judged
  EXPECT_EQ(state_.record(1)->judgement.pending, PendingState::InTime);
  EXPECT_EQ(state_.advance(at(2026, 3, 6, 9)), 1U);
  EXPECT_EQ(state_.record(1)->judgement.pending, PendingState::DueSoon);
  EXPECT_EQ(tally_.pending[PendingState::InTime], 0);
  EXPECT_EQ(tally_.pending[PendingState::DueSoon], 1);

  // The weekend passes with no change; Monday 09:00:01 it is overdue.
  EXPECT_EQ(state_.advance(at(2026, 3, 9, 9)), 0U);
  EXPECT_EQ(state_.advance(at(2026, 3, 9, 9, 0, 1)), 1U);
  EXPECT_EQ(state_.record(1)->judgement.pending, PendingState::Overdue);
  EXPECT_EQ(tally_.pending[PendingState::Overdue], 1);
  EXPECT_EQ(tally_.pending[PendingState::DueSoon], 0);
}

TEST_F(LiveStateTest, AnEndReleasesTheTimelineAndCountsOnce) {
  state_.update(1, dossier("A-1", at(2026, 3, 2, 9)), at(2026, 3, 2, 10));
  EXPECT_EQ(state_.held(), 1U);
  auto done = dossier("A-1", at(2026, 3, 2, 9), Status::Finished);
  done.dossier.processing_end = at(2026, 3, 3, 9);
  state_.update(1, done, at(2026, 3, 4, 10));
  EXPECT_EQ(state_.held(), 0U);
  EXPECT_EQ(tally_.resolved, 1);
  EXPECT_EQ(tally_.pending[PendingState::InTime], 0);
  // The same again: judged, not counted twice.
  state_.update(1, done, at(2026, 3, 4, 11));
  EXPECT_EQ(tally_.resolved, 1);
  EXPECT_EQ(state_.tracked(), 1U);
  // The old schedule entry is skipped.
  EXPECT_EQ(state_.advance(at(2026, 3, 20)), 0U);
}

TEST_F(LiveStateTest, MonthFiguresFollowChangesAndTurnWithTheMonth) {
  // March: one resolved on time... in March, one pending overdue at the end of March.
  auto early = dossier("A-1", at(2026, 3, 2, 9), Status::Finished);
  early.dossier.processing_end = at(2026, 3, 3, 9);  // early: before the due's day
  state_.update(1, early, at(2026, 3, 20, 9));
  state_.update(2, dossier("A-2", at(2026, 3, 2, 9), Status::InProcess, "1.000002"),
                at(2026, 3, 20, 9));
  const std::uint32_t unit = *state_.units().find("A");
  {
    const MonthFigures& m = state_.month()[unit];
    EXPECT_EQ(m.received, 2);
    EXPECT_EQ(m.resolved_total(), 1);
    EXPECT_EQ(m.on_time_rate(), 1.0);
    EXPECT_EQ(m.pending, 1);
    EXPECT_EQ(m.pending_overdue, 1);
    EXPECT_EQ(m.handled_766, 2);
    EXPECT_EQ(m.good_766, 1);
  }
  // April: the finished one is gone, the pending one is carried over.
  state_.advance(at(2026, 4, 1, 0, 0, 1));
  EXPECT_EQ(state_.month_start(), at(2026, 4, 1));
  const MonthFigures& m = state_.month()[unit];
  EXPECT_EQ(m.received, 0);
  EXPECT_EQ(m.carried_over, 1);
  EXPECT_EQ(m.resolved_total(), 0);
  EXPECT_FALSE(m.on_time_rate().has_value());
  EXPECT_EQ(m.pending_overdue, 1);
}

ListFilter in_state(std::string_view state) {
  ListFilter f;
  if (state == "at_risk") f.at_risk_only = true;
  for (const auto s : {engine::PendingState::InTime, engine::PendingState::DueSoon,
                       engine::PendingState::Paused, engine::PendingState::Overdue}) {
    if (state == engine::to_string(s)) f.state = s;
  }
  return f;
}

TEST_F(LiveStateTest, WorkListsFilterAndPutTheMostUrgentFirst) {
  const Moment now = at(2026, 3, 6, 10);
  state_.update(1, dossier("A-1", at(2026, 3, 2, 9)), now);  // due 9/3: soon
  state_.update(2, dossier("A-2", at(2026, 3, 2, 9), Status::InProcess, "1.000002"),
                now);                                        // overdue
  state_.update(3, dossier("B-1", at(2026, 3, 5, 9)), now);  // in time
  auto paused = dossier("B-2", at(2026, 3, 5, 9), Status::AwaitingSupplement);
  paused.dossier.rounds.push_back({at(2026, 3, 5, 10), {}, {}, {}});
  state_.update(4, paused, now);

  EXPECT_EQ(state_.list({}, now, 0, 100).total, 4U);
  const ListPage overdue = state_.list(in_state("overdue"), now, 0, 100);
  ASSERT_EQ(overdue.total, 1U);
  EXPECT_EQ(overdue.items[0].code, "A-2");
  EXPECT_LT(*overdue.items[0].left, Duration{0});
  EXPECT_EQ(state_.list(in_state("due_soon"), now, 0, 100).items.at(0).code, "A-1");
  EXPECT_EQ(state_.list(in_state("paused"), now, 0, 100).items.at(0).code, "B-2");
  // Within 2 working days: A-1 (under a day left); B-1 has more.
  ListFilter within;
  within.within = std::chrono::hours{16};
  const ListPage soon = state_.list(within, now, 0, 100);
  ASSERT_EQ(soon.total, 1U);
  EXPECT_EQ(soon.items[0].code, "A-1");
  // By unit, most urgent first, paged.
  ListFilter unit_b;
  unit_b.unit = "B";
  const ListPage b = state_.list(unit_b, now, 0, 1);
  EXPECT_EQ(b.total, 2U);
  ASSERT_EQ(b.items.size(), 1U);
  EXPECT_EQ(b.items[0].code, "B-1");  // paused B-2's due moves with the pause: later
  EXPECT_EQ(state_.list(unit_b, now, 1, 1).items.at(0).code, "B-2");
  ListFilter nobody;
  nobody.unit = "Z";
  EXPECT_EQ(state_.list(nobody, now, 0, 10).total, 0U);
}

TEST_F(LiveStateTest, AStepPastItsDeadlineMakesTheDossierAtRiskOnTime) {
  auto tl = dossier("A-1", at(2026, 3, 2, 9));
  ProgressEntry step;
  step.at = at(2026, 3, 2, 9, 30);
  step.status = Status::InProcess;
  step.department = "Phòng Quản lý chuyên ngành";
  step.step_deadline = at(2026, 3, 3, 9);
  tl.progress.push_back(step);
  state_.update(1, tl, at(2026, 3, 2, 10));
  EXPECT_FALSE(state_.record(1)->at_risk);
  state_.advance(at(2026, 3, 3, 9, 0, 1));
  EXPECT_TRUE(state_.record(1)->at_risk);
  EXPECT_EQ(state_.departments().name(state_.record(1)->late_department),
            "Phòng Quản lý chuyên ngành");
  EXPECT_EQ(state_.list(in_state("at_risk"), at(2026, 3, 3, 10), 0, 10).total, 1U);
}

TEST_F(LiveStateTest, ReevaluatingEverythingChangesNothingWhenTimeDidNotMove) {
  for (int i = 1; i <= 50; ++i) {
    state_.update(i, dossier("A-" + std::to_string(i), at(2026, 3, 2, 9)), at(2026, 3, 4, 10));
  }
  const int before = tally_.pending[PendingState::InTime];
  EXPECT_EQ(state_.reevaluate_all(at(2026, 3, 4, 10)), 50U);
  EXPECT_EQ(tally_.pending[PendingState::InTime], before);
  EXPECT_EQ(before, 50);
}

TEST_F(LiveStateTest, RepeatedJudgementsKeepTheScheduleBoundedAndCorrect) {
  for (int i = 1; i <= 10; ++i) {
    state_.update(i, dossier("A-" + std::to_string(i), at(2026, 3, 2, 9)), at(2026, 3, 2, 10));
  }
  // Thousands of re-judgements supersede schedule entries; the due-soon moment still fires once
  // per dossier.
  for (int round = 0; round < 500; ++round) state_.reevaluate_all(at(2026, 3, 2, 10));
  EXPECT_EQ(state_.next_wakeup(), at(2026, 3, 6, 9));
  EXPECT_EQ(state_.advance(at(2026, 3, 6, 9)), 10U);
  EXPECT_EQ(tally_.pending[PendingState::DueSoon], 10);
}

// The board's counts by unit, field and department follow every change, as the observers'
// counts do, and the trend's months count what the month figures count.
TEST_F(LiveStateTest, CountsByUnitFieldAndDepartmentFollowEveryChange) {
  const Moment now = at(2026, 3, 6, 10);
  auto late = dossier("A-1", at(2026, 3, 2, 9), Status::InProcess, "1.000002");  // overdue
  ProgressEntry step;
  step.at = at(2026, 3, 2, 9, 30);
  step.status = Status::InProcess;
  step.department = "Phòng B";
  step.step_deadline = at(2026, 3, 3, 9);
  late.progress.push_back(step);
  state_.update(1, late, now);
  state_.update(2, dossier("A-2", at(2026, 3, 5, 9)), now);  // in time
  auto other = dossier("B-1", at(2026, 3, 5, 9));
  other.dossier.field_code = "SHTT";
  state_.update(3, other, now);
  const std::uint64_t version = state_.version();

  const std::uint32_t a = *state_.units().find("A"), b = *state_.units().find("B");
  const NowFigures& na = state_.now_by_unit().at(a);
  EXPECT_EQ(na.in_process(), 2);
  EXPECT_EQ(na.state(PendingState::Overdue), 1);
  EXPECT_EQ(na.state(PendingState::InTime), 1);
  EXPECT_EQ(na.at_risk, 1);
  EXPECT_EQ(na.overdue_steps, 1);
  const std::uint32_t khcn = *state_.fields().find("KHCN"), shtt = *state_.fields().find("SHTT");
  EXPECT_EQ(state_.now_by_field().at(pair_key(a, khcn)).in_process(), 2);
  EXPECT_EQ(state_.now_by_field().at(pair_key(b, shtt)).in_process(), 1);
  const std::uint32_t dept = *state_.departments().find("Phòng B");
  EXPECT_EQ(state_.overdue_steps().at(pair_key(a, dept)), 1);
  // Field figures add up to the unit's month.
  EXPECT_EQ(state_.month_by_field().at(pair_key(a, khcn)).received, state_.month()[a].received);

  // A-1 ends: it leaves every count, and the version moves.
  auto done = late;
  done.dossier.status = Status::Finished;
  done.dossier.processing_end = at(2026, 3, 6, 9);
  state_.update(1, done, now);
  EXPECT_GT(state_.version(), version);
  EXPECT_EQ(state_.now_by_unit().at(a).in_process(), 1);
  EXPECT_EQ(state_.now_by_unit().at(a).overdue_steps, 0);
  EXPECT_EQ(state_.overdue_steps().at(pair_key(a, dept)), 0);
  EXPECT_EQ(state_.now_by_unit().at(a).in_process(), tally_.pending[PendingState::InTime] - 1);

  // The trend's March equals the month figures of March.
  const std::vector<MonthFigures> months = state_.calendar_months(at(2026, 2, 1), 2);
  ASSERT_EQ(months.size(), 2U);
  EXPECT_EQ(months[0].received, 0);
  std::int64_t received = 0, resolved = 0;
  for (const MonthFigures& m : state_.month()) {
    received += m.received;
    resolved += m.resolved_total();
  }
  EXPECT_EQ(months[1].received, received);
  EXPECT_EQ(months[1].resolved_total(), resolved);
  EXPECT_EQ(months[1].resolved[static_cast<int>(engine::Outcome::Overdue)], 1);
}

// --- Units: the 2025 reorganisation ------------------------------------------------------------

class LiveUnitsTest : public ::testing::Test {
 protected:
  LiveUnitsTest()
      : catalogue_({procedure_rule("1.000001", "KHCN", "5wd")}), units_(test::sample_units()) {}
  LiveState state(engine::CountUnder under, Moment now) {
    return LiveState(catalogue_, test::official_calendar(), engine::Settings{}, now,
                     UnitCounting{&units_, under});
  }
  engine::Catalogue catalogue_;
  engine::UnitRegister units_;
};

// Received at the district of Hoa Lư on 30/6/2025 and still in process in July: its figures are
// the ward's that took the district over, before and after the change, and the district's code
// finds it in the work lists. The former Hà Nam's department counts under Ninh Bình's.
TEST_F(LiveUnitsTest, AnEndedUnitsDossierCountsUnderItsSuccessorAcrossTheChange) {
  LiveState s = state(engine::CountUnder::Receiving, at(2025, 6, 30, 10));
  s.update(1, dossier("000.20.31.H42-250630-0001", at(2025, 6, 30, 9)), at(2025, 6, 30, 10));
  s.update(2, dossier("000.00.12.H35-250630-0002", at(2025, 6, 30, 9)), at(2025, 6, 30, 10));
  const std::uint32_t ward = *s.units().find("000.31.01.H42");
  const std::uint32_t justice = *s.units().find("000.00.12.H42");
  EXPECT_EQ(s.record(1)->unit, ward);
  EXPECT_EQ(s.record(2)->unit, justice);
  EXPECT_FALSE(s.units().find("000.20.31.H42").has_value());
  EXPECT_FALSE(s.units().find("000.00.12.H35").has_value());
  EXPECT_EQ(s.unit_name(ward), "UBND phường Hoa Lư");  // the register's name, not DonViXuLy

  s.advance(at(2025, 7, 2, 10));
  EXPECT_EQ(s.month_start(), at(2025, 7, 1));
  EXPECT_EQ(s.record(1)->unit, ward);
  EXPECT_EQ(s.month().at(ward).carried_over, 1);
  EXPECT_EQ(s.now_by_unit().at(ward).in_process(), 1);
  EXPECT_EQ(s.now_by_unit().at(justice).in_process(), 1);
  EXPECT_EQ(s.unit_in_force("000.20.31.H42"), "000.31.01.H42");

  ListFilter by_old_code;
  by_old_code.unit = "000.20.31.H42";
  const ListPage page = s.list(by_old_code, at(2025, 7, 2, 10), 0, 10);
  ASSERT_EQ(page.total, 1U);
  EXPECT_EQ(page.items[0].code, "000.20.31.H42-250630-0001");
  EXPECT_EQ(page.items[0].unit, ward);
  EXPECT_EQ(s.unknown_unit_dossiers(), 0U);
}

// Received at the Justice department's desk, resolved by a commune (DonViXuLy): the setting says
// which counts; DonViXuLy naming the ended district counts under the ward that took it over.
TEST_F(LiveUnitsTest, TheResolvingOrTheReceivingUnitAsTheSettingSays) {
  auto handed_over = dossier("000.00.12.H42-260302-0001", at(2026, 3, 2, 9));
  handed_over.dossier.unit_name = "UBND xã Trường Yên";
  auto old_name = dossier("000.00.12.H42-260302-0002", at(2026, 3, 2, 9));
  old_name.dossier.unit_name = "UBND huyện Hoa Lư";

  LiveState resolving = state(engine::CountUnder::Resolving, at(2026, 3, 2, 10));
  resolving.update(1, handed_over, at(2026, 3, 2, 10));
  resolving.update(2, old_name, at(2026, 3, 2, 10));
  const std::uint32_t commune = *resolving.units().find("000.31.02.H42");
  const std::uint32_t ward = *resolving.units().find("000.31.01.H42");
  EXPECT_EQ(resolving.record(1)->unit, commune);
  EXPECT_EQ(resolving.record(2)->unit, ward);
  EXPECT_EQ(resolving.unit_name(commune), "UBND xã Trường Yên");
  EXPECT_FALSE(resolving.units().find("000.00.12.H42").has_value());
  // Judged again as time passes (DonViXuLy is not held): still the commune's.
  resolving.advance(at(2026, 3, 20, 10));
  EXPECT_EQ(resolving.record(1)->unit, commune);
  EXPECT_EQ(resolving.now_by_unit().at(commune).state(PendingState::Overdue), 1);

  LiveState receiving = state(engine::CountUnder::Receiving, at(2026, 3, 2, 10));
  receiving.update(1, handed_over, at(2026, 3, 2, 10));
  receiving.update(2, old_name, at(2026, 3, 2, 10));
  const std::uint32_t justice = *receiving.units().find("000.00.12.H42");
  EXPECT_EQ(receiving.record(1)->unit, justice);
  EXPECT_EQ(receiving.now_by_unit().at(justice).in_process(), 2);
  EXPECT_EQ(receiving.unit_name(justice), "Sở Tư pháp tỉnh Ninh Bình");
  EXPECT_FALSE(receiving.units().find("000.31.02.H42").has_value());
}

// A code the register lacks is its own unit, flagged, counted and listed with its receipts; with
// no register nothing is unknown.
TEST_F(LiveUnitsTest, UnknownUnitCodesAreCountedAndListed) {
  LiveState s = state(engine::CountUnder::Resolving, at(2026, 3, 6, 10));
  // DonViXuLy is no unit of the register either: the receiving code counts.
  const auto stranger = [](std::string code, Moment received) {
    DossierTimeline tl = dossier(std::move(code), received);
    tl.dossier.unit_name = "UBND phường Lạ";
    return tl;
  };
  s.update(1, stranger("000.00.99.H42-260302-0001", at(2026, 3, 2, 9)), at(2026, 3, 6, 10));
  s.update(2, stranger("000.00.99.H42-260304-0002", at(2026, 3, 4, 9)), at(2026, 3, 6, 10));
  s.update(3, stranger("000.00.12.H42-260304-0003", at(2026, 3, 4, 9)), at(2026, 3, 6, 10));
  s.update(4, stranger("NOPREFIX", at(2026, 3, 4, 9)), at(2026, 3, 6, 10));
  EXPECT_EQ(s.unknown_unit_dossiers(), 2U);
  EXPECT_NE(s.record(1)->flags & kFlagUnknownUnit, 0U);
  EXPECT_EQ(s.record(3)->flags & kFlagUnknownUnit, 0U);
  const std::vector<UnknownUnit> unknown = s.unknown_units();
  ASSERT_EQ(unknown.size(), 1U);
  EXPECT_EQ(unknown[0].code, "000.00.99.H42");
  EXPECT_EQ(unknown[0].dossiers, 2);
  EXPECT_EQ(unknown[0].first_received, at(2026, 3, 2, 9));
  EXPECT_EQ(unknown[0].last_received, at(2026, 3, 4, 9));
  const std::uint32_t own = *s.units().find("000.00.99.H42");
  EXPECT_EQ(s.now_by_unit().at(own).in_process(), 2);
  EXPECT_EQ(s.unit_name(own), "UBND phường Lạ");  // DonViXuLy: the register has none
  EXPECT_EQ(s.unit_in_force("000.00.99.H42"), "000.00.99.H42");

  // Judged again, the flag stays and the count does not move.
  s.advance(at(2026, 3, 20, 10));
  EXPECT_EQ(s.unknown_unit_dossiers(), 2U);

  LiveState without(catalogue_, test::official_calendar(), engine::Settings{}, at(2026, 3, 6, 10));
  without.update(1, stranger("000.00.99.H42-260302-0001", at(2026, 3, 2, 9)), at(2026, 3, 6, 10));
  EXPECT_EQ(without.unknown_unit_dossiers(), 0U);
  EXPECT_TRUE(without.unknown_units().empty());
}

}  // namespace
}  // namespace tthc::live
