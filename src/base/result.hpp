#pragma once
// The project's error value for expected failures (bad input, bad settings): a message that
// names the field and the value, meant to be shown to a person as it is.
//
// Result<T> holds a T or an Error, like boost::system::result; it exists because that type
// refuses a T that an aggregate Error could be built from (std::string under C++20).

#include <cassert>
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

}  // namespace tthc
