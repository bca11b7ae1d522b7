// The daemon's read side, end to end on the real executable: the dossier explanation, the work
// lists, /metrics (checked by the real promtool), /readyz, the bearer token, counters that come
// back from the store after a restart, and `explain` on the command line.
#include "http/client.hpp"
#include "store/store.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace tthc {
namespace {

namespace json = boost::json;

// Received Mon 2/3/2026 09:00, promised Fri 6/3 09:00, still in process: overdue today. Its step
// at Phòng A had a deadline of 3/3 and is still open: at risk.
const std::string kOverdue =
    R"({"MaHoSo":"000.00.12.H42-260302-0001","MaTTHC":"1.004227","MaLinhVuc":"KHCN",)"
    R"("TrangThaiHoSo":4,"NgayTiepNhan":"20260302090000","NgayHenTra":"20260306090000",)"
    R"("QuaTrinhXuLy":[{"ThoiDiemXuLy":"20260302100000","TrangThai":4,"PhongBanXuLy":"Phòng A",)"
    R"("NguoiXuLy":"Nguyễn Văn A","NgayKetThucTheoQuyDinh":"20260303100000"}]})";
// Finished early.
const std::string kFinished =
    R"({"MaHoSo":"000.00.12.H42-260302-0002","MaTTHC":"1.004227","MaLinhVuc":"KHCN",)"
    R"("TrangThaiHoSo":9,"NgayTiepNhan":"20260302090000","NgayHenTra":"20260306090000",)"
    R"("NgayKetThucXuLy":"20260303090000"})";
const std::string kToken = "read-token-123";

class DaemonApi : public ::testing::Test {
 protected:
  DaemonApi() {
    dir_.write("read.token", kToken + "\n");
    write_config("");
  }

  // The configuration, with `metrics` added to its [metrics] table.
  void write_config(const std::string& metrics) {
    const std::string src = TTHC_SOURCE_DIR;
    config_ = dir_.write("monitor.toml",
                         "[calendar]\nholidays_dir = \"" + src + "/config/holidays\"\n" +
                             "[catalogue]\nfile = \"" + src + "/config/procedures.csv\"\n" +
                             "[store]\npath = \"d.db\"\n[http]\nlisten = \"127.0.0.1:0\"\n" +
                             "read_token_file = \"read.token\"\n" +
                             "[metrics]\nprovince = \"Ninh Bình\"\n" + metrics +
                             "[reports]\ndir = \"reports\"\n")
                  .string();
  }

  std::unique_ptr<test::Daemon> start() {
    auto d = std::make_unique<test::Daemon>(
        TTHC_EXECUTABLE, std::vector<std::string>{"run", "--config", config_}, TTHC_SOURCE_DIR);
    port_ = d->port();
    return d;
  }

  Result<http::Response> get(const std::string& target, bool with_token = true) {
    http::ClientRequest req{"GET", target, "", "", {}};
    if (with_token) req.headers.emplace_back("Authorization", "Bearer " + kToken);
    return http::request("127.0.0.1", port_, req);
  }

  // Waits (bounded) until the work list shows `n` dossiers in total.
  bool wait_for_tracked(std::size_t n) {
    return test::await(
        [&] {
          auto r = get("/api/v1/dossiers?limit=1");
          return r && r->status == 200 &&
                 json::parse(r->body).at("total").to_number<std::uint64_t>() >= n;
        },
        std::chrono::seconds(10));
  }

  // POSTs an MC body to the webhook; it must be taken (200, error_code "0").
  void post_mc(const std::string& body) {
    http::ClientRequest post{"POST", "/api/v1/mc", body, "application/json", {}};
    auto posted = http::request("127.0.0.1", port_, post);
    ASSERT_TRUE(posted) << posted.error().message;
    ASSERT_EQ(posted->status, 200) << posted->body;
    EXPECT_EQ(json::parse(posted->body).at("error_code").as_string(), "0");
  }

  std::string metrics() {
    auto r = get("/metrics");
    return r && r->status == 200 ? r->body : std::string();
  }

