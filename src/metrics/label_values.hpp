#pragma once
// The values a metric label may take when they come from a payload (unit, field, department,
// sender). A value of the label's expected shape (domain/codes.hpp) gets a series of its own
// while fewer than `cap` values have one; later values share "other", and a value of another
// shape (or none) is "unknown". First come, first served, and never taken back: a value that
// has a series keeps it at every scrape, so a sender can add at most `cap` values to /metrics.
//
// Pure: no Prometheus type, no clock; unit-tested without a process.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tthc::metrics {

/// The first `cap` distinct keys get the ids 0, 1, 2, … in order of arrival; later keys none.
/// Not thread-safe.
template <class Key, class Hash = std::hash<Key>>
class FirstCome {
 public:
  explicit FirstCome(std::size_t cap) : cap_(cap) {}
  std::optional<std::uint32_t> id(const Key& key) {
    if (auto known = find(key)) return known;
    if (ids_.size() >= cap_) return std::nullopt;
    const auto id = static_cast<std::uint32_t>(ids_.size());
    ids_.emplace(key, id);
    return id;
  }
  std::optional<std::uint32_t> find(const Key& key) const {
    if (auto it = ids_.find(key); it != ids_.end()) return it->second;
    return std::nullopt;
  }
  bool full() const { return ids_.size() >= cap_; }
  std::size_t size() const { return ids_.size(); }

 private:
  std::size_t cap_;
  std::unordered_map<Key, std::uint32_t, Hash> ids_;
};

/// One label's values as small dense indexes: kUnknown, kOther, then the admitted values.
/// Thread-safe (a mutex: the live state's thread, intake threads and the report thread share
/// the unit label); callers on a hot path keep their own cache of indexes.
class LabelValues {
 public:
  using Shape = bool (*)(std::string_view);
  static constexpr std::uint32_t kUnknown = 0;
  static constexpr std::uint32_t kOther = 1;

  LabelValues(Shape shape, std::size_t cap);
  LabelValues(const LabelValues&) = delete;
  LabelValues& operator=(const LabelValues&) = delete;

  /// The index of `raw`'s label value, admitting it if it has the shape and there is room.
  std::uint32_t index(std::string_view raw);
  /// The index of `raw` if it was admitted; none if it would be "other" or "unknown".
  std::optional<std::uint32_t> find(std::string_view raw) const;
  /// "unknown", "other" or an admitted value; valid as long as this object.
  const std::string& value(std::uint32_t index) const;
  /// Indexes handed out so far: 2 + the values admitted.
  std::uint32_t size() const;
  /// Values admitted (at most the cap).
  std::size_t admitted() const;

 private:
  Shape shape_;
  mutable std::mutex mutex_;
  std::deque<std::string> values_;  // a deque: the index's views stay valid as it grows
  FirstCome<std::string_view> ids_;
};

}  // namespace tthc::metrics
