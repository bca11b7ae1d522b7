// The claimed-statistics gap gauge: one series per unit, replaced whole, capped in number.
#include "metrics/metrics.hpp"

#include "support/calendar.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tthc::metrics {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST(ClaimedGap, OneSeriesPerUnitReplacedWholeAndCapped) {
  Metrics m(MetricsOptions{}, test::official_calendar());
  const Moment now = make_moment(2026, 4, 10, 9);
  m.set_claimed_gaps({{"000.00.12.H42", 0.25}, {"000.00.13.H42", -0.5}});
  std::string text = m.exposition(now);
  EXPECT_NE(text.find("# TYPE tthc_claimed_on_time_rate_gap gauge"), std::string::npos);
  EXPECT_NE(text.find("tthc_claimed_on_time_rate_gap{unit=\"000.00.12.H42\"} 0.25"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("tthc_claimed_on_time_rate_gap{unit=\"000.00.13.H42\"} -0.5"),
            std::string::npos);

  m.set_claimed_gaps({{"000.00.13.H42", 0.125}});
  text = m.exposition(now);
  EXPECT_EQ(text.find("000.00.12.H42"), std::string::npos);
  EXPECT_NE(text.find("tthc_claimed_on_time_rate_gap{unit=\"000.00.13.H42\"} 0.125"),
            std::string::npos);

  std::vector<UnitGap> many;
  for (std::size_t i = 0; i < Metrics::kMaxGapUnits + 50; ++i) {
    many.push_back({"U" + std::to_string(i), 0.0});
  }
  m.set_claimed_gaps(many);
  EXPECT_EQ(count(m.exposition(now), "tthc_claimed_on_time_rate_gap{"), Metrics::kMaxGapUnits);
}

}  // namespace
}  // namespace tthc::metrics
