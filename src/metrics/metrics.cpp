#include "metrics/metrics.hpp"

#include "calendar/limit.hpp"
#include "domain/codes.hpp"
#include "engine/evaluation.hpp"
#include "metrics/label_values.hpp"

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <sstream>
#include <unordered_map>

namespace tthc::metrics {

namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;
using prometheus::Labels;

// Series of one family keyed by small ids (unit, field, a third), made on first use.
template <class T>
class Series {
 public:
  using Make = std::function<T&(std::uint64_t key)>;
  explicit Series(Make make) : make_(std::move(make)) {}
  T& at(std::uint32_t a, std::uint32_t b, std::uint32_t c = 0) {
    const std::uint64_t key = (std::uint64_t{a} << 40) | (std::uint64_t{b} << 8) | c;
    auto it = cache_.find(key);
    if (it == cache_.end()) it = cache_.emplace(key, &make_(key)).first;
    return *it->second;
  }

 private:
  Make make_;
  std::unordered_map<std::uint64_t, T*> cache_;
};

std::uint32_t key_a(std::uint64_t k) {
  return static_cast<std::uint32_t>(k >> 40);
}
std::uint32_t key_b(std::uint64_t k) {
  return static_cast<std::uint32_t>((k >> 8) & 0xFFFFFFFFULL);
}
std::uint32_t key_c(std::uint64_t k) {
  return static_cast<std::uint32_t>(k & 0xFF);
}

// A label whose values are the live state's interned names (unit codes, field codes,
// department names): the LabelValues index of each name id, cached on the live state's thread
// so the hot path takes no lock.
class LiveLabel {
 public:
  LiveLabel(LabelValues::Shape shape, std::size_t cap) : values(shape, cap) {}
  std::uint32_t of(std::uint32_t id, const live::Names& names) {
    if (id >= cache_.size()) cache_.resize(id + 1, kNone);
    if (cache_[id] == kNone) cache_[id] = values.index(names.name(id));
    return cache_[id];
  }
  /// The index of a name already met; none before.
  std::optional<std::uint32_t> met(std::uint32_t id) const {
    if (id >= cache_.size() || cache_[id] == kNone) return std::nullopt;
    return cache_[id];
  }
  LabelValues values;

 private:
  static constexpr std::uint32_t kNone = 0xFFFFFFFF;
  std::vector<std::uint32_t> cache_;
};

// `second` within `first` (a unit's field or department) while the pair has a series of its own
// or there is room for one; "other" after. Values already folded take no room.
std::uint32_t within(FirstCome<std::uint64_t>& pairs, std::uint32_t first, std::uint32_t second) {
  if (second == LabelValues::kUnknown || second == LabelValues::kOther) return second;
  return pairs.id(live::pair_key(first, second)) ? second : LabelValues::kOther;
}

constexpr std::array<std::string_view, 3> kPayloadLabels = {"unit", "field", "department"};

// Label values are the domain's own names (engine/names.cpp): a series key holds the enum's
// value, never a position in a table of strings kept here.
std::string state_label(std::uint32_t key) {
  return std::string(engine::to_string(static_cast<engine::PendingState>(key)));
}
std::string outcome_label(engine::Outcome outcome) {
  return std::string(engine::to_string(outcome));
}
constexpr engine::Outcome kEveryOutcome[] = {engine::Outcome::Early, engine::Outcome::OnTime,
                                             engine::Outcome::Overdue};
constexpr WebhookOutcome kEveryWebhookOutcome[] = {
    WebhookOutcome::Accepted, WebhookOutcome::Malformed, WebhookOutcome::Unauthorized,
    WebhookOutcome::TooLarge, WebhookOutcome::Busy,      WebhookOutcome::Failed};

// Reads the poller's own counts at each scrape.
class PollCollector : public prometheus::Collectable {
 public:
  PollCollector(Labels constant, std::function<PollCounts()> source)
      : constant_(std::move(constant)), source_(std::move(source)) {}
  std::vector<prometheus::MetricFamily> Collect() const override {
    const PollCounts c = source_();
    std::vector<prometheus::MetricFamily> out;
    const auto family = [&](std::string name, std::string help,
                            std::vector<std::pair<std::string, double>> values) {
      prometheus::MetricFamily f;
      f.name = std::move(name);
      f.help = std::move(help);
      f.type = prometheus::MetricType::Counter;
      for (auto& [outcome, value] : values) {
        prometheus::ClientMetric m;
        for (const auto& [k, v] : constant_) m.label.push_back({k, v});
        m.label.push_back({"outcome", outcome});
        m.counter.value = value;
        f.metric.push_back(std::move(m));
      }
      out.push_back(std::move(f));
    };
    family("tthc_poll_cycles_total", "Poll cycles of the one-stop system's API, by result.",
           {{"ok", static_cast<double>(c.ok)}, {"error", static_cast<double>(c.failed)}});
    family("tthc_poll_records_total", "Records read by the poller, by result.",
           {{"accepted", static_cast<double>(c.accepted)},
            {"rejected", static_cast<double>(c.rejected)}});
    return out;
  }

