#include "reports/render.hpp"

#include "reports/claimed.hpp"
#include "reports/document.hpp"

namespace tthc::reports {

namespace {

template <class Report>
Result<std::string> render_one(const Report& report, Format format) {
  switch (format) {
    case Format::Json: return to_json(report);
    case Format::Csv: return render_csv(to_document(report));
    case Format::Html: return render_html(to_document(report));
    case Format::Xlsx: return render_xlsx(to_document(report));
  }
  return Error{"unknown report format"};
}

}  // namespace

std::optional<Error> period_refusal(Kind kind, const Period& period) {
  if (kind != Kind::DvcqgStats || period.is_month()) return std::nullopt;
  return Error{"dvcqg-stats is the portal's monthly payload: give a month (YYYY-MM), not " +
               period.label()};
}

Result<std::string> render(const Reports& reports, Kind kind, Format format) {
  switch (kind) {
    case Kind::Results: return render_one(reports.results, format);
    case Kind::Reduction: return render_one(reports.reduction, format);
    case Kind::Index766: return render_one(reports.index766, format);
    case Kind::Claimed: return render_one(reports.claimed, format);
    case Kind::DvcqgStats:
      if (!available(kind, format)) return Error{"dvcqg-stats is written as json only"};
      TTHC_TRY_VOID(period_refusal(kind, reports.results.inputs.period));
      return dvcqg_payload(reports.results);
  }
  return Error{"unknown report kind"};
}

}  // namespace tthc::reports
