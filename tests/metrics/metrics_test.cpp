// The claimed-statistics gap gauge: one series per unit, replaced whole, capped in number; the
// payload labels (unit, field, department) of the dossier figures: shaped, capped, counted.
#include "metrics/metrics.hpp"

#include "calendar/limit.hpp"
#include "live/live_state.hpp"
#include "support/calendar.hpp"
#include "support/units.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tthc::metrics {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(ClaimedGap, OneSeriesPerUnitReplacedWholeAndCapped) {
  MetricsOptions options;
  options.labels.max_units = 10;
  Metrics m(options, test::official_calendar());
  const Moment now = make_moment(2026, 4, 10, 9);
  m.set_claimed_gaps({{"000.00.12.H42", 0.25}, {"000.00.13.H42", -0.5}});
  std::string text = m.exposition(now);
  EXPECT_NE(text.find("# TYPE tthc_claimed_on_time_rate_gap gauge"), std::string::npos);
  EXPECT_NE(text.find("tthc_claimed_on_time_rate_gap{unit=\"000.00.12.H42\"} 0.25"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("tthc_claimed_on_time_rate_gap{unit=\"000.00.13.H42\"} -0.5"),
            std::string::npos);

  m.set_claimed_gaps({{"000.00.13.H42", 0.125}});
  text = m.exposition(now);
  EXPECT_EQ(text.find("000.00.12.H42"), std::string::npos);
  EXPECT_NE(text.find("tthc_claimed_on_time_rate_gap{unit=\"000.00.13.H42\"} 0.125"),
            std::string::npos);

  // The unit label's cap: 10 values, two of them taken above; a unit of another shape has none.
  std::vector<UnitGap> many = {{"Sở Tư pháp", 0.5}};
  for (std::size_t i = 0; i < 50; ++i) many.push_back({"U" + std::to_string(i), 0.0});
  m.set_claimed_gaps(many);
  text = m.exposition(now);
  EXPECT_EQ(count(text, "tthc_claimed_on_time_rate_gap{"), 8U);
  EXPECT_TRUE(has_line(text, R"(tthc_claimed_on_time_rate_gap{unit="U7"} 0)")) << text;
  EXPECT_EQ(text.find("U8\""), std::string::npos);
  EXPECT_EQ(text.find("Sở"), std::string::npos);
}

DossierTimeline dossier(std::string code, std::string field, Status status = Status::InProcess) {
  DossierTimeline tl;
  tl.dossier.code = std::move(code);
  tl.dossier.procedure_code = "1.000001";
  tl.dossier.field_code = std::move(field);
  tl.dossier.status = status;
  tl.dossier.received = make_moment(2026, 3, 2, 9);
  if (status == Status::Finished) tl.dossier.processing_end = make_moment(2026, 3, 3, 9);
  return tl;
}

// One procedure of the dossiers above: 5 working days.
engine::Catalogue five_day_catalogue() {
  engine::ProcedureRule rule;
  rule.code = "1.000001";
  rule.field_code = "KHCN";
  rule.legal = calendar::parse_limit("5wd").value();
  return engine::Catalogue({rule});
}

