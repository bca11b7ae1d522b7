#include "config/catalogue.hpp"

#include "config/csv_table.hpp"
#include "domain/text.hpp"

#include <array>
#include <set>

namespace tthc::config {

namespace {

constexpr std::array<std::string_view, 7> kColumns = {
    "procedure_code", "procedure_name", "field_code",  "field_name",
    "legal_limit",    "reduced_limit",  "online_limit"};

}  // namespace

Result<std::vector<engine::ProcedureRule>> parse_catalogue_csv(std::string_view text,
                                                               std::string_view name) {
  TTHC_TRY(const auto table, read_csv_table(text, name, kColumns));
  std::vector<engine::ProcedureRule> rules;
  std::set<std::string> codes;
  for (const CsvRow& row : table.rows) {
    const std::string where = table.where(row);
    auto get = [&](std::size_t k) { return table.get(row, k); };
    engine::ProcedureRule rule;
    rule.code = get(0);
    if (rule.code.empty()) return Error{where + "procedure_code: missing"};
    if (!codes.insert(rule.code).second) {
      return Error{where + "procedure_code: " + quote_for_error(rule.code) + " appears twice"};
    }
    rule.name = get(1);
    rule.field_code = get(2);
    rule.field_name = get(3);
    calendar::Limit* limits[] = {&rule.legal, &rule.reduced, &rule.online};
    for (std::size_t k = 0; k < 3; ++k) {
      auto limit = calendar::parse_limit(get(4 + k));
      if (!limit) return with_field(where + std::string(kColumns[4 + k]), limit.error());
      *limits[k] = *limit;
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

Result<std::vector<engine::ProcedureRule>> load_catalogue(const std::filesystem::path& file) {
  TTHC_TRY(const auto text, read_text_file(file, "procedure catalogue"));
  return parse_catalogue_csv(text, file.string());
}

}  // namespace tthc::config
