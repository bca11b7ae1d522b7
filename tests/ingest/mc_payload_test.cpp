// The MC payload parser on good, bad and hostile payloads (domain.md §2).
#include "ingest/mc_payload.hpp"

#include "domain/text.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <string>

namespace tthc::ingest {
namespace {

std::string envelope(std::string_view service, std::string_view data) {
  return R"({"session":"s","madonvi":"000.00.12.H42","service":")" + std::string(service) +
         R"(","isUpdating":"True","data":[)" + std::string(data) + "]}";
}

constexpr std::string_view kDossier = R"({
  "MaHoSo": "000.00.12.H42-260302-0001",
  "MaTTHC": "1.004227", "TenTTHC": "Cấp giấy phép tiến hành công việc bức xạ",
  "MaLinhVuc": "AT-BX", "TenLinhVuc": "An toàn bức xạ và hạt nhân",
  "KenhThucHien": 2, "NgayNopHoSo": "20260301200000", "NgayTiepNhan": "20260302090000",
  "NgayHenTra": "2026-03-05T09:00:00+07:00", "TrangThaiHoSo": "4",
  "DonViXuLy": "Sở Khoa học và Công nghệ", "TruongLaNhungGiKhac": {"giữ": "nguyên"},
  "DanhSachHoSoBoSung": [{"NgayBoSung": "20260303090000", "NgayTiepNhanBoSung": "",
                          "NgayHenTraTruoc": "20260305090000", "NgayHenTraMoi": null}],
  "QuaTrinhXuLy": [
    {"MaHoSo": "000.00.12.H42-260302-0001", "NguoiXuLy": "Nguyễn Văn A", "ChucDanh": "Chuyên viên",
     "ThoiDiemXuLy": "20260302100000", "PhongBanXuLy": "Phòng Quản lý chuyên ngành",
     "NoiDungXuLy": "Thẩm định hồ sơ", "TrangThai": 4, "NgayBatDau": "20260302093000",
     "NgayKetThucTheoQuyDinh": "20260303170000"},
    {"NguoiXuLy": "Trần Thị B", "ThoiDiemXuLy": "2026-03-02T09:00:00", "PhongBanXuLy": "Bộ phận Một cửa",
     "TrangThai": "2"}
  ]
})";

TEST(McPayload, ParsesADossierWithEverything) {
  auto batch = parse_envelope(envelope("DongBoHoSoMC", kDossier));
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->dossiers.size(), 1U);
  EXPECT_TRUE(batch->rejected.empty());
  const DossierSnapshot& s = batch->dossiers[0];
  const Dossier& d = s.dossier;
  EXPECT_EQ(d.code, "000.00.12.H42-260302-0001");
  EXPECT_EQ(d.unit_code(), "000.00.12.H42");
  EXPECT_EQ(d.procedure_name, "Cấp giấy phép tiến hành công việc bức xạ");  // byte-exact
  EXPECT_EQ(d.channel, Channel::Online);
  EXPECT_EQ(d.status, Status::InProcess);
  EXPECT_EQ(d.received, make_moment(2026, 3, 2, 9));
  EXPECT_EQ(d.promised_due, make_moment(2026, 3, 5, 9));
  EXPECT_FALSE(d.processing_end);
  ASSERT_EQ(d.rounds.size(), 1U);
  EXPECT_EQ(d.rounds[0].requested, make_moment(2026, 3, 3, 9));
  EXPECT_FALSE(d.rounds[0].received);   // "" is absent
  EXPECT_FALSE(d.rounds[0].due_after);  // null is absent
  ASSERT_EQ(s.progress.size(), 2U);
  // Sorted by time: the one-stop desk's entry first.
  EXPECT_EQ(s.progress[0].department, "Bộ phận Một cửa");
  EXPECT_EQ(s.progress[0].status, Status::Received);
  EXPECT_EQ(s.progress[1].handler, "Nguyễn Văn A");
  EXPECT_EQ(s.progress[1].step_start, make_moment(2026, 3, 2, 9, 30));
  EXPECT_EQ(s.progress[1].step_deadline, make_moment(2026, 3, 3, 17));
  // Freshness is the latest event, here the supplementation request; the due date (5/3) and
  // the step deadline (3/3 17:00) are promises, not events.
  EXPECT_EQ(s.freshness, make_moment(2026, 3, 3, 9));
  // The raw record keeps the allowed fields only, and leaves the progress entries to their table.
  EXPECT_EQ(s.raw.find("TruongLaNhungGiKhac"), std::string::npos);
  EXPECT_NE(s.raw.find("DanhSachHoSoBoSung"), std::string::npos);
  EXPECT_EQ(s.raw.find("QuaTrinhXuLy"), std::string::npos);
  EXPECT_EQ(batch->sender, "000.00.12.H42");
}

