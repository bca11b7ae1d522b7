#pragma once
// The poll API of a simulated one-stop system, on 127.0.0.1, for the monitor's poller:
//
//   GET /api/dossiers?since=<cursor>&limit=<n>
//     200 {"data": [<dossier record>...], "next": "<cursor>", "has_more": true|false}
//     Every change of a dossier re-sends its whole record, so a MaHoSo may appear several
//     times. The cursor is the decimal sequence number of the change log (1, 2, ...): `since`
//     absent or empty starts from the beginning; `next` is the last returned item's number, or
//     `since` unchanged when nothing is new. `limit`: default 100, at most 1000 (larger values
//     are lowered to 1000); 400 when not a positive whole number, or when `since` is not one.
//   GET /api/dossiers/{MaHoSo}/progress
//     200 {"data": [<progress entry with MaHoSo>...]}: the entries of the freshest snapshot of
//     that dossier visible so far; 404 for a dossier not (yet) known.
//   With a token, both answer 401 (with WWW-Authenticate: Bearer) to a request without
//   `Authorization: Bearer <token>`. Errors are {"error": "..."}.
//
// The change log grows as simulated time passes: only deliveries at or before the simulated
// now are visible, and advance_to moves that now (tests drive it; the command maps real time
// to simulated time with a SimulatedClock).

#include "base/log.hpp"
#include "base/result.hpp"
#include "sim/province.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::sim {

struct PollServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  ///< 0: any free port
  /// When set, requests must carry `Authorization: Bearer <token>`.
  std::optional<std::string> token;
  /// false: records leave QuaTrinhXuLy out (as some one-stop systems do); the progress URL
  /// gives the entries.
  bool embed_progress = true;
  /// A poll response is one JSON document: a record with invalid UTF-8 bytes would make the
  /// whole page unreadable to a strict client, so by default such bad records are left out of
  /// the change log (they stay in files and pushed envelopes, where they spoil only themselves).
  bool serve_invalid_utf8 = false;
  std::size_t default_limit = 100;
  std::size_t max_limit = 1000;
  /// What the server cannot answer for (a handler's exception); must not throw.
  Log log;
};

/// Thread-safe: handlers read the change log from the server's threads while one thread at a
/// time calls advance_to.
class PollServer {
 public:
  /// Nothing is visible until the first advance_to.
  PollServer(DeliveryStream stream, PollServerOptions options);
  ~PollServer();
  PollServer(const PollServer&) = delete;
  PollServer& operator=(const PollServer&) = delete;

  /// Binds and listens; the bound port.
  Result<std::uint16_t> start();
  std::uint16_t port() const;
  void stop();

  /// Moves simulated time to `now` (never back): every delivery at or before it joins the change
  /// log, in order. Returns the deliveries that became visible (bad ones too, and the invalid
  /// UTF-8 ones left out of the log), e.g. to push them to a webhook.
  std::vector<ScheduledDelivery> advance_to(Moment now);
  /// The simulated now; nullopt before the first advance_to.
  std::optional<Moment> now() const;
  /// The change log's length: the cursor of its last item.
  std::uint64_t changes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tthc::sim
