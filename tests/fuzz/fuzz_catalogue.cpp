// The procedure catalogue (config/procedures.csv, src/config/catalogue): any text is accepted
// or refused with a message naming the file. Accepted rules have unique non-empty codes, valid
// UTF-8, and written back as CSV (every field quoted) they read the same.

#include "config/catalogue.hpp"
#include "domain/text.hpp"
#include "fuzz/fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace tthc;

std::string csv_field(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string to_csv(const std::vector<engine::ProcedureRule>& rules) {
  std::string out =
      "procedure_code,procedure_name,field_code,field_name,legal_limit,reduced_limit,online_"
      "limit\n";
  for (const auto& r : rules) {
    out += csv_field(r.code) + "," + csv_field(r.name) + "," + csv_field(r.field_code) + "," +
           csv_field(r.field_name) + "," + csv_field(calendar::to_string(r.legal)) + "," +
           csv_field(calendar::to_string(r.reduced)) + "," +
           csv_field(calendar::to_string(r.online)) + "\r\n";
  }
  return out;
}

bool same(const engine::ProcedureRule& a, const engine::ProcedureRule& b) {
  return a.code == b.code && a.name == b.name && a.field_code == b.field_code &&
         a.field_name == b.field_name && a.legal == b.legal && a.reduced == b.reduced &&
         a.online == b.online;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::text_of(data, size);
  const auto rules = config::parse_catalogue_csv(text, "procedures.csv");
  if (fuzz::refused(rules, "procedures.csv")) return 0;
  std::set<std::string> codes;
  for (const auto& r : *rules) {
    FUZZ_CHECK(!r.code.empty());
    FUZZ_CHECK(codes.insert(r.code).second);
    FUZZ_CHECK(is_valid_utf8(r.code) && is_valid_utf8(r.name) && is_valid_utf8(r.field_code) &&
               is_valid_utf8(r.field_name));
  }
  const auto again = config::parse_catalogue_csv(to_csv(*rules), "again.csv");
  FUZZ_CHECK(again && again->size() == rules->size());
  for (std::size_t i = 0; i < rules->size(); ++i) FUZZ_CHECK(same((*again)[i], (*rules)[i]));
  return 0;
}
