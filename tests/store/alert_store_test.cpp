// The alert state's store on a temp file: a change and its webhook events land together or not
// at all, a failing sink's events move to the dead letters after their attempts, and the rows
// are the ones the dispatcher has always written.
#include "store/alert_store.hpp"

#include "support/sql.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace tthc::store {
namespace {

AlertChange upsert(const std::string& key, std::optional<std::string> event) {
  return {AlertChange::Type::Upsert,
          key,
          "A-1",
          "overdue",
          R"({"dossier":"A-1"})",
          "2026-03-06T09:00:00+07:00",
          std::move(event)};
}

TEST(AlertStore, AChangeAndItsEventsLandTogether) {
  test::TempDir dir;
  const auto file = dir.file("state/alerts.db");  // the folder is made
  auto s = AlertStore::open(file);
  ASSERT_TRUE(s) << s.error().message;
  const std::vector<std::string> sinks{"http://a/hook", "http://b/hook"};
  ASSERT_FALSE(s->apply({upsert("A-1|overdue", R"({"status":"firing"})")}, sinks));
  EXPECT_EQ(s->active_payloads().value(), std::vector<std::string>{R"({"dossier":"A-1"})"});
  EXPECT_EQ(s->counts().outbox, 2U);  // one per sink

  AlertChange end{AlertChange::Type::End,      "A-1|overdue", {}, {}, {},
                  "2026-03-06T15:00:00+07:00", std::nullopt};
  ASSERT_FALSE(s->apply({end}, sinks));
  EXPECT_TRUE(s->active_payloads().value().empty());
  EXPECT_EQ(test::sql_rows(file, "SELECT key, started, ended FROM alerts"),
            (std::vector<std::vector<std::string>>{
                {"A-1|overdue", "2026-03-06T09:00:00+07:00", "2026-03-06T15:00:00+07:00"}}));

  // A failure inside the transaction (a trigger here) leaves nothing of the change behind.
  ASSERT_EQ(test::sql_exec(file,
                           "CREATE TRIGGER boom BEFORE INSERT ON outbox"
                           " BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"),
            "");
  const auto e = s->apply({upsert("A-2|overdue", R"({"status":"firing"})")}, sinks);
  ASSERT_TRUE(e);
  EXPECT_NE(e->message.find("storing alert state: "), std::string::npos) << e->message;
  EXPECT_EQ(test::sql_rows(file, "SELECT count(*) FROM alerts WHERE key='A-2|overdue'"),
            (std::vector<std::vector<std::string>>{{"0"}}));
}

TEST(AlertStore, EventsOutOfAttemptsAreDeadLettered) {
  test::TempDir dir;
  auto s = AlertStore::open(dir.file("alerts.db")).value();
  const std::vector<std::string> sinks{"http://a/hook"};
  ASSERT_FALSE(s.apply({upsert("A-1|overdue", "{}"), upsert("A-2|overdue", "{}")}, sinks));
  auto due = s.due("http://a/hook", 100, 500).value();
  ASSERT_EQ(due.ids.size(), 2U);
  EXPECT_EQ(due.attempts, 0);
  EXPECT_EQ(s.failed("http://a/hook", due.ids, 200, "HTTP 503", 100, 2).value(), 0U);
  EXPECT_TRUE(s.due("http://a/hook", 199, 500).value().ids.empty());  // not before its time
  due = s.due("http://a/hook", 200, 1).value();
  ASSERT_EQ(due.ids.size(), 1U);  // the limit holds
  EXPECT_EQ(due.attempts, 1);
  EXPECT_EQ(s.failed("http://a/hook", due.ids, 300, "HTTP 503", 200, 2).value(), 1U);
  EXPECT_EQ(s.counts().outbox, 1U);
  EXPECT_EQ(s.counts().dead_letters, 1U);
  due = s.due("http://a/hook", 200, 500).value();
  ASSERT_FALSE(s.delivered(due.ids));
  EXPECT_EQ(s.counts().outbox, 0U);
}

}  // namespace
}  // namespace tthc::store