TEST(McPayload, CodesAsNumbersAndNumbersAsStrings) {
  auto batch = parse_envelope(envelope("DongBoHoSoMC", R"({"MaHoSo": 12345, "MaTTHC": 1.004227,
      "MaLinhVuc": 7, "TrangThaiHoSo": 2.0, "KenhThucHien": "3", "NgayTiepNhan": 20260302090000})"));
  ASSERT_TRUE(batch);
  ASSERT_EQ(batch->dossiers.size(), 1U) << batch->rejected[0].reason;
  const Dossier& d = batch->dossiers[0].dossier;
  EXPECT_EQ(d.code, "12345");
  EXPECT_EQ(d.procedure_code, "1.004227");
  EXPECT_EQ(d.field_code, "7");
  EXPECT_EQ(d.status, Status::Received);
  EXPECT_EQ(d.channel, Channel::Postal);
  EXPECT_EQ(d.received, make_moment(2026, 3, 2, 9));
}

TEST(McPayload, MissingChannelIsInPerson) {
  auto batch = parse_envelope(
      envelope("DongBoHoSoMC", R"({"MaHoSo":"A-1","MaTTHC":"1.004227","TrangThaiHoSo":2})"));
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->dossiers.at(0).dossier.channel, Channel::InPerson);
}

TEST(McPayload, IsoTimesWithOffsetsAreConvertedToVietnamTime) {
  auto batch = parse_envelope(envelope(
      "DongBoHoSoMC",
      R"({"MaHoSo":"A-1","MaTTHC":"1.004227","TrangThaiHoSo":2,"NgayTiepNhan":"2026-03-02T02:00:00.123Z",
          "NgayHenTra":"2026-03-05T10:00:00+08:00"})"));
  ASSERT_TRUE(batch);
  const Dossier& d = batch->dossiers.at(0).dossier;
  EXPECT_EQ(d.received, make_moment(2026, 3, 2, 9));
  EXPECT_EQ(d.promised_due, make_moment(2026, 3, 5, 9));
}

// Each bad record is rejected with its index, code and the field and value; the rest is kept.
struct BadCase {
  std::string record;
  std::string reason;
};

class BadRecords : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadRecords, RejectedWithAClearReasonAndTheGoodOnesKept) {
  const std::string good = R"({"MaHoSo":"GOOD-1","MaTTHC":"1.004227","TrangThaiHoSo":4})";
  auto batch = parse_envelope(
      envelope("DongBoHoSoMC", good + "," + GetParam().record + "," +
                                   R"({"MaHoSo":"GOOD-2","MaTTHC":"1.004227","TrangThaiHoSo":9})"));
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_EQ(batch->records, 3U);
  ASSERT_EQ(batch->dossiers.size(), 2U);
  EXPECT_EQ(batch->dossiers[0].dossier.code, "GOOD-1");
  EXPECT_EQ(batch->dossiers[1].dossier.code, "GOOD-2");
  ASSERT_EQ(batch->rejected.size(), 1U);
  EXPECT_EQ(batch->rejected[0].index, 1U);
  EXPECT_EQ(batch->rejected[0].reason, GetParam().reason);
  EXPECT_TRUE(is_valid_utf8(batch->rejected[0].reason));
}

INSTANTIATE_TEST_SUITE_P(
    McPayload, BadRecords,
    ::testing::Values(
        BadCase{
            R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"NgayTiepNhan":"2025-13-40"})",
            R"(NgayTiepNhan: not a date: "2025-13-40")"},
        BadCase{
            R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"NgayTiepNhan":"20250230090000"})",
            R"(NgayTiepNhan: not a date: "20250230090000")"},
        BadCase{
            R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"NgayTiepNhan":"18990101090000"})",
            R"(NgayTiepNhan: out of range: "18990101090000" (years 2000–2100))"},
        BadCase{R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"NgayTiepNhan":[2025]})",
                "NgayTiepNhan: expected a date string, got an array"},
        BadCase{R"({"TrangThaiHoSo":4})", "MaHoSo: missing"},
        BadCase{R"({"MaHoSo":"","MaTTHC":"1.004227","TrangThaiHoSo":4})", "MaHoSo: missing"},
        BadCase{R"({"MaHoSo":{"a":1},"TrangThaiHoSo":4})",
                "MaHoSo: expected a string, got an object"},
        BadCase{R"({"MaHoSo":"B-1","MaTTHC":"1.004227"})", "TrangThaiHoSo: missing"},
        BadCase{R"({"MaHoSo":"B-1","TrangThaiHoSo":4})", "MaTTHC: missing"},
        BadCase{R"({"MaHoSo":"B-1","MaTTHC":"","TrangThaiHoSo":4})", "MaTTHC: missing"},
        // A damaged key is an unknown one: the procedure is missing.
        BadCase{"{\"MaHoSo\":\"B-1\",\"MaTT\xFFHC\":\"1.004227\",\"TrangThaiHoSo\":4}",
                "MaTTHC: missing"},
        BadCase{R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":11})",
                "TrangThaiHoSo: not a status code (1–10): 11"},
        BadCase{R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":"4a"})",
                R"(TrangThaiHoSo: not a number: "4a")"},
        BadCase{R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":-1})",
                "TrangThaiHoSo: not a status code (1–10): -1"},
        BadCase{R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":{"TenMuc":"Đang xử lý"}})",
                "TrangThaiHoSo: expected a number, got an object"},
        BadCase{
            R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"KenhThucHien":{"MaMuc":"9"}})",
            "KenhThucHien: not a channel (1 in person, 2 online, 3 postal): 9"},
        BadCase{
            R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"NgayTiepNhan":"02/03/2026 9:00"})",
            R"(NgayTiepNhan: not a date: "02/03/2026 9:00")"},
        BadCase{
            R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"NgayHenTra":"2026-03-05T09:00:00+0700"})",
            R"(NgayHenTra: not a date: "2026-03-05T09:00:00+0700")"},
        BadCase{R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"NgayTra":"ngày mai"})",
                R"(NgayTra: not a date: "ngày mai")"},
        BadCase{R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"NgayTra":true})",
                "NgayTra: expected a date string, got a boolean"},
        BadCase{R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":true})",
                "TrangThaiHoSo: expected a number, got a boolean"},
        BadCase{R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":4.5})",
                "TrangThaiHoSo: not a whole number: 4.5"},
        BadCase{R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"KenhThucHien":5})",
                "KenhThucHien: not a channel (1 in person, 2 online, 3 postal): 5"},
        BadCase{R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"DanhSachHoSoBoSung":{}})",
                "DanhSachHoSoBoSung: expected an array, got an object"},
        BadCase{
            R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"DanhSachHoSoBoSung":[{"NgayBoSung":"x"}]})",
            R"(DanhSachHoSoBoSung[0].NgayBoSung: not a date: "x")"},
        BadCase{
            R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"QuaTrinhXuLy":[{"TrangThai":4}]})",
            "QuaTrinhXuLy[0].ThoiDiemXuLy: missing"},
        BadCase{
            R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"QuaTrinhXuLy":[{"MaHoSo":"B-2",
                   "ThoiDiemXuLy":"20260302090000","TrangThai":4}]})",
            R"(QuaTrinhXuLy[0].MaHoSo: "B-2" is not the dossier's code "B-1")"},
        BadCase{R"("not an object")", "expected an object, got a string"},
        BadCase{
            R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"TenTTHC":")" +
                std::string(5000, 'x') + R"("})",
            "TenTTHC: too long: 5000 bytes (at most 4096): \"" + std::string(60, 'x') + "…\""}));

