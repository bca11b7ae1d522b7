// The reports on a simulated province (src/sim) stored as the daemon stores it: the form's
// invariants every month, the restricted store scan against a full one, agreement with the live
// month figures, byte-identical reruns and snapshots, and `report --diff` finding a late sync
// and a late holiday notice.
#include "app/commands.hpp"
#include "engine/evaluate.hpp"
#include "live/live_state.hpp"
#include "reports/collect.hpp"
#include "reports/digest.hpp"
#include "reports/render.hpp"
#include "reports/snapshot.hpp"
#include "reports/source.hpp"

#include "reports/command_support.hpp"
#include "reports/generated.hpp"
#include "support/moments.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace tthc::reports {
namespace {

namespace fs = std::filesystem;

using test::at;

class Generated : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    // Received January to April 2025, synced until 20 May: every month to April is closed.
    test::fill_store(db(), at(2025, 1, 1), at(2025, 5, 1), at(2025, 5, 20), 25);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path db() { return dir_->file("store.db"); }

  ReportSource source(engine::Settings settings = {}) const {
    ReportSource s;
    s.db = db();
    s.calendar = &cal_;
    s.catalogue = &test::sample_catalogue();
    s.settings = settings;
    return s;
  }
  Reports month(int m, int start_day = 1, std::optional<Moment> as_of = std::nullopt,
                engine::Settings settings = {}) {
    const Period p = period_of(2025, static_cast<unsigned>(m), start_day);
    return build_reports(source(settings), p, as_of.value_or(p.end)).value();
  }

  static test::TempDir* dir_;
  const calendar::WorkingCalendar& cal_ = test::official_calendar();
};

test::TempDir* Generated::dir_ = nullptr;

using RowKey = std::pair<std::string, std::string>;  // unit, field ("*": the unit's subtotal)

std::map<RowKey, ResultsCounts> by_row(const ResultsReport& r) {
  std::map<RowKey, ResultsCounts> out;
  for (const ResultsRow& row : r.rows) out[{row.unit, row.field.value_or("*")}] = row.counts;
  return out;
}

TEST_F(Generated, TheFormsInvariantsHoldEveryMonth) {
  for (const int start_day : {1, 15}) {
    std::optional<std::map<RowKey, ResultsCounts>> previous_rows;
    std::optional<ResultsCounts> previous_total;
    for (int m = 2; m <= 4; ++m) {
      SCOPED_TRACE("month " + std::to_string(m) + " from day " + std::to_string(start_day));
      const Reports r = month(m, start_day);
      const ResultsReport& res = r.results;
      ASSERT_GT(res.total.received_total(), 100);
      ResultsCounts units, fields;
      for (const ResultsRow& row : res.rows) {
        const ResultsCounts& c = row.counts;
        EXPECT_EQ(c.received_total(), c.resolved_total() + c.pending_total())
            << row.unit << "/" << row.field.value_or("*");  // col 3 = col 7 + col 11
        EXPECT_GT(c.received_total(), 0);
        (row.field ? fields : units).add(c);
      }
      EXPECT_EQ(res.total, units);  // totals are the sums of the rows
      EXPECT_EQ(res.total, fields);
      EXPECT_EQ(res.total.received_total(), res.total.resolved_total() + res.total.pending_total());
      // One month's pending dossiers are the next month's carried-over ones, row by row.
      const auto rows = by_row(res);
      if (previous_rows) {
        std::map<RowKey, std::pair<std::int64_t, std::int64_t>> pending_then_carried;
        for (const auto& [k, c] : *previous_rows) pending_then_carried[k].first = c.pending_total();
        for (const auto& [k, c] : rows) pending_then_carried[k].second = c.carried_over;
        for (const auto& [k, v] : pending_then_carried) {
          EXPECT_EQ(v.first, v.second) << k.first << "/" << k.second;
        }
        EXPECT_EQ(previous_total->pending_total(), res.total.carried_over);
      }
      previous_rows = rows;
      previous_total = res.total;
      // The 766 and reduction totals are their rows' sums too.
      Index766Counts x;
      for (const auto& row : r.index766.rows) x.add(row.counts);
      EXPECT_EQ(r.index766.total, x);
      std::int64_t resolved = 0;
      for (const auto& row : r.reduction.rows) {
        if (!row.field) resolved += row.figures.count;
      }
      EXPECT_EQ(r.reduction.total.count, res.total.resolved_total());  // the set of col 7
      EXPECT_EQ(resolved, res.total.resolved_total());
    }
  }
}

