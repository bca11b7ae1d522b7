// The board, end to end on the real executable: its JSON equals /metrics, the pages carry their
// security headers and language, the pictures are served, hostile paths find nothing, handler
// names stay behind the token, and the sign-in turns the token into a cookie the API accepts.
#include "http/client.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/units.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <chrono>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace tthc {
namespace {

namespace json = boost::json;

// Received Mon 2/3/2026 09:00, promised Fri 6/3 09:00, still in process: overdue today; its step
// at Phòng A is past its deadline (at risk). A second one finished early.
const std::string kBody =
    R"({"service":"DongBoHoSoMC","data":[)"
    R"({"MaHoSo":"000.00.12.H42-260302-0001","MaTTHC":"1.004227","MaLinhVuc":"KHCN",)"
    R"("TrangThaiHoSo":4,"NgayTiepNhan":"20260302090000","NgayHenTra":"20260306090000",)"
    R"("DonViXuLy":"Sở <b>Khoa học</b> & Công nghệ",)"
    R"("QuaTrinhXuLy":[{"ThoiDiemXuLy":"20260302100000","TrangThai":4,"PhongBanXuLy":"Phòng A",)"
    R"("NguoiXuLy":"Nguyễn Văn A","NgayKetThucTheoQuyDinh":"20260303100000"}]},)"
    R"({"MaHoSo":"000.00.12.H42-260302-0002","MaTTHC":"1.004227","MaLinhVuc":"KHCN",)"
    R"("TrangThaiHoSo":9,"NgayTiepNhan":"20260302090000","NgayHenTra":"20260306090000",)"
    R"("NgayKetThucXuLy":"20260303090000"}]})";
const std::string kCode = "000.00.12.H42-260302-0001";
const std::string kToken = "board-token-456";

std::optional<std::string> header(const http::Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return std::nullopt;
}

class BoardApi : public ::testing::Test {
 protected:
  // A daemon on its own store, with or without the read token.
  void start(bool with_token, const std::string& reports_dir = "", const std::string& more = "") {
    const std::string src = TTHC_SOURCE_DIR;
    dir_.write("read.token", kToken + "\n");
    const auto config = dir_.write(
        "monitor.toml", "[calendar]\nholidays_dir = \"" + src + "/config/holidays\"\n" +
                            "[catalogue]\nfile = \"" + src + "/config/procedures.csv\"\n" +
                            "[store]\npath = \"d.db\"\n[http]\nlisten = \"127.0.0.1:0\"\n" +
                            (with_token ? "read_token_file = \"read.token\"\n" : "") +
                            "[metrics]\nprovince = \"Ninh Bình\"\n[reports]\ndir = \"" +
                            reports_dir + "\"\n" + more);
    daemon_ = std::make_unique<test::Daemon>(
        TTHC_EXECUTABLE, std::vector<std::string>{"run", "--config", config.string()},
        TTHC_SOURCE_DIR);
    port_ = daemon_->port();
    ASSERT_GT(port_, 0) << daemon_->first_line();
    auto posted = send({"POST", "/api/v1/mc", kBody, "application/json", {}});
    ASSERT_TRUE(posted && posted->status == 200)
        << (posted ? posted->body : posted.error().message);
    ASSERT_TRUE(test::await(
        [&] {
          auto r =
              send({"GET", "/api/v1/overview", "", "", {{"Authorization", "Bearer " + kToken}}});
          return r && r->status == 200 &&
                 json::parse(r->body).at("now").at("in_process").as_int64() == 1;
        },
        std::chrono::seconds(10)));
  }

  http::ClientRequest authorised(http::ClientRequest r) const {
    if (!cookie_.empty()) r.headers.emplace_back("Cookie", cookie_);
    return r;
  }
  Result<http::Response> send(const http::ClientRequest& r) {
    return http::request("127.0.0.1", port_, r);
  }
  http::Response get(const std::string& target,
                     std::vector<std::pair<std::string, std::string>> headers = {}) {
    auto r = send(authorised({"GET", target, "", "", std::move(headers)}));
    EXPECT_TRUE(r) << target << ": " << r.error().message;
    return r ? *r : http::Response{};
  }

