// The work list's query checked at the boundary, without a server: a bad parameter's error
// names the parameter and quotes its value.
#include "api/dossier_api.hpp"

#include <gtest/gtest.h>

namespace tthc::api {
namespace {

constexpr Duration kDay = std::chrono::hours(8);

http::Request with_query(std::string query) {
  http::Request r;
  r.method = "GET";
  r.path = "/api/v1/dossiers";
  r.query = std::move(query);
  r.target = r.path + "?" + r.query;
  return r;
}

TEST(WorkListQuery, DefaultsWithoutParameters) {
  auto q = parse_work_list_query(with_query(""), kDay);
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_FALSE(q->filter.state);
  EXPECT_FALSE(q->filter.at_risk_only);
  EXPECT_FALSE(q->filter.within);
  EXPECT_EQ(q->offset, 0U);
  EXPECT_EQ(q->limit, 100U);
}

TEST(WorkListQuery, ReadsEveryParameter) {
  auto q = parse_work_list_query(
      with_query("state=due_soon&unit=000.00.12.H42&field=G01&department=Ph%C3%B2ng+A&within=1.5"
                 "&offset=20&limit=10"),
      kDay);
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->filter.state, engine::PendingState::DueSoon);
  EXPECT_FALSE(q->filter.at_risk_only);
  EXPECT_EQ(q->filter.unit, "000.00.12.H42");
  EXPECT_EQ(q->filter.field, "G01");
  EXPECT_EQ(q->filter.department, "Phòng A");
  EXPECT_EQ(q->filter.within, Duration{std::chrono::hours(12)});
  EXPECT_EQ(q->offset, 20U);
  EXPECT_EQ(q->limit, 10U);
}

std::string error_of(std::string query) {
  auto q = parse_work_list_query(with_query(std::move(query)), kDay);
  return q ? std::string("(accepted)") : q.error().message;
}

TEST(WorkListQuery, ABadParameterIsNamedWithItsValue) {
  EXPECT_EQ(error_of("state=late"),
            "state: expected in_time, due_soon, paused, overdue or at_risk: \"late\"");
  EXPECT_EQ(error_of("within=0"),
            "within: expected working days (a number above 0, e.g. 1, 2, 3): \"0\"");
  EXPECT_EQ(error_of("within=1001"),
            "within: expected working days (a number above 0, e.g. 1, 2, 3): \"1001\"");
  EXPECT_EQ(error_of("within=2d"),
            "within: expected working days (a number above 0, e.g. 1, 2, 3): \"2d\"");
  EXPECT_EQ(error_of("offset=-1"), "offset: not an integer from 0 to 100000000: \"-1\"");
  EXPECT_EQ(error_of("limit=1001"), "limit: not an integer from 0 to 1000: \"1001\"");
  EXPECT_EQ(error_of("limit="), "limit: not an integer from 0 to 1000: \"\"");
}

TEST(WorkListQuery, StatesAreParsedOnceByTheirOwnNames) {
  for (const auto s : {engine::PendingState::InTime, engine::PendingState::DueSoon,
                       engine::PendingState::Paused, engine::PendingState::Overdue}) {
    auto q = parse_work_list_query(with_query("state=" + std::string(engine::to_string(s))), kDay);
    ASSERT_TRUE(q) << q.error().message;
    EXPECT_EQ(q->filter.state, s);
  }
  auto q = parse_work_list_query(with_query("state=at_risk"), kDay);
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_FALSE(q->filter.state);
  EXPECT_TRUE(q->filter.at_risk_only);
}

TEST(WorkListQuery, TheFirstBadParameterInOrderIsReported) {
  EXPECT_EQ(error_of("limit=x&state=nope").substr(0, 6), "state:");
}

}  // namespace
}  // namespace tthc::api
