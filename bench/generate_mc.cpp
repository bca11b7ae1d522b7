// Writes N generated dossiers as JSON Lines (one DongBoHoSoMC record per line, 6 progress
// entries embedded), for the import and daemon benchmarks:
//   build/bench/generate_mc 1000000 /tmp/dossiers.jsonl [seed [pending-share]]
// Without a pending share the statuses 2–10 are drawn alike (the import benchmark's data);
// with one (0.1: a tenth) that share is in process (2, 4, 5, 6) and the rest ended (7–10, each
// with its NgayKetThucXuLy).
// The records have the MC shape and the sample catalogue's procedures; their content is
// arbitrary but deterministic for a seed. (The realistic province is `tthc-monitor simulate`.)
#include <array>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

namespace {

struct Procedure {
  const char* code;
  const char* name;
  const char* field;
  const char* field_name;
};

constexpr std::array<Procedure, 6> kProcedures = {{
    {"1.004227", "Cấp giấy phép tiến hành công việc bức xạ", "ATBXHN",
     "An toàn bức xạ và hạt nhân"},
    {"1.004337", "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", "HDKHCN",
     "Hoạt động khoa học và công nghệ"},
    {"1.004410", "Đăng ký hợp đồng chuyển giao công nghệ", "CGCN", "Chuyển giao công nghệ"},
    {"1.004507", "Đăng ký công bố hợp quy đối với sản phẩm hàng hóa", "TCDLCL",
     "Tiêu chuẩn đo lường chất lượng"},
    {"1.004601", "Cấp Giấy xác nhận đăng ký sáng kiến", "SHTT", "Sở hữu trí tuệ"},
    {"1.004356", "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ", "HDKHCN",
     "Hoạt động khoa học và công nghệ"},
}};
constexpr std::array<const char*, 4> kUnits = {"000.00.12.H42", "000.00.13.H42", "000.00.14.H42",
                                               "000.00.15.H42"};
constexpr std::array<const char*, 5> kDepartments = {
    "Bộ phận Một cửa", "Phòng Quản lý chuyên ngành", "Phòng Kế hoạch - Tài chính", "Lãnh đạo Sở",
    "Văn thư"};
constexpr std::array<const char*, 4> kHandlers = {"Nguyễn Văn An", "Trần Thị Bình",
                                                  "Lê Hoàng Cường", "Phạm Thu Dung"};

// yyyyMMddHHmmss from days since 2025-01-01 and seconds of day (every month 28+ days is fine
// for benchmark data: days are folded into valid dates).
std::string stamp(int day, int seconds) {
  const int month = 1 + (day / 28) % 12;
  const int dom = 1 + day % 28;
  const int year = 2025 + day / (28 * 12);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", year, month, dom, seconds / 3600,
                seconds / 60 % 60, seconds % 60);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: generate_mc COUNT OUT.jsonl [SEED]\n");
    return 2;
  }
  const long count = std::atol(argv[1]);
  FILE* out = std::fopen(argv[2], "w");
  if (out == nullptr) {
    std::perror(argv[2]);
    return 1;
  }
  std::mt19937 rng(argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 42U);
  const double pending_share = argc > 4 ? std::atof(argv[4]) : -1.0;
  constexpr std::array<int, 4> kPending = {2, 4, 5, 6};
  std::string line;
  line.reserve(4096);
  for (long i = 0; i < count; ++i) {
    const Procedure& p = kProcedures[rng() % kProcedures.size()];
    const char* unit = kUnits[rng() % kUnits.size()];
    const int day = static_cast<int>(i * 600 / std::max(count, 1L));
    const int start = 7 * 3600 + static_cast<int>(rng() % (9 * 3600));
    int status = 2 + static_cast<int>(rng() % 9);
    if (pending_share >= 0) {
      const bool pending = static_cast<double>(rng() % 1'000'000) < pending_share * 1e6;
      status = pending ? kPending[rng() % kPending.size()] : 7 + static_cast<int>(rng() % 4);
    }
    const bool has_end = pending_share >= 0 ? status >= 7 : status >= 9;
    char code[96];
    std::snprintf(code, sizeof code, "%s-%s-%07ld", unit, stamp(day, 0).substr(2, 6).c_str(), i);
    line = "{\"MaHoSo\":\"";
    line += code;
    line += "\",\"MaTTHC\":\"";
    line += p.code;
    line += "\",\"TenTTHC\":\"";
    line += p.name;
    line += "\",\"MaLinhVuc\":\"";
    line += p.field;
    line += "\",\"TenLinhVuc\":\"";
    line += p.field_name;
    line += "\",\"KenhThucHien\":";
    line += std::to_string(1 + rng() % 3);
    line += ",\"NgayNopHoSo\":\"" + stamp(day, start) + "\",\"NgayTiepNhan\":\"" +
            stamp(day, start + 600) + "\",\"NgayHenTra\":\"" + stamp(day + 14, 17 * 3600) +
            "\",\"TrangThaiHoSo\":" + std::to_string(status) + ",\"NgayKetThucXuLy\":\"" +
            (has_end ? stamp(day + 10, 15 * 3600) : "") +
            "\",\"NgayTra\":\"\",\"DonViXuLy\":\"Sở Khoa học và Công nghệ\",\"QuaTrinhXuLy\":[";
    for (int k = 0; k < 6; ++k) {
      if (k > 0) line += ',';
      line += "{\"MaHoSo\":\"";
      line += code;
      line += "\",\"NguoiXuLy\":\"";
      line += kHandlers[rng() % kHandlers.size()];
      line += "\",\"ChucDanh\":\"Chuyên viên\",\"ThoiDiemXuLy\":\"" + stamp(day + k, start + 900) +
              "\",\"PhongBanXuLy\":\"" +
              kDepartments[static_cast<std::size_t>(k) % kDepartments.size()] +
              "\",\"NoiDungXuLy\":\"Xử lý bước " + std::to_string(k + 1) +
              "\",\"TrangThai\":" + std::to_string(k == 0 ? 2 : 4) + ",\"NgayBatDau\":\"" +
              stamp(day + k, start + 900) + "\",\"NgayKetThucTheoQuyDinh\":\"" +
              stamp(day + k + 2, 17 * 3600) + "\"}";
    }
    line += "]}\n";
    std::fwrite(line.data(), 1, line.size(), out);
  }
  std::fclose(out);
  return 0;
}
