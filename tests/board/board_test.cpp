// The board's pure parts: numbers, dates and working time as offices write them, the page's
// language, and the pictures (well-formed, escaped, figures and words beside the colours).
#include "board/format.hpp"
#include "board/svg.hpp"
#include "domain/text.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace tthc::board {
namespace {

using namespace std::chrono_literals;

TEST(BoardFormat, NumbersInThePagesStyle) {
  EXPECT_EQ(format_count(1304, Lang::Vi), "1.304");
  EXPECT_EQ(format_count(1304, Lang::En), "1,304");
  EXPECT_EQ(format_count(1234567, Lang::Vi), "1.234.567");
  EXPECT_EQ(format_count(0, Lang::Vi), "0");
  EXPECT_EQ(format_count(-12, Lang::En), "-12");
  EXPECT_EQ(format_percent(0.9484, Lang::Vi), "94,84 %");
  EXPECT_EQ(format_percent(0.9484, Lang::En), "94.84 %");
  EXPECT_EQ(format_percent(1.0, Lang::Vi), "100,00 %");
  EXPECT_EQ(format_moment(make_moment(2026, 3, 2, 9, 5)), "02/03/2026 09:05");
  EXPECT_EQ(format_month(2026, 1), "01/2026");
}

TEST(BoardFormat, WorkingTimeAsOfficersSayIt) {
  const Duration day = 8h;
  EXPECT_EQ(format_left(day + 2h, day, Lang::Vi), "còn 1 ngày 2 giờ làm việc");
  EXPECT_EQ(format_left(-(3h + 15min), day, Lang::Vi), "quá hạn 3 giờ 15 phút làm việc");
  EXPECT_EQ(format_left(Duration{0}, day, Lang::Vi), "còn 0 phút làm việc");
  EXPECT_EQ(format_left(day + 2h, day, Lang::En), "1 working day 2 h left");
  EXPECT_EQ(format_left(2 * day, day, Lang::En), "2 working days left");
  EXPECT_EQ(format_left(-(3h + 15min), day, Lang::En), "3 h 15 min overdue (working time)");
}

TEST(BoardFormat, LanguageFromTheQueryOrTheBrowser) {
  EXPECT_EQ(parse_lang("EN"), Lang::En);
  EXPECT_EQ(parse_lang("vi"), Lang::Vi);
  EXPECT_FALSE(parse_lang("fr"));
  EXPECT_EQ(lang_from_accept_language(""), Lang::Vi);
  EXPECT_EQ(lang_from_accept_language("en-US,en;q=0.9"), Lang::En);
  EXPECT_EQ(lang_from_accept_language("en-US;q=0.5, vi-VN;q=0.8"), Lang::Vi);
  EXPECT_EQ(lang_from_accept_language("fr-FR, de;q=0.9"), Lang::Vi);
  EXPECT_EQ(lang_from_accept_language("fr, en;q=0"), Lang::Vi);  // q=0: not acceptable
  EXPECT_EQ(lang_from_accept_language(std::string(10000, ',')), Lang::Vi);
}

TEST(BoardFormat, MarkupEscapesAndReplacesInvalidUtf8) {
  EXPECT_EQ(escape_markup("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(escape_markup("Sở KH\xff"), "Sở KH\xEF\xBF\xBD");
}

// Every element's attributes are unique and every tag is closed: what an XML parser (and a
// browser showing the SVG as an image) requires.
void expect_well_formed(const std::string& svg) {
  std::vector<std::string> open;
  const std::regex tag(R"(<(/?)([a-zA-Z]+)([^>]*?)(/?)>)");
  const std::regex attribute(R"(\s([a-zA-Z:-]+)=")");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), tag); it != std::sregex_iterator();
       ++it) {
    const std::smatch& m = *it;
    if (m[1] == "/") {
      ASSERT_FALSE(open.empty()) << m.str();
      EXPECT_EQ(open.back(), m[2].str());
      open.pop_back();
      continue;
    }
    std::set<std::string> names;
    const std::string attrs = m[3].str();
    for (auto a = std::sregex_iterator(attrs.begin(), attrs.end(), attribute);
         a != std::sregex_iterator(); ++a) {
      EXPECT_TRUE(names.insert((*a)[1].str()).second) << "repeated attribute in " << m.str();
    }
    if (m[4] != "/") open.push_back(m[2].str());
  }
  EXPECT_TRUE(open.empty()) << open.size() << " unclosed";
}

TEST(BoardSvg, TrendShowsEveryMonthAndTheRates) {
  std::vector<TrendPoint> months;
  for (unsigned m = 1; m <= 12; ++m) {
    TrendPoint p{2026, m, m != 5, 1000 + m, 900 + m, m, 0.9 + m / 200.0};
    months.push_back(p);
  }
  const std::string svg = trend_svg(months, 0.95, Lang::Vi);
  expect_well_formed(svg);
  EXPECT_NE(svg.find("01/2026"), std::string::npos);
  EXPECT_NE(svg.find("12/2026"), std::string::npos);
  EXPECT_NE(svg.find("96,00 %"), std::string::npos);  // December's rate, Vietnamese style
  EXPECT_NE(svg.find("Mục tiêu 95,00 %"), std::string::npos);
  EXPECT_NE(trend_svg(months, 0.95, Lang::En).find("Target 95.00 %"), std::string::npos);
  expect_well_formed(trend_svg({}, 0.95, Lang::En));
}

TEST(BoardSvg, RankingSaysBelowTargetAndOverdueInWords) {
  const std::string svg =
      ranking_svg({{"UBND <xã> & \"A\"", 0.8, 12}, {"Sở KH&CN", std::nullopt, 0}}, 0.95, Lang::Vi);
  expect_well_formed(svg);
  EXPECT_NE(svg.find("UBND &lt;xã&gt; &amp; &quot;A&quot;"), std::string::npos);
  EXPECT_NE(svg.find("80,00 % ▼ dưới mục tiêu"), std::string::npos);
  EXPECT_NE(svg.find("⚠ 12 hồ sơ quá hạn"), std::string::npos);
  EXPECT_NE(svg.find("chưa có hồ sơ giải quyết"), std::string::npos);
  expect_well_formed(ranking_svg({}, 0.95, Lang::En));
}

TEST(BoardSvg, TimelineMarksLateStepsPausesAndDues) {
  TimelinePicture t;
  t.received = make_moment(2026, 3, 2, 9);
  t.now = make_moment(2026, 3, 20, 10);
  t.base_due = make_moment(2026, 3, 9, 9);
  t.effective_due = make_moment(2026, 3, 11, 9);
  t.pauses = {{make_moment(2026, 3, 4, 9), make_moment(2026, 3, 6, 9)}};
  t.steps = {
      {"Bộ phận Một cửa", make_moment(2026, 3, 2, 9), make_moment(2026, 3, 2, 10),
       make_moment(2026, 3, 2, 17), false},
      {"Phòng <A>", make_moment(2026, 3, 2, 10), std::nullopt, make_moment(2026, 3, 5, 10), true}};
  const std::string svg = timeline_svg(t, Lang::Vi);
  expect_well_formed(svg);
  EXPECT_NE(svg.find("⚠ Phòng &lt;A&gt;"), std::string::npos);
  EXPECT_NE(svg.find("Hạn gốc 09/03/2026 09:00"), std::string::npos);
  EXPECT_NE(svg.find("Hạn sau tạm dừng 11/03/2026 09:00"), std::string::npos);
  EXPECT_NE(svg.find("Bây giờ 20/03/2026 10:00"), std::string::npos);
  EXPECT_NE(svg.find("url(#pause)"), std::string::npos);
  // A dossier with no step and no due is still a picture.
  TimelinePicture bare;
  bare.received = bare.now = make_moment(2026, 3, 2, 9);
  expect_well_formed(timeline_svg(bare, Lang::En));
}

}  // namespace
}  // namespace tthc::board
