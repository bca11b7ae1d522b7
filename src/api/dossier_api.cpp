#include "api/dossier_api.hpp"

#include "ingest/intake.hpp"

#include "api/bearer_auth.hpp"

#include "calendar/limit.hpp"
#include "domain/text.hpp"
#include "engine/evaluate.hpp"
#include "live/monitor.hpp"
#include "metrics/metrics.hpp"
#include "store/store.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace tthc::api {

namespace {

namespace json = boost::json;

json::value moment(const std::optional<Moment>& m) {
  if (!m) return nullptr;
  return json::string(format_iso(*m));
}

std::string when(Moment m) {
  return format_iso(m).substr(0, 16);  // 2026-05-04T09:00
}

std::string_view status_of_step(const ProgressEntry& e) {
  return status_name_vi(e.status);
}

// Every figure's reason, in the order a person checks them.
std::vector<std::string> reasons(const DossierTimeline& tl, const engine::Evaluation& e,
                                 const engine::ProcedureRule* rule,
                                 const calendar::WorkingCalendar& cal,
                                 const engine::Settings& settings) {
  const Dossier& d = tl.dossier;
  const Duration day = cal.day_length();
  const auto span = [&](Duration x) { return format_working(x, day); };
  std::vector<std::string> out;
  if (!e.counted) {
    switch (e.exclusion) {
      case engine::Exclusion::NotReceived:
        out.push_back(d.status == Status::Registered
                          ? "Not counted: submitted online, not yet received (status 1)."
                          : "Not counted: received after the evaluation moment.");
        break;
      case engine::Exclusion::Refused:
        out.push_back("Not counted: refused at the desk (status 3).");
        break;
      case engine::Exclusion::NoReceipt:
        out.push_back("Not counted: NgayTiepNhan is missing, so the clock has no start.");
        break;
      case engine::Exclusion::NoEndTime:
        out.push_back(
            "Not counted: the status is an end status but no end time is in the data"
            " (NgayKetThucXuLy, an end progress entry, NgayTra).");
        break;
      case engine::Exclusion::StatusUnknown:
        out.push_back(
            "Not counted: the status is unknown (TrangThaiHoSo was not a status code"
            " 1–10); it counts again once a record with a known status arrives.");
        break;
      case engine::Exclusion::None: break;
    }
    return out;
  }
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
  if (e.ended && e.end && e.outcome) {
    out.push_back("Ended " + when(*e.end) + " (from " +
                  std::string(engine::to_string(e.end_source)) + "); net processing time " +
                  span(e.used) + ".");
    switch (*e.outcome) {
      case engine::Outcome::Overdue:
        out.push_back("Overdue: the end is after the effective due by " +
                      span(e.left ? -*e.left : Duration{0}) + " of working time.");
        break;
      case engine::Outcome::Early:
        out.push_back("Early: it ended on an earlier calendar day than the effective due.");
        break;
      case engine::Outcome::OnTime:
        out.push_back("On time: it ended on the due's day, not after the due.");
        break;
    }
  } else if (e.pending) {
    switch (*e.pending) {
      case engine::PendingState::Overdue:
        out.push_back("Overdue: now (" + when(e.now) + ") is after the effective due; late by " +
                      span(e.left ? -*e.left : Duration{0}) + " of working time.");
        break;
      case engine::PendingState::Paused:
        out.push_back("Paused: waiting for the applicant; " +
                      (e.left ? span(*e.left) : std::string("no due")) +
                      " of working time left when the clock runs again.");
        break;
      case engine::PendingState::DueSoon:
        out.push_back("Due soon: " + span(e.left.value_or(Duration{0})) +
                      " of working time left (threshold " + span(settings.due_soon) + ").");
        break;
      case engine::PendingState::InTime:
        out.push_back("In time: " + (e.left ? span(*e.left) + " of working time left."
                                            : std::string("no due date.")));
        break;
    }
  }
  for (const engine::Step& s : e.steps) {
    if (!s.overdue) continue;
    const ProgressEntry& p = tl.progress[s.entry];
    out.push_back(
        "Step at " + (p.department.empty() ? std::string("(no department)") : p.department) + " (" +
        std::string(status_of_step(p)) + ", from " + when(s.start) + ") passed its deadline " +
        when(*s.deadline) + " by " + span(s.late) + (s.end ? "." : " and is still open."));
  }
  if (e.at_risk) out.push_back("At risk: the current step is past its deadline.");
  if (e.supplement_requests.size() > 1) {
    out.push_back(std::to_string(e.supplement_requests.size()) +
                  " supplementation requests: counted overdue in the Decision 766 estimate.");
  }
  return out;
}

json::object explain_object(const DossierTimeline& tl, const engine::Evaluation& e,
                            const engine::ProcedureRule* rule, const calendar::WorkingCalendar& cal,
                            const engine::Settings& settings, Personal personal) {
  const bool named = personal == Personal::Include;
  const Dossier& d = tl.dossier;
  const Duration day = cal.day_length();
  json::object o;
  o["code"] = d.code;
  o["as_of"] = format_iso(e.now);
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
  o["procedure"] = std::move(procedure);
  o["unit"] = json::object{{"code", std::string(d.unit_code())}, {"name", d.unit_name}};
  o["field"] = json::object{{"code", d.field_code}, {"name", d.field_name}};
  o["channel"] = channel_key(d.channel);
  o["status"] = json::object{{"code", status_code(d.status)}, {"name", status_name_vi(d.status)}};
  o["counted"] = e.counted;
  o["exclusion"] = e.counted ? json::value(nullptr) : json::value(engine::to_string(e.exclusion));
  o["received"] = moment(e.received);
  o["clock_start"] = moment(e.clock_start);
  o["computed_due"] = moment(e.computed_due);
  o["base_due"] = moment(e.base_due);
  o["base_due_source"] = engine::to_string(e.base_due_source);
  o["due_mismatch"] = e.has(engine::kFlagDueMismatch);
  json::array history;
  for (Moment m : tl.due_history) history.push_back(json::string(format_iso(m)));
  o["due_history"] = std::move(history);
  json::array extensions;
  for (Moment m : e.extensions) extensions.push_back(json::string(format_iso(m)));
  o["extensions"] = std::move(extensions);
  json::array rounds;
  for (const SupplementRound& r : d.rounds) {
    rounds.push_back(json::object{{"requested", moment(r.requested)},
                                  {"received", moment(r.received)},
                                  {"due_before", moment(r.due_before)},
                                  {"due_after", moment(r.due_after)}});
  }
  o["supplement_rounds"] = std::move(rounds);
  json::array pauses;
  for (const Interval& p : e.pauses) {
    pauses.push_back(json::object{{"from", format_iso(p.begin)},
                                  {"to", format_iso(p.end)},
                                  {"working_seconds", cal.between(p.begin, p.end).count()}});
  }
  o["pauses"] = std::move(pauses);
  o["paused_working_seconds"] = e.paused.count();
  o["paused_now"] = e.paused_now;
  o["pause_policy"] = engine::to_string(settings.pause_policy);
  o["restart_from"] = moment(e.restart_from);
  o["effective_due"] = moment(e.effective_due);
  o["ended"] = e.ended;
  o["end"] = moment(e.end);
  o["end_source"] = e.ended ? json::value(engine::to_string(e.end_source)) : json::value(nullptr);
  o["outcome"] = e.outcome ? json::value(engine::to_string(*e.outcome)) : json::value(nullptr);
  o["state"] = e.pending ? json::value(engine::to_string(*e.pending)) : json::value(nullptr);
  o["at_risk"] = e.at_risk;
  o["used_working_seconds"] = e.used.count();
  o["used_working_days"] = static_cast<double>(e.used.count()) / static_cast<double>(day.count());
  o["left_working_seconds"] = e.left ? json::value(e.left->count()) : json::value(nullptr);
  json::array requests;
  for (Moment m : e.supplement_requests) requests.push_back(json::string(format_iso(m)));
  o["supplement_requests"] = std::move(requests);
  json::array steps;
  for (const engine::Step& s : e.steps) {
    const ProgressEntry& p = tl.progress[s.entry];
    steps.push_back(json::object{
        {"department", p.department},
        {"status",
         json::object{{"code", status_code(p.status)}, {"name", status_name_vi(p.status)}}},
        {"at", format_iso(p.at)},
        {"start", format_iso(s.start)},
        {"end", moment(s.end)},
        {"deadline", moment(s.deadline)},
        {"overdue", s.overdue},
        {"late_working_seconds", s.late.count()},
        {"handler", named ? json::value(p.handler) : json::value(nullptr)},
        {"handler_title", named ? json::value(p.handler_title) : json::value(nullptr)},
        {"action", p.action}});
  }
  o["steps"] = std::move(steps);
  json::array flags;
  const std::pair<engine::Flag, std::string_view> names[] = {
      {engine::kFlagDueMismatch, "due_mismatch"},
      {engine::kFlagUnknownProcedure, "unknown_procedure"},
      {engine::kFlagNoDueDate, "no_due_date"},
      {engine::kFlagEndMissing, "end_missing"},
      {engine::kFlagEndBeforeReceipt, "end_before_receipt"},
      {engine::kFlagDueBeforeReceipt, "due_before_receipt"},
      {engine::kFlagExtended, "extended"},
      {engine::kFlagStatusUnknown, "status_unknown"}};
  for (const auto& [flag, name] : names) {
    if (e.has(flag)) flags.push_back(json::string(name));
  }
  o["flags"] = std::move(flags);
  json::array why;
  for (std::string& r : reasons(tl, e, rule, cal, settings)) why.push_back(json::string(r));
  o["reasons"] = std::move(why);
  const int year = static_cast<int>(std::chrono::year_month_day{day_of(e.now)}.year());
  o["calendar"] = json::object{{"version", cal.version()},
                               {"provisional", cal.covers_year(year) && cal.is_provisional(year)}};
  return o;
}

http::Response json_body(int status, const json::value& v) {
  http::Response r;
  r.status = status;
  r.body = json::serialize(v);
  return r;
}

// A non-negative integer query parameter within [0, max]; the error names the parameter.
Result<std::size_t> size_param(const http::Request& req, std::string_view name,
                               std::size_t fallback, std::size_t max) {
  const auto v = req.query_param(name);
  if (!v) return fallback;
  std::size_t n = 0;
  const auto res = std::from_chars(v->data(), v->data() + v->size(), n);
  if (v->empty() || res.ec != std::errc() || res.ptr != v->data() + v->size() || n > max) {
    return Error{std::string(name) + ": not an integer from 0 to " + std::to_string(max) + ": " +
                 quote_for_error(*v)};
  }
  return n;
}

}  // namespace

