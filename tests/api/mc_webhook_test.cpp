// POST /api/v1/mc over real HTTP on loopback into a real SQLite file.
#include "api/mc_webhook.hpp"

#include "http/client.hpp"
#include "http/signature.hpp"
#include "metrics/metrics.hpp"
#include "support/calendar.hpp"
#include "support/sql.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sqlite3.h>
#include <boost/json.hpp>
#include <limits>

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
    clock.set_unix_seconds(1760000000);
    options.metrics = &metrics;
    http::Router router;
    add_mc_webhook(router, *intake, clock, std::move(options));
    http::ServerOptions so;
    so.body_limit = body_limit;
    so.refusal_body = counted_mc_refusal_body(metrics);
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
    return post(std::move(body), "", std::move(headers));
  }
  http::Response post(std::string body, std::string_view query,
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::ClientRequest req;
    req.method = "POST";
    req.target = "/api/v1/mc" + std::string(query);
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
  std::optional<DossierTimeline> timeline(std::string_view code) {
    auto reader = store::Reader::open(dir.file("t.db"));
    if (!reader) return std::nullopt;
    return reader->timeline(code).value();
  }

  ManualClock clock;
  metrics::Metrics metrics{metrics::MetricsOptions{}, test::official_calendar()};
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

// The handler counts what it decided; the server's own 413 is counted through the refusal body.
TEST_F(WebhookTest, RecordsEachOutcomeItDecided) {
  WebhookOptions o;
  o.secret = "s3cret";
  start(o, {}, 4096);
  const std::string body = envelope(dossier("A-1"));
  EXPECT_EQ(post(body, {{"x-signature", sign_body("s3cret", body)}}).status, 200);
  EXPECT_EQ(post(body).status, 401);
  const std::string bad = "{";
  EXPECT_EQ(post(bad, {{"x-signature", sign_body("s3cret", bad)}}).status, 400);
  EXPECT_EQ(post(std::string(8192, ' ')).status, 413);
  const std::string text = metrics.exposition(make_moment(2026, 3, 2, 9));
  for (const char* line : {"tthc_webhook_requests_total{outcome=\"ok\"} 1",
                           "tthc_webhook_requests_total{outcome=\"unauthorized\"} 1",
                           "tthc_webhook_requests_total{outcome=\"bad_request\"} 1",
                           "tthc_webhook_requests_total{outcome=\"too_large\"} 1",
                           "tthc_webhook_requests_total{outcome=\"busy\"} 0",
                           "tthc_webhook_requests_total{outcome=\"error\"} 0"}) {
    EXPECT_NE(text.find(std::string("\n") + line + "\n"), std::string::npos) << line << "\n"
                                                                             << text;
  }
}

TEST_F(WebhookTest, BadRecordsAreListedAndGoodOnesKept) {
  start();
  auto r = post(envelope(
      dossier("A-1") +
      R"(,{"MaHoSo":"A-2","MaTTHC":"1.004227","TrangThaiHoSo":4,"NgayTiepNhan":"2025-13-40"},)" +
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
  for (const std::string& body : {std::string("{not json"), std::string("\"x\""),
                                  std::string(R"({"service":"X","data":[]})"), std::string("")}) {
    auto r = post(body);
    EXPECT_EQ(r.status, 400) << body;
    auto b = body_of(r);
    EXPECT_TRUE(b.contains("error")) << r.body;
    EXPECT_EQ(b["error_code"].as_string(), "1") << r.body;
    EXPECT_EQ(b["message"].as_string(), "Dữ liệu không hợp lệ");
  }
  EXPECT_EQ(post("[]", "?service=XoaHoSo").status, 400);
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
  EXPECT_EQ(body_of(r)["error_code"].as_string(), "3");
  EXPECT_EQ(body_of(r)["message"].as_string(), "Dữ liệu gửi lên vượt quá kích thước cho phép");
  EXPECT_EQ(mc_refusal_body("/api/v1/other", 413, "x"), "");
  EXPECT_NE(mc_refusal_body("/api/v1/mc", 503, "server busy").find(R"("error_code":"4")"),
            std::string::npos);
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
  EXPECT_EQ(body_of(r)["error_code"].as_string(), "2");
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

TEST_F(WebhookTest, TimestampedSignaturesCannotBeReplayedLater) {
  WebhookOptions o;
  o.secret = "bí mật chung";
  start(o);  // the fixture's clock reads 1760000000
  const std::string body = envelope(dossier("A-1"));
  const auto signed_at = [&](std::int64_t t) {
    return std::vector<std::pair<std::string, std::string>>{
        {"X-Signature", http::sign_timestamped(*o.secret, body, t)}};
  };
  auto r = post(body, signed_at(1760000000 - 301));  // captured six minutes ago
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(body_of(r)["error_code"].as_string(), "2");
  EXPECT_NE(body_of(r)["error"].as_string().find("expired"), std::string::npos);
  EXPECT_EQ(post(body, signed_at(1760000000 + 301)).status, 401);  // a clock far ahead
  // The timestamp is signed: moving it into the window breaks the signature.
  std::string moved = http::sign_timestamped(*o.secret, body, 1760000000 - 301);
  moved.replace(2, 10, "1760000000");
  r = post(body, {{"X-Signature", moved}});
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(body_of(r)["error"].as_string().find("bad signature"), std::string::npos);
  EXPECT_EQ(dossiers(), 0);
  EXPECT_EQ(post(body, signed_at(1760000000 - 299)).status, 200);
  EXPECT_EQ(dossiers(), 1);
}

TEST_F(WebhookTest, OnlyTimestampedSignaturesWhenRequired) {
  WebhookOptions o;
  o.secret = "k";
  o.require_timestamp = true;
  o.signature_tolerance = std::chrono::seconds(60);
  start(o);
  const std::string body = envelope(dossier("A-1"));
  auto r = post(body, {{"X-Signature", sign_body(*o.secret, body)}});
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(body_of(r)["error"].as_string().find("timestamped"), std::string::npos);
  EXPECT_EQ(
      post(body, {{"X-Signature", http::sign_timestamped("k", body, 1760000000 - 61)}}).status,
      401);
  EXPECT_EQ(
      post(body, {{"X-Signature", http::sign_timestamped("k", body, 1760000000 - 59)}}).status,
      200);
}

TEST(Signature, TimestampedForm) {
  using http::SignatureCheck;
  const std::int64_t now = 1760000000;
  const auto check = [&](std::string_view header, std::string_view body = "body") {
    return http::check_signature("k", body, header, now, std::chrono::seconds(300));
  };
  const std::string sig = http::sign_timestamped("k", "body", now);
  EXPECT_EQ(sig.substr(0, 16), "t=1760000000,v1=");
  EXPECT_EQ(check(sig), SignatureCheck::Valid);
  EXPECT_EQ(check(sig, "body!"), SignatureCheck::Invalid);
  EXPECT_EQ(check(http::sign_timestamped("other", "body", now)), SignatureCheck::Invalid);
  EXPECT_EQ(check(http::sign_timestamped("k", "body", now - 300)), SignatureCheck::Valid);
  EXPECT_EQ(check(http::sign_timestamped("k", "body", now - 301)), SignatureCheck::OutOfWindow);
  // The digest is of "t.body": the plain digest under a timestamp is not it.
  EXPECT_EQ(check("t=1760000000,v1=" + sign_body("k", "body").substr(7)), SignatureCheck::Invalid);
  // A secret being rotated: two v1 values, either may match; unknown schemes are ignored.
  const std::string old_v1 = http::sign_timestamped("old", "body", now).substr(16);
  EXPECT_EQ(check("t=1760000000, v1=" + old_v1 + ", v0=zz, " + sig.substr(13)),
            SignatureCheck::Valid);
  EXPECT_EQ(check(sign_body("k", "body")), SignatureCheck::ValidPlain);
  for (const std::string& bad : std::vector<std::string>{
           "t=", "t=abc,v1=00", "t=1760000000", "t=1760000000,t=1760000000," + sig.substr(13),
           "t=-9223372036854775808," + sig.substr(13),
           "t=99999999999999999999," + sig.substr(13)}) {
    EXPECT_EQ(check(bad), SignatureCheck::Invalid) << bad;
  }
  EXPECT_EQ(
      check(
          "t=-9223372036854775808,v1=" +
          http::sign_timestamped("k", "body", std::numeric_limits<std::int64_t>::min()).substr(26)),
      SignatureCheck::OutOfWindow);
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

// A store that fails (a full disk) answers 500 with error_code "5" and Retry-After, logs once
// per streak, shows in the intake's health, and recovers by itself.
TEST_F(WebhookTest, AStoreFailureIsAnErrorLoggedOncePerStreakAndRecovers) {
  std::vector<std::string> errors, infos;
  ingest::IntakeOptions io;
  io.log = Log([&](LogLevel level, std::string_view m) {
    (level == LogLevel::error ? errors : infos).emplace_back(m);
  });
  start({}, io);
  ASSERT_EQ(
      test::sql_exec(dir.file("t.db"),
                     "CREATE TRIGGER boom BEFORE INSERT ON dossiers WHEN NEW.code LIKE 'BOOM%'"
                     " BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"),
      "");
  for (int i = 0; i < 5; ++i) {
    auto r = post(envelope(dossier("BOOM-" + std::to_string(i))));
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(body_of(r)["error_code"].as_string(), "5");
    EXPECT_EQ(body_of(r)["error"].as_string(), "the store cannot commit now");
    bool retry_after = false;
    for (const auto& [k, v] : r.headers) retry_after = retry_after || k == "retry-after";
    EXPECT_TRUE(retry_after);
  }
  EXPECT_TRUE(intake->health().failing);
  EXPECT_FALSE(intake->health().damaged);
  ASSERT_EQ(errors.size(), 1U);  // the first of the streak; the cause is there, not in answers
  EXPECT_NE(errors[0].find("disk on fire"), std::string::npos) << errors[0];
  auto r = post(envelope(dossier("FINE")));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(dossiers(), 1);
  EXPECT_FALSE(intake->health().failing);
  ASSERT_EQ(infos.size(), 1U);
  EXPECT_NE(infos[0].find("commits again after 5 failed batch(es)"), std::string::npos) << infos[0];
}

// A store known to be damaged takes nothing: not one record is acknowledged.
TEST_F(WebhookTest, ADamagedStoreAcknowledgesNothing) {
  start();
  intake->mark_damaged("database disk image is malformed");
  auto r = post(envelope(dossier("A-1")));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(body_of(r)["error_code"].as_string(), "5");
  EXPECT_EQ(body_of(r)["error"].as_string(), "the store is damaged; nothing is written");
  EXPECT_EQ(dossiers(), 0);
  EXPECT_TRUE(intake->health().damaged);
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
  EXPECT_EQ(body_of(busy)["error_code"].as_string(), "4");
  EXPECT_EQ(body_of(busy)["message"].as_string(), "Hệ thống đang bận, vui lòng gửi lại sau");
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

namespace tthc::api {
namespace {

// --- answers and payloads as the one-stop systems in use write them (issue 13) ----------------

TEST_F(WebhookTest, TakenRequestsAnswerErrorCodeZeroEvenWithRejectedRecords) {
  start();
  const std::string bad =
      R"({"MaHoSo":"A-2","MaTTHC":"1.004227","TrangThaiHoSo":4,"NgayTiepNhan":"2025-13-40"})";
  // A client retrying on a non-zero error_code stops: the bad record is listed, not refused.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto r = post(envelope(dossier("A-1") + "," + bad));
    ASSERT_EQ(r.status, 200) << r.body;
    auto b = body_of(r);
    EXPECT_EQ(b["error_code"].as_string(), "0");
    EXPECT_EQ(b["message"].as_string(), "Thành công");
    EXPECT_EQ(b["records"].to_number<std::uint64_t>(), 2U);
    EXPECT_EQ(b["accepted"].to_number<std::uint64_t>(), attempt == 0 ? 1U : 0U);
    EXPECT_EQ(b["unchanged"].to_number<std::uint64_t>(), attempt == 0 ? 0U : 1U);
    EXPECT_EQ(b["rejected"].to_number<std::uint64_t>(), 1U);
    EXPECT_EQ(b["statistics"].to_number<std::uint64_t>(), 0U);
    EXPECT_EQ(b["rejected_records"].as_array().size(), 1U);
  }
}

TEST_F(WebhookTest, TheSenderIsKeptWithTheBatchAndTheSessionIsNot) {
  start();
  ASSERT_EQ(post(R"({"session":"phiên-bí-mật","madonvi":"000.00.00.H42","service":"DongBoHoSoMC",)"
                 R"("isUpdating":"True","data":[)" +
                 dossier("A-1") + "]}")
                .status,
            200);
  ASSERT_EQ(post("[" + dossier("A-2") + "]").status, 200);
  const auto senders = test::sql_rows(dir.file("t.db"), "SELECT sender FROM batches ORDER BY id");
  const auto hits = test::sql_rows(
      dir.file("t.db"),
      "SELECT (SELECT count(*) FROM snapshots WHERE raw LIKE '%phiên%') +"
      " (SELECT count(*) FROM batches WHERE source LIKE '%phiên%' OR sender LIKE '%phiên%')");
  EXPECT_EQ(senders, (std::vector<std::vector<std::string>>{{"000.00.00.H42"}, {""}}));
  EXPECT_EQ(hits, (std::vector<std::vector<std::string>>{{"0"}}));
}

// Progress chunks before and after their dossier, as a bare array with ?service=.
TEST_F(WebhookTest, BareArraysAndProgressInChunksBeforeOrAfterTheDossier) {
  start();
  const auto entry = [](std::string_view at, int status) {
    return R"({"MaHoSo":"A-1","NguoiXuLy":"Lê C","ThoiDiemXuLy":")" + std::string(at) +
           R"(","PhongBanXuLy":"Một cửa","TrangThai":")" + std::to_string(status) + R"("})";
  };
  auto before = post("[" + entry("2026-03-02 09:30:00", 2) + "]", "?service=CapNhatTienDoHoSoMC");
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(body_of(before)["progress_added"].to_number<std::uint64_t>(), 1U);
  auto d = post("[" + dossier("A-1") + "]");  // a bare array: dossiers
  ASSERT_EQ(d.status, 200) << d.body;
  EXPECT_EQ(body_of(d)["new"].to_number<std::uint64_t>(), 1U);
  auto after = post("[" + entry("02/03/2026 10:00:00", 4) + "," + entry("20260302110000", 4) + "]",
                    "?service=CapNhatTienDoHoSoMC");
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(body_of(after)["progress_added"].to_number<std::uint64_t>(), 2U);
  // The same chunk again changes nothing.
  auto again = post("[" + entry("2026-03-02T10:00:00", 4) + "]", "?service=CapNhatTienDoHoSoMC");
  EXPECT_EQ(body_of(again)["progress_added"].to_number<std::uint64_t>(), 0U);
  auto tl = timeline("A-1");
  ASSERT_TRUE(tl);
  ASSERT_EQ(tl->progress.size(), 3U);
  EXPECT_EQ(tl->progress[0].at, make_moment(2026, 3, 2, 9, 30));
  EXPECT_EQ(tl->progress[2].at, make_moment(2026, 3, 2, 11));
}

// domain.md §8.1: retries that send a dossier's statuses out of order (1, 2, 1, 2) end with the
// newest state.
TEST_F(WebhookTest, OutOfOrderStatusesEndWithTheNewestState) {
  start();
  const std::string registered = R"({"MaHoSo":"A-1","MaTTHC":"1.004227","KenhThucHien":"2",)"
                                 R"("NgayNopHoSo":"2026-03-01 20:00:00","TrangThaiHoSo":"1"})";
  const std::string received = R"({"MaHoSo":"A-1","MaTTHC":"1.004227","KenhThucHien":"2",)"
                               R"("NgayNopHoSo":"2026-03-01 20:00:00",)"
                               R"("NgayTiepNhan":"2026-03-02 09:00:00","TrangThaiHoSo":"2"})";
  for (const std::string* record : {&registered, &received, &registered, &received}) {
    auto r = post(envelope(*record));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(body_of(r)["error_code"].as_string(), "0");
  }
  auto tl = timeline("A-1");
  ASSERT_TRUE(tl);
  EXPECT_EQ(tl->dossier.status, Status::Received);
  EXPECT_EQ(tl->dossier.received, make_moment(2026, 3, 2, 9));
}

// A status that is not a code is kept as unknown until a record with a known one arrives.
TEST_F(WebhookTest, UnknownStatusIsKeptUntilAKnownOneArrives) {
  start();
  auto r =
      post(envelope(R"({"MaHoSo":"A-1","MaTTHC":"1.004227","NgayTiepNhan":"2026-03-02 09:00:00",)"
                    R"("TrangThaiHoSo":"Đang xử lý"})"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(r)["accepted"].to_number<std::uint64_t>(), 1U);
  auto tl = timeline("A-1");
  ASSERT_TRUE(tl);
  EXPECT_EQ(tl->dossier.status, Status::Unknown);
  r = post(envelope(R"({"MaHoSo":"A-1","MaTTHC":"1.004227","NgayTiepNhan":"2026-03-02 09:00:00",)"
                    R"("NgayKetThucXuLy":"2026-03-03 10:00:00","TrangThaiHoSo":{"MaMuc":"9"}})"));
  ASSERT_EQ(r.status, 200) << r.body;
  tl = timeline("A-1");
  ASSERT_TRUE(tl);
  EXPECT_EQ(tl->dossier.status, Status::Finished);
}

TEST_F(WebhookTest, StatisticsAreRejectedWhenThisDaemonDoesNotKeepThem) {
  start();
  const std::string body =
      R"({"session":"s","madonvi":"000.00.00.H42","service":)"
      R"("DongBoThongKeHoSo","data":["x",{"Thang":"7","Nam":"2020","Madonvi":"000.00.12.H42"}]})";
  auto r = post(body);
  ASSERT_EQ(r.status, 200) << r.body;
  auto b = body_of(r);
  EXPECT_EQ(b["error_code"].as_string(), "0");
  EXPECT_EQ(b["records"].to_number<std::uint64_t>(), 2U);
  EXPECT_EQ(b["rejected"].to_number<std::uint64_t>(), 2U);
  EXPECT_EQ(b["accepted"].to_number<std::uint64_t>(), 0U);
  EXPECT_EQ(b["unchanged"].to_number<std::uint64_t>(), 0U);
  const auto& rej = b["rejected_records"].as_array();
  ASSERT_EQ(rej.size(), 2U);
  EXPECT_EQ(rej[0].at("index").to_number<std::uint64_t>(), 0U);
  EXPECT_EQ(rej[1].at("index").to_number<std::uint64_t>(), 1U);
  EXPECT_EQ(rej[1].at("reason").as_string(), "DongBoThongKeHoSo: not kept by this daemon");
}

TEST_F(WebhookTest, StatisticsGoToTheirKeeper) {
  WebhookOptions o;
  std::vector<ClaimedStats> seen;
  std::string seen_sender;
  bool fail = false;
  o.statistics = [&](std::vector<ClaimedStats> records, std::string sender) -> Result<std::size_t> {
    if (fail) return Error{"statistics table locked"};
    seen = std::move(records);
    seen_sender = std::move(sender);
    return seen.size() - 1;  // one of them already known
  };
  start(o);
  const std::string data =
      R"([{"Thang":"7","Nam":"2020","Madonvi":"000.00.12.H42","SoNhanTrongKy":"12"},)"
      R"({"Thang":"8","Nam":"2020","Madonvi":"000.00.12.H42","SoNhanTrongKy":"9"},)"
      R"({"Thang":"13","Nam":"2020","Madonvi":"000.00.12.H42"}])";
  auto r = post(R"({"session":"s","madonvi":"000.00.00.H42","service":"DongBoThongKeHoSo",)"
                R"("data":)" +
                data + "}");
  ASSERT_EQ(r.status, 200) << r.body;
  auto b = body_of(r);
  EXPECT_EQ(b["error_code"].as_string(), "0");
  EXPECT_EQ(b["statistics"].to_number<std::uint64_t>(), 1U);
  EXPECT_EQ(b["accepted"].to_number<std::uint64_t>(), 1U);
  EXPECT_EQ(b["unchanged"].to_number<std::uint64_t>(), 1U);
  // The third is no month: rejected by the parser, named, and never handed to the keeper.
  ASSERT_EQ(b["rejected_records"].as_array().size(), 1U);
  EXPECT_EQ(b["rejected_records"].as_array()[0].at("index").to_number<std::uint64_t>(), 2U);
  EXPECT_NE(
      std::string_view(b["rejected_records"].as_array()[0].at("reason").as_string()).find("Thang"),
      std::string_view::npos);
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[0].month, 7U);
  EXPECT_EQ(seen[0].unit, "000.00.12.H42");
  EXPECT_EQ(seen[0].figures.received, 12);
  EXPECT_EQ(seen_sender, "000.00.00.H42");
  auto bare = post(data, "?service=DongBoThongKeHoSo");
  ASSERT_EQ(bare.status, 200) << bare.body;
  EXPECT_EQ(seen_sender, "");
  fail = true;
  auto refused = post(data, "?service=DongBoThongKeHoSo");
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(body_of(refused)["error_code"].as_string(), "4");
  EXPECT_EQ(dossiers(), 0);
}

}  // namespace
}  // namespace tthc::api
