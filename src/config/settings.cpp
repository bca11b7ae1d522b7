#include "config/settings.hpp"

#include "domain/text.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

namespace tthc::config {

namespace {

namespace fs = std::filesystem;

std::string where(std::string_view name, const toml::node& n) {
  const auto& src = n.source();
  return std::string(name) + ":" + std::to_string(src.begin.line);
}

// Every key of `table` must be one of `allowed`.
std::optional<Error> unknown_keys(const toml::table& table, std::string_view name,
                                  std::string_view section,
                                  std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
      std::string path = section.empty() ? std::string(key.str())
                                         : std::string(section) + "." + std::string(key.str());
      return Error{where(name, value) + ": unknown setting \"" + path + "\""};
    }
  }
  return std::nullopt;
}

Result<std::string> get_string(const toml::node& n, std::string_view name, std::string_view key) {
  if (const auto* s = n.as_string()) return std::string(s->get());
  return Error{where(name, n) + ": " + std::string(key) + ": expected a string"};
}

Result<std::vector<Date>> get_dates(const toml::node& n, std::string_view name,
                                    std::string_view key) {
  const auto* arr = n.as_array();
  if (arr == nullptr) {
    return Error{where(name, n) + ": " + std::string(key) + ": expected an array of dates"};
  }
  std::vector<Date> out;
  for (const auto& item : *arr) {
    Date d{};
    if (const auto* td = item.as_date()) {
      const auto v = td->get();
      d = make_date(v.year, v.month, v.day);
      const std::chrono::year_month_day ymd{std::chrono::year{v.year}, std::chrono::month{v.month},
                                            std::chrono::day{v.day}};
      if (!ymd.ok()) return Error{where(name, item) + ": " + std::string(key) + ": not a date"};
    } else if (const auto* ts = item.as_string()) {
      auto parsed = parse_date(ts->get());
      if (!parsed) return with_field(where(name, item) + ": " + std::string(key), parsed.error());
      d = *parsed;
    } else {
      return Error{where(name, item) + ": " + std::string(key) + ": expected a date"};
    }
    out.push_back(d);
  }
  return out;
}

Result<toml::table> parse_toml(std::string_view text, std::string_view name) {
  try {
    return toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << name << ":" << e.source().begin.line << ": " << e.description();
    return Error{msg.str()};
  }
}

// "8wh", "1wd": a working-time amount.
Result<Duration> parse_working_amount(std::string_view text, std::string_view what,
                                      Duration day_length) {
  auto limit = calendar::parse_limit(text);
  if (limit) {
    if (limit->unit == calendar::Limit::Unit::WorkingHours) {
      return Duration{std::chrono::hours{limit->amount}};
    }
    if (limit->unit == calendar::Limit::Unit::WorkingDays) return limit->amount * day_length;
  }
  return Error{std::string(what) + ": not a working-time amount: \"" + std::string(text) +
               "\" (expected Nwh or Nwd)"};
}

// A share in (0, 1]: 0.95, or an integer 1.
Result<double> get_share(const toml::node& n, std::string_view name, std::string_view key) {
  double v = -1;
  if (const auto* f = n.as_floating_point()) v = f->get();
  if (const auto* i = n.as_integer()) v = static_cast<double>(i->get());
  if (!(v > 0 && v <= 1)) {
    std::ostringstream given;
    if (n.is_number()) {
      given << v;
    } else if (const auto* text = n.as_string()) {
      given << '"' << text->get() << '"';
    } else {
      given << "a " << n.type();
    }
    return Error{where(name, n) + ": " + std::string(key) +
                 ": expected a share above 0 and at most 1, e.g. 0.95: " + given.str()};
  }
  return v;
}

Result<bool> get_bool(const toml::node& n, std::string_view name, std::string_view key) {
  if (const auto* b = n.as_boolean()) return b->get();
  return Error{where(name, n) + ": " + std::string(key) + ": expected true or false"};
}

