#include "reports/merge_read.hpp"

#include "reports/digest.hpp"
#include "reports/json_text.hpp"
#include "reports/snapshot.hpp"

#include <boost/json.hpp>

#include <map>

namespace tthc::reports {

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// A recorded value as the reports write it ({"a": 1, "b": "x"}, [1, 2]): what the merged report
// copies and the messages show.
std::string flat_json(const json::value& v) {
  if (v.is_string()) return json_string(std::string_view(v.as_string()));
  std::string out;
  if (v.is_object()) {
    for (const auto& [key, member] : v.as_object()) {
      out +=
          (out.empty() ? "" : ", ") + json_string(std::string_view(key)) + ": " + flat_json(member);
    }
    return "{" + out + "}";
  }
  if (v.is_array()) {
    for (const json::value& item : v.as_array()) out += (out.empty() ? "" : ", ") + flat_json(item);
    return "[" + out + "]";
  }
  return json::serialize(v);
}

Result<json::object> parse_object(const std::string& text, const std::string& file) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    return Error{file + ": not a JSON object" + (ec ? ": " + ec.message() : "")};
  }
  return std::move(v.as_object());
}

// Typed reads of a report object's members; the first missing or mistyped one is remembered
// and named with the file.
class Fields {
 public:
  Fields(const json::object& o, const std::string& where) : o_(o), where_(where) {}

  const json::value* find(std::string_view key) {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr) fail(key, "is missing");
    return v;
  }
  std::int64_t count(std::string_view key) {
    const json::value* v = find(key);
    if (v != nullptr && !v->is_int64()) fail(key, "is not a count");
    return v != nullptr && v->is_int64() ? v->as_int64() : 0;
  }
  std::optional<double> decimal(std::string_view key) {
    const json::value* v = find(key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (!v->is_number()) fail(key, "is not a number");
    return v->is_number() ? std::optional<double>(v->to_number<double>()) : std::nullopt;
  }
  std::string text(std::string_view key) {
    const json::value* v = find(key);
    if (v != nullptr && !v->is_string()) fail(key, "is not a text");
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  }
  const json::object& object(std::string_view key) {
    static const json::object kEmpty;
    const json::value* v = find(key);
    if (v != nullptr && !v->is_object()) fail(key, "is not an object");
    return v != nullptr && v->is_object() ? v->as_object() : kEmpty;
  }
  /// The value of `key` as compact JSON text ("" when missing).
  std::string serialized(std::string_view key) {
    const json::value* v = find(key);
    return v != nullptr ? flat_json(*v) : std::string();
  }
  std::optional<Error> error() const { return error_; }

 private:
  void fail(std::string_view key, std::string_view what) {
    if (!error_) error_ = Error{where_ + ": \"" + std::string(key) + "\" " + std::string(what)};
  }
  const json::object& o_;
  std::string where_;
  std::optional<Error> error_;
};

ResultsCounts results_total(Fields& f) {
  ResultsCounts c;
  c.received_online = f.count("received_online");
  c.received_direct = f.count("received_direct");
  c.carried_over = f.count("carried_over");
  c.resolved_early = f.count("resolved_early");
  c.resolved_on_time = f.count("resolved_on_time");
  c.resolved_overdue = f.count("resolved_overdue");
  c.pending_in_time = f.count("pending_in_time");
  c.pending_overdue = f.count("pending_overdue");
  return c;
}

ReductionFigures reduction_total(Fields& f) {
  ReductionFigures r;
  r.count = f.count("resolved");
  r.with_limit = f.count("with_limit");
  r.legal_days = f.decimal("legal_limit_days");
  r.reduced_days = f.decimal("reduced_limit_days");
  r.committed_reduction = f.decimal("committed_reduction");
  r.mean_days = f.decimal("mean_days");
  r.median_days = f.decimal("median_days");
  r.actual_reduction = f.decimal("actual_reduction");
  r.within_reduced_share = f.decimal("within_reduced_share");
  r.overdue_share = f.decimal("overdue_share");
  return r;
}

Index766Counts index766_total(Fields& f) {
  Index766Counts c;
  c.resolved_early = f.count("resolved_early");
  c.resolved_on_time = f.count("resolved_on_time");
  c.resolved_overdue = f.count("resolved_overdue");
  c.pending_in_time = f.count("pending_in_time");
  c.pending_overdue = f.count("pending_overdue");
  c.many_requests = f.count("many_requests");
  return c;
}

// Indicator 2.2 of one procedure (or of all, without codes).
Result<ProcedureTime> procedure_time(const json::object& o, const std::string& where,
                                     bool with_code) {
  Fields f(o, where);
  ProcedureTime p;
  if (with_code) {
    p.procedure = f.text("procedure");
    p.procedure_name = f.text("procedure_name");
  }
  p.resolved = f.count("resolved");
  p.mean_days = f.decimal("mean_days");
  TTHC_TRY_VOID(f.error());
  return p;
}