  test::TempDir dir_;
  std::unique_ptr<test::Daemon> daemon_;
  std::uint16_t port_ = 0;
  std::string cookie_;
};

// tthc_dossiers_pending summed by state, from the exposition.
std::map<std::string, std::int64_t> pending_by_state(const std::string& metrics) {
  std::map<std::string, std::int64_t> out;
  std::istringstream lines(metrics);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("tthc_dossiers_pending{")) continue;
    const auto at = line.find("state=\"");
    const auto end = line.find('"', at + 7);
    out[line.substr(at + 7, end - at - 7)] += std::stoll(line.substr(line.rfind(' ') + 1));
  }
  return out;
}

TEST_F(BoardApi, OverviewEqualsTheMetricsAndNamesTheLateDepartment) {
  start(false);
  const json::object o = json::parse(get("/api/v1/overview").body).as_object();
  const json::object& now = o.at("now").as_object();
  const auto pending = pending_by_state(get("/metrics").body);
  for (const char* state : {"in_time", "due_soon", "paused", "overdue"}) {
    EXPECT_EQ(now.at(state).as_int64(), pending.count(state) != 0 ? pending.at(state) : 0) << state;
  }
  EXPECT_EQ(now.at("overdue").as_int64(), 1);
  EXPECT_EQ(now.at("at_risk").as_int64(), 1);
  EXPECT_EQ(now.at("overdue_steps").as_int64(), 1);
  EXPECT_EQ(o.at("province").as_string(), "Ninh Bình");
  const json::object& unit = o.at("units").as_array().at(0).as_object();
  EXPECT_EQ(unit.at("unit").as_string(), "000.00.12.H42");
  EXPECT_EQ(unit.at("top_department").at("name").as_string(), "Phòng A");
  EXPECT_FALSE(o.at("freshness").at("last_intake").is_null());
  EXPECT_TRUE(o.at("freshness").at("poller").is_null());
  EXPECT_TRUE(o.at("calendar").at("working_now").is_bool());

  const json::object u = json::parse(get("/api/v1/units/000.00.12.H42").body).as_object();
  EXPECT_EQ(u.at("fields").as_array().at(0).at("field").as_string(), "KHCN");
  EXPECT_EQ(u.at("fields").as_array().at(0).at("now").at("overdue").as_int64(), 1);
  EXPECT_EQ(u.at("departments").as_array().at(0).at("name").as_string(), "Phòng A");
  EXPECT_EQ(get("/api/v1/units/999.99").status, 404);

  const json::object t = json::parse(get("/api/v1/trend").body).as_object();
  ASSERT_EQ(t.at("months").as_array().size(), 12U);
  EXPECT_EQ(t.at("months").as_array().back().at("closed").as_bool(), false);
  auto bad = get("/api/v1/trend?months=99");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("months"), std::string::npos) << bad.body;

  // The reports page lists every month since the first receipt (March 2026).
  const json::object reports = json::parse(get("/api/v1/reports").body).as_object();
  EXPECT_EQ(reports.at("months").as_array().back().at("month").as_string(), "2026-03");
  EXPECT_EQ(get("/api/v1/snapshots/2026-03/..%2F..%2Fd.db").status, 404);
  EXPECT_EQ(get("/api/v1/reports/results/diff?month=2026-03").status, 404);  // no snapshots
  EXPECT_EQ(get("/api/v1/reports/results/diff?month=2026-13").status, 400);
}