 private:
  Labels constant_;
  std::function<PollCounts()> source_;
};

}  // namespace

struct Metrics::Impl {
  MetricsOptions options;
  const calendar::WorkingCalendar& calendar;
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  Labels constant;
  std::vector<double> ratio_buckets;

  // Names of the label ids (set on the live state's thread before any series is made).
  const live::LiveState* state = nullptr;

  Family<Gauge>* pending_family;
  Family<Gauge>* at_risk_family;
  Family<Counter>* received_family;
  Family<Counter>* resolved_family;
  Family<Counter>* withdrawn_family;
  Family<Counter>* stopped_family;
  Family<Histogram>* ratio_family;
  Family<Histogram>* days_family;
  Family<Gauge>* month_resolved_family;
  Family<Gauge>* month_rate_family;
  Family<Gauge>* rate_766_family;
  Family<Gauge>* score_766_family;
  Family<Gauge>* month_received_family;
  Family<Gauge>* handled_766_family;
  Family<Gauge>* in_time_766_family;
  Family<Gauge>* steps_family;
  Family<Counter>* mismatch_family;
  Family<Counter>* extension_family;
  Gauge* unknown_procedures;
  Gauge* unknown_units;
  Gauge* status_unknown;
  Family<Counter>* sender_family;
  LabelValues senders{is_unit_code, kMaxSenders};
  // Payload labels, used on the live state's thread (the unit's values also by
  // set_claimed_gaps: LabelValues locks).
  LiveLabel units, fields, departments;
  FirstCome<std::uint64_t> unit_fields, unit_departments;
  // By kPayloadLabels: values with a series, dossiers (late steps for department) shown as
  // "other" or "unknown".
  std::array<Gauge*, 3> label_values;
  std::array<Counter*, 3> label_overflow, label_unknown;
  Gauge* tracked;
  Counter* judgements;
  Gauge* ready;
  Gauge* store_failing;
  Gauge* store_damaged;
  Gauge* provisional;
  Gauge* working_now;
  Family<Counter>* webhook_family;
  std::array<Counter*, std::size(kEveryWebhookOutcome)> webhook;  // by WebhookOutcome
  Family<Counter>* records_family;
  Gauge* last_intake;
  Histogram* write_seconds;

  std::unique_ptr<Series<Gauge>> pending, at_risk, steps;
  std::unique_ptr<Series<Counter>> received, resolved, withdrawn, stopped, mismatch, extension;
  std::unique_ptr<Series<Histogram>> ratio, days;
  std::unordered_map<std::uint32_t, Gauge*> month_rate;  // by unit: removed when none resolved
  std::mutex poll_mutex;
  std::shared_ptr<PollCollector> poll;        // set once the poller runs
  std::function<AlertCounts()> alert_source;  // guarded by poll_mutex too
  Gauge* alerts_active;
  Gauge* alert_outbox;
  Gauge* alert_dead_letters;
  Family<Counter>* alert_deliveries;
  Family<Gauge>* claimed_gap_family;
  std::mutex claimed_gap_mutex;
  std::vector<Gauge*> claimed_gaps;  // guarded by claimed_gap_mutex

