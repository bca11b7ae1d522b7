#pragma once
// An invariant of a fuzz target: when it fails, the message goes to stderr and the process
// aborts, so libFuzzer saves the input as a crash. A fuzzer that only calls a parser finds
// crashes; these checks find wrong answers.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(cond)                                                                \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (false)

namespace tthc::fuzz {

/// libFuzzer's input as text.
inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Whether a file parser refused its input; a refusal must name the file (`name:line: ...`).
template <class Parsed>
bool refused(const Parsed& parsed, std::string_view name) {
  if (parsed) return false;
  FUZZ_CHECK(parsed.error().message.starts_with(name));
  return true;
}

}  // namespace tthc::fuzz
