// Dossier alerts end to end: the real daemon, a real Alertmanager
// (/usr/bin/prometheus-alertmanager) with the shipped example configuration, and a local webhook
// receiver, all on loopback. An overdue dossier arrives by the MC webhook; its alerts reach
// Alertmanager (GET /api/v2/alerts) and the receiver; both sinks go away and come back; the dossier
// ends and its alerts resolve.
#include "http/client.hpp"
#include "http/server.hpp"
#include "http/signature.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <mutex>
#include <set>

namespace tthc {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// Received Mon 2/3/2026, promised 6/3: long overdue; its step at Phòng A is late too.
std::string dossier(const std::string& code, int status = 4, const std::string& end = "") {
  return R"({"MaHoSo":")" + code + R"(","MaTTHC":"1.004227","MaLinhVuc":"KHCN","TrangThaiHoSo":)" +
         std::to_string(status) +
         R"(,"NgayTiepNhan":"20260302090000","NgayHenTra":"20260306090000","NgayKetThucXuLy":")" +
         end +
         R"(","QuaTrinhXuLy":[{"ThoiDiemXuLy":"20260302100000","TrangThai":4,)"
         R"("PhongBanXuLy":"Phòng A","NguoiXuLy":"Nguyễn Văn A",)"
         R"("NgayKetThucTheoQuyDinh":"20260303100000"}]})";
}

// The local webhook receiver: records each event (status, kind, dossier) it accepts.
class Receiver {
 public:
  explicit Receiver(std::uint16_t port) : port_(port) { start(); }
  void start() {
    http::Router router;
    router.add("POST", "/hook", [this](const http::Request& req) {
      std::lock_guard lock(m_);
      signed_ = signed_ && http::signature_matches("hook-secret", req.body,
                                                   req.header("x-signature").value_or(""));
      const json::value body = json::parse(req.body);  // alive for the loop
      for (const auto& e : body.at("alerts").as_array()) {
        events_.push_back(std::string(e.at("status").as_string()) + " " +
                          std::string(e.at("kind").as_string()) + " " +
                          std::string(e.at("dossier").as_string()));
        handlers_.insert(std::string(e.at("handler").as_string()));
      }
      return http::Response{};
    });
    http::ServerOptions o;
    o.port = port_;
    server_.reset();  // the old listener (if any) releases the port first
    server_ = std::make_unique<http::Server>(o, std::move(router));
    auto started = server_->start();
    ASSERT_TRUE(started) << started.error().message;
  }
  void stop() {
    server_->stop(1s);
    server_.reset();
  }
  std::size_t count(const std::string& event) {
    std::lock_guard lock(m_);
    return static_cast<std::size_t>(std::count(events_.begin(), events_.end(), event));
  }
  bool all_signed() {
    std::lock_guard lock(m_);
    return signed_;
  }
  bool saw_handler(const std::string& h) {
    std::lock_guard lock(m_);
    return handlers_.count(h) != 0;
  }

 private:
  std::uint16_t port_;
  std::unique_ptr<http::Server> server_;
  std::mutex m_;
  std::vector<std::string> events_;
  std::set<std::string> handlers_;
  bool signed_ = true;
};

class Alertmanager {
 public:
  Alertmanager(const test::TempDir& dir, std::uint16_t port) : dir_(dir), port_(port) { start(); }
  void start() {
    std::filesystem::remove_all(dir_.file("am-data"));
    const std::string src = TTHC_SOURCE_DIR;
    process_ = test::start_logged(
        dir_.file("am.log"),
        {"/usr/bin/prometheus-alertmanager", "--config.file=" + src + "/config/alertmanager.yml",
         "--storage.path=" + dir_.file("am-data").string(),
         "--web.listen-address=127.0.0.1:" + std::to_string(port_),
         "--cluster.listen-address=", "--log.level=warn"},
        true, dir_.path());
    ASSERT_TRUE(test::await(
        [&] {
          auto r = http::request("127.0.0.1", port_, {"GET", "/-/ready", "", "", {}});
          return r && r->status == 200;
        },
        20s));
  }
  void stop() { process_->stop(); }
  // Active alerts: alertname/dossier/department → labels.
  std::vector<json::object> alerts() {
    auto r = http::request("127.0.0.1", port_, {"GET", "/api/v2/alerts?active=true", "", "", {}});
    std::vector<json::object> out;
    if (!r || r->status != 200) return out;
    const json::value body = json::parse(r->body);  // alive for the loop
    for (const auto& a : body.as_array()) {
      if (a.at("status").at("state").as_string() == "active") out.push_back(a.as_object());
    }
    return out;
  }
  bool has(const std::string& alertname, const std::string& code) {
    for (const auto& a : alerts()) {
      const auto& l = a.at("labels").as_object();
      if (l.at("alertname").as_string() == alertname && l.at("dossier").as_string() == code) {
        return true;
      }
    }
    return false;
  }