  Impl(MetricsOptions o, const calendar::WorkingCalendar& cal);
  Family<Gauge>& gauge(const std::string& name, const std::string& help);
  Family<Counter>& counter(const std::string& name, const std::string& help);
  Family<Histogram>& histogram(const std::string& name, const std::string& help);
  void register_dossier_families();
  void register_label_families();
  void register_daemon_families();
  void register_intake_families();
  void register_alert_families();
  void make_dossier_series();

  const std::string& unit(std::uint32_t index) const { return units.values.value(index); }
  const std::string& field(std::uint32_t index) const { return fields.values.value(index); }

  /// A record's unit and field label indexes.
  std::pair<std::uint32_t, std::uint32_t> where(const live::Record& r) {
    const std::uint32_t u = units.of(r.unit, state->units());
    return {u, within(unit_fields, u, fields.of(r.field, state->fields()))};
  }
  /// The label index of the department holding a record's late step (unit index `u`).
  std::uint32_t late_department(std::uint32_t u, const live::Record& r) {
    return within(unit_departments, u, departments.of(r.late_department, state->departments()));
  }
  /// Counts a dossier (or a late step) shown as "other" or "unknown" in label `label`.
  void count_folded(std::size_t label, std::uint32_t index) {
    if (index == LabelValues::kOther) label_overflow[label]->Increment();
    if (index == LabelValues::kUnknown) label_unknown[label]->Increment();
  }
};

Metrics::Impl::Impl(MetricsOptions o, const calendar::WorkingCalendar& cal)
    : options(std::move(o)),
      calendar(cal),
      units(is_unit_code, options.labels.max_units),
      fields(is_field_code, options.labels.max_fields),
      departments(is_department_name, options.labels.max_departments),
      unit_fields(options.labels.max_unit_fields),
      unit_departments(options.labels.max_unit_departments) {
  if (!options.province.empty()) constant = {{"province", options.province}};
  // 0.7 (the national 30 % cut) always, so dashboards can rely on it; the province's own
  // reduced ratio too.
  ratio_buckets = {0.25, 0.5, 0.7, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0};
  if (options.reduced_ratio > 0) ratio_buckets.push_back(options.reduced_ratio);
  std::sort(ratio_buckets.begin(), ratio_buckets.end());
  ratio_buckets.erase(std::unique(ratio_buckets.begin(), ratio_buckets.end()), ratio_buckets.end());
  // The exposition lists the families in the order they are registered here.
  register_dossier_families();
  register_label_families();
  register_daemon_families();
  register_intake_families();
  register_alert_families();
  make_dossier_series();
}

Family<Gauge>& Metrics::Impl::gauge(const std::string& name, const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Labels(constant).Register(*registry);
}
Family<Counter>& Metrics::Impl::counter(const std::string& name, const std::string& help) {
  return prometheus::BuildCounter().Name(name).Help(help).Labels(constant).Register(*registry);
}
Family<Histogram>& Metrics::Impl::histogram(const std::string& name, const std::string& help) {
  return prometheus::BuildHistogram().Name(name).Help(help).Labels(constant).Register(*registry);
}