  test::TempDir dir_;
  std::string config_;
  std::uint16_t port_ = 0;
};

bool has_line(const std::string& text, const std::string& prefix) {
  return text.find("\n" + prefix) != std::string::npos;
}

// TrangThaiHoSo as a word: kept, explained, counted in a metric, and in no figure; the sender
// is counted under its madonvi, a bounded label.
TEST_F(DaemonApi, UnknownStatusIsExplainedAndCountedApart) {
  auto daemon = start();
  ASSERT_GT(port_, 0) << daemon->first_line();
  ASSERT_NO_FATAL_FAILURE(post_mc(
      R"({"session":"s","madonvi":"000.00.00.H42","service":"DongBoHoSoMC","isUpdating":"True",)"
      R"("data":[{"MaHoSo":"000.00.12.H42-260302-0003","MaTTHC":"1.004227","MaLinhVuc":"KHCN",)"
      R"("TrangThaiHoSo":"Đang xử lý","NgayTiepNhan":"2026-03-02 09:00:00",)"
      R"("NgayHenTra":"06/03/2026 09:00:00"}]})"));
  // Not in the work list (it counts nowhere): wait for the live state to have judged it.
  ASSERT_TRUE(test::await(
      [&] {
        return metrics().find("\ntthc_dossiers_status_unknown{province=\"Ninh Bình\"} 1") !=
               std::string::npos;
      },
      std::chrono::seconds(10)));

  auto one = get("/api/v1/dossiers/000.00.12.H42-260302-0003");
  ASSERT_TRUE(one);
  ASSERT_EQ(one->status, 200) << one->body;
  const json::object d = json::parse(one->body).as_object();
  EXPECT_FALSE(d.at("counted").as_bool());
  EXPECT_EQ(d.at("exclusion").as_string(), "status_unknown");
  bool flagged = false;
  for (const auto& f : d.at("flags").as_array())
    flagged = flagged || f.as_string() == "status_unknown";
  EXPECT_TRUE(flagged) << one->body;
  bool explained = false;
  for (const auto& r : d.at("reasons").as_array()) {
    if (std::string_view(r.as_string()).starts_with("Not counted: the status is unknown")) {
      explained = true;
    }
  }
  EXPECT_TRUE(explained) << one->body;

  const std::string m = metrics();
  EXPECT_TRUE(has_line(m, R"(tthc_dossiers_status_unknown{province="Ninh Bình"} 1)")) << m;
  EXPECT_TRUE(has_line(
      m, R"(tthc_intake_sender_records_total{province="Ninh Bình",sender="000.00.00.H42"} 1)"))
      << m;
  EXPECT_EQ(m.find("tthc_dossiers_received_total{"), std::string::npos) << m;
  EXPECT_EQ(daemon->stop(), 0);
}

// The sender label is bounded: the first 8 codes of the unit-code shape, later ones "other",
// another shape "unknown", a body without madonvi "none".
TEST_F(DaemonApi, SenderLabelIsBounded) {
  auto daemon = start();
  ASSERT_GT(port_, 0) << daemon->first_line();
  for (int i = 0; i < 10; ++i) {
    ASSERT_NO_FATAL_FAILURE(post_mc(R"({"madonvi":"000.00.0)" + std::to_string(i) +
                                    R"(.H42","service":"DongBoHoSoMC","data":[]})"));
  }
  ASSERT_NO_FATAL_FAILURE(
      post_mc(R"({"madonvi":"Sở Tư pháp","service":"DongBoHoSoMC","data":[{"MaHoSo":"X"}]})"));
  ASSERT_NO_FATAL_FAILURE(post_mc(R"([{"MaHoSo":"Y"}])"));
  const std::string m = metrics();
  std::size_t series = 0;
  for (std::size_t at = m.find("\ntthc_intake_sender_records_total{"); at != std::string::npos;
       at = m.find("\ntthc_intake_sender_records_total{", at + 1)) {
    ++series;
  }
  EXPECT_EQ(series, 11U) << m;  // 8 codes, other, unknown, none
  EXPECT_TRUE(has_line(
      m, R"(tthc_intake_sender_records_total{province="Ninh Bình",sender="000.00.07.H42"} 0)"))
      << m;
  EXPECT_EQ(m.find(R"(sender="000.00.08.H42")"), std::string::npos) << m;
  EXPECT_TRUE(
      has_line(m, R"(tthc_intake_sender_records_total{province="Ninh Bình",sender="other"} 0)"))
      << m;
  EXPECT_TRUE(
      has_line(m, R"(tthc_intake_sender_records_total{province="Ninh Bình",sender="unknown"} 1)"))
      << m;
  EXPECT_TRUE(
      has_line(m, R"(tthc_intake_sender_records_total{province="Ninh Bình",sender="none"} 1)"))
      << m;
  EXPECT_EQ(m.find("Sở Tư pháp"), std::string::npos);
  EXPECT_EQ(daemon->stop(), 0);
}

