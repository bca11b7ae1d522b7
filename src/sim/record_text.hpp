#pragma once
// The pieces of a sync record's JSON text as a one-stop system writes them: keys, moments as
// quoted `yyyyMMddHHmmss`, and status or channel codes as numbers or as strings. Strings are
// written with the project's one escaping (base/json_text.hpp).

#include "domain/time.hpp"

#include <string>
#include <string_view>

namespace tthc::sim {

/// `"key":`
inline void put_key(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

/// yyyyMMddHHmmss, quoted; "" for an absent moment (Moment{}).
inline void put_time(std::string& out, Moment m) {
  out += '"';
  if (m != Moment{}) append_compact(out, m);
  out += '"';
}

/// "20251340090000": the moment's year and time with month 13 and day 40 (a bad record).
inline void put_impossible(std::string& out, Moment m) {
  const std::string good = format_compact(m);
  out += '"';
  out.append(good, 0, 4);
  out += "1340";
  out.append(good, 8);
  out += '"';
}

/// A status or channel code: a number, or a string for the systems that send codes as text.
inline void put_code(std::string& out, int v, bool as_string) {
  if (as_string) out += '"';
  out += std::to_string(v);
  if (as_string) out += '"';
}

/// Writes the members of one JSON object in order, a comma before each but the first.
/// Values given as `json` are JSON text already (the tables keep their strings quoted).
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_ += '{'; }
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;

  /// Starts a member and gives the text to write its value into.
  std::string& key(std::string_view name) {
    if (!first_) out_ += ',';
    first_ = false;
    put_key(out_, name);
    return out_;
  }
  void json(std::string_view name, std::string_view json) { key(name) += json; }
  void time(std::string_view name, Moment m) { put_time(key(name), m); }
  void code(std::string_view name, int v, bool as_string) { put_code(key(name), v, as_string); }
  void close() { out_ += '}'; }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace tthc::sim
