// GET /api/v1/reports/{kind} on a real server (loopback, port 0), and on the real daemon once
// run_daemon registers it.
#include "api/report_api.hpp"

#include "http/client.hpp"
#include "reports/generated.hpp"
#include "support/moments.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include "store/store.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>

namespace tthc::api {
namespace {

namespace json = boost::json;

using test::at;

class ReportApi : public ::testing::Test {
 protected:
  ReportApi() {
    test::fill_store(dir_.file("s.db"), at(2025, 3, 1), at(2025, 3, 15), at(2025, 4, 10), 20);
    {  // What a system claimed for March (loaded through the writer, as the webhook does).
      auto w = store::Writer::open(store::Options{dir_.file("s.db")});
      ClaimedStats c;
      c.year = 2025;
      c.month = 3;
      c.unit = "000.00.12.H42";
      c.figures.resolved = 1000;
      c.figures.on_time_rate = 1.0;
      const std::vector<ClaimedStats> claims = {c};
      EXPECT_TRUE(w && w->put_claimed_stats(claims, "000.00.00.H42", 1743500000));
    }
    ReportApiOptions o;
    o.source.db = dir_.file("s.db");
    o.source.calendar = &test::official_calendar();
    o.source.catalogue = &test::sample_catalogue();
    clock_.set_unix_seconds(to_unix(at(2025, 4, 10, 9)));
    o.token = "tok";
    http::Router router;
    add_report_api(router, clock_, o);
    server_ = std::make_unique<http::Server>(http::ServerOptions{}, std::move(router));
    port_ = server_->start().value();
  }

  http::Response get(const std::string& target, bool token = true) {
    http::ClientRequest req{"GET", target, "", "", {}};
    if (token) req.headers.emplace_back("Authorization", "Bearer tok");
    return http::request("127.0.0.1", port_, req).value();
  }

