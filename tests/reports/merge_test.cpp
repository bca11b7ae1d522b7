// National reports merged from three simulated provinces' snapshots, written by the real
// report code from real stores: the totals are the sums of the provinces' totals, every
// refusal names the file and the values, and a merged snapshot is byte-identical on rerun.
#include "reports/merge.hpp"
#include "app/commands.hpp"
#include "reports/snapshot.hpp"
#include "reports/source.hpp"

#include "ingest/mc_payload.hpp"
#include "sim/province.hpp"
#include "store/store.hpp"
#include "support/calendar.hpp"
#include "support/catalogue.hpp"
#include "support/moments.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <cmath>
#include <sstream>

namespace tthc::reports {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

using test::at;

// A simulated province whose unit codes end in `code` instead of the simulator's H42.
void fill_province(const fs::path& db, const std::string& code, std::uint64_t seed) {
  sim::ProvinceOptions po;
  po.seed = seed;
  po.dossiers_per_working_day = 10;
  const sim::Province province(test::official_calendar(), test::sample_catalogue(), po);
  auto writer = store::Writer::open(store::Options{db, false, 5000}).value();
  std::vector<DossierSnapshot> snapshots;
  std::vector<ProgressUpdate> progress;
  std::size_t line = 0;
  province.generate(
      at(2025, 2, 1), at(2025, 4, 1),
      [&](const sim::Delivery& d) {
        std::string record = d.record_json;
        for (auto i = record.find("H42"); i != std::string::npos;
             i = record.find("H42", i + code.size())) {
          record.replace(i, 3, code);
        }
        auto batch = ingest::parse_line(record, ++line);
        if (!batch) return;
        for (auto& s : batch->dossiers) snapshots.push_back(std::move(s));
        for (auto& p : batch->progress) progress.push_back(std::move(p));
      },
      at(2025, 4, 20));
  ASSERT_TRUE(writer.apply(snapshots, progress, store::BatchInfo{"test", 1, {}, 0}));
}

struct Province {
  std::string code, name;
  std::uint64_t seed;
  engine::Settings settings;
};

class Merge : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    engine::Settings restart;
    restart.pause_policy = engine::PausePolicy::Restart;  // one province counts differently
    provinces_ = {
        {"H42", "Ninh Bình", 7, {}}, {"H43", "Hà Tĩnh", 8, restart}, {"H44", "Quảng Trị", 9, {}}};
    for (const Province& p : provinces_) fill_province(dir_->file(p.code + ".db"), p.code, p.seed);
    for (std::size_t i = 0; i < provinces_.size(); ++i) {
      march_[i] = build(i, march(), march().end);
      snapshot(march_[i], folder(i), march());
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static Period march(int start_day = 1) { return period_of(2025, 3, start_day); }
  static Reports build(std::size_t i, const Period& p, Moment as_of) {
    ReportSource s;
    s.db = dir_->file(provinces_[i].code + ".db");
    s.calendar = &test::official_calendar();
    s.catalogue = &test::sample_catalogue();
    s.settings = provinces_[i].settings;
    return build_reports(s, p, as_of).value();
  }
  // The snapshot folders as the daemon writes them: <dir>/<province>/2025-03.
  static fs::path folder(std::size_t i, const std::string& under = "reports") {
    return dir_->path() / under / provinces_[i].code;
  }
  static void snapshot(const Reports& r, const fs::path& dir, const Period& p) {
    ASSERT_TRUE(write_snapshot(dir, p, snapshot_files(r).value()).value());
  }
  static MergeInput input(std::size_t i) {
    return {(folder(i) / "2025-03").string(), provinces_[i].name};
  }
  static std::vector<MergeInput> all() { return {input(2), input(0), input(1)}; }

  static test::TempDir* dir_;
  static std::vector<Province> provinces_;
  static Reports march_[3];
};

test::TempDir* Merge::dir_ = nullptr;
std::vector<Province> Merge::provinces_;
Reports Merge::march_[3];

std::vector<Kind> merged_kinds() {
  return {std::begin(kMergedKinds), std::end(kMergedKinds)};
}

TEST_F(Merge, TotalsAreTheSumsOfTheProvincesTotals) {
  const MergedReports m = merge_snapshots(all(), merged_kinds()).value();
  ResultsCounts results;
  Index766Counts index766;
  std::int64_t resolved = 0, with_limit = 0, all_766 = 0;
  double time = 0, legal = 0, time_766 = 0;
  ASSERT_EQ(m.reports.results.rows.size(), 3U);
  for (std::size_t i = 0; i < 3; ++i) {
    const Reports& r = march_[i];
    ASSERT_GT(r.results.total.received_total(), 0);
    // One row per province, by code, its figures those of the province's total row.
    EXPECT_EQ(m.reports.results.rows[i].unit, provinces_[i].code);
    EXPECT_EQ(m.reports.results.rows[i].unit_name, provinces_[i].name);
    EXPECT_EQ(m.reports.results.rows[i].counts, r.results.total);
    EXPECT_EQ(m.reports.index766.rows[i].counts, r.index766.total);
    EXPECT_EQ(m.reports.reduction.rows[i].figures.count, r.reduction.total.count);
    results.add(r.results.total);
    index766.add(r.index766.total);
    resolved += r.reduction.total.count;
    with_limit += r.reduction.total.with_limit;
    time += static_cast<double>(r.reduction.total.count) * *r.reduction.total.mean_days;
    legal += static_cast<double>(r.reduction.total.with_limit) * *r.reduction.total.legal_days;
    all_766 += r.index766.all_procedures.resolved;
    time_766 += static_cast<double>(r.index766.all_procedures.resolved) *
                *r.index766.all_procedures.mean_days;
  }
  EXPECT_EQ(m.reports.results.total, results);
  EXPECT_EQ(m.reports.results.total.on_time_rate(), results.on_time_rate());
  EXPECT_EQ(m.reports.index766.total, index766);
  EXPECT_EQ(m.reports.reduction.total.count, resolved);
  EXPECT_EQ(m.reports.reduction.total.with_limit, with_limit);
  // Means combined weighted by their counts, from the snapshots' 6-decimal figures.
  EXPECT_NEAR(*m.reports.reduction.total.mean_days, time / static_cast<double>(resolved), 1e-5);
  EXPECT_NEAR(*m.reports.reduction.total.legal_days, legal / static_cast<double>(with_limit), 1e-5);
  EXPECT_FALSE(m.reports.reduction.total.median_days);  // a median cannot be combined
  EXPECT_EQ(m.reports.index766.all_procedures.resolved, all_766);
  EXPECT_NEAR(*m.reports.index766.all_procedures.mean_days, time_766 / static_cast<double>(all_766),
              1e-5);
  std::int64_t by_procedure = 0;
  for (const ProcedureTime& p : m.reports.index766.procedures) by_procedure += p.resolved;
  EXPECT_EQ(by_procedure, all_766);
}

TEST_F(Merge, TheMergedReportSaysWhatItWasMadeFrom) {
  const MergedReports m = merge_snapshots(all(), merged_kinds()).value();
  const json::value v = json::parse(render_merged(m, Kind::Results, Format::Json).value());
  EXPECT_EQ(v.at("report").as_string(), "results");
  EXPECT_EQ(v.at("period").at("month").as_string(), "2025-03");
  EXPECT_EQ(v.at("closed").as_bool(), true);
  const json::array& provinces = v.at("provinces").as_array();
  ASSERT_EQ(provinces.size(), 3U);
  EXPECT_EQ(provinces[1].at("province").as_string(), "H43");
  EXPECT_EQ(provinces[1].at("name").as_string(), "Hà Tĩnh");
  EXPECT_EQ(provinces[1].at("settings").at("pause_policy").as_string(), "restart");
  EXPECT_EQ(provinces[0].at("settings").at("pause_policy").as_string(), "pause");
  EXPECT_TRUE(provinces[0].at("files").at("results.json").as_string().starts_with("sha256:"));
  EXPECT_EQ(v.at("inputs_differ"), json::parse(R"(["settings"])"));
  EXPECT_EQ(v.at("total").at("received_total").as_int64(),
            m.reports.results.total.received_total());
  EXPECT_EQ(v.at("rows").as_array().size(), 3U);
  // Every format, by the single-province renderers.
  for (const Kind k : kMergedKinds) {
    const std::string html = render_merged(m, k, Format::Html).value();
    EXPECT_NE(html.find("Quảng Trị (H44)"), std::string::npos) << to_string(k);
    EXPECT_NE(html.find("pause_policy: restart"), std::string::npos) << to_string(k);
    EXPECT_NE(render_merged(m, k, Format::Csv).value().find("Hà Tĩnh (H43)"), std::string::npos);
    EXPECT_EQ(render_merged(m, k, Format::Xlsx).value().substr(0, 2), "PK");
  }
  EXPECT_FALSE(render_merged(m, Kind::Claimed, Format::Json));
}

// What a merge refuses, each message naming the file and both values.
std::string refusal(const std::vector<MergeInput>& inputs, Kind kind = Kind::Results) {
  auto m = merge_snapshots(inputs, {kind});
  return m ? std::string("(merged)") : m.error().message;
}

void copy_folder(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy(from, to, fs::copy_options::recursive);
}

TEST_F(Merge, RefusesOtherPeriodsStartDaysKindsOpenDamagedOrRepeatedInputs) {
  test::TempDir work;
  // Another month.
  const Period april = period_of(2025, 4, 1);
  snapshot(build(2, april, april.end), work.path() / "april", april);
  std::string e = refusal({input(0), {(work.path() / "april" / "2025-04").string(), {}}});
  EXPECT_NE(e.find("april/2025-04/results.json: period {\"month\": \"2025-04\""), std::string::npos)
      << e;
  EXPECT_NE(e.find("\"month\": \"2025-03\""), std::string::npos) << e;
  // Another period start day.
  snapshot(build(2, march(15), march(15).end), work.path() / "fifteenth", march(15));
  e = refusal({input(0), {(work.path() / "fifteenth" / "2025-03").string(), {}}});
  EXPECT_NE(e.find("fifteenth/2025-03/results.json: period start day 15 differs from "),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("H42/2025-03/results.json's 1"), std::string::npos) << e;
  // Another kind, when files are given.
  e = refusal({{(folder(0) / "2025-03" / "results.json").string(), {}},
               {(folder(1) / "2025-03" / "reduction.json").string(), {}}});
  EXPECT_NE(e.find("reduction.json: a \"reduction\" report, where \"results\" is merged"),
            std::string::npos)
      << e;
  // A period not over when written.
  snapshot(build(2, march(), at(2025, 3, 20)), work.path() / "open", march());
  e = refusal({input(0), {(work.path() / "open" / "2025-03").string(), {}}});
  EXPECT_NE(e.find("open/2025-03/manifest.json: \"closed\" is false"), std::string::npos) << e;
  e = refusal({input(0), {(work.path() / "open" / "2025-03" / "results.json").string(), {}}});
  EXPECT_NE(e.find("open/2025-03/manifest.json: \"closed\" is false"), std::string::npos) << e;
  // A damaged file, and a missing one.
  copy_folder(folder(1) / "2025-03", work.path() / "damaged" / "2025-03");
  const fs::path results = work.path() / "damaged" / "2025-03" / "results.json";
  std::string bytes = test::read_file(results);
  char& digit = bytes[bytes.find("\"received_total\": ") + 18];
  digit = digit == '9' ? '8' : '9';
  work.write("damaged/2025-03/results.json", bytes);
  e = refusal({input(0), {(work.path() / "damaged" / "2025-03").string(), {}}});
  EXPECT_NE(e.find("damaged/2025-03/results.json: damaged: its SHA-256 is sha256:"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find(", the manifest's sha256:"), std::string::npos) << e;
  fs::remove(results);
  e = refusal({input(0), {(work.path() / "damaged" / "2025-03").string(), {}}});
  EXPECT_NE(e.find("damaged/2025-03/results.json: missing"), std::string::npos) << e;
  // The same province twice, under another folder and name.
  copy_folder(folder(1) / "2025-03", work.path() / "again" / "2025-03");
  e = refusal({input(1), {(work.path() / "again" / "2025-03").string(), "Hà Tĩnh (copy)"}});
  EXPECT_NE(e.find("again/2025-03/results.json: province H43 is already given by "),
            std::string::npos)
      << e;
  // A merged report merged again.
  const MergedReports m = merge_snapshots(all(), merged_kinds()).value();
  const fs::path merged =
      work.write("merged/results.json", render_merged(m, Kind::Results, Format::Json).value());
  e = refusal({input(0), {merged.string(), {}}});
  EXPECT_NE(e.find("merged/results.json: already a merged report"), std::string::npos) << e;
  EXPECT_EQ(refusal(all(), Kind::Claimed).find("--kind: claimed is not merged"), 0U);
}

// `report --merge ... --merge-snapshot OUT`, twice: the same bytes; a third time into the same
// folder: left as it is.
TEST_F(Merge, AMergedSnapshotIsByteIdenticalOnRerun) {
  test::TempDir work;
  app::ReportCommand cmd;
  for (std::size_t i = 0; i < 3; ++i) {
    cmd.merge.push_back(provinces_[i].name + "=" + (folder(i) / "2025-03").string());
  }
  const auto run = [&](const fs::path& out, std::string& said) {
    cmd.merge_snapshot = out.string();
    std::ostringstream o, e;
    const int status = app::run_report({}, cmd, o, e);
    said = o.str() + e.str();
    return status;
  };
  std::string said;
  ASSERT_EQ(run(work.path() / "a", said), 0) << said;
  EXPECT_NE(said.find("merged 3 provinces into"), std::string::npos) << said;
  ASSERT_EQ(run(work.path() / "b", said), 0) << said;
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(work.path() / "a" / "2025-03")) {
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(test::read_file(entry.path()), test::read_file(work.path() / "b" / "2025-03" / name))
        << name;
    ++files;
  }
  EXPECT_EQ(files, 13U);  // 3 kinds × 4 formats, and the manifest
  ASSERT_EQ(run(work.path() / "a", said), 0) << said;
  EXPECT_NE(said.find("exists: left as it is"), std::string::npos) << said;

  // The merged snapshot's manifest is checked like a province's: the merged JSON is then the
  // same from the command as from the folders.
  app::ReportCommand one;
  one.kind = "results";
  one.merge = cmd.merge;
  std::ostringstream o, e;
  ASSERT_EQ(app::run_report({}, one, o, e), 0) << e.str();
  EXPECT_EQ(o.str(), test::read_file(work.path() / "a" / "2025-03" / "results.json"));
  one.merge.push_back("nowhere/2025-03");
  std::ostringstream o2, e2;
  EXPECT_EQ(app::run_report({}, one, o2, e2), 1);
  EXPECT_EQ(e2.str(), "tthc-monitor: error: --merge: nowhere/2025-03: no such folder or file\n");
  one.merge.pop_back();
  one.month = "2025-03";  // the period is the snapshots'
  std::ostringstream o3, e3;
  EXPECT_EQ(app::run_report({}, one, o3, e3), 2);
  EXPECT_NE(e3.str().find("--month: not with --merge"), std::string::npos) << e3.str();
}

}  // namespace
}  // namespace tthc::reports