// Each unit's fields up to the pair cap, the units up to theirs; the rest "other", a code
// without '-' "unknown"; the month's figures of the folded units add up under their label.
TEST(PayloadLabels, FoldedIntoOtherAndUnknownAndCounted) {
  const engine::Catalogue catalogue = five_day_catalogue();
  MetricsOptions options;
  options.labels.max_units = 2;
  options.labels.max_unit_fields = 3;
  Metrics m(options, test::official_calendar());
  const Moment now = make_moment(2026, 3, 4, 9);
  live::LiveState state(catalogue, test::official_calendar(), engine::Settings{}, now);
  state.add_observer(&m);
  live::DossierId id = 0;
  for (const char* field : {"F1", "F2", "F3", "F4", "F5"}) {
    state.update(++id, dossier(std::string("000.00.12.H42-260302-") + field, field), now);
  }
  state.update(++id, dossier("000.00.13.H42-260302-0001", "F1"), now);
  state.update(++id, dossier("000.00.14.H42-260302-0001", "F1", Status::Finished), now);
  state.update(++id, dossier("000.00.15.H42-260302-0001", "F1", Status::Finished), now);
  state.update(++id, dossier("00012H42260302", "F1"), now);
  state.update(++id, dossier("000.00.12.H42-260302-0009", "lĩnh vực"), now);
  state.settle();
  const std::string text = m.exposition(now);

  const auto pending = [](const char* unit, const char* field) {
    return std::string("tthc_dossiers_pending{field=\"") + field + "\",state=\"in_time\",unit=\"" +
           unit + "\"} ";
  };
  for (const char* field : {"F1", "F2", "F3"}) {
    EXPECT_TRUE(has_line(text, pending("000.00.12.H42", field) + "1")) << text;
  }
  EXPECT_TRUE(has_line(text, pending("000.00.12.H42", "other") + "2")) << text;
  EXPECT_TRUE(has_line(text, pending("000.00.12.H42", "unknown") + "1")) << text;
  EXPECT_TRUE(has_line(text, pending("000.00.13.H42", "other") + "1")) << text;  // pairs full
  EXPECT_TRUE(has_line(text, pending("unknown", "other") + "1")) << text;        // pairs full
  EXPECT_TRUE(has_line(text, R"(tthc_month_resolved{outcome="early",unit="other"} 2)")) << text;
  EXPECT_TRUE(has_line(text, R"(tthc_month_on_time_rate{unit="other"} 1)")) << text;
  EXPECT_TRUE(has_line(text, R"(tthc_metric_label_values{label="unit"} 2)")) << text;
  EXPECT_TRUE(has_line(text, R"(tthc_metric_label_values{label="field"} 5)")) << text;
  EXPECT_TRUE(has_line(text, R"(tthc_metric_label_overflow_total{label="unit"} 2)")) << text;
  EXPECT_TRUE(has_line(text, R"(tthc_metric_label_unknown_total{label="unit"} 1)")) << text;
  EXPECT_TRUE(has_line(text, R"(tthc_metric_label_overflow_total{label="field"} 6)")) << text;
  EXPECT_TRUE(has_line(text, R"(tthc_metric_label_unknown_total{label="field"} 1)")) << text;
  EXPECT_EQ(text.find("000.00.14.H42"), std::string::npos);
  EXPECT_EQ(text.find("00012H42"), std::string::npos);
}

// Every state and outcome label is the domain's own name of the dossier's judgement: a label
// table kept by position would mislabel these series once an enum is reordered.
TEST(DossierFigures, StateAndOutcomeLabelsAreTheDomainsNames) {
  const engine::Catalogue catalogue = five_day_catalogue();
  Metrics m(MetricsOptions{}, test::official_calendar());
  const Moment now = make_moment(2026, 3, 20, 9);
  live::LiveState state(catalogue, test::official_calendar(), engine::Settings{}, now);
  state.add_observer(&m);
  state.update(1, dossier("000.00.12.H42-260302-0001", "F1"), now);  // 5 working days: overdue
  DossierTimeline late = dossier("000.00.12.H42-260302-0002", "F1", Status::Finished);
  late.dossier.processing_end = make_moment(2026, 3, 19, 9);
  state.update(2, late, now);
  state.settle();
  const std::string text = m.exposition(now);
  EXPECT_TRUE(
      has_line(text, R"(tthc_dossiers_pending{field="F1",state="overdue",unit="000.00.12.H42"} 1)"))
      << text;
  EXPECT_TRUE(
      has_line(text,
               R"(tthc_dossiers_pending{field="F1",state="due_soon",unit="000.00.12.H42"} 0)") ||
      text.find("state=\"due_soon\"") == std::string::npos)
      << text;
  EXPECT_TRUE(has_line(
      text, R"(tthc_dossiers_resolved_total{field="F1",outcome="overdue",unit="000.00.12.H42"} 1)"))
      << text;
  EXPECT_TRUE(has_line(text, R"(tthc_month_resolved{outcome="overdue",unit="000.00.12.H42"} 1)"))
      << text;
  EXPECT_TRUE(has_line(text, R"(tthc_month_resolved{outcome="early",unit="000.00.12.H42"} 0)"))
      << text;
  // The counts behind the rates, which a national view sums before dividing.
  EXPECT_TRUE(has_line(text, R"(tthc_month_received{unit="000.00.12.H42"} 2)")) << text;
  EXPECT_TRUE(has_line(text, R"(tthc_index766_handled{unit="000.00.12.H42"} 2)")) << text;
  EXPECT_TRUE(has_line(text, R"(tthc_index766_in_time{unit="000.00.12.H42"} 0)")) << text;
}

