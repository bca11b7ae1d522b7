// The statistics the systems claim beside our own figures: a hand-built month whose claim says
// "all on time" while its dossiers ended after their due, the explaining list and its bound,
// the claims read from the store, every format, the snapshot, and the DongBoThongKeHoSo payload
// of our own figures read back by the parser the claims go through.
#include "reports/claimed.hpp"

#include "ingest/claimed_stats.hpp"
#include "reports/collect.hpp"
#include "reports/render.hpp"
#include "reports/snapshot.hpp"
#include "reports/source.hpp"
#include "support/calendar.hpp"
#include "support/moments.hpp"
#include "support/rules.hpp"
#include "support/temp_dir.hpp"
#include "support/timelines.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

namespace tthc::reports {
namespace {

using test::at;

DossierTimeline dossier(std::string code, Moment received, std::optional<Moment> end) {
  DossierTimeline tl = test::timeline(std::move(code), "1.000001", received,
                                      end ? Status::Finished : Status::InProcess);
  tl.dossier.unit_name = "Sở Khoa học và Công nghệ";
  tl.dossier.processing_end = end;
  return tl;
}

store::StoredClaimedStats claim(std::string unit, std::int64_t on_time, std::int64_t overdue,
                                double rate) {
  store::StoredClaimedStats c;
  c.stats.year = 2026;
  c.stats.month = 3;
  c.stats.unit = std::move(unit);
  c.stats.unit_name = "Sở KH&CN";
  c.stats.note = "Số liệu tháng 3";
  c.stats.figures.received = on_time + overdue;
  c.stats.figures.carried_over = 0;
  c.stats.figures.to_process = on_time + overdue;
  c.stats.figures.resolved = on_time + overdue;
  c.stats.figures.resolved_on_time = on_time;
  c.stats.figures.resolved_overdue = overdue;
  c.stats.figures.pending = 0;
  c.stats.figures.pending_in_time = 0;
  c.stats.figures.pending_overdue = 0;
  c.stats.figures.on_time_rate = rate;
  c.arrived_unix = 1775000000;
  c.sender = "000.00.00.H42";
  return c;
}

class ClaimedTest : public ::testing::Test {
 protected:
  ClaimedTest() {
    catalogue_ = engine::Catalogue(
        {test::named(test::procedure_rule("1.000001", "KHCN", "5wd"), "Cấp phép", "Khoa học")});
  }

  Inputs inputs() const {
    return make_inputs(period_of(2026, 3, 1), at(2026, 4, 1), cal_, catalogue_, {});
  }

  Reports collect(const std::vector<DossierTimeline>& timelines,
                  const std::vector<store::StoredClaimedStats>& claims) {
    Collector c(cal_, catalogue_, inputs());
    for (const auto& tl : timelines) c.add(tl);
    Reports r = c.finish();
    add_claims(r.claimed, claims);
    return r;
  }

  // Unit H42: three dossiers received 2/3 09:00 (due 9/3 09:00): one early, two ended after
  // their due; unit H43: one dossier still in process at E (overdue), no claim.
  std::vector<DossierTimeline> march() {
    return {dossier("H42-0001", at(2026, 3, 2, 9), at(2026, 3, 3, 9)),
            dossier("H42-0003", at(2026, 3, 2, 9), at(2026, 3, 20, 9)),
            dossier("H42-0002", at(2026, 3, 2, 9), at(2026, 3, 16, 9)),
            dossier("H43-0001", at(2026, 3, 2, 9), std::nullopt)};
  }

