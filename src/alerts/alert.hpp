#pragma once
// Alerts on single dossiers (domain.md §7): what is alerted, and when. Pure: the rules read a
// live-state change and the settings; they keep no state and do no I/O.
//
//   due_soon          in process, not paused, working time left at most the threshold
//                     (default 1 working day; settable per procedure)
//   overdue           in process and past its effective due
//   step_overdue      the current step is past its deadline; the department holding it is named
//   at_risk           the current step is late but the dossier is not yet overdue (§8.12)
//   extension_issued  NgayHenTra was moved outside a supplementation round (an apology letter)
//
// After an extension, due_soon and overdue follow the new date the applicant was given (the
// office has acted); the figures still judge by the base due (domain.md §4).
//
// One alert per dossier and kind while the condition lasts (step_overdue: per department). An
// alert's labels are fixed when it starts; its annotations follow the dossier.

#include "live/live_state.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::alerts {

enum class AlertKind : std::uint8_t { DueSoon, Overdue, StepOverdue, AtRisk, ExtensionIssued };

std::string_view to_string(AlertKind k);
std::optional<AlertKind> alert_kind_from(std::string_view text);
/// `critical` for overdue, `info` for an extension, `warning` otherwise.
std::string_view severity(AlertKind k);

struct Alert {
  AlertKind kind = AlertKind::Overdue;
  std::string dossier;  ///< MaHoSo
  std::string procedure_code, procedure_name;
  std::string unit, unit_name, field;
  std::string department;  ///< holding the current step
  std::string handler;     ///< personal data: never a label, never logged at info
  std::optional<Moment> received, base_due, effective_due;
  std::optional<Duration> left;  ///< working time left at `observed`; negative: late
  Moment starts_at{};            ///< when the condition began (the due, the step deadline, ...)
  Moment observed{};             ///< the moment the dossier was judged
  std::string url;               ///< the dossier API

  /// Identity: dossier and kind, and the department for step_overdue.
  std::string key() const;
  friend bool operator==(const Alert&, const Alert&) = default;
};

struct AlertSettings {
  Duration due_soon = std::chrono::hours{8};                           ///< one working day
  std::map<std::string, Duration, std::less<>> due_soon_by_procedure;  ///< MaTTHC → threshold
  /// The dossier API link; "{code}" is replaced by the MaHoSo.
  std::string dossier_url = "http://127.0.0.1:8080/api/v1/dossiers/{code}";
};

/// The alerts active for a dossier after `change` (its whole set: none when it has ended), and
/// the next moment one may start with no new data (the due-soon threshold of its procedure),
/// given to change.wake_at. `handler` is left empty: the live state keeps no personal data;
/// the dispatcher reads it from the store when it sends.
std::vector<Alert> active_alerts(const live::Change& change, const AlertSettings& settings);

/// The due-soon threshold of a procedure.
Duration due_soon_threshold(const AlertSettings& settings, std::string_view procedure_code);

}  // namespace tthc::alerts
