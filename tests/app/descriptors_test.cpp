#include "app/descriptors.hpp"

#include <gtest/gtest.h>

#include <sys/resource.h>

namespace {

using tthc::app::connections_within;
using tthc::app::kOtherDescriptors;

TEST(Descriptors, TheCapFitsUnderTheLimitBesideTheStoreAndTheReserve) {
  EXPECT_EQ(connections_within(65536, 1024, 16), 1024U);  // the systemd unit: as configured
  EXPECT_EQ(connections_within(1024, 1024, 16), 1024U - kOtherDescriptors - 16);  // a shell
  EXPECT_EQ(connections_within(256, 1024, 16), 112U);
  EXPECT_EQ(connections_within(100, 1024, 16), 1U);  // never none
}

TEST(Descriptors, TheSoftLimitIsRaisedToTheHardOne) {
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  if (saved.rlim_max < 256) GTEST_SKIP() << "hard limit " << saved.rlim_max;
  rlimit lowered = saved;
  lowered.rlim_cur = 128;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
  const auto limit = tthc::app::raise_descriptor_limit(saved.rlim_max);
  EXPECT_EQ(limit.error, "");
  EXPECT_EQ(limit.before, 128U);
  EXPECT_EQ(limit.soft, saved.rlim_max);
  EXPECT_EQ(limit.hard, saved.rlim_max);
  setrlimit(RLIMIT_NOFILE, &saved);
}

}  // namespace
