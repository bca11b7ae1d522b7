#pragma once
// The project's error value for expected failures (bad input, bad settings): a message that
// names the field and the value, meant to be shown to a person as it is.
//
// Result<T> holds a T or an Error, like boost::system::result; it exists because that type
// refuses a T that an aggregate Error could be built from (std::string under C++20).

#include <cassert>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tthc {

struct Error {
  std::string message;
};

/// Thrown only by Result::value() on an error; callers check has_value() first.
class ErrorException : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& operator*() & {
    assert(has_value());
    return std::get<0>(v_);
  }
  const T& operator*() const& {
    assert(has_value());
    return std::get<0>(v_);
  }
  T&& operator*() && {
    assert(has_value());
    return std::get<0>(std::move(v_));
  }
  T* operator->() {
    assert(has_value());
    return &std::get<0>(v_);
  }
  const T* operator->() const {
    assert(has_value());
    return &std::get<0>(v_);
  }

  const T& value() const& {
    if (!has_value()) throw ErrorException(error().message);
    return std::get<0>(v_);
  }
  T& value() & {
    if (!has_value()) throw ErrorException(error().message);
    return std::get<0>(v_);
  }
  T&& value() && {
    if (!has_value()) throw ErrorException(error().message);
    return std::get<0>(std::move(v_));
  }
  const Error& error() const& {
    assert(!has_value());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!has_value());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

/// Prefixes an error with the field it concerns: "NgayTiepNhan: not a date: ...".
inline Error with_field(std::string_view field, Error e) {
  e.message.insert(0, std::string(field) + ": ");
  return e;
}

namespace detail {
// The error of what TTHC_TRY_VOID checks: a Result whose value is not needed, or the
// std::optional<Error> of a function that fills an out-parameter.
template <class T>
std::optional<Error> error_of(Result<T> r) {
  if (r) return std::nullopt;
  return std::move(r).error();
}
inline std::optional<Error> error_of(std::optional<Error> e) {
  return e;
}
}  // namespace detail

}  // namespace tthc

// Early return of an expected failure, so that the failure path is one line and the same
// everywhere. The enclosing function returns a Result or a std::optional<Error>.
//
// TTHC_TRY(target, expr): evaluates `expr` (a Result); on an error returns it, else moves the
// value into `target`, which may be a declaration (`TTHC_TRY(auto code, read_code(o));`) or
// an existing object (`TTHC_TRY(d.received, r.moment("NgayTiepNhan"));`). It expands to
// several statements: not for the body of an unbraced if, one use a line.
#define TTHC_TRY(target, ...) TTHC_TRY_IMPL_(TTHC_TRY_NAME_(__LINE__), target, __VA_ARGS__)
// TTHC_TRY_VOID(expr): returns the error of `expr` (a Result whose value is not needed, or a
// std::optional<Error>) from the enclosing function, if there is one.
#define TTHC_TRY_VOID(...)                                              \
  do {                                                                  \
    if (auto tthc_try_error_ = ::tthc::detail::error_of(__VA_ARGS__)) { \
      return std::move(*tthc_try_error_);                               \
    }                                                                   \
  } while (false)

#define TTHC_TRY_CONCAT_(a, b) a##b
#define TTHC_TRY_NAME_(line) TTHC_TRY_CONCAT_(tthc_try_, line)
#define TTHC_TRY_IMPL_(tmp, target, ...)   \
  auto tmp = (__VA_ARGS__);                \
  if (!tmp) return std::move(tmp).error(); \
  target = std::move(*tmp)
