// The bounded label values: the expected shape or "unknown", the first values up to the cap or
// "other", first come first served and never taken back.
#include "metrics/label_values.hpp"

#include "domain/codes.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace tthc::metrics {
namespace {

TEST(FirstCome, TheFirstKeysGetIdsInOrderAndKeepThem) {
  FirstCome<int> ids(2);
  EXPECT_EQ(ids.id(7), 0U);
  EXPECT_EQ(ids.id(3), 1U);
  EXPECT_TRUE(ids.full());
  EXPECT_EQ(ids.id(9), std::nullopt);
  EXPECT_EQ(ids.find(9), std::nullopt);
  EXPECT_EQ(ids.id(7), 0U);
  EXPECT_EQ(ids.find(3), 1U);
  EXPECT_EQ(ids.size(), 2U);
}

TEST(LabelValues, ShapeThenCapThenOther) {
  LabelValues units(is_unit_code, 2);
  EXPECT_EQ(units.value(LabelValues::kUnknown), "unknown");
  EXPECT_EQ(units.value(LabelValues::kOther), "other");
  EXPECT_EQ(units.index(""), LabelValues::kUnknown);
  EXPECT_EQ(units.index("Sở Tư pháp"), LabelValues::kUnknown);  // not a code: takes no room
  const std::uint32_t a = units.index("000.00.12.H42");
  const std::uint32_t b = units.index("000.00.13.H42");
  EXPECT_EQ(units.value(a), "000.00.12.H42");
  EXPECT_EQ(units.value(b), "000.00.13.H42");
  EXPECT_EQ(units.index("000.00.14.H42"), LabelValues::kOther);
  EXPECT_EQ(units.find("000.00.14.H42"), std::nullopt);
  // Stable: the first values keep theirs, whatever came since.
  EXPECT_EQ(units.index("000.00.12.H42"), a);
  EXPECT_EQ(units.find("000.00.13.H42"), b);
  EXPECT_EQ(units.admitted(), 2U);
  EXPECT_EQ(units.size(), 4U);
}

TEST(LabelValues, ManyValuesFromManyThreadsStayWithinTheCap) {
  LabelValues fields(is_field_code, 100);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&fields, t] {
      for (int i = 0; i < 5000; ++i) {
        const std::uint32_t index = fields.index("F" + std::to_string(t * 5000 + i));
        EXPECT_EQ(fields.value(index).empty(), false);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(fields.admitted(), 100U);
  EXPECT_EQ(fields.size(), 102U);
}

}  // namespace
}  // namespace tthc::metrics