// A crafted dossier in process, overdue, its step late at `department`.
std::string crafted(const std::string& code, const std::string& field,
                    const std::string& department) {
  return R"({"MaHoSo":")" + code + R"(","MaTTHC":"1.004227","MaLinhVuc":")" + field +
         R"(","TrangThaiHoSo":4,"NgayTiepNhan":"20260302090000","NgayHenTra":"20260306090000",)"
         R"("QuaTrinhXuLy":[{"ThoiDiemXuLy":"20260302100000","TrangThai":4,"PhongBanXuLy":")" +
         department + R"(","NgayKetThucTheoQuyDinh":"20260303100000"}]})";
}

std::size_t count_lines(const std::string& text, const std::string& prefix) {
  std::size_t n = 0;
  for (auto at = text.find("\n" + prefix); at != std::string::npos;
       at = text.find("\n" + prefix, at + 1)) {
    ++n;
  }
  return n;
}

// Senders control unit, field and department, so their values are bounded: 5,000 dossiers with
// values of their own (and codes without '-', fields and departments of no code shape) leave
// /metrics a few kilobytes larger, shown as "other" and "unknown" and counted; the values that
// came first keep their own series.
TEST_F(DaemonApi, PayloadLabelsAreShapedAndCapped) {
  write_config("max_units = 5\nmax_fields = 5\nmax_departments = 5\n");
  auto daemon = start();
  ASSERT_GT(port_, 0) << daemon->first_line();
  ASSERT_NO_FATAL_FAILURE(post_mc(R"({"service":"DongBoHoSoMC","data":[)" + kOverdue + "]}"));
  ASSERT_TRUE(wait_for_tracked(1));
  const std::size_t before = metrics().size();

  constexpr int kCrafted = 5000;
  const std::string long_name(200, 'x');
  for (int batch = 0; batch < kCrafted / 500; ++batch) {
    std::string body = R"({"service":"DongBoHoSoMC","data":[)";
    for (int i = batch * 500; i < (batch + 1) * 500; ++i) {
      const std::string n = std::to_string(i);
      if (i > batch * 500) body += ",";
      if (i % 2 == 0) {  // every value of the expected shape, and new
        body += crafted("C" + n + ".H99-260302-0001", "F" + n, "Phòng " + n);
      } else {  // no '-' in MaHoSo, a field with a space, a department too long
        body += crafted("CRAFTED" + n, "F " + n, long_name + n);
      }
    }
    ASSERT_NO_FATAL_FAILURE(post_mc(body + "]}"));
  }
  ASSERT_TRUE(wait_for_tracked(kCrafted + 1));
  const std::string m = metrics();
  EXPECT_LT(m.size(), before + 16 * 1024) << "before " << before << ", after " << m.size();

  // The first values keep their series; the unit's own field and late department too.
  EXPECT_TRUE(has_line(
      m,
      R"(tthc_dossiers_pending{province="Ninh Bình",field="KHCN",state="overdue",unit="000.00.12.H42"} 1)"))
      << m;
  EXPECT_TRUE(has_line(
      m, R"(tthc_steps_overdue{province="Ninh Bình",department="Phòng A",unit="000.00.12.H42"} 1)"))
      << m;
  EXPECT_EQ(count_lines(m, "tthc_dossiers_received_total{"), 5U + 2U)
      << m;  // 5 units, other, unknown
  // The rest share "other" (after the caps) and "unknown" (no value of the shape).
  EXPECT_TRUE(has_line(
      m,
      R"(tthc_dossiers_pending{province="Ninh Bình",field="other",state="overdue",unit="other"} 2496)"))
      << m;
  EXPECT_TRUE(has_line(
      m,
      R"(tthc_dossiers_pending{province="Ninh Bình",field="unknown",state="overdue",unit="unknown"} 2500)"))
      << m;
  EXPECT_TRUE(has_line(
      m, R"(tthc_steps_overdue{province="Ninh Bình",department="unknown",unit="unknown"} 2500)"))
      << m;
  for (const char* label : {"unit", "field", "department"}) {
    const std::string l = std::string("{province=\"Ninh Bình\",label=\"") + label + "\"}";
    EXPECT_TRUE(has_line(m, "tthc_metric_label_values" + l + " 5")) << m;
    EXPECT_TRUE(has_line(m, "tthc_metric_label_overflow_total" + l + " 2496")) << m;
    EXPECT_TRUE(has_line(m, "tthc_metric_label_unknown_total" + l + " 2500")) << m;
  }
  EXPECT_EQ(m.find("CRAFTED"), std::string::npos);
  EXPECT_EQ(m.find("xxxxxxxx"), std::string::npos);
  EXPECT_EQ(daemon->stop(), 0);
}