// An integer from `min` to `max`.
Result<std::int64_t> get_integer(const toml::node& n, std::string_view name, std::string_view key,
                                 std::int64_t min, std::int64_t max) {
  const auto* i = n.as_integer();
  if (i == nullptr || i->get() < min || i->get() > max) {
    return Error{where(name, n) + ": " + std::string(key) + ": expected a number from " +
                 std::to_string(min) + " to " + std::to_string(max)};
  }
  return i->get();
}

// "8MiB", "512KiB", "1048576": a size in bytes.
Result<std::size_t> get_size(const toml::node& n, std::string_view name, std::string_view key) {
  std::string text;
  if (const auto* i = n.as_integer()) {
    text = std::to_string(i->get());
  } else if (const auto* str = n.as_string()) {
    text = str->get();
  } else {
    return Error{where(name, n) + ": " + std::string(key) + ": expected a size like \"8MiB\""};
  }
  std::size_t value = 0;
  const auto res = std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string_view unit(res.ptr,
                              static_cast<std::size_t>(text.data() + text.size() - res.ptr));
  std::size_t mult = 0;
  if (unit.empty() || unit == "B") mult = 1;
  if (unit == "KiB") mult = 1024;
  if (unit == "MiB") mult = 1024 * 1024;
  if (res.ec != std::errc{} || res.ptr == text.data() || mult == 0 || value == 0 ||
      value > (std::size_t{1} << 40) / mult) {
    return Error{where(name, n) + ": " + std::string(key) + ": not a size: \"" + text +
                 "\" (expected a number of bytes, KiB or MiB)"};
  }
  return value * mult;
}

// "30s", "500ms", "5m", "1h": a duration.
Result<std::chrono::milliseconds> get_duration(const toml::node& n, std::string_view name,
                                               std::string_view key) {
  auto v = get_string(n, name, key);
  if (!v) return std::move(v).error();
  long long value = 0;
  const auto res = std::from_chars(v->data(), v->data() + v->size(), value);
  const std::string_view unit(res.ptr, static_cast<std::size_t>(v->data() + v->size() - res.ptr));
  long long ms = 0;
  if (unit == "ms") ms = 1;
  if (unit == "s") ms = 1000;
  if (unit == "m") ms = 60'000;
  if (unit == "h") ms = 3'600'000;
  if (res.ec != std::errc{} || res.ptr == v->data() || ms == 0 || value <= 0 ||
      value > 7 * 24 * 3'600'000LL / ms) {
    return Error{where(name, n) + ": " + std::string(key) + ": not a duration: \"" + *v +
                 "\" (expected e.g. 500ms, 30s, 5m, 1h)"};
  }
  return std::chrono::milliseconds(value * ms);
}

// "127.0.0.1:8080"
Result<std::pair<std::string, std::uint16_t>> get_listen(const toml::node& n, std::string_view name,
                                                         std::string_view key) {
  auto v = get_string(n, name, key);
  if (!v) return std::move(v).error();
  const auto colon = v->rfind(':');
  unsigned port = 0;
  const char* end = v->data() + v->size();
  if (colon == std::string::npos || colon == 0 ||
      std::from_chars(v->data() + colon + 1, end, port).ptr != end || port > 65535) {
    return Error{where(name, n) + ": " + std::string(key) + ": not an address:port: \"" + *v +
                 "\""};
  }
  std::string address = v->substr(0, colon);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  return std::pair{address, static_cast<std::uint16_t>(port)};
}