// A member not read (a supplementation round's reason) is kept in `raw`: damaged bytes there
// neither reject the record nor reach the store.
TEST(McPayload, InvalidUtf8InAMemberNotReadIsStoredRepaired) {
  const std::string record =
      "{\"MaHoSo\":\"B-1\",\"MaTTHC\":\"1.004227\",\"TrangThaiHoSo\":5,\"DanhSachHoSoBoSung\":"
      "[{\"NgayBoSung\":\"20260303090000\",\"LyDo\":\"Thi\xE1\xBA\xBFu b\xE1\xBA\"}]}";
  auto batch = parse_envelope(envelope("DongBoHoSoMC", record));
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->dossiers.size(), 1U) << batch->rejected.at(0).reason;
  const std::string& raw = batch->dossiers[0].raw;
  EXPECT_TRUE(is_valid_utf8(raw)) << raw;
  EXPECT_NE(raw.find("Thiếu b\xEF\xBF\xBD"), std::string::npos) << raw;
  EXPECT_TRUE(boost::json::parse(raw).is_object());
}

TEST(McPayload, InvalidUtf8RejectsOnlyItsRecord) {
  const std::string bad =
      "{\"MaHoSo\":\"B-1\",\"MaTTHC\":\"1.004227\",\"TrangThaiHoSo\":4,\"TenTTHC\":\"C\xE1\xBA\"}";
  auto batch = parse_envelope(
      envelope("DongBoHoSoMC", R"({"MaHoSo":"G","MaTTHC":"1.004227","TrangThaiHoSo":4},)" + bad));
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->dossiers.size(), 1U);
  ASSERT_EQ(batch->rejected.size(), 1U);
  EXPECT_EQ(batch->rejected[0].code, "B-1");
  EXPECT_EQ(batch->rejected[0].reason.rfind("TenTTHC: invalid UTF-8: ", 0), 0U);
  EXPECT_TRUE(is_valid_utf8(batch->rejected[0].reason));
}

// Found by fuzz_mc_payload: the members kept in `raw` without being read were stored with
// invalid UTF-8 when the body needed the lenient parse.
// Found by fuzz_mc_payload: invalid UTF-8 in the kept members (a round's reason, the kind of
// applicant, a damaged key) was stored raw. It is stored repaired; the record is kept.
TEST(McPayload, InvalidUtf8InKeptMembersIsStoredRepaired) {
  const std::string round =
      "{\"MaHoSo\":\"B-1\",\"MaTTHC\":\"1.004227\",\"TrangThaiHoSo\":4,"
      "\"DanhSachHoSoBoSung\":[{\"NgayBoSung\":\"\",\"LyDo\":\"thi\xE1\"}]}";
  const std::string kind =
      "{\"MaHoSo\":\"B-2\",\"MaTTHC\":\"1.004227\",\"TrangThaiHoSo\":4,\"LoaiDoiTuong\":\"\xC3\"}";
  const std::string key =
      "{\"MaHoSo\":\"B-3\",\"MaTTHC\":\"1.004227\",\"TrangThaiHoSo\":4,"
      "\"DanhSachHoSoBoSung\":[{\"L\xFF\":1}]}";
  auto batch = parse_envelope(
      envelope("DongBoHoSoMC", R"({"MaHoSo":"G","MaTTHC":"1.004227","TrangThaiHoSo":4,)"
                               R"("LoaiDoiTuong":"Tổ chức"},)" +
                                   round + "," + kind + "," + key));
  ASSERT_TRUE(batch);
  ASSERT_EQ(batch->dossiers.size(), 4U) << batch->rejected.at(0).reason;
  EXPECT_EQ(batch->dossiers[0].raw, R"({"LoaiDoiTuong":"Tổ chức"})");
  EXPECT_EQ(batch->dossiers[2].raw, "{\"LoaiDoiTuong\":\"\xEF\xBF\xBD\"}");
  for (const auto& d : batch->dossiers) {
    EXPECT_TRUE(is_valid_utf8(d.raw)) << d.raw;
    EXPECT_TRUE(boost::json::parse(d.raw).is_object()) << d.raw;
  }
}

