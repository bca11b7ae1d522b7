// The DongBoThongKeHoSo record parser: every field, numbers as strings or numbers, bad values.
#include "ingest/claimed_stats.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tthc::ingest {
namespace {

constexpr std::string_view kRecord = R"({
  "Thang": "7", "Nam": "2020", "Madonvi": "000.00.12.H42",
  "SoNhanTrongKy": "120", "SoTonKyTruoc": "15", "TongSoXuLy": "135", "TongDaXuLy": "110",
  "TongXuLyDungHan": "104", "PhanTramXuLyDungHan": "94.55", "TongXuLyTreHan": "6",
  "TongChuaXuLy": "25", "TongChuaXuLyTrongHan": "23", "TongChuaXuLyTreHan": "2",
  "GhiChu": "Số liệu tháng 7", "TenDonVi": "Sở Khoa học và Công nghệ", "LoaiThongKe": "1"
})";

std::string with(std::string_view key, std::string_view value_json) {
  std::string r = R"({"Thang": 7, "Nam": 2020, "Madonvi": "000.00.12.H42")";
  if (key == "Thang" || key == "Nam" || key == "Madonvi") {
    r = "{";
    for (const auto& [k, v] : {std::pair<std::string_view, std::string_view>{"Thang", "7"},
                               {"Nam", "2020"},
                               {"Madonvi", "\"000.00.12.H42\""}}) {
      if (r.size() > 1) r += ", ";
      r += "\"" + std::string(k) + "\": " + std::string(k == key ? value_json : v);
    }
    return r + "}";
  }
  return r + ", \"" + std::string(key) + "\": " + std::string(value_json) + "}";
}

std::string error_of(std::string_view key, std::string_view value_json) {
  auto r = parse_claimed_stats(with(key, value_json));
  return r ? std::string("(accepted)") : r.error().message;
}

TEST(ClaimedStats, ReadsEveryFieldFromStrings) {
  const auto r = parse_claimed_stats(kRecord);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->month, 7U);
  EXPECT_EQ(r->year, 2020);
  EXPECT_EQ(r->unit, "000.00.12.H42");
  EXPECT_EQ(r->kind, "1");
  EXPECT_EQ(r->unit_name, "Sở Khoa học và Công nghệ");
  EXPECT_EQ(r->note, "Số liệu tháng 7");
  EXPECT_EQ(r->figures.received, 120);
  EXPECT_EQ(r->figures.carried_over, 15);
  EXPECT_EQ(r->figures.to_process, 135);
  EXPECT_EQ(r->figures.resolved, 110);
  EXPECT_EQ(r->figures.resolved_on_time, 104);
  EXPECT_EQ(r->figures.resolved_overdue, 6);
  EXPECT_EQ(r->figures.pending, 25);
  EXPECT_EQ(r->figures.pending_in_time, 23);
  EXPECT_EQ(r->figures.pending_overdue, 2);
  ASSERT_TRUE(r->figures.on_time_rate);
  EXPECT_DOUBLE_EQ(*r->figures.on_time_rate, 0.9455);
}

TEST(ClaimedStats, NumbersAsNumbersAndStringsAlike) {
  const auto a = parse_claimed_stats(
      R"({"Thang": 7, "Nam": 2020, "Madonvi": "X1", "SoNhanTrongKy": 12, "TongDaXuLy": 10.0,
          "PhanTramXuLyDungHan": 90, "LoaiThongKe": 2})");
  const auto b = parse_claimed_stats(
      R"({"Thang": " 7", "Nam": "2020", "Madonvi": "X1", "SoNhanTrongKy": "12",
          "TongDaXuLy": "10", "PhanTramXuLyDungHan": "90,0", "LoaiThongKe": "2"})");
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->figures.received, 12);
  EXPECT_EQ(a->figures.resolved, 10);
  EXPECT_EQ(a->kind, "2");
}

TEST(ClaimedStats, EmptyAndNullAreAbsentAndOtherKeysIgnored) {
  const auto r = parse_claimed_stats(
      R"({"Thang": "12", "Nam": "2026", "Madonvi": "H42", "SoNhanTrongKy": "",
          "TongDaXuLy": null, "PhanTramXuLyDungHan": "", "session": "x", "Khac": [1, 2]})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->figures.received);
  EXPECT_FALSE(r->figures.resolved);
  EXPECT_FALSE(r->figures.on_time_rate);
  EXPECT_EQ(r->kind, "");
  EXPECT_EQ(r->unit_name, "");
}

TEST(ClaimedStats, ErrorsNameTheFieldAndTheValue) {
  EXPECT_EQ(error_of("Thang", "\"13\""), "Thang: out of range: \"13\" (1–12)");
  EXPECT_EQ(error_of("Thang", "\"bảy\""), "Thang: not a whole number: \"bảy\"");
  EXPECT_EQ(error_of("Thang", "\"\""), "Thang: missing");
  EXPECT_EQ(error_of("Nam", "\"1999\""), "Nam: out of range: \"1999\" (2000–2100)");
  EXPECT_EQ(error_of("Madonvi", "\"\""), "Madonvi: missing");
  EXPECT_EQ(error_of("Madonvi", "\"Sở KH-CN\""), "Madonvi: not a unit code: \"Sở KH-CN\"");
  EXPECT_EQ(error_of("SoNhanTrongKy", "\"12a\""), "SoNhanTrongKy: not a whole number: \"12a\"");
  EXPECT_EQ(error_of("TongXuLyTreHan", "-1"), "TongXuLyTreHan: out of range: \"-1\" (0–100000000)");
  EXPECT_EQ(error_of("TongDaXuLy", "\"99999999999999999999999\""),
            "TongDaXuLy: out of range: \"99999999999999999999999\" (0–100000000)");
  EXPECT_EQ(error_of("TongChuaXuLy", "1.5"), "TongChuaXuLy: not a whole number: \"1.5\"");
  EXPECT_EQ(error_of("TongChuaXuLyTreHan", "true"),
            "TongChuaXuLyTreHan: not a whole number: \"true\"");
  EXPECT_EQ(error_of("PhanTramXuLyDungHan", "\"101\""),
            "PhanTramXuLyDungHan: not a percentage (0–100): \"101\"");
  EXPECT_EQ(error_of("PhanTramXuLyDungHan", "\"cao\""),
            "PhanTramXuLyDungHan: not a number: \"cao\"");
  EXPECT_EQ(error_of("TenDonVi", "{\"a\": 1}"), "TenDonVi: not a text: \"{\\\"a\\\":1}\"");
  EXPECT_EQ(error_of("GhiChu", "\"" + std::string(1025, 'x') + "\"").substr(0, 32),
            "GhiChu: longer than 1024 bytes: ");
}

TEST(ClaimedStats, RefusesWhatIsNotOneBoundedWellFormedRecord) {
  EXPECT_FALSE(parse_claimed_stats("[1]"));
  EXPECT_FALSE(parse_claimed_stats("{\"Thang\": "));
  EXPECT_EQ(parse_claimed_stats(R"({"Nam": 2020, "Madonvi": "H42"})").error().message,
            "Thang: missing");
  const std::string big = with("GhiChu", "\"" + std::string(20000, 'x') + "\"");
  EXPECT_EQ(parse_claimed_stats(big).error().message,
            "DongBoThongKeHoSo: record larger than 16384 bytes");
  const std::string bad_utf8 = with("TenDonVi", "\"S\xC3\x28\"");
  const auto r = parse_claimed_stats(bad_utf8);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("UTF-8"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace tthc::ingest
