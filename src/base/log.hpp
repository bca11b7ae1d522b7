#pragma once
// The one logging seam of the modules: a Log is handed in with a module's options and called
// with a level and a message. The composition root connects it to spdlog; tests collect the
// lines. A module never includes spdlog itself, and logging never throws into its caller.
//
// What goes into a message: no personal data (applicants, handlers, identity numbers, phones,
// addresses) at info level or above, no secrets (tokens, passwords).
//
// Thread-safety: a Log is called from the module's threads; the sink must be safe to call
// concurrently (spdlog's are).

#include <functional>
#include <string_view>
#include <type_traits>
#include <utility>

namespace tthc {

enum class LogLevel { debug, info, warning, error };

class Log {
 public:
  using Sink = std::function<void(LogLevel, std::string_view message)>;

  Log() = default;  ///< logs nothing
  /// From any callable taking (LogLevel, std::string_view): implicit, so that a lambda can be
  /// handed in or assigned (`options.log = [](LogLevel, std::string_view) {...};`).
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Log> &&
                                              std::is_invocable_v<F&, LogLevel, std::string_view>>>
  Log(F&& sink) : sink_(std::forward<F>(sink)) {}  // NOLINT: implicit

  void operator()(LogLevel level, std::string_view message) const noexcept {
    if (!sink_) return;
    try {
      sink_(level, message);
    } catch (...) {  // a logging failure never breaks the caller
    }
  }
  void debug(std::string_view message) const noexcept { (*this)(LogLevel::debug, message); }
  void info(std::string_view message) const noexcept { (*this)(LogLevel::info, message); }
  void warning(std::string_view message) const noexcept { (*this)(LogLevel::warning, message); }
  void error(std::string_view message) const noexcept { (*this)(LogLevel::error, message); }

  explicit operator bool() const noexcept { return static_cast<bool>(sink_); }

 private:
  Sink sink_;
};

}  // namespace tthc