 private:
  const test::TempDir& dir_;
  std::uint16_t port_;
  std::unique_ptr<test::Daemon> process_;
};

TEST(AlertsIntegration, RealAlertmanagerAndAWebhookReceiverSinksComingAndGoing) {
  test::TempDir dir;
  const std::uint16_t am_port = test::free_port();
  const std::uint16_t hook_port = test::free_port();
  Alertmanager am(dir, am_port);
  Receiver receiver(hook_port);

  const std::string src = TTHC_SOURCE_DIR;
  dir.write("hook.secret", "hook-secret\n");
  const auto config = dir.write(
      "monitor.toml",
      "[calendar]\nholidays_dir = \"" + src + "/config/holidays\"\n[catalogue]\nfile = \"" + src +
          "/config/procedures.csv\"\n[store]\npath = \"d.db\"\n[http]\nlisten = \"127.0.0.1:0\"\n" +
          "[metrics]\nprovince = \"Test\"\n[reports]\ndir = \"reports\"\n" +
          "[alerts]\nstate = \"alerts.db\"\nresend_interval = \"1s\"\n" +
          "alertmanager = [\"http://127.0.0.1:" + std::to_string(am_port) + "\"]\n" +
          "[[alerts.webhook]]\nurl = \"http://127.0.0.1:" + std::to_string(hook_port) +
          "/hook\"\nsecret_file = \"hook.secret\"\n");
  auto daemon = std::make_unique<test::Daemon>(
      TTHC_EXECUTABLE, std::vector<std::string>{"run", "--config", config.string()}, dir.path());
  const std::uint16_t port = daemon->port();
  ASSERT_GT(port, 0) << daemon->first_line();
  const auto post = [&](const std::string& records) {
    auto r = http::request("127.0.0.1", port,
                           {"POST",
                            "/api/v1/mc",
                            R"({"service":"DongBoHoSoMC","data":[)" + records + "]}",
                            "application/json",
                            {}});
    ASSERT_TRUE(r && r->status == 200) << (r ? r->body : r.error().message);
  };

  // 1. An overdue dossier: Alertmanager and the receiver hear of it.
  post(dossier("000.00.12.H42-260302-0001"));
  ASSERT_TRUE(
      test::await([&] { return am.has("DossierOverdue", "000.00.12.H42-260302-0001"); }, 20s));
  const auto found = am.alerts();
  bool checked = false;
  for (const auto& a : found) {
    const auto& l = a.at("labels").as_object();
    if (l.at("alertname").as_string() != "DossierOverdue") continue;
    EXPECT_EQ(l.at("unit").as_string(), "000.00.12.H42");
    EXPECT_EQ(l.at("field").as_string(), "KHCN");
    EXPECT_EQ(l.at("department").as_string(), "Phòng A");
    EXPECT_EQ(l.at("severity").as_string(), "critical");
    EXPECT_EQ(l.at("province").as_string(), "Test");
    EXPECT_EQ(l.if_contains("handler"), nullptr) << "a person as a label";
    const auto& ann = a.at("annotations").as_object();
    EXPECT_EQ(ann.at("base_due").as_string(), "2026-03-06T09:00:00+07:00");
    EXPECT_EQ(ann.at("handler").as_string(), "Nguyễn Văn A");
    EXPECT_NE(
        std::string(ann.at("url").as_string()).find("/api/v1/dossiers/000.00.12.H42-260302-0001"),
        std::string::npos);
    checked = true;
  }
  EXPECT_TRUE(checked);
  EXPECT_TRUE(am.has("DossierStepOverdue", "000.00.12.H42-260302-0001"));
  ASSERT_TRUE(test::await(
      [&] { return receiver.count("firing overdue 000.00.12.H42-260302-0001") == 1; }, 10s));
  EXPECT_TRUE(receiver.saw_handler("Nguyễn Văn A"));

  // 2. Both sinks go away; a second dossier goes overdue meanwhile; they come back (Alertmanager
  // with its memory wiped): both alerts are there again, the receiver gets the new one once.
  am.stop();
  receiver.stop();
  post(dossier("000.00.12.H42-260302-0002"));
  // Both sinks have failed at least once, and the new dossier's event waits in the outbox.
  const auto metric = [&](const std::string& series) {
    auto m = http::request("127.0.0.1", port, {"GET", "/metrics", "", "", {}});
    if (!m || m->status != 200) return -1.0;
    const auto at = m->body.find("\n" + series + " ");
    return at == std::string::npos ? -1.0 : std::stod(m->body.substr(at + series.size() + 2));
  };
  ASSERT_TRUE(test::await(
      [&] {
        return metric(R"(tthc_alert_deliveries_total{province="Test",outcome="error"})") >= 2 &&
               metric(R"(tthc_alert_outbox{province="Test"})") >= 1;
      },
      20s));
  am.start();
  receiver.start();
  ASSERT_TRUE(test::await(
      [&] {
        return am.has("DossierOverdue", "000.00.12.H42-260302-0001") &&
               am.has("DossierOverdue", "000.00.12.H42-260302-0002");
      },
      20s));
  ASSERT_TRUE(test::await(
      [&] { return receiver.count("firing overdue 000.00.12.H42-260302-0002") == 1; }, 30s));
  EXPECT_EQ(receiver.count("firing overdue 000.00.12.H42-260302-0001"), 1U)
      << "the first dossier's event was sent again";

  // 3. A restart of the daemon sends nothing twice to the webhook.
  EXPECT_EQ(daemon->stop(), 0);
  daemon = std::make_unique<test::Daemon>(
      TTHC_EXECUTABLE, std::vector<std::string>{"run", "--config", config.string()}, dir.path());
  ASSERT_GT(daemon->port(), 0);
  const std::uint16_t port2 = daemon->port();
  ASSERT_TRUE(test::await(
      [&] {
        auto r = http::request("127.0.0.1", port2, {"GET", "/readyz", "", "", {}});
        return r && r->status == 200;
      },
      20s));

  // 4. The first dossier ends: its alerts resolve in Alertmanager and at the receiver.
  auto r = http::request("127.0.0.1", port2,
                         {"POST",
                          "/api/v1/mc",
                          R"({"service":"DongBoHoSoMC","data":[)" +
                              dossier("000.00.12.H42-260302-0001", 9, "20260310090000") + "]}",
                          "application/json",
                          {}});
  ASSERT_TRUE(r && r->status == 200);
  ASSERT_TRUE(
      test::await([&] { return !am.has("DossierOverdue", "000.00.12.H42-260302-0001"); }, 20s));
  EXPECT_TRUE(am.has("DossierOverdue", "000.00.12.H42-260302-0002"));
  ASSERT_TRUE(test::await(
      [&] { return receiver.count("resolved overdue 000.00.12.H42-260302-0001") == 1; }, 20s));
  EXPECT_EQ(receiver.count("firing overdue 000.00.12.H42-260302-0002"), 1U);  // not again
  EXPECT_EQ(receiver.count("firing overdue 000.00.12.H42-260302-0001"), 1U);
  EXPECT_TRUE(receiver.all_signed());

  // The daemon's own view of its alerts.
  auto m = http::request("127.0.0.1", port2, {"GET", "/metrics", "", "", {}});
  ASSERT_TRUE(m);
  EXPECT_NE(m->body.find("tthc_alert_dead_letters{province=\"Test\"} 0"), std::string::npos);
  EXPECT_EQ(daemon->stop(), 0);
  am.stop();
}

TEST(AlertsIntegration, TheShippedAlertmanagerConfigurationIsValid) {
  const test::Outcome r = test::run_process(
      "/usr/bin/amtool",
      {"check-config", std::string(TTHC_SOURCE_DIR) + "/config/alertmanager.yml"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
}

}  // namespace
}  // namespace tthc