void Metrics::Impl::register_dossier_families() {
  pending_family =
      &gauge("tthc_dossiers_pending",
             "Dossiers in process now, by state (in_time, due_soon, paused, overdue).");
  at_risk_family = &gauge("tthc_dossiers_at_risk",
                          "Dossiers in process whose current step is past its step deadline.");
  received_family = &counter("tthc_dossiers_received_total", "Dossiers received (counted).");
  resolved_family = &counter("tthc_dossiers_resolved_total",
                             "Dossiers ended, by outcome against their effective due.");
  withdrawn_family =
      &counter("tthc_dossiers_withdrawn_total", "Dossiers withdrawn by the applicant (status 7).");
  stopped_family = &counter("tthc_dossiers_stopped_total", "Dossiers stopped (status 8).");
  ratio_family = &histogram("tthc_processing_time_ratio",
                            "Net processing time of ended dossiers over their procedure's legal "
                            "limit (1 = the legal limit).");
  days_family = &histogram("tthc_processing_time_workdays",
                           "Net processing time of ended dossiers, in working days.");
  month_resolved_family =
      &gauge("tthc_month_resolved", "Dossiers resolved in the current month so far, by outcome.");
  month_rate_family = &gauge("tthc_month_on_time_rate",
                             "(early + on time) / resolved in the current month so far.");
  claimed_gap_family = &gauge("tthc_claimed_on_time_rate_gap",
                              "On-time rate the unit's system claimed (DongBoThongKeHoSo) minus "
                              "ours, current month, else the last closed one.");
  rate_766_family =
      &gauge("tthc_index766_rate", "Decision 766 progress rate estimate for the current month.");
  score_766_family = &gauge("tthc_index766_progress_score",
                            "Decision 766 progress score estimate (20 x rate), current month.");
  // The counts behind the rates, so several units or provinces add up to a rate of their sums
  // (a mean of rates would weigh a small province like a large one).
  month_received_family =
      &gauge("tthc_month_received", "Dossiers received in the current month so far.");
  handled_766_family = &gauge("tthc_index766_handled",
                              "Dossiers handled this month by Decision 766's rules (the rate's "
                              "denominator: received plus carried over).");
  in_time_766_family = &gauge("tthc_index766_in_time",
                              "Of those, resolved early or on time or in process in time, by "
                              "Decision 766's rules (the rate's numerator).");
  steps_family = &gauge("tthc_steps_overdue",
                        "Open steps past their deadline, by the department holding them.");
  mismatch_family = &counter("tthc_due_date_mismatches_total",
                             "Dossiers whose NgayHenTra differs from the computed due.");
  extension_family = &counter("tthc_extensions_total",
                              "NgayHenTra changes outside supplementation rounds (extensions).");
}

// The gauges of dossiers carrying a flag, the senders, and the payload labels' own health.
void Metrics::Impl::register_label_families() {
  unknown_procedures =
      &gauge("tthc_unknown_procedure_dossiers", "Dossiers whose procedure is not in the catalogue.")
           .Add({});
  unknown_units = &gauge("tthc_unknown_unit_dossiers",
                         "Dossiers counted under a unit code the unit register lacks.")
                       .Add({});
  status_unknown = &gauge("tthc_dossiers_status_unknown",
                          "Dossiers whose TrangThaiHoSo is not a status code: counted nowhere.")
                        .Add({});
  sender_family = &counter("tthc_intake_sender_records_total",
                           "Records committed, by sender (the envelope's madonvi; bounded).");
  auto& values_family = gauge("tthc_metric_label_values",
                              "Values of a payload label with series of their own (capped).");
  auto& overflow_family = counter("tthc_metric_label_overflow_total",
                                  "Dossiers (late steps for department) shown as \"other\": "
                                  "their label value came after the cap was full.");
  auto& unknown_family = counter("tthc_metric_label_unknown_total",
                                 "Dossiers (late steps for department) shown as \"unknown\": "
                                 "no label value of the expected shape.");
  for (std::size_t i = 0; i < kPayloadLabels.size(); ++i) {
    const Labels label{{"label", std::string(kPayloadLabels[i])}};
    label_values[i] = &values_family.Add(label);
    label_overflow[i] = &overflow_family.Add(label);
    label_unknown[i] = &unknown_family.Add(label);
  }
}

