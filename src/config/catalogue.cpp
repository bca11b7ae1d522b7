#include "config/catalogue.hpp"

#include "domain/text.hpp"

#include <array>
#include <fstream>
#include <set>
#include <sstream>

namespace tthc::config {

namespace {

constexpr std::array<std::string_view, 7> kColumns = {
    "procedure_code", "procedure_name", "field_code",  "field_name",
    "legal_limit",    "reduced_limit",  "online_limit"};

// Splits CSV text into records of fields (RFC 4180), with each record's first line number.
Result<std::vector<std::pair<std::size_t, std::vector<std::string>>>> split_csv(
    std::string_view text, std::string_view name) {
  std::vector<std::pair<std::size_t, std::vector<std::string>>> records;
  std::vector<std::string> fields;
  std::string field;
  std::size_t line = 1;
  std::size_t record_line = 1;
  bool quoted = false;
  bool any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty()) {
        return Error{std::string(name) + ":" + std::to_string(line) +
                     ": a quote inside an unquoted field"};
      }
      quoted = true;
      any = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      if (any || !field.empty()) {
        fields.push_back(std::move(field));
        records.emplace_back(record_line, std::move(fields));
      }
      field.clear();
      fields.clear();
      any = false;
      record_line = ++line;
    } else {
      field += c;
      any = true;
    }
  }
  if (quoted)
    return Error{std::string(name) + ":" + std::to_string(record_line) + ": unclosed quote"};
  if (any || !field.empty()) {
    fields.push_back(std::move(field));
    records.emplace_back(record_line, std::move(fields));
  }
  return records;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

Result<std::vector<engine::ProcedureRule>> parse_catalogue_csv(std::string_view text,
                                                               std::string_view name) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (!is_valid_utf8(text)) return Error{std::string(name) + ": not UTF-8 text"};
  TTHC_TRY(auto records, split_csv(text, name));
  if (records.empty()) return Error{std::string(name) + ": empty: a header row is needed"};
  const auto& header = records.front().second;
  std::array<std::size_t, kColumns.size()> col{};
  for (std::size_t k = 0; k < kColumns.size(); ++k) {
    std::size_t found = header.size();
    for (std::size_t h = 0; h < header.size(); ++h) {
      if (trimmed(header[h]) == kColumns[k]) found = h;
    }
    if (found == header.size()) {
      return Error{std::string(name) + ":1: missing column " + std::string(kColumns[k])};
    }
    col[k] = found;
  }
  std::vector<engine::ProcedureRule> rules;
  std::set<std::string> codes;
  for (std::size_t r = 1; r < records.size(); ++r) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
    const std::size_t line = records[r].first;
    const std::vector<std::string>& fields = records[r].second;
    const std::string where = std::string(name) + ":" + std::to_string(line) + ": ";
    auto get = [&](std::size_t k) {
      return col[k] < fields.size() ? trimmed(fields[col[k]]) : std::string();
    };
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
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{file.string() + ": cannot read the procedure catalogue"};
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_catalogue_csv(buf.str(), file.string());
}

}  // namespace tthc::config
