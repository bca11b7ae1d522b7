#include "ingest/intake.hpp"

#include <chrono>

namespace tthc::ingest {

namespace {

std::size_t records_of(const Batch& b) {
  return b.dossiers.size() + b.progress.size();
}

}  // namespace

Intake::Intake(store::Writer writer, IntakeOptions options, const Clock& clock)
    : writer_(std::move(writer)), options_(std::move(options)), clock_(clock) {
  worker_.start([this](Worker& w) { loop(w); });
}

Intake::~Intake() {
  worker_.notify([this] { stopping_ = true; });
  worker_.stop();  // the writer commits what is queued first
}

std::future<Intake::Outcome> Intake::submit(Batch batch, store::BatchInfo info) {
  Item item;
  item.batch = std::move(batch);
  item.info = std::move(info);
  auto future = item.done.get_future();
  const std::size_t n = records_of(item.batch);
  {
    const std::lock_guard lock(worker_.mutex());
    if (stopping_) {
      item.done.set_value(IntakeError{true, false, "intake is shutting down"});
      return future;
    }
    if (const StoreHealth h = health(); h.damaged) {
      item.done.set_value(IntakeError{false, true, "the store is damaged; nothing is written"});
      return future;
    }
    if (pending_records_ > 0 && pending_records_ + n > options_.max_pending_records) {
      item.done.set_value(IntakeError{true, false,
                                      "intake queue full (" + std::to_string(pending_records_) +
                                          " records waiting); retry later"});
      return future;
    }
    pending_records_ += n;
    queue_.push_back(std::move(item));
  }
  worker_.wake();
  return future;
}

std::future<Result<std::size_t>> Intake::run_on_writer(
    std::function<Result<std::size_t>(store::Writer&)> fn) {
  Item item;
  item.task = std::move(fn);
  auto future = item.task_done.get_future();
  worker_.notify([&] { queue_.push_back(std::move(item)); });
  return future;
}

void Intake::loop(Worker& worker) {
  for (;;) {
    // Once stop is asked, wait_for answers at once: the queue is drained, then the body returns.
    const bool running = worker.wait_for(std::chrono::hours(1), [&] { return !queue_.empty(); });
    std::vector<Item> group = take_group();
    if (group.empty()) {
      if (!running) return;  // stopping, nothing left
      continue;
    }
    if (group.front().task) {
      group.front().task_done.set_value(group.front().task(writer_));
      continue;
    }
    commit(group);
  }
}

std::vector<Intake::Item> Intake::take_group() {
  const std::lock_guard lock(worker_.mutex());
  std::vector<Item> group;
  if (queue_.empty()) return group;
  if (queue_.front().task) {
    group.push_back(std::move(queue_.front()));
    queue_.pop_front();
    return group;
  }
  std::size_t records = 0;
  while (
      !queue_.empty() && !queue_.front().task &&
      (group.empty() || records + records_of(queue_.front().batch) <= options_.max_group_records)) {
    records += records_of(queue_.front().batch);
    group.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  pending_records_ -= records;
  return group;
}

void Intake::commit(std::vector<Item>& group) {
  std::vector<store::Writer::BatchInput> inputs;
  inputs.reserve(group.size());
  for (Item& item : group) {
    item.info.rejected = item.batch.rejected.size();
    inputs.push_back({item.batch.dossiers, item.batch.progress, item.info});
  }
  const auto report = [&](std::size_t first, std::size_t count,
                          const std::vector<store::ApplyCounts>& counts, double seconds) {
    if (!options_.on_commit) return;
    CommitReport r;
    r.seconds = seconds;
    for (std::size_t i = 0; i < count; ++i) {
      r.batches.push_back({&inputs[first + i].info, &counts[i], group[first + i].batch.records});
    }
    options_.on_commit(r);
  };
  auto started = clock_.steady();
  auto result = writer_.apply_all(inputs);
  if (result) {
    committed(std::nullopt);
    report(0, group.size(), *result, clock_.seconds_since(started));
    for (std::size_t i = 0; i < group.size(); ++i) group[i].done.set_value((*result)[i]);
    return;
  }
  // One batch may be at fault (or the disk): commit each alone so the others still land.
  for (std::size_t i = 0; i < group.size(); ++i) {
    started = clock_.steady();
    auto one = writer_.apply_all(std::span(&inputs[i], 1));
    if (one) {
      committed(std::nullopt);
      report(i, 1, *one, clock_.seconds_since(started));
      group[i].done.set_value(one->front());
    } else {
      committed(one.error());
      group[i].done.set_value(IntakeError{false, health().damaged, one.error().message});
    }
  }
}

void Intake::mark_damaged(std::string reason) {
  const std::lock_guard lock(health_m_);
  health_.damaged = true;
  health_.failing = true;
  health_.reason = std::move(reason);
}

StoreHealth Intake::health() const {
  const std::lock_guard lock(health_m_);
  return health_;
}

void Intake::committed(const std::optional<Error>& error) {
  if (!error) {
    const std::uint64_t failures = failed_commits_.succeed();
    if (failures == 0) return;
    options_.log.info("store: commits again after " + std::to_string(failures) +
                      " failed batch(es)");
    const std::lock_guard lock(health_m_);
    health_.failing = false;
    health_.reason.clear();
    return;
  }
  const bool damaged = store::is_damage(*error);
  if (failed_commits_.fail()) {
    options_.log.error("store: cannot commit: " + error->message +
                       (damaged ? "; the store is damaged: nothing more is written. Stop the "
                                  "daemon and restore the last backup (README: Operations)"
                                : "; batches are refused until it commits again (further "
                                  "failures are counted, not logged)"));
  }
  const std::lock_guard lock(health_m_);
  health_.failing = true;
  health_.damaged = health_.damaged || damaged;
  health_.reason = error->message;
}

}  // namespace tthc::ingest
