#pragma once
// Polling the one-stop system, for provinces that cannot add a webhook destination.
//
// Each cycle GETs `url?<cursor_param>=<cursor>&<limit_param>=<page_size>` page after page (at
// most max_pages_per_cycle), reads the records with the same parser as the webhook, optionally
// fetches each dossier's progress entries from `progress_url`, and submits every page to the
// intake together with the page's next cursor: records and cursor commit in one transaction,
// so a crash never skips a change nor counts one twice. Upstream failures (connection errors,
// timeouts, HTML error pages, truncated or misshapen bodies, 5xx, 429 with Retry-After) end the
// cycle; the next one waits with exponential backoff and jitter. The first failure of a streak
// is logged, the rest only counted; the recovery is logged too.
//
// Thread-safe: start() and stop() from the owner (or run_cycle() from one thread, in tests),
// stats() from any.

#include "base/clock.hpp"
#include "base/log.hpp"
#include "ingest/intake.hpp"
#include "ingest/mc_payload.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace tthc::ingest {

struct PollerOptions {
  std::string name = "onestop";  ///< the intake source is "poll:<name>"
  std::string url;               ///< http:// or https:// list URL
  std::string cursor_param = "since";
  std::string limit_param = "limit";
  std::size_t page_size = 100;
  PageShape shape;
  /// Optional: each dossier's progress entries; "{code}" is replaced by the MaHoSo.
  std::string progress_url;
  PageShape progress_shape{"data", "", ""};
  std::chrono::milliseconds interval{30'000};
  std::chrono::milliseconds timeout{10'000};  ///< connect, TLS handshake, write, read
  std::size_t max_pages_per_cycle = 50;
  std::chrono::milliseconds backoff_initial{1'000};
  std::chrono::milliseconds backoff_max{300'000};

  enum class Auth { None, Bearer, ApiKey, Basic };
  Auth auth = Auth::None;
  std::string secret;  ///< the token, the API key, or "user:password"; never logged
  std::string api_key_header = "X-API-Key";
  std::optional<std::filesystem::path> ca_file;  ///< https: trust this CA bundle
  Limits limits;
};

struct PollStats {
  std::uint64_t cycles = 0;
  std::uint64_t cycles_failed = 0;
  std::uint64_t pages = 0;
  std::uint64_t records = 0;
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
  std::uint64_t consecutive_failures = 0;
  std::optional<std::int64_t> last_success_unix;
  std::string last_error;
};

class Poller {
 public:
  /// What the poller takes from its surroundings, replaceable in tests.
  struct Seams {
    std::function<std::uint64_t()> random;  ///< jitter
    Log log;                                ///< no secrets in it
  };

  /// `clock` gives the batches' arrival and the last success; it must outlive the poller.
  Poller(PollerOptions options, Intake& intake, std::filesystem::path db_path, const Clock& clock,
         Seams seams = {});
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  struct CycleResult {
    bool ok = true;
    std::size_t pages = 0;
    std::size_t records = 0;
    std::size_t accepted = 0;
    std::size_t rejected = 0;
    std::string error;
    std::optional<std::chrono::milliseconds> retry_after;  ///< asked by the upstream
  };
  /// One cycle, from the stored cursor.
  CycleResult run_cycle();
  /// The wait after a cycle: the interval after a success; after the n-th failure in a row
  /// min(backoff_max, backoff_initial × 2^(n−1)) with jitter in [½, 1] of it, and never less
  /// than a Retry-After.
  std::chrono::milliseconds next_delay(const CycleResult& result);

  /// Cycles on the poller's own thread until stop().
  void start();
  /// Asks the cycles to end and waits for the thread: a cycle in progress ends after its
  /// current request (at worst its timeout); committed pages stay.
  void stop();
  PollStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// "user:password" → "dXNlcjpwYXNzd29yZA==".
std::string base64(std::string_view bytes);

}  // namespace tthc::ingest
