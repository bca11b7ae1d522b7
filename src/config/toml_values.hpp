#pragma once
// Reading TOML values into settings: each reader checks one shape (a string, a duration, a
// size...) and names the setting and its line when the value does not fit. A section is a
// table of (key, reader) pairs, so its keys are listed once: the readers and the check for
// unknown keys both come from it. Internal to the config library.

#include "base/result.hpp"
#include "domain/time.hpp"

#include <toml++/toml.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tthc::config {

/// "file.toml:12": where a value is.
std::string where(std::string_view name, const toml::node& n);

/// An error for the first key of `table` not in `allowed`, named "section.key".
std::optional<Error> unknown_keys(const toml::table& table, std::string_view name,
                                  std::string_view section,
                                  std::span<const std::string_view> allowed);

Result<toml::table> parse_toml(std::string_view text, std::string_view name);

Result<std::string> get_string(const toml::node& n, std::string_view name, std::string_view key);
Result<bool> get_bool(const toml::node& n, std::string_view name, std::string_view key);
/// An integer from `min` to `max`.
Result<std::int64_t> get_integer(const toml::node& n, std::string_view name, std::string_view key,
                                 std::int64_t min, std::int64_t max);
/// A share in (0, 1]: 0.95, or an integer 1.
Result<double> get_share(const toml::node& n, std::string_view name, std::string_view key);
/// "8MiB", "512KiB", "1048576": a size in bytes.
Result<std::size_t> get_size(const toml::node& n, std::string_view name, std::string_view key);
/// "30s", "500ms", "5m", "1h": a duration.
Result<std::chrono::milliseconds> get_duration(const toml::node& n, std::string_view name,
                                               std::string_view key);
/// "127.0.0.1:8080", "[::1]:8080".
Result<std::pair<std::string, std::uint16_t>> get_listen(const toml::node& n, std::string_view name,
                                                         std::string_view key);
/// An array of dates, TOML dates or "YYYY-MM-DD" strings.
Result<std::vector<Date>> get_dates(const toml::node& n, std::string_view name,
                                    std::string_view key);
/// "8wh", "1wd": a working-time amount; `what` prefixes the error.
Result<Duration> parse_working_amount(std::string_view text, std::string_view what,
                                      Duration day_length);

/// A secret from `<key>_file` (relative to `base_dir`) or `<key>_env`, at most one of them;
/// none given: no secret. The secret itself never appears in an error message.
Result<std::optional<std::string>> read_secret(const toml::table& t, std::string_view name,
                                               const std::filesystem::path& base_dir,
                                               std::string_view section,
                                               std::string_view key = "secret");

/// An enum's names in the configuration, in the order an error lists them.
template <class E>
struct Named {
  std::string_view name;
  E value;
};

/// The value named `text`, or an error `<what>: "<text>" is not one of a, b, c`.
template <class E, std::size_t N>
Result<E> one_of(std::string_view text, const std::array<Named<E>, N>& names,
                 const std::string& what) {
  std::string all;
  for (const auto& n : names) {
    if (n.name == text) return n.value;
    all += (all.empty() ? "" : ", ") + std::string(n.name);
  }
  return Error{what + ": \"" + std::string(text) + "\" is not one of " + all};
}

template <class E, std::size_t N>
std::string_view name_of(E value, const std::array<Named<E>, N>& names) {
  for (const auto& n : names) {
    if (n.value == value) return n.name;
  }
  return {};
}

/// Reads one present key into its target; `key` is the full name ("poller.url"), for errors.
using ReadSetting =
    std::function<std::optional<Error>(const toml::node& value, const std::string& key)>;

struct Setting {
  std::string_view key;
  ReadSetting read;
};

/// Readers of the usual shapes, each writing into a target that outlives the read.
class Fields {
 public:
  Fields(std::string_view name, std::filesystem::path base_dir)
      : name_(name), base_dir_(std::move(base_dir)) {}

  std::string_view name() const { return name_; }
  const std::filesystem::path& base_dir() const { return base_dir_; }
  std::string at(const toml::node& n) const { return where(name_, n); }

  ReadSetting text(std::string& out) const;
  ReadSetting flag(bool& out) const;
  ReadSetting count(std::size_t& out, std::int64_t min, std::int64_t max) const;
  ReadSetting number(int& out, std::int64_t min, std::int64_t max) const;
  ReadSetting share(double& out) const;
  ReadSetting bytes(std::size_t& out) const;
  ReadSetting duration(std::chrono::milliseconds& out) const;
  /// A working-time amount ("8wh", "1wd") with days of `day_length`.
  ReadSetting working_amount(Duration& out, Duration day_length) const;
  /// A path relative to the configuration's folder.
  ReadSetting path(std::filesystem::path& out) const;
  /// The same, "" meaning none.
  ReadSetting path_or_none(std::filesystem::path& out) const;
  ReadSetting path_or_none(std::optional<std::filesystem::path>& out) const;
  /// One of an enum's names.
  template <class E, std::size_t N>
  ReadSetting choice(E& out, const std::array<Named<E>, N>& names) const {
    return [this, &out, &names](const toml::node& n, const std::string& key) {
      auto v = get_string(n, name_, key);
      if (!v) return std::optional<Error>(std::move(v).error());
      auto e = one_of(*v, names, at(n) + ": " + key);
      if (!e) return std::optional<Error>(std::move(e).error());
      out = *e;
      return std::optional<Error>();
    };
  }

  /// Checks the keys of `table` against `settings` (and `also`, read elsewhere), then reads
  /// each one present, in the table's order.
  std::optional<Error> read(const toml::table& table, std::string_view section,
                            std::span<const Setting> settings,
                            std::initializer_list<std::string_view> also = {}) const;

 private:
  std::string_view name_;
  std::filesystem::path base_dir_;
};

}  // namespace tthc::config