// Found by fuzz_mc_payload: Boost.JSON reads 1e400 as infinity and writes it back as
// `Infinity`, so `raw` was stored as text that is not JSON, a code read as "inf", and a
// statistics record was rejected as malformed JSON for a member it does not read.
TEST(McPayload, NumbersBeyondADoubleRejectTheirRecord) {
  auto batch = parse_envelope(envelope(
      "DongBoHoSoMC",
      R"({"MaHoSo":"B-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"DanhSachHoSoBoSung":[{"X":1e400}]},)"
      R"({"MaHoSo":"B-2","TrangThaiHoSo":4,"MaTTHC":-2e345},)"
      R"({"MaHoSo":"G","TrangThaiHoSo":4,"MaTTHC":1.5e300,)"
      R"("DanhSachHoSoBoSung":[{"X":1e-400}]})"));
  ASSERT_TRUE(batch);
  ASSERT_EQ(batch->dossiers.size(), 1U);
  EXPECT_EQ(batch->dossiers[0].dossier.procedure_code, "1.5e+300");
  EXPECT_EQ(batch->dossiers[0].raw, R"({"DanhSachHoSoBoSung":[{"X":0E0}]})");
  ASSERT_EQ(batch->rejected.size(), 2U);
  EXPECT_EQ(batch->rejected[0].reason, "DanhSachHoSoBoSung: a number out of range");
  EXPECT_EQ(batch->rejected[1].reason, "MaTTHC: a number out of range");

  auto stats = parse_envelope(
      envelope("DongBoThongKeHoSo", R"({"Thang":7,"Nam":2020,"Madonvi":"X1","Khac":1e999})"));
  ASSERT_TRUE(stats);
  ASSERT_EQ(stats->rejected.size(), 1U);
  EXPECT_EQ(stats->rejected[0].reason, "a number out of range");
}

TEST(McPayload, EnvelopeErrorsRejectTheWholeBody) {
  EXPECT_EQ(parse_envelope("{not json").error().message.rfind("malformed JSON", 0), 0U);
  EXPECT_EQ(parse_envelope("\"x\"").error().message,
            "expected an MC envelope object or an array of records, got a string");
  EXPECT_EQ(parse_envelope("[]", {}, "XoaHoSo").error().message,
            R"(service (query parameter): unknown service "XoaHoSo" (expected DongBoHoSoMC, )"
            R"(CapNhatTienDoHoSoMC or DongBoThongKeHoSo))");
  EXPECT_EQ(parse_envelope(R"({"data":[]})").error().message, "service: missing");
  EXPECT_EQ(parse_envelope(R"({"service":"XoaHoSo","data":[]})").error().message,
            R"(service: unknown service "XoaHoSo" (expected DongBoHoSoMC, CapNhatTienDoHoSoMC )"
            R"(or DongBoThongKeHoSo))");
  EXPECT_EQ(
      parse_envelope(R"({"service":"DongBoHoSoMC","madonvi":["x"],"data":[]})").error().message,
      "madonvi: expected a string, got an array");
  EXPECT_EQ(parse_envelope(R"({"service":"DongBoHoSoMC"})").error().message, "data: missing");
  EXPECT_EQ(parse_envelope(R"({"service":"DongBoHoSoMC","data":{}})").error().message,
            "data: expected an array, got an object");
  EXPECT_FALSE(parse_envelope(""));
  EXPECT_FALSE(parse_envelope(std::string(100, '[') + std::string(100, ']')));  // too deep
}

TEST(McPayload, EmptyDataIsFine) {
  auto batch = parse_envelope(envelope("DongBoHoSoMC", ""));
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->records, 0U);
}

TEST(McPayload, DuplicateCodesInOneBatchAreAllKeptInOrder) {
  auto batch = parse_envelope(envelope(
      "DongBoHoSoMC",
      R"({"MaHoSo":"D-1","MaTTHC":"1.004227","TrangThaiHoSo":4},{"MaHoSo":"D-1","MaTTHC":"1.004227","TrangThaiHoSo":9})"));
  ASSERT_TRUE(batch);
  ASSERT_EQ(batch->dossiers.size(), 2U);
  EXPECT_EQ(batch->dossiers[1].dossier.status, Status::Finished);
}

