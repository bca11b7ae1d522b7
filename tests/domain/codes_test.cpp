// The shapes a payload's unit codes, field codes and department names must have to label a
// metric series.
#include "domain/codes.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tthc {
namespace {

TEST(Codes, UnitCodesAreShortAsciiCodesWithADigit) {
  for (const char* ok : {"000.00.12.H42", "G22.38", "H42", "X1", "000_00_12_H42"}) {
    EXPECT_TRUE(is_unit_code(ok)) << ok;
  }
  for (const char* bad :
       {"", "H", "ABC", "000.00.12.H42-250715", "Sở Tư pháp", "000 00", "000.00.12.H42\n"}) {
    EXPECT_FALSE(is_unit_code(bad)) << bad;
  }
  EXPECT_TRUE(is_unit_code(std::string(kMaxUnitCodeBytes - 1, 'A') + "1"));
  EXPECT_FALSE(is_unit_code(std::string(kMaxUnitCodeBytes, 'A') + "1"));
}

TEST(Codes, FieldCodesAreShortAsciiCodes) {
  for (const char* ok : {"KHCN", "ATBXHN", "G09-TP-01", "1.000", "lv_01"}) {
    EXPECT_TRUE(is_field_code(ok)) << ok;
  }
  for (const char* bad : {"", "F 1", "Khoa học", "a/b", "x\"y"}) {
    EXPECT_FALSE(is_field_code(bad)) << bad;
  }
  EXPECT_TRUE(is_field_code(std::string(kMaxFieldCodeBytes, 'F')));
  EXPECT_FALSE(is_field_code(std::string(kMaxFieldCodeBytes + 1, 'F')));
}

TEST(Codes, DepartmentNamesAreShortCleanUtf8) {
  for (const char* ok : {"Phòng A", "Bộ phận Một cửa", "Phòng Kế hoạch - Tài chính", "Tổ \"B\""}) {
    EXPECT_TRUE(is_department_name(ok)) << ok;
  }
  for (const char* bad :
       {"", "   ", "Phòng\nA", "Phòng\tA", "A\x7f", "A\xC2\x85", "\xFF\xFE", "Ph\xC3"}) {
    EXPECT_FALSE(is_department_name(bad)) << bad;
  }
  EXPECT_TRUE(
      is_department_name("A\xC2\xA0"
                         "B"));  // U+00A0, not a control character
  EXPECT_TRUE(is_department_name(std::string(kMaxDepartmentBytes, 'x')));
  EXPECT_FALSE(is_department_name(std::string(kMaxDepartmentBytes + 1, 'x')));
}

}  // namespace
}  // namespace tthc
