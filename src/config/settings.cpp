#include "config/settings.hpp"

#include "config/toml_values.hpp"
#include "domain/text.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

namespace tthc::config {

namespace {

namespace fs = std::filesystem;

using Section = std::optional<Error>;

constexpr std::array<Named<engine::CountUnder>, 2> kCountUnder{
    {{"receiving", engine::CountUnder::Receiving}, {"resolving", engine::CountUnder::Resolving}}};
constexpr std::array<Named<engine::PausePolicy>, 2> kPausePolicies{
    {{"pause", engine::PausePolicy::Pause}, {"restart", engine::PausePolicy::Restart}}};
constexpr std::array<Named<engine::JudgeBy>, 2> kJudgeBy{
    {{"processing_end", engine::JudgeBy::ProcessingEnd}, {"return", engine::JudgeBy::Return}}};
using Auth = ingest::PollerOptions::Auth;
constexpr std::array<Named<Auth>, 4> kAuth{{{"none", Auth::None},
                                            {"bearer", Auth::Bearer},
                                            {"api_key", Auth::ApiKey},
                                            {"basic", Auth::Basic}}};

// ["07:00-11:30", "13:30-17:00"]
ReadSetting working_hours(const Fields& f, calendar::WorkingHours& out) {
  return [&f, &out](const toml::node& n, const std::string& key) -> std::optional<Error> {
    const auto* arr = n.as_array();
    if (arr == nullptr) {
      return Error{f.at(n) + ": " + key + ": expected an array like " +
                   "[\"07:00-11:30\", \"13:30-17:00\"]"};
    }
    std::string joined;
    for (const auto& item : *arr) {
      auto v = get_string(item, f.name(), key);
      if (!v) return v.error();
      joined += (joined.empty() ? "" : ",") + *v;
    }
    auto hours = calendar::parse_working_hours(joined);
    if (!hours) return with_field(f.at(n) + ": " + key, hours.error());
    out = *hours;
    return std::nullopt;
  };
}

Section parse_calendar(const toml::table& t, const Fields& f, Settings& s) {
  const Setting settings[] = {{"holidays_dir", f.path(s.calendar.holidays_dir)},
                              {"working_hours", working_hours(f, s.calendar.hours)}};
  return f.read(t, "calendar", settings);
}

Section parse_engine(const toml::table& t, const Fields& f, Settings& s) {
  const Setting settings[] = {
      {"pause_policy", f.choice(s.engine.pause_policy, kPausePolicies)},
      {"judge_by", f.choice(s.engine.judge_by, kJudgeBy)},
      {"due_soon", f.working_amount(s.engine.due_soon, s.calendar.hours.day_length())}};
  return f.read(t, "engine", settings);
}

Section parse_store(const toml::table& t, const Fields& f, Settings& s) {
  const Setting settings[] = {{"path", f.path(s.store.path)},
                              {"durable_commits", f.flag(s.store.durable_commits)}};
  return f.read(t, "store", settings);
}

Section parse_catalogue(const toml::table& t, const Fields& f, Settings& s) {
  const Setting settings[] = {{"file", f.path(s.catalogue_file)}};
  return f.read(t, "catalogue", settings);
}

Section parse_units(const toml::table& t, const Fields& f, Settings& s) {
  const Setting settings[] = {{"file", f.path_or_none(s.units_file)},
                              {"successors", f.flag(s.units.successors)},
                              {"count_under", f.choice(s.units.count_under, kCountUnder)}};
  return f.read(t, "units", settings);
}

// "127.0.0.1:8080": the server's address and port.
ReadSetting listen(const Fields& f, http::ServerOptions& out) {
  return [&f, &out](const toml::node& n, const std::string& key) -> std::optional<Error> {
    auto v = get_listen(n, f.name(), key);
    if (!v) return v.error();
    out.address = v->first;
    out.port = v->second;
    return std::nullopt;
  };
}

Section parse_http(const toml::table& t, const Fields& f, Settings& s) {
  http::ServerOptions& server = s.http.server;
  const Setting settings[] = {
      {"listen", listen(f, server)},
      {"body_limit", f.bytes(server.body_limit)},
      {"max_connections", f.count(server.max_connections, 1, 1'000'000)},
      {"max_connections_per_client", f.count(server.max_connections_per_client, 1, 1'000'000)},
      {"reserve_connections", f.count(server.reserve_connections, 0, 1024)},
      {"header_timeout", f.duration(server.header_timeout)}};
  if (auto e = f.read(t, "http", settings, {"read_token_file", "read_token_env"})) return e;
  TTHC_TRY(s.http.read_token, read_secret(t, f.name(), f.base_dir(), "http", "read_token"));
  return std::nullopt;
}

Section parse_webhook(const toml::table& t, const Fields& f, Settings& s) {
  api::WebhookOptions& hook = s.webhook;
  const auto lower_case = [&f, &hook](const toml::node& n, const std::string& key) {
    auto v = get_string(n, f.name(), key);
    if (!v) return std::optional<Error>(v.error());
    hook.signature_header = ascii_lower(*v);
    return std::optional<Error>();
  };
  const auto tolerance = [&f, &hook](const toml::node& n, const std::string& key) {
    auto v = get_duration(n, f.name(), key);
    if (!v) return std::optional<Error>(v.error());
    if (*v < std::chrono::seconds(1))
      return std::optional<Error>(Error{f.at(n) + ": " + key + ": at least 1s"});
    hook.signature_tolerance = std::chrono::duration_cast<std::chrono::seconds>(*v);
    return std::optional<Error>();
  };
  const Setting settings[] = {{"signature_header", lower_case},
                              {"signature_tolerance", tolerance},
                              {"require_timestamp", f.flag(hook.require_timestamp)}};
  if (auto e = f.read(t, "webhook", settings, {"secret_file", "secret_env"})) return e;
  TTHC_TRY(hook.secret, read_secret(t, f.name(), f.base_dir(), "webhook"));
  return std::nullopt;
}

// Checked once the whole section is read: the secret and the URL are judged against the auth
// and `enabled` given anywhere in it.
Section check_poller(const PollerSettings& p, std::string_view name) {
  if (p.options.auth != Auth::None && p.options.secret.empty()) {
    return Error{std::string(name) + ": poller.auth = \"" +
                 std::string(name_of(p.options.auth, kAuth)) +
                 "\" needs secret_file or secret_env"};
  }
  const std::string& url = p.options.url;
  if (p.enabled && !(url.starts_with("http://") || url.starts_with("https://"))) {
    return Error{std::string(name) + ": poller.url: \"" + url +
                 "\" is not an http:// or https:// URL"};
  }
  return std::nullopt;
}

Section parse_poller(const toml::table& t, const Fields& f, Settings& s) {
  ingest::PollerOptions& p = s.poller.options;
  // The only error without a line: the auth was checked after the whole section, and is still
  // named the same way.
  const auto auth = [&f, &p](const toml::node& n, const std::string& key) {
    auto v = get_string(n, f.name(), key);
    if (!v) return std::optional<Error>(v.error());
    auto a = one_of(*v, kAuth, std::string(f.name()) + ": " + key);
    if (!a) return std::optional<Error>(a.error());
    p.auth = *a;
    return std::optional<Error>();
  };
  const Setting settings[] = {{"enabled", f.flag(s.poller.enabled)},
                              {"name", f.text(p.name)},
                              {"url", f.text(p.url)},
                              {"cursor_param", f.text(p.cursor_param)},
                              {"limit_param", f.text(p.limit_param)},
                              {"page_size", f.count(p.page_size, 1, 10'000)},
                              {"records_path", f.text(p.shape.records)},
                              {"next_cursor_path", f.text(p.shape.next_cursor)},
                              {"has_more_path", f.text(p.shape.has_more)},
                              {"progress_url", f.text(p.progress_url)},
                              {"progress_records_path", f.text(p.progress_shape.records)},
                              {"interval", f.duration(p.interval)},
                              {"timeout", f.duration(p.timeout)},
                              {"max_pages_per_cycle", f.count(p.max_pages_per_cycle, 1, 100'000)},
                              {"auth", auth},
                              {"api_key_header", f.text(p.api_key_header)},
                              {"ca_file", f.path_or_none(p.ca_file)}};
  if (auto e = f.read(t, "poller", settings, {"secret_file", "secret_env"})) return e;
  TTHC_TRY(auto secret, read_secret(t, f.name(), f.base_dir(), "poller"));
  p.secret = secret.value_or("");
  return check_poller(s.poller, f.name());
}

// { "1.004227" = "2wd" }: a due-soon threshold per procedure.
ReadSetting due_soon_by_procedure(const Fields& f, Duration day,
                                  std::map<std::string, Duration, std::less<>>& out) {
  return [&f, day, &out](const toml::node& n, const std::string& key) -> std::optional<Error> {
    const auto* table = n.as_table();
    if (table == nullptr) {
      return Error{f.at(n) + ": " + key + ": expected a table like { \"1.004227\" = \"2wd\" }"};
    }
    for (const auto& [code, value] : *table) {
      const std::string_view c = code.str();
      const std::string code_key = key + ".\"" + std::string(c) + "\"";
      // Intake trims MaTTHC and reads an absent one as "": such a key would never match a
      // procedure, or match every dossier without a procedure code.
      if (c.empty() || c.front() == ' ' || c.front() == '\t' || c.back() == ' ' ||
          c.back() == '\t') {
        return Error{f.at(value) + ": " + code_key + ": not a procedure code"};
      }
      Duration amount{};
      if (auto e = f.working_amount(amount, day)(value, code_key)) return e;
      out[std::string(c)] = amount;
    }
    return std::nullopt;
  };
}

// ["http://127.0.0.1:9093"]
ReadSetting urls(const Fields& f, std::vector<std::string>& out) {
  return [&f, &out](const toml::node& n, const std::string& key) -> std::optional<Error> {
    const auto* arr = n.as_array();
    if (arr == nullptr) {
      return Error{f.at(n) + ": " + key +
                   ": expected an array of URLs like [\"http://127.0.0.1:9093\"]"};
    }
    for (const auto& item : *arr) {
      auto v = get_string(item, f.name(), key);
      if (!v) return v.error();
      out.push_back(*v);
    }
    return std::nullopt;
  };
}

// One [[alerts.webhook]] table.
Result<alerts::WebhookSink> parse_alert_webhook(const toml::node& item, const Fields& f) {
  const toml::table& w = *item.as_table();
  alerts::WebhookSink hook;
  const auto attempts = [&f, &hook](const toml::node& n, const std::string& key) {
    const auto* i = n.as_integer();
    if (i == nullptr || i->get() < 1 || i->get() > 1000) {
      return std::optional<Error>(Error{f.at(n) + ": " + key + ": expected 1 to 1000"});
    }
    hook.max_attempts = static_cast<int>(i->get());
    return std::optional<Error>();
  };
  const Setting settings[] = {{"url", f.text(hook.url)},
                              {"signature_header", f.text(hook.signature_header)},
                              {"max_attempts", attempts}};
  if (auto e = f.read(w, "alerts.webhook", settings, {"secret_file", "secret_env"})) return *e;
  if (w.get("url") == nullptr) return Error{f.at(item) + ": alerts.webhook: url is missing"};
  TTHC_TRY(hook.secret, read_secret(w, f.name(), f.base_dir(), "alerts.webhook"));
  return hook;
}

// [[alerts.webhook]] tables.
ReadSetting alert_webhooks(const Fields& f, std::vector<alerts::WebhookSink>& out) {
  return [&f, &out](const toml::node& n, const std::string& key) -> std::optional<Error> {
    const auto* arr = n.as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) {
      return Error{f.at(n) + ": " + key + ": expected [[alerts.webhook]] tables"};
    }
    for (const auto& item : *arr) {
      TTHC_TRY(auto hook, parse_alert_webhook(item, f));
      out.push_back(std::move(hook));
    }
    return std::nullopt;
  };
}

Section parse_alerts(const toml::table& t, const Fields& f, Settings& s) {
  alerts::AlertSettings& rules = s.alerts.rules;
  alerts::DispatcherOptions& delivery = s.alerts.delivery;
  const Duration day = s.calendar.hours.day_length();
  rules.due_soon = day;  // one working day unless set
  const Setting settings[] = {
      {"state", f.path(delivery.state_db)},
      {"due_soon", f.working_amount(rules.due_soon, day)},
      {"due_soon_by_procedure", due_soon_by_procedure(f, day, rules.due_soon_by_procedure)},
      {"dossier_url", f.text(rules.dossier_url)},
      {"resend_interval", f.duration(delivery.resend_interval)},
      {"ca_file", f.path_or_none(delivery.ca_file)},
      {"alertmanager", urls(f, delivery.alertmanager_urls)},
      {"webhook", alert_webhooks(f, delivery.webhooks)}};
  return f.read(t, "alerts", settings);
}

Section parse_metrics(const toml::table& t, const Fields& f, Settings& s) {
  metrics::MetricsOptions& m = s.metrics;
  const Setting settings[] = {
      {"province", f.text(m.province)},
      {"on_time_target", f.share(m.on_time_target)},
      {"reduced_ratio", f.share(m.reduced_ratio)},
      {"max_units", f.count(m.labels.max_units, 1, 100'000)},
      {"max_fields", f.count(m.labels.max_fields, 1, 100'000)},
      {"max_departments", f.count(m.labels.max_departments, 1, 100'000)},
      {"max_unit_fields", f.count(m.labels.max_unit_fields, 1, 100'000)},
      {"max_unit_departments", f.count(m.labels.max_unit_departments, 1, 100'000)}};
  return f.read(t, "metrics", settings);
}

Section parse_reports(const toml::table& t, const Fields& f, Settings& s) {
  reports::SchedulerOptions& r = s.reports;
  const Setting settings[] = {{"dir", f.path_or_none(r.dir)},
                              {"hour", f.number(r.hour, 0, 23)},
                              {"period_start_day", f.number(r.period_start_day, 1, 28)},
                              {"backfill_months", f.number(r.backfill_months, 0, 120)}};
  return f.read(t, "reports", settings);
}

// The sections in the order they are read: the engine's and the alerts' working days need the
// calendar's hours. Every one is read, an absent one as an empty table, so its defaults that
// depend on others are set too.
struct SectionParser {
  std::string_view key;
  Section (*parse)(const toml::table&, const Fields&, Settings&);
};
constexpr SectionParser kSections[] = {
    {"calendar", parse_calendar},   {"engine", parse_engine},  {"store", parse_store},
    {"catalogue", parse_catalogue}, {"units", parse_units},    {"http", parse_http},
    {"webhook", parse_webhook},     {"poller", parse_poller},  {"alerts", parse_alerts},
    {"metrics", parse_metrics},     {"reports", parse_reports}};

}  // namespace

Settings default_settings(const fs::path& base_dir) {
  Settings s;
  s.calendar.holidays_dir = base_dir / "holidays";
  s.store.path = base_dir / ".." / "data" / "tthc-monitor.db";
  s.catalogue_file = base_dir / "procedures.csv";
  s.units_file = base_dir / "units.csv";
  s.alerts.delivery.state_db = base_dir / ".." / "data" / "alerts.db";
  s.reports.dir = base_dir / ".." / "data" / "reports";
  return s;
}

Result<Settings> parse_settings(std::string_view text, std::string_view name,
                                const fs::path& base_dir) {
  auto parsed = parse_toml(text, name);
  if (!parsed) return parsed.error();
  const toml::table& root = *parsed;
  std::vector<std::string_view> keys;
  for (const auto& section : kSections) keys.push_back(section.key);
  if (auto e = unknown_keys(root, name, "", keys)) return *e;
  for (const auto& section : kSections) {
    if (root.contains(section.key) && !root[section.key].is_table()) {
      return Error{std::string(name) + ": " + std::string(section.key) + ": expected a table"};
    }
  }
  Settings s = default_settings(base_dir);
  const Fields fields(name, base_dir);
  const toml::table absent;
  for (const auto& section : kSections) {
    const toml::table* t = root[section.key].as_table();
    if (auto e = section.parse(t != nullptr ? *t : absent, fields, s)) return *e;
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
  constexpr std::string_view keys[] = {"year", "source", "days_off", "working_saturdays"};
  if (auto e = unknown_keys(root, name, "", keys)) {
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
