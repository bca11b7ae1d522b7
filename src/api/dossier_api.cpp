#include "api/dossier_api.hpp"

#include "api/bearer_auth.hpp"
#include "api/explanation.hpp"
#include "api/json_parts.hpp"
#include "api/stored_dossier.hpp"
#include "domain/text.hpp"
#include "live/monitor.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <cmath>

namespace tthc::api {

namespace {

namespace json = boost::json;

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

// state=: one of the engine's pending states by its own name, or at_risk; none: every state.
Result<live::ListFilter> state_param(const http::Request& req) {
  live::ListFilter f;
  const std::string state = req.query_param("state").value_or("");
  if (state.empty()) return f;
  if (state == "at_risk") {
    f.at_risk_only = true;
    return f;
  }
  for (const auto s : {engine::PendingState::InTime, engine::PendingState::DueSoon,
                       engine::PendingState::Paused, engine::PendingState::Overdue}) {
    if (state == engine::to_string(s)) f.state = s;
  }
  if (!f.state) {
    return Error{"state: expected in_time, due_soon, paused, overdue or at_risk: " +
                 quote_for_error(state)};
  }
  return f;
}

// within=<working days>: a number above 0 and at most 1000, as working time.
Result<std::optional<Duration>> within_param(const http::Request& req, Duration day) {
  const auto within = req.query_param("within");
  if (!within) return std::optional<Duration>();
  double days = 0;
  const auto res = std::from_chars(within->data(), within->data() + within->size(), days);
  if (within->empty() || res.ec != std::errc() || res.ptr != within->data() + within->size() ||
      !(days > 0) || days > 1000) {
    return Error{"within: expected working days (a number above 0, e.g. 1, 2, 3): " +
                 quote_for_error(*within)};
  }
  return std::optional<Duration>(
      Duration{static_cast<std::int64_t>(std::llround(days * static_cast<double>(day.count())))});
}

http::Response explanation(const ReadApiOptions& o, const Clock& clock, const http::Request& req) {
  if (!bearer_authorised(o.token, req)) return bearer_unauthorised();
  const std::string code(req.param("code").value_or(""));
  auto judged = judge_stored(o.db, code, o.catalogue, o.calendar, o.settings,
                             from_unix(clock.unix_seconds()));
  if (auto* refusal = std::get_if<http::Response>(&judged)) return std::move(*refusal);
  const JudgedDossier& j = std::get<JudgedDossier>(judged);
  http::Response r;
  // Handler names only behind the token: an open daemon shows none.
  r.body = explain_json(j.timeline, j.evaluation, j.rule, o.calendar, o.settings,
                        o.token ? Personal::Include : Personal::Omit, o.units);
  return r;
}

json::object work_item(const ReadApiOptions& o, const live::LiveState& s, const live::WorkItem& w) {
  const engine::ProcedureRule* rule = o.catalogue.find(w.procedure_code);
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
  i["received"] = json_moment(w.received);
  i["base_due"] = json_moment(w.base_due);
  i["effective_due"] = json_moment(w.effective_due);
  i["left_working_seconds"] = w.left ? json::value(w.left->count()) : json::value(nullptr);
  i["left"] =
      w.left ? json::value(format_working(*w.left, o.calendar.day_length())) : json::value(nullptr);
  return i;
}

http::Response work_list(const ReadApiOptions& o, const Clock& clock, const http::Request& req) {
  if (!bearer_authorised(o.token, req)) return bearer_unauthorised();
  if (o.monitor == nullptr || !o.monitor->ready()) {
    http::Response r = http::error_response(503, "the live state is still loading");
    r.headers.emplace_back("Retry-After", "5");
    return r;
  }
  auto q = parse_work_list_query(req, o.calendar.day_length());
  if (!q) return http::error_response(400, q.error().message);
  const Moment now = from_unix(clock.unix_seconds());
  json::object body = o.monitor->with_state([&](const live::LiveState& s) {
    const live::ListPage page = s.list(q->filter, now, q->offset, q->limit);
    json::array items;
    for (const live::WorkItem& w : page.items) items.push_back(work_item(o, s, w));
    json::object b;
    b["as_of"] = format_iso(now);
    b["total"] = page.total;
    b["offset"] = q->offset;
    b["limit"] = q->limit;
    b["items"] = std::move(items);
    return b;
  });
  http::Response r;
  r.body = json::serialize(body);
  return r;
}

}  // namespace

Result<WorkListQuery> parse_work_list_query(const http::Request& req, Duration day) {
  WorkListQuery q;
  TTHC_TRY(auto state, state_param(req));
  q.filter.state = state.state;
  q.filter.at_risk_only = state.at_risk_only;
  q.filter.unit = req.query_param("unit").value_or("");
  q.filter.field = req.query_param("field").value_or("");
  q.filter.department = req.query_param("department").value_or("");
  TTHC_TRY(q.filter.within, within_param(req, day));
  TTHC_TRY(q.offset, size_param(req, "offset", 0, 100'000'000));
  TTHC_TRY(q.limit, size_param(req, "limit", 100, 1000));
  return q;
}

void add_read_api(http::Router& router, const Clock& clock, ReadApiOptions options) {
  auto o = std::make_shared<const ReadApiOptions>(std::move(options));
  router.add("GET", "/api/v1/dossiers/{code}",
             [o, &clock](const http::Request& req) { return explanation(*o, clock, req); });
  router.add("GET", "/api/v1/dossiers",
             [o, &clock](const http::Request& req) { return work_list(*o, clock, req); });
}

}  // namespace tthc::api
