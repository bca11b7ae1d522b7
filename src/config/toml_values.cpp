#include "config/toml_values.hpp"

#include "calendar/limit.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tthc::config {

namespace fs = std::filesystem;

std::string where(std::string_view name, const toml::node& n) {
  const auto& src = n.source();
  return std::string(name) + ":" + std::to_string(src.begin.line);
}

std::optional<Error> unknown_keys(const toml::table& table, std::string_view name,
                                  std::string_view section,
                                  std::span<const std::string_view> allowed) {
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

Result<std::int64_t> get_integer(const toml::node& n, std::string_view name, std::string_view key,
                                 std::int64_t min, std::int64_t max) {
  const auto* i = n.as_integer();
  if (i == nullptr || i->get() < min || i->get() > max) {
    return Error{where(name, n) + ": " + std::string(key) + ": expected a number from " +
                 std::to_string(min) + " to " + std::to_string(max)};
  }
  return i->get();
}

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

Result<std::chrono::milliseconds> get_duration(const toml::node& n, std::string_view name,
                                               std::string_view key) {
  TTHC_TRY(auto v, get_string(n, name, key));
  long long value = 0;
  const auto res = std::from_chars(v.data(), v.data() + v.size(), value);
  const std::string_view unit(res.ptr, static_cast<std::size_t>(v.data() + v.size() - res.ptr));
  long long ms = 0;
  if (unit == "ms") ms = 1;
  if (unit == "s") ms = 1000;
  if (unit == "m") ms = 60'000;
  if (unit == "h") ms = 3'600'000;
  if (res.ec != std::errc{} || res.ptr == v.data() || ms == 0 || value <= 0 ||
      value > 7 * 24 * 3'600'000LL / ms) {
    return Error{where(name, n) + ": " + std::string(key) + ": not a duration: \"" + v +
                 "\" (expected e.g. 500ms, 30s, 5m, 1h)"};
  }
  return std::chrono::milliseconds(value * ms);
}

Result<std::pair<std::string, std::uint16_t>> get_listen(const toml::node& n, std::string_view name,
                                                         std::string_view key) {
  TTHC_TRY(auto v, get_string(n, name, key));
  const auto colon = v.rfind(':');
  unsigned port = 0;
  const char* end = v.data() + v.size();
  if (colon == std::string::npos || colon == 0 ||
      std::from_chars(v.data() + colon + 1, end, port).ptr != end || port > 65535) {
    return Error{where(name, n) + ": " + std::string(key) + ": not an address:port: \"" + v + "\""};
  }
  std::string address = v.substr(0, colon);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  return std::pair{address, static_cast<std::uint16_t>(port)};
}

Result<std::optional<std::string>> read_secret(const toml::table& t, std::string_view name,
                                               const fs::path& base_dir, std::string_view section,
                                               std::string_view key) {
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
    TTHC_TRY(auto v, get_string(*file, name, sec + "." + file_key));
    if (v.empty()) return std::optional<std::string>();
    const fs::path p = base_dir / fs::path(v);
    std::ifstream in(p, std::ios::binary);
    if (!in)
      return Error{where(name, *file) + ": " + sec + "." + file_key + ": cannot read " +
                   p.string()};
    std::ostringstream buf;
    buf << in.rdbuf();
    secret = buf.str();
  } else if (env != nullptr) {
    TTHC_TRY(auto v, get_string(*env, name, sec + "." + env_key));
    if (v.empty()) return std::optional<std::string>();
    const char* value = std::getenv(v.c_str());
    if (value == nullptr) {
      return Error{where(name, *env) + ": " + sec + "." + env_key + ": environment variable " + v +
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

namespace {

// A reader of one shape: `get(node, key)` gives the value, converted to the target's type.
template <class T, class Get>
ReadSetting assign(T& out, Get get) {
  return [&out, get](const toml::node& n, const std::string& key) -> std::optional<Error> {
    TTHC_TRY(auto v, get(n, key));
    out = static_cast<T>(std::move(v));
    return std::nullopt;
  };
}

}  // namespace

ReadSetting Fields::text(std::string& out) const {
  return assign(out, [name = name_](const toml::node& n, const std::string& key) {
    return get_string(n, name, key);
  });
}

ReadSetting Fields::flag(bool& out) const {
  return assign(out, [name = name_](const toml::node& n, const std::string& key) {
    return get_bool(n, name, key);
  });
}

ReadSetting Fields::count(std::size_t& out, std::int64_t min, std::int64_t max) const {
  return assign(out, [name = name_, min, max](const toml::node& n, const std::string& key) {
    return get_integer(n, name, key, min, max);
  });
}

ReadSetting Fields::number(int& out, std::int64_t min, std::int64_t max) const {
  return assign(out, [name = name_, min, max](const toml::node& n, const std::string& key) {
    return get_integer(n, name, key, min, max);
  });
}

ReadSetting Fields::share(double& out) const {
  return assign(out, [name = name_](const toml::node& n, const std::string& key) {
    return get_share(n, name, key);
  });
}

ReadSetting Fields::bytes(std::size_t& out) const {
  return assign(out, [name = name_](const toml::node& n, const std::string& key) {
    return get_size(n, name, key);
  });
}

ReadSetting Fields::duration(std::chrono::milliseconds& out) const {
  return assign(out, [name = name_](const toml::node& n, const std::string& key) {
    return get_duration(n, name, key);
  });
}

ReadSetting Fields::working_amount(Duration& out, Duration day_length) const {
  return assign(
      out,
      [name = name_, day_length](const toml::node& n, const std::string& key) -> Result<Duration> {
        TTHC_TRY(auto v, get_string(n, name, key));
        return parse_working_amount(v, where(name, n) + ": " + key, day_length);
      });
}

ReadSetting Fields::path(fs::path& out) const {
  return assign(out,
                [name = name_, base = base_dir_](const toml::node& n,
                                                 const std::string& key) -> Result<fs::path> {
                  TTHC_TRY(auto v, get_string(n, name, key));
                  return base / fs::path(v);
                });
}

namespace {

// "" is none; any other path is relative to `base`.
template <class Path>
ReadSetting path_or_none_into(Path& out, std::string_view name, const fs::path& base) {
  return [&out, name, base](const toml::node& n, const std::string& key) -> std::optional<Error> {
    TTHC_TRY(auto v, get_string(n, name, key));
    if (v.empty()) {
      out = Path();
    } else {
      out = base / fs::path(v);
    }
    return std::nullopt;
  };
}

}  // namespace

ReadSetting Fields::path_or_none(fs::path& out) const {
  return path_or_none_into(out, name_, base_dir_);
}

ReadSetting Fields::path_or_none(std::optional<fs::path>& out) const {
  return path_or_none_into(out, name_, base_dir_);
}

std::optional<Error> Fields::read(const toml::table& table, std::string_view section,
                                  std::span<const Setting> settings,
                                  std::initializer_list<std::string_view> also) const {
  std::vector<std::string_view> keys(also);
  for (const Setting& s : settings) keys.push_back(s.key);
  if (auto e = unknown_keys(table, name_, section, keys)) return e;
  for (const Setting& s : settings) {
    if (const auto* n = table.get(s.key)) {
      if (auto e = s.read(*n, std::string(section) + "." + std::string(s.key))) return e;
    }
  }
  return std::nullopt;
}

}  // namespace tthc::config