Result<Index766Report> index766_of(const json::object& o, const std::string& where) {
  Fields f(o, where);
  Fields total(f.object("total"), where);
  Index766Report r;
  r.total = index766_total(total);
  TTHC_TRY_VOID(total.error());
  const json::value* list = f.find("procedures");
  TTHC_TRY_VOID(f.error());
  if (!list->is_array()) return Error{where + ": \"procedures\" is not an array"};
  for (const json::value& p : list->as_array()) {
    if (!p.is_object()) return Error{where + ": a procedure is not an object"};
    TTHC_TRY(ProcedureTime t, procedure_time(p.as_object(), where, true));
    r.procedures.push_back(std::move(t));
  }
  TTHC_TRY(r.all_procedures, procedure_time(f.object("all_procedures"), where, false));
  return r;
}

// The province's code: the suffix of its units' codes (000.00.12.H42 → H42). A province that
// absorbed others still receives under their old codes for a while: the suffix carrying the
// most dossiers wins, ties to the smaller code.
Result<std::string> province_code(const json::object& report, const std::string& where) {
  std::map<std::string, std::int64_t> weight;
  const json::value* rows = report.if_contains("rows");
  if (rows != nullptr && rows->is_array()) {
    for (const json::value& row : rows->as_array()) {
      if (!row.is_object()) continue;
      const json::object& r = row.as_object();
      const json::value* unit = r.if_contains("unit");
      const json::value* field = r.if_contains("field");
      if (unit == nullptr || !unit->is_string() || unit->as_string().empty()) continue;
      if (field != nullptr && !field->is_null()) continue;  // a unit's subtotal only
      const std::string code(unit->as_string());
      const std::string suffix = code.substr(code.rfind('.') + 1);
      std::int64_t n = 0;
      for (const char* key : {"received_total", "resolved", "handled"}) {
        if (const json::value* v = r.if_contains(key); v != nullptr && v->is_int64()) {
          n = v->as_int64();
          break;
        }
      }
      weight[suffix] += n;
    }
  }
  if (weight.empty()) {
    return Error{where + ": no unit rows: the province cannot be told from its unit codes"};
  }
  auto best = weight.begin();
  for (auto it = weight.begin(); it != weight.end(); ++it) {
    if (it->second > best->second) best = it;
  }
  return best->first;
}

// The period a report records, as a Period for the printable forms' period line.
Result<Period> recorded_period(const json::object& period, const std::string& where) {
  Fields f(period, where);
  // A month's report names its month; a quarter's, half-year's, year's or range's its label.
  const std::string label = f.text(period.contains("label") ? "label" : "month");
  const std::int64_t start_day = f.count("start_day");
  const std::string from = f.text("from");
  TTHC_TRY_VOID(f.error());
  auto p = parse_period_spec(label, static_cast<int>(start_day));
  if (!p || format_iso(p->start) != from) {
    return Error{where + ": cannot read the period " + flat_json(period)};
  }
  return *p;
}

// A snapshot's manifest: closed, and the SHA-256 of each file by name.
using Hashes = std::map<std::string, std::string>;

Result<Hashes> read_manifest(const fs::path& file) {
  const std::string where = file.string();
  const auto bytes = read_snapshot_file(file);
  if (!bytes) return Error{where + ": missing or unreadable (not a snapshot folder?)"};
  TTHC_TRY(const json::object o, parse_object(*bytes, where));
  Fields f(o, where);
  const json::value* closed = f.find("closed");
  const json::object& files = f.object("files");
  TTHC_TRY_VOID(f.error());
  if (!closed->is_bool() || !closed->as_bool()) {
    return Error{where + ": \"closed\" is " + flat_json(*closed) +
                 ": the period was not over when the snapshot was written; only closed "
                 "snapshots are merged"};
  }
  Hashes hashes;
  for (const auto& [name, hash] : files) {
    if (hash.is_string()) hashes[std::string(name)] = std::string(hash.as_string());
  }
  return hashes;
}

// The recorded inputs of a report, each member's JSON text.
void read_inputs(Fields& f, ProvinceReports& p) {
  if (!p.source.inputs.empty()) return;
  for (const char* key :
       {"as_of", "calendar_version", "provisional_years", "catalogue_version", "settings"}) {
    p.source.inputs.emplace_back(key, f.serialized(key));
  }
}

