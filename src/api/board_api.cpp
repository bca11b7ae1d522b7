// The board's data: the JSON and the pictures its pages read (board_pages.cpp serves the pages).
#include "api/board_api.hpp"

#include "api/bearer_auth.hpp"
#include "api/board_parts.hpp"
#include "api/json_parts.hpp"
#include "api/stored_dossier.hpp"
#include "base/clock.hpp"
#include "board/svg.hpp"
#include "domain/text.hpp"
#include "engine/evaluate.hpp"
#include "live/monitor.hpp"
#include "store/store.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <mutex>
#include <sstream>

namespace tthc::api {

namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

json::value rate_or_null(const std::optional<double>& r) {
  if (!r) return nullptr;
  return *r;
}

json::object now_json(const live::NowFigures& n) {
  return {{"in_process", n.in_process()},
          {"in_time", n.state(engine::PendingState::InTime)},
          {"due_soon", n.state(engine::PendingState::DueSoon)},
          {"paused", n.state(engine::PendingState::Paused)},
          {"overdue", n.state(engine::PendingState::Overdue)},
          {"at_risk", n.at_risk},
          {"overdue_steps", n.overdue_steps}};
}

json::object month_json(const live::MonthFigures& m) {
  const auto rate = m.rate_766();
  return {{"received", m.received},
          {"carried_over", m.carried_over},
          {"resolved", m.resolved_total()},
          {"early", m.resolved[static_cast<int>(engine::Outcome::Early)]},
          {"on_time", m.resolved[static_cast<int>(engine::Outcome::OnTime)]},
          {"overdue", m.resolved[static_cast<int>(engine::Outcome::Overdue)]},
          {"pending", m.pending},
          {"pending_overdue", m.pending_overdue},
          {"on_time_rate", rate_or_null(m.on_time_rate())},
          {"rate_766", rate_or_null(rate)},
          {"score_766", rate ? json::value(20.0 * *rate) : json::value(nullptr)}};
}

std::string month_label(Moment m) {
  return format_iso(m).substr(0, 7);
}

// One unit's line of the overview and the ranking.
struct UnitLine {
  std::uint32_t id = 0;
  live::NowFigures now;
  live::MonthFigures month;
  std::uint32_t top_department = 0;
  std::int64_t top_steps = 0;
};

// Worst first: the lowest on-time rate this month (units with nothing resolved after those with
// a rate), then the most overdue now, the most overdue steps, the code.
std::vector<UnitLine> ranked_units(const live::LiveState& s) {
  std::vector<UnitLine> lines;
  const auto& month = s.month();
  const auto& now = s.now_by_unit();
  for (std::uint32_t u = 1; u < s.units().size(); ++u) {
    UnitLine l;
    l.id = u;
    if (u < month.size()) l.month = month[u];
    if (u < now.size()) l.now = now[u];
    if (l.now.in_process() == 0 && l.month.received == 0 && l.month.resolved_total() == 0 &&
        l.month.carried_over == 0) {
      continue;
    }
    lines.push_back(l);
  }
  std::sort(lines.begin(), lines.end(), [&](const UnitLine& a, const UnitLine& b) {
    const auto ra = a.month.on_time_rate(), rb = b.month.on_time_rate();
    if (ra.has_value() != rb.has_value()) return ra.has_value();
    if (ra && *ra != *rb) return *ra < *rb;
    if (a.now.state(engine::PendingState::Overdue) != b.now.state(engine::PendingState::Overdue)) {
      return a.now.state(engine::PendingState::Overdue) >
             b.now.state(engine::PendingState::Overdue);
    }
    if (a.now.overdue_steps != b.now.overdue_steps)
      return a.now.overdue_steps > b.now.overdue_steps;
    return s.units().name(a.id) < s.units().name(b.id);
  });
  std::unordered_map<std::uint32_t, std::size_t> position;
  for (std::size_t i = 0; i < lines.size(); ++i) position[lines[i].id] = i;
  for (const auto& [key, steps] : s.overdue_steps()) {
    const auto it = position.find(live::pair_first(key));
    if (it == position.end() || steps <= 0) continue;
    UnitLine& l = lines[it->second];
    const std::uint32_t dept = live::pair_second(key);
    if (steps > l.top_steps ||
        (steps == l.top_steps &&
         s.departments().name(dept) < s.departments().name(l.top_department))) {
      l.top_steps = steps;
      l.top_department = dept;
    }
  }
  return lines;
}

json::object calendar_json(const calendar::WorkingCalendar& cal, Moment now) {
  const Date today = day_of(now);
  json::value next_off = nullptr, next_holiday = nullptr;
  for (int i = 1; i <= 400 && next_holiday.is_null(); ++i) {
    const Date d = today + std::chrono::days{i};
    if (!cal.covers_year(static_cast<int>(std::chrono::year_month_day{d}.year()))) break;
    if (cal.is_working_day(d)) continue;
    if (next_off.is_null()) next_off = json::string(format_date(d));
    const unsigned weekday = std::chrono::weekday{d}.c_encoding();
    if (weekday >= 1 && weekday <= 5) next_holiday = json::string(format_date(d));
  }
  json::array provisional;
  const int year = static_cast<int>(std::chrono::year_month_day{today}.year());
  for (int y : {year, year + 1}) {
    if (cal.covers_year(y) && cal.is_provisional(y)) provisional.push_back(y);
  }
  return {{"version", cal.version()},
          {"working_now", cal.is_working_moment(now)},
          {"today_working", cal.is_working_day(today)},
          {"next_day_off", std::move(next_off)},
          {"next_holiday", std::move(next_holiday)},
          {"provisional_years", std::move(provisional)}};
}

json::object freshness_json(const BoardOptions& o, Moment now) {
  json::object f;
  const auto last = o.last_intake_unix ? o.last_intake_unix() : std::nullopt;
  f["last_intake"] = last ? json::value(format_iso(from_unix(*last))) : json::value(nullptr);
  f["seconds_since"] =
      last ? json::value(std::max<std::int64_t>(0, to_unix(now) - *last)) : json::value(nullptr);
  if (!o.poll_stats) {
    f["poller"] = nullptr;
    return f;
  }
  const ingest::PollStats p = o.poll_stats();
  const std::string_view state = p.consecutive_failures > 0 ? "failing"
                                 : p.cycles == 0            ? "starting"
                                                            : "ok";
  f["poller"] =
      json::object{{"state", state},
                   {"last_success", p.last_success_unix
                                        ? json::value(format_iso(from_unix(*p.last_success_unix)))
                                        : json::value(nullptr)},
                   {"consecutive_failures", p.consecutive_failures},
                   {"last_error", p.consecutive_failures > 0 ? p.last_error : std::string()}};
  return f;
}

http::Response loading() {
  http::Response r = http::error_response(503, "the live state is still loading");
  r.headers.emplace_back("Retry-After", "2");
  return r;
}

http::Response json_response(const json::value& v) {
  http::Response r;
  r.body = json::serialize(v);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

http::Response svg_response(std::string svg) {
  return board_response("image/svg+xml; charset=utf-8", std::move(svg));
}

board::Lang lang_of(const http::Request& req) {
  return page_lang(req);
}

// --- The trend -------------------------------------------------------------------------------

struct TrendMonth {
  Moment start{};
  std::string source;  // snapshot, live
  std::int64_t received = 0, early = 0, on_time = 0, overdue = 0;
  std::optional<std::int64_t> pending_overdue;
  std::int64_t resolved() const { return early + on_time + overdue; }
  std::optional<double> rate() const {
    if (resolved() == 0) return std::nullopt;
    return static_cast<double>(early + on_time) / static_cast<double>(resolved());
  }
};

// Closed calendar months are read from the daemon's snapshots when there are (the official
// figures, frozen at the month's end); others are counted from the live state, as judged now.
// Live counts are kept for 10 s while dossiers keep arriving: one pass over every record.
class Trend {
 public:
  Trend(const BoardOptions& o, const Clock& clock) : o_(o), clock_(clock) {}

  std::vector<TrendMonth> months(int count, Moment now) {
    const Moment current = first_of_month(now);
    const Moment first = add_months(current, 1 - count);
    const std::vector<live::MonthFigures> live = live_counts(first, count);
    std::vector<TrendMonth> out;
    for (int i = 0; i < count; ++i) {
      TrendMonth m;
      m.start = add_months(first, i);
      if (m.start < current) {
        if (auto snap = snapshot(m.start)) {
          out.push_back(*snap);
          continue;
        }
      }
      const live::MonthFigures& f = live[static_cast<std::size_t>(i)];
      m.source = "live";
      m.received = f.received;
      m.early = f.resolved[static_cast<int>(engine::Outcome::Early)];
      m.on_time = f.resolved[static_cast<int>(engine::Outcome::OnTime)];
      m.overdue = f.resolved[static_cast<int>(engine::Outcome::Overdue)];
      out.push_back(m);
    }
    return out;
  }

 private:
  std::vector<live::MonthFigures> live_counts(Moment first, int count) {
    const auto steady = clock_.steady();
    std::lock_guard lock(m_);
    const std::uint64_t version =
        o_.monitor.with_state([](const live::LiveState& s) { return s.version(); });
    const bool same_months = first == first_ && count == count_;
    const bool current = version == version_ || steady - computed_ < std::chrono::seconds(10);
    if (!(same_months && current)) {
      live_ = o_.monitor.with_state(
          [&](const live::LiveState& s) { return s.calendar_months(first, count); });
      version_ = version;
      computed_ = steady;
      first_ = first;
      count_ = count;
    }
    return live_;
  }

  std::optional<TrendMonth> snapshot(Moment start) {
    if (o_.reports_dir.empty() || o_.report_source.period_start_day != 1) return std::nullopt;
    const std::string label = month_label(start);
    {
      std::lock_guard lock(m_);
      if (auto it = snapshots_.find(label); it != snapshots_.end()) return it->second;
    }
    std::ifstream in(o_.reports_dir / label / "results.json", std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    const json::value v = json::parse(text.str(), ec);
    const json::object* total =
        v.is_object()
            ? v.as_object().if_contains("total") != nullptr ? v.at("total").if_object() : nullptr
            : nullptr;
    if (ec || total == nullptr) return std::nullopt;
    const auto count = [&](std::string_view key) -> std::int64_t {
      const json::value* x = total->if_contains(key);
      return x != nullptr && x->is_int64() ? x->as_int64() : 0;
    };
    TrendMonth m;
    m.start = start;
    m.source = "snapshot";
    m.received = count("received_online") + count("received_direct");
    m.early = count("resolved_early");
    m.on_time = count("resolved_on_time");
    m.overdue = count("resolved_overdue");
    m.pending_overdue = count("pending_overdue");
    std::lock_guard lock(m_);
    snapshots_.emplace(label, m);
    return m;
  }

  const BoardOptions& o_;
  std::mutex m_;
  std::uint64_t version_ = ~std::uint64_t{0};
  const Clock& clock_;
  Clock::SteadyTime computed_{};
  Moment first_{};
  int count_ = 0;
  std::vector<live::MonthFigures> live_;
  std::unordered_map<std::string, TrendMonth> snapshots_;  // a snapshot never changes
};

Result<int> months_param(const http::Request& req) {
  const auto v = req.query_param("months");
  if (!v) return 12;
  int n = 0;
  const auto res = std::from_chars(v->data(), v->data() + v->size(), n);
  if (v->empty() || res.ec != std::errc() || res.ptr != v->data() + v->size() || n < 1 || n > 36) {
    return Error{"months: not a number from 1 to 36: " + quote_for_error(*v)};
  }
  return n;
}

}  // namespace

// Shared with board_pages.cpp and the report list (board_reports.cpp).
struct BoardState {
  BoardOptions options;
  const Clock& clock;
  Trend trend{options, clock};
  BoardState(BoardOptions o, const Clock& c) : options(std::move(o)), clock(c) {}
  Moment now() const { return from_unix(clock.unix_seconds()); }
};

namespace {

json::object overview(const BoardState& b, const live::LiveState& s, Moment now) {
  const BoardOptions& o = b.options;
  live::NowFigures total_now;
  live::MonthFigures total_month;
  json::array units;
  for (const UnitLine& l : ranked_units(s)) {
    total_now += l.now;
    json::object u;
    u["unit"] = s.units().name(l.id);
    u["name"] = s.unit_name(l.id);
    u["now"] = now_json(l.now);
    u["month"] = month_json(l.month);
    u["top_department"] =
        l.top_steps > 0 ? json::value(json::object{{"name", s.departments().name(l.top_department)},
                                                   {"overdue_steps", l.top_steps}})
                        : json::value(nullptr);
    units.push_back(std::move(u));
  }
  for (const live::MonthFigures& m : s.month()) total_month += m;
  json::object month = month_json(total_month);
  month["month"] = month_label(s.month_start());
  month["from"] = format_date(day_of(s.month_start()));
  month["target"] = o.on_time_target;
  json::object body;
  body["as_of"] = format_iso(now);
  body["version"] = s.version();
  body["refresh_seconds"] = o.refresh.count();
  body["province"] = o.province;
  body["day_seconds"] = o.calendar.day_length().count();
  body["now"] = now_json(total_now);
  body["month"] = std::move(month);
  body["units"] = std::move(units);
  // Dossiers counted under a unit code the unit register lacks: the board's notice; the codes
  // are listed by /api/v1/units/unknown.
  body["unknown_units"] = json::object{{"dossiers", s.unknown_unit_dossiers()}};
  return body;
}

json::object unknown_units_json(const live::LiveState& s, Moment now) {
  json::array units;
  for (const live::UnknownUnit& u : s.unknown_units()) {
    const auto id = s.units().find(u.code);
    units.push_back(json::object{{"unit", u.code},
                                 {"name", id ? s.unit_name(*id) : std::string()},
                                 {"dossiers", u.dossiers},
                                 {"first_received", json_moment(u.first_received)},
                                 {"last_received", json_moment(u.last_received)}});
  }
  return {{"as_of", format_iso(now)},
          {"dossiers", s.unknown_unit_dossiers()},
          {"units", std::move(units)}};
}

http::Response unit_page_data(const BoardState& b, const std::string& asked, Moment now) {
  const BoardOptions& o = b.options;
  return o.monitor.with_state([&](const live::LiveState& s) -> http::Response {
    // An ended unit's code answers for the unit that took it over, and says so.
    const std::string code(s.unit_in_force(asked));
    const auto id = s.units().find(code);
    if (!id || *id == 0) {
      return http::error_response(
          404, "no unit " + quote_for_error(asked) + (code != asked ? " (now " + code + ")" : ""));
    }
    const std::uint32_t u = *id;
    json::array fields;
    std::vector<std::uint32_t> field_ids;
    for (const auto& [key, n] : s.now_by_field()) {
      if (live::pair_first(key) == u) field_ids.push_back(live::pair_second(key));
    }
    for (const auto& [key, m] : s.month_by_field()) {
      if (live::pair_first(key) == u) field_ids.push_back(live::pair_second(key));
    }
    std::sort(field_ids.begin(), field_ids.end(), [&](std::uint32_t a, std::uint32_t c) {
      return s.fields().name(a) < s.fields().name(c);
    });
    field_ids.erase(std::unique(field_ids.begin(), field_ids.end()), field_ids.end());
    for (std::uint32_t f : field_ids) {
      const auto n = s.now_by_field().find(live::pair_key(u, f));
      const auto m = s.month_by_field().find(live::pair_key(u, f));
      const std::string& field_code = s.fields().name(f);
      const engine::ProcedureRule* any = nullptr;
      for (const auto& rule : o.catalogue.rules()) {
        if (rule.field_code == field_code) {
          any = &rule;
          break;
        }
      }
      fields.push_back(json::object{
          {"field", field_code},
          {"name", any != nullptr ? json::value(any->field_name) : json::value(nullptr)},
          {"now", now_json(n != s.now_by_field().end() ? n->second : live::NowFigures{})},
          {"month", month_json(m != s.month_by_field().end() ? m->second : live::MonthFigures{})}});
    }
    std::vector<std::pair<std::int64_t, std::uint32_t>> departments;
    for (const auto& [key, steps] : s.overdue_steps()) {
      if (live::pair_first(key) == u && steps > 0)
        departments.emplace_back(steps, live::pair_second(key));
    }
    std::sort(departments.begin(), departments.end(), [&](const auto& a, const auto& c) {
      if (a.first != c.first) return a.first > c.first;
      return s.departments().name(a.second) < s.departments().name(c.second);
    });
    json::array depts;
    for (const auto& [steps, d] : departments) {
      depts.push_back(json::object{{"name", s.departments().name(d)}, {"overdue_steps", steps}});
    }
    json::object body;
    body["as_of"] = format_iso(now);
    body["version"] = s.version();
    body["unit"] = code;
    body["name"] = s.unit_name(u);
    if (code != asked) {
      body["requested"] = asked;
      body["note"] = asked + " has ended; its dossiers count under " + code + ", the unit in force";
    }
    body["day_seconds"] = o.calendar.day_length().count();
    body["now"] = now_json(u < s.now_by_unit().size() ? s.now_by_unit()[u] : live::NowFigures{});
    body["month"] = month_json(u < s.month().size() ? s.month()[u] : live::MonthFigures{});
    body["fields"] = std::move(fields);
    body["departments"] = std::move(depts);
    return json_response(body);
  });
}

json::object trend_json(BoardState& b, int count, Moment now) {
  json::array months;
  const Moment current = first_of_month(now);
  for (const TrendMonth& m : b.trend.months(count, now)) {
    months.push_back(
        json::object{{"month", month_label(m.start)},
                     {"from", format_date(day_of(m.start))},
                     {"to", format_date(day_of(add_months(m.start, 1)))},
                     {"closed", m.start < current},
                     {"source", m.source},
                     {"received", m.received},
                     {"resolved", m.resolved()},
                     {"early", m.early},
                     {"on_time", m.on_time},
                     {"overdue", m.overdue},
                     {"pending_overdue",
                      m.pending_overdue ? json::value(*m.pending_overdue) : json::value(nullptr)},
                     {"on_time_rate", rate_or_null(m.rate())}});
  }
  return {{"as_of", format_iso(now)},
          {"target", b.options.on_time_target},
          {"months", std::move(months)}};
}

std::string trend_picture(BoardState& b, int count, Moment now, board::Lang lang) {
  std::vector<board::TrendPoint> points;
  for (const TrendMonth& m : b.trend.months(count, now)) {
    const std::chrono::year_month_day ymd{day_of(m.start)};
    board::TrendPoint p;
    p.year = static_cast<int>(ymd.year());
    p.month = static_cast<unsigned>(ymd.month());
    p.received = m.received;
    p.resolved = m.resolved();
    p.overdue = m.overdue;
    p.on_time_rate = m.rate();
    points.push_back(p);
  }
  return board::trend_svg(points, b.options.on_time_target, lang);
}

std::string ranking_picture(const BoardState& b, board::Lang lang) {
  std::vector<board::RankBar> bars = b.options.monitor.with_state([](const live::LiveState& s) {
    std::vector<board::RankBar> out;
    for (const UnitLine& l : ranked_units(s)) {
      const std::string& name = s.unit_name(l.id);
      out.push_back({name.empty() ? s.units().name(l.id) : name, l.month.on_time_rate(),
                     l.now.state(engine::PendingState::Overdue)});
    }
    return out;
  });
  return board::ranking_svg(bars, b.options.on_time_target, lang);
}

http::Response timeline_picture(const BoardState& b, const std::string& code, board::Lang lang) {
  const BoardOptions& o = b.options;
  auto judged = judge_stored(o.db, code, o.catalogue, o.calendar, o.settings, b.now());
  if (auto* refusal = std::get_if<http::Response>(&judged)) return std::move(*refusal);
  const JudgedDossier& j = std::get<JudgedDossier>(judged);
  const engine::Evaluation& e = j.evaluation;
  board::TimelinePicture t;
  t.received = e.received.value_or(j.timeline.dossier.received.value_or(e.now));
  t.now = e.now;
  t.base_due = e.base_due;
  t.effective_due = e.effective_due;
  if (e.ended) t.end = e.end;
  t.pauses = e.pauses;
  for (const engine::Step& s : e.steps) {
    t.steps.push_back(
        {j.timeline.progress[s.entry].department, s.start, s.end, s.deadline, s.overdue});
  }
  return svg_response(board::timeline_svg(t, lang));
}

}  // namespace

void add_board(http::Router& router, const Clock& clock, BoardOptions options) {
  auto b = std::make_shared<BoardState>(std::move(options), clock);
  const auto guarded = [b](auto handler) {
    return [b, handler](const http::Request& req) -> http::Response {
      if (!bearer_authorised(b->options.token, req)) return bearer_unauthorised();
      if (!b->options.monitor.ready()) return loading();
      return handler(req);
    };
  };
  router.add("GET", "/api/v1/overview", guarded([b](const http::Request&) {
               const Moment now = b->now();
               json::object body = b->options.monitor.with_state(
                   [&](const live::LiveState& s) { return overview(*b, s, now); });
               body["freshness"] = freshness_json(b->options, now);
               body["calendar"] = calendar_json(b->options.calendar, now);
               return json_response(body);
             }));
  router.add("GET", "/api/v1/units/unknown", guarded([b](const http::Request&) {
               const Moment now = b->now();
               return json_response(b->options.monitor.with_state(
                   [&](const live::LiveState& s) { return unknown_units_json(s, now); }));
             }));
  router.add("GET", "/api/v1/units/{unit}", guarded([b](const http::Request& req) {
               return unit_page_data(*b, std::string(req.param("unit").value_or("")), b->now());
             }));
  router.add("GET", "/api/v1/trend", guarded([b](const http::Request& req) {
               auto months = months_param(req);
               if (!months) return http::error_response(400, months.error().message);
               return json_response(trend_json(*b, *months, b->now()));
             }));
  router.add("GET", "/api/v1/trend.svg", guarded([b](const http::Request& req) {
               auto months = months_param(req);
               if (!months) return http::error_response(400, months.error().message);
               return svg_response(trend_picture(*b, *months, b->now(), lang_of(req)));
             }));
  router.add("GET", "/api/v1/overview/ranking.svg", guarded([b](const http::Request& req) {
               return svg_response(ranking_picture(*b, lang_of(req)));
             }));
  router.add("GET", "/api/v1/dossiers/{code}/timeline.svg", [b](const http::Request& req) {
    if (!bearer_authorised(b->options.token, req)) return bearer_unauthorised();
    return timeline_picture(*b, std::string(req.param("code").value_or("")), lang_of(req));
  });
  add_board_reports(router, clock, b->options);
  add_board_pages(router, b->options);
}

}  // namespace tthc::api
