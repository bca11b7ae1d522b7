// The board's reports page data: every month's reports, the frozen snapshots and their files,
// and what a fresh run changes against a snapshot (`report --diff`).
#include "api/board_parts.hpp"

#include "api/bearer_auth.hpp"
#include "domain/text.hpp"
#include "reports/diff.hpp"
#include "reports/snapshot.hpp"
#include "store/store.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <sstream>

namespace tthc::api {

namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A snapshot's manifest: its as-of moment and its files; none when the month has none.
std::optional<json::object> snapshot_json(const fs::path& dir, const std::string& month) {
  if (dir.empty()) return std::nullopt;
  const auto text = read_file(dir / month / "manifest.json");
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

http::Response reports_list(const BoardOptions& o, Moment now) {
  const int start_day = o.report_source.period_start_day;
  auto reader = store::Reader::open(o.db);
  if (!reader)
    return http::internal_error(503, "the store cannot be read now", reader.error().message);
  auto first = reader->first_received();
  if (!first)
    return http::internal_error(503, "the store cannot be read now", first.error().message);
  json::array months;
  if (*first) {
    const reports::Period oldest = reports::period_containing(**first, start_day);
    for (reports::Period p = reports::period_containing(now, start_day);;
         p = reports::previous(p)) {
      const std::string label = p.label();
      auto snap = snapshot_json(o.reports_dir, label);
      months.push_back(
          json::object{{"month", label},
                       {"from", format_date(day_of(p.start))},
                       {"to", format_date(day_of(p.end))},
                       {"closed", now >= p.end},
                       {"snapshot", snap ? json::value(std::move(*snap)) : json::value(nullptr)}});
      if (p == oldest || months.size() >= 240) break;
    }
  }
  json::array kinds, formats;
  for (reports::Kind k : reports::kKinds) kinds.push_back(json::string(reports::to_string(k)));
  for (reports::Format f : {reports::Format::Html, reports::Format::Xlsx, reports::Format::Csv,
                            reports::Format::Json}) {
    formats.push_back(json::string(reports::to_string(f)));
  }
  http::Response r;
  r.body = json::serialize(json::object{{"as_of", format_iso(now)},
                                        {"period_start_day", start_day},
                                        {"kinds", std::move(kinds)},
                                        {"formats", std::move(formats)},
                                        {"months", std::move(months)}});
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// A month label as the snapshots name their folders, checked: no path can be made of it.
Result<reports::Period> month_param(const BoardOptions& o, std::string_view value) {
  auto period = reports::parse_period(value, o.report_source.period_start_day);
  if (!period) return Error{"month: " + period.error().message};
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
  auto bytes = read_file(o.reports_dir / period->label() / file);
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
  if (!month) return http::error_response(400, "month: required, YYYY-MM");
  auto period = month_param(o, *month);
  if (!period) return http::error_response(400, period.error().message);
  const auto snapshot = o.reports_dir.empty()
                            ? std::nullopt
                            : read_file(o.reports_dir / period->label() /
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
                                        {"month", period->label()},
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
    return reports_list(*o, from_unix(clock.unix_seconds()));
  });
  router.add("GET", "/api/v1/reports/{kind}/diff", guarded(&snapshot_diff));
  router.add("GET", "/api/v1/snapshots/{month}/{file}", guarded(&snapshot_file));
}

}  // namespace tthc::api