std::string explain_json(const DossierTimeline& tl, const engine::Evaluation& e,
                         const engine::ProcedureRule* rule, const calendar::WorkingCalendar& cal,
                         const engine::Settings& settings, Personal personal) {
  return json::serialize(explain_object(tl, e, rule, cal, settings, personal));
}

std::string explain_text(const DossierTimeline& tl, const engine::Evaluation& e,
                         const engine::ProcedureRule* rule, const calendar::WorkingCalendar& cal,
                         const engine::Settings& settings) {
  const Dossier& d = tl.dossier;
  std::string out = d.code + " — " + d.procedure_code +
                    (d.procedure_name.empty() ? "" : " " + d.procedure_name) + "\n";
  out += "  as of          " + when(e.now) + "\n";
  out += "  status         " + std::to_string(status_code(d.status)) + " " +
         std::string(status_name_vi(d.status)) + "\n";
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

void add_read_api(http::Router& router, ReadApiOptions options) {
  auto o = std::make_shared<const ReadApiOptions>(std::move(options));

  router.add("GET", "/healthz", [](const http::Request&) {
    return json_body(200, json::object{{"status", "ok"}});
  });
  router.add("GET", "/readyz", [o](const http::Request&) {
    // A store that cannot take writes makes the daemon not ready: a load balancer sends the
    // senders elsewhere, an operator's probe turns red. The cause is in the log.
    if (o->store_health) {
      const ingest::StoreHealth h = o->store_health();
      if (h.damaged) {
        return json_body(503, json::object{{"status", "store_damaged"},
                                           {"error",
                                            "the store is damaged: restore the last "
                                            "backup; the daemon's log says more"}});
      }
      if (h.failing) {
        return json_body(503, json::object{{"status", "store_failing"},
                                           {"error",
                                            "the store cannot commit now; the "
                                            "daemon's log says why"}});
      }
    }
    if (o->monitor == nullptr || o->monitor->ready()) {
      return json_body(200, json::object{{"status", "ready"}});
    }
    // The cause (which names the store's file) is in the daemon's log, not in the answer.
    if (o->monitor->load_error().empty())
      return json_body(503, json::object{{"status", "loading"}});
    return json_body(503, json::object{{"status", "failed"},
                                       {"error",
                                        "the live state could not be loaded from the "
                                        "store; the daemon's log says why"}});
  });
  if (o->metrics != nullptr) {
    router.add("GET", "/metrics", [o](const http::Request& req) {
      if (!bearer_authorised(o->token, req)) return bearer_unauthorised();
      o->metrics->set_ready(o->monitor == nullptr || o->monitor->ready());
      if (o->store_health) {
        const ingest::StoreHealth h = o->store_health();
        o->metrics->set_store_health(h.failing, h.damaged);
      }
      http::Response r;
      r.content_type = std::string(metrics::Metrics::kContentType);
      r.body = o->metrics->exposition(o->now());
      return r;
    });
  }

  router.add("GET", "/api/v1/dossiers/{code}", [o](const http::Request& req) {
    if (!bearer_authorised(o->token, req)) return bearer_unauthorised();
    const std::string code(req.param("code").value_or(""));
    auto reader = store::Reader::open(o->db);
    if (!reader)
      return http::internal_error(503, "the store cannot be read now", reader.error().message);
    auto tl = reader->timeline(code);
    if (!tl) return http::internal_error(503, "the store cannot be read now", tl.error().message);
    if (!*tl) return http::error_response(404, "no dossier with MaHoSo " + quote_for_error(code));
    const engine::ProcedureRule* rule = o->catalogue->find((*tl)->dossier.procedure_code);
    const engine::Evaluation e = engine::evaluate(**tl, rule, *o->calendar, o->settings, o->now());
    http::Response r;
    // Handler names only behind the token: an open daemon shows none.
    r.body = explain_json(**tl, e, rule, *o->calendar, o->settings,
                          o->token ? Personal::Include : Personal::Omit);
    return r;
  });

  router.add("GET", "/api/v1/dossiers", [o](const http::Request& req) {
    if (!bearer_authorised(o->token, req)) return bearer_unauthorised();
    if (o->monitor == nullptr || !o->monitor->ready()) {
      http::Response r = http::error_response(503, "the live state is still loading");
      r.headers.emplace_back("Retry-After", "5");
      return r;
    }
    live::ListFilter filter;
    filter.state = req.query_param("state").value_or("");
    static constexpr std::string_view kStates[] = {"",       "in_time", "due_soon",
                                                   "paused", "overdue", "at_risk"};
    if (std::find(std::begin(kStates), std::end(kStates), filter.state) == std::end(kStates)) {
      return http::error_response(
          400, "state: expected in_time, due_soon, paused, overdue or at_risk: " +
                   quote_for_error(filter.state));
    }
    filter.unit = req.query_param("unit").value_or("");
    filter.field = req.query_param("field").value_or("");
    filter.department = req.query_param("department").value_or("");
    if (auto within = req.query_param("within")) {
      double days = 0;
      const auto res = std::from_chars(within->data(), within->data() + within->size(), days);
      if (within->empty() || res.ec != std::errc() || res.ptr != within->data() + within->size() ||
          !(days > 0) || days > 1000) {
        return http::error_response(
            400, "within: expected working days (a number above 0, e.g. 1, 2, 3): " +
                     quote_for_error(*within));
      }
      filter.within = Duration{static_cast<std::int64_t>(
          std::llround(days * static_cast<double>(o->calendar->day_length().count())))};
    }
    auto offset = size_param(req, "offset", 0, 100'000'000);
    if (!offset) return http::error_response(400, offset.error().message);
    auto limit = size_param(req, "limit", 100, 1000);
    if (!limit) return http::error_response(400, limit.error().message);

    const Moment now = o->now();
    const Duration day = o->calendar->day_length();
    json::object body = o->monitor->with_state([&](const live::LiveState& s) {
      const live::ListPage page = s.list(filter, now, *offset, *limit);
      json::array items;
      for (const live::WorkItem& w : page.items) {
        const engine::ProcedureRule* rule = o->catalogue->find(w.procedure_code);
        json::object i;
        i["code"] = w.code;
        i["procedure_code"] = w.procedure_code;
        i["procedure_name"] = rule != nullptr ? json::value(rule->name) : json::value(nullptr);
        i["unit"] = s.units().name(w.unit);
        i["unit_name"] = s.unit_name(w.unit);
        i["field"] = s.fields().name(w.field);
        i["state"] = engine::to_string(w.state);
        i["at_risk"] = w.at_risk;
        i["department"] = w.department;
        i["received"] = moment(w.received);
        i["base_due"] = moment(w.base_due);
        i["effective_due"] = moment(w.effective_due);
        i["left_working_seconds"] = w.left ? json::value(w.left->count()) : json::value(nullptr);
        i["left"] = w.left ? json::value(format_working(*w.left, day)) : json::value(nullptr);
        items.push_back(std::move(i));
      }
      json::object b;
      b["as_of"] = format_iso(now);
      b["total"] = page.total;
      b["offset"] = *offset;
      b["limit"] = *limit;
      b["items"] = std::move(items);
      return b;
    });
    return json_body(200, body);
  });
}

}  // namespace tthc::api
