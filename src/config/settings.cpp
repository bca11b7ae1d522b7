#include "config/settings.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
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

}  // namespace

Result<Settings> parse_settings(std::string_view text, std::string_view name,
                                const fs::path& base_dir) {
  auto parsed = parse_toml(text, name);
  if (!parsed) return parsed.error();
  const toml::table& root = *parsed;
  if (auto e = unknown_keys(root, name, "", {"calendar", "engine"})) return *e;

  Settings s;
  s.calendar.holidays_dir = base_dir / "holidays";
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
  } else if (root.contains("calendar")) {
    return Error{std::string(name) + ": calendar: expected a table"};
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
  } else if (root.contains("engine")) {
    return Error{std::string(name) + ": engine: expected a table"};
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
  t.year = static_cast<int>(year->as_integer()->get());
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
