#pragma once
// What the backup and restore tests share: a daemon configuration with its store, alert state
// and reports inside a temporary folder, and numbered MC dossiers to post to its webhook.

#include "http/client.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

#include <string>

namespace tthc::test {

/// The MaHoSo of dossier number `n`.
inline std::string mc_code(int n) {
  const std::string digits = std::to_string(n);
  return "000.00.12.H42-260302-" + std::string(digits.size() < 6 ? 6 - digits.size() : 0, '0') +
         digits;
}

/// Dossier number `n` (received 2/3/2026, promised 6/3): every third one finished early, the
/// others still in process (overdue: their alerts fill the alert state).
inline std::string mc_dossier(int n) {
  const std::string code = mc_code(n);
  const bool finished = n % 3 == 0;
  return R"({"MaHoSo":")" + code + R"(","MaTTHC":"1.004227","MaLinhVuc":"KHCN","TrangThaiHoSo":)" +
         (finished ? "9" : "4") +
         R"(,"NgayTiepNhan":"20260302090000","NgayHenTra":"20260306090000",)" +
         (finished ? R"("NgayKetThucXuLy":"20260304090000",)" : "") +
         R"("QuaTrinhXuLy":[{"ThoiDiemXuLy":"20260302100000","TrangThai":4,)"
         R"("PhongBanXuLy":"Phòng A"}]})";
}

inline std::string mc_envelope(int first, int count) {
  std::string data;
  for (int i = first; i < first + count; ++i) data += (i > first ? "," : "") + mc_dossier(i);
  return R"({"service":"DongBoHoSoMC","data":[)" + data + "]}";
}

/// POSTs dossiers [first, first + count) to the webhook; true once it answered 200.
inline bool post_dossiers(std::uint16_t port, int first, int count) {
  http::ClientRequest req{"POST", "/api/v1/mc", mc_envelope(first, count), "application/json", {}};
  auto r = http::request("127.0.0.1", port, req);
  return r && r->status == 200;
}

/// A configuration in `dir`/`name`: the shipped holidays and catalogue; the store, the alert
/// state (a webhook sink that never answers, so the state is written) and the reports under
/// `dir`/`data`.
inline std::string backup_config(const TempDir& dir, const std::string& name,
                                 const std::string& data = "data") {
  const std::string src = TTHC_SOURCE_DIR;
  return dir
      .write(name, "[calendar]\nholidays_dir = \"" + src + "/config/holidays\"\n" +
                       "[catalogue]\nfile = \"" + src + "/config/procedures.csv\"\n" +
                       "[store]\npath = \"" + data + "/d.db\"\n" +
                       "[http]\nlisten = \"127.0.0.1:0\"\n" + "[reports]\ndir = \"" + data +
                       "/reports\"\n" + "[alerts]\nstate = \"" + data + "/alerts.db\"\n" +
                       "[[alerts.webhook]]\nurl = \"http://127.0.0.1:" +
                       std::to_string(free_port()) + "/hook\"\nmax_attempts = 2\n")
      .string();
}

}  // namespace tthc::test