// With the unit register: a dossier received at a district that ended on 1/7/2025 counts under
// the ward that took it over (the district's code answers for it and says so), and a code the
// register lacks is counted and listed behind the token.
TEST_F(BoardApi, UnitsInForceAndUnknownUnitCodes) {
  dir_.write("units.csv", std::string(test::kSampleUnitsCsv));
  start(true, "", "[units]\nfile = \"units.csv\"\n");
  const std::vector<std::pair<std::string, std::string>> bearer = {
      {"Authorization", "Bearer " + kToken}};
  const std::string more =
      R"({"service":"DongBoHoSoMC","data":[)"
      R"({"MaHoSo":"000.20.31.H42-250630-0001","MaTTHC":"1.004227","MaLinhVuc":"KHCN",)"
      R"("TrangThaiHoSo":4,"NgayTiepNhan":"20250630090000","NgayHenTra":"20250704090000"},)"
      R"({"MaHoSo":"000.00.99.H42-260302-0003","MaTTHC":"1.004227","MaLinhVuc":"KHCN",)"
      R"("TrangThaiHoSo":4,"NgayTiepNhan":"20260302090000","NgayHenTra":"20260306090000"}]})";
  auto posted = send({"POST", "/api/v1/mc", more, "application/json", {}});
  ASSERT_TRUE(posted && posted->status == 200) << (posted ? posted->body : "");
  ASSERT_TRUE(test::await(
      [&] {
        auto r = send({"GET", "/api/v1/overview", "", "", bearer});
        return r && r->status == 200 &&
               json::parse(r->body).at("now").at("in_process").as_int64() == 3;
      },
      std::chrono::seconds(10)));

  const http::Response old_code = get("/api/v1/units/000.20.31.H42", bearer);
  ASSERT_EQ(old_code.status, 200) << old_code.body;
  const json::object u = json::parse(old_code.body).as_object();
  EXPECT_EQ(u.at("unit").as_string(), "000.31.01.H42");
  EXPECT_EQ(u.at("requested").as_string(), "000.20.31.H42");
  EXPECT_EQ(u.at("name").as_string(), "UBND phường Hoa Lư");
  EXPECT_NE(u.at("note").as_string().find("000.31.01.H42"), json::string::npos);
  EXPECT_EQ(u.at("now").at("in_process").as_int64(), 1);
  const json::object list =
      json::parse(get("/api/v1/dossiers?unit=000.20.31.H42", bearer).body).as_object();
  EXPECT_EQ(list.at("total").as_int64(), 1);
  EXPECT_EQ(list.at("items").at(0).at("unit").as_string(), "000.31.01.H42");

  const json::object o = json::parse(get("/api/v1/overview", bearer).body).as_object();
  EXPECT_EQ(o.at("unknown_units").at("dossiers").as_int64(), 1);
  for (const json::value& line : o.at("units").as_array()) {
    EXPECT_NE(line.at("unit").as_string(), "000.20.31.H42");
  }
  EXPECT_EQ(get("/api/v1/units/unknown").status, 401);
  const http::Response unknown = get("/api/v1/units/unknown", bearer);
  ASSERT_EQ(unknown.status, 200) << unknown.body;
  const json::object listed = json::parse(unknown.body).as_object();
  EXPECT_EQ(listed.at("dossiers").as_int64(), 1);
  ASSERT_EQ(listed.at("units").as_array().size(), 1U) << unknown.body;
  const json::object& first = listed.at("units").at(0).as_object();
  EXPECT_EQ(first.at("unit").as_string(), "000.00.99.H42");
  EXPECT_EQ(first.at("dossiers").as_int64(), 1);
  EXPECT_TRUE(first.at("first_received").as_string().starts_with("2026-03-02T09:00"))
      << unknown.body;
  EXPECT_EQ(first.at("last_received"), first.at("first_received"));

  const std::string metrics = get("/metrics", bearer).body;
  EXPECT_NE(metrics.find("\ntthc_unknown_unit_dossiers{province=\"Ninh Bình\"} 1\n"),
            std::string::npos)
      << metrics;
  EXPECT_EQ(metrics.find("000.20.31.H42"), std::string::npos);
  EXPECT_NE(metrics.find("unit=\"000.31.01.H42\""), std::string::npos);
}

