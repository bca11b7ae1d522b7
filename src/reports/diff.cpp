#include "reports/diff.hpp"

#include "reports/json_text.hpp"

#include <boost/json.hpp>

#include <map>

namespace tthc::reports {

namespace {

namespace json = boost::json;

std::string show(const json::value& v) {
  if (v.is_double()) return json_decimal(v.as_double());
  return json::serialize(v);
}

// "000.00.12.H42/KHCN/1.004227": the codes naming a row; empty when the item has none. A
// claimed row adds its LoaiThongKe when it has one; a listed dossier is named by its code.
std::string row_key(const json::value& v) {
  if (!v.is_object()) return {};
  std::string key;
  bool any = false;
  for (const std::string_view name : {"unit", "field", "procedure", "kind", "code"}) {
    const json::value* part = v.as_object().if_contains(name);
    if (part == nullptr) continue;
    any = true;
    if (part->is_null()) continue;
    if (name == "kind" && part->is_string() && part->as_string().empty()) continue;
    if (!key.empty()) key += '/';
    key += part->is_string() ? std::string(part->as_string()) : show(*part);
  }
  return any ? key : std::string();
}

bool same_number(const json::value& a, const json::value& b) {
  if (!a.is_number() || !b.is_number()) return false;
  if (a.is_double() || b.is_double()) {
    return json_decimal(a.to_number<double>()) == json_decimal(b.to_number<double>());
  }
  return a == b;
}

void compare(const json::value& a, const json::value& b, const std::string& path,
             std::vector<std::string>& out);

void compare_keyed(const json::array& a, const json::array& b, const std::string& path,
                   std::vector<std::string>& out) {
  std::map<std::string, const json::value*> old_rows;
  for (const json::value& v : a) old_rows[row_key(v)] = &v;
  std::map<std::string, bool> seen;
  for (const json::value& v : b) {
    const std::string key = row_key(v);
    seen[key] = true;
    const std::string at = path + "[" + key + "]";
    auto it = old_rows.find(key);
    if (it == old_rows.end()) {
      out.push_back(at + ": added");
    } else {
      compare(*it->second, v, at, out);
    }
  }
  for (const json::value& v : a) {
    const std::string key = row_key(v);
    if (!seen.contains(key)) out.push_back(path + "[" + key + "]: removed");
  }
}

void compare(const json::value& a, const json::value& b, const std::string& path,
             std::vector<std::string>& out) {
  if (a.is_object() && b.is_object()) {
    const json::object& oa = a.as_object();
    const json::object& ob = b.as_object();
    const std::string prefix = path.empty() ? "" : path + ".";
    for (const auto& [k, vb] : ob) {
      const json::value* va = oa.if_contains(k);
      if (va == nullptr) {
        out.push_back(prefix + std::string(k) + ": (none) → " + show(vb));
      } else {
        compare(*va, vb, prefix + std::string(k), out);
      }
    }
    for (const auto& [k, va] : oa) {
      if (!ob.contains(k)) out.push_back(prefix + std::string(k) + ": " + show(va) + " → (none)");
    }
    return;
  }
  if (a.is_array() && b.is_array()) {
    const json::array& aa = a.as_array();
    const json::array& ab = b.as_array();
    const bool keyed = (!aa.empty() && !row_key(aa.front()).empty()) ||
                       (!ab.empty() && !row_key(ab.front()).empty());
    if (keyed) {
      compare_keyed(aa, ab, path, out);
      return;
    }
  }
  if (a == b || same_number(a, b)) return;
  out.push_back(path + ": " + show(a) + " → " + show(b));
}

Result<json::value> parse(std::string_view text, std::string_view which) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    return Error{std::string(which) + " is not a JSON report" + (ec ? ": " + ec.message() : "")};
  }
  return v;
}

}  // namespace

Result<Moment> recorded_as_of(std::string_view report_json) {
  TTHC_TRY(const json::value v, parse(report_json, "the snapshot"));
  const json::value* as_of = v.as_object().if_contains("as_of");
  if (as_of == nullptr || !as_of->is_string()) return Error{"the snapshot records no as_of"};
  return parse_data_moment(std::string_view(as_of->as_string()));
}

Result<std::vector<std::string>> diff_reports(std::string_view old_json,
                                              std::string_view new_json) {
  TTHC_TRY(const json::value a, parse(old_json, "the snapshot"));
  TTHC_TRY(const json::value b, parse(new_json, "the fresh report"));
  std::vector<std::string> out;
  compare(a, b, "", out);
  return out;
}

}  // namespace tthc::reports
