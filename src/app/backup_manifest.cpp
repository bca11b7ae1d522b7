#include "app/backup_manifest.hpp"

#include <boost/json.hpp>

namespace tthc::app {

namespace json = boost::json;

namespace {

constexpr std::string_view kFormat = "tthc-monitor-backup";
constexpr std::int64_t kFormatVersion = 1;

// Each getter names the key it missed.
Result<std::string> text_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return Error{std::string(key) + ": missing or not text"};
  return std::string(v->get_string());
}

Result<std::uintmax_t> count_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v != nullptr && v->is_uint64()) return static_cast<std::uintmax_t>(v->get_uint64());
  if (v != nullptr && v->is_int64() && v->get_int64() >= 0) {
    return static_cast<std::uintmax_t>(v->get_int64());
  }
  return Error{std::string(key) + ": missing or not a count"};
}

Result<BackupFile> parse_file(const json::value& v) {
  if (!v.is_object()) return Error{"files: an entry is not an object"};
  const json::object& o = v.get_object();
  BackupFile f;
  for (auto [key, field] : {std::pair{"name", &f.name}, std::pair{"role", &f.role},
                            std::pair{"source", &f.source}, std::pair{"sha256", &f.sha256}}) {
    auto t = text_at(o, key);
    if (!t) return Error{"files: " + t.error().message};
    *field = std::move(*t);
  }
  auto bytes = count_at(o, "bytes");
  if (!bytes) return Error{"files: " + bytes.error().message};
  f.bytes = *bytes;
  return f;
}

Result<BackupReports> parse_reports(const json::value& v) {
  if (!v.is_object()) return Error{"reports: not an object"};
  const json::object& o = v.get_object();
  BackupReports r;
  auto name = text_at(o, "name");
  auto source = text_at(o, "source");
  auto files = count_at(o, "files");
  auto bytes = count_at(o, "bytes");
  for (const Error* e : {name ? nullptr : &name.error(), source ? nullptr : &source.error(),
                         files ? nullptr : &files.error(), bytes ? nullptr : &bytes.error()}) {
    if (e != nullptr) return Error{"reports: " + e->message};
  }
  r.name = std::move(*name);
  r.source = std::move(*source);
  r.files = *files;
  r.bytes = *bytes;
  return r;
}

}  // namespace

const BackupFile* BackupManifest::find(std::string_view role) const {
  for (const auto& f : files) {
    if (f.role == role) return &f;
  }
  return nullptr;
}

std::string manifest_json(const BackupManifest& m) {
  json::array files;
  for (const auto& f : m.files) {
    files.push_back(json::object{{"name", f.name},
                                 {"role", f.role},
                                 {"source", f.source},
                                 {"bytes", f.bytes},
                                 {"sha256", f.sha256}});
  }
  json::value reports = nullptr;
  if (m.reports) {
    reports = json::object{{"name", m.reports->name},
                           {"source", m.reports->source},
                           {"files", m.reports->files},
                           {"bytes", m.reports->bytes}};
  }
  const json::object doc{{"format", kFormat},
                         {"format_version", kFormatVersion},
                         {"created", m.created},
                         {"tthc_monitor_version", m.version},
                         {"schema_version", m.schema_version},
                         {"seconds", m.seconds},
                         {"files", std::move(files)},
                         {"reports", std::move(reports)}};
  return json::serialize(doc) + "\n";
}

Result<BackupManifest> parse_manifest(std::string_view text) {
  boost::system::error_code ec;
  const json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) return Error{"not a JSON object"};
  const json::object& o = doc.get_object();
  const auto* format = o.if_contains("format");
  if (format == nullptr || !format->is_string() || format->get_string() != kFormat) {
    return Error{"format: not \"" + std::string(kFormat) + "\""};
  }
  const auto* fv = o.if_contains("format_version");
  if (fv == nullptr || !fv->is_int64() || fv->get_int64() != kFormatVersion) {
    return Error{"format_version: not " + std::to_string(kFormatVersion)};
  }
  BackupManifest m;
  auto created = text_at(o, "created");
  if (!created) return created.error();
  m.created = std::move(*created);
  auto version = text_at(o, "tthc_monitor_version");
  if (!version) return version.error();
  m.version = std::move(*version);
  auto schema = count_at(o, "schema_version");
  if (!schema) return schema.error();
  m.schema_version = static_cast<int>(*schema);
  if (const auto* s = o.if_contains("seconds"); s != nullptr && s->is_number()) {
    m.seconds = s->to_number<double>();
  }
  const auto* files = o.if_contains("files");
  if (files == nullptr || !files->is_array()) return Error{"files: missing or not a list"};
  for (const auto& v : files->get_array()) {
    auto f = parse_file(v);
    if (!f) return f.error();
    m.files.push_back(std::move(*f));
  }
  if (const auto* r = o.if_contains("reports"); r != nullptr && !r->is_null()) {
    auto reports = parse_reports(*r);
    if (!reports) return reports.error();
    m.reports = std::move(*reports);
  }
  return m;
}

}  // namespace tthc::app
