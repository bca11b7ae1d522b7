#pragma once
// The alert dispatcher's state, in its own SQLite file (not the dossier store): the alerts
// (active and ended), the webhook outbox and the dead letters. A change of alert state and the
// webhook deliveries announcing it are written in one transaction, so a restart neither loses
// nor repeats a delivery that was acknowledged.
//
// Thread-safety: one thread at a time (the dispatcher's).

#include "base/result.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tthc::store {

/// One change of an alert's state, with the webhook event announcing it (if any).
struct AlertChange {
  enum class Type {
    Upsert,  ///< active from `at` with this payload (a known one keeps its row, ended cleared)
    End,     ///< ended at `at`, if active
  };
  Type type = Type::Upsert;
  std::string key;      ///< dossier|kind[|department]
  std::string dossier;  ///< Upsert
  std::string kind;     ///< Upsert
  std::string payload;  ///< Upsert: the alert as JSON
  std::string at;       ///< ISO 8601, Vietnam time: the start (Upsert) or the end (End)
  /// The event (JSON) queued for every webhook sink in the same transaction.
  std::optional<std::string> event;
};

/// Webhook events waiting for one sink, oldest first.
struct OutboxBatch {
  std::vector<std::int64_t> ids;
  std::vector<std::string> events;  ///< JSON, as queued
  std::int64_t attempts = 0;        ///< the most attempts among them
};

struct AlertStoreCounts {
  std::size_t outbox = 0;
  std::size_t dead_letters = 0;
};

class AlertStore {
 public:
  /// Opens (creating the file, its folder and its tables); an error names the file.
  static Result<AlertStore> open(const std::filesystem::path& file);
  AlertStore(AlertStore&&) noexcept;
  AlertStore& operator=(AlertStore&&) noexcept;
  ~AlertStore();

  /// The payloads of the active alerts.
  Result<std::vector<std::string>> active_payloads();
  /// Writes the changes, and queues their events for each of `sinks`, in one transaction: all
  /// or nothing.
  std::optional<Error> apply(const std::vector<AlertChange>& changes,
                             const std::vector<std::string>& sinks);

  /// At most `limit` events for `sink` due at `now_unix`.
  Result<OutboxBatch> due(const std::string& sink, std::int64_t now_unix, std::size_t limit);
  /// The events were delivered: out of the outbox.
  std::optional<Error> delivered(const std::vector<std::int64_t>& ids);
  /// A delivery failed: each event's attempt counted and its next one set; those at
  /// `max_attempts` move to the dead letters. Gives how many moved.
  Result<std::size_t> failed(const std::string& sink, const std::vector<std::int64_t>& ids,
                             std::int64_t next_attempt_unix, const std::string& error,
                             std::int64_t now_unix, int max_attempts);

  /// Rows waiting and given up (zero when they cannot be counted).
  AlertStoreCounts counts();

 private:
  struct Impl;
  explicit AlertStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tthc::store
