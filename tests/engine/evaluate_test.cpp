// The deadline engine against domain.md §4–5 and §8, on the official 2026 calendar.
// March 2026 has no holiday: Mon 2/3 … Fri 6/3, Mon 9/3 … are plain working days.
#include "engine/evaluate.hpp"

#include "support/calendar.hpp"
#include "support/moments.hpp"
#include "support/rules.hpp"
#include "support/timelines.hpp"

#include <gtest/gtest.h>

namespace tthc::engine {

// Readable failures.
void PrintTo(PendingState s, std::ostream* os) {
  *os << to_string(s);
}
void PrintTo(Outcome o, std::ostream* os) {
  *os << to_string(o);
}
void PrintTo(EndSource s, std::ostream* os) {
  *os << to_string(s);
}
void PrintTo(Exclusion e, std::ostream* os) {
  *os << to_string(e);
}

namespace {

using calendar::parse_limit;
using std::chrono::hours;
using std::chrono::minutes;

using test::at;

calendar::Limit limit(std::string_view text) {
  return parse_limit(text).value();
}

// The rule of 1.004227, the procedure every dossier here belongs to.
ProcedureRule rule(std::string_view legal, std::string_view reduced = "",
                   std::string_view online = "") {
  return test::procedure_rule("1.004227", "KHCN", legal, reduced, online);
}

ProgressEntry entry(Moment when, Status s, std::string dept = "Phòng Quản lý chuyên ngành",
                    std::optional<Moment> deadline = std::nullopt) {
  ProgressEntry e = test::progress_entry(when, s, std::move(dept), "Nguyễn Văn A");
  e.step_deadline = deadline;
  return e;
}

// A dossier received Mon 2/3/2026 09:00, in process.
DossierTimeline dossier(Status s = Status::InProcess, Moment received = at(2026, 3, 2, 9)) {
  return test::timeline("000.00.12.H42-260302-0001", "1.004227", received, s);
}

class EngineTest : public ::testing::Test {
 protected:
  Evaluation eval(const DossierTimeline& tl, const ProcedureRule* r, Moment now) {
    sort_progress(const_cast<DossierTimeline&>(tl).progress);
    return evaluate(tl, r, cal, settings, now);
  }
  const calendar::WorkingCalendar& cal = test::official_calendar();
  Settings settings;
  ProcedureRule three_days = rule("3wd");
};

// --- due dates ----------------------------------------------------------------------------

TEST_F(EngineTest, ComputedDueWhenNoPromisedDate) {
  auto tl = dossier(Status::InProcess, at(2026, 4, 24, 9));  // domain.md §3 worked example
  const auto e = eval(tl, &three_days, at(2026, 4, 24, 10));
  ASSERT_TRUE(e.counted);
  EXPECT_EQ(e.computed_due, at(2026, 5, 4, 9));
  EXPECT_EQ(e.base_due, at(2026, 5, 4, 9));
  EXPECT_EQ(e.base_due_source, BaseDueSource::Computed);
  EXPECT_EQ(e.effective_due, at(2026, 5, 4, 9));
  EXPECT_FALSE(e.has(kFlagDueMismatch));
}

TEST_F(EngineTest, ReceiptAfterHoursStartsTheClockNextWorkingMorning) {
  auto tl = dossier(Status::InProcess, at(2026, 4, 24, 17, 30));
  const auto e = eval(tl, &three_days, at(2026, 4, 25));
  EXPECT_EQ(e.clock_start, at(2026, 4, 28, 7));
  EXPECT_EQ(e.effective_due, at(2026, 5, 4, 17));
}

TEST_F(EngineTest, OperativeLimitByChannel) {
  const ProcedureRule all = rule("10wd", "7wd", "5wd");
  const ProcedureRule no_online = rule("10wd", "7wd");
  const ProcedureRule legal_only = rule("10wd");
  EXPECT_EQ(operative_limit(all, Channel::Online), limit("5wd"));
  EXPECT_EQ(operative_limit(all, Channel::InPerson), limit("7wd"));
  EXPECT_EQ(operative_limit(all, Channel::Postal), limit("7wd"));
  EXPECT_EQ(operative_limit(no_online, Channel::Online), limit("7wd"));
  EXPECT_EQ(operative_limit(legal_only, Channel::Online), limit("10wd"));
  EXPECT_EQ(operative_limit(legal_only, Channel::InPerson), limit("10wd"));

  auto tl = dossier();
  tl.dossier.channel = Channel::Online;
  const auto e = eval(tl, &all, at(2026, 3, 2, 10));
  EXPECT_EQ(e.limit, limit("5wd"));
  EXPECT_EQ(e.computed_due, at(2026, 3, 9, 9));
}

TEST_F(EngineTest, FirstPromisedDueIsTheBaseAndAMismatchIsFlagged) {
  auto tl = dossier();
  tl.due_history = {at(2026, 3, 5, 17)};  // the source promised Thu 17:00, computed is 09:00
  const auto e = eval(tl, &three_days, at(2026, 3, 3));
  EXPECT_EQ(e.base_due, at(2026, 3, 5, 17));
  EXPECT_EQ(e.base_due_source, BaseDueSource::Promised);
  EXPECT_EQ(e.computed_due, at(2026, 3, 5, 9));
  EXPECT_TRUE(e.has(kFlagDueMismatch));
  EXPECT_EQ(e.effective_due, at(2026, 3, 5, 17));

  tl.due_history = {at(2026, 3, 5, 9)};
  EXPECT_FALSE(eval(tl, &three_days, at(2026, 3, 3)).has(kFlagDueMismatch));
}

TEST_F(EngineTest, SnapshotDueIsUsedWhenNoHistoryWasRecorded) {
  auto tl = dossier();
  tl.dossier.promised_due = at(2026, 3, 6, 17);
  const auto e = eval(tl, &three_days, at(2026, 3, 3));
  EXPECT_EQ(e.base_due, at(2026, 3, 6, 17));
  EXPECT_EQ(e.base_due_source, BaseDueSource::Promised);
}

TEST_F(EngineTest, ExtensionIsRecordedButTheBaseDueStillJudges) {
  auto tl = dossier(Status::Finished);
  tl.due_history = {at(2026, 3, 5, 9), at(2026, 3, 10, 17)};
  tl.dossier.processing_end = at(2026, 3, 9, 10);
  const auto e = eval(tl, &three_days, at(2026, 3, 20));
  ASSERT_EQ(e.extensions.size(), 1U);
  EXPECT_EQ(e.extensions[0], at(2026, 3, 10, 17));
  EXPECT_TRUE(e.has(kFlagExtended));
  EXPECT_EQ(e.effective_due, at(2026, 3, 5, 9));
  EXPECT_EQ(e.outcome, Outcome::Overdue);
}

TEST_F(EngineTest, DueChangeFromASupplementationRoundIsNotAnExtension) {
  auto tl = dossier();
  SupplementRound round;
  round.requested = at(2026, 3, 3, 9);
  round.received = at(2026, 3, 4, 9);
  round.due_before = at(2026, 3, 5, 9);
  round.due_after = at(2026, 3, 6, 9);
  tl.dossier.rounds = {round};
  tl.due_history = {at(2026, 3, 5, 9), at(2026, 3, 6, 9)};
  const auto e = eval(tl, &three_days, at(2026, 3, 4, 10));
  EXPECT_TRUE(e.extensions.empty());
  EXPECT_FALSE(e.has(kFlagExtended));
}

TEST_F(EngineTest, UnknownProcedureIsJudgedByItsPromisedDue) {
  auto tl = dossier(Status::Finished);
  tl.due_history = {at(2026, 3, 4, 17)};
  tl.dossier.processing_end = at(2026, 3, 4, 16);
  const auto e = eval(tl, nullptr, at(2026, 3, 10));
  EXPECT_TRUE(e.has(kFlagUnknownProcedure));
  EXPECT_FALSE(e.computed_due);
  EXPECT_EQ(e.effective_due, at(2026, 3, 4, 17));
  EXPECT_EQ(e.outcome, Outcome::OnTime);
}

TEST_F(EngineTest, NoDueDateIsOnTimeAndNeverOverdue) {
  const ProcedureRule none = rule("");
  auto tl = dossier(Status::Finished);
  tl.dossier.processing_end = at(2026, 12, 1, 9);
  auto e = eval(tl, &none, at(2026, 12, 2));
  EXPECT_TRUE(e.has(kFlagNoDueDate));
  EXPECT_FALSE(e.effective_due);
  EXPECT_EQ(e.outcome, Outcome::OnTime);

  tl.dossier.status = Status::InProcess;
  e = eval(tl, &none, at(2027, 1, 1));
  EXPECT_EQ(e.pending, PendingState::InTime);
  EXPECT_FALSE(e.left);
}

TEST_F(EngineTest, PromisedDueBeforeReceiptIsKeptAndFlagged) {
  auto tl = dossier();
  tl.due_history = {at(2026, 3, 1, 17)};
  const auto e = eval(tl, &three_days, at(2026, 3, 2, 10));
  EXPECT_EQ(e.effective_due, at(2026, 3, 1, 17));
  EXPECT_TRUE(e.has(kFlagDueBeforeReceipt));
  EXPECT_EQ(e.pending, PendingState::Overdue);
}

// --- classification ------------------------------------------------------------------------

TEST_F(EngineTest, FinishedEarlyOnTimeOverdue) {
  auto tl = dossier(Status::Finished);  // due Thu 5/3 09:00
  auto judged = [&](Moment end) {
    tl.dossier.processing_end = end;
    return eval(tl, &three_days, at(2026, 4, 1)).outcome;
  };
  EXPECT_EQ(judged(at(2026, 3, 4, 16)), Outcome::Early);  // an earlier calendar day
  EXPECT_EQ(judged(at(2026, 3, 5, 8)), Outcome::OnTime);  // same day, before the due
  EXPECT_EQ(judged(at(2026, 3, 5, 9)), Outcome::OnTime);  // exactly at the due
  EXPECT_EQ(judged(at(2026, 3, 5, 9, 0, 1)), Outcome::Overdue);
  EXPECT_EQ(judged(at(2026, 3, 6, 7)), Outcome::Overdue);
}

TEST_F(EngineTest, PendingInTimeDueSoonOverdue) {
  auto tl = dossier();  // due Thu 5/3 09:00
  auto state = [&](Moment now) { return eval(tl, &three_days, now); };
  EXPECT_EQ(state(at(2026, 3, 2, 10)).pending, PendingState::InTime);
  // Wed 4/3 09:00 leaves exactly 8 working hours: due soon (at most the threshold).
  EXPECT_EQ(state(at(2026, 3, 4, 9)).left, hours{8});
  EXPECT_EQ(state(at(2026, 3, 4, 9)).pending, PendingState::DueSoon);
  EXPECT_EQ(state(at(2026, 3, 4, 8, 59, 59)).pending, PendingState::InTime);
  EXPECT_EQ(state(at(2026, 3, 5, 9)).pending, PendingState::DueSoon);
  const auto late = state(at(2026, 3, 5, 10));
  EXPECT_EQ(late.pending, PendingState::Overdue);
  EXPECT_EQ(late.left, -hours{1});
  EXPECT_EQ(late.used, hours{25});
}

TEST_F(EngineTest, DueSoonThresholdIsASetting) {
  auto tl = dossier();
  settings.due_soon = hours{16};
  EXPECT_EQ(eval(tl, &three_days, at(2026, 3, 3, 9)).pending, PendingState::DueSoon);
  settings.due_soon = hours{4};
  EXPECT_EQ(eval(tl, &three_days, at(2026, 3, 4, 9)).pending, PendingState::InTime);
}

TEST_F(EngineTest, DueSoonCountsWorkingTimeNotClockTime) {
  // Due Mon 9/3 09:00; Friday 6/3 17:30 leaves 2 working hours though 63 clock hours remain.
  auto tl = dossier(Status::InProcess, at(2026, 3, 4, 9));
  const auto e = eval(tl, &three_days, at(2026, 3, 6, 17, 30));
  EXPECT_EQ(e.effective_due, at(2026, 3, 9, 9));
  EXPECT_EQ(e.left, hours{2});
  EXPECT_EQ(e.pending, PendingState::DueSoon);
}

// --- statuses and end time -------------------------------------------------------------------

TEST_F(EngineTest, StatusesOneAndThreeAreNeverCounted) {
  auto tl = dossier(Status::Registered);
  auto e = eval(tl, &three_days, at(2026, 4, 1));
  EXPECT_FALSE(e.counted);
  EXPECT_EQ(e.exclusion, Exclusion::NotReceived);
  EXPECT_FALSE(e.pending);
  tl.dossier.status = Status::Refused;
  e = eval(tl, &three_days, at(2026, 4, 1));
  EXPECT_FALSE(e.counted);
  EXPECT_EQ(e.exclusion, Exclusion::Refused);
}

TEST_F(EngineTest, RunningStatusesArePending) {
  for (Status s : {Status::Received, Status::InProcess}) {
    const auto e = eval(dossier(s), &three_days, at(2026, 3, 3));
    EXPECT_TRUE(e.counted);
    EXPECT_FALSE(e.ended);
    EXPECT_EQ(e.pending, PendingState::InTime) << status_code(s);
  }
}

TEST_F(EngineTest, PauseStatusesArePausedWhileOpen) {
  for (Status s : {Status::AwaitingSupplement, Status::AwaitingPayment}) {
    auto tl = dossier(s);
    tl.progress = {entry(at(2026, 3, 2, 9), Status::Received), entry(at(2026, 3, 3, 9), s)};
    const auto e = eval(tl, &three_days, at(2026, 3, 20));
    EXPECT_EQ(e.pending, PendingState::Paused) << status_code(s);
    EXPECT_TRUE(e.paused_now);
    // Paused from Tue 09:00: 8 working hours used, 16 left, however long it waits.
    EXPECT_EQ(e.used, hours{8});
    EXPECT_EQ(e.left, hours{16});
  }
}

TEST_F(EngineTest, PausedButAlreadyOverdueStaysOverdue) {
  auto tl = dossier(Status::AwaitingSupplement);
  tl.progress = {entry(at(2026, 3, 2, 9), Status::Received),
                 entry(at(2026, 3, 6, 9), Status::AwaitingSupplement)};  // after the due
  const auto e = eval(tl, &three_days, at(2026, 3, 10));
  EXPECT_EQ(e.effective_due, at(2026, 3, 5, 9));  // a pause after the due rescues nothing
  EXPECT_EQ(e.pending, PendingState::Overdue);
}

TEST_F(EngineTest, EveryEndStatusEndsTheDossier) {
  for (Status s : {Status::Withdrawn, Status::Stopped, Status::Finished, Status::Returned}) {
    auto tl = dossier(s);
    tl.progress = {entry(at(2026, 3, 2, 9), Status::Received), entry(at(2026, 3, 4, 10), s)};
    const auto e = eval(tl, &three_days, at(2026, 3, 20));
    EXPECT_TRUE(e.ended) << status_code(s);
    EXPECT_EQ(e.end, at(2026, 3, 4, 10)) << status_code(s);
    EXPECT_EQ(e.outcome, Outcome::Early) << status_code(s);
    EXPECT_EQ(e.used, hours{17}) << status_code(s);
  }
}

TEST_F(EngineTest, EndTimePriority) {
  const Moment t9 = at(2026, 3, 3, 10);
  const Moment t10 = at(2026, 3, 3, 11);
  const Moment t8 = at(2026, 3, 3, 14);
  const Moment t7 = at(2026, 3, 3, 15);
  const Moment processing_end = at(2026, 3, 4, 8);
  const Moment returned = at(2026, 3, 4, 9);
  auto tl = dossier(Status::Returned);
  tl.progress = {entry(t9, Status::Finished), entry(t10, Status::Returned),
                 entry(t8, Status::Stopped), entry(t7, Status::Withdrawn)};
  tl.dossier.processing_end = processing_end;
  tl.dossier.returned = returned;
  const Moment now = at(2026, 3, 20);
  auto end = [&] {
    const auto e = eval(tl, &three_days, now);
    return std::pair{e.end, e.end_source};
  };
  // 9/10: NgayKetThucXuLy first.
  EXPECT_EQ(end(), std::pair(std::optional(processing_end), EndSource::ProcessingEnd));
  // 7/8 do not take NgayKetThucXuLy before the entries.
  tl.dossier.status = Status::Stopped;
  EXPECT_EQ(end(), std::pair(std::optional(t9), EndSource::FinishedEntry));
  tl.progress.erase(tl.progress.begin());  // no 9 → first 10
  EXPECT_EQ(end(), std::pair(std::optional(t10), EndSource::ReturnedEntry));
  tl.progress.erase(tl.progress.begin());  // no 10 → first 8
  EXPECT_EQ(end(), std::pair(std::optional(t8), EndSource::StoppedEntry));
  tl.progress.erase(tl.progress.begin());  // no 8 → first 7
  EXPECT_EQ(end(), std::pair(std::optional(t7), EndSource::WithdrawnEntry));
  tl.progress.clear();  // no entries → NgayKetThucXuLy, then NgayTra
  EXPECT_EQ(end(), std::pair(std::optional(processing_end), EndSource::ProcessingEnd));
  tl.dossier.processing_end.reset();
  EXPECT_EQ(end(), std::pair(std::optional(returned), EndSource::ReturnDate));
  tl.dossier.returned.reset();
  const auto e = eval(tl, &three_days, now);
  EXPECT_FALSE(e.counted);
  EXPECT_EQ(e.exclusion, Exclusion::NoEndTime);
  EXPECT_TRUE(e.has(kFlagEndMissing));
}

// TrangThaiHoSo not a code: counted nowhere, with its own exclusion and flag, whatever the
// rest of the record says.
TEST_F(EngineTest, UnknownStatusIsNotCounted) {
  auto tl = dossier(Status::Unknown);
  tl.dossier.processing_end = at(2026, 3, 3, 9);
  const auto e = eval(tl, &three_days, at(2026, 3, 9, 10));
  EXPECT_FALSE(e.counted);
  EXPECT_EQ(e.exclusion, Exclusion::StatusUnknown);
  EXPECT_TRUE(e.has(kFlagStatusUnknown));
  EXPECT_FALSE(e.ended);
  EXPECT_FALSE(e.pending);
  EXPECT_EQ(to_string(e.exclusion), "status_unknown");
  tl.dossier.status = Status::Finished;
  const auto known = eval(tl, &three_days, at(2026, 3, 9, 10));
  EXPECT_TRUE(known.counted);
  EXPECT_FALSE(known.has(kFlagStatusUnknown));
}

TEST_F(EngineTest, FinishedWithoutProcessingEndUsesFirstStatusNineEntry) {
  auto tl = dossier(Status::Finished);
  tl.progress = {entry(at(2026, 3, 4, 10), Status::Finished),
                 entry(at(2026, 3, 5, 10), Status::Finished)};
  const auto e = eval(tl, &three_days, at(2026, 3, 20));
  EXPECT_EQ(e.end, at(2026, 3, 4, 10));
  EXPECT_EQ(e.end_source, EndSource::FinishedEntry);
}

TEST_F(EngineTest, EndBeforeReceiptIsClampedAndFlagged) {
  auto tl = dossier(Status::Finished);
  tl.dossier.processing_end = at(2026, 3, 1, 9);
  const auto e = eval(tl, &three_days, at(2026, 3, 20));
  EXPECT_EQ(e.end, at(2026, 3, 2, 9));
  EXPECT_TRUE(e.has(kFlagEndBeforeReceipt));
  EXPECT_EQ(e.outcome, Outcome::Early);
  EXPECT_EQ(e.used, Duration::zero());
}

TEST_F(EngineTest, JudgeByReturn) {
  settings.judge_by = JudgeBy::Return;
  auto tl = dossier(Status::Returned);
  tl.dossier.processing_end = at(2026, 3, 5, 8);
  tl.dossier.returned = at(2026, 3, 5, 10);
  auto e = eval(tl, &three_days, at(2026, 3, 20));
  EXPECT_EQ(e.end, at(2026, 3, 5, 10));
  EXPECT_EQ(e.end_source, EndSource::ReturnDate);
  EXPECT_EQ(e.outcome, Outcome::Overdue);

  tl.dossier.status = Status::Finished;  // finished but not returned: still pending
  e = eval(tl, &three_days, at(2026, 3, 20));
  EXPECT_FALSE(e.ended);
  EXPECT_EQ(e.pending, PendingState::Overdue);

  settings.judge_by = JudgeBy::ProcessingEnd;
  e = eval(tl, &three_days, at(2026, 3, 20));
  EXPECT_EQ(e.end, at(2026, 3, 5, 8));
  EXPECT_EQ(e.outcome, Outcome::OnTime);
}

TEST_F(EngineTest, FactsAfterTheEvaluationMomentAreNotYetKnown) {
  auto tl = dossier(Status::Finished);
  tl.progress = {entry(at(2026, 3, 2, 9), Status::Received),
                 entry(at(2026, 3, 4, 10), Status::Finished)};
  // An end exactly at the evaluation moment belongs to the next period: still pending then.
  auto e = eval(tl, &three_days, at(2026, 3, 4, 10));
  EXPECT_FALSE(e.ended);
  EXPECT_EQ(e.pending, PendingState::DueSoon);
  EXPECT_EQ(e.steps.size(), 1U);
  e = eval(tl, &three_days, at(2026, 3, 4, 10, 0, 1));
  EXPECT_TRUE(e.ended);
  // Not received yet at the evaluation moment.
  e = eval(tl, &three_days, at(2026, 3, 2, 8));
  EXPECT_FALSE(e.counted);
  EXPECT_EQ(e.exclusion, Exclusion::NotReceived);
}

TEST_F(EngineTest, MissingReceiptIsNotCounted) {
  auto tl = dossier();
  tl.dossier.received.reset();
  const auto e = eval(tl, &three_days, at(2026, 3, 20));
  EXPECT_FALSE(e.counted);
  EXPECT_EQ(e.exclusion, Exclusion::NoReceipt);
}

// --- pauses ---------------------------------------------------------------------------------

SupplementRound round_of(Moment requested, std::optional<Moment> received) {
  SupplementRound r;
  r.requested = requested;
  r.received = received;
  return r;
}

TEST_F(EngineTest, PauseMovesTheDueByItsWorkingTime) {
  auto tl = dossier();
  // Tue 09:00 → Wed 09:00 is 8 working hours: due Thu 09:00 → Fri 09:00.
  tl.dossier.rounds = {round_of(at(2026, 3, 3, 9), at(2026, 3, 4, 9))};
  const auto e = eval(tl, &three_days, at(2026, 3, 5, 8));
  ASSERT_EQ(e.pauses.size(), 1U);
  EXPECT_EQ(e.paused, hours{8});
  EXPECT_EQ(e.effective_due, at(2026, 3, 6, 9));
  EXPECT_EQ(e.pending, PendingState::InTime);
  EXPECT_FALSE(e.paused_now);
  // The dossier gets exactly the working time it was promised.
  EXPECT_EQ(cal.between(*e.clock_start, *e.effective_due, e.pauses),
            cal.between(*e.clock_start, *e.base_due));
}

TEST_F(EngineTest, RoundsAndPauseEntriesAreAUnion) {
  auto tl = dossier();
  tl.dossier.rounds = {round_of(at(2026, 3, 3, 9), at(2026, 3, 4, 9))};
  tl.progress = {entry(at(2026, 3, 2, 9), Status::Received),
                 entry(at(2026, 3, 3, 13, 30), Status::AwaitingSupplement),  // inside the round
                 entry(at(2026, 3, 4, 10), Status::InProcess),               // 1 h past it
                 entry(at(2026, 3, 4, 14), Status::AwaitingPayment),         // fee wait 14–15
                 entry(at(2026, 3, 4, 15), Status::InProcess)};
  const auto e = eval(tl, &three_days, at(2026, 3, 9, 8));
  ASSERT_EQ(e.pauses.size(), 2U);
  EXPECT_EQ(e.pauses[0], (Interval{at(2026, 3, 3, 9), at(2026, 3, 4, 10)}));
  EXPECT_EQ(e.paused, hours{10});
  EXPECT_EQ(e.effective_due, at(2026, 3, 6, 11));
}

TEST_F(EngineTest, PauseAfterTheDueDoesNotRescue) {
  auto tl = dossier(Status::Finished);
  tl.dossier.rounds = {round_of(at(2026, 3, 5, 10), at(2026, 3, 6, 10))};
  tl.dossier.processing_end = at(2026, 3, 9, 9);
  const auto e = eval(tl, &three_days, at(2026, 3, 20));
  EXPECT_EQ(e.effective_due, at(2026, 3, 5, 9));
  EXPECT_EQ(e.outcome, Outcome::Overdue);
  EXPECT_EQ(e.used, hours{32});  // Mon 09:00 → Mon 09:00 is 40 h, of which 8 h paused
}

TEST_F(EngineTest, LaterPausesCountOnlyWhenTheyBeginBeforeTheMovedDue) {
  auto tl = dossier();
  tl.dossier.rounds = {round_of(at(2026, 3, 3, 9), at(2026, 3, 4, 9)),     // due → Fri 09:00
                       round_of(at(2026, 3, 5, 15), at(2026, 3, 5, 17))};  // before Fri: +2 h
  const auto e = eval(tl, &three_days, at(2026, 3, 20));
  EXPECT_EQ(e.effective_due, at(2026, 3, 6, 11));
}

TEST_F(EngineTest, PauseWithoutWorkingTimeLeavesANonWorkingBaseDueAsItIs) {
  auto tl = dossier();
  tl.due_history = {at(2026, 3, 7, 12)};  // the source promised a Saturday noon
  tl.dossier.rounds = {round_of(at(2026, 3, 7, 8), at(2026, 3, 7, 11))};  // paused on Saturday
  const auto e = eval(tl, &three_days, at(2026, 3, 6));
  EXPECT_EQ(e.effective_due, at(2026, 3, 7, 12));
}

TEST_F(EngineTest, OpenPauseRunsToTheEvaluationMoment) {
  auto tl = dossier(Status::AwaitingSupplement);
  tl.dossier.rounds = {round_of(at(2026, 3, 3, 9), std::nullopt)};
  auto e = eval(tl, &three_days, at(2026, 3, 4, 9));
  EXPECT_TRUE(e.paused_now);
  EXPECT_EQ(e.pending, PendingState::Paused);
  EXPECT_EQ(e.effective_due, at(2026, 3, 6, 9));
  e = eval(tl, &three_days, at(2026, 3, 5, 9));
  EXPECT_EQ(e.effective_due, at(2026, 3, 9, 9));
  EXPECT_EQ(e.left, hours{16});
}

TEST_F(EngineTest, RestartPolicyStartsTheFullLimitAgain) {
  settings.pause_policy = PausePolicy::Restart;
  auto tl = dossier();
  tl.dossier.rounds = {round_of(at(2026, 3, 3, 9), at(2026, 3, 5, 9))};
  auto e = eval(tl, &three_days, at(2026, 3, 6));
  EXPECT_EQ(e.restart_from, at(2026, 3, 5, 9));
  EXPECT_EQ(e.effective_due, at(2026, 3, 10, 9));  // Thu 09:00 + 3 wd

  // A fee wait after the restart still pauses: Mon 9/3 14:00–16:00 → +2 h.
  tl.progress = {entry(at(2026, 3, 9, 14), Status::AwaitingPayment),
                 entry(at(2026, 3, 9, 16), Status::InProcess)};
  e = eval(tl, &three_days, at(2026, 3, 11));
  EXPECT_EQ(e.effective_due, at(2026, 3, 10, 11));

  // The same dossier under policy pause: the round's 16 h move the due to Mon 9/3 09:00, and
  // the fee wait begins after that, so it does not count.
  settings.pause_policy = PausePolicy::Pause;
  e = eval(tl, &three_days, at(2026, 3, 11));
  EXPECT_FALSE(e.restart_from);
  EXPECT_EQ(e.effective_due, at(2026, 3, 9, 9));
}

TEST_F(EngineTest, RestartWithoutCatalogueLimitReusesThePromisedSpan) {
  settings.pause_policy = PausePolicy::Restart;
  auto tl = dossier();
  tl.due_history = {at(2026, 3, 4, 9)};  // 2 working days after receipt
  tl.dossier.rounds = {round_of(at(2026, 3, 3, 9), at(2026, 3, 5, 13, 30))};
  const auto e = eval(tl, nullptr, at(2026, 3, 6));
  // Thu 13:30 + 16 h ends exactly at Mon 11:30: a due may sit on a session end.
  EXPECT_EQ(e.effective_due, at(2026, 3, 9, 11, 30));
}

TEST_F(EngineTest, RestartWithoutReceivedSupplementBehavesLikePause) {
  settings.pause_policy = PausePolicy::Restart;
  auto tl = dossier(Status::AwaitingSupplement);
  tl.dossier.rounds = {round_of(at(2026, 3, 3, 9), std::nullopt)};
  const auto e = eval(tl, &three_days, at(2026, 3, 4, 9));
  EXPECT_FALSE(e.restart_from);
  EXPECT_EQ(e.effective_due, at(2026, 3, 6, 9));
}

// --- steps ----------------------------------------------------------------------------------

TEST_F(EngineTest, StepsCarryTheirDepartmentDeadlineAndLateness) {
  auto tl = dossier();
  tl.progress = {entry(at(2026, 3, 2, 9), Status::Received, "Bộ phận Một cửa", at(2026, 3, 2, 11)),
                 entry(at(2026, 3, 2, 10), Status::InProcess, "Phòng Quản lý chuyên ngành",
                       at(2026, 3, 3, 10)),
                 entry(at(2026, 3, 4, 10), Status::InProcess, "Lãnh đạo Sở", at(2026, 3, 4, 14))};
  tl.progress[1].step_start = at(2026, 3, 2, 9, 30);
  const auto e = eval(tl, &three_days, at(2026, 3, 4, 15));
  ASSERT_EQ(e.steps.size(), 3U);
  EXPECT_FALSE(e.steps[0].overdue);
  EXPECT_EQ(e.steps[1].start, at(2026, 3, 2, 9, 30));  // NgayBatDau
  EXPECT_EQ(e.steps[1].end, at(2026, 3, 4, 10));
  EXPECT_TRUE(e.steps[1].overdue);
  EXPECT_EQ(e.steps[1].late, hours{8});
  EXPECT_EQ(tl.progress[e.steps[1].entry].department, "Phòng Quản lý chuyên ngành");
  // The last step is open and past its deadline: the dossier is at risk though not overdue.
  EXPECT_FALSE(e.steps[2].end);
  EXPECT_TRUE(e.steps[2].overdue);
  EXPECT_EQ(e.steps[2].late, hours{1});
  EXPECT_EQ(e.current_step, 2U);
  EXPECT_TRUE(e.at_risk);
  EXPECT_EQ(e.pending, PendingState::DueSoon);
}

TEST_F(EngineTest, OpenStepWithinItsDeadlineIsNotAtRisk) {
  auto tl = dossier();
  tl.progress = {entry(at(2026, 3, 2, 10), Status::InProcess, "Phòng A", at(2026, 3, 4, 10))};
  const auto e = eval(tl, &three_days, at(2026, 3, 3, 10));
  EXPECT_FALSE(e.steps[0].overdue);
  EXPECT_FALSE(e.at_risk);
}

TEST_F(EngineTest, LastStepOfAnEndedDossierClosesAtTheEnd) {
  auto tl = dossier(Status::Finished);
  tl.dossier.processing_end = at(2026, 3, 4, 16);
  tl.progress = {entry(at(2026, 3, 3, 9), Status::InProcess, "Phòng A", at(2026, 3, 4, 9))};
  const auto e = eval(tl, &three_days, at(2026, 3, 20));
  EXPECT_EQ(e.steps[0].end, at(2026, 3, 4, 16));
  EXPECT_TRUE(e.steps[0].overdue);
  EXPECT_FALSE(e.at_risk);  // ended dossiers are judged, not at risk
  EXPECT_FALSE(e.current_step);
}

TEST_F(EngineTest, EvaluationReusesItsStorage) {
  auto tl = dossier();
  tl.progress = {entry(at(2026, 3, 2, 10), Status::InProcess),
                 entry(at(2026, 3, 3, 10), Status::AwaitingSupplement)};
  Evaluation out;
  evaluate(tl, &three_days, cal, settings, at(2026, 3, 4), out);
  const auto first = out;
  evaluate(dossier(Status::Refused), &three_days, cal, settings, at(2026, 3, 4), out);
  EXPECT_TRUE(out.steps.empty());
  EXPECT_TRUE(out.pauses.empty());
  evaluate(tl, &three_days, cal, settings, at(2026, 3, 4), out);
  EXPECT_EQ(out.steps.size(), first.steps.size());
  EXPECT_EQ(out.effective_due, first.effective_due);
  EXPECT_EQ(out.pending, first.pending);
}

}  // namespace

// The moment the daemon must judge a dossier again (Evaluation::next_change).
TEST_F(EngineTest, NextChangeIsTheDueSoonMomentOnWorkingTimeNotMidnight) {
  // Received Mon 2/3 09:00 with 5 wd: due Mon 9/3 09:00. With one working day as the
  // threshold it becomes due soon at 09:00 the previous working day, Fri 6/3.
  const ProcedureRule five = rule("5wd");
  settings.due_soon = hours(8);
  const auto tl = dossier();
  const Evaluation e = eval(tl, &five, at(2026, 3, 4, 10));
  ASSERT_EQ(e.pending, PendingState::InTime);
  EXPECT_EQ(e.next_change, at(2026, 3, 6, 9));
  EXPECT_EQ(eval(tl, &five, at(2026, 3, 6, 8, 59, 59)).pending, PendingState::InTime);
  EXPECT_EQ(eval(tl, &five, at(2026, 3, 6, 9, 0, 1)).pending, PendingState::DueSoon);
  // Due soon: next is the second after the due, when it turns overdue.
  const Evaluation soon = eval(tl, &five, at(2026, 3, 6, 10));
  EXPECT_EQ(soon.next_change, at(2026, 3, 9, 9, 0, 1));
  EXPECT_EQ(eval(tl, &five, at(2026, 3, 9, 9)).pending, PendingState::DueSoon);
  EXPECT_EQ(eval(tl, &five, at(2026, 3, 9, 9, 0, 1)).pending, PendingState::Overdue);
  // Overdue with no step: nothing more changes with time alone.
  EXPECT_FALSE(eval(tl, &five, at(2026, 3, 10)).next_change.has_value());
}

TEST_F(EngineTest, NextChangeAcrossAWeekendAndHolidays) {
  // Fri 24/4/2026 09:00 + 3 wd = Mon 4/5 09:00 (27/4, 30/4, 1/5 off): due soon from
  // Wed 29/4 09:00, the working day before.
  const auto tl = dossier(Status::InProcess, at(2026, 4, 24, 9));
  const Evaluation e = eval(tl, &three_days, at(2026, 4, 24, 10));
  ASSERT_EQ(e.effective_due, at(2026, 5, 4, 9));
  EXPECT_EQ(e.next_change, at(2026, 4, 29, 9));
}

TEST_F(EngineTest, NextChangeIsAStepDeadlineOrAFutureFact) {
  auto tl = dossier();
  tl.progress.push_back(
      entry(at(2026, 3, 2, 10), Status::InProcess, "Phòng A", at(2026, 3, 3, 10)));
  const Evaluation e = eval(tl, &three_days, at(2026, 3, 2, 11));
  EXPECT_EQ(e.next_change, at(2026, 3, 3, 10, 0, 1));
  EXPECT_FALSE(e.at_risk);
  EXPECT_TRUE(eval(tl, &three_days, at(2026, 3, 3, 10, 0, 1)).at_risk);
  // A progress entry dated after the evaluation moment becomes known one second after it.
  tl.progress.push_back(entry(at(2026, 3, 2, 15), Status::Finished));
  const Evaluation later = eval(tl, &three_days, at(2026, 3, 2, 11));
  EXPECT_EQ(later.next_change, at(2026, 3, 2, 15, 0, 1));
  // Paused: the due does not come closer, so only new data changes it.
  auto paused = dossier(Status::AwaitingSupplement);
  paused.progress.push_back(entry(at(2026, 3, 2, 10), Status::AwaitingSupplement));
  const Evaluation p = eval(paused, &three_days, at(2026, 3, 3, 10));
  ASSERT_EQ(p.pending, PendingState::Paused);
  EXPECT_FALSE(p.next_change.has_value());
}

TEST_F(EngineTest, SupplementRequestsAreDeduplicatedAndTheWaitIsKnown) {
  auto tl = dossier(Status::AwaitingSupplement);
  tl.dossier.rounds.push_back({at(2026, 3, 3, 9), at(2026, 3, 4, 9), {}, {}});
  tl.dossier.rounds.push_back({at(2026, 3, 5, 9), {}, {}, {}});
  tl.progress.push_back(entry(at(2026, 3, 3, 9), Status::AwaitingSupplement));
  tl.progress.push_back(entry(at(2026, 3, 4, 9), Status::InProcess));
  tl.progress.push_back(entry(at(2026, 3, 5, 9), Status::AwaitingSupplement));
  const Evaluation e = eval(tl, &three_days, at(2026, 3, 6, 9));
  EXPECT_EQ(e.supplement_requests, (std::vector<Moment>{at(2026, 3, 3, 9), at(2026, 3, 5, 9)}));
  EXPECT_EQ(e.waiting_supplement_since, at(2026, 3, 5, 9));
  // Judged before the second request: one request, not waiting.
  const Evaluation before = eval(tl, &three_days, at(2026, 3, 4, 12));
  EXPECT_EQ(before.supplement_requests.size(), 1U);
  EXPECT_FALSE(before.waiting_supplement_since.has_value());
}

TEST_F(EngineTest, WorkingTimeLeftIsSignedWorkingTime) {
  // Fri 6/3/2026 16:00 to Mon 9/3 08:00 (the weekend off): 1 h + 1 h of sessions; negative
  // by the same working time once past the due.
  EXPECT_EQ(working_time_left(cal, at(2026, 3, 6, 16), at(2026, 3, 9, 8)), hours{2});
  EXPECT_EQ(working_time_left(cal, at(2026, 3, 9, 8), at(2026, 3, 6, 16)), -hours{2});
  EXPECT_EQ(working_time_left(cal, at(2026, 3, 6, 16), at(2026, 3, 6, 16)), Duration{0});
}

}  // namespace tthc::engine
