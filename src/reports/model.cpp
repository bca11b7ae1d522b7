#include "reports/model.hpp"

namespace tthc::reports {

std::string_view to_string(Kind k) {
  switch (k) {
    case Kind::Results: return "results";
    case Kind::Reduction: return "reduction";
    case Kind::Index766: return "index766";
    case Kind::Claimed: return "claimed";
    case Kind::DvcqgStats: return "dvcqg-stats";
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
  if (text == to_string(Kind::DvcqgStats)) return Kind::DvcqgStats;
  return std::nullopt;
}

std::string_view kind_names() {
  return "results, reduction, index766, claimed or dvcqg-stats";
}

bool available(Kind k, Format f) {
  return k != Kind::DvcqgStats || f == Format::Json;
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

ClaimedFigures figures_of(const ResultsCounts& c) {
  ClaimedFigures f;
  f.received = c.received_online + c.received_direct;
  f.carried_over = c.carried_over;
  f.to_process = c.received_total();
  f.resolved = c.resolved_total();
  f.resolved_on_time = c.resolved_early + c.resolved_on_time;
  f.resolved_overdue = c.resolved_overdue;
  f.pending = c.pending_total();
  f.pending_in_time = c.pending_in_time;
  f.pending_overdue = c.pending_overdue;
  f.on_time_rate = c.on_time_rate();
  return f;
}

namespace {

template <class T>
std::optional<T> minus(const std::optional<T>& a, const std::optional<T>& b) {
  if (!a || !b) return std::nullopt;
  return *a - *b;
}

}  // namespace

ClaimedFigures difference(const ClaimedFigures& a, const ClaimedFigures& b) {
  ClaimedFigures d;
  d.received = minus(a.received, b.received);
  d.carried_over = minus(a.carried_over, b.carried_over);
  d.to_process = minus(a.to_process, b.to_process);
  d.resolved = minus(a.resolved, b.resolved);
  d.resolved_on_time = minus(a.resolved_on_time, b.resolved_on_time);
  d.resolved_overdue = minus(a.resolved_overdue, b.resolved_overdue);
  d.pending = minus(a.pending, b.pending);
  d.pending_in_time = minus(a.pending_in_time, b.pending_in_time);
  d.pending_overdue = minus(a.pending_overdue, b.pending_overdue);
  d.on_time_rate = minus(a.on_time_rate, b.on_time_rate);
  return d;
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
