#include "base/result.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace {

using tthc::Error;
using tthc::Result;

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return Error{"not a digit: " + std::string(1, c)};
  return c - '0';
}

std::optional<Error> check_even(int n) {
  if (n % 2 != 0) return Error{"odd: " + std::to_string(n)};
  return std::nullopt;
}

Result<int> sum_of_two(char a, char b) {
  TTHC_TRY(const int first, parse_digit(a));
  int second = 0;
  TTHC_TRY(second, parse_digit(b));
  return first + second;
}

std::optional<Error> even_digit(char c, int& out) {
  TTHC_TRY(out, parse_digit(c));
  TTHC_TRY_VOID(check_even(out));
  return std::nullopt;
}

Result<int> checked_digit(char c) {
  TTHC_TRY_VOID(parse_digit(c));
  return 1;
}

TEST(Try, DeclaresOrAssignsTheValue) {
  const Result<int> r = sum_of_two('3', '4');
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 7);
}

TEST(Try, ReturnsTheFirstError) {
  const Result<int> r = sum_of_two('3', 'x');
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "not a digit: x");
}

TEST(TryVoid, ReturnsAnOptionalErrorOrAResultError) {
  int out = -1;
  EXPECT_FALSE(even_digit('4', out).has_value());
  EXPECT_EQ(out, 4);
  const auto odd = even_digit('5', out);
  ASSERT_TRUE(odd.has_value());
  EXPECT_EQ(odd->message, "odd: 5");
  EXPECT_TRUE(checked_digit('1'));
  EXPECT_EQ(checked_digit('?').error().message, "not a digit: ?");
}

}  // namespace
