// The dispatcher against a local webhook receiver (a real HTTP server on loopback): batches,
// signatures, retries with backoff while the receiver is down, exactly one delivery after it
// comes back, dead letters, and no repeat after a restart.
#include "alerts/dispatcher.hpp"

#include "http/server.hpp"
#include "http/signature.hpp"
#include "support/moments.hpp"
#include "support/sql.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <atomic>
#include <mutex>
#include <type_traits>

namespace tthc::alerts {
namespace {

namespace json = boost::json;

using test::at;

Alert alert(const std::string& code, AlertKind kind = AlertKind::Overdue) {
  Alert a;
  a.kind = kind;
  a.dossier = code;
  a.procedure_code = "1.004227";
  a.unit = "000.00.12.H42";
  a.field = "KHCN";
  a.department = "Phòng A";
  a.base_due = at(2026, 3, 6, 9);
  a.effective_due = at(2026, 3, 6, 9);
  a.left = -std::chrono::hours{3};
  a.starts_at = at(2026, 3, 6, 9);
  a.observed = at(2026, 3, 6, 12);
  a.url = "http://127.0.0.1/api/v1/dossiers/" + code;
  return a;
}

Transition start(const std::string& code) {
  return {Transition::Type::Start, alert(code), at(2026, 3, 6, 12), {}};
}
Transition end(const std::string& code) {
  return {Transition::Type::End, alert(code), at(2026, 3, 6, 15), {}};
}

// A webhook receiver that can answer 503 on demand; records each body it accepts.
class Receiver {
 public:
  Receiver() { start(); }
  void start() {
    http::Router router;
    router.add("POST", "/hook", [this](const http::Request& req) {
      http::Response r;
      if (failing) {
        r.status = 503;
        return r;
      }
      std::lock_guard lock(m);
      bodies.push_back(req.body);
      signatures.push_back(std::string(req.header("x-signature").value_or("")));
      return r;
    });
    server = std::make_unique<http::Server>(http::ServerOptions{}, std::move(router));
    this->port = server->start().value();
  }
  void stop() { server->stop(std::chrono::seconds(1)); }
  std::size_t events() {
    std::lock_guard lock(m);
    std::size_t n = 0;
    for (const std::string& b : bodies) n += json::parse(b).at("alerts").as_array().size();
    return n;
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/hook"; }

  std::mutex m;
  std::vector<std::string> bodies, signatures;
  std::atomic<bool> failing{false};
  std::uint16_t port = 0;
  std::unique_ptr<http::Server> server;
};

class DispatcherTest : public ::testing::Test {
 protected:
  std::unique_ptr<Dispatcher> open(int max_attempts = 10,
                                   Duration day_length = std::chrono::hours{8}) {
    DispatcherOptions o;
    o.day_length = day_length;
    o.state_db = dir_.file("alerts.db");
    o.store_db = dir_.file("none.db");
    o.webhooks.push_back({receiver_.url(), std::string("s3cret"), "X-Signature", max_attempts});
    o.backoff_initial = std::chrono::milliseconds(1);  // due again at the next second
    return Dispatcher::open(o, clock_).value();
  }
  // Runs rounds until `done` or a bound, the clock a second on each time (retries wait for the
  // next second).
  template <class F>
  void rounds_until(Dispatcher& d, F done) {
    for (int i = 0; i < 60 && !done(); ++i) {
      d.run_once();
      clock_.advance(std::chrono::seconds(1));
    }
  }
  std::int64_t count(const std::string& table) {
    return test::row_count(dir_.file("alerts.db"), table);
  }

