// The reports as JSON (domain.md §8.9, §8.14): the results rows exactly as issue #7 names them.
#include "reports/document.hpp"
#include "reports/json_text.hpp"
#include "reports/render.hpp"

#include <vector>

namespace tthc::reports {

namespace {

// A month's object is as it always was; a longer period's says its kind, label and months.
std::string period_json(const Period& p) {
  JsonObject o;
  if (p.is_month()) {
    o.text("month", p.label());
  } else {
    o.text("kind", to_string(p.kind))
        .text("label", p.label())
        .text("first_month", p.first_month_period().label())
        .text("last_month", p.last_month_period().label());
  }
  return o.text("from", format_iso(p.start))
      .text("to", format_iso(p.end))
      .text("last_day", format_date(p.last_day()))
      .count("start_day", p.start_day)
      .str();
}

std::string results_counts(JsonObject o, const ResultsCounts& c) {
  return o.count("received_total", c.received_total())
      .count("received_online", c.received_online)
      .count("received_direct", c.received_direct)
      .count("carried_over", c.carried_over)
      .count("resolved_total", c.resolved_total())
      .count("resolved_early", c.resolved_early)
      .count("resolved_on_time", c.resolved_on_time)
      .count("resolved_overdue", c.resolved_overdue)
      .count("pending_total", c.pending_total())
      .count("pending_in_time", c.pending_in_time)
      .count("pending_overdue", c.pending_overdue)
      .decimal("on_time_rate", c.on_time_rate())
      .str();
}

std::string reduction_figures(JsonObject o, const ReductionFigures& f) {
  return o.count("resolved", f.count)
      .count("with_limit", f.with_limit)
      .decimal("legal_limit_days", f.legal_days)
      .decimal("reduced_limit_days", f.reduced_days)
      .decimal("committed_reduction", f.committed_reduction)
      .decimal("mean_days", f.mean_days)
      .decimal("median_days", f.median_days)
      .decimal("actual_reduction", f.actual_reduction)
      .decimal("within_reduced_share", f.within_reduced_share)
      .decimal("overdue_share", f.overdue_share)
      .str();
}

std::string index766_counts(JsonObject o, const Index766Counts& c) {
  return o.count("handled", c.handled())
      .count("resolved_early", c.resolved_early)
      .count("resolved_on_time", c.resolved_on_time)
      .count("resolved_overdue", c.resolved_overdue)
      .count("pending_in_time", c.pending_in_time)
      .count("pending_overdue", c.pending_overdue)
      .count("many_requests", c.many_requests)
      .count("good", c.good())
      .decimal("rate", c.rate())
      .decimal("score", c.score())
      .str();
}

std::string opt_count(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : std::string("null");
}

std::string claimed_figures(const std::optional<ClaimedFigures>& f) {
  if (!f) return "null";
  return JsonObject()
      .raw("received", opt_count(f->received))
      .raw("carried_over", opt_count(f->carried_over))
      .raw("to_process", opt_count(f->to_process))
      .raw("resolved", opt_count(f->resolved))
      .raw("resolved_on_time", opt_count(f->resolved_on_time))
      .raw("resolved_overdue", opt_count(f->resolved_overdue))
      .raw("pending", opt_count(f->pending))
      .raw("pending_in_time", opt_count(f->pending_in_time))
      .raw("pending_overdue", opt_count(f->pending_overdue))
      .decimal("on_time_rate", f->on_time_rate)
      .str();
}

std::string opt_moment(const std::optional<Moment>& m) {
  return m ? json_string(format_iso(*m)) : std::string("null");
}

std::string head(Kind kind, const Inputs& in) {
  std::string out = "{\n";
  out += "  \"report\": " + json_string(to_string(kind)) + ",\n";
  out += "  \"title\": " + json_string(title_of(kind)) + ",\n";
  if (kind == Kind::Results) out += "  \"form\": " + json_string(kFormCode) + ",\n";
  out += inputs_json_lines(in);
  return out;
}

// The codes and names that say which row it is: unit, then field (null: the unit's subtotal).
template <class Row>
JsonObject where(const Row& row) {
  JsonObject o;
  o.text("unit", row.unit)
      .text("unit_name", row.unit_name)
      .opt_text("field", row.field)
      .text("field_name", row.field_name);
  return o;
}

// The report's object: its head and inputs, "rows" one a line, "total", then `more` (lines of
// further keys, the last without a trailing comma).
template <class Rows, class RowJson>
std::string report_json(Kind kind, const Inputs& in, const Rows& rows, RowJson row_json,
                        const std::string& total, const std::string& more = "") {
  std::string out = head(kind, in);
  std::vector<std::string> lines;
  for (const auto& row : rows) lines.push_back(row_json(row));
  append_json_lines(out, "rows", lines.data(), lines.size(), false);
  out += "  \"total\": " + total + (more.empty() ? "\n" : ",\n" + more) + "}\n";
  return out;
}

// "units": the register's version, the [units] settings and the dossiers counted under unit
// codes the register lacks; written only with a register, so other reports keep their bytes.
std::string units_json_line(const UnitInputs& u) {
  std::string unknown = "[";
  for (std::size_t i = 0; i < u.unknown_units.size(); ++i) {
    unknown += (i > 0 ? ", " : "") + json_string(u.unknown_units[i]);
  }
  unknown += "]";
  return "  \"units\": " +
         JsonObject()
             .text("register_version", u.register_version)
             .boolean("successors", u.options.successors)
             .text("count_under", engine::to_string(u.options.count_under))
             .count("unknown_dossiers", u.unknown_dossiers)
             .raw("unknown_units", unknown)
             .str() +
         ",\n";
}

}  // namespace

std::string inputs_json_lines(const Inputs& in) {
  std::string years = "[";
  for (std::size_t i = 0; i < in.provisional_years.size(); ++i) {
    if (i > 0) years += ", ";
    years += std::to_string(in.provisional_years[i]);
  }
  years += "]";
  std::string out;
  out += "  \"period\": " + period_json(in.period) + ",\n";
  out += "  \"as_of\": " + json_string(format_iso(in.as_of)) + ",\n";
  out += std::string("  \"closed\": ") + (in.closed() ? "true" : "false") + ",\n";
  out += "  \"calendar_version\": " + json_string(in.calendar_version) + ",\n";
  out += "  \"provisional_years\": " + years + ",\n";
  out += "  \"catalogue_version\": " + json_string(in.catalogue_version) + ",\n";
  if (in.units.recorded()) out += units_json_line(in.units);
  out += "  \"settings\": " +
         JsonObject()
             .text("pause_policy", engine::to_string(in.settings.pause_policy))
             .text("judge_by", engine::to_string(in.settings.judge_by))
             .text("due_soon", due_soon_label(in))
             .count("period_start_day", in.period.start_day)
             .str() +
         ",\n";
  return out;
}

std::string to_json(const ResultsReport& r) {
  return report_json(
      Kind::Results, r.inputs, r.rows,
      [](const ResultsRow& row) { return results_counts(where(row), row.counts); },
      results_counts(JsonObject(), r.total));
}

std::string to_json(const ReductionReport& r) {
  return report_json(
      Kind::Reduction, r.inputs, r.rows,
      [](const ReductionRow& row) {
        return reduction_figures(where(row)
                                     .opt_text("procedure", row.procedure)
                                     .text("procedure_name", row.procedure_name),
                                 row.figures);
      },
      reduction_figures(JsonObject(), r.total));
}

std::string to_json(const Index766Report& r) {
  std::vector<std::string> procedures;
  for (const ProcedureTime& p : r.procedures) {
    procedures.push_back(JsonObject()
                             .text("procedure", p.procedure)
                             .text("procedure_name", p.procedure_name)
                             .count("resolved", p.resolved)
                             .decimal("mean_days", p.mean_days)
                             .str());
  }
  std::string more;
  append_json_lines(more, "procedures", procedures.data(), procedures.size(), false);
  more += "  \"all_procedures\": " +
          JsonObject()
              .count("resolved", r.all_procedures.resolved)
              .decimal("mean_days", r.all_procedures.mean_days)
              .str() +
          "\n";
  return report_json(
      Kind::Index766, r.inputs, r.rows,
      [](const Index766Row& row) {
        return index766_counts(JsonObject().text("unit", row.unit).text("unit_name", row.unit_name),
                               row.counts);
      },
      index766_counts(JsonObject(), r.total), more);
}

std::string to_json(const ClaimedReport& r) {
  std::string out = head(Kind::Claimed, r.inputs);
  std::vector<std::string> lines;
  for (const ClaimedRow& row : r.rows) {
    std::string overdue = "[";
    for (const OverdueDossier& d : row.overdue) {
      overdue += (overdue.size() > 1 ? ", " : "") +
                 JsonObject()
                     .text("code", d.code)
                     .text("state", d.resolved ? "resolved_overdue" : "pending_overdue")
                     .raw("due", opt_moment(d.due))
                     .raw("end", opt_moment(d.end))
                     .str();
    }
    overdue += "]";
    JsonObject o;
    o.text("unit", row.unit).text("unit_name", row.unit_name).text("kind", row.kind);
    o.raw("claimed", claimed_figures(row.claimed))
        .raw("ours", claimed_figures(row.ours))
        .raw("difference", claimed_figures(row.difference))
        .text("note", row.note)
        .text("sender", row.sender)
        .raw("arrived", row.claimed ? json_string(format_iso(from_unix(row.arrived_unix)))
                                    : std::string("null"))
        .count("overdue_total", row.overdue_total)
        .raw("overdue", overdue);
    lines.push_back(o.str());
  }
  append_json_lines(out, "rows", lines.data(), lines.size(), true);
  out += "}\n";
  return out;
}

}  // namespace tthc::reports
