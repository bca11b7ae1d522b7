// The renderings: JSON keys and decimals, the form's headers exactly in CSV, HTML and XLSX
// (its merged header cells), print layout, escaping, byte-identical output, and the diff.
#include "reports/render.hpp"
#include "reports/collect.hpp"
#include "reports/diff.hpp"
#include "reports/document.hpp"

#include "support/calendar.hpp"
#include "support/moments.hpp"
#include "support/process.hpp"
#include "support/rules.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace tthc::reports {
namespace {

using test::at;

class RenderTest : public ::testing::Test {
 protected:
  RenderTest() {
    catalogue_ = engine::Catalogue({test::named(test::procedure_rule("1.000001", "KHCN", "5wd"),
                                                "Cấp phép", "Khoa học & công nghệ")});
  }

  Reports build(Moment as_of) {
    Collector c(cal_, catalogue_,
                make_inputs(period_of(2026, 3, 1), as_of, cal_, catalogue_, engine::Settings{}));
    DossierTimeline done;
    done.dossier.code = "000.00.12.H42-260302-0001";
    done.dossier.procedure_code = "1.000001";
    done.dossier.unit_name = "Sở <Khoa học> \"& Công nghệ\"";
    done.dossier.status = Status::Finished;
    done.dossier.received = at(2026, 3, 2, 9);
    done.dossier.processing_end = at(2026, 3, 3, 9);
    c.add(done);
    DossierTimeline pending = done;
    pending.dossier.code = "000.00.12.H42-260302-0002";
    pending.dossier.status = Status::InProcess;
    pending.dossier.processing_end.reset();
    c.add(pending);
    DossierTimeline late = pending;
    late.dossier.code = "000.00.12.H42-260303-0001";
    late.dossier.status = Status::Finished;
    late.dossier.processing_end = at(2026, 3, 20, 9);
    c.add(late);
    return c.finish();
  }

  std::string text(const Reports& r, Kind k, Format f) { return render(r, k, f).value(); }

  const calendar::WorkingCalendar& cal_ = test::official_calendar();
  engine::Catalogue catalogue_;
};

std::vector<std::string> lines(const std::string& s, std::size_t n) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (out.size() < n && pos < s.size()) {
    const std::size_t end = s.find("\r\n", pos);
    out.push_back(s.substr(pos, end - pos));
    pos = end + 2;
  }
  return out;
}

TEST_F(RenderTest, ResultsJsonNamesTheColumnsAndRecordsItsInputs) {
  const std::string j = text(build(at(2026, 4, 1)), Kind::Results, Format::Json);
  EXPECT_NE(j.find(R"("period": {"month": "2026-03", "from": "2026-03-01T00:00:00+07:00", )"
                   R"("to": "2026-04-01T00:00:00+07:00", "last_day": "2026-03-31", )"
                   R"("start_day": 1})"),
            std::string::npos)
      << j;
  EXPECT_NE(j.find(R"("as_of": "2026-04-01T00:00:00+07:00")"), std::string::npos);
  EXPECT_NE(j.find(R"("closed": true)"), std::string::npos);
  EXPECT_NE(j.find("\"calendar_version\": \"" + cal_.version() + "\""), std::string::npos);
  EXPECT_NE(j.find(R"("settings": {"pause_policy": "pause", "judge_by": "processing_end", )"
                   R"("due_soon": "8wh", "period_start_day": 1})"),
            std::string::npos);
  EXPECT_NE(j.find(R"({"unit": "000.00.12.H42", "unit_name": "Sở <Khoa học> \"& Công nghệ\"", )"
                   R"("field": null, "field_name": "", "received_total": 3, "received_online": 0, )"
                   R"("received_direct": 3, "carried_over": 0, "resolved_total": 2, )"
                   R"("resolved_early": 1, "resolved_on_time": 0, "resolved_overdue": 1, )"
                   R"("pending_total": 1, "pending_in_time": 0, "pending_overdue": 1, )"
                   R"("on_time_rate": 0.500000})"),
            std::string::npos)
      << j;
  EXPECT_NE(j.find(R"("field": "KHCN", "field_name": "Khoa học & công nghệ")"), std::string::npos);
  EXPECT_NE(j.find(R"("total": {"received_total": 3,)"), std::string::npos);
  EXPECT_EQ(j, text(build(at(2026, 4, 1)), Kind::Results, Format::Json));  // deterministic
  // The other reports record the same inputs.
  for (const Kind k : {Kind::Reduction, Kind::Index766}) {
    const std::string other = text(build(at(2026, 4, 1)), k, Format::Json);
    EXPECT_NE(other.find("\"calendar_version\": \"" + cal_.version() + "\""), std::string::npos);
    EXPECT_NE(other.find(R"("as_of": "2026-04-01T00:00:00+07:00")"), std::string::npos);
  }
}