  test::TempDir dir_;
  ManualClock clock_{ManualClock::WallTime{std::chrono::seconds{to_unix(at(2026, 3, 6, 12))}}};
  Receiver receiver_;
};

TEST_F(DispatcherTest, AThousandStartsAreTwoSignedRequestsNotAStorm) {
  auto d = open();
  std::vector<Transition> batch;
  for (int i = 0; i < 1000; ++i) batch.push_back(start("A-" + std::to_string(i)));
  d->submit(std::move(batch));
  d->run_once();
  ASSERT_EQ(receiver_.bodies.size(), 2U);  // at most 500 alerts a request
  EXPECT_EQ(receiver_.events(), 1000U);
  EXPECT_TRUE(http::signature_matches("s3cret", receiver_.bodies[0], receiver_.signatures[0]));
  const json::object first = json::parse(receiver_.bodies[0]).at("alerts").at(0).as_object();
  EXPECT_EQ(first.at("status").as_string(), "firing");
  EXPECT_EQ(first.at("kind").as_string(), "overdue");
  EXPECT_EQ(first.at("severity").as_string(), "critical");
  EXPECT_EQ(first.at("effective_due").as_string(), "2026-03-06T09:00:00+07:00");
  EXPECT_EQ(first.at("working_seconds_left").as_int64(), -3 * 3600);
  EXPECT_EQ(d->stats().active, 1000U);
  EXPECT_EQ(d->stats().outbox, 0U);
}

TEST_F(DispatcherTest, ADownReceiverGetsEachEventOnceWhenItComesBack) {
  auto d = open();
  receiver_.failing = true;
  d->submit({start("A-1"), start("A-2")});
  d->run_once();
  EXPECT_EQ(d->stats().outbox, 2U);  // kept, to retry
  d->submit({end("A-1")});
  d->run_once();
  receiver_.failing = false;
  rounds_until(*d, [&] { return receiver_.events() == 3; });
  EXPECT_EQ(receiver_.events(), 3U);
  EXPECT_EQ(d->stats().outbox, 0U);
  // Further rounds send nothing again.
  d->run_once();
  EXPECT_EQ(receiver_.events(), 3U);
  const json::array all = json::parse(receiver_.bodies.back()).at("alerts").as_array();
  EXPECT_EQ(all.back().at("status").as_string(), "resolved");
  EXPECT_EQ(all.back().at("ends_at").as_string(), "2026-03-06T15:00:00+07:00");
}

TEST_F(DispatcherTest, AReceiverGoneForGoodEndsInTheDeadLetterTable) {
  auto d = open(2);
  receiver_.stop();  // nobody listens
  d->submit({start("A-1")});
  rounds_until(*d, [&] { return d->stats().dead_letters == 1; });
  EXPECT_EQ(d->stats().dead_letters, 1U);
  EXPECT_EQ(d->stats().outbox, 0U);
  EXPECT_EQ(count("dead_letters"), 1);
}

TEST_F(DispatcherTest, ARestartSendsNothingTwiceAndEndsWhatEndedMeanwhile) {
  {
    auto d = open();
    d->submit({start("A-1"), start("A-2")});
    d->run_once();
  }
  ASSERT_EQ(receiver_.events(), 2U);
  ASSERT_EQ(count("alerts WHERE ended IS NULL"), 2);
  auto d = open();
  EXPECT_EQ(d->stats().active, 2U);  // read back from the state file
  // The live state loads again: A-1 is still overdue, A-2 ended while we were down.
  Transition reconcile;
  reconcile.type = Transition::Type::Reconcile;
  reconcile.at = at(2026, 3, 7, 8);
  reconcile.active = {alert("A-1").key()};
  d->submit({start("A-1"), reconcile});
  d->run_once();
  ASSERT_EQ(receiver_.events(), 3U);  // only A-2's end
  const json::object last = json::parse(receiver_.bodies.back()).at("alerts").at(0).as_object();
  EXPECT_EQ(last.at("dossier").as_string(), "A-2");
  EXPECT_EQ(last.at("status").as_string(), "resolved");
  EXPECT_EQ(d->stats().active, 1U);
}

TEST_F(DispatcherTest, WorkingTimeLeftIsWrittenOnTheCalendarsWorkingDay) {
  auto d = open(10, std::chrono::hours{7});  // sessions of 7 working hours a day
  Transition t = start("A-1");
  t.alert.left = -std::chrono::hours{10};
  d->submit({t});
  d->run_once();
  ASSERT_EQ(receiver_.bodies.size(), 1U);
  const json::object e = json::parse(receiver_.bodies[0]).at("alerts").at(0).as_object();
  EXPECT_EQ(e.at("left").as_string(),
            format_working(-std::chrono::hours{10}, std::chrono::hours{7}));
  EXPECT_NE(e.at("left").as_string(),
            format_working(-std::chrono::hours{10}, std::chrono::hours{8}));
}

TEST_F(DispatcherTest, AClockIsRequired) {
  // The clock is an argument of open(): a dispatcher without one does not compile.
  static_assert(!std::is_invocable_v<decltype(&Dispatcher::open), DispatcherOptions>);
  static_assert(std::is_invocable_v<decltype(&Dispatcher::open), DispatcherOptions, const Clock&>);
}

}  // namespace
}  // namespace tthc::alerts
