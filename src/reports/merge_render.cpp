// The merged reports rendered by the single-province renderers: the same JSON, CSV, HTML and
// XLSX with a province where a unit was, and the provinces' recorded inputs where one
// province's inputs were.
#include "reports/document.hpp"
#include "reports/json_text.hpp"
#include "reports/merge.hpp"
#include "reports/render.hpp"

#include <algorithm>

namespace tthc::reports {

namespace {

const Inputs& inputs_of(const MergedReports& m) {
  return m.reports.results.inputs;
}

// The files of the report of `kind`, or every file read (none: the manifest).
bool shown(const std::string& file, std::optional<Kind> kind) {
  return !kind || file == std::string(to_string(*kind)) + ".json";
}

// The province's record in the merged report: who, from which files, with which inputs.
std::string province_json(const ProvinceSource& p, std::optional<Kind> kind) {
  JsonObject files;
  for (const auto& [name, hash] : p.files) {
    if (shown(name, kind)) files.text(name, hash);
  }
  JsonObject o;
  o.text("province", p.code)
      .text("name", p.name)
      .text("source", p.source)
      .raw("files", files.str());
  for (const auto& [key, json] : p.inputs) o.raw(key, json);
  return o.str();
}

// In place of one province's recorded inputs (inputs_json_lines): the common period, the
// latest as-of moment, every province's inputs, and which of them differ.
std::string merged_inputs_lines(const MergedReports& m, std::optional<Kind> kind) {
  std::string out;
  out += "  \"period\": " + m.period_json + ",\n";
  out += "  \"as_of\": " + json_string(format_iso(inputs_of(m).as_of)) + ",\n";
  out += "  \"closed\": true,\n";
  std::vector<std::string> provinces;
  for (const ProvinceSource& p : m.provinces) provinces.push_back(province_json(p, kind));
  append_json_lines(out, "provinces", provinces.data(), provinces.size(), false);
  std::string differing;
  for (const std::string& key : m.differing) {
    differing += (differing.empty() ? "" : ", ") + json_string(key);
  }
  out += "  \"inputs_differ\": [" + differing + "],\n";
  return out;
}

// "pause_policy = x; judge_by = y" from a recorded {"pause_policy": "x", …}: readable enough
// for the printed form, whose inputs are the JSON's.
std::string plain(std::string json) {
  json.erase(std::remove(json.begin(), json.end(), '"'), json.end());
  if (json.size() >= 2 && (json.front() == '{' || json.front() == '[')) {
    json = json.substr(1, json.size() - 2);
  }
  return json;
}

std::vector<std::pair<std::string, std::string>> merged_document_inputs(const MergedReports& m,
                                                                        Kind kind) {
  std::string codes;
  for (const ProvinceSource& p : m.provinces) codes += (codes.empty() ? "" : ", ") + p.code;
  std::string differing;
  for (const std::string& key : m.differing) differing += (differing.empty() ? "" : ", ") + key;
  std::vector<std::pair<std::string, std::string>> out = {
      {"Số liệu tính đến", format_iso(inputs_of(m).as_of)},
      {"Tổng hợp từ", std::to_string(m.provinces.size()) + " tỉnh, thành phố: " + codes},
      {"Thiết lập khác nhau giữa các tỉnh", differing.empty() ? "không" : differing},
  };
  for (const ProvinceSource& p : m.provinces) {
    std::string value = p.source;
    for (const auto& [name, hash] : p.files) {
      if (shown(name, kind)) value += "; " + name + " " + hash;
    }
    for (const auto& [key, json] : p.inputs) value += "; " + key + " = " + plain(json);
    out.emplace_back(p.name == p.code ? p.code : p.name + " (" + p.code + ")", value);
  }
  return out;
}

template <class Report>
Result<std::string> render_one(const MergedReports& m, Kind kind, const Report& report,
                               Format format) {
  if (format == Format::Json) {
    std::string text = to_json(report);
    const std::string single = inputs_json_lines(report.inputs);
    const auto at = text.find(single);
    if (at == std::string::npos) return Error{"merged report: the recorded inputs were not found"};
    return text.replace(at, single.size(), merged_inputs_lines(m, kind));
  }
  Document d = to_document(report);
  d.inputs = merged_document_inputs(m, kind);
  switch (format) {
    case Format::Csv: return render_csv(d);
    case Format::Html: return render_html(d);
    case Format::Xlsx: return render_xlsx(d);
    case Format::Json: break;
  }
  return Error{"unknown report format"};
}

}  // namespace

Result<std::string> render_merged(const MergedReports& m, Kind kind, Format format) {
  if (std::find(m.kinds.begin(), m.kinds.end(), kind) == m.kinds.end()) {
    return Error{std::string(to_string(kind)) + " was not merged"};
  }
  switch (kind) {
    case Kind::Results: return render_one(m, kind, m.reports.results, format);
    case Kind::Reduction: return render_one(m, kind, m.reports.reduction, format);
    case Kind::Index766: return render_one(m, kind, m.reports.index766, format);
    case Kind::Claimed:
    case Kind::DvcqgStats: break;
  }
  return Error{std::string(to_string(kind)) +
               " is not merged (results, reduction and index766 are)"};
}

Result<std::vector<SnapshotFile>> merged_snapshot_files(const MergedReports& m) {
  return snapshot_files(
      kMergedKinds, [&m](Kind k, Format f) { return render_merged(m, k, f); },
      merged_inputs_lines(m, std::nullopt));
}

}  // namespace tthc::reports