TEST(McPayload, ProgressService) {
  auto batch = parse_envelope(envelope(
      "CapNhatTienDoHoSoMC",
      R"({"MaHoSo":"P-1","ThoiDiemXuLy":"20260302100000","TrangThai":5,"PhongBanXuLy":"Một cửa",
          "NguoiXuLy":"Lê C","NgayKetThucTheoQuyDinh":""},
         {"MaHoSo":"P-1","TrangThai":5},
         {"ThoiDiemXuLy":"20260302100000","TrangThai":5})"));
  ASSERT_TRUE(batch);
  ASSERT_EQ(batch->progress.size(), 1U);
  EXPECT_EQ(batch->progress[0].dossier_code, "P-1");
  EXPECT_EQ(batch->progress[0].entry.status, Status::AwaitingSupplement);
  EXPECT_EQ(batch->progress[0].entry.department, "Một cửa");
  EXPECT_FALSE(batch->progress[0].entry.step_deadline);
  ASSERT_EQ(batch->rejected.size(), 2U);
  EXPECT_EQ(batch->rejected[0].reason, "ThoiDiemXuLy: missing");
  EXPECT_EQ(batch->rejected[0].code, "P-1");
  EXPECT_EQ(batch->rejected[1].reason, "MaHoSo: missing");
}

TEST(McPayload, SameRecordSameHashDifferentContentDifferentHash) {
  auto a = parse_envelope(envelope("DongBoHoSoMC", kDossier)).value();
  auto b = parse_envelope(envelope("DongBoHoSoMC", kDossier)).value();
  EXPECT_EQ(a.dossiers[0].content_hash, b.dossiers[0].content_hash);
  std::string changed(kDossier);
  changed.replace(changed.find("Thẩm định hồ sơ"), std::string("Thẩm định hồ sơ").size(), "Duyệt");
  auto c = parse_envelope(envelope("DongBoHoSoMC", changed)).value();
  EXPECT_NE(a.dossiers[0].content_hash,
            c.dossiers[0].content_hash);  // only a progress entry differs
  EXPECT_EQ(a.dossiers[0].raw,
            R"({"DanhSachHoSoBoSung":[{"NgayBoSung":)"
            R"("20260303090000","NgayTiepNhanBoSung":"","NgayHenTraTruoc":"20260305090000",)"
            R"("NgayHenTraMoi":null}]})");
}

// Stored with every snapshot: a parser that fingerprinted differently would take every re-sent
// record for a new one after an upgrade. The value is what the parser gave before members
// outside the kept ones were left out of the fingerprint: a record of kept members only keeps it.
TEST(McPayload, FingerprintOfARecordOfKeptMembersIsPinned) {
  constexpr std::string_view kKept =
      R"({"MaHoSo":"000.00.12.H42-260302-0001","MaTTHC":"1.004227","TenTTHC":"Cấp giấy phép",)"
      R"("MaLinhVuc":"AT-BX","KenhThucHien":2,"NgayTiepNhan":"20260302090000",)"
      R"("NgayHenTra":"20260305090000","TrangThaiHoSo":"4","LoaiDoiTuong":"1",)"
      R"("DanhSachHoSoBoSung":[{"NgayBoSung":"20260303090000"}],"QuaTrinhXuLy":[{"NguoiXuLy":)"
      R"("Trần Thị B","ThoiDiemXuLy":"20260302090000","PhongBanXuLy":"Bộ phận Một cửa",)"
      R"("TrangThai":"2"}]})";
  auto a = parse_envelope(envelope("DongBoHoSoMC", kKept)).value();
  ASSERT_EQ(a.dossiers.size(), 1U);
  EXPECT_EQ(a.dossiers[0].content_hash, 15173201402241068571ULL);
  EXPECT_EQ(a.dossiers[0].raw,
            R"({"LoaiDoiTuong":"1","DanhSachHoSoBoSung":[{"NgayBoSung":"20260303090000"}]})");
}

// Personal details and unknown members are dropped whole: not in `raw`, and no part of the
// fingerprint, so a re-sent record whose applicant's phone changed is the same record.
TEST(McPayload, PersonalDetailsAndUnknownMembersAreNotKept) {
  const std::string base =
      R"({"MaHoSo":"000.00.12.H42-260302-0002","MaTTHC":"1.004227","TrangThaiHoSo":2,)"
      R"("NgayTiepNhan":"2026-03-02 09:00:00","LoaiDoiTuong":{"MaMuc":"1","TenMuc":"Công dân"})";
  const std::string personal =
      R"(,"ThongTinNguoiNop":{"HoTen":"Nguyễn Văn A","SoCMND":"001090012345",)"
      R"("SoDienThoai":"0912345678","Email":"a@example.vn","DiaChi":"12 Hàng Bạc"},)"
      R"("SoCMND":"001090012345","CCCD":"001090012345","SoDienThoai":"0912345678",)"
      R"("Email":"a@example.vn","DiaChi":"12 Hàng Bạc, Hoàn Kiếm",)"
      R"("ThanhPhanHoSo":[{"TenGiayTo":"Tờ khai","DuongDan":"http://x/1.pdf"}],)"
      R"("DSKetNoiCSDL":[{"MaCSDL":"1"}])";
  auto plain = parse_envelope(envelope("DongBoHoSoMC", base + "}")).value();
  auto with = parse_envelope(envelope("DongBoHoSoMC", base + personal + "}")).value();
  std::string other_phone = personal;
  other_phone.replace(other_phone.find("0912345678"), 10, "0987654321");
  auto changed = parse_envelope(envelope("DongBoHoSoMC", base + other_phone + "}")).value();
  ASSERT_EQ(with.dossiers.size(), 1U);
  const std::string& raw = with.dossiers[0].raw;
  EXPECT_EQ(raw, R"({"LoaiDoiTuong":{"MaMuc":"1","TenMuc":"Công dân"}})");
  for (std::string_view secret : {"001090012345", "0912345678", "example.vn", "Hàng Bạc",
                                  "Nguyễn Văn A", "ThanhPhanHoSo", "DSKetNoiCSDL", "pdf"}) {
    EXPECT_EQ(raw.find(secret), std::string::npos) << secret;
  }
  EXPECT_EQ(with.dossiers[0].content_hash, plain.dossiers[0].content_hash);
  EXPECT_EQ(changed.dossiers[0].content_hash, plain.dossiers[0].content_hash);
  EXPECT_EQ(with.dossiers[0].dossier.received, make_moment(2026, 3, 2, 9));
}

