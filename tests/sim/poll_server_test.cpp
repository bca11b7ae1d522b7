// The simulator's poll API over real HTTP on 127.0.0.1, port 0, with simulated time driven by
// the test (advance_to): paging, visibility, the progress URL, errors and the bearer token.
#include "sim/poll_server.hpp"

#include "http/client.hpp"
#include "support/calendar.hpp"
#include "support/catalogue.hpp"
#include "support/moments.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace tthc::sim {
namespace {

namespace json = boost::json;

using test::at;
using test::sample_catalogue;

class PollServerTest : public ::testing::Test {
 protected:
  PollServerTest() {
    options.dossiers_per_working_day = 40;
    options.bad_record_share = 0.05;  // plenty of bad records, invalid UTF-8 among them
  }

  void start(const PollServerOptions& server_options = {}) {
    province = std::make_unique<Province>(test::official_calendar(), sample_catalogue(), options);
    server = std::make_unique<PollServer>(DeliveryStream(*province, from, to), server_options);
    auto port = server->start();
    ASSERT_TRUE(port) << port.error().message;
    embed = server_options.embed_progress;
  }

  /// What a poll should see at `now`, computed by a stream of its own: the records of every
  /// delivery at or before `now`, in order, without the invalid UTF-8 ones.
  std::vector<ScheduledDelivery> visible_at(Moment now) const {
    DeliveryStream stream(*province, from, to);
    std::vector<ScheduledDelivery> out;
    stream.advance(now, [&](const ScheduledDelivery& d) {
      if (d.defect() != Defect::InvalidUtf8) out.push_back(d);
    });
    return out;
  }

  http::Response get(const std::string& target, std::optional<std::string> token = std::nullopt) {
    http::ClientRequest req;
    req.target = target;
    if (token) req.headers.emplace_back("Authorization", "Bearer " + *token);
    auto r = http::request("127.0.0.1", server->port(), req);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : http::Response{};
  }

  struct Page {
    std::vector<std::string> records;  // each record's JSON, as served
    std::string next;
    bool has_more = false;
  };
  Page poll(const std::string& since, std::size_t limit) {
    std::string target = "/api/dossiers?limit=" + std::to_string(limit);
    if (!since.empty()) target += "&since=" + since;
    const auto r = get(target);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    Page page;
    boost::system::error_code ec;
    const json::value v = json::parse(r.body, ec);  // strict UTF-8: one document per page
    EXPECT_FALSE(ec) << ec.message() << ": " << r.body.substr(0, 200);
    if (ec) return page;
    for (const auto& item : v.at("data").as_array()) page.records.push_back(json::serialize(item));
    page.next = std::string(v.at("next").as_string());
    page.has_more = v.at("has_more").as_bool();
    return page;
  }
  std::string expected(const ScheduledDelivery& d) const {
    std::string record;
    d.append_record(record, embed);
    return json::serialize(json::parse(record));  // the same serialisation as the page's items
  }

  ProvinceOptions options;
  Moment from = at(2025, 3, 3);
  Moment to = at(2025, 3, 8);
  std::unique_ptr<Province> province;
  std::unique_ptr<PollServer> server;
  bool embed = true;
};

TEST_F(PollServerTest, PagingReturnsEveryVisibleChangeOnceInOrder) {
  start();
  EXPECT_FALSE(server->now());
  // Before any time has passed, nothing.
  Page empty = poll("", 10);
  EXPECT_TRUE(empty.records.empty());
  EXPECT_EQ(empty.next, "");
  EXPECT_FALSE(empty.has_more);

  std::string cursor;
  std::vector<std::string> seen;
  for (const Moment now :
       {at(2025, 3, 4, 10), at(2025, 3, 4, 10), at(2025, 3, 5, 16, 30), at(2025, 3, 12, 9)}) {
    server->advance_to(now);
    EXPECT_EQ(server->now(), now);
    const auto want = visible_at(now);
    ASSERT_EQ(server->changes(), want.size());
    // Page through from the cursor, 37 at a time.
    for (int guard = 0; guard < 1000; ++guard) {
      const Page page = poll(cursor, 37);
      EXPECT_LE(page.records.size(), 37U);
      for (auto& r : page.records) seen.push_back(r);
      if (page.records.empty()) {
        EXPECT_EQ(page.next, cursor);  // nothing new: the cursor stays
      } else {
        EXPECT_EQ(page.next, std::to_string(seen.size()));
      }
      cursor = page.next;
      if (!page.has_more) break;
    }
    ASSERT_EQ(seen.size(), want.size()) << format_iso(now);
    for (std::size_t i = 0; i < want.size(); ++i) ASSERT_EQ(seen[i], expected(want[i])) << i;
  }
  EXPECT_GT(seen.size(), 500U);
}

TEST_F(PollServerTest, NothingAfterTheSimulatedNowIsVisibleAndTimeNeverGoesBack) {
  start();
  server->advance_to(at(2025, 3, 4, 9));
  const std::uint64_t early = server->changes();
  EXPECT_EQ(early, visible_at(at(2025, 3, 4, 9)).size());
  EXPECT_LT(early, visible_at(at(2025, 3, 4, 9, 30)).size());
  const Page all = poll("", 1000);
  EXPECT_EQ(all.records.size(), early);
  EXPECT_FALSE(all.has_more);
  // Back in time: nothing changes.
  EXPECT_TRUE(server->advance_to(at(2025, 3, 3, 9)).empty());
  EXPECT_EQ(server->now(), at(2025, 3, 4, 9));
  EXPECT_EQ(server->changes(), early);
  // Forward: the newly visible deliveries are returned, for pushing.
  const auto fresh = server->advance_to(at(2025, 3, 4, 9, 30));
  EXPECT_FALSE(fresh.empty());
  for (const auto& d : fresh) {
    EXPECT_GT(d.at(), at(2025, 3, 4, 9));
    EXPECT_LE(d.at(), at(2025, 3, 4, 9, 30));
  }
}

TEST_F(PollServerTest, ProgressOfADossierIsItsFreshestSnapshotsEntries) {
  start();
  const Moment now = at(2025, 3, 6, 15);
  server->advance_to(now);
  std::map<std::string, ScheduledDelivery> freshest;
  for (const auto& d : visible_at(now)) {
    if (d.bad()) continue;
    auto [it, inserted] = freshest.try_emplace(d.code(), d);
    if (!inserted && it->second.revision() < d.revision()) it->second = d;
  }
  ASSERT_FALSE(freshest.empty());
  std::size_t checked = 0;
  for (const auto& [code, d] : freshest) {
    if (++checked > 20) break;
    const auto r = get("/api/dossiers/" + code + "/progress");
    ASSERT_EQ(r.status, 200) << r.body;
    std::string want = "{\"data\":";
    d.append_progress(want);
    want += '}';
    EXPECT_EQ(r.body, want);
    const json::value v = json::parse(r.body);
    for (const auto& e : v.at("data").as_array()) {
      EXPECT_EQ(e.at("MaHoSo").as_string(), code);
    }
  }
  const auto missing = get("/api/dossiers/000.00.12.H42-250303-9999/progress");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("\"error\""), std::string::npos);
}