// The store's restricted scan (scan_period) leaves out only dossiers that cannot count: the
// reports equal those from every stored dossier.
TEST_F(Generated, TheRestrictedScanGivesWhatAFullScanGives) {
  auto reader = store::Reader::open(db()).value();
  for (const bool by_return : {false, true}) {
    engine::Settings settings;
    if (by_return) settings.judge_by = engine::JudgeBy::Return;
    for (int m = 1; m <= 5; ++m) {
      SCOPED_TRACE("month " + std::to_string(m) + (by_return ? " judge_by return" : ""));
      const Period p = period_of(2025, static_cast<unsigned>(m), 1);
      const Inputs in = make_inputs(p, p.end, cal_, test::sample_catalogue(), settings);
      Collector all(cal_, test::sample_catalogue(), in);
      ASSERT_TRUE(reader.scan({}, [&](store::StoredTimeline& st) {
        all.add(st.timeline);
        return true;
      }));
      const Reports full = all.finish();
      const Reports restricted = build_reports(reader, cal_, test::sample_catalogue(), in).value();
      EXPECT_LT(restricted.dossiers_read, full.dossiers_read);
      for (const Kind k : kKinds) {
        EXPECT_EQ(render(full, k, Format::Json).value(),
                  render(restricted, k, Format::Json).value())
            << to_string(k);
      }
    }
  }
}

TEST_F(Generated, ReportsAgreeWithTheLiveMonthFiguresAtTheSameMoment) {
  auto reader = store::Reader::open(db()).value();
  for (const Moment now :
       {at(2025, 3, 20, 10), at(2025, 4, 1) - std::chrono::seconds{1}, at(2025, 4, 15, 16, 30)}) {
    SCOPED_TRACE(format_iso(now));
    live::LiveState state(test::sample_catalogue(), cal_, engine::Settings{}, now);
    ASSERT_TRUE(reader.scan({}, [&](store::StoredTimeline& st) {
      state.update(st.id, std::move(st.timeline), now);
      return true;
    }));
    const std::chrono::year_month_day ymd{day_of(now)};
    const Reports r = month(static_cast<int>(static_cast<unsigned>(ymd.month())), 1, now);
    std::set<std::string> units;
    for (const ResultsRow& row : r.results.rows) {
      if (row.field) continue;
      units.insert(row.unit);
      const auto id = state.units().find(row.unit);
      ASSERT_TRUE(id) << row.unit;
      const live::MonthFigures& m = state.month().at(*id);
      const ResultsCounts& c = row.counts;
      EXPECT_EQ(m.received, c.received_online + c.received_direct) << row.unit;
      EXPECT_EQ(m.carried_over, c.carried_over) << row.unit;
      EXPECT_EQ(m.resolved[0], c.resolved_early) << row.unit;
      EXPECT_EQ(m.resolved[1], c.resolved_on_time) << row.unit;
      EXPECT_EQ(m.resolved[2], c.resolved_overdue) << row.unit;
      EXPECT_EQ(m.pending, c.pending_total()) << row.unit;
      EXPECT_EQ(m.pending_overdue, c.pending_overdue) << row.unit;
      EXPECT_EQ(m.on_time_rate(), c.on_time_rate()) << row.unit;
    }
    // One row per unit the simulated province had in force: before July 2025, the former
    // provinces' departments, the districts and their communes beside the service centre.
    std::set<std::string> in_force;
    const sim::Province province(test::official_calendar(), test::sample_catalogue(), {});
    for (const sim::Unit& u : province.units_on(day_of(now))) in_force.insert(u.code);
    EXPECT_EQ(in_force.size(), 10U);
    EXPECT_EQ(units, in_force);
    for (const Index766Row& row : r.index766.rows) {
      const live::MonthFigures& m = state.month().at(*state.units().find(row.unit));
      EXPECT_EQ(m.handled_766, row.counts.handled()) << row.unit;
      EXPECT_EQ(m.good_766, row.counts.good()) << row.unit;
      EXPECT_EQ(m.rate_766(), row.counts.rate()) << row.unit;
    }
  }
}

