#include "live/monitor.hpp"

#include "store/store.hpp"

#include <random>

#include <malloc.h>

namespace tthc::live {

Monitor::Monitor(MonitorOptions options, const engine::Catalogue& catalogue,
                 const calendar::WorkingCalendar& calendar, engine::Settings settings,
                 std::vector<Observer*> observers)
    : options_(std::move(options)), state_(catalogue, calendar, settings, options_.now()) {
  for (Observer* o : observers) state_.add_observer(o);
}

Monitor::~Monitor() {
  stop();
}

void Monitor::start() {
  thread_ = std::thread([this] { run(); });
}

void Monitor::stop() {
  {
    std::lock_guard lock(m_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Monitor::notify(const std::vector<std::string>& codes) {
  if (codes.empty()) return;
  {
    std::lock_guard lock(m_);
    dirty_.insert(codes.begin(), codes.end());
  }
  cv_.notify_one();
}

LoadStats Monitor::load_stats() const {
  std::lock_guard lock(m_);
  return stats_;
}

std::string Monitor::load_error() const {
  std::lock_guard lock(m_);
  return load_error_;
}

bool Monitor::load() {
  const auto started = std::chrono::steady_clock::now();
  std::string error;
  std::size_t visited = 0;
  {
    auto reader = store::Reader::open(options_.db);
    if (reader) {
      std::lock_guard lock(state_mutex_);
      const Moment now = options_.now();
      auto scanned = reader->scan({}, [&](store::StoredTimeline& s) {
        state_.update(s.id, std::move(s.timeline), now);
        return true;
      });
      if (scanned) {
        visited = *scanned;
        state_.advance(options_.now());
        state_.settle();
      } else {
        error = scanned.error().message;
      }
    } else {
      error = reader.error().message;
    }
  }
  // The scan's transient allocations (rows, strings, the reader's cache) go back to the
  // system, not only to the allocator: resident memory is what operators watch.
  malloc_trim(0);
  std::lock_guard lock(m_);
  if (!error.empty()) {
    load_error_ = "loading the live state from " + options_.db.string() + ": " + error;
    return false;
  }
  stats_.dossiers = visited;
  stats_.held = state_.held();
  stats_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return true;
}

void Monitor::run() {
  if (!load()) {
    if (options_.log_error) options_.log_error(load_error());
    return;
  }
  ready_ = true;
  if (options_.loaded) options_.loaded(load_stats());
  std::optional<store::Reader> reader;
  // A store that cannot be read (descriptors exhausted, permissions, a moved file) is retried
  // with backoff, the first failure of a streak logged and the recovery: never a spinning loop.
  FailureStreak streak;
  std::minstd_rand random(std::random_device{}());
  std::optional<std::chrono::steady_clock::time_point> retry_at;
  const auto failed = [&](const std::string& message, std::unordered_set<std::string>& codes) {
    if (streak.fail() && options_.log_error) {
      options_.log_error("live state: " + message +
                         "; retrying with backoff (further failures are counted, not logged)");
    }
    reader.reset();  // opened again: the file may have been replaced
    retry_at = std::chrono::steady_clock::now() + options_.retry.delay(streak.failures(), random());
    std::lock_guard lock(m_);
    dirty_.merge(codes);
  };
  for (;;) {
    std::unordered_set<std::string> dirty;
    {
      std::unique_lock lock(m_);
      auto wait = options_.tick;
      {
        std::lock_guard state_lock(state_mutex_);
        if (auto next = state_.next_wakeup()) {
          const auto until = *next - options_.now();
          if (until < wait)
            wait = std::max(std::chrono::milliseconds{0},
                            std::chrono::duration_cast<std::chrono::milliseconds>(until));
        }
      }
      const auto retry_due = [&retry_at] {
        return !retry_at || std::chrono::steady_clock::now() >= *retry_at;
      };
      if (retry_at && !retry_due()) {
        wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(
                                  *retry_at - std::chrono::steady_clock::now()));
      }
      cv_.wait_for(lock, wait, [&] { return stopping_ || (!dirty_.empty() && retry_due()); });
      if (stopping_) return;
      if (retry_due()) dirty.swap(dirty_);
    }
    if (!dirty.empty() && !reader) {
      auto opened = store::Reader::open(options_.db);
      if (!opened) {
        failed(opened.error().message, dirty);
        continue;
      }
      reader = std::move(*opened);
    }
    std::vector<store::StoredTimeline> loaded;
    loaded.reserve(dirty.size());
    std::unordered_set<std::string> unread;
    std::string error;
    for (const std::string& code : dirty) {
      auto stored = reader->load(code);
      if (!stored) {
        if (unread.empty()) error = "reading " + code + ": " + stored.error().message;
        unread.insert(code);
      } else if (*stored) {
        loaded.push_back(std::move(**stored));
      }
    }
    if (!unread.empty()) {
      failed(error, unread);  // the others are judged; these again once the store reads
    } else if (!dirty.empty()) {
      retry_at.reset();
      if (const auto failures = streak.succeed(); failures > 0 && options_.log_error) {
        options_.log_error("live state: the store reads again after " + std::to_string(failures) +
                           " failed attempt(s)");
      }
    }
    std::lock_guard lock(state_mutex_);
    const Moment now = options_.now();
    for (store::StoredTimeline& s : loaded) state_.update(s.id, std::move(s.timeline), now);
    state_.advance(now);
    state_.settle();
  }
}

}  // namespace tthc::live
