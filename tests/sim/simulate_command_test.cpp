// The real executable: `simulate --out` files imported by `import`, bad arguments, and
// `simulate --serve` answering polls and pushing to a webhook until SIGTERM.
#include "http/client.hpp"
#include "http/server.hpp"
#include "ingest/mc_payload.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace tthc {
namespace {

using test::Outcome;

using test::monitor::run;

using test::read_file;

/// The number after `label` in a summary, thousands separators dropped; -1 when absent.
long long figure(const std::string& text, const std::string& label) {
  const auto at = text.find(label);
  if (at == std::string::npos) return -1;
  std::string digits;
  for (std::size_t i = at + label.size(); i < text.size() && text[i] != '\n'; ++i) {
    if (text[i] >= '0' && text[i] <= '9') {
      digits += text[i];
    } else if (text[i] != ',' && text[i] != ' ' && !digits.empty()) {
      break;
    }
  }
  return digits.empty() ? -1 : std::stoll(digits);
}

TEST(SimulateCommand, WritesAFileThatImportsWithTheSameCounts) {
  test::TempDir dir;
  const std::string file = dir.file("march.jsonl").string();
  Outcome r = run({"simulate", "--from", "2025-03-01", "--to", "2025-03-31", "--out", file,
                   "--seed", "5", "--rate", "30"});
  ASSERT_EQ(r.status, 0) << r.err;
  const long long dossiers = figure(r.out, "\n  dossiers ");
  const long long deliveries = figure(r.out, "\n  deliveries ");
  const long long duplicates = figure(r.out, "\n  duplicates ");
  const long long bad = figure(r.out, "\n  bad ");
  const long long out_of_order = figure(r.out, "\n  out of order ");
  EXPECT_GT(dossiers, 400);  // ~30 a day over 21 working days
  EXPECT_GT(deliveries, dossiers * 4);
  EXPECT_GT(duplicates, 0);
  EXPECT_GE(bad, 0);
  EXPECT_NE(r.out.find("late departments"), std::string::npos) << r.out;
  const std::string text = read_file(file);
  EXPECT_EQ(static_cast<long long>(std::count(text.begin(), text.end(), '\n')), deliveries);

  // Deterministic: the same seed writes the same bytes, another seed others.
  const std::string again = dir.file("again.jsonl").string();
  ASSERT_EQ(run({"simulate", "--from", "2025-03-01", "--to", "2025-03-31", "--out", again, "--seed",
                 "5", "--rate", "30"})
                .status,
            0);
  EXPECT_TRUE(read_file(again) == text);
  const std::string other = dir.file("other.jsonl").string();
  ASSERT_EQ(run({"simulate", "--from", "2025-03-01", "--to", "2025-03-31", "--out", other, "--seed",
                 "6", "--rate", "30"})
                .status,
            0);
  EXPECT_FALSE(read_file(other) == text);

  // The monitor takes the file: every dossier, every bad record rejected, duplicates unchanged.
  r = run({"import", file, "--db", dir.file("t.db").string()});
  EXPECT_EQ(r.status, bad > 0 ? 3 : 0) << r.err;
  EXPECT_EQ(figure(r.out, "\n  new dossiers "), dossiers) << r.out;
  EXPECT_EQ(figure(r.out, "\n  rejected "), bad) << r.out;
  EXPECT_EQ(figure(r.out, "\n  unchanged "), duplicates) << r.out;
  // Every out-of-order delivery is recognised as older and none overwrites a newer snapshot.
  EXPECT_GT(out_of_order, 0);
  EXPECT_EQ(figure(r.out, "\n  older snapshots "), out_of_order) << r.out;
}

TEST(SimulateCommand, BadArgumentsAreUsageErrors) {
  test::TempDir dir;
  const std::string file = dir.file("x.jsonl").string();
  Outcome r = run({"simulate", "--from", "2025-02-30", "--to", "2025-03-31", "--out", file});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--from: not a date: \"2025-02-30\""), std::string::npos) << r.err;
  r = run({"simulate", "--from", "2025-03-31", "--to", "2025-03-01", "--out", file});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--to"), std::string::npos) << r.err;
  r = run({"simulate", "--from", "2025-03-01", "--to", "2025-03-31"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--out FILE or --serve"), std::string::npos) << r.err;
  r = run({"simulate", "--to", "2025-03-31", "--out", file});
  EXPECT_EQ(r.status, 2);
  r = run({"simulate", "--serve", "--push", "ftp://example.org/x"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--push"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(file));
}

// A webhook that keeps what it is sent; the test waits for the first body.
class Webhook {
 public:
  Webhook() {
    http::Router router;
    router.add("POST", "/hook", [this](const http::Request& req) {
      {
        const std::lock_guard lock(mutex_);
        bodies_.push_back(req.body);
      }
      arrived_.notify_all();
      return http::Response{200, "application/json", R"({"records":0})", {}, {}};
    });
    server_ = std::make_unique<http::Server>(http::ServerOptions{}, std::move(router));
    port_ = server_->start().value();
  }
  std::uint16_t port() const { return port_; }
  std::optional<std::string> first(std::chrono::seconds timeout) {
    std::unique_lock lock(mutex_);
    if (!arrived_.wait_for(lock, timeout, [&] { return !bodies_.empty(); })) return std::nullopt;
    return bodies_.front();
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<std::string> bodies_;
  std::unique_ptr<http::Server> server_;
  std::uint16_t port_ = 0;
};

TEST(SimulateCommand, ServesThePollApiPushesAndStopsOnSigterm) {
  Webhook hook;
  // The simulator prints its address once it serves.
  test::Daemon daemon(TTHC_EXECUTABLE,
                      {"simulate", "--serve", "--port", "0", "--from", "2025-03-10", "--history",
                       "4", "--rate", "40", "--token", "t0ken", "--push",
                       "http://127.0.0.1:" + std::to_string(hook.port()) + "/hook"},
                      TTHC_SOURCE_DIR);
  ASSERT_NE(daemon.first_line().find("tthc-monitor simulate: serving http://127.0.0.1:"),
            std::string::npos)
      << daemon.first_line();
  const auto port = daemon.port();

  http::ClientRequest req;
  req.target = "/api/dossiers?limit=5";
  auto denied = http::request("127.0.0.1", port, req);
  ASSERT_TRUE(denied) << denied.error().message;
  EXPECT_EQ(denied->status, 401);
  req.headers.emplace_back("Authorization", "Bearer t0ken");
  auto page = http::request("127.0.0.1", port, req);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->status, 200);
  // The history (dossiers of Thu 6/3 and Fri 7/3) is visible at once.
  EXPECT_NE(page->body.find("\"MaHoSo\":\"000.00."), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("\"has_more\":true"), std::string::npos) << page->body;

  const auto pushed = hook.first(std::chrono::seconds(20));
  ASSERT_TRUE(pushed);
  auto batch = ingest::parse_envelope(*pushed);
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_GT(batch->dossiers.size(), 10U);

  EXPECT_EQ(daemon.stop(), 0);
}

}  // namespace
}  // namespace tthc