TEST(McPayload, JsonLinesTakeDossiersOrEnvelopes) {
  auto d = parse_line(R"({"MaHoSo":"L-1","MaTTHC":"1.004227","TrangThaiHoSo":2})", 7);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->dossiers.size(), 1U);
  auto bad = parse_line(R"({"MaHoSo":"L-1","MaTTHC":"1.004227","TrangThaiHoSo":11})", 7);
  ASSERT_TRUE(bad);
  ASSERT_EQ(bad->rejected.size(), 1U);
  EXPECT_EQ(bad->rejected[0].index, 7U);
  auto env = parse_line(
      envelope("DongBoHoSoMC", R"({"MaHoSo":"L-2","MaTTHC":"1.004227","TrangThaiHoSo":2},{"x":1})"),
      9);
  ASSERT_TRUE(env);
  EXPECT_EQ(env->dossiers.size(), 1U);
  ASSERT_EQ(env->rejected.size(), 1U);
  EXPECT_EQ(env->rejected[0].index, 9U);
  EXPECT_EQ(env->rejected[0].reason, "data[1]: MaHoSo: missing");
  EXPECT_FALSE(parse_line("{", 3));
  auto bare = parse_line(
      R"([{"MaHoSo":"L-3","MaTTHC":"1.004227","TrangThaiHoSo":2},{"MaHoSo":"L-4","MaTTHC":"1.004227"}])",
      11);
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->dossiers.size(), 1U);
  ASSERT_EQ(bare->rejected.size(), 1U);
  EXPECT_EQ(bare->rejected[0].index, 11U);
  EXPECT_EQ(bare->rejected[0].reason, "data[1]: TrangThaiHoSo: missing");
}

TEST(McPayload, HostileSizesAreBounded) {
  Limits limits;
  limits.max_list_items = 10;
  std::string entries;
  for (int i = 0; i < 11; ++i) {
    entries += std::string(i ? "," : "") + R"({"ThoiDiemXuLy":"20260302100000","TrangThai":4})";
  }
  auto batch = parse_envelope(
      envelope("DongBoHoSoMC",
               R"({"MaHoSo":"H-1","MaTTHC":"1.004227","TrangThaiHoSo":4,"QuaTrinhXuLy":[)" +
                   entries + "]}"),
      limits);
  ASSERT_TRUE(batch);
  ASSERT_EQ(batch->rejected.size(), 1U);
  EXPECT_EQ(batch->rejected[0].reason, "QuaTrinhXuLy: too many items: 11 (at most 10)");
  auto code = parse_envelope(envelope(
      "DongBoHoSoMC", R"({"MaHoSo":")" + std::string(1 << 20, 'M') + R"(","TrangThaiHoSo":4})"));
  ASSERT_TRUE(code);
  ASSERT_EQ(code->rejected.size(), 1U);
  EXPECT_LT(code->rejected[0].reason.size(), 300U);  // a megabyte is not echoed back
  EXPECT_EQ(code->rejected[0].code, "");
}

}  // namespace
}  // namespace tthc::ingest