void Metrics::Impl::register_daemon_families() {
  tracked = &gauge("tthc_dossiers_tracked", "Dossiers in the live state.").Add({});
  judgements = &counter("tthc_reevaluations_total", "Dossier judgements since start.").Add({});
  ready = &gauge("tthc_state_ready", "1 once the live state is loaded.").Add({});
  store_failing =
      &gauge("tthc_store_failing",
             "1 while the store fails to commit (disk full, I/O errors): intake answers "
             "errors until it recovers.")
           .Add({});
  store_damaged =
      &gauge("tthc_store_damaged",
             "1 when the store is known to be malformed: nothing is written until it is "
             "restored from a backup.")
           .Add({});
  provisional = &gauge("tthc_calendar_provisional_years",
                       "Of this year and next, how many use a provisional holiday table.")
                     .Add({});
  working_now = &gauge("tthc_calendar_working_now", "1 during working hours.").Add({});
  gauge("tthc_on_time_rate_target", "The province's target on-time rate.")
      .Add({})
      .Set(options.on_time_target);
  gauge("tthc_build_info", "Build information.").Add({{"version", options.version}}).Set(1);
}

void Metrics::Impl::register_intake_families() {
  webhook_family = &counter("tthc_webhook_requests_total", "Webhook requests, by result.");
  records_family = &counter("tthc_intake_records_total", "Records committed, by result.");
  last_intake =
      &gauge("tthc_last_intake_timestamp_seconds", "Unix time of the last committed intake batch.")
           .Add({});
  write_seconds = &histogram("tthc_store_write_duration_seconds",
                             "Duration of one intake transaction (a group commit).")
                       .Add({}, Histogram::BucketBoundaries{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                            0.1, 0.25, 0.5, 1, 2.5});
  for (WebhookOutcome outcome : kEveryWebhookOutcome) {
    webhook[static_cast<std::size_t>(outcome)] =
        &webhook_family->Add({{"outcome", std::string(to_string(outcome))}});
  }
  for (std::string_view outcome : {"accepted", "unchanged", "rejected"}) {
    records_family->Add({{"outcome", std::string(outcome)}});
  }
}

void Metrics::Impl::register_alert_families() {
  alerts_active = &gauge("tthc_alerts_active", "Dossier alerts active now.").Add({});
  alert_outbox =
      &gauge("tthc_alert_outbox", "Alert webhook deliveries waiting (retrying).").Add({});
  alert_dead_letters =
      &gauge("tthc_alert_dead_letters", "Alert webhook deliveries given up after their attempts.")
           .Add({});
  alert_deliveries = &counter("tthc_alert_deliveries_total",
                              "Delivery attempts to alert sinks (Alertmanager, webhooks).");
  alert_deliveries->Add({{"outcome", "ok"}});
  alert_deliveries->Add({{"outcome", "error"}});
}

// Series keyed by label indexes, made on first use.
void Metrics::Impl::make_dossier_series() {
  pending = std::make_unique<Series<Gauge>>([this](std::uint64_t k) -> Gauge& {
    return pending_family->Add(
        {{"unit", unit(key_a(k))}, {"field", field(key_b(k))}, {"state", state_label(key_c(k))}});
  });
  at_risk = std::make_unique<Series<Gauge>>([this](std::uint64_t k) -> Gauge& {
    return at_risk_family->Add({{"unit", unit(key_a(k))}, {"field", field(key_b(k))}});
  });
  steps = std::make_unique<Series<Gauge>>([this](std::uint64_t k) -> Gauge& {
    return steps_family->Add(
        {{"unit", unit(key_a(k))}, {"department", departments.values.value(key_b(k))}});
  });
  received = std::make_unique<Series<Counter>>([this](std::uint64_t k) -> Counter& {
    const auto channel = static_cast<Channel>(key_c(k));
    return received_family->Add({{"unit", unit(key_a(k))},
                                 {"field", field(key_b(k))},
                                 {"channel", std::string(channel_key(channel))}});
  });
  resolved = std::make_unique<Series<Counter>>([this](std::uint64_t k) -> Counter& {
    return resolved_family->Add(
        {{"unit", unit(key_a(k))},
         {"field", field(key_b(k))},
         {"outcome", outcome_label(static_cast<engine::Outcome>(key_c(k)))}});
  });
  const auto plain = [this](Family<Counter>* fam) {
    return std::make_unique<Series<Counter>>([this, fam](std::uint64_t k) -> Counter& {
      return fam->Add({{"unit", unit(key_a(k))}, {"field", field(key_b(k))}});
    });
  };
  withdrawn = plain(withdrawn_family);
  stopped = plain(stopped_family);
  mismatch = plain(mismatch_family);
  extension = plain(extension_family);
  ratio = std::make_unique<Series<Histogram>>([this](std::uint64_t k) -> Histogram& {
    return ratio_family->Add({{"unit", unit(key_a(k))}, {"field", field(key_b(k))}},
                             Histogram::BucketBoundaries(ratio_buckets));
  });
  days = std::make_unique<Series<Histogram>>([this](std::uint64_t k) -> Histogram& {
    return days_family->Add(
        {{"unit", unit(key_a(k))}, {"field", field(key_b(k))}},
        Histogram::BucketBoundaries{0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30, 45, 60});
  });
}