// The secret itself never appears in an error message.
Result<std::optional<std::string>> read_secret(const toml::table& t, std::string_view name,
                                               const fs::path& base_dir,
                                               std::string_view section = "webhook",
                                               std::string_view key = "secret") {
  const std::string sec(section);
  const std::string file_key = std::string(key) + "_file";
  const std::string env_key = std::string(key) + "_env";
  const auto* file = t.get(file_key);
  const auto* env = t.get(env_key);
  if (file != nullptr && env != nullptr) {
    return Error{std::string(name) + ": " + sec + ": give " + file_key + " or " + env_key +
                 ", not both"};
  }
  std::string secret;
  if (file != nullptr) {
    auto v = get_string(*file, name, sec + "." + file_key);
    if (!v) return std::move(v).error();
    if (v->empty()) return std::optional<std::string>();
    const fs::path p = base_dir / fs::path(*v);
    std::ifstream in(p, std::ios::binary);
    if (!in)
      return Error{where(name, *file) + ": " + sec + "." + file_key + ": cannot read " +
                   p.string()};
    std::ostringstream buf;
    buf << in.rdbuf();
    secret = buf.str();
  } else if (env != nullptr) {
    auto v = get_string(*env, name, sec + "." + env_key);
    if (!v) return std::move(v).error();
    if (v->empty()) return std::optional<std::string>();
    const char* value = std::getenv(v->c_str());
    if (value == nullptr) {
      return Error{where(name, *env) + ": " + sec + "." + env_key + ": environment variable " + *v +
                   " is not set"};
    }
    secret = value;
  } else {
    return std::optional<std::string>();
  }
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) {
    return Error{std::string(name) + ": " + sec + ": the " + std::string(key) + " is empty"};
  }
  return std::optional<std::string>(std::move(secret));
}