TEST_F(PollServerTest, WithoutEmbeddedProgressTheRecordsLeaveItOut) {
  PollServerOptions o;
  o.embed_progress = false;
  start(o);
  server->advance_to(at(2025, 3, 5, 12));
  const Page page = poll("", 200);
  ASSERT_FALSE(page.records.empty());
  for (const auto& r : page.records) EXPECT_EQ(r.find("QuaTrinhXuLy"), std::string::npos);
  const std::string code(json::parse(page.records.back()).at("MaHoSo").as_string());
  const auto progress = get("/api/dossiers/" + code + "/progress");
  EXPECT_EQ(progress.status, 200);
  EXPECT_NE(progress.body.find("ThoiDiemXuLy"), std::string::npos);
}

TEST_F(PollServerTest, BadLimitsAndCursorsAre400) {
  start();
  server->advance_to(at(2025, 3, 5, 12));
  for (const char* target :
       {"/api/dossiers?limit=0", "/api/dossiers?limit=-1", "/api/dossiers?limit=abc",
        "/api/dossiers?limit=", "/api/dossiers?limit=1.5", "/api/dossiers?since=abc",
        "/api/dossiers?since=-3"}) {
    const auto r = get(target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_TRUE(json::parse(r.body).as_object().contains("error")) << r.body;
  }
  // Above the maximum: lowered to 1000.
  const Page big = poll("", 5000);
  EXPECT_EQ(big.records.size(), std::min<std::size_t>(1000, server->changes()));
  // The default: 100.
  const auto r = get("/api/dossiers");
  EXPECT_EQ(json::parse(r.body).at("data").as_array().size(),
            std::min<std::size_t>(100, server->changes()));
  // A cursor past the end: nothing, and the cursor stays.
  const Page past = poll("999999", 10);
  EXPECT_TRUE(past.records.empty());
  EXPECT_EQ(past.next, "999999");
}

TEST_F(PollServerTest, ABearerTokenIsRequiredWhenSet) {
  PollServerOptions o;
  o.token = "s3cret-token";
  start(o);
  server->advance_to(at(2025, 3, 5, 12));
  for (const char* target : {"/api/dossiers", "/api/dossiers/000.00.12.H42-250303-0001/progress"}) {
    const auto none = get(target);
    EXPECT_EQ(none.status, 401) << target;
    bool challenge = false;
    for (const auto& [k, v] : none.headers) challenge |= k == "www-authenticate" && v == "Bearer";
    EXPECT_TRUE(challenge);
    EXPECT_EQ(get(target, "wrong").status, 401);
    EXPECT_EQ(get(target, "s3cret-token-and-more").status, 401);
  }
  EXPECT_EQ(get("/api/dossiers", "s3cret-token").status, 200);
}

TEST_F(PollServerTest, InvalidUtf8IsLeftOutOfPagesUnlessAskedFor) {
  options.bad_record_share = 0.3;
  PollServerOptions o;
  o.serve_invalid_utf8 = true;
  start(o);
  const Moment now = at(2025, 3, 7, 12);
  const auto fresh = server->advance_to(now);
  std::size_t invalid = 0;
  for (const auto& d : fresh) {
    if (d.defect() == Defect::InvalidUtf8) ++invalid;
  }
  ASSERT_GT(invalid, 0U);
  EXPECT_EQ(server->changes(), fresh.size());  // all of them, this time
}

}  // namespace
}  // namespace tthc::sim
