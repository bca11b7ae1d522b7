// The board's reports page data: every month's (quarter's, half-year's, year's) reports, the
// frozen snapshots and their files,
// and what a fresh run changes against a snapshot (`report --diff`).
#include "api/board_parts.hpp"

#include "api/bearer_auth.hpp"
#include "domain/text.hpp"
#include "reports/diff.hpp"
#include "reports/snapshot.hpp"
#include "store/store.hpp"

#include <boost/json.hpp>

#include <charconv>

namespace tthc::api {

namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

// A snapshot's manifest: its as-of moment and its files; none when the month has none.
std::optional<json::object> snapshot_json(const fs::path& dir, const std::string& month) {
  if (dir.empty()) return std::nullopt;
  const auto text = reports::read_snapshot_file(dir / month / "manifest.json");
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  const json::value v = json::parse(*text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object& m = v.as_object();
  json::array files;
  if (const json::value* f = m.if_contains("files"); f != nullptr && f->is_object()) {
    for (const auto& kv : f->as_object()) files.push_back(json::string(kv.key()));
  }
  files.push_back("manifest.json");
  const json::value* as_of = m.if_contains("as_of");
  return json::object{{"as_of", as_of != nullptr ? *as_of : json::value(nullptr)},
                      {"files", std::move(files)}};
}

// `period_kind=` of the list: month (default), quarter, half_year or year.
std::optional<reports::PeriodKind> list_kind(const http::Request& req) {
  const std::string text(req.query_param("period_kind").value_or("month"));
  for (const reports::PeriodKind k : {reports::PeriodKind::Month, reports::PeriodKind::Quarter,
                                      reports::PeriodKind::HalfYear, reports::PeriodKind::Year}) {
    if (text == reports::to_string(k)) return k;
  }
  return std::nullopt;
}

// The periods of a kind from the one containing `now` back to the one holding the first receipt
// (at most 240). Snapshots are shown under the configured cut-off only: they were made with it.
json::array period_entries(const BoardOptions& o, reports::PeriodKind kind, int start_day,
                           Moment first, Moment now) {
  const bool own_cut_off = start_day == o.report_source.period_start_day;
  json::array out;
  for (reports::Period p = reports::period_containing(kind, now, start_day);;
       p = reports::previous(p)) {
    const std::string label = p.label();
    auto snap = own_cut_off ? snapshot_json(o.reports_dir, label) : std::nullopt;
    json::object entry{{"from", format_date(day_of(p.start))},
                       {"to", format_date(day_of(p.end))},
                       {"closed", now >= p.end},
                       {"snapshot", snap ? json::value(std::move(*snap)) : json::value(nullptr)}};
    if (kind == reports::PeriodKind::Month) {
      entry.emplace("month", label);
    } else {
      entry.emplace("period", label);
      entry.emplace("name", reports::period_name_vi(p));
    }
    out.push_back(std::move(entry));
    if (p.start <= first || out.size() >= 240) break;
  }
  return out;
}

// GET /api/v1/reports[?period_kind=quarter][&period_start_day=15]: the periods of a kind, newest
// first ("months" for months, as always; "periods" for the others).
http::Response reports_list(const BoardOptions& o, const http::Request& req, Moment now) {
  const auto kind = list_kind(req);
  if (!kind) {
    return http::error_response(400,
                                "period_kind: not month, quarter, half_year or year: " +
                                    quote_for_error(req.query_param("period_kind").value_or("")));
  }
  int start_day = o.report_source.period_start_day;
  if (const auto d = req.query_param("period_start_day")) {
    const auto res = std::from_chars(d->data(), d->data() + d->size(), start_day);
    if (d->empty() || res.ec != std::errc() || res.ptr != d->data() + d->size() || start_day < 1 ||
        start_day > reports::kMaxPeriodStartDay) {
      return http::error_response(
          400, "period_start_day: not a number from 1 to 28: " + quote_for_error(*d));
    }
  }
  auto reader = store::Reader::open(o.db);
  if (!reader)
    return http::internal_error(503, "the store cannot be read now", reader.error().message);
  auto first = reader->first_received();
  if (!first)
    return http::internal_error(503, "the store cannot be read now", first.error().message);
  json::array periods;
  if (*first) periods = period_entries(o, *kind, start_day, **first, now);
  json::array kinds, formats;
  for (reports::Kind k : reports::kKinds) kinds.push_back(json::string(reports::to_string(k)));
  for (reports::Format f : {reports::Format::Html, reports::Format::Xlsx, reports::Format::Csv,
                            reports::Format::Json}) {
    formats.push_back(json::string(reports::to_string(f)));
  }
  json::object body{{"as_of", format_iso(now)},
                    {"period_start_day", start_day},
                    {"kinds", std::move(kinds)},
                    {"formats", std::move(formats)}};
  if (*kind == reports::PeriodKind::Month) {
    body.emplace("months", std::move(periods));
  } else {
    body.emplace("period_kind", reports::to_string(*kind));
    body.emplace("periods", std::move(periods));
  }
  http::Response r;
  r.body = json::serialize(body);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// A period label as the snapshots name their folders (2025-03, 2025-Q3, 2025-H1, 2025),
// checked: no path can be made of it.
Result<reports::Period> month_param(const BoardOptions& o, std::string_view value,
                                    std::string_view name = "month") {
  auto period = reports::parse_period_spec(value, o.report_source.period_start_day);
  if (!period) return Error{std::string(name) + ": " + period.error().message};
  return *period;
}

http::Response snapshot_file(const BoardOptions& o, const http::Request& req) {
  const std::string month(req.param("month").value_or(""));
  const std::string file(req.param("file").value_or(""));
  auto period = month_param(o, month);
  if (!period) return http::error_response(400, period.error().message);
  const auto snap = snapshot_json(o.reports_dir, period->label());
  if (!snap) return http::error_response(404, "no snapshot of " + period->label());
  bool listed = false;
  for (const json::value& f : snap->at("files").as_array())
    listed = listed || f.as_string() == file;
  if (!listed) {
    return http::error_response(
        404, "no file " + quote_for_error(file) + " in the snapshot of " + period->label());
  }
  auto bytes = reports::read_snapshot_file(o.reports_dir / period->label() / file);
  if (!bytes) return http::error_response(404, "cannot read " + file);
  const std::string ext = file.substr(file.rfind('.') + 1);
  const auto format = reports::parse_format(ext);
  http::Response r;
  r.content_type = format ? std::string(reports::content_type(*format)) : "application/json";
  r.body = std::move(*bytes);
  if (ext == "csv" || ext == "xlsx") {
    r.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"" + period->label() + "-" + file + "\"");
  }
  if (ext == "html") {
    // The printable form carries its own <style>: allowed, and nothing else.
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  }
  return r;
}

http::Response snapshot_diff(const BoardOptions& o, const http::Request& req) {
  const std::string kind_text(req.param("kind").value_or(""));
  const auto kind = reports::parse_kind(kind_text);
  if (!kind) {
    return http::error_response(404, "no report " + quote_for_error(kind_text) +
                                         " (results, reduction, index766, claimed)");
  }
  const auto month = req.query_param("month");
  const auto named = month ? month : req.query_param("period");
  if (!named)
    return http::error_response(400, "period: required (2025-07, 2025-Q3, 2025-H1, 2025)");
  auto period = month_param(o, *named, month ? "month" : "period");
  if (!period) return http::error_response(400, period.error().message);
  const auto snapshot =
      o.reports_dir.empty()
          ? std::nullopt
          : reports::read_snapshot_file(o.reports_dir / period->label() /
                                        (std::string(reports::to_string(*kind)) + ".json"));
  if (!snapshot) return http::error_response(404, "no snapshot of " + period->label());
  auto as_of = reports::recorded_as_of(*snapshot);
  if (!as_of)
    return http::internal_error(500, "the snapshot cannot be read",
                                "the snapshot: " + as_of.error().message);
  auto built = reports::build_reports(o.report_source, *period, *as_of);
  if (!built)
    return http::internal_error(503, "the store cannot be read now", built.error().message);
  auto changes = reports::changes_since(*built, *kind, *snapshot);
  if (!changes)
    return http::internal_error(500, "the comparison with the snapshot failed",
                                changes.error().message);
  json::array lines;
  for (std::string& line : *changes) lines.push_back(json::string(std::move(line)));
  http::Response r;
  r.body = json::serialize(json::object{{"kind", kind_text},
                                        {period->is_month() ? "month" : "period", period->label()},
                                        {"snapshot_as_of", format_iso(*as_of)},
                                        {"changes", std::move(lines)}});
  return r;
}

}  // namespace

void add_board_reports(http::Router& router, const Clock& clock, const BoardOptions& options) {
  auto o = std::make_shared<const BoardOptions>(options);
  const auto guarded = [o](http::Response (*handler)(const BoardOptions&, const http::Request&)) {
    return [o, handler](const http::Request& req) {
      if (!bearer_authorised(o->token, req)) return bearer_unauthorised();
      return handler(*o, req);
    };
  };
  router.add("GET", "/api/v1/reports", [o, &clock](const http::Request& req) {
    if (!bearer_authorised(o->token, req)) return bearer_unauthorised();
    return reports_list(*o, req, from_unix(clock.unix_seconds()));
  });
  router.add("GET", "/api/v1/reports/{kind}/diff", guarded(&snapshot_diff));
  router.add("GET", "/api/v1/snapshots/{month}/{file}", guarded(&snapshot_file));
}

}  // namespace tthc::api