Metrics::Metrics(MetricsOptions options, const calendar::WorkingCalendar& calendar)
    : impl_(std::make_unique<Impl>(std::move(options), calendar)) {}

Metrics::~Metrics() = default;

void Metrics::changed(const live::Change& c) {
  Impl& m = *impl_;
  m.state = &c.state;
  m.judgements->Increment();
  const live::Record* b = c.before;
  const live::Record& a = c.after;
  const auto state_index = [](const live::Record& r) {
    return static_cast<std::uint32_t>(r.judgement.pending);
  };

  // Label indexes: a record's are the same at every change (first come, first served).
  const auto [unit, field] = m.where(a);
  if (b == nullptr) {
    m.count_folded(0, unit);
    m.count_folded(1, field);
  }
  if (a.late_department != 0 && (b == nullptr || b->late_department != a.late_department)) {
    m.count_folded(2, m.late_department(unit, a));
  }

  // Gauges: leave the old series, join the new one.
  if (b != nullptr && b->pending()) {
    const auto [old_unit, old_field] = m.where(*b);
    m.pending->at(old_unit, old_field, state_index(*b)).Decrement();
    if (b->at_risk) m.at_risk->at(old_unit, old_field).Decrement();
    if (b->late_department != 0) m.steps->at(old_unit, m.late_department(old_unit, *b)).Decrement();
  }
  if (a.pending()) {
    m.pending->at(unit, field, state_index(a)).Increment();
    if (a.at_risk) m.at_risk->at(unit, field).Increment();
    if (a.late_department != 0) m.steps->at(unit, m.late_department(unit, a)).Increment();
  }
  // Gauges of dossiers carrying a flag: follow the flag's coming and going.
  const auto follow = [&](Gauge* gauge, std::uint32_t flag) {
    const bool was = b != nullptr && (b->flags & flag) != 0;
    const bool is = (a.flags & flag) != 0;
    if (was && !is) gauge->Decrement();
    if (is && !was) gauge->Increment();
  };
  follow(m.unknown_procedures, engine::kFlagUnknownProcedure);
  follow(m.unknown_units, live::kFlagUnknownUnit);
  follow(m.status_unknown, engine::kFlagStatusUnknown);

  // Counters: each dossier counts once, when it first gets there; they never go down.
  if (a.judgement.counted && !(b != nullptr && b->judgement.counted)) {
    m.received->at(unit, field, static_cast<std::uint32_t>(a.channel)).Increment();
  }
  if ((a.flags & engine::kFlagDueMismatch) != 0 &&
      !(b != nullptr && (b->flags & engine::kFlagDueMismatch) != 0)) {
    m.mismatch->at(unit, field).Increment();
  }
  const std::uint16_t extensions_before = b != nullptr ? b->extensions : 0;
  if (a.extensions > extensions_before) {
    m.extension->at(unit, field).Increment(a.extensions - extensions_before);
  }
  if (a.judgement.ended && !(b != nullptr && b->judgement.ended)) {
    m.resolved->at(unit, field, static_cast<std::uint32_t>(a.judgement.outcome)).Increment();
    if (a.status == Status::Withdrawn) m.withdrawn->at(unit, field).Increment();
    if (a.status == Status::Stopped) m.stopped->at(unit, field).Increment();
    const engine::Evaluation& e = c.evaluation;
    const double day = static_cast<double>(m.calendar.day_length().count());
    m.days->at(unit, field).Observe(static_cast<double>(e.used.count()) / day);
    if (c.rule != nullptr && e.clock_start && e.received) {
      if (auto legal_due = calendar::compute_due(m.calendar, *e.received, c.rule->legal)) {
        const Duration legal = m.calendar.between(*e.clock_start, *legal_due);
        if (legal > Duration{0}) {
          m.ratio->at(unit, field)
              .Observe(static_cast<double>(e.used.count()) / static_cast<double>(legal.count()));
        }
      }
    }
  }
}

