#include "metrics/label_values.hpp"

namespace tthc::metrics {

LabelValues::LabelValues(Shape shape, std::size_t cap) : shape_(shape), ids_(cap) {
  values_.emplace_back("unknown");
  values_.emplace_back("other");
}

std::uint32_t LabelValues::index(std::string_view raw) {
  if (!shape_(raw)) return kUnknown;
  const std::lock_guard lock(mutex_);
  if (auto known = ids_.find(raw)) return *known + 2;
  if (ids_.full()) return kOther;
  values_.emplace_back(raw);
  return *ids_.id(values_.back()) + 2;
}

std::optional<std::uint32_t> LabelValues::find(std::string_view raw) const {
  const std::lock_guard lock(mutex_);
  if (auto known = ids_.find(raw)) return *known + 2;
  return std::nullopt;
}

const std::string& LabelValues::value(std::uint32_t index) const {
  const std::lock_guard lock(mutex_);
  return values_.at(index);
}

std::uint32_t LabelValues::size() const {
  const std::lock_guard lock(mutex_);
  return static_cast<std::uint32_t>(values_.size());
}

std::size_t LabelValues::admitted() const {
  const std::lock_guard lock(mutex_);
  return ids_.size();
}

}  // namespace tthc::metrics
