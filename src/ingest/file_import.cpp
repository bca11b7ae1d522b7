#include "ingest/file_import.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
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
  /// Waits for work, then takes up to `most` items of what is waiting into `out`; false once
  /// the queue is closed and empty.
  bool pop_some(std::vector<Work>& out, std::size_t most) {
    out.clear();
    std::unique_lock lock(m_);
    not_empty_.wait(lock, [&] { return !q_.empty() || closed_; });
    while (!q_.empty() && out.size() < most) {
      out.push_back(std::move(q_.front()));
      q_.pop_front();
    }
    not_full_.notify_one();
    return !out.empty();
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
  for (auto& s : from.statistics) into.statistics.push_back(std::move(s));
  for (auto& r : from.rejected) into.rejected.push_back(std::move(r));
}

// The lines of an input (a file, a pipe, standard input), read in large blocks: a line is a
// view into the block, valid until the next call. Not mapped: a file truncated or failing under
// a mapping would kill the process (SIGBUS) instead of giving a read error.
class Lines {
 public:
  Lines(const Lines&) = delete;
  Lines& operator=(const Lines&) = delete;
  ~Lines() {
    if (fd_ > 0) ::close(fd_);
  }

  static Result<std::unique_ptr<Lines>> open(const fs::path& path) {
    auto lines = std::unique_ptr<Lines>(new Lines());
    if (path == "-") {
      lines->fd_ = 0;
      return lines;
    }
    lines->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (lines->fd_ < 0) return Error{path.string() + ": cannot read"};
    struct stat st {};
    if (fstat(lines->fd_, &st) == 0 && S_ISREG(st.st_mode)) {
      lines->total_ = static_cast<std::uint64_t>(st.st_size);
      posix_fadvise(lines->fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
    return lines;
  }

  /// The next line without its end ('\n', "\r\n"); false at the end of the input.
  bool next(std::string_view& line) {
    for (;;) {
      const char* data = buffer_.data();
      const void* nl = std::memchr(data + begin_, '\n', end_ - begin_);
      std::size_t stop = 0;
      if (nl != nullptr) {
        stop = static_cast<std::size_t>(static_cast<const char*>(nl) - data);
      } else if (at_end_ && begin_ < end_) {
        stop = end_;  // the last line has no newline
      } else if (at_end_) {
        return false;
      } else {
        fill();
        continue;
      }
      line_start_ = begin_;
      line = std::string_view(data + begin_, stop - begin_);
      begin_ = std::min(stop + 1, end_);
      done_ += line.size() + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      return true;
    }
  }

  /// The text from the start of the last line read to the end of the input.
  std::string_view rest() {
    begin_ = line_start_;
    while (!at_end_) fill();
    std::string_view all(buffer_.data() + begin_, end_ - begin_);
    begin_ = end_;
    done_ = total_;
    return all;
  }

  bool failed() const { return failed_; }
  bool is_stdin() const { return fd_ == 0; }
  std::uint64_t done() const { return done_; }
  std::uint64_t total() const { return total_; }

 private:
  Lines() = default;

  // Keeps the unread bytes, moved to the front, and reads more after them.
  void fill() {
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      line_start_ -= std::min(line_start_, begin_);
      begin_ = 0;
    }
    if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);  // a line longer than it
    for (;;) {
      const ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) failed_ = true;
      if (n <= 0) {
        at_end_ = true;
      } else {
        end_ += static_cast<std::size_t>(n);
      }
      return;
    }
  }

  int fd_ = -1;
  std::string buffer_ = std::string(std::size_t{1} << 20, '\0');
  std::size_t begin_ = 0, end_ = 0, line_start_ = 0;  // in buffer_
  bool at_end_ = false, failed_ = false;
  std::uint64_t done_ = 0, total_ = 0;
};

// Reads and parses one file into the queue. Returns an error for an unreadable file.
std::optional<Error> produce(const fs::path& path, const ImportOptions& options, Queue& queue) {
  TTHC_TRY(auto opened, Lines::open(path));
  Lines& lines = *opened;
  const std::string name = path == "-" ? "-" : path.string();
  Work work{name, {}, 0, lines.total()};
  std::string_view line;
  std::size_t line_number = 0;
  bool first = true;
  while (lines.next(line)) {
    ++line_number;
    const std::size_t text_start = line.find_first_not_of(" \t");
    if (text_start == std::string_view::npos) continue;
    auto error = parse_line_into(line, line_number, options.limits, work.batch);
    if (error && first && !lines.is_stdin() && line[text_start] == '{') {
      // Not one record per line: the whole file may be a single (pretty-printed) envelope.
      auto env = parse_envelope(lines.rest(), options.limits);
      if (env) {
        for (auto& r : env->rejected) r.index = 1;
        append(work.batch, std::move(*env));
        break;
      }
    }
    first = false;
    if (error) {
      ++work.batch.records;
      work.batch.rejected.push_back(Rejection{line_number, "", std::move(error->message)});
    }
    if (work.batch.dossiers.size() + work.batch.progress.size() >= options.batch_size) {
      work.bytes_done = lines.done();
      queue.free_spent();
      if (!queue.push(std::move(work))) return std::nullopt;
      work = Work{name, {}, 0, lines.total()};
    }
  }
  if (lines.failed()) return Error{name + ": read error"};
  work.bytes_done = lines.total() != 0 ? lines.total() : lines.done();
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
  // When the writer falls behind, the batches waiting are written in one transaction (each
  // still recorded as its own batch): a sync log's dossiers re-sent a few days apart then have
  // their rows written once instead of once per copy.
  constexpr std::size_t kGroup = 4;
  std::vector<Work> works;
  std::vector<store::Writer::BatchInput> inputs;
  while (queue.pop_some(works, kGroup)) {
    if (write_error) continue;  // drain so the producer can finish
    inputs.clear();
    for (const Work& work : works) {
      summary.records += work.batch.records;
      summary.rejected += work.batch.rejected.size();
      if (callbacks.rejected) {
        for (const Rejection& r : work.batch.rejected) callbacks.rejected(work.file, r);
      }
      inputs.push_back(
          store::Writer::BatchInput{work.batch.dossiers, work.batch.progress,
                                    store::BatchInfo{"import", options.arrived_unix, std::nullopt,
                                                     work.batch.rejected.size(), false}});
    }
    auto counts = writer.apply_all(inputs);
    if (!counts) {
      write_error = std::move(counts).error();
      queue.cancel();
      continue;
    }
    for (std::size_t i = 0; i < works.size() && !write_error; ++i) {
      Work& work = works[i];
      add(summary.counts, (*counts)[i]);
      // Claimed statistics (DongBoThongKeHoSo lines) are kept as the webhook keeps them.
      if (!work.batch.statistics.empty()) {
        auto kept = writer.put_claimed_stats(work.batch.statistics, "", options.arrived_unix);
        if (!kept) {
          write_error = std::move(kept).error();
          queue.cancel();
          continue;
        }
        summary.statistics += *kept;
      }
      if (callbacks.progress) {
        callbacks.progress(
            ImportProgress{work.file, work.bytes_done, work.bytes_total, summary.records});
      }
    }
    for (Work& work : works) queue.recycle(std::move(work));
  }
  producer.join();
  if (write_error) return *write_error;
  if (read_error) return *read_error;
  return summary;
}

}  // namespace tthc::ingest