void Metrics::settled(const live::LiveState& state) {
  Impl& m = *impl_;
  m.state = &state;
  m.tracked->Set(static_cast<double>(state.tracked()));
  // The month's figures by unit label: the units folded into "other" or "unknown" add up.
  const auto& month = state.month();
  std::vector<live::MonthFigures> by_label(m.units.values.size());
  std::vector<bool> shown(by_label.size(), false);
  for (std::uint32_t u = 0; u < month.size(); ++u) {
    if (auto label = m.units.met(u)) {
      by_label[*label] += month[u];
      shown[*label] = true;
    }
  }
  for (std::uint32_t u = 0; u < by_label.size(); ++u) {
    if (!shown[u]) continue;
    const live::MonthFigures& f = by_label[u];
    const std::string& unit = m.unit(u);
    m.month_received_family->Add({{"unit", unit}}).Set(static_cast<double>(f.received));
    m.handled_766_family->Add({{"unit", unit}}).Set(static_cast<double>(f.handled_766));
    m.in_time_766_family->Add({{"unit", unit}}).Set(static_cast<double>(f.good_766));
    for (engine::Outcome o : kEveryOutcome) {
      m.month_resolved_family->Add({{"unit", unit}, {"outcome", outcome_label(o)}})
          .Set(static_cast<double>(f.resolved[static_cast<std::size_t>(o)]));
    }
    auto it = m.month_rate.find(u);
    if (auto rate = f.on_time_rate()) {
      if (it == m.month_rate.end()) {
        it = m.month_rate.emplace(u, &m.month_rate_family->Add({{"unit", unit}})).first;
      }
      it->second->Set(*rate);
    } else if (it != m.month_rate.end()) {
      m.month_rate_family->Remove(it->second);
      m.month_rate.erase(it);
    }
    if (auto rate = f.rate_766()) {
      m.rate_766_family->Add({{"unit", unit}}).Set(*rate);
      m.score_766_family->Add({{"unit", unit}}).Set(20.0 * *rate);
    }
  }
}

void Metrics::set_claimed_gaps(const std::vector<UnitGap>& gaps) {
  Impl& m = *impl_;
  const std::lock_guard lock(m.claimed_gap_mutex);
  for (Gauge* g : m.claimed_gaps) m.claimed_gap_family->Remove(g);
  m.claimed_gaps.clear();
  for (const UnitGap& g : gaps) {
    // A gap is one unit's: a unit shown as "other" or "unknown" has none.
    if (m.units.values.index(g.unit) < 2) continue;
    Gauge& gauge = m.claimed_gap_family->Add({{"unit", g.unit}});
    gauge.Set(g.gap);
    m.claimed_gaps.push_back(&gauge);
  }
}