  const calendar::WorkingCalendar& cal_ = test::official_calendar();
  engine::Catalogue catalogue_;
};

TEST_F(ClaimedTest, ClaimedOnTimeButEndedAfterTheDueIsListed) {
  // H42 claims all three on time; H44 claims a month we have no dossier of.
  const Reports r = collect(march(), {claim("H42", 3, 0, 1.0), claim("H44", 1, 0, 1.0)});
  const auto& rows = r.claimed.rows;
  ASSERT_EQ(rows.size(), 3U);
  const ClaimedRow& h42 = rows[0];
  EXPECT_EQ(h42.unit, "H42");
  EXPECT_EQ(h42.unit_name, "Sở KH&CN");  // the claim's TenDonVi
  ASSERT_TRUE(h42.claimed);
  EXPECT_EQ(h42.ours.resolved, 3);
  EXPECT_EQ(h42.ours.resolved_on_time, 1);
  EXPECT_EQ(h42.ours.resolved_overdue, 2);
  EXPECT_EQ(h42.ours.received, 3);
  EXPECT_EQ(h42.ours.to_process, 3);
  EXPECT_EQ(h42.ours.pending, 0);
  ASSERT_TRUE(h42.difference);
  EXPECT_EQ(h42.difference->resolved, 0);
  EXPECT_EQ(h42.difference->resolved_on_time, 2);
  EXPECT_EQ(h42.difference->resolved_overdue, -2);
  EXPECT_NEAR(*h42.difference->on_time_rate, 2.0 / 3.0, 1e-12);
  EXPECT_EQ(h42.sender, "000.00.00.H42");
  // The two that ended after their due, by code, with due and end.
  ASSERT_EQ(h42.overdue.size(), 2U);
  EXPECT_EQ(h42.overdue_total, 2);
  EXPECT_EQ(h42.overdue[0].code, "H42-0002");
  EXPECT_TRUE(h42.overdue[0].resolved);
  EXPECT_EQ(h42.overdue[0].due, at(2026, 3, 9, 9));
  EXPECT_EQ(h42.overdue[0].end, at(2026, 3, 16, 9));
  EXPECT_EQ(h42.overdue[1].code, "H42-0003");

  const ClaimedRow& h43 = rows[1];  // dossiers, no claim: nothing to explain
  EXPECT_EQ(h43.unit, "H43");
  EXPECT_FALSE(h43.claimed);
  EXPECT_FALSE(h43.difference);
  EXPECT_EQ(h43.ours.pending_overdue, 1);  // due 9/3, still in process at E
  EXPECT_TRUE(h43.overdue.empty());

  const ClaimedRow& h44 = rows[2];  // a claim, no dossier
  EXPECT_EQ(h44.unit, "H44");
  EXPECT_EQ(h44.ours.resolved, 0);
  EXPECT_FALSE(h44.ours.on_time_rate);
  EXPECT_EQ(h44.difference->resolved, 1);
  EXPECT_FALSE(h44.difference->on_time_rate);

  // The gap metric: claimed − ours where both rates are known (not H43, not H44).
  const auto gaps = on_time_rate_gaps(r.claimed);
  ASSERT_EQ(gaps.size(), 1U);
  EXPECT_EQ(gaps[0].first, "H42");
  EXPECT_NEAR(gaps[0].second, 2.0 / 3.0, 1e-12);

  // A claim that agrees with our figures lists nothing.
  const Reports agreeing = collect(march(), {claim("H42", 1, 2, 1.0 / 3.0)});
  EXPECT_TRUE(agreeing.claimed.rows[0].overdue.empty());
  EXPECT_EQ(agreeing.claimed.rows[0].difference->resolved_overdue, 0);
}

TEST_F(ClaimedTest, TheExplainingListIsBoundedToTheFirstByCode) {
  std::vector<DossierTimeline> many;
  for (int i = 120; i > 0; --i) {  // in reverse order: the list does not depend on it
    char code[32];
    std::snprintf(code, sizeof code, "H42-%04d", i);
    many.push_back(dossier(code, at(2026, 3, 2, 9), at(2026, 3, 20, 9)));
  }
  const Reports r = collect(many, {claim("H42", 120, 0, 1.0)});
  const ClaimedRow& row = r.claimed.rows.at(0);
  EXPECT_EQ(row.overdue_total, 120);
  ASSERT_EQ(row.overdue.size(), kMaxOverdueListed);
  EXPECT_EQ(row.overdue.front().code, "H42-0001");
  EXPECT_EQ(row.overdue.back().code, "H42-0050");
  EXPECT_NE(render(r, Kind::Claimed, Format::Csv).value().find("và 70 hồ sơ khác"),
            std::string::npos);
}

TEST_F(ClaimedTest, EveryFormatRendersTheSameBytesTwiceAndTheSnapshotHasTheKind) {
  const Reports r = collect(march(), {claim("H42", 3, 0, 1.0)});
  for (const Format f : kFormats) {
    auto a = render(r, Kind::Claimed, f);
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(*a, render(collect(march(), {claim("H42", 3, 0, 1.0)}), Kind::Claimed, f).value())
        << to_string(f);
  }
  const std::string json = render(r, Kind::Claimed, Format::Json).value();
  EXPECT_NE(json.find("\"report\": \"claimed\""), std::string::npos);
  EXPECT_NE(json.find(R"("code": "H42-0002", "state": "resolved_overdue", )"
                      R"("due": "2026-03-09T09:00:00+07:00", "end": "2026-03-16T09:00:00+07:00")"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("arrived": "2026-04-01T06:33:20+07:00")"), std::string::npos) << json;
  const std::string csv = render(r, Kind::Claimed, Format::Csv).value();
  EXPECT_NE(csv.find("Hệ thống một cửa báo cáo"), std::string::npos);
  EXPECT_NE(csv.find("Chênh lệch"), std::string::npos);
  EXPECT_NE(csv.find("H42-0003"), std::string::npos);
  EXPECT_NE(render(r, Kind::Claimed, Format::Html).value().find("Sở KH&amp;CN"), std::string::npos);

  const auto files = snapshot_files(r).value();
  for (const char* name : {"claimed.json", "claimed.csv", "claimed.html", "claimed.xlsx"}) {
    EXPECT_TRUE(std::any_of(files.begin(), files.end(), [&](const SnapshotFile& f) {
      return f.name == name;
    })) << name;
  }
  const auto manifest = std::find_if(
      files.begin(), files.end(), [](const SnapshotFile& f) { return f.name == "manifest.json"; });
  ASSERT_NE(manifest, files.end());
  EXPECT_NE(manifest->bytes.find("\"claimed.xlsx\""), std::string::npos);
  // The payload is not a report: no snapshot file, JSON only.
  EXPECT_FALSE(std::any_of(files.begin(), files.end(),
                           [](const SnapshotFile& f) { return f.name.starts_with("dvcqg"); }));
  EXPECT_FALSE(render(r, Kind::DvcqgStats, Format::Csv));
}

TEST_F(ClaimedTest, TheDiffNamesTheClaimTheKindAndTheDossier) {
  auto kind2 = claim("H42", 1, 2, 1.0 / 3.0);
  kind2.stats.kind = "2";
  const Reports before = collect(march(), {claim("H42", 3, 0, 1.0), kind2});
  std::vector<DossierTimeline> later = march();
  later.push_back(dossier("H42-0004", at(2026, 3, 2, 9), at(2026, 3, 23, 9)));
  const Reports after = collect(later, {claim("H42", 3, 0, 1.0), kind2});
  const auto changes =
      changes_since(after, Kind::Claimed, render(before, Kind::Claimed, Format::Json).value())
          .value();
  const auto has = [&](const std::string& line) {
    return std::find(changes.begin(), changes.end(), line) != changes.end();
  };
  EXPECT_TRUE(has("rows[H42].ours.resolved_overdue: 2 → 3")) << testing::PrintToString(changes);
  EXPECT_TRUE(has("rows[H42/2].ours.resolved_overdue: 2 → 3"));
  EXPECT_TRUE(has("rows[H42].overdue[H42-0004]: added"));
  EXPECT_TRUE(has("rows[H42/2].overdue[H42-0004]: added"));  // its claim now differs
}

TEST_F(ClaimedTest, ThePayloadOfOurFiguresReadsBackAsThem) {
  const Reports r = collect(march(), {});
  const std::string payload = render(r, Kind::DvcqgStats, Format::Json).value();
  EXPECT_EQ(parse_kind("dvcqg-stats"), Kind::DvcqgStats);
  EXPECT_TRUE(payload.starts_with("{\n  \"service\": \"DongBoThongKeHoSo\",\n  \"data\": [\n"));
  EXPECT_NE(payload.find(R"({"Thang": "3", "Nam": "2026", "Madonvi": "H42", "SoNhanTrongKy": "3", )"
                         R"("SoTonKyTruoc": "0", "TongSoXuLy": "3", "TongDaXuLy": "3", )"
                         R"("TongXuLyDungHan": "1", "PhanTramXuLyDungHan": "33.33", )"
                         R"("TongXuLyTreHan": "2", "TongChuaXuLy": "0", )"
                         R"("TongChuaXuLyTrongHan": "0", "TongChuaXuLyTreHan": "0", "GhiChu": "", )"
                         R"("TenDonVi": "Sở Khoa học và Công nghệ", "LoaiThongKe": ""})"),
            std::string::npos)
      << payload;
  EXPECT_NE(payload.find(R"("PhanTramXuLyDungHan": "", )"), std::string::npos);  // H43
  // Each record reads back, through the parser claims go through, as our figures.
  std::size_t from = payload.find("\n    {");
  std::vector<ClaimedStats> records;
  while (from != std::string::npos) {
    const std::size_t end = payload.find('}', from);
    auto rec = ingest::parse_claimed_stats(payload.substr(from + 5, end - from - 4));
    ASSERT_TRUE(rec) << rec.error().message;
    records.push_back(*rec);
    from = payload.find("\n    {", end);
  }
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[0].unit, "H42");
  EXPECT_EQ(records[0].month, 3U);
  ClaimedFigures expected = r.claimed.rows[0].ours;
  expected.on_time_rate.reset();
  ClaimedFigures read = records[0].figures;
  EXPECT_NEAR(*read.on_time_rate, 1.0 / 3.0, 1e-4);
  read.on_time_rate.reset();
  EXPECT_EQ(read, expected);
}

TEST_F(ClaimedTest, TheReportReadsTheMonthsClaimsFromTheStore) {
  test::TempDir dir;
  store::Options o;
  o.path = dir.file("tthc.db");
  {
    auto w = store::Writer::open(o);
    ASSERT_TRUE(w) << w.error().message;
    const std::vector<ClaimedStats> claims = {claim("H42", 3, 0, 1.0).stats, [] {
                                                ClaimedStats april = claim("H42", 1, 0, 1).stats;
                                                april.month = 4;
                                                return april;
                                              }()};
    ASSERT_TRUE(w->put_claimed_stats(claims, "000.00.00.H42", 1775000000));
  }
  ReportSource source;
  source.db = o.path;
  source.calendar = &cal_;
  source.catalogue = &catalogue_;
  const auto built = build_reports(source, period_of(2026, 3, 1), at(2026, 4, 1));
  ASSERT_TRUE(built) << built.error().message;
  ASSERT_EQ(built->claimed.rows.size(), 1U);
  EXPECT_EQ(built->claimed.rows[0].claimed->resolved, 3);
  EXPECT_EQ(built->claimed.rows[0].ours.resolved, 0);
  EXPECT_EQ(built->claimed.rows[0].difference->resolved, 3);

  // The metric's month: the current one when it has claims, else the one before.
  const auto april = claimed_for_metric(source, at(2026, 4, 10, 9));
  ASSERT_TRUE(april) << april.error().message;
  EXPECT_EQ(april->inputs.period.label(), "2026-04");
  EXPECT_FALSE(april->inputs.closed());
  const auto may = claimed_for_metric(source, at(2026, 5, 3, 9));
  ASSERT_TRUE(may) << may.error().message;
  EXPECT_EQ(may->inputs.period.label(), "2026-04");  // no claims for May yet
  EXPECT_TRUE(may->inputs.closed());
  EXPECT_EQ(may->rows.at(0).claimed->resolved, 1);
}

}  // namespace
}  // namespace tthc::reports