// With a unit register: an ended unit's dossiers are labelled with the unit that took it over
// (its code never appears), and dossiers of a code the register lacks are counted by
// tthc_unknown_unit_dossiers.
TEST(DossierFigures, UnitLabelsAreTheUnitsInForceAndUnknownCodesAreCounted) {
  const engine::Catalogue catalogue = five_day_catalogue();
  const engine::UnitRegister units = test::sample_units();
  Metrics m(MetricsOptions{}, test::official_calendar());
  const Moment now = make_moment(2026, 3, 20, 9);
  live::LiveState state(catalogue, test::official_calendar(), engine::Settings{}, now,
                        {&units, engine::CountUnder::Resolving});
  state.add_observer(&m);
  state.update(1, dossier("000.20.31.H42-260302-0001", "F1"), now);
  state.update(2, dossier("000.20.31.H42-260302-0002", "F1", Status::Finished), now);
  state.update(3, dossier("000.00.99.H42-260302-0003", "F1"), now);
  state.settle();
  const std::string text = m.exposition(now);
  EXPECT_TRUE(
      has_line(text, R"(tthc_dossiers_pending{field="F1",state="overdue",unit="000.31.01.H42"} 1)"))
      << text;
  EXPECT_TRUE(has_line(
      text, R"(tthc_dossiers_resolved_total{field="F1",outcome="early",unit="000.31.01.H42"} 1)"))
      << text;
  EXPECT_EQ(text.find("000.20.31.H42"), std::string::npos) << text;
  EXPECT_TRUE(has_line(text, "tthc_unknown_unit_dossiers 1")) << text;
  EXPECT_TRUE(
      has_line(text, R"(tthc_dossiers_pending{field="F1",state="overdue",unit="000.00.99.H42"} 1)"))
      << text;
}

// The webhook's outcomes as recorded, each under its own label, every label there from the start.
TEST(WebhookOutcomes, EachRecordedUnderItsLabel) {
  Metrics m(MetricsOptions{}, test::official_calendar());
  m.record_webhook(WebhookOutcome::Accepted);
  m.record_webhook(WebhookOutcome::Accepted);
  m.record_webhook(WebhookOutcome::TooLarge);
  m.record_webhook(WebhookOutcome::Failed);
  const std::string text = m.exposition(make_moment(2026, 3, 2, 9));
  EXPECT_TRUE(has_line(text, R"(tthc_webhook_requests_total{outcome="ok"} 2)")) << text;
  EXPECT_TRUE(has_line(text, R"(tthc_webhook_requests_total{outcome="too_large"} 1)")) << text;
  EXPECT_TRUE(has_line(text, R"(tthc_webhook_requests_total{outcome="error"} 1)")) << text;
  EXPECT_TRUE(has_line(text, R"(tthc_webhook_requests_total{outcome="bad_request"} 0)")) << text;
  EXPECT_TRUE(has_line(text, R"(tthc_webhook_requests_total{outcome="unauthorized"} 0)")) << text;
  EXPECT_TRUE(has_line(text, R"(tthc_webhook_requests_total{outcome="busy"} 0)")) << text;
  EXPECT_EQ(to_string(WebhookOutcome::Malformed), "bad_request");
}

}  // namespace
}  // namespace tthc::metrics
