#include "api/explanation.hpp"

#include "api/json_parts.hpp"
#include "calendar/limit.hpp"
#include "domain/text.hpp"
#include "engine/evaluate.hpp"
#include "reports/collect.hpp"

#include <boost/json.hpp>

namespace tthc::api {

namespace {

namespace json = boost::json;

std::string when(Moment m) {
  return format_iso(m).substr(0, 16);  // 2026-05-04T09:00
}

// Working time as people read it, in the calendar's working days.
struct Span {
  Duration day;
  std::string operator()(Duration x) const { return format_working(x, day); }
};

// Why an evaluated dossier is not counted; "" when it is.
std::string exclusion_reason(const Dossier& d, engine::Exclusion exclusion) {
  switch (exclusion) {
    case engine::Exclusion::NotReceived:
      return d.status == Status::Registered
                 ? "Not counted: submitted online, not yet received (status 1)."
                 : "Not counted: received after the evaluation moment.";
    case engine::Exclusion::Refused: return "Not counted: refused at the desk (status 3).";
    case engine::Exclusion::NoReceipt:
      return "Not counted: NgayTiepNhan is missing, so the clock has no start.";
    case engine::Exclusion::NoEndTime:
      return "Not counted: the status is an end status but no end time is in the data"
             " (NgayKetThucXuLy, an end progress entry, NgayTra).";
    case engine::Exclusion::StatusUnknown:
      return "Not counted: the status is unknown (TrangThaiHoSo was not a status code"
             " 1–10); it counts again once a record with a known status arrives.";
    case engine::Exclusion::None: break;
  }
  return "";
}

// The limit, the clock's start and the base due: where the due date comes from.
void base_due_reasons(const Dossier& d, const engine::Evaluation& e,
                      const engine::ProcedureRule* rule, std::vector<std::string>& out) {
  if (rule != nullptr) {
    out.push_back("Procedure " + d.procedure_code + " is in the catalogue: the operative limit" +
                  " for channel " + std::string(channel_key(d.channel)) + " is " +
                  calendar::to_string(e.limit) + " (legal " + calendar::to_string(rule->legal) +
                  (rule->reduced.has_due() ? ", reduced " + calendar::to_string(rule->reduced)
                                           : std::string()) +
                  ").");
  } else {
    out.push_back("Procedure " + d.procedure_code +
                  " is not in the catalogue: no computed due; NgayHenTra judges it.");
  }
  if (e.received && e.clock_start) {
    if (*e.clock_start != *e.received) {
      out.push_back("Received " + when(*e.received) + ", outside working hours: the clock starts" +
                    " at the next working moment, " + when(*e.clock_start) + ".");
    } else {
      out.push_back("Received " + when(*e.received) + ": the clock starts then.");
    }
  }
  switch (e.base_due_source) {
    case engine::BaseDueSource::Promised:
      out.push_back("Base due " + when(*e.base_due) +
                    ": the first NgayHenTra received (what the applicant was promised).");
      break;
    case engine::BaseDueSource::Computed:
      out.push_back("Base due " + when(*e.base_due) + ": no NgayHenTra, so computed from " +
                    calendar::to_string(e.limit) + " on the working calendar.");
      break;
    case engine::BaseDueSource::None:
      out.push_back("No due date (no NgayHenTra and no limit): counted on time.");
      break;
  }
  if (e.has(engine::kFlagDueMismatch) && e.computed_due) {
    out.push_back(
        "The computed due would be " + when(*e.computed_due) +
        ": NgayHenTra differs, counted as a due-date mismatch (the source's value is kept).");
  }
}

// Extensions, pauses and restarts: how the base due became the effective one.
void effective_due_reasons(const engine::Evaluation& e, const calendar::WorkingCalendar& cal,
                           const engine::Settings& settings, std::vector<std::string>& out) {
  const Span span{cal.day_length()};
  for (Moment x : e.extensions) {
    out.push_back("NgayHenTra changed to " + when(x) +
                  " outside a supplementation round: an extension; the dossier is still judged" +
                  " against the base due.");
  }
  for (const Interval& p : e.pauses) {
    out.push_back("Paused from " + when(p.begin) + " to " + when(p.end) + " (" +
                  span(cal.between(p.begin, p.end)) +
                  " working time) while the applicant supplements documents or pays fees.");
  }
  if (e.restart_from) {
    out.push_back("Policy restart: the full limit starts again from the supplement received " +
                  when(*e.restart_from) + ".");
  }
  if (e.effective_due && e.base_due) {
    if (*e.effective_due == *e.base_due) {
      out.push_back("Effective due " + when(*e.effective_due) +
                    " = the base due (no pause began before it).");
    } else {
      out.push_back("Effective due " + when(*e.effective_due) +
                    ": the base due moved by the pauses that began before it (policy " +
                    std::string(engine::to_string(settings.pause_policy)) + ").");
    }
  }
}

std::string outcome_reason(const engine::Evaluation& e, engine::Outcome outcome, Span span) {
  switch (outcome) {
    case engine::Outcome::Overdue:
      return "Overdue: the end is after the effective due by " +
             span(e.left ? -*e.left : Duration{0}) + " of working time.";
    case engine::Outcome::Early:
      return "Early: it ended on an earlier calendar day than the effective due.";
    case engine::Outcome::OnTime: return "On time: it ended on the due's day, not after the due.";
  }
  return "";
}

std::string pending_reason(const engine::Evaluation& e, engine::PendingState state,
                           const engine::Settings& settings, Span span) {
  switch (state) {
    case engine::PendingState::Overdue:
      return "Overdue: now (" + when(e.now) + ") is after the effective due; late by " +
             span(e.left ? -*e.left : Duration{0}) + " of working time.";
    case engine::PendingState::Paused:
      return "Paused: waiting for the applicant; " +
             (e.left ? span(*e.left) : std::string("no due")) +
             " of working time left when the clock runs again.";
    case engine::PendingState::DueSoon:
      return "Due soon: " + span(e.left.value_or(Duration{0})) +
             " of working time left (threshold " + span(settings.due_soon) + ").";
    case engine::PendingState::InTime:
      return "In time: " +
             (e.left ? span(*e.left) + " of working time left." : std::string("no due date."));
  }
  return "";
}

// The end and its outcome, or the state now; then the late steps and the risks.
void state_reasons(const DossierTimeline& tl, const engine::Evaluation& e,
                   const calendar::WorkingCalendar& cal, const engine::Settings& settings,
                   std::vector<std::string>& out) {
  const Span span{cal.day_length()};
  if (e.ended && e.end && e.outcome) {
    out.push_back("Ended " + when(*e.end) + " (from " +
                  std::string(engine::to_string(e.end_source)) + "); net processing time " +
                  span(e.used) + ".");
    out.push_back(outcome_reason(e, *e.outcome, span));
  } else if (e.pending) {
    out.push_back(pending_reason(e, *e.pending, settings, span));
  }
  for (const engine::Step& s : e.steps) {
    if (!s.overdue) continue;
    const ProgressEntry& p = tl.progress[s.entry];
    out.push_back("Step at " +
                  (p.department.empty() ? std::string("(no department)") : p.department) + " (" +
                  std::string(status_name_vi(p.status)) + ", from " + when(s.start) +
                  ") passed its deadline " + when(*s.deadline) + " by " + span(s.late) +
                  (s.end ? "." : " and is still open."));
  }
  if (e.at_risk) out.push_back("At risk: the current step is past its deadline.");
  if (e.supplement_requests.size() > 1) {
    out.push_back(std::to_string(e.supplement_requests.size()) +
                  " supplementation requests: counted overdue in the Decision 766 estimate.");
  }
}

// Every figure's reason, in the order a person checks them.
std::vector<std::string> reasons(const DossierTimeline& tl, const engine::Evaluation& e,
                                 const engine::ProcedureRule* rule,
                                 const calendar::WorkingCalendar& cal,
                                 const engine::Settings& settings) {
  std::vector<std::string> out;
  if (!e.counted) {
    std::string why = exclusion_reason(tl.dossier, e.exclusion);
    if (!why.empty()) out.push_back(std::move(why));
    return out;
  }
  base_due_reasons(tl.dossier, e, rule, out);
  effective_due_reasons(e, cal, settings, out);
  state_reasons(tl, e, cal, settings, out);
  return out;
}

json::array moments(const std::vector<Moment>& ms) {
  json::array out;
  for (Moment m : ms) out.push_back(json::string(format_iso(m)));
  return out;
}

json::object procedure_object(const Dossier& d, const engine::Evaluation& e,
                              const engine::ProcedureRule* rule) {
  json::object procedure;
  procedure["code"] = d.procedure_code;
  procedure["name"] = d.procedure_name;
  procedure["in_catalogue"] = rule != nullptr;
  if (rule != nullptr) {
    procedure["legal_limit"] = calendar::to_string(rule->legal);
    procedure["reduced_limit"] = calendar::to_string(rule->reduced);
    procedure["online_limit"] = calendar::to_string(rule->online);
  }
  procedure["operative_limit"] = calendar::to_string(e.limit);
  return procedure;
}

json::array rounds_array(const Dossier& d) {
  json::array rounds;
  for (const SupplementRound& r : d.rounds) {
    rounds.push_back(json::object{{"requested", json_moment(r.requested)},
                                  {"received", json_moment(r.received)},
                                  {"due_before", json_moment(r.due_before)},
                                  {"due_after", json_moment(r.due_after)}});
  }
  return rounds;
}

json::array pauses_array(const engine::Evaluation& e, const calendar::WorkingCalendar& cal) {
  json::array pauses;
  for (const Interval& p : e.pauses) {
    pauses.push_back(json::object{{"from", format_iso(p.begin)},
                                  {"to", format_iso(p.end)},
                                  {"working_seconds", cal.between(p.begin, p.end).count()}});
  }
  return pauses;
}

json::array steps_array(const DossierTimeline& tl, const engine::Evaluation& e, Personal personal) {
  const bool named = personal == Personal::Include;
  json::array steps;
  for (const engine::Step& s : e.steps) {
    const ProgressEntry& p = tl.progress[s.entry];
    steps.push_back(json::object{
        {"department", p.department},
        {"status",
         json::object{{"code", status_code(p.status)}, {"name", status_name_vi(p.status)}}},
        {"at", format_iso(p.at)},
        {"start", format_iso(s.start)},
        {"end", json_moment(s.end)},
        {"deadline", json_moment(s.deadline)},
        {"overdue", s.overdue},
        {"late_working_seconds", s.late.count()},
        {"handler", named ? json::value(p.handler) : json::value(nullptr)},
        {"handler_title", named ? json::value(p.handler_title) : json::value(nullptr)},
        {"action", p.action}});
  }
  return steps;
}

json::array flags_array(const engine::Evaluation& e) {
  const std::pair<engine::Flag, std::string_view> names[] = {
      {engine::kFlagDueMismatch, "due_mismatch"},
      {engine::kFlagUnknownProcedure, "unknown_procedure"},
      {engine::kFlagNoDueDate, "no_due_date"},
      {engine::kFlagEndMissing, "end_missing"},
      {engine::kFlagEndBeforeReceipt, "end_before_receipt"},
      {engine::kFlagDueBeforeReceipt, "due_before_receipt"},
      {engine::kFlagExtended, "extended"},
      {engine::kFlagStatusUnknown, "status_unknown"}};
  json::array flags;
  for (const auto& [flag, name] : names) {
    if (e.has(flag)) flags.push_back(json::string(name));
  }
  return flags;
}

// What the dossier is: its code, procedure, unit, field, channel and status.
void add_identity(json::object& o, const Dossier& d, const engine::Evaluation& e,
                  const engine::ProcedureRule* rule) {
  o["code"] = d.code;
  o["as_of"] = format_iso(e.now);
  o["procedure"] = procedure_object(d, e, rule);
  o["unit"] = json::object{{"code", std::string(d.unit_code())}, {"name", d.unit_name}};
  o["field"] = json::object{{"code", d.field_code}, {"name", d.field_name}};
  o["channel"] = channel_key(d.channel);
  o["status"] = json::object{{"code", status_code(d.status)}, {"name", status_name_vi(d.status)}};
}

// The dates that make the due, in the order they are derived.
void add_dues(json::object& o, const DossierTimeline& tl, const engine::Evaluation& e,
              const calendar::WorkingCalendar& cal, const engine::Settings& settings) {
  o["counted"] = e.counted;
  o["exclusion"] = e.counted ? json::value(nullptr) : json::value(engine::to_string(e.exclusion));
  o["received"] = json_moment(e.received);
  o["clock_start"] = json_moment(e.clock_start);
  o["computed_due"] = json_moment(e.computed_due);
  o["base_due"] = json_moment(e.base_due);
  o["base_due_source"] = engine::to_string(e.base_due_source);
  o["due_mismatch"] = e.has(engine::kFlagDueMismatch);
  o["due_history"] = moments(tl.due_history);
  o["extensions"] = moments(e.extensions);
  o["supplement_rounds"] = rounds_array(tl.dossier);
  o["pauses"] = pauses_array(e, cal);
  o["paused_working_seconds"] = e.paused.count();
  o["paused_now"] = e.paused_now;
  o["pause_policy"] = engine::to_string(settings.pause_policy);
  o["restart_from"] = json_moment(e.restart_from);
  o["effective_due"] = json_moment(e.effective_due);
}

// How it ended or where it stands, and the working time used and left.
void add_judgement(json::object& o, const engine::Evaluation& e, Duration day) {
  o["ended"] = e.ended;
  o["end"] = json_moment(e.end);
  o["end_source"] = e.ended ? json::value(engine::to_string(e.end_source)) : json::value(nullptr);
  o["outcome"] = e.outcome ? json::value(engine::to_string(*e.outcome)) : json::value(nullptr);
  o["state"] = e.pending ? json::value(engine::to_string(*e.pending)) : json::value(nullptr);
  o["at_risk"] = e.at_risk;
  o["used_working_seconds"] = e.used.count();
  o["used_working_days"] = static_cast<double>(e.used.count()) / static_cast<double>(day.count());
  o["left_working_seconds"] = e.left ? json::value(e.left->count()) : json::value(nullptr);
  o["supplement_requests"] = moments(e.supplement_requests);
}

std::optional<Date> received_day(const engine::Evaluation& e) {
  if (!e.received) return std::nullopt;
  return day_of(*e.received);
}

json::value opt_string(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

// Both units of the dossier, the one it counts under, and the one it is shown under.
json::object units_object(const UnitsExplained& u, const UnitView& view) {
  return json::object{
      {"receiving", json::object{{"code", u.receiving}, {"name", u.receiving_name}}},
      {"resolving", json::object{{"name", u.resolving}, {"code", opt_string(u.resolving_code)}}},
      {"count_under", engine::to_string(view.options.count_under)},
      {"counted_under", u.counted},
      {"successors", view.options.successors},
      {"shown_as", json::object{{"code", u.shown_now}, {"name", u.shown_now_name}}},
      {"shown_as_when_received", opt_string(u.shown_then)},
      {"register_version", view.units != nullptr && !view.units->empty()
                               ? json::value(reports::units_version(*view.units))
                               : json::value(nullptr)}};
}

json::object explain_object(const DossierTimeline& tl, const engine::Evaluation& e,
                            const engine::ProcedureRule* rule, const calendar::WorkingCalendar& cal,
                            const engine::Settings& settings, Personal personal,
                            const UnitView& units) {
  json::object o;
  add_identity(o, tl.dossier, e, rule);
  o["units"] =
      units_object(explain_units(tl.dossier, units, day_of(e.now), received_day(e)), units);
  add_dues(o, tl, e, cal, settings);
  add_judgement(o, e, cal.day_length());
  o["steps"] = steps_array(tl, e, personal);
  o["flags"] = flags_array(e);
  json::array why;
  for (std::string& r : reasons(tl, e, rule, cal, settings)) why.push_back(json::string(r));
  o["reasons"] = std::move(why);
  const int year = static_cast<int>(std::chrono::year_month_day{day_of(e.now)}.year());
  o["calendar"] = json::object{{"version", cal.version()},
                               {"provisional", cal.covers_year(year) && cal.is_provisional(year)}};
  return o;
}

}  // namespace

std::string explain_json(const DossierTimeline& tl, const engine::Evaluation& e,
                         const engine::ProcedureRule* rule, const calendar::WorkingCalendar& cal,
                         const engine::Settings& settings, Personal personal,
                         const UnitView& units) {
  return json::serialize(explain_object(tl, e, rule, cal, settings, personal, units));
}

std::string explain_text(const DossierTimeline& tl, const engine::Evaluation& e,
                         const engine::ProcedureRule* rule, const calendar::WorkingCalendar& cal,
                         const engine::Settings& settings, const UnitView& units) {
  const Dossier& d = tl.dossier;
  std::string out = d.code + " — " + d.procedure_code +
                    (d.procedure_name.empty() ? "" : " " + d.procedure_name) + "\n";
  out += "  as of          " + when(e.now) + "\n";
  out += "  status         " + std::to_string(status_code(d.status)) + " " +
         std::string(status_name_vi(d.status)) + "\n";
  out += units_text(explain_units(d, units, day_of(e.now), received_day(e)), units);
  if (e.base_due) out += "  base due       " + when(*e.base_due) + "\n";
  if (e.effective_due) out += "  effective due  " + when(*e.effective_due) + "\n";
  if (e.outcome) {
    out += "  outcome        " + std::string(engine::to_string(*e.outcome)) + " (" +
           std::string(engine::label_vi(*e.outcome)) + ")\n";
  }
  if (e.pending) {
    out += "  state          " + std::string(engine::to_string(*e.pending)) + " (" +
           std::string(engine::label_vi(*e.pending)) + ")" + (e.at_risk ? ", at risk" : "") + "\n";
  }
  out += "Why:\n";
  for (const std::string& r : reasons(tl, e, rule, cal, settings)) out += "  - " + r + "\n";
  return out;
}

}  // namespace tthc::api
