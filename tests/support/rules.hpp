#pragma once
// Procedure rules as the catalogue would give them, for tests that build their own catalogue.

#include "calendar/limit.hpp"
#include "engine/rules.hpp"

#include <string>
#include <string_view>
#include <utility>

namespace tthc::test {

/// The rule of procedure `code` in field `field`, named "Thủ tục <code>" in "Lĩnh vực <field>";
/// the limits as the catalogue writes them ("5wd", "sameday@16:00"; "" for none).
inline engine::ProcedureRule procedure_rule(std::string code, std::string field,
                                            std::string_view legal, std::string_view reduced = "",
                                            std::string_view online = "") {
  engine::ProcedureRule r;
  r.code = std::move(code);
  r.name = "Thủ tục " + r.code;
  r.field_code = std::move(field);
  r.field_name = "Lĩnh vực " + r.field_code;
  r.legal = calendar::parse_limit(legal).value();
  r.reduced = calendar::parse_limit(reduced).value();
  r.online = calendar::parse_limit(online).value();
  return r;
}

/// `rule` under the names a test reads back from its output.
inline engine::ProcedureRule named(engine::ProcedureRule rule, std::string name,
                                   std::string field_name) {
  rule.name = std::move(name);
  rule.field_name = std::move(field_name);
  return rule;
}

}  // namespace tthc::test
