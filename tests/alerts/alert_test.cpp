// Which alerts a dossier has, and when they start and end, with a fake clock: the live state
// judged at chosen moments, the observer's transitions captured.
#include "alerts/observer.hpp"

#include "support/calendar.hpp"
#include "support/moments.hpp"
#include "support/rules.hpp"
#include "support/timelines.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace tthc::alerts {
namespace {

using test::at;

using test::procedure_rule;

DossierTimeline dossier(std::string code, Moment received, std::string procedure = "1.000001",
                        Status status = Status::InProcess) {
  DossierTimeline tl = test::timeline(std::move(code), std::move(procedure), received, status);
  tl.dossier.field_code = "KHCN";
  return tl;
}

class AlertsTest : public ::testing::Test {
 protected:
  AlertsTest()
      : catalogue_(
            {procedure_rule("1.000001", "KHCN", "5wd"), procedure_rule("1.000002", "KHCN", "5wd")}),
        state_(catalogue_, test::official_calendar(), engine::Settings{}, at(2026, 3, 2, 8)),
        observer_(settings(), [this](std::vector<Transition> t) {
          for (Transition& x : t) seen_.push_back(std::move(x));
        }) {
    state_.add_observer(&observer_);
  }
  static AlertSettings settings() {
    AlertSettings s;
    s.due_soon = std::chrono::hours{8};                            // one working day
    s.due_soon_by_procedure["1.000002"] = std::chrono::hours{16};  // two for this one
    s.dossier_url = "https://monitor.example/api/v1/dossiers/{code}";
    return s;
  }
  // Transitions of one type and kind since the last call.
  std::vector<Transition> take(Transition::Type type, std::optional<AlertKind> kind = {}) {
    std::vector<Transition> out;
    for (const Transition& t : seen_) {
      if (t.type == type && (!kind || t.alert.kind == *kind)) out.push_back(t);
    }
    return out;
  }
  void step(Moment now) {
    state_.advance(now);
    state_.settle();
  }