  ManualClock clock_;  // before the server, which reads it
  test::TempDir dir_;
  std::unique_ptr<http::Server> server_;
  std::uint16_t port_ = 0;
};

TEST_F(ReportApi, ServesEveryKindInEveryFormat) {
  const auto j = get("/api/v1/reports/results?month=2025-03");
  ASSERT_EQ(j.status, 200) << j.body;
  EXPECT_EQ(j.content_type, "application/json");
  const json::object o = json::parse(j.body).as_object();
  EXPECT_EQ(o.at("period").at("from").as_string(), "2025-03-01T00:00:00+07:00");
  EXPECT_EQ(o.at("period").at("to").as_string(), "2025-04-01T00:00:00+07:00");
  EXPECT_TRUE(o.at("closed").as_bool());
  EXPECT_GT(o.at("total").at("received_total").as_int64(), 50);
  EXPECT_FALSE(o.at("rows").as_array().empty());

  const auto csv = get("/api/v1/reports/reduction?month=2025-03&format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  const auto html = get("/api/v1/reports/index766?month=2025-03&format=html");
  ASSERT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("766/QĐ-TTg"), std::string::npos);
  const auto xlsx = get("/api/v1/reports/results?month=2025-03&format=xlsx");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_TRUE(xlsx.body.starts_with("PK"));
  // An open period is judged now and says so.
  const auto open = get("/api/v1/reports/results?month=2025-04&period_start_day=15");
  ASSERT_EQ(open.status, 200) << open.body;
  const json::object oo = json::parse(open.body).as_object();
  EXPECT_FALSE(oo.at("closed").as_bool());
  EXPECT_EQ(oo.at("as_of").as_string(), "2025-04-10T09:00:00+07:00");
  EXPECT_EQ(oo.at("period").at("from").as_string(), "2025-03-15T00:00:00+07:00");
  const auto as_of = get("/api/v1/reports/results?month=2025-03&as_of=2025-03-20T12:00");
  ASSERT_EQ(as_of.status, 200) << as_of.body;
  EXPECT_NE(as_of.body.find("\"as_of\": \"2025-03-20T12:00:00+07:00\""), std::string::npos);

  // The claimed statistics beside ours, and the payload of ours.
  const auto claimed = get("/api/v1/reports/claimed?month=2025-03");
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  const json::object co = json::parse(claimed.body).as_object();
  const auto& rows = co.at("rows").as_array();
  const auto row = std::find_if(rows.begin(), rows.end(), [](const json::value& r) {
    return r.at("unit").as_string() == "000.00.12.H42";
  });
  ASSERT_NE(row, rows.end());
  EXPECT_EQ(row->at("claimed").at("resolved").as_int64(), 1000);
  EXPECT_EQ(row->at("difference").at("resolved").as_int64(),
            1000 - row->at("ours").at("resolved").as_int64());
  EXPECT_EQ(row->at("sender").as_string(), "000.00.00.H42");
  EXPECT_TRUE(get("/api/v1/reports/claimed?month=2025-03&format=xlsx").body.starts_with("PK"));
  const auto payload = get("/api/v1/reports/dvcqg-stats?month=2025-03");
  ASSERT_EQ(payload.status, 200) << payload.body;
  const json::object po = json::parse(payload.body).as_object();
  EXPECT_EQ(po.at("service").as_string(), "DongBoThongKeHoSo");
  EXPECT_FALSE(po.at("data").as_array().empty());
  EXPECT_EQ(po.at("data").as_array()[0].at("Thang").as_string(), "3");
}

// period= takes any period: the quarter holding March, with its kind and label, in every format.
TEST_F(ReportApi, ServesAQuarterAndAYearThroughPeriod) {
  const auto q = get("/api/v1/reports/results?period=2025-Q1");
  ASSERT_EQ(q.status, 200) << q.body;
  const json::object o = json::parse(q.body).as_object();
  EXPECT_EQ(o.at("period").at("kind").as_string(), "quarter");
  EXPECT_EQ(o.at("period").at("label").as_string(), "2025-Q1");
  EXPECT_EQ(o.at("period").at("from").as_string(), "2025-01-01T00:00:00+07:00");
  EXPECT_EQ(o.at("period").at("to").as_string(), "2025-04-01T00:00:00+07:00");
  EXPECT_TRUE(o.at("closed").as_bool());
  // Everything in the store was received in March: the quarter's figures are March's.
  const json::object march =
      json::parse(get("/api/v1/reports/results?month=2025-03").body).as_object();
  EXPECT_EQ(o.at("total"), march.at("total"));
  const auto html = get("/api/v1/reports/results?period=2025-Q1&format=html");
  ASSERT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("Quý I năm 2025"), std::string::npos);
  const auto xlsx = get("/api/v1/reports/claimed?period=2025-Q1&format=xlsx");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_TRUE(xlsx.body.starts_with("PK"));
  // The year with the 15th cut-off is still running on 10/4: judged now, and says so.
  const auto y = get("/api/v1/reports/index766?period=2025&period_start_day=15");
  ASSERT_EQ(y.status, 200) << y.body;
  const json::object yo = json::parse(y.body).as_object();
  EXPECT_FALSE(yo.at("closed").as_bool());
  EXPECT_EQ(yo.at("period").at("from").as_string(), "2024-12-15T00:00:00+07:00");
  // The portal's monthly payload is refused for a quarter; month and period not together.
  const auto payload = get("/api/v1/reports/dvcqg-stats?period=2025-Q1");
  EXPECT_EQ(payload.status, 400);
  EXPECT_NE(payload.body.find("monthly payload"), std::string::npos) << payload.body;
  const auto both = get("/api/v1/reports/results?period=2025-Q1&month=2025-03");
  EXPECT_EQ(both.status, 400);
  EXPECT_NE(both.body.find("not both"), std::string::npos) << both.body;
  const auto bad = get("/api/v1/reports/results?period=2025-Q7");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("period: not a period: \\\"2025-Q7\\\""), std::string::npos) << bad.body;
}

