// Reports under the unit register (the 2025 reorganisation), on a real store: old codes before
// 1 July 2025 shown under their successors (or not, by the setting) with the same totals; a
// dossier received at one unit and resolved by another counted under the one the setting
// chooses; unit codes the register lacks counted and listed; a procedure compared across the
// change counted once.
#include "reports/collect.hpp"
#include "reports/render.hpp"
#include "reports/source.hpp"
#include "store/store.hpp"

#include "support/calendar.hpp"
#include "support/moments.hpp"
#include "support/rules.hpp"
#include "support/temp_dir.hpp"
#include "support/units.hpp"

#include <gtest/gtest.h>

#include <set>

namespace tthc::reports {
namespace {

using test::at;

constexpr std::string_view kHaNam = "000.00.12.H35";     // ended 2025-07-01
constexpr std::string_view kJustice = "000.00.12.H42";   // its successor
constexpr std::string_view kDistrict = "000.20.31.H42";  // split: first successor takes it
constexpr std::string_view kWard = "000.31.01.H42";
constexpr std::string_view kCentre = "000.00.01.H42";  // the service centre (receives)

DossierSnapshot snapshot(std::string_view unit, int n, Moment received, Moment end,
                         std::string resolver = "") {
  DossierSnapshot s;
  s.dossier.code = std::string(unit) + "-2506-" + std::to_string(n);
  s.dossier.procedure_code = "1.000001";
  s.dossier.field_code = "HT";
  s.dossier.unit_name = resolver.empty() ? "DonViXuLy " + std::string(unit) : resolver;
  s.dossier.status = Status::Finished;
  s.dossier.received = received;
  s.dossier.processing_end = end;
  s.freshness = end;
  s.content_hash = std::hash<std::string>{}(s.dossier.code);
  return s;
}

class UnitsReportTest : public ::testing::Test {
 protected:
  UnitsReportTest() : catalogue_({test::procedure_rule("1.000001", "HT", "5wd", "3wd")}) {
    auto w = store::Writer::open({dir_.file("s.db"), false, 5000}).value();
    std::vector<DossierSnapshot> ds;
    // June 2025: the old units.
    ds.push_back(snapshot(kHaNam, 1, at(2025, 6, 2, 9), at(2025, 6, 3, 9)));
    ds.push_back(snapshot(kHaNam, 2, at(2025, 6, 4, 9), at(2025, 6, 20, 9)));  // overdue
    ds.push_back(snapshot(kDistrict, 3, at(2025, 6, 5, 9), at(2025, 6, 6, 9)));
    // Received in June under the old code, resolved in July.
    ds.push_back(snapshot(kHaNam, 4, at(2025, 6, 27, 9), at(2025, 7, 2, 9)));
    // July: the successors; one received at the centre, resolved by the department.
    ds.push_back(snapshot(kJustice, 5, at(2025, 7, 3, 9), at(2025, 7, 4, 9)));
    ds.push_back(
        snapshot(kCentre, 6, at(2025, 7, 7, 9), at(2025, 7, 8, 9), "Sở Tư pháp tỉnh Ninh Bình"));
    ds.push_back(snapshot(kWard, 7, at(2025, 7, 9, 9), at(2025, 7, 10, 9)));
    // A code the register lacks.
    ds.push_back(snapshot("000.99.99.H42", 8, at(2025, 7, 9, 9), at(2025, 7, 10, 9)));
    EXPECT_TRUE(w.apply(ds, {}, store::BatchInfo{"test", 1, {}, 0}));
  }

  Reports build(const Period& p, engine::UnitOptions options, bool with_register = true) {
    ReportSource s;
    s.db = dir_.file("s.db");
    s.calendar = &cal_;
    s.catalogue = &catalogue_;
    s.units = with_register ? &units_ : nullptr;
    s.unit_options = options;
    auto built = build_reports(s, p, p.end);
    EXPECT_TRUE(built) << built.error().message;
    return built ? std::move(*built) : Reports{};
  }

  static std::set<std::string> unit_rows(const ResultsReport& r) {
    std::set<std::string> units;
    for (const auto& row : r.rows) units.insert(row.unit);
    return units;
  }