  engine::Catalogue catalogue_;
  live::LiveState state_;
  AlertObserver observer_;
  std::vector<Transition> seen_;
};

TEST_F(AlertsTest, DueSoonStartsAtTheWorkingMomentNotAtMidnight) {
  // Received Mon 2/3 09:00, 5 wd: due Mon 9/3 09:00. One working day before is Fri 6/3 09:00.
  state_.update(1, dossier("A-1", at(2026, 3, 2, 9)), at(2026, 3, 2, 10));
  state_.settle();
  ASSERT_EQ(take(Transition::Type::Reconcile).size(), 1U);  // the load is complete
  EXPECT_TRUE(take(Transition::Type::Start).empty());
  step(at(2026, 3, 6, 0, 0, 1));  // midnight passes: nothing
  step(at(2026, 3, 6, 8, 59, 59));
  EXPECT_TRUE(take(Transition::Type::Start).empty());
  step(at(2026, 3, 6, 9));
  const auto started = take(Transition::Type::Start, AlertKind::DueSoon);
  ASSERT_EQ(started.size(), 1U);
  const Alert& a = started[0].alert;
  EXPECT_EQ(a.dossier, "A-1");
  EXPECT_EQ(a.unit, "A");
  EXPECT_EQ(a.field, "KHCN");
  EXPECT_EQ(a.procedure_name, "Thủ tục 1.000001");
  EXPECT_EQ(a.starts_at, at(2026, 3, 6, 9));
  EXPECT_EQ(a.effective_due, at(2026, 3, 9, 9));
  EXPECT_EQ(a.left, std::chrono::hours{8});
  EXPECT_EQ(a.url, "https://monitor.example/api/v1/dossiers/A-1");
  EXPECT_EQ(severity(a.kind), "warning");

  // Monday 09:00:01: overdue starts, due soon ends — in the same round.
  seen_.clear();
  step(at(2026, 3, 9, 9, 0, 1));
  EXPECT_EQ(take(Transition::Type::Start, AlertKind::Overdue).size(), 1U);
  EXPECT_EQ(take(Transition::Type::End, AlertKind::DueSoon).size(), 1U);
  EXPECT_EQ(observer_.active(), 1U);
}

TEST_F(AlertsTest, AProcedureWithItsOwnThresholdStartsEarlier) {
  state_.update(1, dossier("A-1", at(2026, 3, 2, 9), "1.000002"), at(2026, 3, 2, 10));
  state_.settle();
  step(at(2026, 3, 5, 8, 59, 59));
  EXPECT_TRUE(take(Transition::Type::Start).empty());
  step(at(2026, 3, 5, 9));  // two working days before Mon 9/3 09:00
  EXPECT_EQ(take(Transition::Type::Start, AlertKind::DueSoon).size(), 1U);
}

TEST_F(AlertsTest, StepOverdueNamesTheDepartmentAndAtRiskOnlyBeforeTheDue) {
  auto tl = dossier("A-1", at(2026, 3, 2, 9));
  ProgressEntry e;
  e.at = at(2026, 3, 2, 9, 30);
  e.department = "Phòng Quản lý chuyên ngành";
  e.step_deadline = at(2026, 3, 3, 9);
  tl.progress.push_back(e);
  state_.update(1, tl, at(2026, 3, 2, 10));
  state_.settle();
  step(at(2026, 3, 3, 9, 0, 1));
  const auto step_alerts = take(Transition::Type::Start, AlertKind::StepOverdue);
  ASSERT_EQ(step_alerts.size(), 1U);
  EXPECT_EQ(step_alerts[0].alert.department, "Phòng Quản lý chuyên ngành");
  EXPECT_EQ(step_alerts[0].alert.key(), "A-1|step_overdue|Phòng Quản lý chuyên ngành");
  EXPECT_EQ(take(Transition::Type::Start, AlertKind::AtRisk).size(), 1U);
  // Once overdue, at risk has served its purpose: it ends; the step alert stays.
  seen_.clear();
  step(at(2026, 3, 9, 9, 0, 1));
  EXPECT_EQ(take(Transition::Type::End, AlertKind::AtRisk).size(), 1U);
  EXPECT_TRUE(take(Transition::Type::End, AlertKind::StepOverdue).empty());
}

TEST_F(AlertsTest, AnExtensionAlertsAndTheEndResolvesEverything) {
  auto tl = dossier("A-1", at(2026, 3, 2, 9));
  tl.due_history = {at(2026, 3, 9, 9)};
  state_.update(1, tl, at(2026, 3, 3, 10));
  state_.settle();
  tl.due_history.push_back(at(2026, 3, 16, 9));  // moved outside a supplementation round
  state_.update(1, tl, at(2026, 3, 4, 10));
  state_.settle();
  const auto ext = take(Transition::Type::Start, AlertKind::ExtensionIssued);
  ASSERT_EQ(ext.size(), 1U);
  EXPECT_EQ(severity(ext[0].alert.kind), "info");
  EXPECT_EQ(ext[0].alert.starts_at, at(2026, 3, 4, 10));
  // Judged again: still one alert, no new start.
  state_.update(1, tl, at(2026, 3, 4, 11));
  state_.settle();
  EXPECT_EQ(take(Transition::Type::Start, AlertKind::ExtensionIssued).size(), 1U);
  // The base due (9/3 09:00) passes: the dossier counts overdue, but the applicant was given
  // 16/3, so the alerts follow the new date: due soon from Fri 13/3 09:00, overdue after 16/3.
  step(at(2026, 3, 9, 9, 0, 1));
  EXPECT_EQ(state_.record(1)->judgement.pending, engine::PendingState::Overdue);
  EXPECT_TRUE(take(Transition::Type::Start, AlertKind::Overdue).empty());
  EXPECT_TRUE(take(Transition::Type::Start, AlertKind::DueSoon).empty());
  step(at(2026, 3, 13, 9));
  EXPECT_EQ(take(Transition::Type::Start, AlertKind::DueSoon).size(), 1U);
  step(at(2026, 3, 16, 9, 0, 1));
  const auto late = take(Transition::Type::Start, AlertKind::Overdue);
  ASSERT_EQ(late.size(), 1U);
  EXPECT_EQ(late[0].alert.starts_at, at(2026, 3, 16, 9));

  seen_.clear();
  auto done = tl;
  done.dossier.status = Status::Finished;
  done.dossier.processing_end = at(2026, 3, 16, 10);
  state_.update(1, done, at(2026, 3, 16, 11));
  state_.settle();
  EXPECT_EQ(take(Transition::Type::End).size(), 2U);  // the extension and the overdue alerts
  EXPECT_EQ(observer_.active(), 0U);
}

TEST_F(AlertsTest, AThousandDossiersCrossingTheirDueTogetherAreOneBatch) {
  for (int i = 1; i <= 1000; ++i) {
    state_.update(i, dossier("A-" + std::to_string(i), at(2026, 3, 2, 9)), at(2026, 3, 2, 10));
  }
  state_.settle();
  int batches = 0;
  std::size_t largest = 0;
  AlertObserver counting(settings(), [&](std::vector<Transition> t) {
    ++batches;
    largest = std::max(largest, t.size());
  });
  // A second observer sees the same changes from here on.
  state_.add_observer(&counting);
  state_.advance(at(2026, 3, 9, 9, 0, 1));
  state_.settle();
  EXPECT_EQ(batches, 1);  // one round, one batch (the first settle's reconcile rides with it)
  EXPECT_GE(largest, 1000U);
}

}  // namespace
}  // namespace tthc::alerts