TEST_F(DaemonApi, ExplainsListsAndExposesMetrics) {
  auto daemon = start();
  ASSERT_GT(port_, 0) << daemon->first_line();
  ASSERT_NO_FATAL_FAILURE(
      post_mc(R"({"service":"DongBoHoSoMC","data":[)" + kOverdue + "," + kFinished + "]}"));

  auto ready = get("/readyz", false);
  ASSERT_TRUE(ready);
  ASSERT_TRUE(wait_for_tracked(1));

  // The token guards the read endpoints, not the probes.
  EXPECT_EQ(get("/api/v1/dossiers", false)->status, 401);
  EXPECT_EQ(get("/metrics", false)->status, 401);
  EXPECT_EQ(get("/healthz", false)->status, 200);

  auto one = get("/api/v1/dossiers/000.00.12.H42-260302-0001");
  ASSERT_TRUE(one);
  ASSERT_EQ(one->status, 200) << one->body;
  const json::object d = json::parse(one->body).as_object();
  EXPECT_EQ(d.at("state").as_string(), "overdue");
  EXPECT_EQ(d.at("base_due").as_string(), "2026-03-06T09:00:00+07:00");
  EXPECT_EQ(d.at("base_due_source").as_string(), "NgayHenTra");
  EXPECT_TRUE(d.at("at_risk").as_bool());
  bool explained = false;
  for (const auto& r : d.at("reasons").as_array()) {
    if (std::string_view(r.as_string()).starts_with("Overdue: now")) explained = true;
  }
  EXPECT_TRUE(explained) << one->body;
  EXPECT_EQ(get("/api/v1/dossiers/000.00.12.H42-999999-0000")->status, 404);

  auto list = get("/api/v1/dossiers?state=overdue&unit=000.00.12.H42");
  ASSERT_TRUE(list);
  const json::object l = json::parse(list->body).as_object();
  ASSERT_EQ(l.at("total").to_number<std::uint64_t>(), 1U) << list->body;
  EXPECT_EQ(l.at("items").as_array().at(0).at("code").as_string(), "000.00.12.H42-260302-0001");
  EXPECT_EQ(l.at("items").as_array().at(0).at("department").as_string(), "Phòng A");
  EXPECT_EQ(json::parse(get("/api/v1/dossiers?state=due_soon")->body).at("total").as_int64(), 0);
  EXPECT_EQ(json::parse(get("/api/v1/dossiers?state=at_risk")->body).at("total").as_int64(), 1);
  auto bad = get("/api/v1/dossiers?state=late");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("state"), std::string::npos);
  EXPECT_NE(bad->body.find("late"), std::string::npos);
  bad = get("/api/v1/dossiers?limit=-1");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("limit"), std::string::npos);
  EXPECT_EQ(get("/api/v1/dossiers?within=abc")->status, 400);

  const std::string m = metrics();
  EXPECT_TRUE(has_line(
      m,
      R"(tthc_dossiers_pending{province="Ninh Bình",field="KHCN",state="overdue",unit="000.00.12.H42"} 1)"))
      << m;
  EXPECT_TRUE(has_line(
      m,
      R"(tthc_dossiers_resolved_total{province="Ninh Bình",field="KHCN",outcome="early",unit="000.00.12.H42"} 1)"));
  EXPECT_TRUE(has_line(
      m,
      R"(tthc_steps_overdue{province="Ninh Bình",department="Phòng A",unit="000.00.12.H42"} 1)"));
  EXPECT_TRUE(has_line(m, R"(tthc_webhook_requests_total{province="Ninh Bình",outcome="ok"} 1)"));
  EXPECT_TRUE(has_line(m, R"(tthc_state_ready{province="Ninh Bình"} 1)"));
  EXPECT_TRUE(has_line(
      m,
      R"(tthc_processing_time_ratio_bucket{province="Ninh Bình",field="KHCN",unit="000.00.12.H42",le="1"} 1)"))
      << m;
  EXPECT_NE(m.find(R"(le="0.7")"), std::string::npos);
  EXPECT_EQ(m.find("Nguyễn"), std::string::npos) << "a handler's name in the metrics";
  EXPECT_EQ(m.find("260302-0001"), std::string::npos) << "a dossier code in the metrics";

  // The real promtool accepts the exposition.
  const auto file = dir_.write("metrics.txt", m);
  const test::Outcome lint =
      test::run_process("/bin/sh", {"-c", "promtool check metrics < " + file.string()});
  EXPECT_EQ(lint.status, 0) << lint.out << lint.err;

  // Counters come back from the store after a restart; they do not start again from zero.
  EXPECT_EQ(daemon->stop(), 0);
  daemon = start();
  ASSERT_GT(port_, 0);
  ASSERT_TRUE(wait_for_tracked(1));
  const std::string again = metrics();
  EXPECT_TRUE(has_line(
      again,
      R"(tthc_dossiers_received_total{province="Ninh Bình",channel="in_person",field="KHCN",unit="000.00.12.H42"} 2)"))
      << again;
  EXPECT_EQ(daemon->stop(), 0);

  const test::Outcome explain = test::run_process(
      TTHC_EXECUTABLE,
      {"explain", "000.00.12.H42-260302-0001", "--config", config_, "--at", "2026-03-09T10:00"},
      TTHC_SOURCE_DIR);
  EXPECT_EQ(explain.status, 0) << explain.err;
  EXPECT_NE(explain.out.find("overdue (Quá hạn), at risk"), std::string::npos) << explain.out;
  EXPECT_NE(explain.out.find("Base due 2026-03-06T09:00"), std::string::npos) << explain.out;
  const test::Outcome missing =
      test::run_process(TTHC_EXECUTABLE, {"explain", "nope", "--config", config_}, TTHC_SOURCE_DIR);
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("\"nope\""), std::string::npos) << missing.err;
}

