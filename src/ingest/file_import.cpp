#include "ingest/file_import.hpp"

#include <condition_variable>
#include <deque>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

namespace tthc::ingest {

namespace {

namespace fs = std::filesystem;

struct Work {
  std::string file;
  Batch batch;
  std::uint64_t bytes_done = 0;
  std::uint64_t bytes_total = 0;
};

// A bounded single-producer, single-consumer queue; closing it ends the consumer's loop.
class Queue {
 public:
  explicit Queue(std::size_t capacity) : capacity_(capacity) {}
  bool push(Work w) {
    std::unique_lock lock(m_);
    not_full_.wait(lock, [&] { return q_.size() < capacity_ || cancelled_; });
    if (cancelled_) return false;
    q_.push_back(std::move(w));
    not_empty_.notify_one();
    return true;
  }
  std::optional<Work> pop() {
    std::unique_lock lock(m_);
    not_empty_.wait(lock, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return std::nullopt;
    Work w = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return w;
  }
  void close() {
    std::lock_guard lock(m_);
    closed_ = true;
    not_empty_.notify_all();
  }
  void cancel() {
    std::lock_guard lock(m_);
    cancelled_ = true;
    not_full_.notify_all();
  }
  /// Applied work goes back to the producer to be freed there: freeing thousands of strings
  /// allocated by another thread was a tenth of the writer's time.
  void recycle(Work w) {
    std::lock_guard lock(m_);
    spent_.push_back(std::move(w));
  }
  void free_spent() {
    std::deque<Work> spent;
    {
      std::lock_guard lock(m_);
      spent.swap(spent_);
    }
  }

 private:
  std::mutex m_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Work> q_;
  std::deque<Work> spent_;
  std::size_t capacity_;
  bool closed_ = false;
  bool cancelled_ = false;
};

void append(Batch& into, Batch&& from) {
  into.records += from.records;
  for (auto& d : from.dossiers) into.dossiers.push_back(std::move(d));
  for (auto& p : from.progress) into.progress.push_back(std::move(p));
  for (auto& r : from.rejected) into.rejected.push_back(std::move(r));
}

// Reads and parses one file into the queue. Returns an error for an unreadable file.
std::optional<Error> produce(const fs::path& path, const ImportOptions& options, Queue& queue) {
  const bool is_stdin = path == "-";
  std::ifstream file;
  std::istream* in = &std::cin;
  std::uint64_t total = 0;
  if (!is_stdin) {
    file.open(path, std::ios::binary);
    if (!file) return Error{path.string() + ": cannot read"};
    std::error_code ec;
    total = fs::file_size(path, ec);
    in = &file;
  }
  const std::string name = is_stdin ? "-" : path.string();
  Work work{name, {}, 0, total};
  std::string line;
  std::size_t line_number = 0;
  std::uint64_t done = 0;
  bool first = true;
  while (std::getline(*in, line)) {
    ++line_number;
    done += line.size() + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    auto parsed = parse_line(line, line_number, options.limits);
    if (!parsed && first && !is_stdin && line.find_first_not_of(" \t") < line.size() &&
        line[line.find_first_not_of(" \t")] == '{') {
      // Not one record per line: the whole file may be a single (pretty-printed) envelope.
      std::ostringstream whole;
      whole << line << '\n' << in->rdbuf();
      const std::string text = whole.str();
      auto env = parse_envelope(text, options.limits);
      if (env) {
        for (auto& r : env->rejected) r.index = 1;
        work.bytes_done = total;
        append(work.batch, std::move(*env));
        break;
      }
    }
    first = false;
    if (!parsed) {
      ++work.batch.records;
      work.batch.rejected.push_back(Rejection{line_number, "", parsed.error().message});
    } else {
      append(work.batch, std::move(*parsed));
    }
    if (work.batch.dossiers.size() + work.batch.progress.size() >= options.batch_size) {
      work.bytes_done = done;
      queue.free_spent();
      if (!queue.push(std::move(work))) return std::nullopt;
      work = Work{name, {}, 0, total};
    }
  }
  if (in->bad()) return Error{name + ": read error"};
  work.bytes_done = total != 0 ? total : done;
  queue.push(std::move(work));
  return std::nullopt;
}

void add(store::ApplyCounts& sum, const store::ApplyCounts& c) {
  sum.new_dossiers += c.new_dossiers;
  sum.updated += c.updated;
  sum.stale += c.stale;
  sum.unchanged += c.unchanged;
  sum.progress_added += c.progress_added;
  sum.progress_known += c.progress_known;
  sum.accepted += c.accepted;
}

}  // namespace

Result<ImportSummary> import_files(const std::vector<fs::path>& files, store::Writer& writer,
                                   const ImportOptions& options, const ImportCallbacks& callbacks) {
  Queue queue(4);
  std::optional<Error> read_error;
  std::thread producer([&] {
    for (const fs::path& f : files) {
      if (auto e = produce(f, options, queue)) {
        read_error = e;
        break;
      }
    }
    queue.close();
  });

  ImportSummary summary;
  summary.files = files.size();
  std::optional<Error> write_error;
  while (auto work = queue.pop()) {
    if (write_error) continue;  // drain so the producer can finish
    summary.records += work->batch.records;
    summary.rejected += work->batch.rejected.size();
    if (callbacks.rejected) {
      for (const Rejection& r : work->batch.rejected) callbacks.rejected(work->file, r);
    }
    store::BatchInfo info{"import", options.arrived_unix, std::nullopt,
                          work->batch.rejected.size()};
    auto counts = writer.apply(work->batch.dossiers, work->batch.progress, info);
    if (!counts) {
      write_error = std::move(counts).error();
      queue.cancel();
      continue;
    }
    add(summary.counts, *counts);
    if (callbacks.progress) {
      callbacks.progress(
          ImportProgress{work->file, work->bytes_done, work->bytes_total, summary.records});
    }
    queue.recycle(std::move(*work));
  }
  producer.join();
  if (write_error) return *write_error;
  if (read_error) return *read_error;
  return summary;
}

}  // namespace tthc::ingest
