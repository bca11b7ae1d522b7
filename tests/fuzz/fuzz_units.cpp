// The unit register (config/units.csv, src/config/units): any text is accepted or refused with
// a message naming the file. An accepted register has unique codes, every parent and successor
// in it, and each unit shown under a unit of the register (every successor chain ends).

#include "config/units.hpp"
#include "fuzz/fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tthc;
  const std::string_view text = fuzz::text_of(data, size);
  const auto units = config::parse_units_csv(text, "units.csv");
  if (fuzz::refused(units, "units.csv")) return 0;
  const Date day = make_date(2025, 6, 30);
  for (const engine::UnitRecord& u : units->units()) {
    FUZZ_CHECK(units->find(u.code) == &u);
    FUZZ_CHECK(u.parent.empty() || units->find(u.parent) != nullptr);
    FUZZ_CHECK(u.valid_until.has_value() == !u.successors.empty());
    for (const auto& s : u.successors) FUZZ_CHECK(units->find(s) != nullptr);
    for (const bool successors : {true, false}) {
      const std::string_view shown = units->shown_as(u.code, day, successors);
      FUZZ_CHECK(units->find(shown) != nullptr);
      if (successors) FUZZ_CHECK(!units->find(shown)->valid_until);
    }
  }
  FUZZ_CHECK(!units->content().empty() || units->units().empty());
  return 0;
}
