// Text from outside: UTF-8 checked and repaired, ASCII case folded for protocol words.
#include "domain/text.hpp"

#include <gtest/gtest.h>

namespace tthc {
namespace {

TEST(Text, RepairedUtf8IsValidAndKeepsEveryWellFormedCharacter) {
  EXPECT_EQ(to_valid_utf8("Thủ tục"), "Thủ tục");
  EXPECT_EQ(to_valid_utf8("b\xE1\xBA"), "b\xEF\xBF\xBD\xEF\xBF\xBD");  // a cut sequence
  EXPECT_EQ(to_valid_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");    // an overlong '/'
  EXPECT_EQ(to_valid_utf8("\xED\xA0\x80x"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDx");  // surrogate
  EXPECT_EQ(to_valid_utf8(std::string("a\0b", 3)), std::string("a\0b", 3));
  for (const std::string_view s : {"b\xE1\xBA", "\xFF\xFE", "\xF4\x90\x80\x80", "ok"}) {
    EXPECT_TRUE(is_valid_utf8(to_valid_utf8(s)));
  }
}

TEST(Text, AsciiCaseFoldingLeavesOtherBytesAlone) {
  EXPECT_EQ(ascii_lower("X-Signature Ư"), "x-signature Ư");
  EXPECT_TRUE(iequals_ascii("Bearer", "bEARER"));
  EXPECT_FALSE(iequals_ascii("Bearer", "Bearer "));
  EXPECT_FALSE(iequals_ascii("Ư", "ư"));  // not ASCII: compared as bytes
}

}  // namespace
}  // namespace tthc