TEST_F(RenderTest, CsvHasTheFormsHeaderRows) {
  const std::string csv = text(build(at(2026, 4, 1)), Kind::Results, Format::Csv);
  ASSERT_TRUE(csv.starts_with("\xEF\xBB\xBF"));
  const auto head = lines(csv.substr(3), 5);
  ASSERT_EQ(head.size(), 5U);
  EXPECT_EQ(head[0],
            "STT,Đơn vị / Lĩnh vực giải quyết,Số hồ sơ nhận giải quyết,,,,Số hồ sơ đã giải quyết,"
            ",,,Số hồ sơ đang giải quyết,,,\"Tỷ lệ giải quyết trước hạn, đúng hạn\"");
  EXPECT_EQ(head[1],
            ",,Tổng số,Trong kỳ,,Từ kỳ trước chuyển sang,Tổng số,Trước hạn,Đúng hạn,Quá hạn,"
            "Tổng số,Trong hạn,Quá hạn,");
  EXPECT_EQ(head[2], ",,,Trực tuyến,\"Trực tiếp, dịch vụ bưu chính\",,,,,,,,,");
  EXPECT_EQ(head[3],
            "(1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13),(14) = ((8)+(9))/(7)");
  EXPECT_EQ(head[4],
            "I,\"Sở <Khoa học> \"\"& Công nghệ\"\" (000.00.12.H42)\",3,0,3,0,2,1,0,1,1,0,1,"
            "0.500000");
  EXPECT_NE(csv.find("Biểu số,II.06a/VPCP/KSTT\r\n"), std::string::npos);
  EXPECT_NE(csv.find("Phiên bản lịch làm việc," + cal_.version()), std::string::npos);
}

