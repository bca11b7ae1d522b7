#include "domain/status.hpp"

#include "domain/dossier.hpp"
#include "domain/time.hpp"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

using tthc::Channel;
using tthc::Dossier;
using tthc::make_moment;
using tthc::ProgressEntry;
using tthc::Status;

// domain.md §2, the status table, written out independently of the code.
struct StatusRow {
  int code;
  std::string_view name_vi;
  bool end;      // "end"
  bool pause;    // "paused"
  bool counted;  // everything but "no clock" (1) and "never counted" (3)
};

constexpr std::array<StatusRow, 10> kStatusTable = {{
    {1, "Mới đăng ký", false, false, false},
    {2, "Được tiếp nhận", false, false, true},
    {3, "Không được tiếp nhận", false, false, false},
    {4, "Đang xử lý", false, false, true},
    {5, "Yêu cầu bổ sung giấy tờ", false, true, true},
    {6, "Yêu cầu thực hiện nghĩa vụ tài chính", false, true, true},
    {7, "Công dân yêu cầu rút hồ sơ", true, false, true},
    {8, "Dừng xử lý", true, false, true},
    {9, "Đã xử lý xong", true, false, true},
    {10, "Đã trả kết quả", true, false, true},
}};

TEST(Status, EveryCodeOfTheTable) {
  std::set<std::string_view> keys;
  for (const StatusRow& row : kStatusTable) {
    SCOPED_TRACE(row.code);
    const auto s = tthc::status_from_code(row.code);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(tthc::status_code(*s), row.code);
    EXPECT_EQ(tthc::status_name_vi(*s), row.name_vi);
    EXPECT_EQ(tthc::is_end_status(*s), row.end);
    EXPECT_EQ(tthc::is_pause_status(*s), row.pause);
    EXPECT_EQ(tthc::is_counted_status(*s), row.counted);
    const std::string_view key = tthc::status_key(*s);
    EXPECT_FALSE(key.empty());
    EXPECT_NE(key, "unknown");
    EXPECT_EQ(key.find(' '), std::string_view::npos) << key;
    keys.insert(key);
  }
  EXPECT_EQ(keys.size(), kStatusTable.size()) << "status keys must be distinct";
}

TEST(Status, StableKeys) {
  EXPECT_EQ(tthc::status_key(Status::Registered), "registered");
  EXPECT_EQ(tthc::status_key(Status::InProcess), "in_process");
  EXPECT_EQ(tthc::status_key(Status::AwaitingSupplement), "awaiting_supplement");
  EXPECT_EQ(tthc::status_key(Status::AwaitingPayment), "awaiting_payment");
  EXPECT_EQ(tthc::status_key(Status::Returned), "returned");
}

TEST(Status, EnumeratorsCarryTheSourceCodes) {
  EXPECT_EQ(tthc::status_code(Status::Registered), 1);
  EXPECT_EQ(tthc::status_code(Status::Received), 2);
  EXPECT_EQ(tthc::status_code(Status::Refused), 3);
  EXPECT_EQ(tthc::status_code(Status::InProcess), 4);
  EXPECT_EQ(tthc::status_code(Status::AwaitingSupplement), 5);
  EXPECT_EQ(tthc::status_code(Status::AwaitingPayment), 6);
  EXPECT_EQ(tthc::status_code(Status::Withdrawn), 7);
  EXPECT_EQ(tthc::status_code(Status::Stopped), 8);
  EXPECT_EQ(tthc::status_code(Status::Finished), 9);
  EXPECT_EQ(tthc::status_code(Status::Returned), 10);
}

TEST(Status, OutOfRangeCodesAreRejected) {
  for (long long code : {0LL, 11LL, -1LL, 12LL, 100LL, 256LL, 257LL, -256LL, 1LL << 40}) {
    SCOPED_TRACE(code);
    EXPECT_FALSE(tthc::status_from_code(code).has_value());
  }
}

TEST(Channel, CodesOneToThree) {
  ASSERT_TRUE(tthc::channel_from_code(1).has_value());
  ASSERT_TRUE(tthc::channel_from_code(2).has_value());
  ASSERT_TRUE(tthc::channel_from_code(3).has_value());
  EXPECT_EQ(*tthc::channel_from_code(1), Channel::InPerson);
  EXPECT_EQ(*tthc::channel_from_code(2), Channel::Online);
  EXPECT_EQ(*tthc::channel_from_code(3), Channel::Postal);
  EXPECT_EQ(tthc::channel_key(Channel::InPerson), "in_person");
  EXPECT_EQ(tthc::channel_key(Channel::Online), "online");
  EXPECT_EQ(tthc::channel_key(Channel::Postal), "postal");
}

