// POST /api/v1/mc over real HTTP on loopback into a real SQLite file.
#include "api/mc_webhook.hpp"

#include "http/client.hpp"
#include "http/signature.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <boost/json.hpp>

#include <latch>
#include <thread>

namespace tthc::api {
namespace {

namespace json = boost::json;
using http::sign_body;
using http::signature_matches;

std::string envelope(std::string_view data) {
  return R"({"session":"s","madonvi":"000.00.12.H42","service":"DongBoHoSoMC","data":[)" +
         std::string(data) + "]}";
}

std::string dossier(std::string_view code, int status = 4) {
  return R"({"MaHoSo":")" + std::string(code) + R"(","MaTTHC":"1.004227","TrangThaiHoSo":)" +
         std::to_string(status) +
         R"(,"NgayTiepNhan":"20260302090000","NgayHenTra":"20260305090000"})";
}

class WebhookTest : public ::testing::Test {
 protected:
  void start(WebhookOptions options = {}, ingest::IntakeOptions intake_options = {},
             std::size_t body_limit = 1 << 20) {
    auto w = store::Writer::open(store::Options{dir.file("t.db"), false, 5000});
    ASSERT_TRUE(w) << w.error().message;
    intake = std::make_unique<ingest::Intake>(std::move(*w), intake_options);
    options.clock = [] { return std::int64_t{1760000000}; };
    http::Router router;
    add_mc_webhook(router, *intake, std::move(options));
    http::ServerOptions so;
    so.body_limit = body_limit;
    so.worker_threads = 8;
    server = std::make_unique<http::Server>(so, std::move(router));
    auto port = server->start();
    ASSERT_TRUE(port) << port.error().message;
    port_ = *port;
  }
  void TearDown() override {
    if (server) server->stop();
  }
  http::Response post(std::string body,
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::ClientRequest req;
    req.method = "POST";
    req.target = "/api/v1/mc";
    req.body = std::move(body);
    req.content_type = "application/json";
    req.headers = std::move(headers);
    auto r = http::request("127.0.0.1", port_, req);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : http::Response{};
  }
  static json::object body_of(const http::Response& r) { return json::parse(r.body).as_object(); }
  std::int64_t dossiers() {
    auto reader = store::Reader::open(dir.file("t.db"));
    return reader ? reader->totals().value().dossiers : -1;
  }