TEST_F(ReportApi, RefusesBadRequests) {
  EXPECT_EQ(get("/api/v1/reports/results?month=2025-03", false).status, 401);
  EXPECT_EQ(get("/api/v1/reports/nope?month=2025-03").status, 404);
  EXPECT_EQ(get("/api/v1/reports/results").status, 400);
  EXPECT_EQ(get("/api/v1/reports/results?month=2025-13").status, 400);
  EXPECT_EQ(get("/api/v1/reports/results?month=2025-03&format=pdf").status, 400);
  EXPECT_EQ(get("/api/v1/reports/dvcqg-stats?month=2025-03&format=csv").status, 400);
  EXPECT_EQ(get("/api/v1/reports/results?month=2025-03&period_start_day=31").status, 400);
  EXPECT_EQ(get("/api/v1/reports/results?month=2025-03&as_of=2025-05-01").status, 400);
  EXPECT_EQ(get("/api/v1/reports/results?month=2025-06").status, 400);  // not started
}

TEST_F(ReportApi, ServesThePhaseReview) {
  const auto j = get("/api/v1/reports/review?period=2025");
  ASSERT_EQ(j.status, 200) << j.body;
  const json::object o = json::parse(j.body).as_object();
  EXPECT_EQ(o.at("report").as_string(), "review");
  EXPECT_FALSE(o.at("years").as_array()[0].at("closed").as_bool());  // judged as of 10 April
  EXPECT_FALSE(o.at("rows").as_array().empty());
  const auto xlsx = get("/api/v1/reports/review?period=2024..2025&format=xlsx");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_TRUE(xlsx.body.starts_with("PK"));
  EXPECT_NE(get("/api/v1/reports/review?period=2025&format=html").body.find("<svg"),
            std::string::npos);
  EXPECT_EQ(get("/api/v1/reports/review?period=2025", false).status, 401);
  EXPECT_EQ(get("/api/v1/reports/review").status, 400);
  EXPECT_EQ(get("/api/v1/reports/review?period=2025-03").status, 400);
  EXPECT_EQ(get("/api/v1/reports/review?period=2025..2024").status, 400);
  EXPECT_EQ(get("/api/v1/reports/review?period=2026").status, 400);  // not begun
  EXPECT_EQ(get("/api/v1/reports/review?period=2025&period_start_day=31").status, 400);
}

// The daemon serves the same once run_daemon registers add_report_api (skipped before).
TEST(ReportApiDaemon, TheDaemonServesReports) {
  test::TempDir dir;
  const std::string src = TTHC_SOURCE_DIR;
  const auto config =
      dir.write("monitor.toml", "[calendar]\nholidays_dir = \"" + src + "/config/holidays\"\n" +
                                    "[catalogue]\nfile = \"" + src + "/config/procedures.csv\"\n" +
                                    "[store]\npath = \"d.db\"\n[http]\nlisten = \"127.0.0.1:0\"\n" +
                                    "[reports]\ndir = \"reports\"\n");
  test::Daemon daemon(TTHC_EXECUTABLE, {"run", "--config", config.string()}, TTHC_SOURCE_DIR);
  ASSERT_GT(daemon.port(), 0) << daemon.first_line();
  const std::string body =
      R"({"service":"DongBoHoSoMC","data":[{"MaHoSo":"000.00.12.H42-250303-0001",)"
      R"("MaTTHC":"1.004227","MaLinhVuc":"ATBXHN","TrangThaiHoSo":9,)"
      R"("NgayTiepNhan":"20250303090000","NgayKetThucXuLy":"20250305090000"}]})";
  auto posted = http::request("127.0.0.1", daemon.port(),
                              {"POST", "/api/v1/mc", body, "application/json", {}});
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 200) << posted->body;
  auto r = http::request("127.0.0.1", daemon.port(),
                         {"GET", "/api/v1/reports/results?month=2025-03", "", "", {}});
  ASSERT_TRUE(r);
  if (r->status == 404 && r->body.find("no report") == std::string::npos) {
    GTEST_SKIP() << "run_daemon does not register add_report_api yet";
  }
  ASSERT_EQ(r->status, 200) << r->body;
  const json::object o = json::parse(r->body).as_object();
  EXPECT_EQ(o.at("total").at("resolved_early").as_int64(), 1);
  EXPECT_EQ(daemon.stop(), 0);
}

}  // namespace
}  // namespace tthc::api