namespace tthc::ingest {
namespace {

// --- what real senders write (issue 13) -------------------------------------------------------

TEST(McPayloadSenders, EnvelopeWithFurtherKeysIsRead) {
  auto batch = parse_envelope(
      R"({"session":"f3a9c0de-1111","madonvi":"000.00.00.H42","service":"DongBoHoSoMC",)"
      R"("isUpdating":"True","phienban":"2.0","nguoigui":{"ten":"iGate"},)"
      R"("data":[{"MaHoSo":"000.00.12.H42-260302-0001","MaTTHC":"1.004227","TrangThaiHoSo":"2",)"
      R"("NgayTiepNhan":"2026-06-08 14:07:53"}]})");
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_EQ(batch->sender, "000.00.00.H42");
  ASSERT_EQ(batch->dossiers.size(), 1U);
  EXPECT_EQ(batch->dossiers[0].dossier.received, make_moment(2026, 6, 8, 14, 7, 53));
  EXPECT_EQ(batch->dossiers[0].raw.find("f3a9c0de"), std::string::npos);  // session not kept
}

TEST(McPayloadSenders, EnvelopeWithoutMadonviHasNoSender) {
  auto batch = parse_envelope(R"({"service":"DongBoHoSoMC","data":[]})");
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->sender, "");
  auto number = parse_envelope(R"({"service":"DongBoHoSoMC","madonvi":42,"data":[]})");
  ASSERT_TRUE(number);
  EXPECT_EQ(number->sender, "42");
}

TEST(McPayloadSenders, BareArrayIsDossiersUnlessTheHintSaysOtherwise) {
  const std::string dossiers =
      R"([{"MaHoSo":"A-1","MaTTHC":"1.004227","TrangThaiHoSo":2},{"MaHoSo":"A-2","MaTTHC":"1.004227"}])";
  auto batch = parse_envelope(dossiers);
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_EQ(batch->records, 2U);
  ASSERT_EQ(batch->dossiers.size(), 1U);
  ASSERT_EQ(batch->rejected.size(), 1U);
  EXPECT_EQ(batch->rejected[0].index, 1U);
  EXPECT_EQ(batch->rejected[0].code, "A-2");
  EXPECT_EQ(batch->rejected[0].reason, "TrangThaiHoSo: missing");
  EXPECT_EQ(batch->sender, "");

  auto progress =
      parse_envelope(R"([{"MaHoSo":"A-1","ThoiDiemXuLy":"08/06/2026 14:07:53","TrangThai":"4"}])",
                     {}, "CapNhatTienDoHoSoMC");
  ASSERT_TRUE(progress) << progress.error().message;
  ASSERT_EQ(progress->progress.size(), 1U);
  EXPECT_EQ(progress->progress[0].entry.at, make_moment(2026, 6, 8, 14, 7, 53));
  EXPECT_EQ(progress->progress[0].entry.status, Status::InProcess);

  // An envelope's own service wins over the hint.
  auto own = parse_envelope(
      envelope("DongBoHoSoMC", R"({"MaHoSo":"A-1","MaTTHC":"1.004227","TrangThaiHoSo":2})"), {},
      "CapNhatTienDoHoSoMC");
  ASSERT_TRUE(own);
  EXPECT_EQ(own->dossiers.size(), 1U);
}

TEST(McPayloadSenders, StatisticsRecordsAreReadByTheirOwnReader) {
  auto batch = parse_envelope(R"({"session":"s","madonvi":"000.00.00.H42",)"
                              R"("service":"DongBoThongKeHoSo","data":[)"
                              R"({"Thang":"7","Nam":"2020","Madonvi":"000.00.12.H42",)"
                              R"("SoNhanTrongKy":"120","TongDaXuLy":"100"},"x",)"
                              R"({"Thang":"8","Nam":"2020"}]})");
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_EQ(batch->records, 3U);
  EXPECT_EQ(batch->sender, "000.00.00.H42");
  ASSERT_EQ(batch->statistics.size(), 1U);
  EXPECT_EQ(batch->statistics[0].year, 2020);
  EXPECT_EQ(batch->statistics[0].month, 7U);
  EXPECT_EQ(batch->statistics[0].figures.received, 120);
  EXPECT_EQ(batch->statistics[0].figures.resolved, 100);
  ASSERT_EQ(batch->rejected.size(), 2U);
  EXPECT_EQ(batch->rejected[0].index, 1U);
  EXPECT_EQ(batch->rejected[0].reason, "expected an object, got a string");
  EXPECT_EQ(batch->rejected[1].index, 2U);
  EXPECT_EQ(batch->rejected[1].reason, "Madonvi: missing");
  EXPECT_TRUE(batch->dossiers.empty());

  auto bare = parse_envelope(R"([{"Thang":"7","Nam":"2020","Madonvi":"000.00.12.H42"}])", {},
                             "DongBoThongKeHoSo");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->statistics.size(), 1U);
}

// Every date form of domain.md §2 gives the same moment; "" and null are absent.
TEST(McPayloadSenders, EveryDateForm) {
  for (std::string_view form :
       {R"("20260608140753")", R"(20260608140753)", R"("2026-06-08 14:07:53")",
        R"("2026-06-08T14:07:53")", R"("2026-06-08T14:07:53.123")", R"("2026-06-08 14:07:53.5")",
        R"("2026-06-08T07:07:53Z")", R"("2026-06-08T07:07:53.000Z")",
        R"("2026-06-08T14:07:53+07:00")", R"("2026-06-08T16:07:53.25+09:00")",
        R"("2026-06-08T02:07:53-05:00")", R"("08/06/2026 14:07:53")"}) {
    SCOPED_TRACE(form);
    auto batch = parse_envelope(envelope(
        "DongBoHoSoMC", R"({"MaHoSo":"A-1","MaTTHC":"1.004227","TrangThaiHoSo":2,"NgayTiepNhan":)" +
                            std::string(form) + "}"));
    ASSERT_TRUE(batch);
    ASSERT_EQ(batch->dossiers.size(), 1U) << batch->rejected.at(0).reason;
    EXPECT_EQ(batch->dossiers[0].dossier.received, make_moment(2026, 6, 8, 14, 7, 53));
  }
  auto day = parse_envelope(
      envelope("DongBoHoSoMC",
               R"({"MaHoSo":"A-1","MaTTHC":"1.004227","TrangThaiHoSo":2,"NgayHenTra":"15/06/2026",)"
               R"("NgayTiepNhan":"","NgayTra":null,"NgayKetThucXuLy":"  "})"));
  ASSERT_TRUE(day);
  ASSERT_EQ(day->dossiers.size(), 1U) << day->rejected.at(0).reason;
  const Dossier& d = day->dossiers[0].dossier;
  EXPECT_EQ(d.promised_due, make_moment(2026, 6, 15));
  EXPECT_FALSE(d.received);
  EXPECT_FALSE(d.returned);
  EXPECT_FALSE(d.processing_end);
}