  test::TempDir dir_;
  const calendar::WorkingCalendar& cal_ = test::official_calendar();
  engine::Catalogue catalogue_;
  engine::UnitRegister units_ = test::sample_units();
};

TEST(UnitsVersion, FollowsTheRegistersContentNotItsRowOrder) {
  const engine::UnitRegister units = test::sample_units();
  std::vector<engine::UnitRecord> reversed(units.units().rbegin(), units.units().rend());
  const auto same = engine::UnitRegister::make(reversed).value();
  reversed.back().name += " (đổi tên)";
  const auto renamed = engine::UnitRegister::make(reversed).value();
  EXPECT_EQ(units_version(units), units_version(same));
  EXPECT_NE(units_version(units), units_version(renamed));
  EXPECT_EQ(units_version(units).size(), std::string("sha256:").size() + 16);
}

TEST_F(UnitsReportTest, SuccessorsShowOnlyTodaysUnitsWithTheSameTotals) {
  const Period june = period_of(2025, 6, 1);
  const Reports now = build(june, {true, engine::CountUnder::Resolving});
  const Reports then = build(june, {false, engine::CountUnder::Resolving});
  EXPECT_EQ(unit_rows(now.results),
            (std::set<std::string>{std::string(kJustice), std::string(kWard)}));
  EXPECT_EQ(unit_rows(then.results),
            (std::set<std::string>{std::string(kHaNam), std::string(kDistrict)}));
  EXPECT_EQ(now.results.total, then.results.total);
  EXPECT_EQ(now.results.total.resolved_total(), 3);
  EXPECT_EQ(now.index766.total, then.index766.total);
  EXPECT_EQ(now.reduction.total.count, then.reduction.total.count);
  // Names come from the register.
  EXPECT_EQ(now.results.rows.front().unit_name, "Sở Tư pháp tỉnh Ninh Bình");
  EXPECT_EQ(then.results.rows.front().unit_name, "Sở Tư pháp tỉnh Hà Nam");
  EXPECT_EQ(now.results.inputs.units.register_version, units_version(units_));
}

TEST_F(UnitsReportTest, TheReductionComparesAProcedureAcrossTheChangeOnce) {
  const Period july = period_of(2025, 7, 1);
  for (const bool successors : {true, false}) {
    const Reports r = build(july, {successors, engine::CountUnder::Resolving});
    std::int64_t justice_procedure = 0;
    std::int64_t procedures = 0;
    for (const auto& row : r.reduction.rows) {
      if (!row.procedure) continue;
      procedures += row.figures.count;
      if (row.unit == kJustice) justice_procedure += row.figures.count;
      EXPECT_NE(row.unit, kHaNam);
    }
    // Dossier 4 (received at Hà Nam in June), 5 and 6: one row, each counted once.
    EXPECT_EQ(justice_procedure, 3) << successors;
    EXPECT_EQ(procedures, r.reduction.total.count);
    EXPECT_EQ(r.reduction.total.count, 5);
  }
}

TEST_F(UnitsReportTest, CountUnderMovesADossierBetweenReceivingAndResolvingUnit) {
  const Period july = period_of(2025, 7, 1);
  const Reports resolving = build(july, {true, engine::CountUnder::Resolving});
  const Reports receiving = build(july, {true, engine::CountUnder::Receiving});
  const auto resolved_at = [](const ResultsReport& r, std::string_view unit) {
    for (const auto& row : r.rows) {
      if (row.unit == unit && !row.field) return row.counts.resolved_total();
    }
    return std::int64_t{0};
  };
  EXPECT_EQ(resolved_at(resolving.results, kJustice), 3);
  EXPECT_EQ(resolved_at(resolving.results, kCentre), 0);
  EXPECT_EQ(resolved_at(receiving.results, kJustice), 2);
  EXPECT_EQ(resolved_at(receiving.results, kCentre), 1);
  EXPECT_EQ(resolving.results.total, receiving.results.total);
}

TEST_F(UnitsReportTest, UnknownUnitsAreCountedListedAndStillShown) {
  const Reports r = build(period_of(2025, 7, 1), {});
  EXPECT_EQ(r.results.inputs.units.unknown_dossiers, 1);
  EXPECT_EQ(r.results.inputs.units.unknown_units, std::vector<std::string>{"000.99.99.H42"});
  EXPECT_TRUE(unit_rows(r.results).contains("000.99.99.H42"));
  const std::string json = render(r, Kind::Results, Format::Json).value();
  EXPECT_NE(json.find("\"units\": {\"register_version\": \"" + units_version(units_) +
                      "\", \"successors\": true, \"count_under\": \"resolving\", "
                      "\"unknown_dossiers\": 1, \"unknown_units\": [\"000.99.99.H42\"]}"),
            std::string::npos)
      << json;
  const std::string html = render(r, Kind::Index766, Format::Html).value();
  EXPECT_NE(html.find("000.99.99.H42"), std::string::npos);
}

TEST_F(UnitsReportTest, WithoutARegisterEveryCodeIsItsOwnUnitAndNothingIsRecorded) {
  const Reports r = build(period_of(2025, 6, 1), {}, false);
  EXPECT_EQ(unit_rows(r.results),
            (std::set<std::string>{std::string(kHaNam), std::string(kDistrict)}));
  EXPECT_EQ(r.results.rows.front().unit_name, "DonViXuLy 000.00.12.H35");
  for (const Kind k : kKinds) {
    EXPECT_EQ(render(r, k, Format::Json).value().find("\"units\""), std::string::npos);
  }
}

}  // namespace
}  // namespace tthc::reports