TEST_F(Generated, ARerunIsByteIdenticalAndASnapshotIsNeverOverwritten) {
  const auto a = snapshot_files(month(3)).value();
  const auto b = snapshot_files(month(3)).value();
  ASSERT_EQ(a.size(), 17U);  // 4 kinds × 4 formats, and the manifest
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_TRUE(a[i].bytes == b[i].bytes) << a[i].name;
  }
  test::TempDir out;
  const Period march = period_of(2025, 3, 1);
  EXPECT_TRUE(write_snapshot(out.path(), march, a).value());
  EXPECT_FALSE(write_snapshot(out.path(), march, {{"results.json", "changed"}}).value());
  std::ifstream in(out.path() / "2025-03" / "manifest.json");
  std::stringstream manifest;
  manifest << in.rdbuf();
  const auto results = std::find_if(a.begin(), a.end(),
                                    [](const SnapshotFile& f) { return f.name == "results.json"; });
  EXPECT_NE(manifest.str().find("\"results.json\": \"sha256:" + sha256_hex(results->bytes) + "\""),
            std::string::npos);
  EXPECT_NE(manifest.str().find("\"calendar_version\": \"" + cal_.version() + "\""),
            std::string::npos);
  EXPECT_NE(manifest.str().find("\"as_of\": \"2025-04-01T00:00:00+07:00\""), std::string::npos);
  std::ifstream json(out.path() / "2025-03" / "results.json", std::ios::binary);
  std::stringstream kept;
  kept << json.rdbuf();
  EXPECT_EQ(kept.str(), results->bytes);
}

// `report --diff` against a snapshot: identical, then a late sync, then a late holiday notice.
TEST_F(Generated, DiffFindsALateSyncAndAChangedHolidayTable) {
  test::TempDir work;
  fs::copy_file(db(), work.file("store.db"));
  const std::string src = TTHC_SOURCE_DIR;
  app::SourceOptions options;
  options.config = test::report_config(work, src + "/config/holidays");
  const Period march = period_of(2025, 3, 1);
  ReportSource s = source();
  s.db = work.file("store.db");
  ASSERT_TRUE(write_snapshot(work.path() / "reports", march,
                             snapshot_files(build_reports(s, march, march.end).value()).value()));

  app::ReportCommand cmd;
  cmd.kind = "results";
  cmd.month = "2025-03";
  cmd.diff = (work.path() / "reports" / "2025-03").string();
  const auto run = [&](std::string& out) { return test::run_report(options, cmd, out); };
  std::string out;
  EXPECT_EQ(run(out), 0) << out;
  EXPECT_NE(out.find("identical"), std::string::npos) << out;

  // A dossier received and finished in March arrives late.
  test::apply_late(
      work.file("store.db"),
      R"({"MaHoSo":"000.00.12.H42-250310-9999","MaTTHC":"1.004227","MaLinhVuc":"ATBXHN",)"
      R"("TrangThaiHoSo":9,"NgayTiepNhan":"20250310090000","NgayKetThucXuLy":"20250312090000"})");
  EXPECT_EQ(run(out), app::kExitDifferent) << out;
  const auto before = build_reports(source(), march, march.end).value().results;
  const auto unit = by_row(before).at({"000.00.12.H42", "ATBXHN"});
  EXPECT_NE(out.find("rows[000.00.12.H42/ATBXHN].received_total: " +
                     std::to_string(unit.received_total()) + " → " +
                     std::to_string(unit.received_total() + 1)),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("total.resolved_early: " + std::to_string(before.total.resolved_early) +
                     " → " + std::to_string(before.total.resolved_early + 1)),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("calendar_version"), std::string::npos);

  // The notice of an extra day off (Friday 14 March) published after the snapshot.
  fs::copy(src + "/config/holidays", work.path() / "holidays");
  std::ifstream in(work.path() / "holidays" / "2025.toml");
  std::stringstream table;
  table << in.rdbuf();
  std::string text = table.str();
  text.replace(text.find("  2025-04-07,"), 0, "  2025-03-14,\n");
  work.write("holidays/2025.toml", text);
  options.config = test::report_config(work, (work.path() / "holidays").string());
  EXPECT_EQ(run(out), app::kExitDifferent) << out;
  EXPECT_NE(out.find("calendar_version: \"" + cal_.version() + "\" → "), std::string::npos) << out;
  EXPECT_NE(out.find("resolved_"), std::string::npos) << out;  // some outcomes moved
}

}  // namespace
}  // namespace tthc::reports
