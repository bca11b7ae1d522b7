#pragma once
// Talking to the daemon and to a Prometheus-compatible HTTP API (Prometheus, VictoriaMetrics)
// from the integration tests: GET on loopback, a query's answer, a text exposition's sums.

#include "http/client.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tthc::test {

namespace json = boost::json;

/// One PromQL expression of `dashboards/check --exprs`: its file, panel (or rule) and text.
struct Expression {
  std::string file;
  std::string panel;
  std::string expr;
};

/// The expressions of `dashboards/check --exprs` output (one JSON object a line).
inline std::vector<Expression> parse_expressions(const std::string& listed) {
  std::vector<Expression> out;
  std::istringstream in(listed);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const json::object o = json::parse(line).as_object();
    out.push_back({std::string(o.at("file").as_string()), std::string(o.at("panel").as_string()),
                   std::string(o.at("expr").as_string())});
  }
  return out;
}

inline std::optional<http::Response> get(std::uint16_t port, const std::string& target) {
  auto r = http::request("127.0.0.1", port, http::ClientRequest{"GET", target, "", "", {}});
  if (!r) return std::nullopt;
  return std::move(*r);
}

/// True when GET `target` on 127.0.0.1:`port` answers 200 (a readiness probe).
inline bool answers_ok(std::uint16_t port, const std::string& target) {
  const auto r = get(port, target);
  return r && r->status == 200;
}

/// The sum of every sample of `name` in a text exposition; nullopt when there is none.
inline std::optional<double> exposition_sum(const std::string& text, std::string_view name) {
  std::optional<double> sum;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with(name) || line.size() <= name.size()) continue;
    if (line[name.size()] != '{' && line[name.size()] != ' ') continue;
    const auto space = line.rfind(' ');
    sum = sum.value_or(0) + std::stod(line.substr(space + 1));
  }
  return sum;
}

struct Answer {
  std::string problem;     ///< empty: HTTP 200 and "status":"success"
  std::size_t series = 0;  ///< vector/matrix: how many series; scalar/string: 1
  std::string type;        ///< data.resultType
  json::value result;      ///< data.result as answered
};

/// One series of an instant query's vector: its labels and its value.
struct Sample {
  std::map<std::string, std::string> labels;
  double value = 0;
};

/// The samples of an instant query's vector answer (a scalar: one sample without labels).
inline std::vector<Sample> samples_of(const Answer& a) {
  std::vector<Sample> out;
  const auto value_of = [](const json::value& pair) {
    return std::stod(std::string(pair.as_array().at(1).as_string()));
  };
  if (a.type == "scalar") {
    out.push_back({{}, value_of(a.result)});  // [time, "value"]
    return out;
  }
  if (a.type != "vector" || !a.result.is_array()) return out;
  for (const json::value& s : a.result.as_array()) {
    const json::object& o = s.as_object();
    Sample sample;
    if (const json::value* m = o.if_contains("metric"); m != nullptr && m->is_object()) {
      for (const auto& [k, v] : m->as_object()) {
        if (v.is_string()) sample.labels[std::string(k)] = std::string(v.as_string());
      }
    }
    if (const json::value* v = o.if_contains("value")) sample.value = value_of(*v);
    out.push_back(std::move(sample));
  }
  return out;
}

class PrometheusApi {
 public:
  explicit PrometheusApi(std::uint16_t port) : port_(port) {}

  /// The `data` of a successful API answer, or the problem.
  std::pair<json::value, std::string> call(const std::string& target) const {
    const auto r = get(port_, target);
    if (!r) return {nullptr, "request failed"};
    boost::system::error_code ec;
    json::value v = json::parse(r->body, ec);
    if (r->status != 200 || ec || !v.is_object()) {
      return {nullptr, "HTTP " + std::to_string(r->status) + ": " + r->body.substr(0, 400)};
    }
    const json::object& o = v.as_object();
    const json::value* status = o.if_contains("status");
    if (status == nullptr || !status->is_string() || status->as_string() != "success") {
      return {nullptr, "not a success: " + r->body.substr(0, 400)};
    }
    const json::value* data = o.if_contains("data");
    if (data == nullptr) return {nullptr, "no data: " + r->body.substr(0, 400)};
    return {*data, ""};
  }

  Answer query(std::string_view expr) const {
    auto [data, problem] = call("/api/v1/query?query=" + http::percent_encode(expr));
    Answer a;
    a.problem = std::move(problem);
    if (!a.problem.empty()) return a;
    const json::object* o = data.if_object();
    const json::value* type = o != nullptr ? o->if_contains("resultType") : nullptr;
    const json::value* result = o != nullptr ? o->if_contains("result") : nullptr;
    if (type == nullptr || result == nullptr || !type->is_string()) {
      a.problem = "unexpected answer: " + json::serialize(data).substr(0, 400);
      return a;
    }
    a.type = std::string(type->as_string());
    a.result = *result;
    if (a.type == "vector" || a.type == "matrix") {
      a.series = result->is_array() ? result->as_array().size() : 0;
    } else {
      a.series = 1;  // a scalar or a string is a value
    }
    return a;
  }

  /// Rule name -> (health, lastError); and each group's lastEvaluation.
  struct Rules {
    std::map<std::string, std::pair<std::string, std::string>> health;
    std::map<std::string, std::string> group_evaluated;
    std::string problem;
  };
  Rules rules() const {
    Rules out;
    auto [data, problem] = call("/api/v1/rules");
    out.problem = std::move(problem);
    if (!out.problem.empty()) return out;
    const auto text = [](const json::object& o, std::string_view key) {
      const json::value* v = o.if_contains(key);
      return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    const json::value* groups = data.is_object() ? data.as_object().if_contains("groups") : nullptr;
    if (groups == nullptr || !groups->is_array()) {
      out.problem = "unexpected answer: " + json::serialize(data).substr(0, 400);
      return out;
    }
    for (const json::value& g : groups->as_array()) {
      const json::object& group = g.as_object();
      out.group_evaluated[text(group, "name")] = text(group, "lastEvaluation");
      for (const json::value& r : group.at("rules").as_array()) {
        const json::object& rule = r.as_object();
        out.health[text(rule, "name")] = {text(rule, "health"), text(rule, "lastError")};
      }
    }
    return out;
  }

 private:
  std::uint16_t port_;
};

}  // namespace tthc::test
