#pragma once
// The single writer behind the webhook (and, later, the poller): request handlers submit parsed
// batches and wait for their commit; one thread takes every batch waiting and commits them in
// one transaction (a group commit), each keeping its own counts. A full queue answers at once
// with an error, so a flood slows the senders down instead of exhausting memory.
//
// Thread-safe: submit from any thread.

#include "base/backoff.hpp"
#include "base/clock.hpp"
#include "base/log.hpp"
#include "base/result.hpp"
#include "base/worker.hpp"
#include "ingest/mc_payload.hpp"
#include "store/store.hpp"

#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace tthc::ingest {

/// One committed group, as the commit hook sees it.
struct CommitReport {
  double seconds = 0;  ///< the transaction's duration
  struct Entry {
    const store::BatchInfo* info;
    const store::ApplyCounts* counts;
    std::size_t records;  ///< records sent, rejected ones included
  };
  std::vector<Entry> batches;
};

struct IntakeOptions {
  std::size_t max_pending_records = 200'000;  ///< records queued; beyond, submit fails (busy)
  std::size_t max_group_records = 50'000;     ///< records per group transaction
  /// Called on the writer thread after each successful commit, before the submitters hear
  /// of it (so the live state is told no later than the sender); must not throw.
  std::function<void(const CommitReport&)> on_commit;
  /// Told of the first failed commit of a streak (error) and of the recovery (info), on the
  /// writer thread: one line each however long the disk stays full.
  Log log;
};

/// Whether the store takes writes, for readiness and the metrics.
struct StoreHealth {
  bool failing = false;  ///< the last commit failed; the next success clears it
  bool damaged = false;  ///< known malformed: every batch is refused until a restart
  std::string reason;    ///< the store's message (may name the file: for the log, not answers)
};

/// Why a submission failed: the queue is full (retry later) or the store failed.
struct IntakeError {
  bool busy = false;     ///< the queue is full or the commit is slow: retry soon
  bool damaged = false;  ///< the store is known to be malformed: nothing can be written
  std::string message;
};

class Intake {
 public:
  /// `clock` times the commits (CommitReport::seconds); it must outlive the intake.
  Intake(store::Writer writer, IntakeOptions options = {},
         const Clock& clock = tthc::system_clock());
  ~Intake();  ///< commits what is queued, then stops
  Intake(const Intake&) = delete;
  Intake& operator=(const Intake&) = delete;

  using Outcome = std::variant<store::ApplyCounts, IntakeError>;
  /// Queues the batch's accepted records; the future resolves once they are committed.
  std::future<Outcome> submit(Batch batch, store::BatchInfo info);

  /// Refuses every batch from now on: the store was found malformed (at start, or by a commit).
  void mark_damaged(std::string reason);
  StoreHealth health() const;

  /// Runs `fn` on the writer thread between transactions (catalogue updates and the like).
  std::future<Result<std::size_t>> run_on_writer(
      std::function<Result<std::size_t>(store::Writer&)> fn);

 private:
  struct Item {
    Batch batch;
    store::BatchInfo info;
    std::promise<Outcome> done;
    std::function<Result<std::size_t>(store::Writer&)> task;
    std::promise<Result<std::size_t>> task_done;
  };
  void loop(Worker& worker);
  /// The next group to commit, or one task (under the worker's lock).
  std::vector<Item> take_group();
  void commit(std::vector<Item>& group);
  /// Records a commit's outcome in the store's health (writer thread).
  void committed(const std::optional<Error>& error);

  store::Writer writer_;
  IntakeOptions options_;
  const Clock& clock_;
  std::deque<Item> queue_;  // guarded by worker_.mutex()
  mutable std::mutex health_m_;
  StoreHealth health_;               // guarded by health_m_
  FailureStreak failed_commits_;     // writer thread
  std::size_t pending_records_ = 0;  // guarded by worker_.mutex()
  bool stopping_ = false;            // guarded by worker_.mutex(): submissions refused
  Worker worker_;                    // last: stopped first
};

}  // namespace tthc::ingest