// tthc_claimed_on_time_rate_gap, read from the store once the live state has loaded: a claim of
// 50 % on time for the last closed month against a dossier of that month resolved at once.
TEST_F(DaemonApi, TheClaimedOnTimeRateGapIsExposed) {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now() +
                                                         std::chrono::hours(7));
  const std::chrono::year_month_day today{now};
  const std::chrono::year_month last = today.year() / today.month() - std::chrono::months(1);
  char day[16];
  std::snprintf(day, sizeof day, "%04d%02u10", static_cast<int>(last.year()),
                static_cast<unsigned>(last.month()));
  const std::string resolved =
      R"({"MaHoSo":"000.00.12.H42-000000-0009","MaTTHC":"1.004227","MaLinhVuc":"KHCN",)"
      R"("TrangThaiHoSo":9,"NgayTiepNhan":")" +
      std::string(day) + R"(090000",)" + R"("NgayKetThucXuLy":")" + std::string(day) +
      R"(100000"})";
  auto daemon = start();
  ASSERT_GT(port_, 0) << daemon->first_line();
  http::ClientRequest post{"POST",
                           "/api/v1/mc",
                           R"({"service":"DongBoHoSoMC","data":[)" + resolved + "]}",
                           "application/json",
                           {}};
  auto posted = http::request("127.0.0.1", port_, post);
  ASSERT_TRUE(posted && posted->status == 200) << (posted ? posted->body : "");
  EXPECT_EQ(daemon->stop(), 0);
  {  // The claim, kept as the webhook keeps them.
    auto w = store::Writer::open(store::Options{dir_.file("d.db")});
    ASSERT_TRUE(w) << w.error().message;
    ClaimedStats c;
    c.year = static_cast<int>(last.year());
    c.month = static_cast<unsigned>(last.month());
    c.unit = "000.00.12.H42";
    c.figures.resolved = 2;
    c.figures.on_time_rate = 0.5;
    const std::vector<ClaimedStats> claims = {c};
    ASSERT_TRUE(w->put_claimed_stats(claims, "000.00.00.H42", 1700000000));
  }
  daemon = start();
  ASSERT_GT(port_, 0);
  const std::string line =
      R"(tthc_claimed_on_time_rate_gap{province="Ninh Bình",unit="000.00.12.H42"} -0.5)";
  EXPECT_TRUE(test::await([&] { return has_line(metrics(), line); }, std::chrono::seconds(10)))
      << metrics();
  EXPECT_EQ(daemon->stop(), 0);
}

}  // namespace
}  // namespace tthc
