#include "alerts/alert_json.hpp"

#include <boost/json.hpp>

namespace tthc::alerts {

namespace {

namespace json = boost::json;

json::value opt_moment(const std::optional<Moment>& m) {
  if (!m) return nullptr;
  return json::string(format_iso(*m));
}

std::string alertname(AlertKind k) {
  switch (k) {
    case AlertKind::DueSoon: return "DossierDueSoon";
    case AlertKind::Overdue: return "DossierOverdue";
    case AlertKind::StepOverdue: return "DossierStepOverdue";
    case AlertKind::AtRisk: return "DossierAtRisk";
    case AlertKind::ExtensionIssued: return "DossierExtensionIssued";
  }
  return "DossierOverdue";
}

std::string summary(const Alert& a) {
  switch (a.kind) {
    case AlertKind::DueSoon: return "Hồ sơ " + a.dossier + " sắp đến hạn / due soon";
    case AlertKind::Overdue: return "Hồ sơ " + a.dossier + " quá hạn / overdue";
    case AlertKind::StepOverdue:
      return "Hồ sơ " + a.dossier + ": bước xử lý tại " + a.department + " quá hạn / step overdue";
    case AlertKind::AtRisk: return "Hồ sơ " + a.dossier + " có nguy cơ quá hạn / at risk";
    case AlertKind::ExtensionIssued:
      return "Hồ sơ " + a.dossier + " được gia hạn / extension issued";
  }
  return a.dossier;
}

// Working time as "2wd 3h" (negative: late), on the calendar's working day.
std::string working(std::optional<Duration> d, Duration day_length) {
  if (!d) return "";
  return format_working(*d, day_length);
}

json::object to_json(const Alert& a, Duration day_length) {
  json::object o;
  o["kind"] = to_string(a.kind);
  o["severity"] = severity(a.kind);
  o["dossier"] = a.dossier;
  o["procedure_code"] = a.procedure_code;
  o["procedure_name"] = a.procedure_name;
  o["unit"] = a.unit;
  o["unit_name"] = a.unit_name;
  o["field"] = a.field;
  o["department"] = a.department;
  o["handler"] = a.handler;
  o["received"] = opt_moment(a.received);
  o["base_due"] = opt_moment(a.base_due);
  o["effective_due"] = opt_moment(a.effective_due);
  o["working_seconds_left"] = a.left ? json::value(a.left->count()) : json::value(nullptr);
  o["left"] = working(a.left, day_length);
  o["starts_at"] = format_iso(a.starts_at);
  o["observed"] = format_iso(a.observed);
  o["url"] = a.url;
  return o;
}

std::optional<Moment> moment_of(const json::value& v) {
  if (!v.is_string()) return std::nullopt;
  auto m = parse_data_moment(v.as_string());
  if (!m) return std::nullopt;
  return *m;
}

std::string str(const json::object& o, std::string_view k) {
  const auto* v = o.if_contains(k);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

Alert from_json(const json::object& o) {
  Alert a;
  a.kind = alert_kind_from(str(o, "kind")).value_or(AlertKind::Overdue);
  a.dossier = str(o, "dossier");
  a.procedure_code = str(o, "procedure_code");
  a.procedure_name = str(o, "procedure_name");
  a.unit = str(o, "unit");
  a.unit_name = str(o, "unit_name");
  a.field = str(o, "field");
  a.department = str(o, "department");
  a.handler = str(o, "handler");
  a.received = moment_of(o.at("received"));
  a.base_due = moment_of(o.at("base_due"));
  a.effective_due = moment_of(o.at("effective_due"));
  if (const auto* l = o.if_contains("working_seconds_left"); l != nullptr && l->is_int64()) {
    a.left = Duration{l->as_int64()};
  }
  a.starts_at = moment_of(o.at("starts_at")).value_or(Moment{});
  a.observed = moment_of(o.at("observed")).value_or(Moment{});
  a.url = str(o, "url");
  return a;
}

}  // namespace

std::string stored_payload(const Alert& a, Duration day_length) {
  return json::serialize(to_json(a, day_length));
}

std::optional<Alert> from_stored_payload(std::string_view payload) {
  std::error_code ec;
  auto v = json::parse(payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return from_json(v.as_object());
}

std::string webhook_event(const Alert& a, const std::string& status, std::optional<Moment> ends,
                          const std::string& province, Duration day_length) {
  json::object e = to_json(a, day_length);
  e["status"] = status;
  e["ends_at"] = opt_moment(ends);
  if (!province.empty()) e["province"] = province;
  return json::serialize(e);
}

json::object to_alertmanager(const Alert& a, const std::string& province,
                             std::optional<Moment> ends_at, Duration day_length) {
  json::object labels{{"alertname", alertname(a.kind)},
                      {"dossier", a.dossier},
                      {"unit", a.unit},
                      {"field", a.field},
                      {"department", a.department},
                      {"severity", severity(a.kind)}};
  if (!province.empty()) labels["province"] = province;
  json::object annotations{{"summary", summary(a)},
                           {"procedure", a.procedure_code + " " + a.procedure_name},
                           {"unit_name", a.unit_name},
                           {"handler", a.handler},
                           {"left", working(a.left, day_length)},
                           {"url", a.url}};
  if (a.base_due) annotations["base_due"] = format_iso(*a.base_due);
  if (a.effective_due) annotations["effective_due"] = format_iso(*a.effective_due);
  json::object o{{"labels", std::move(labels)},
                 {"annotations", std::move(annotations)},
                 {"startsAt", format_iso(a.starts_at)},
                 {"generatorURL", a.url}};
  if (ends_at) o["endsAt"] = format_iso(*ends_at);
  return o;
}

}  // namespace tthc::alerts