  test::TempDir dir;
  std::unique_ptr<ingest::Intake> intake;
  std::unique_ptr<http::Server> server;
  std::uint16_t port_ = 0;
};

TEST_F(WebhookTest, AcceptsCommitsAndCountsAgainIdempotently) {
  start();
  auto r = post(envelope(dossier("A-1") + "," + dossier("A-2")));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  auto b = body_of(r);
  EXPECT_EQ(b["accepted"].to_number<std::uint64_t>(), 2U);
  EXPECT_EQ(b["new"].to_number<std::uint64_t>(), 2U);
  EXPECT_EQ(b["rejected"].to_number<std::uint64_t>(), 0U);
  EXPECT_EQ(dossiers(), 2);  // committed before the answer
  r = post(envelope(dossier("A-1") + "," + dossier("A-2")));
  b = body_of(r);
  EXPECT_EQ(b["accepted"].to_number<std::uint64_t>(), 0U);
  EXPECT_EQ(b["unchanged"].to_number<std::uint64_t>(), 2U);
}

TEST_F(WebhookTest, BadRecordsAreListedAndGoodOnesKept) {
  start();
  auto r = post(envelope(dossier("A-1") +
                         R"(,{"MaHoSo":"A-2","TrangThaiHoSo":4,"NgayTiepNhan":"2025-13-40"},)" +
                         dossier("A-3")));
  ASSERT_EQ(r.status, 200);
  auto b = body_of(r);
  EXPECT_EQ(b["accepted"].to_number<std::uint64_t>(), 2U);
  EXPECT_EQ(b["rejected"].to_number<std::uint64_t>(), 1U);
  const auto& rej = b["rejected_records"].as_array().at(0).as_object();
  EXPECT_EQ(rej.at("index").to_number<std::uint64_t>(), 1U);
  EXPECT_EQ(rej.at("MaHoSo").as_string(), "A-2");
  EXPECT_EQ(rej.at("reason").as_string(), R"(NgayTiepNhan: not a date: "2025-13-40")");
  EXPECT_EQ(dossiers(), 2);
}

TEST_F(WebhookTest, MalformedBodiesAre400WithAJsonError) {
  start();
  for (const std::string& body : {std::string("{not json"), std::string("[]"),
                                  std::string(R"({"service":"X","data":[]})"), std::string("")}) {
    auto r = post(body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_TRUE(body_of(r).contains("error")) << r.body;
  }
  EXPECT_EQ(dossiers(), 0);
}

TEST_F(WebhookTest, WrongMethodIs405AndTooLargeIs413) {
  start({}, {}, 4096);
  auto get =
      http::request("127.0.0.1", port_, http::ClientRequest{"GET", "/api/v1/mc", "", "", {}});
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  EXPECT_TRUE(body_of(*get).contains("error"));
  std::string big = envelope(dossier("A-1"));
  big.insert(big.size() - 2, std::string(8000, ' '));
  auto r = post(big);
  EXPECT_EQ(r.status, 413);
  EXPECT_TRUE(body_of(r).contains("error"));
  EXPECT_EQ(dossiers(), 0);
}

TEST_F(WebhookTest, SignedBodiesOnlyWhenASecretIsSet) {
  WebhookOptions o;
  o.secret = "bí mật chung";
  o.signature_header = "x-signature";
  start(o);
  const std::string body = envelope(dossier("A-1"));
  auto r = post(body);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(body_of(r)["error"].as_string(), "missing signature header x-signature");
  r = post(body, {{"X-Signature", sign_body("wrong secret", body)}});
  EXPECT_EQ(r.status, 401);
  r = post(body + " ", {{"X-Signature", sign_body(*o.secret, body)}});  // body altered
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(dossiers(), 0);
  r = post(body, {{"X-Signature", sign_body(*o.secret, body)}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(dossiers(), 1);
}

TEST(Signature, FormatsAndConstantTimeCompare) {
  const std::string sig = sign_body("k", "body");
  ASSERT_EQ(sig.size(), 7U + 64U);
  EXPECT_TRUE(signature_matches("k", "body", sig));
  EXPECT_TRUE(signature_matches("k", "body", sig.substr(7)));  // without the prefix
  std::string upper = sig.substr(7);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(signature_matches("k", "body", upper));
  EXPECT_FALSE(signature_matches("k", "body", sig.substr(0, sig.size() - 1)));
  EXPECT_FALSE(signature_matches("k", "body", sig.substr(0, sig.size() - 1) + "g"));
  EXPECT_FALSE(signature_matches("k", "body", ""));
  // RFC 4231 test case 2.
  EXPECT_EQ(sign_body("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_F(WebhookTest, ConcurrentSendersAreGroupCommittedAndAllLand) {
  start();
  constexpr int kThreads = 8;
  constexpr int kRequests = 40;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto conn = http::Connection::open("127.0.0.1", port_);
      if (!conn) return;
      for (int i = 0; i < kRequests; ++i) {
        http::ClientRequest req{
            "POST",
            "/api/v1/mc",
            envelope(dossier("C-" + std::to_string(t) + "-" + std::to_string(i))),
            "application/json",
            {}};
        auto r = conn->send(req);
        if (r && r->status == 200) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kRequests);
  EXPECT_EQ(dossiers(), kThreads * kRequests);
}

TEST_F(WebhookTest, AStoreFailureIs503AndOtherBatchesOfTheGroupStillLand) {
  start();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("t.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TRIGGER boom BEFORE INSERT ON dossiers WHEN NEW.code='BOOM'"
                         " BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto r = post(envelope(dossier("BOOM")));
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(body_of(r)["error"].as_string().find("disk on fire"), std::string::npos);
  r = post(envelope(dossier("FINE")));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(dossiers(), 1);
}

TEST_F(WebhookTest, AFullQueueAnswers503WithRetryAfter) {
  ingest::IntakeOptions small;
  small.max_pending_records = 1;
  start({}, small);
  // Hold the writer so submissions queue up.
  std::latch release(1);
  auto held = intake->run_on_writer([&](store::Writer&) -> Result<std::size_t> {
    release.wait();
    return std::size_t{0};
  });
  // A first record waits in the queue (the writer is held); the next one finds it full.
  auto queued = ingest::parse_envelope(envelope(dossier("Q-1")));
  ASSERT_TRUE(queued);
  auto first = intake->submit(std::move(*queued), store::BatchInfo{"test", 1, std::nullopt, 0});
  const http::Response busy = post(envelope(dossier("Q-2")));
  EXPECT_EQ(busy.status, 503);
  bool retry_after = false;
  for (const auto& [k, v] : busy.headers) retry_after = retry_after || k == "retry-after";
  EXPECT_TRUE(retry_after);
  release.count_down();
  EXPECT_TRUE(held.get());
  EXPECT_TRUE(std::holds_alternative<store::ApplyCounts>(first.get()));
  EXPECT_EQ(post(envelope(dossier("Q-2"))).status, 200);
}

}  // namespace
}  // namespace tthc::api