// The report's closed period, checked against what the province's other files recorded.
std::optional<Error> read_period(Fields& f, const json::object& o, const std::string& where,
                                 ProvinceReports& p) {
  const json::value* closed = f.find("closed");
  const json::object& period = f.object("period");
  const std::string as_of = f.text("as_of");
  TTHC_TRY_VOID(f.error());
  if (!closed->is_bool() || !closed->as_bool()) {
    return Error{where + ": \"closed\" is " + flat_json(*closed) + " (as of " + as_of +
                 "): only reports of a period that was over are merged"};
  }
  if (o.contains("provinces")) {
    return Error{where + ": already a merged report: merge the provinces' own snapshots"};
  }
  const std::string text = flat_json(period);
  if (!p.period_json.empty()) {
    if (text != p.period_json) {
      return Error{where + ": period " + text + " differs from " + p.files_read.front() + "'s " +
                   p.period_json};
    }
    return std::nullopt;
  }
  TTHC_TRY(p.period, recorded_period(period, where));
  TTHC_TRY(p.as_of, parse_data_moment(as_of));
  p.period_json = text;
  p.start_day = flat_json(period.at("start_day"));
  return std::nullopt;
}

std::optional<Error> read_figures(const json::object& o, Kind kind, const std::string& where,
                                  ProvinceReports& p) {
  Fields f(o, where);
  if (kind == Kind::Index766) {
    TTHC_TRY(p.index766, index766_of(o, where));
    return std::nullopt;
  }
  Fields total(f.object("total"), where);
  TTHC_TRY_VOID(f.error());
  if (kind == Kind::Results) p.results = results_total(total);
  if (kind == Kind::Reduction) p.reduction = reduction_total(total);
  return total.error();
}

// One report file of the province: its bytes against the manifest's SHA-256 (when there is
// one), its kind, its period, its figures.
std::optional<Error> read_report(const fs::path& file, Kind kind, const Hashes* hashes,
                                 ProvinceReports& p) {
  const std::string where = file.string();
  const auto bytes = read_snapshot_file(file);
  if (!bytes) return Error{where + ": missing or unreadable"};
  const std::string hash = "sha256:" + sha256_hex(*bytes);
  if (hashes != nullptr) {
    const auto listed = hashes->find(file.filename().string());
    if (listed == hashes->end()) return Error{where + ": not listed in its folder's manifest.json"};
    if (listed->second != hash) {
      return Error{where + ": damaged: its SHA-256 is " + hash + ", the manifest's " +
                   listed->second};
    }
  }
  TTHC_TRY(const json::object o, parse_object(*bytes, where));
  Fields f(o, where);
  const std::string report = f.text("report");
  TTHC_TRY_VOID(f.error());
  if (report != to_string(kind)) {
    return Error{where + ": a \"" + report + "\" report, where \"" + std::string(to_string(kind)) +
                 "\" is merged"};
  }
  TTHC_TRY_VOID(read_period(f, o, where, p));
  read_inputs(f, p);
  TTHC_TRY_VOID(f.error());
  TTHC_TRY_VOID(read_figures(o, kind, where, p));
  if (p.source.code.empty()) {
    TTHC_TRY(p.source.code, province_code(o, where));
  }
  p.files_read.push_back(where);
  p.source.files.emplace_back(file.filename().string(), hash);
  return std::nullopt;
}

}  // namespace

Result<ProvinceReports> read_province(const MergeInput& input, const std::vector<Kind>& kinds) {
  const fs::path path(input.path);
  ProvinceReports p;
  p.source.source = input.path;
  std::error_code ec;
  if (!fs::exists(path, ec)) return Error{input.path + ": no such folder or file"};
  if (fs::is_directory(path, ec)) {
    TTHC_TRY(const Hashes hashes, read_manifest(path / "manifest.json"));
    for (const Kind k : kinds) {
      TTHC_TRY_VOID(read_report(path / (std::string(to_string(k)) + ".json"), k, &hashes, p));
    }
  } else {
    if (kinds.size() != 1) {
      return Error{input.path +
                   ": not a snapshot folder (a merged snapshot is made of the "
                   "provinces' snapshot folders)"};
    }
    // A report file of a snapshot is checked against the manifest beside it.
    std::optional<Hashes> hashes;
    if (fs::exists(path.parent_path() / "manifest.json", ec)) {
      TTHC_TRY(hashes, read_manifest(path.parent_path() / "manifest.json"));
    }
    TTHC_TRY_VOID(read_report(path, kinds.front(), hashes ? &*hashes : nullptr, p));
  }
  p.source.name = input.name.value_or(p.source.code);
  return p;
}

Result<MergeInput> parse_merge_input(const std::string& argument) {
  MergeInput in;
  const auto eq = argument.find('=');
  if (eq == std::string::npos) {
    in.path = argument;
  } else {
    in.name = argument.substr(0, eq);
    in.path = argument.substr(eq + 1);
    if (in.name->empty()) in.name.reset();
  }
  if (in.path.empty()) return Error{"--merge: no folder or file in \"" + argument + "\""};
  return in;
}

}  // namespace tthc::reports