// Every code form: number, numeric string, {"MaMuc", "TenMuc"} object.
TEST(McPayloadSenders, EveryCodeForm) {
  for (std::string_view status :
       {R"(4)", R"("4")", R"(" 4 ")", R"(4.0)", R"({"MaMuc":"4","TenMuc":"Đang xử lý"})",
        R"({"MaMuc":4,"TenMuc":"Đang xử lý"})"}) {
    for (std::string_view channel :
         {R"(2)", R"("2")", R"({"MaMuc":"2","TenMuc":"Trực tuyến"})", R"({"MaMuc":2})"}) {
      SCOPED_TRACE(std::string(status) + " " + std::string(channel));
      auto batch = parse_envelope(envelope(
          "DongBoHoSoMC", R"({"MaHoSo":"A-1","MaTTHC":"1.004227","TrangThaiHoSo":)" +
                              std::string(status) + R"(,"KenhThucHien":)" + std::string(channel) +
                              R"(,"MaLinhVuc":{"MaMuc":"G09-TP","TenMuc":"Hộ tịch"},)"
                              R"("MaTTHC":{"MaMuc":1.004227},"LoaiDoiTuong":"1"})"));
      ASSERT_TRUE(batch);
      ASSERT_EQ(batch->dossiers.size(), 1U) << batch->rejected.at(0).reason;
      const Dossier& d = batch->dossiers[0].dossier;
      EXPECT_EQ(d.status, Status::InProcess);
      EXPECT_EQ(d.channel, Channel::Online);
      EXPECT_EQ(d.field_code, "G09-TP");
      EXPECT_EQ(d.procedure_code, "1.004227");
    }
  }
  auto progress = parse_envelope(envelope(
      "CapNhatTienDoHoSoMC",
      R"({"MaHoSo":"A-1","ThoiDiemXuLy":"2026-06-08 14:07:53","TrangThai":{"MaMuc":"5"}})"));
  ASSERT_TRUE(progress);
  ASSERT_EQ(progress->progress.size(), 1U) << progress->rejected.at(0).reason;
  EXPECT_EQ(progress->progress[0].entry.status, Status::AwaitingSupplement);
}

// "", "0", 0, null or a status word: kept, with the status unknown.
TEST(McPayloadSenders, UnknownStatusesAreKeptAndFlagged) {
  for (std::string_view status : {R"("")", R"("0")", R"(0)", R"(null)", R"("Đang xử lý")",
                                  R"("DangXuLy")", R"({"MaMuc":"","TenMuc":"Đang xử lý"})"}) {
    SCOPED_TRACE(status);
    auto batch = parse_envelope(envelope(
        "DongBoHoSoMC",
        R"({"MaHoSo":"A-1","MaTTHC":"1.004227","NgayTiepNhan":"20260302090000","TrangThaiHoSo":)" +
            std::string(status) + "}"));
    ASSERT_TRUE(batch);
    ASSERT_EQ(batch->dossiers.size(), 1U) << batch->rejected.at(0).reason;
    EXPECT_EQ(batch->dossiers[0].dossier.status, Status::Unknown);
  }
  // A progress entry's TrangThai stays a code: an entry of unknown kind is rejected.
  auto progress = parse_envelope(envelope(
      "CapNhatTienDoHoSoMC", R"({"MaHoSo":"A-1","ThoiDiemXuLy":"20260302090000","TrangThai":0})"));
  ASSERT_TRUE(progress);
  ASSERT_EQ(progress->rejected.size(), 1U);
  EXPECT_EQ(progress->rejected[0].reason, "TrangThai: not a status code (1–10): 0");
}

TEST(McPayloadSenders, PollPageFlagsAsSendersWriteThem) {
  const std::pair<std::string_view, std::optional<bool>> cases[] = {
      {R"(true)", true}, {R"("True")", true}, {R"("true")", true},       {R"("1")", true},
      {R"(1)", true},    {R"(false)", false}, {R"("False")", false},     {R"("false")", false},
      {R"("0")", false}, {R"(0)", false},     {R"("yes")", std::nullopt}};
  for (const auto& [more, expected] : cases) {
    SCOPED_TRACE(more);
    auto page = parse_page(R"({"data":[],"has_more":)" + std::string(more) + "}", PageShape{},
                           RecordKind::Dossier);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->has_more, expected);
  }
}

}  // namespace
}  // namespace tthc::ingest
