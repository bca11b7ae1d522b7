#pragma once
// The daemon's Prometheus metrics (prefix tthc_): families built once, references kept, the hot
// path a few atomic adds. Dossier figures follow the live state change by change (as a
// live::Observer), so a scrape only serialises — it never scans dossiers.
//
// Labels are only unit, field, channel, state, outcome, department and sender (plus the constant
// `province`, and `version` on tthc_build_info): never a dossier code or a person. Every label
// whose value comes from a payload (unit, field, department, sender) is bounded by
// LabelValues: its expected shape or "unknown", its first `max_*` values or "other" — and a
// unit's fields and departments too — so a sender cannot grow /metrics (LabelLimits).
//
// Thread-safety: the observer side runs on the live state's thread; record_* and exposition()
// from any thread.

#include "calendar/working_calendar.hpp"
#include "live/live_state.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::metrics {

/// How many values of a payload label get their own series (the rest share "other").
struct LabelLimits {
  std::size_t max_units = 1000;
  std::size_t max_fields = 300;
  std::size_t max_departments = 500;
  /// (unit, field) and (unit, department) pairs with a series of their own: a unit's further
  /// fields or departments are "other" — the per-label caps alone would allow their product.
  std::size_t max_unit_fields = 5000;
  std::size_t max_unit_departments = 5000;
};

struct MetricsOptions {
  /// Constant label on every series; empty: none.
  std::string province;
  std::string version;
  /// The province's target on-time rate this month (tthc_on_time_rate_target).
  double on_time_target = 0.95;
  /// Reduced limit as a share of the legal one (the national target: a 30 % cut): a bucket
  /// edge of tthc_processing_time_ratio, beside the one at 1.0.
  double reduced_ratio = 0.7;
  LabelLimits labels;
};

/// Counts from the poller, read at each scrape.
struct PollCounts {
  std::uint64_t ok = 0, failed = 0;
  std::uint64_t accepted = 0, rejected = 0;
};

/// A unit's gap in on-time rate: the rate its system claimed minus ours (src/reports, claimed).
struct UnitGap {
  std::string unit;
  double gap = 0;
};

/// The alert dispatcher's state, read at each scrape.
struct AlertCounts {
  std::uint64_t active = 0, outbox = 0, dead_letters = 0;
};

/// What the MC webhook decided about one request (api/mc_webhook.hpp); the label value is
/// to_string's. Failed: the store failed or the handler threw (HTTP 500), or another refusal.
enum class WebhookOutcome { Accepted, Malformed, Unauthorized, TooLarge, Busy, Failed };
std::string_view to_string(WebhookOutcome outcome);

class Metrics : public live::Observer {
 public:
  Metrics(MetricsOptions options, const calendar::WorkingCalendar& calendar);
  ~Metrics() override;
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // live::Observer
  void changed(const live::Change& change) override;
  void settled(const live::LiveState& state) override;

  /// What the MC webhook made of one request (tthc_webhook_requests_total).
  void record_webhook(WebhookOutcome outcome);
  /// A committed intake group: its transaction time, and per batch the records by result and
  /// the batch's sender (madonvi).
  void record_commit(double seconds, std::int64_t arrived_unix, std::uint64_t accepted,
                     std::uint64_t unchanged, std::uint64_t rejected, std::string_view sender = {});
  static constexpr std::size_t kMaxSenders = 8;
  /// The last intake known from the store at start-up.
  void set_last_intake(std::int64_t arrived_unix);
  void set_poll_source(std::function<PollCounts()> source);
  void set_ready(bool ready);
  /// tthc_store_failing (the last commit failed) and tthc_store_damaged (the store is known to
  /// be malformed: nothing is written until it is restored).
  void set_store_health(bool failing, bool damaged);
  void set_alert_source(std::function<AlertCounts()> source);
  /// tthc_claimed_on_time_rate_gap of one month, replacing the series set before; only units
  /// with a unit label of their own (LabelLimits::max_units), so a sender cannot grow /metrics.
  void set_claimed_gaps(const std::vector<UnitGap>& gaps);
  /// One delivery attempt to an alert sink.
  void record_alert_delivery(bool ok, std::size_t alerts);

  /// The text exposition format; `now` sets the calendar gauges.
  std::string exposition(Moment now);

  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tthc::metrics