TEST_F(BoardApi, PagesPicturesAndTheirHeaders) {
  start(false);
  const http::Response page = get("/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.content_type.find("text/html"), std::string::npos);
  const std::string csp = header(page, "content-security-policy").value_or("");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(header(page, "x-content-type-options").value_or(""), "nosniff");
  EXPECT_NE(page.body.find("lang=\"vi\""), std::string::npos);
  EXPECT_NE(get("/?lang=en").body.find("lang=\"en\""), std::string::npos);
  EXPECT_NE(
      get("/dossiers", {{"Accept-Language", "en-GB,en;q=0.9,vi;q=0.5"}}).body.find("lang=\"en\""),
      std::string::npos);
  EXPECT_NE(get("/units/000.00.12.H42", {{"Accept-Language", "fr, vi;q=0.8, en;q=0.7"}})
                .body.find("lang=\"vi\""),
            std::string::npos);
  for (const char* target : {"/dossiers/"
                             "000.00.12.H42-260302-0001",
                             "/reports", "/units/x"}) {
    EXPECT_EQ(get(target).status, 200) << target;
  }
  EXPECT_EQ(get("/signin").status, 303);  // no token: nothing to sign in to

  const http::Response js = get("/assets/board.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_NE(js.content_type.find("javascript"), std::string::npos);
  EXPECT_EQ(get("/assets/..%2Fboard.js").status, 404);
  EXPECT_EQ(get("/assets/CMakeLists.txt").status, 404);

  for (const std::string& target :
       std::vector<std::string>{"/api/v1/trend.svg", "/api/v1/overview/ranking.svg?lang=en",
                                "/api/v1/dossiers/" + kCode + "/timeline.svg"}) {
    const http::Response svg = get(target);
    EXPECT_EQ(svg.status, 200) << target;
    EXPECT_EQ(svg.content_type, "image/svg+xml; charset=utf-8") << target;
    EXPECT_TRUE(svg.body.starts_with("<svg")) << target;
  }
  // A name from the payload is escaped in a picture.
  const std::string ranking = get("/api/v1/overview/ranking.svg").body;
  EXPECT_NE(ranking.find("Sở &lt;b&gt;Khoa học&lt;/b&gt; &amp; Công nghệ"), std::string::npos)
      << ranking;
  EXPECT_NE(get("/api/v1/dossiers/" + kCode + "/timeline.svg").body.find("Phòng A"),
            std::string::npos);
  EXPECT_EQ(get("/api/v1/dossiers/nope/timeline.svg").status, 404);

  // An open daemon names no handler.
  const std::string explained = get("/api/v1/dossiers/" + kCode).body;
  EXPECT_EQ(explained.find("Nguyễn"), std::string::npos) << explained;
}

TEST_F(BoardApi, TheTokenIsAskedOnceAndKeptInACookie) {
  start(true);
  // Nothing without it: pages go to the sign-in, data answers 401.
  const http::Response page = get("/dossiers?state=overdue");
  EXPECT_EQ(page.status, 303);
  EXPECT_EQ(header(page, "location").value_or(""), "/signin?next=%2Fdossiers%3Fstate%3Doverdue");
  EXPECT_EQ(page.body.find("overdue\":"), std::string::npos);
  EXPECT_EQ(header(get("/?lang=en"), "location").value_or(""),
            "/signin?next=%2F%3Flang%3Den&lang=en");
  for (const std::string& target : std::vector<std::string>{
           "/api/v1/overview", "/api/v1/trend", "/api/v1/reports", "/api/v1/units/000.00.12.H42",
           "/api/v1/trend.svg", "/api/v1/dossiers/" + kCode + "/timeline.svg"}) {
    EXPECT_EQ(get(target).status, 401) << target;
  }
  EXPECT_EQ(get("/signin").status, 200);
  EXPECT_EQ(get("/assets/board.css").status, 200);  // the sign-in page needs its style

  const auto sign_in = [&](const std::string& token, const std::string& next) {
    return *send({"POST",
                  "/signin",
                  "token=" + token + "&next=" + next,
                  "application/x-www-form-urlencoded",
                  {}});
  };
  const http::Response wrong = sign_in("nope", "%2Freports");
  EXPECT_EQ(wrong.status, 303);
  EXPECT_EQ(header(wrong, "location").value_or(""), "/signin?error=1&next=%2Freports");
  EXPECT_FALSE(header(wrong, "set-cookie"));
  EXPECT_EQ(header(sign_in(kToken, "%2F%2Fevil.example"), "location").value_or(""), "/");

  const http::Response right = sign_in(kToken, "%2Freports");
  EXPECT_EQ(header(right, "location").value_or(""), "/reports");
  const std::string set_cookie = header(right, "set-cookie").value_or("");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos) << set_cookie;
  EXPECT_EQ(set_cookie.find(kToken), std::string::npos) << "the cookie holds the token itself";
  cookie_ = set_cookie.substr(0, set_cookie.find(';'));

  EXPECT_EQ(get("/").status, 200);
  EXPECT_EQ(get("/api/v1/overview").status, 200);
  EXPECT_EQ(get("/metrics").status, 200);
  // Behind the token the explanation names the handler.
  EXPECT_NE(get("/api/v1/dossiers/" + kCode).body.find("Nguyễn Văn A"), std::string::npos);
  cookie_ = "tthc_session=0123";
  EXPECT_EQ(get("/api/v1/overview").status, 401);

  const http::Response out = *send({"POST", "/signout", "", "", {}});
  EXPECT_EQ(out.status, 303);
  EXPECT_NE(header(out, "set-cookie").value_or("").find("Max-Age=0"), std::string::npos);
}

// The reports page's data: the snapshots the daemon froze, their files, and what a late sync
// changes against them (`report --diff`).
TEST_F(BoardApi, SnapshotsTheirFilesAndWhatALateSyncChanges) {
  start(false, "reports");
  // Snapshots of closed months are written at start once the store has dossiers: restart.
  EXPECT_EQ(daemon_->stop(), 0);
  start(false, "reports");
  ASSERT_TRUE(test::await(
      [&] {
        const json::value r = json::parse(get("/api/v1/reports").body);
        return r.at("months").as_array().back().at("snapshot").is_object();
      },
      std::chrono::seconds(20)));
  const json::object march =
      json::parse(get("/api/v1/reports").body).at("months").as_array().back().as_object();
  EXPECT_EQ(march.at("month").as_string(), "2026-03");
  EXPECT_EQ(march.at("snapshot").at("as_of").as_string(), "2026-04-01T00:00:00+07:00");
  const http::Response csv = get("/api/v1/snapshots/2026-03/results.csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_NE(header(csv, "content-disposition").value_or("").find("attachment"), std::string::npos);
  EXPECT_EQ(get("/api/v1/snapshots/2026-03/nothing.csv").status, 404);

  auto diff = json::parse(get("/api/v1/reports/results/diff?month=2026-03").body).as_object();
  EXPECT_TRUE(diff.at("changes").as_array().empty()) << json::serialize(diff);
  // March closes the first quarter: the daemon froze it too (just after the month), listed with
  // the quarters.
  const auto first_quarter = [&] {
    return json::parse(get("/api/v1/reports?period_kind=quarter").body)
        .at("periods")
        .as_array()
        .back()
        .as_object();
  };
  ASSERT_TRUE(test::await([&] { return first_quarter().at("snapshot").is_object(); },
                          std::chrono::seconds(20)));
  const json::object q1 = first_quarter();
  EXPECT_EQ(q1.at("period").as_string(), "2026-Q1");
  EXPECT_EQ(q1.at("name").as_string(), "Quý I năm 2026");
  EXPECT_EQ(q1.at("snapshot").at("as_of").as_string(), "2026-04-01T00:00:00+07:00");
  EXPECT_EQ(get("/api/v1/snapshots/2026-Q1/results.xlsx").status, 200);
  EXPECT_EQ(get("/api/v1/reports?period_kind=decade").status, 400);
  // Under another cut-off the snapshots (made with the configured one) are not offered.
  const json::object other =
      json::parse(get("/api/v1/reports?period_kind=quarter&period_start_day=15").body).as_object();
  EXPECT_TRUE(other.at("periods").as_array().back().at("snapshot").is_null());
  // A dossier received in March arrives late: the snapshot no longer agrees.
  const std::string late =
      R"({"service":"DongBoHoSoMC","data":[{"MaHoSo":"000.00.12.H42-260303-0009",)"
      R"("MaTTHC":"1.004227","MaLinhVuc":"KHCN","TrangThaiHoSo":9,)"
      R"("NgayTiepNhan":"20260303090000","NgayHenTra":"20260306090000",)"
      R"("NgayKetThucXuLy":"20260304090000"}]})";
  ASSERT_EQ(send({"POST", "/api/v1/mc", late, "application/json", {}})->status, 200);
  diff = json::parse(get("/api/v1/reports/results/diff?month=2026-03").body).as_object();
  const json::array& changes = diff.at("changes").as_array();
  ASSERT_FALSE(changes.empty());
  bool received = false;
  for (const json::value& c : changes) {
    received = received || std::string_view(c.as_string()).find("received_total: 2 → 3") !=
                               std::string_view::npos;
  }
  EXPECT_TRUE(received) << json::serialize(diff);
  // The quarter's snapshot sees the same late sync.
  diff = json::parse(get("/api/v1/reports/results/diff?period=2026-Q1").body).as_object();
  EXPECT_EQ(diff.at("period").as_string(), "2026-Q1");
  EXPECT_FALSE(diff.at("changes").as_array().empty()) << json::serialize(diff);
}

}  // namespace
}  // namespace tthc