std::optional<Error> parse_poller(const toml::table& t, std::string_view name,
                                  const fs::path& base_dir, PollerSettings& p) {
  if (auto e = unknown_keys(t, name, "poller",
                            {"enabled", "name", "url", "cursor_param", "limit_param", "page_size",
                             "records_path", "next_cursor_path", "has_more_path", "progress_url",
                             "progress_records_path", "interval", "timeout", "max_pages_per_cycle",
                             "auth", "api_key_header", "secret_file", "secret_env", "ca_file"})) {
    return e;
  }
  struct Text {
    const char* key;
    std::string* target;
  };
  const Text texts[] = {{"name", &p.name},
                        {"url", &p.url},
                        {"cursor_param", &p.cursor_param},
                        {"limit_param", &p.limit_param},
                        {"records_path", &p.records_path},
                        {"next_cursor_path", &p.next_cursor_path},
                        {"has_more_path", &p.has_more_path},
                        {"progress_url", &p.progress_url},
                        {"progress_records_path", &p.progress_records_path},
                        {"auth", &p.auth},
                        {"api_key_header", &p.api_key_header}};
  for (const Text& x : texts) {
    if (const auto* n = t.get(x.key)) {
      auto v = get_string(*n, name, std::string("poller.") + x.key);
      if (!v) return v.error();
      *x.target = *v;
    }
  }
  if (const auto* n = t.get("enabled")) {
    auto v = get_bool(*n, name, "poller.enabled");
    if (!v) return v.error();
    p.enabled = *v;
  }
  struct Count {
    const char* key;
    std::size_t* target;
    std::int64_t max;
  };
  const Count counts[] = {{"page_size", &p.page_size, 10'000},
                          {"max_pages_per_cycle", &p.max_pages_per_cycle, 100'000}};
  for (const Count& c : counts) {
    if (const auto* n = t.get(c.key)) {
      auto v = get_integer(*n, name, std::string("poller.") + c.key, 1, c.max);
      if (!v) return v.error();
      *c.target = static_cast<std::size_t>(*v);
    }
  }
  if (const auto* n = t.get("interval")) {
    auto v = get_duration(*n, name, "poller.interval");
    if (!v) return v.error();
    p.interval = *v;
  }
  if (const auto* n = t.get("timeout")) {
    auto v = get_duration(*n, name, "poller.timeout");
    if (!v) return v.error();
    p.timeout = *v;
  }
  if (const auto* n = t.get("ca_file")) {
    auto v = get_string(*n, name, "poller.ca_file");
    if (!v) return v.error();
    if (!v->empty()) p.ca_file = base_dir / fs::path(*v);
  }
  if (p.auth != "none" && p.auth != "bearer" && p.auth != "api_key" && p.auth != "basic") {
    return Error{std::string(name) + ": poller.auth: \"" + p.auth +
                 "\" is not one of none, bearer, api_key, basic"};
  }
  auto secret = read_secret(t, name, base_dir, "poller");
  if (!secret) return std::move(secret).error();
  p.secret = std::move(*secret);
  if (p.auth != "none" && !p.secret) {
    return Error{std::string(name) + ": poller.auth = \"" + p.auth +
                 "\" needs secret_file or secret_env"};
  }
  if (p.enabled && !(p.url.starts_with("http://") || p.url.starts_with("https://"))) {
    return Error{std::string(name) + ": poller.url: \"" + p.url +
                 "\" is not an http:// or https:// URL"};
  }
  return std::nullopt;
}

}  // namespace

Settings default_settings(const fs::path& base_dir) {
  Settings s;
  s.calendar.holidays_dir = base_dir / "holidays";
  s.store.path = base_dir / ".." / "data" / "tthc-monitor.db";
  s.catalogue_file = base_dir / "procedures.csv";
  s.alerts.state = base_dir / ".." / "data" / "alerts.db";
  s.reports.dir = base_dir / ".." / "data" / "reports";
  return s;
}

namespace {

std::optional<Error> parse_reports(const toml::table& t, std::string_view name,
                                   const fs::path& base_dir, ReportSettings& r) {
  if (auto e = unknown_keys(t, name, "reports",
                            {"dir", "hour", "period_start_day", "backfill_months"})) {
    return e;
  }
  if (const auto* n = t.get("dir")) {
    auto v = get_string(*n, name, "reports.dir");
    if (!v) return v.error();
    r.dir = v->empty() ? fs::path() : base_dir / fs::path(*v);
  }
  struct Number {
    const char* key;
    int* target;
    std::int64_t min, max;
  };
  const Number numbers[] = {{"hour", &r.hour, 0, 23},
                            {"period_start_day", &r.period_start_day, 1, 28},
                            {"backfill_months", &r.backfill_months, 0, 120}};
  for (const Number& x : numbers) {
    if (const auto* n = t.get(x.key)) {
      auto v = get_integer(*n, name, std::string("reports.") + x.key, x.min, x.max);
      if (!v) return v.error();
      *x.target = static_cast<int>(*v);
    }
  }
  return std::nullopt;
}

std::optional<Error> parse_metrics(const toml::table& t, std::string_view name,
                                   MetricsSettings& m) {
  if (auto e =
          unknown_keys(t, name, "metrics",
                       {"province", "on_time_target", "reduced_ratio", "max_units", "max_fields",
                        "max_departments", "max_unit_fields", "max_unit_departments"})) {
    return e;
  }
  if (const auto* n = t.get("province")) {
    auto v = get_string(*n, name, "metrics.province");
    if (!v) return v.error();
    m.province = *v;
  }
  if (const auto* n = t.get("on_time_target")) {
    auto v = get_share(*n, name, "metrics.on_time_target");
    if (!v) return v.error();
    m.on_time_target = *v;
  }
  if (const auto* n = t.get("reduced_ratio")) {
    auto v = get_share(*n, name, "metrics.reduced_ratio");
    if (!v) return v.error();
    m.reduced_ratio = *v;
  }
  const struct {
    const char* key;
    std::size_t* target;
  } caps[] = {{"max_units", &m.max_units},
              {"max_fields", &m.max_fields},
              {"max_departments", &m.max_departments},
              {"max_unit_fields", &m.max_unit_fields},
              {"max_unit_departments", &m.max_unit_departments}};
  for (const auto& c : caps) {
    if (const auto* n = t.get(c.key)) {
      auto v = get_integer(*n, name, std::string("metrics.") + c.key, 1, 100'000);
      if (!v) return v.error();
      *c.target = static_cast<std::size_t>(*v);
    }
  }
  return std::nullopt;
}

std::optional<Error> parse_alerts(const toml::table& t, std::string_view name,
                                  const fs::path& base_dir, Duration day, AlertsSettings& a) {
  if (auto e = unknown_keys(t, name, "alerts",
                            {"state", "due_soon", "due_soon_by_procedure", "dossier_url",
                             "resend_interval", "alertmanager", "webhook", "ca_file"})) {
    return e;
  }
  if (const auto* n = t.get("state")) {
    auto v = get_string(*n, name, "alerts.state");
    if (!v) return v.error();
    a.state = base_dir / fs::path(*v);
  }
  if (const auto* n = t.get("due_soon")) {
    auto v = get_string(*n, name, "alerts.due_soon");
    if (!v) return v.error();
    auto amount = parse_working_amount(*v, where(name, *n) + ": alerts.due_soon", day);
    if (!amount) return amount.error();
    a.due_soon = *amount;
  }
  if (const auto* n = t.get("due_soon_by_procedure")) {
    const auto* table = n->as_table();
    if (table == nullptr) {
      return Error{
          where(name, *n) +
          ": alerts.due_soon_by_procedure: expected a table like { \"1.004227\" = \"2wd\" }"};
    }
    for (const auto& [code, value] : *table) {
      const std::string key = "alerts.due_soon_by_procedure.\"" + std::string(code.str()) + "\"";
      // Intake trims MaTTHC and reads an absent one as "": such a key would never match a
      // procedure, or match every dossier without a procedure code.
      const std::string_view c = code.str();
      if (c.empty() || c.front() == ' ' || c.front() == '\t' || c.back() == ' ' ||
          c.back() == '\t') {
        return Error{where(name, value) + ": " + key + ": not a procedure code"};
      }
      auto v = get_string(value, name, key);
      if (!v) return v.error();
      auto amount = parse_working_amount(*v, where(name, value) + ": " + key, day);
      if (!amount) return amount.error();
      a.due_soon_by_procedure[std::string(code.str())] = *amount;
    }
  }
  if (const auto* n = t.get("dossier_url")) {
    auto v = get_string(*n, name, "alerts.dossier_url");
    if (!v) return v.error();
    a.dossier_url = *v;
  }
  if (const auto* n = t.get("resend_interval")) {
    auto v = get_duration(*n, name, "alerts.resend_interval");
    if (!v) return v.error();
    a.resend_interval = *v;
  }
  if (const auto* n = t.get("ca_file")) {
    auto v = get_string(*n, name, "alerts.ca_file");
    if (!v) return v.error();
    if (!v->empty()) a.ca_file = base_dir / fs::path(*v);
  }
  if (const auto* n = t.get("alertmanager")) {
    const auto* arr = n->as_array();
    if (arr == nullptr) {
      return Error{
          where(name, *n) +
          ": alerts.alertmanager: expected an array of URLs like [\"http://127.0.0.1:9093\"]"};
    }
    for (const auto& item : *arr) {
      auto v = get_string(item, name, "alerts.alertmanager");
      if (!v) return v.error();
      a.alertmanager.push_back(*v);
    }
  }
  if (const auto* n = t.get("webhook")) {
    const auto* arr = n->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) {
      return Error{where(name, *n) + ": alerts.webhook: expected [[alerts.webhook]] tables"};
    }
    for (const auto& item : *arr) {
      const toml::table& w = *item.as_table();
      if (auto e = unknown_keys(
              w, name, "alerts.webhook",
              {"url", "secret_file", "secret_env", "signature_header", "max_attempts"})) {
        return e;
      }
      AlertWebhookSettings hook;
      const auto* url = w.get("url");
      if (url == nullptr) return Error{where(name, item) + ": alerts.webhook: url is missing"};
      auto u = get_string(*url, name, "alerts.webhook.url");
      if (!u) return u.error();
      hook.url = *u;
      if (const auto* h = w.get("signature_header")) {
        auto v = get_string(*h, name, "alerts.webhook.signature_header");
        if (!v) return v.error();
        hook.signature_header = *v;
      }
      if (const auto* m = w.get("max_attempts")) {
        const auto* i = m->as_integer();
        if (i == nullptr || i->get() < 1 || i->get() > 1000) {
          return Error{where(name, *m) + ": alerts.webhook.max_attempts: expected 1 to 1000"};
        }
        hook.max_attempts = static_cast<int>(i->get());
      }
      auto secret = read_secret(w, name, base_dir, "alerts.webhook");
      if (!secret) return std::move(secret).error();
      hook.secret = std::move(*secret);
      a.webhooks.push_back(std::move(hook));
    }
  }
  return std::nullopt;
}

}  // namespace

Result<Settings> parse_settings(std::string_view text, std::string_view name,
                                const fs::path& base_dir) {
  auto parsed = parse_toml(text, name);
  if (!parsed) return parsed.error();
  const toml::table& root = *parsed;
  if (auto e = unknown_keys(root, name, "",
                            {"calendar", "engine", "store", "catalogue", "http", "webhook",
                             "poller", "metrics", "alerts", "reports"})) {
    return *e;
  }

  Settings s = default_settings(base_dir);
  for (const char* section : {"calendar", "engine", "store", "catalogue", "http", "webhook",
                              "poller", "metrics", "alerts", "reports"}) {
    if (root.contains(section) && !root[section].is_table()) {
      return Error{std::string(name) + ": " + section + ": expected a table"};
    }
  }
  if (const auto* cal = root["calendar"].as_table()) {
    if (auto e = unknown_keys(*cal, name, "calendar", {"holidays_dir", "working_hours"})) return *e;
    if (const auto* n = cal->get("holidays_dir")) {
      auto v = get_string(*n, name, "calendar.holidays_dir");
      if (!v) return v.error();
      s.calendar.holidays_dir = base_dir / fs::path(*v);
    }
    if (const auto* n = cal->get("working_hours")) {
      const auto* arr = n->as_array();
      if (arr == nullptr) {
        return Error{where(name, *n) + ": calendar.working_hours: expected an array like " +
                     "[\"07:00-11:30\", \"13:30-17:00\"]"};
      }
      std::string joined;
      for (const auto& item : *arr) {
        auto v = get_string(item, name, "calendar.working_hours");
        if (!v) return v.error();
        joined += (joined.empty() ? "" : ",") + *v;
      }
      auto hours = calendar::parse_working_hours(joined);
      if (!hours) return with_field(where(name, *n) + ": calendar.working_hours", hours.error());
      s.calendar.hours = *hours;
    }
  }
  if (const auto* eng = root["engine"].as_table()) {
    if (auto e = unknown_keys(*eng, name, "engine", {"pause_policy", "judge_by", "due_soon"})) {
      return *e;
    }
    if (const auto* n = eng->get("pause_policy")) {
      auto v = get_string(*n, name, "engine.pause_policy");
      if (!v) return v.error();
      if (*v == "pause") {
        s.engine.pause_policy = engine::PausePolicy::Pause;
      } else if (*v == "restart") {
        s.engine.pause_policy = engine::PausePolicy::Restart;
      } else {
        return Error{where(name, *n) + ": engine.pause_policy: \"" + *v +
                     "\" is not one of pause, restart"};
      }
    }
    if (const auto* n = eng->get("judge_by")) {
      auto v = get_string(*n, name, "engine.judge_by");
      if (!v) return v.error();
      if (*v == "processing_end") {
        s.engine.judge_by = engine::JudgeBy::ProcessingEnd;
      } else if (*v == "return") {
        s.engine.judge_by = engine::JudgeBy::Return;
      } else {
        return Error{where(name, *n) + ": engine.judge_by: \"" + *v +
                     "\" is not one of processing_end, return"};
      }
    }
    if (const auto* n = eng->get("due_soon")) {
      auto v = get_string(*n, name, "engine.due_soon");
      if (!v) return v.error();
      auto amount = parse_working_amount(*v, where(name, *n) + ": engine.due_soon",
                                         s.calendar.hours.day_length());
      if (!amount) return amount.error();
      s.engine.due_soon = *amount;
    }
  }
  if (const auto* st = root["store"].as_table()) {
    if (auto e = unknown_keys(*st, name, "store", {"path", "durable_commits"})) return *e;
    if (const auto* n = st->get("path")) {
      auto v = get_string(*n, name, "store.path");
      if (!v) return v.error();
      s.store.path = base_dir / fs::path(*v);
    }
    if (const auto* n = st->get("durable_commits")) {
      auto v = get_bool(*n, name, "store.durable_commits");
      if (!v) return v.error();
      s.store.durable_commits = *v;
    }
  }
  if (const auto* cat = root["catalogue"].as_table()) {
    if (auto e = unknown_keys(*cat, name, "catalogue", {"file"})) return *e;
    if (const auto* n = cat->get("file")) {
      auto v = get_string(*n, name, "catalogue.file");
      if (!v) return v.error();
      s.catalogue_file = base_dir / fs::path(*v);
    }
  }
  if (const auto* http = root["http"].as_table()) {
    if (auto e = unknown_keys(
            *http, name, "http",
            {"listen", "body_limit", "read_token_file", "read_token_env", "max_connections",
             "max_connections_per_client", "reserve_connections", "header_timeout"})) {
      return *e;
    }
    auto token = read_secret(*http, name, base_dir, "http", "read_token");
    if (!token) return std::move(token).error();
    s.http.read_token = std::move(*token);
    if (const auto* n = http->get("listen")) {
      auto v = get_listen(*n, name, "http.listen");
      if (!v) return v.error();
      s.http.address = v->first;
      s.http.port = v->second;
    }
    if (const auto* n = http->get("body_limit")) {
      auto v = get_size(*n, name, "http.body_limit");
      if (!v) return v.error();
      s.http.body_limit = *v;
    }
    struct Count {
      const char* key;
      std::size_t* target;
      std::int64_t min, max;
    };
    const Count counts[] = {
        {"max_connections", &s.http.max_connections, 1, 1'000'000},
        {"max_connections_per_client", &s.http.max_connections_per_client, 1, 1'000'000},
        {"reserve_connections", &s.http.reserve_connections, 0, 1024}};
    for (const Count& c : counts) {
      if (const auto* n = http->get(c.key)) {
        auto v = get_integer(*n, name, std::string("http.") + c.key, c.min, c.max);
        if (!v) return v.error();
        *c.target = static_cast<std::size_t>(*v);
      }
    }
    if (const auto* n = http->get("header_timeout")) {
      auto v = get_duration(*n, name, "http.header_timeout");
      if (!v) return v.error();
      s.http.header_timeout = *v;
    }
  }
  if (const auto* hook = root["webhook"].as_table()) {
    if (auto e = unknown_keys(*hook, name, "webhook",
                              {"signature_header", "secret_file", "secret_env",
                               "signature_tolerance", "require_timestamp"})) {
      return *e;
    }
    if (const auto* n = hook->get("signature_header")) {
      auto v = get_string(*n, name, "webhook.signature_header");
      if (!v) return v.error();
      s.webhook.signature_header = ascii_lower(*v);
    }
    if (const auto* n = hook->get("signature_tolerance")) {
      auto v = get_duration(*n, name, "webhook.signature_tolerance");
      if (!v) return v.error();
      if (*v < std::chrono::seconds(1)) {
        return Error{where(name, *n) + ": webhook.signature_tolerance: at least 1s"};
      }
      s.webhook.signature_tolerance = std::chrono::duration_cast<std::chrono::seconds>(*v);
    }
    if (const auto* n = hook->get("require_timestamp")) {
      auto v = get_bool(*n, name, "webhook.require_timestamp");
      if (!v) return v.error();
      s.webhook.require_timestamp = *v;
    }
    auto secret = read_secret(*hook, name, base_dir);
    if (!secret) return std::move(secret).error();
    s.webhook.secret = std::move(*secret);
  }
  if (const auto* poll = root["poller"].as_table()) {
    if (auto e = parse_poller(*poll, name, base_dir, s.poller)) return *e;
  }
  s.alerts.due_soon = s.calendar.hours.day_length();  // one working day unless set
  if (const auto* al = root["alerts"].as_table()) {
    if (auto e = parse_alerts(*al, name, base_dir, s.calendar.hours.day_length(), s.alerts)) {
      return *e;
    }
  }
  if (const auto* m = root["metrics"].as_table()) {
    if (auto e = parse_metrics(*m, name, s.metrics)) return *e;
  }
  if (const auto* rep = root["reports"].as_table()) {
    if (auto e = parse_reports(*rep, name, base_dir, s.reports)) return *e;
  }
  return s;
}

Result<Settings> load_settings(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{file.string() + ": cannot read the configuration file"};
  std::ostringstream buf;
  buf << in.rdbuf();
  auto s = parse_settings(buf.str(), file.string(), file.parent_path());
  if (s) s->source = file;
  return s;
}

Result<calendar::HolidayTable> parse_holiday_table(std::string_view text, std::string_view name) {
  auto parsed = parse_toml(text, name);
  if (!parsed) return parsed.error();
  const toml::table& root = *parsed;
  if (auto e = unknown_keys(root, name, "", {"year", "source", "days_off", "working_saturdays"})) {
    return *e;
  }
  calendar::HolidayTable t;
  const auto* year = root.get("year");
  if (year == nullptr || !year->is_integer()) {
    return Error{std::string(name) + ": year: expected the table's year as a number"};
  }
  // Checked before narrowing: year = 4294969322 must not read as 2026.
  const std::int64_t y = year->as_integer()->get();
  if (y < std::numeric_limits<int>::min() || y > std::numeric_limits<int>::max()) {
    return Error{std::string(name) + ": year out of range: " + std::to_string(y)};
  }
  t.year = static_cast<int>(y);
  if (const auto* n = root.get("source")) {
    auto v = get_string(*n, name, "source");
    if (!v) return v.error();
    t.source = *v;
  }
  if (const auto* n = root.get("days_off")) {
    auto v = get_dates(*n, name, "days_off");
    if (!v) return v.error();
    t.days_off = std::move(*v);
  }
  if (const auto* n = root.get("working_saturdays")) {
    auto v = get_dates(*n, name, "working_saturdays");
    if (!v) return v.error();
    t.working_saturdays = std::move(*v);
  }
  auto checked = calendar::validate_table(std::move(t));
  if (!checked) return Error{std::string(name) + ": " + checked.error().message};
  return checked;
}

Result<std::vector<calendar::HolidayTable>> load_holiday_dir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Error{dir.string() + ": holiday tables folder not found"};
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".toml") files.push_back(entry);
  }
  if (ec) return Error{dir.string() + ": " + ec.message()};
  std::sort(files.begin(), files.end());
  std::vector<calendar::HolidayTable> tables;
  std::set<int> years;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    auto t = parse_holiday_table(buf.str(), f.string());
    if (!t) return t.error();
    if (!years.insert(t->year).second) {
      return Error{f.string() + ": year " + std::to_string(t->year) + " is in two files"};
    }
    tables.push_back(std::move(*t));
  }
  std::sort(tables.begin(), tables.end(),
            [](const auto& a, const auto& b) { return a.year < b.year; });
  return tables;
}

Result<calendar::WorkingCalendar> build_calendar(const CalendarSettings& settings) {
  auto tables = load_holiday_dir(settings.holidays_dir);
  if (!tables) return tables.error();
  calendar::WorkingCalendar::Options options;
  options.hours = settings.hours;
  return calendar::WorkingCalendar::create(std::move(*tables), options);
}

}  // namespace tthc::config
