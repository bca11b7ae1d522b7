#include "live/monitor.hpp"

#include "store/store.hpp"

#include <optional>
#include <random>

#include <malloc.h>

namespace tthc::live {

using std::chrono::milliseconds;

struct Monitor::Reading {
  std::optional<store::Reader> reader;
  // A store that cannot be read (descriptors exhausted, permissions, a moved file) is retried
  // with backoff, the first failure of a streak logged and the recovery: never a spinning loop.
  FailureStreak streak;
  std::minstd_rand random{std::random_device{}()};
  std::optional<Clock::SteadyTime> retry_at;

  bool retry_due(const Clock& clock) const { return !retry_at || clock.steady() >= *retry_at; }
};

Monitor::Monitor(MonitorOptions options, const Clock& clock, const engine::Catalogue& catalogue,
                 const calendar::WorkingCalendar& calendar, engine::Settings settings,
                 std::vector<Observer*> observers)
    : options_(std::move(options)),
      clock_(clock),
      state_(catalogue, calendar, settings, from_unix(clock.unix_seconds()), options_.units) {
  for (Observer* o : observers) state_.add_observer(o);
}

Monitor::~Monitor() = default;  // worker_, the last member, stops the thread first

void Monitor::start() {
  worker_.start([this](Worker& w) { run(w); });
}

void Monitor::stop() {
  worker_.stop();
}

void Monitor::notify(const std::vector<std::string>& codes) {
  if (codes.empty()) return;
  worker_.notify([&] { dirty_.insert(codes.begin(), codes.end()); });
}

LoadStats Monitor::load_stats() const {
  const std::lock_guard lock(worker_.mutex());
  return stats_;
}

std::string Monitor::load_error() const {
  const std::lock_guard lock(worker_.mutex());
  return load_error_;
}

Moment Monitor::now() const {
  return from_unix(clock_.unix_seconds());
}

bool Monitor::load() {
  const auto started = clock_.steady();
  std::string error;
  std::size_t visited = 0;
  {
    auto reader = store::Reader::open(options_.db);
    if (reader) {
      std::lock_guard lock(state_mutex_);
      const Moment at = now();
      auto scanned = reader->scan({}, [&](store::StoredTimeline& s) {
        state_.update(s.id, std::move(s.timeline), at);
        return true;
      });
      if (scanned) {
        visited = *scanned;
        state_.advance(now());
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
  const std::lock_guard lock(worker_.mutex());
  if (!error.empty()) {
    load_error_ = "loading the live state from " + options_.db.string() + ": " + error;
    return false;
  }
  stats_.dossiers = visited;
  stats_.held = state_.held();
  stats_.seconds = clock_.seconds_since(started);
  return true;
}

void Monitor::run(Worker& worker) {
  if (!load()) {
    options_.log.error(load_error());
    return;
  }
  ready_ = true;
  if (options_.loaded) options_.loaded(load_stats());
  Reading reading;
  for (;;) {
    std::unordered_set<std::string> dirty;
    if (!wait(worker, reading, dirty)) return;
    apply(reading, dirty);
  }
}

bool Monitor::wait(Worker& worker, const Reading& reading, std::unordered_set<std::string>& dirty) {
  auto wait = options_.tick;
  {
    std::lock_guard state_lock(state_mutex_);
    if (auto next = state_.next_wakeup()) {
      const auto until = *next - now();
      if (until < wait)
        wait = std::max(milliseconds{0}, std::chrono::duration_cast<milliseconds>(until));
    }
  }
  if (!reading.retry_due(clock_)) {
    wait = std::min(wait,
                    std::chrono::duration_cast<milliseconds>(*reading.retry_at - clock_.steady()));
  }
  if (!worker.wait_for(wait, [&] { return !dirty_.empty() && reading.retry_due(clock_); })) {
    return false;
  }
  const std::lock_guard lock(worker.mutex());
  if (reading.retry_due(clock_)) dirty.swap(dirty_);
  return true;
}

void Monitor::apply(Reading& reading, std::unordered_set<std::string>& dirty) {
  if (!dirty.empty() && !reading.reader) {
    auto opened = store::Reader::open(options_.db);
    if (!opened) {
      failed(reading, opened.error().message, dirty);
      return;
    }
    reading.reader = std::move(*opened);
  }
  std::vector<store::StoredTimeline> loaded;
  loaded.reserve(dirty.size());
  std::unordered_set<std::string> unread;
  std::string error;
  for (const std::string& code : dirty) {
    auto stored = reading.reader->load(code);
    if (!stored) {
      if (unread.empty()) error = "reading " + code + ": " + stored.error().message;
      unread.insert(code);
    } else if (*stored) {
      loaded.push_back(std::move(**stored));
    }
  }
  if (!unread.empty()) {
    failed(reading, error, unread);  // the others are judged; these again once the store reads
  } else if (!dirty.empty()) {
    reading.retry_at.reset();
    if (const auto failures = reading.streak.succeed(); failures > 0) {
      options_.log.error("live state: the store reads again after " + std::to_string(failures) +
                         " failed attempt(s)");
    }
  }
  std::lock_guard lock(state_mutex_);
  const Moment at = now();
  for (store::StoredTimeline& s : loaded) state_.update(s.id, std::move(s.timeline), at);
  state_.advance(at);
  state_.settle();
}

void Monitor::failed(Reading& reading, const std::string& message,
                     std::unordered_set<std::string>& codes) {
  if (reading.streak.fail()) {
    options_.log.error("live state: " + message +
                       "; retrying with backoff (further failures are counted, not logged)");
  }
  reading.reader.reset();  // opened again: the file may have been replaced
  reading.retry_at =
      clock_.steady() + options_.retry.delay(reading.streak.failures(), reading.random());
  const std::lock_guard lock(worker_.mutex());
  dirty_.merge(codes);
}

}  // namespace tthc::live