std::string_view to_string(WebhookOutcome outcome) {
  switch (outcome) {
    case WebhookOutcome::Accepted: return "ok";
    case WebhookOutcome::Malformed: return "bad_request";
    case WebhookOutcome::Unauthorized: return "unauthorized";
    case WebhookOutcome::TooLarge: return "too_large";
    case WebhookOutcome::Busy: return "busy";
    case WebhookOutcome::Failed: return "error";
  }
  return "error";
}

void Metrics::record_webhook(WebhookOutcome outcome) {
  impl_->webhook[static_cast<std::size_t>(outcome)]->Increment();
}

void Metrics::record_commit(double seconds, std::int64_t arrived_unix, std::uint64_t accepted,
                            std::uint64_t unchanged, std::uint64_t rejected,
                            std::string_view sender) {
  Impl& m = *impl_;
  const std::string label =
      sender.empty() ? std::string("none") : m.senders.value(m.senders.index(sender));
  m.sender_family->Add({{"sender", label}})
      .Increment(static_cast<double>(accepted + unchanged + rejected));
  m.write_seconds->Observe(seconds);
  m.last_intake->Set(static_cast<double>(arrived_unix));
  m.records_family->Add({{"outcome", "accepted"}}).Increment(static_cast<double>(accepted));
  m.records_family->Add({{"outcome", "unchanged"}}).Increment(static_cast<double>(unchanged));
  m.records_family->Add({{"outcome", "rejected"}}).Increment(static_cast<double>(rejected));
}

void Metrics::set_last_intake(std::int64_t arrived_unix) {
  impl_->last_intake->Set(static_cast<double>(arrived_unix));
}

void Metrics::set_poll_source(std::function<PollCounts()> source) {
  auto collector = std::make_shared<PollCollector>(impl_->constant, std::move(source));
  std::lock_guard lock(impl_->poll_mutex);
  impl_->poll = std::move(collector);
}

void Metrics::set_alert_source(std::function<AlertCounts()> source) {
  std::lock_guard lock(impl_->poll_mutex);
  impl_->alert_source = std::move(source);
}

void Metrics::record_alert_delivery(bool ok, std::size_t alerts) {
  (void)alerts;
  impl_->alert_deliveries->Add({{"outcome", ok ? "ok" : "error"}}).Increment();
}

void Metrics::set_ready(bool ready) {
  impl_->ready->Set(ready ? 1 : 0);
}

void Metrics::set_store_health(bool failing, bool damaged) {
  impl_->store_failing->Set(failing ? 1 : 0);
  impl_->store_damaged->Set(damaged ? 1 : 0);
}

std::string Metrics::exposition(Moment now) {
  Impl& m = *impl_;
  const int year = static_cast<int>(std::chrono::year_month_day{day_of(now)}.year());
  int provisional = 0;
  for (int y : {year, year + 1}) {
    if (m.calendar.covers_year(y) && m.calendar.is_provisional(y)) ++provisional;
  }
  m.provisional->Set(provisional);
  m.working_now->Set(m.calendar.is_working_moment(now) ? 1 : 0);
  const LabelValues* payload_labels[] = {&m.units.values, &m.fields.values, &m.departments.values};
  for (std::size_t i = 0; i < kPayloadLabels.size(); ++i) {
    m.label_values[i]->Set(static_cast<double>(payload_labels[i]->admitted()));
  }
  std::ostringstream out;
  std::shared_ptr<PollCollector> poll;
  std::function<AlertCounts()> alert_source;
  {
    std::lock_guard lock(m.poll_mutex);
    poll = m.poll;
    alert_source = m.alert_source;
  }
  if (alert_source) {
    const AlertCounts a = alert_source();
    m.alerts_active->Set(static_cast<double>(a.active));
    m.alert_outbox->Set(static_cast<double>(a.outbox));
    m.alert_dead_letters->Set(static_cast<double>(a.dead_letters));
  }
  std::vector<prometheus::MetricFamily> families = m.registry->Collect();
  if (poll) {
    for (auto& f : poll->Collect()) families.push_back(std::move(f));
  }
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

}  // namespace tthc::metrics
