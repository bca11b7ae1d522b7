#include "reports/model.hpp"

namespace tthc::reports {

std::string_view to_string(Kind k) {
  switch (k) {
    case Kind::Results: return "results";
    case Kind::Reduction: return "reduction";
    case Kind::Index766: return "index766";
  }
  return "?";
}

std::string_view to_string(Format f) {
  switch (f) {
    case Format::Json: return "json";
    case Format::Csv: return "csv";
    case Format::Html: return "html";
    case Format::Xlsx: return "xlsx";
  }
  return "?";
}

std::optional<Kind> parse_kind(std::string_view text) {
  for (const Kind k : kKinds) {
    if (to_string(k) == text) return k;
  }
  return std::nullopt;
}

std::optional<Format> parse_format(std::string_view text) {
  for (const Format f : kFormats) {
    if (to_string(f) == text) return f;
  }
  return std::nullopt;
}

std::string_view content_type(Format f) {
  switch (f) {
    case Format::Json: return "application/json";
    case Format::Csv: return "text/csv; charset=utf-8";
    case Format::Html: return "text/html; charset=utf-8";
    case Format::Xlsx: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  return "application/octet-stream";
}

std::string due_soon_label(const Inputs& in) {
  const Duration d = in.settings.due_soon;
  if (d.count() % 3600 == 0) return std::to_string(d.count() / 3600) + "wh";
  return std::to_string(d.count()) + "s";
}

namespace {

std::optional<double> ratio(std::int64_t a, std::int64_t n) {
  if (n == 0) return std::nullopt;
  return static_cast<double>(a) / static_cast<double>(n);
}

}  // namespace

std::optional<double> ResultsCounts::on_time_rate() const {
  return ratio(resolved_early + resolved_on_time, resolved_total());
}

void ResultsCounts::add(const ResultsCounts& o) {
  using C = ResultsCounts;
  add_members(*this, o, &C::received_online, &C::received_direct, &C::carried_over,
              &C::resolved_early, &C::resolved_on_time, &C::resolved_overdue, &C::pending_in_time,
              &C::pending_overdue);
}

std::optional<double> Index766Counts::rate() const {
  return ratio(good(), handled());
}

std::optional<double> Index766Counts::score() const {
  const auto r = rate();
  if (!r) return std::nullopt;
  return 20.0 * *r;
}

void Index766Counts::add(const Index766Counts& o) {
  using C = Index766Counts;
  add_members(*this, o, &C::resolved_early, &C::resolved_on_time, &C::resolved_overdue,
              &C::pending_in_time, &C::pending_overdue, &C::many_requests);
}

}  // namespace tthc::reports