TEST(Channel, OutOfRangeCodesAreRejected) {
  for (long long code : {0LL, 4LL, -1LL, 258LL, 1LL << 33}) {
    SCOPED_TRACE(code);
    EXPECT_FALSE(tthc::channel_from_code(code).has_value());
  }
}

TEST(Dossier, MissingChannelMeansInPerson) {
  const Dossier d;
  EXPECT_EQ(d.channel, Channel::InPerson);
}

TEST(Dossier, UnitCodeIsThePrefixBeforeTheFirstDash) {
  Dossier d;
  d.code = "000.00.12.H42-250715-0001";
  EXPECT_EQ(d.unit_code(), "000.00.12.H42");
  d.code = "G22.45-260101-0042";
  EXPECT_EQ(d.unit_code(), "G22.45");
  d.code = "000.00.12.H42";  // no dash: no unit (not the whole code)
  EXPECT_EQ(d.unit_code(), "");
  d.code = "-250715-0001";
  EXPECT_EQ(d.unit_code(), "");
  d.code = "";
  EXPECT_EQ(d.unit_code(), "");
}

ProgressEntry entry(int day, int hour, Status s, std::string department, std::string handler) {
  ProgressEntry e;
  e.at = make_moment(2026, 4, static_cast<unsigned>(day), hour);
  e.status = s;
  e.department = std::move(department);
  e.handler = std::move(handler);
  return e;
}

TEST(Progress, SameKeyIgnoresEverythingButTimeStatusAndDepartment) {
  ProgressEntry a = entry(24, 9, Status::InProcess, "Phòng Quản lý chuyên ngành", "Nguyễn Văn A");
  ProgressEntry b = a;
  b.handler = "Trần Thị B";
  b.handler_title = "Chuyên viên";
  b.action = "Thẩm định hồ sơ";
  b.step_deadline = make_moment(2026, 4, 28, 17);
  EXPECT_TRUE(tthc::same_progress_key(a, b));
  EXPECT_FALSE(tthc::progress_before(a, b));
  EXPECT_FALSE(tthc::progress_before(b, a));

  ProgressEntry other_time = a;
  other_time.at += std::chrono::seconds{1};
  EXPECT_FALSE(tthc::same_progress_key(a, other_time));
  ProgressEntry other_status = a;
  other_status.status = Status::AwaitingSupplement;
  EXPECT_FALSE(tthc::same_progress_key(a, other_status));
  ProgressEntry other_department = a;
  other_department.department = "Văn phòng Sở";
  EXPECT_FALSE(tthc::same_progress_key(a, other_department));
}

TEST(Progress, SortOrdersByTimeThenStatusThenDepartmentAndIsStable) {
  std::vector<ProgressEntry> v = {
      entry(25, 9, Status::Finished, "B", "first-of-equal"),
      entry(24, 14, Status::InProcess, "A", ""),
      entry(25, 9, Status::InProcess, "Z", ""),
      entry(25, 9, Status::Finished, "A", ""),
      entry(24, 8, Status::Received, "Một cửa", ""),
      entry(25, 9, Status::Finished, "B", "second-of-equal"),
  };
  tthc::sort_progress(v);
  ASSERT_EQ(v.size(), 6U);
  EXPECT_EQ(v[0].department, "Một cửa");
  EXPECT_EQ(v[1].at, make_moment(2026, 4, 24, 14));
  EXPECT_EQ(v[2].status, Status::InProcess);  // 25/4 09:00, status 4 before status 9
  EXPECT_EQ(v[2].department, "Z");
  EXPECT_EQ(v[3].department, "A");            // status 9, department A before B
  EXPECT_EQ(v[4].handler, "first-of-equal");  // equal keys keep their order
  EXPECT_EQ(v[5].handler, "second-of-equal");
  for (std::size_t i = 1; i < v.size(); ++i) {
    EXPECT_FALSE(tthc::progress_before(v[i], v[i - 1])) << i;
  }
  EXPECT_TRUE(tthc::same_progress_key(v[4], v[5]));
}

TEST(Progress, StatusOrderIsByCodeNotByName) {
  // Status 10 sorts after status 9 at the same moment (numeric, not lexical "10" < "9").
  const ProgressEntry nine = entry(25, 9, Status::Finished, "A", "");
  const ProgressEntry ten = entry(25, 9, Status::Returned, "A", "");
  EXPECT_TRUE(tthc::progress_before(nine, ten));
  EXPECT_FALSE(tthc::progress_before(ten, nine));
}

}  // namespace
