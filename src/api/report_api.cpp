#include "api/report_api.hpp"

#include "api/bearer_auth.hpp"
#include "reports/render.hpp"
#include "reports/review.hpp"

#include <charconv>

namespace tthc::api {

namespace {

http::Response bad(int status, const std::string& message) {
  return http::error_response(status, message);
}

// `period=` (any period) or `month=` (YYYY-MM), one of them; the error names the parameter.
Result<reports::Period> period_param(const http::Request& req, int start_day) {
  const auto month = req.query_param("month");
  const auto period = req.query_param("period");
  if (month && period) return Error{"month, period: give one of them, not both"};
  if (!month && !period) {
    return Error{
        "period: required (2025-07, 2025-Q3, 2025-H1, 2025, 2025-01..2025-09, "
        "2022..2025), or month: YYYY-MM"};
  }
  auto parsed = month ? reports::parse_period(*month, start_day)
                      : reports::parse_period_spec(*period, start_day);
  if (!parsed) return Error{std::string(month ? "month: " : "period: ") + parsed.error().message};
  return parsed;
}

// The response of a rendered report: its Content-Type; CSV and XLSX as attachments.
http::Response report_response(std::string bytes, reports::Format format,
                               const std::string& file_stem, const std::string& format_text) {
  http::Response r;
  r.content_type = std::string(reports::content_type(format));
  r.body = std::move(bytes);
  if (format == reports::Format::Csv || format == reports::Format::Xlsx) {
    r.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"" + file_stem + "." + format_text + "\"");
  }
  return r;
}

// The phase review: ?period=YYYY or YYYY..YYYY, judged as of each year's end (or now).
http::Response review(const ReportApiOptions& o, const Clock& clock, const http::Request& req,
                      reports::Format format, const std::string& format_text, int start_day) {
  const auto period = req.query_param("period");
  if (!period) return bad(400, "period: required, YYYY or YYYY..YYYY");
  const auto span = reports::parse_year_span(*period);
  if (!span) return bad(400, "period: " + span.error().message);
  const reports::ReviewRequest request{*span, start_day, from_unix(clock.unix_seconds())};
  if (auto e = reports::check_request(request)) return bad(400, e->message);
  auto built = reports::build_review(o.source, request, o.snapshots_dir.string());
  if (!built)
    return http::internal_error(503, "the store cannot be read now", built.error().message);
  auto bytes = reports::render_review(*built, format);
  if (!bytes)
    return http::internal_error(500, "the report could not be written", bytes.error().message);
  return report_response(std::move(*bytes), format, "review-" + span->label(), format_text);
}

}  // namespace

void add_report_api(http::Router& router, const Clock& clock, ReportApiOptions options) {
  auto o = std::make_shared<const ReportApiOptions>(std::move(options));
  router.add("GET", "/api/v1/reports/{kind}", [o, &clock](const http::Request& req) {
    if (!bearer_authorised(o->token, req)) return bearer_unauthorised();
    const std::string kind_text(req.param("kind").value_or(""));
    const auto kind = reports::parse_kind(kind_text);
    if (!kind && kind_text != "review") {
      return bad(404,
                 "no report \"" + kind_text + "\" (" + std::string(reports::kind_names()) + ")");
    }
    const std::string format_text = req.query_param("format").value_or("json");
    const auto format = reports::parse_format(format_text);
    if (!format) return bad(400, "format: not json, csv, html or xlsx: \"" + format_text + "\"");
    if (kind && !reports::available(*kind, *format)) {
      return bad(400, "format: " + kind_text + " is written as json only");
    }
    int start_day = o->source.period_start_day;
    if (const auto d = req.query_param("period_start_day")) {
      const auto res = std::from_chars(d->data(), d->data() + d->size(), start_day);
      if (d->empty() || res.ec != std::errc() || res.ptr != d->data() + d->size()) {
        return bad(400, "period_start_day: not a number from 1 to 28");
      }
    }
    if (!kind) return review(*o, clock, req, *format, format_text, start_day);
    auto period = period_param(req, start_day);
    if (!period) return bad(400, period.error().message);
    if (auto refused = reports::period_refusal(*kind, *period)) {
      return bad(400, refused->message);
    }
    std::optional<Moment> as_of;
    if (const auto a = req.query_param("as_of")) {
      auto m = parse_user_moment(*a);
      if (!m) return bad(400, "as_of: " + m.error().message);
      as_of = *m;
    }
    auto moment = reports::report_moment(*period, as_of, from_unix(clock.unix_seconds()));
    if (!moment) return bad(400, moment.error().message);
    auto built = reports::build_reports(o->source, *period, *moment);
    if (!built)
      return http::internal_error(503, "the store cannot be read now", built.error().message);
    auto bytes = reports::render(*built, *kind, *format);
    if (!bytes)
      return http::internal_error(500, "the report could not be written", bytes.error().message);
    return report_response(std::move(*bytes), *format, kind_text + "-" + period->label(),
                           format_text);
  });
}

}  // namespace tthc::api
