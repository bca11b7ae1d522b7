#include "ingest/file_import.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <memory>
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

// The lines of an input. A regular file is mapped (no copy of its bytes; the parsed pages are
// handed back as the import goes, so they do not count as the process's memory); standard
// input and other streams are read line by line.
class Lines {
 public:
  Lines(const Lines&) = delete;
  Lines& operator=(const Lines&) = delete;
  ~Lines() {
    if (map_ != nullptr) munmap(map_, size_);
  }

  static Result<std::unique_ptr<Lines>> open(const fs::path& path) {
    auto lines = std::unique_ptr<Lines>(new Lines());
    if (path == "-") {
      lines->stream_ = &std::cin;
      return lines;
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error{path.string() + ": cannot read"};
    struct stat st {};
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
      lines->size_ = static_cast<std::size_t>(st.st_size);
      if (lines->size_ > 0) {
        void* m = mmap(nullptr, lines->size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
          lines->map_ = static_cast<char*>(m);
          madvise(m, lines->size_, MADV_SEQUENTIAL);
        }
      }
    }
    ::close(fd);
    lines->total_ = lines->size_;
    if (lines->map_ == nullptr) {
      // Not a regular file (a pipe, a device), empty, or not mappable: read as a stream.
      lines->file_.open(path, std::ios::binary);
      if (!lines->file_) return Error{path.string() + ": cannot read"};
      lines->stream_ = &lines->file_;
    }
    return lines;
  }

  /// The next line without its end ('\n', "\r\n"); false at the end.
  bool next(std::string_view& line) {
    if (map_ != nullptr) {
      if (pos_ >= size_) return false;
      line_start_ = pos_;
      const void* nl = std::memchr(map_ + pos_, '\n', size_ - pos_);
      const std::size_t end = nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - map_) : size_;
      line = std::string_view(map_ + pos_, end - pos_);
      pos_ = std::min(end + 1, size_);
      done_ = pos_;
    } else {
      if (!std::getline(*stream_, buffer_)) return false;
      done_ += buffer_.size() + 1;
      line = buffer_;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return true;
  }

  /// The text from the start of the last line read to the end of the input.
  std::string_view rest() {
    if (map_ != nullptr) {
      pos_ = done_ = size_;
      return std::string_view(map_ + line_start_, size_ - line_start_);
    }
    std::ostringstream whole;
    whole << buffer_ << '\n' << stream_->rdbuf();
    buffer_ = whole.str();
    return buffer_;
  }

  /// Hands back the mapped pages already parsed (what was read from them has been copied).
  void release_parsed() {
    if (map_ == nullptr) return;
    static const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    const std::size_t upto = line_start_ / page * page;
    if (upto > released_) {
      madvise(map_ + released_, upto - released_, MADV_DONTNEED);
      released_ = upto;
    }
  }

  bool failed() const { return stream_ != nullptr && stream_->bad(); }
  bool is_stdin() const { return stream_ == &std::cin; }
  std::uint64_t done() const { return done_; }
  std::uint64_t total() const { return total_; }

 private:
  Lines() = default;
  char* map_ = nullptr;
  std::size_t size_ = 0, pos_ = 0, line_start_ = 0, released_ = 0;
  std::ifstream file_;
  std::istream* stream_ = nullptr;
  std::string buffer_;
  std::uint64_t done_ = 0, total_ = 0;
};

// Reads and parses one file into the queue. Returns an error for an unreadable file.
std::optional<Error> produce(const fs::path& path, const ImportOptions& options, Queue& queue) {
  auto opened = Lines::open(path);
  if (!opened) return std::move(opened).error();
  Lines& lines = **opened;
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
      lines.release_parsed();
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
  while (auto work = queue.pop()) {
    if (write_error) continue;  // drain so the producer can finish
    summary.records += work->batch.records;
    summary.rejected += work->batch.rejected.size();
    if (callbacks.rejected) {
      for (const Rejection& r : work->batch.rejected) callbacks.rejected(work->file, r);
    }
    store::BatchInfo info{"import", options.arrived_unix, std::nullopt,
                          work->batch.rejected.size(), false};
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
