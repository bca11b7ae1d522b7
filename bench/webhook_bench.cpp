// Webhook intake over loopback with keep-alive: client threads POST MC envelopes to the real
// server (Beast, worker pool, group-committing intake, SQLite on a temp file) and the wall time
// of the whole run gives dossiers per second.
//   build/bench/webhook_bench [records_per_request=100] [threads=4] [requests_per_thread=250]
#include "api/mc_webhook.hpp"
#include "http/client.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>
#include <vector>

using namespace tthc;

namespace {

std::string record(const std::string& code) {
  std::string r =
      R"({"MaHoSo":")" + code +
      R"(","MaTTHC":"1.004227","TenTTHC":"Cấp giấy phép tiến hành công việc bức xạ",)"
      R"("MaLinhVuc":"ATBXHN","TenLinhVuc":"An toàn bức xạ và hạt nhân","KenhThucHien":2,)"
      R"("NgayTiepNhan":"20260302090000","NgayHenTra":"20260330170000","TrangThaiHoSo":4,)"
      R"("DonViXuLy":"Sở Khoa học và Công nghệ","QuaTrinhXuLy":[)";
  for (int k = 0; k < 6; ++k) {
    if (k > 0) r += ',';
    r += R"({"NguoiXuLy":"Nguyễn Văn An","ThoiDiemXuLy":"2026030)" + std::to_string(2 + k) +
         R"(100000","PhongBanXuLy":"Phòng Quản lý chuyên ngành","NoiDungXuLy":"Xử lý",)"
         R"("TrangThai":4,"NgayKetThucTheoQuyDinh":"20260310170000"})";
  }
  return r + "]}";
}

}  // namespace

int main(int argc, char** argv) {
  const int per_request = argc > 1 ? std::atoi(argv[1]) : 100;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 4;
  const int requests = argc > 3 ? std::atoi(argv[3]) : 250;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("tthc-webhook-bench-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);

  auto writer = store::Writer::open(store::Options{dir / "bench.db", false, 5000});
  if (!writer) {
    std::fprintf(stderr, "%s\n", writer.error().message.c_str());
    return 1;
  }
  ingest::Intake intake(std::move(*writer));
  http::Router router;
  api::add_mc_webhook(router, intake, system_clock(), api::WebhookOptions{});
  http::ServerOptions so;
  so.worker_threads = 8;
  http::Server server(so, std::move(router));
  auto port = server.start();
  if (!port) {
    std::fprintf(stderr, "%s\n", port.error().message.c_str());
    return 1;
  }

  // Bodies are built before the clock starts.
  std::vector<std::vector<std::string>> bodies(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    for (int i = 0; i < requests; ++i) {
      std::string body = R"({"service":"DongBoHoSoMC","data":[)";
      for (int k = 0; k < per_request; ++k) {
        if (k > 0) body += ',';
        body += record("000.00.12.H42-260302-" + std::to_string(t) + "-" + std::to_string(i) + "-" +
                       std::to_string(k));
      }
      bodies[static_cast<std::size_t>(t)].push_back(body + "]}");
    }
  }
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(threads));
  std::atomic<int> failures{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> clients;
  for (int t = 0; t < threads; ++t) {
    clients.emplace_back([&, t] {
      auto conn = http::Connection::open("127.0.0.1", *port);
      if (!conn) {
        ++failures;
        return;
      }
      for (const std::string& body : bodies[static_cast<std::size_t>(t)]) {
        const auto t0 = std::chrono::steady_clock::now();
        auto r =
            conn->send(http::ClientRequest{"POST", "/api/v1/mc", body, "application/json", {}});
        latencies[static_cast<std::size_t>(t)].push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
        if (!r || r->status != 200) ++failures;
      }
    });
  }
  for (auto& c : clients) c.join();
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  server.stop();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  const double dossiers = static_cast<double>(threads) * requests * per_request;
  std::printf("records_per_request=%d threads=%d requests=%d failures=%d\n", per_request, threads,
              threads * requests, failures.load());
  std::printf("dossiers/s=%.0f requests/s=%.0f p50=%.2f ms p99=%.2f ms (%.2f s)\n", dossiers / secs,
              threads * requests / secs, all[all.size() / 2], all[all.size() * 99 / 100], secs);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return failures.load() == 0 ? 0 : 1;
}
