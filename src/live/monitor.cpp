#include "live/monitor.hpp"

#include "store/store.hpp"

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
  for (;;) {
    std::unordered_set<std::string> dirty;
    {
      std::unique_lock lock(m_);
      auto wait = options_.tick;
      {
        std::lock_guard state_lock(state_mutex_);
        if (auto next = state_.next_wakeup()) {
          const auto until = *next - options_.now();
          if (until < wait) wait = std::max(std::chrono::milliseconds{0},
                                            std::chrono::duration_cast<std::chrono::milliseconds>(until));
        }
      }
      cv_.wait_for(lock, wait, [this] { return stopping_ || !dirty_.empty(); });
      if (stopping_) return;
      dirty.swap(dirty_);
    }
    if (!dirty.empty() && !reader) {
      auto opened = store::Reader::open(options_.db);
      if (!opened) {
        if (options_.log_error) options_.log_error("live state: " + opened.error().message);
        std::lock_guard lock(m_);
        dirty_.merge(dirty);  // retried at the next round
        continue;
      }
      reader = std::move(*opened);
    }
    std::vector<store::StoredTimeline> loaded;
    loaded.reserve(dirty.size());
    for (const std::string& code : dirty) {
      auto stored = reader->load(code);
      if (!stored) {
        if (options_.log_error) {
          options_.log_error("live state: reading " + code + ": " + stored.error().message);
        }
        continue;
      }
      if (*stored) loaded.push_back(std::move(**stored));
    }
    std::lock_guard lock(state_mutex_);
    const Moment now = options_.now();
    for (store::StoredTimeline& s : loaded) state_.update(s.id, std::move(s.timeline), now);
    state_.advance(now);
    state_.settle();
  }
}

}  // namespace tthc::live
