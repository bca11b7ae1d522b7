// The phase review as JSON (one unit or department a line, keys in a fixed order, 6 decimals),
// and the one entry point that renders it in any format.
#include "reports/document.hpp"
#include "reports/json_text.hpp"
#include "reports/review.hpp"

namespace tthc::reports {

namespace {

std::string counts_json(const ReviewCounts& c) {
  return JsonObject()
      .count("resolved", c.resolved)
      .count("on_time", c.on_time)
      .count("overdue", c.overdue)
      .count("with_limit", c.with_limit)
      .decimal("on_time_rate", c.on_time_rate())
      .decimal("overdue_per_1000", c.overdue_per_1000())
      .decimal("actual_reduction", c.actual_reduction())
      .decimal("committed_reduction", c.committed_reduction())
      .decimal("beyond_commitment", c.beyond_commitment())
      .str();
}

std::optional<double> minus(std::optional<double> a, std::optional<double> b) {
  if (!a || !b) return std::nullopt;
  return *a - *b;
}

std::string change_json(const ReviewCounts& to, const ReviewCounts& from) {
  return JsonObject()
      .decimal("on_time_rate", minus(to.on_time_rate(), from.on_time_rate()))
      .decimal("overdue_per_1000", minus(to.overdue_per_1000(), from.overdue_per_1000()))
      .decimal("actual_reduction", minus(to.actual_reduction(), from.actual_reduction()))
      .decimal("beyond_commitment", minus(to.beyond_commitment(), from.beyond_commitment()))
      .str();
}

std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i > 0 ? ", " : "") + items[i];
  return out + "]";
}

std::string overdue_json(const ReviewRow& row) {
  std::vector<std::string> first;
  for (const OverdueDossier& d : row.worst_overdue.first) {
    first.push_back(JsonObject()
                        .text("code", d.code)
                        .text("state", d.resolved ? "resolved_overdue" : "pending_overdue")
                        .raw("due", d.due ? json_string(format_iso(*d.due)) : "null")
                        .raw("end", d.end ? json_string(format_iso(*d.end)) : "null")
                        .str());
  }
  return JsonObject().count("total", row.worst_overdue.total).raw("first", list(first)).str();
}

std::string row_json(const ReviewReport& r, const ReviewRow& row) {
  std::vector<std::string> years;
  for (const ReviewCounts& y : row.years) years.push_back(counts_json(y));
  JsonObject o;
  o.text("unit", row.unit).text("unit_name", row.unit_name).opt_text("department", row.department);
  o.raw("rank", row.rank ? std::to_string(*row.rank) : "null");
  if (!row.department) {
    o.raw("composite", JsonObject()
                           .decimal("on_time", row.composite.on_time)
                           .decimal("overdue", row.composite.overdue)
                           .decimal("reduction", row.composite.reduction)
                           .decimal("score", row.composite.score)
                           .str());
  }
  o.raw("years", list(years)).raw("span", counts_json(row.span));
  o.raw("change_over_span", change_json(row.years.back(), row.years.front()));
  o.raw("before", row.before ? counts_json(*row.before) : "null");
  o.raw("change_vs_before", row.before ? change_json(row.span, *row.before) : "null");
  if (!row.department) {
    o.raw("worst_year",
          row.worst_year ? std::to_string(r.span.first + *row.worst_year) : std::string("null"));
    o.raw("worst_year_overdue", overdue_json(row));
  }
  return o.str();
}

std::string years_json(const ReviewReport& r) {
  std::vector<std::string> years;
  for (const Inputs& in : r.years) {
    years.push_back(JsonObject()
                        .count("year", in.period.year)
                        .text("from", format_iso(in.period.start))
                        .text("to", format_iso(in.period.end))
                        .text("as_of", format_iso(in.as_of))
                        .boolean("closed", in.closed())
                        .str());
  }
  return list(years);
}

std::string caveats_json(const ReviewReport& r) {
  std::vector<std::string> provisional, late, unknown, units, text;
  for (const int y : r.caveats.provisional_years) provisional.push_back(std::to_string(y));
  for (const LateSyncMonth& m : r.caveats.late_syncs) {
    late.push_back(JsonObject()
                       .text("month", m.month)
                       .text("snapshot_written", format_iso(m.snapshot_written))
                       .count("arrived_late", m.arrived_late)
                       .str());
  }
  for (const std::int64_t n : r.caveats.unknown_procedures) unknown.push_back(std::to_string(n));
  for (const std::string& u : r.caveats.unknown_units) units.push_back(json_string(u));
  std::vector<std::string> unknown_dossiers;
  for (const std::int64_t n : r.caveats.unknown_unit_dossiers) {
    unknown_dossiers.push_back(std::to_string(n));
  }
  for (const std::string& line : caveat_lines(r)) text.push_back(json_string(line));
  return JsonObject()
      .raw("provisional_years", list(provisional))
      .boolean("snapshots_read", r.caveats.snapshots_read)
      .raw("late_syncs", list(late))
      .raw("unknown_procedures", list(unknown))
      .boolean("unit_register", r.caveats.unit_register)
      .raw("unknown_units", list(units))
      .raw("unknown_unit_dossiers", list(unknown_dossiers))
      .raw("text", list(text))
      .str();
}

}  // namespace

std::string review_json(const ReviewReport& r) {
  const Inputs& in = r.years.back();
  std::string out = "{\n";
  out += "  \"report\": \"review\",\n";
  out += "  \"span\": " + json_string(r.span.label()) + ",\n";
  out += "  \"start_day\": " + std::to_string(r.start_day) + ",\n";
  out += "  \"years\": " + years_json(r) + ",\n";
  out += "  \"calendar_version\": " + json_string(in.calendar_version) + ",\n";
  out += "  \"catalogue_version\": " + json_string(in.catalogue_version) + ",\n";
  out += "  \"settings\": " +
         JsonObject()
             .text("pause_policy", engine::to_string(in.settings.pause_policy))
             .text("judge_by", engine::to_string(in.settings.judge_by))
             .str() +
         ",\n";
  out += "  \"ranking\": " +
         JsonObject()
             .decimal("weight_on_time", kWeightOnTime)
             .decimal("weight_overdue", kWeightOverdue)
             .decimal("weight_reduction", kWeightReduction)
             .count("min_resolved", kMinResolvedToRank)
             .str() +
         ",\n";
  out += "  \"before_has_data\": " + std::string(r.before_has_data ? "true" : "false") + ",\n";
  out += "  \"caveats\": " + caveats_json(r) + ",\n";
  std::vector<std::string> rows;
  for (const ReviewRow& row : r.rows) rows.push_back(row_json(r, row));
  append_json_lines(out, "rows", rows.data(), rows.size(), false);
  std::vector<std::string> years;
  for (const ReviewCounts& y : r.total_years) years.push_back(counts_json(y));
  out += "  \"total\": " +
         JsonObject()
             .raw("years", list(years))
             .raw("span", counts_json(r.total_span))
             .raw("before", r.total_before ? counts_json(*r.total_before) : "null")
             .str() +
         "\n}\n";
  return out;
}

Result<std::string> render_review(const ReviewReport& r, Format format) {
  switch (format) {
    case Format::Json: return review_json(r);
    case Format::Csv: return render_csv(review_document(r));
    case Format::Html: return render_html(review_document(r));
    case Format::Xlsx: return render_xlsx(review_document(r));
  }
  return Error{"unknown report format"};
}

}  // namespace tthc::reports
