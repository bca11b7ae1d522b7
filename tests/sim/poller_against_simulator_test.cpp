// The poller against the simulator's poll API as simulated days pass: what it stores must equal
// what importing the same deliveries directly stores — every dossier, its freshest status, its
// progress entries — with paging, a bearer token and progress from the second URL.
#include "ingest/poller.hpp"
#include "sim/poll_server.hpp"
#include "store/store.hpp"
#include "support/calendar.hpp"
#include "support/catalogue.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <map>

namespace tthc::sim {
namespace {

TEST(PollerAgainstSimulator, StoresWhatADirectImportStores) {
  const engine::Catalogue& catalogue = test::sample_catalogue();
  ProvinceOptions po;
  po.seed = 11;
  po.dossiers_per_working_day = 30;
  const Province province(test::official_calendar(), catalogue, po);
  const Moment from = make_moment(2025, 3, 3);
  const Moment to = make_moment(2025, 3, 15);
  PollServerOptions so;
  so.token = "tok";
  so.embed_progress = false;
  PollServer server(DeliveryStream(province, from, to), so);
  const auto port = server.start().value();

  test::TempDir dir;
  ingest::Intake polled(
      store::Writer::open(store::Options{dir.file("polled.db"), false, 5000}).value());
  ingest::PollerOptions o;
  o.url = "http://127.0.0.1:" + std::to_string(port) + "/api/dossiers";
  o.progress_url = "http://127.0.0.1:" + std::to_string(port) + "/api/dossiers/{code}/progress";
  o.page_size = 50;
  o.max_pages_per_cycle = 3;  // cycles end mid-stream and the next resumes from the cursor
  o.auth = ingest::PollerOptions::Auth::Bearer;
  o.secret = "tok";
  ingest::Poller poller(o, polled, dir.file("polled.db"), tthc::system_clock());

  // The same deliveries applied in order, straight from the records.
  auto direct = store::Writer::open(store::Options{dir.file("direct.db"), false, 5000}).value();
  std::size_t line = 0;
  for (Moment now = from; now <= to + std::chrono::days{40}; now += std::chrono::hours{12}) {
    for (const ScheduledDelivery& d : server.advance_to(now)) {
      auto batch = ingest::parse_line(d.render().record_json, ++line);
      ASSERT_TRUE(batch);
      ASSERT_TRUE(
          direct.apply(batch->dossiers, batch->progress, store::BatchInfo{"direct", 1, {}, 0}));
    }
    for (int cycle = 0; cycle < 20; ++cycle) {
      const auto r = poller.run_cycle();
      ASSERT_TRUE(r.ok) << r.error;
      if (r.pages < o.max_pages_per_cycle) break;
    }
  }
  auto a = store::Reader::open(dir.file("polled.db")).value();
  auto b = store::Reader::open(dir.file("direct.db")).value();
  const auto ta = a.totals().value();
  const auto tb = b.totals().value();
  EXPECT_GT(tb.dossiers, 200);
  EXPECT_EQ(ta.dossiers, tb.dossiers);
  EXPECT_EQ(ta.progress, tb.progress);
  // Every dossier ends with the same fields and timeline whichever way it came.
  const auto cursor = a.cursor("poll:onestop").value();
  ASSERT_TRUE(cursor);
  EXPECT_EQ(std::stoull(*cursor), server.changes());
  int compared = 0;
  DeliveryStream codes(province, from, to);
  std::map<std::string, int> seen;
  codes.advance(to + std::chrono::days{40}, [&](const ScheduledDelivery& d) {
    if (!d.bad()) seen[d.code()] = 1;
  });
  for (const auto& [code, unused] : seen) {
    auto x = a.timeline(code).value();
    auto y = b.timeline(code).value();
    ASSERT_TRUE(x && y) << code;
    EXPECT_EQ(x->dossier.status, y->dossier.status) << code;
    EXPECT_EQ(x->dossier.processing_end, y->dossier.processing_end) << code;
    EXPECT_EQ(x->due_history, y->due_history) << code;
    EXPECT_EQ(x->progress.size(), y->progress.size()) << code;
    ++compared;
  }
  EXPECT_EQ(compared, tb.dossiers);
  server.stop();
}

}  // namespace
}  // namespace tthc::sim