TEST_F(RenderTest, HtmlIsThePrintableFormEscaped) {
  const std::string html = text(build(at(2026, 4, 1)), Kind::Results, Format::Html);
  EXPECT_NE(html.find("<div class=\"form\">Biểu số II.06a/VPCP/KSTT</div>"), std::string::npos);
  EXPECT_NE(html.find("<h1>TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ "
                      "TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH</h1>"),
            std::string::npos);
  EXPECT_NE(html.find("@page { size: A4 landscape;"), std::string::npos);
  EXPECT_NE(html.find("<tr><th rowspan=\"3\">STT</th><th rowspan=\"3\">Đơn vị / Lĩnh vực giải "
                      "quyết</th><th colspan=\"4\">Số hồ sơ nhận giải quyết</th><th "
                      "colspan=\"4\">Số hồ sơ đã giải quyết</th><th colspan=\"3\">Số hồ sơ đang "
                      "giải quyết</th>"),
            std::string::npos);
  EXPECT_NE(html.find("<th>Trực tuyến</th><th>Trực tiếp, dịch vụ bưu chính</th>"),
            std::string::npos);
  EXPECT_NE(html.find("<th>(13)</th>"), std::string::npos);
  EXPECT_NE(html.find("Sở &lt;Khoa học&gt; &quot;&amp; Công nghệ&quot;"), std::string::npos);
  EXPECT_EQ(html.find("<Khoa"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"n\">50,00%</td>"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);  // no external resource
  EXPECT_EQ(html.find("chưa kết thúc"), std::string::npos);
  const std::string open = text(build(at(2026, 3, 10, 9)), Kind::Results, Format::Html);
  EXPECT_NE(open.find("Kỳ báo cáo chưa kết thúc: số liệu tạm tính đến 09:00:00 ngày 10/03/2026."),
            std::string::npos);
}

TEST_F(RenderTest, XlsxHasTheMergedHeaderCellsAndIsReproducible) {
  const Reports r = build(at(2026, 4, 1));
  const std::string xlsx = text(r, Kind::Results, Format::Xlsx);
  EXPECT_TRUE(xlsx.starts_with("PK"));
  EXPECT_EQ(xlsx, text(build(at(2026, 4, 1)), Kind::Results, Format::Xlsx));
  test::TempDir dir;
  const auto file = dir.write("r.xlsx", xlsx);
  // Python's zipfile reads it back as an Office Open XML package.
  const auto out = test::run_process(
      "/usr/bin/python3", {"-c",
                           "import sys, zipfile\n"
                           "z = zipfile.ZipFile(sys.argv[1])\n"
                           "sys.stdout.write(z.read('xl/worksheets/sheet1.xml').decode() + '\\n')\n"
                           "sys.stdout.write(z.read('xl/sharedStrings.xml').decode() + '\\n')\n"
                           "sys.stdout.write(z.read('xl/workbook.xml').decode())\n",
                           file.string()});
  ASSERT_EQ(out.status, 0) << out.err;
  for (const char* merged : {"A5:A7", "B5:B7", "C5:F5", "G5:J5", "K5:M5", "N5:N7", "C6:C7", "D6:E6",
                             "F6:F7", "M6:M7", "A2:N2"}) {
    EXPECT_NE(out.out.find("<mergeCell ref=\"" + std::string(merged) + "\"/>"), std::string::npos)
        << merged;
  }
  for (const char* header :
       {"Số hồ sơ nhận giải quyết", "Từ kỳ trước chuyển sang", "Trực tiếp, dịch vụ bưu chính",
        "Số hồ sơ đang giải quyết", "Biểu số II.06a/VPCP/KSTT", "(13)"}) {
    EXPECT_NE(out.out.find(std::string(">") + header + "<"), std::string::npos) << header;
  }
  EXPECT_NE(out.out.find("<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\""),
            std::string::npos);
  EXPECT_NE(out.out.find("name=\"II.06a\""), std::string::npos);
  // Every kind renders.
  for (const Kind k : kKinds) EXPECT_TRUE(render(r, k, Format::Xlsx)) << to_string(k);
}

TEST_F(RenderTest, DiffNamesTheRowsAndValuesThatChanged) {
  const std::string before = text(build(at(2026, 4, 1)), Kind::Results, Format::Json);
  EXPECT_TRUE(diff_reports(before, before).value().empty());
  std::string after = before;
  const auto replace = [&after](const std::string& from, const std::string& to) {
    const auto at_pos = after.find(from);
    ASSERT_NE(at_pos, std::string::npos) << from;
    after.replace(at_pos, from.size(), to);
  };
  replace(cal_.version(), "2021-2026@0000000000000000");
  replace(R"("field": "KHCN", "field_name": "Khoa học & công nghệ", "received_total": 3)",
          R"("field": "KHCN", "field_name": "Khoa học & công nghệ", "received_total": 4)");
  const auto d = diff_reports(before, after).value();
  ASSERT_EQ(d.size(), 2U);
  EXPECT_EQ(d[0], "calendar_version: \"" + cal_.version() + "\" → \"2021-2026@0000000000000000\"");
  EXPECT_EQ(d[1], "rows[000.00.12.H42/KHCN].received_total: 3 → 4");
  EXPECT_EQ(recorded_as_of(before).value(), at(2026, 4, 1));
  EXPECT_FALSE(diff_reports("[]", before));
}

}  // namespace
}  // namespace tthc::reports
