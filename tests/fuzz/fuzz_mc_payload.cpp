// The MC payload parser (src/ingest/mc_payload) and the statistics record reader: whole
// envelopes, bare arrays, JSON Lines lines and poll pages. Checked: every record is either
// accepted or rejected; what is accepted obeys the limits (valid UTF-8, codes without control
// characters, lengths, years in range, progress sorted); parsing is deterministic, and the
// same JSON written without whitespace gives the same records and fingerprints.

#include "domain/codes.hpp"
#include "domain/text.hpp"
#include "fuzz/fuzz_check.hpp"
#include "ingest/claimed_stats.hpp"
#include "ingest/mc_payload.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace {

using namespace tthc;
using namespace tthc::ingest;

// A small limit for list items, so the fuzzer reaches the "too many items" branch too.
const Limits kLimits{.max_code_bytes = 128,
                     .max_text_bytes = 4096,
                     .max_list_items = 8,
                     .min_year = 2000,
                     .max_year = 2100};

void check_code(std::string_view code, bool required) {
  FUZZ_CHECK(!required || !code.empty());
  FUZZ_CHECK(code.size() <= kLimits.max_code_bytes);
  FUZZ_CHECK(is_valid_utf8(code));
  FUZZ_CHECK(std::none_of(code.begin(), code.end(),
                          [](char c) { return static_cast<unsigned char>(c) < 0x20; }));
  FUZZ_CHECK(code.empty() || (code.front() != ' ' && code.back() != ' '));
}

void check_text(std::string_view text) {
  FUZZ_CHECK(text.size() <= kLimits.max_text_bytes);
  FUZZ_CHECK(is_valid_utf8(text));
}

void check_moment(const std::optional<Moment>& m) {
  if (!m) return;
  const int year = static_cast<int>(std::chrono::year_month_day{day_of(*m)}.year());
  FUZZ_CHECK(year >= kLimits.min_year && year <= kLimits.max_year);
}

void check_entry(const ProgressEntry& e) {
  check_moment(e.at);
  check_moment(e.step_start);
  check_moment(e.step_deadline);
  FUZZ_CHECK(e.status != Status::Unknown);
  check_text(e.department);
  check_text(e.handler);
  check_text(e.handler_title);
  check_text(e.action);
}

void check_dossier(const DossierSnapshot& s) {
  const Dossier& d = s.dossier;
  check_code(d.code, true);
  check_code(d.procedure_code, false);
  check_code(d.field_code, false);
  check_text(d.procedure_name);
  check_text(d.field_name);
  check_text(d.unit_name);
  for (const auto& m : {d.submitted, d.received, d.promised_due, d.processing_end, d.returned}) {
    check_moment(m);
  }
  FUZZ_CHECK(d.rounds.size() <= kLimits.max_list_items);
  FUZZ_CHECK(s.progress.size() <= kLimits.max_list_items);
  for (const ProgressEntry& e : s.progress) check_entry(e);
  FUZZ_CHECK(std::is_sorted(s.progress.begin(), s.progress.end(), progress_before));
  // `raw` is stored as a JSON object: it holds only text the intake would accept.
  boost::system::error_code ec;
  const boost::json::value raw = boost::json::parse(s.raw, ec);  // strict: UTF-8 checked
  FUZZ_CHECK(!ec && raw.is_object());
}

void check_batch(const Batch& b) {
  FUZZ_CHECK(b.dossiers.size() + b.progress.size() + b.statistics.size() + b.rejected.size() ==
             b.records);
  for (const DossierSnapshot& s : b.dossiers) check_dossier(s);
  for (const ProgressUpdate& u : b.progress) {
    check_code(u.dossier_code, true);
    check_entry(u.entry);
  }
  for (const Rejection& r : b.rejected) {
    FUZZ_CHECK(!r.reason.empty());
    FUZZ_CHECK(is_valid_utf8(r.reason));
    FUZZ_CHECK(is_valid_utf8(r.code));
  }
  check_code(b.sender, false);
}

bool same_batch(const Batch& a, const Batch& b) {
  if (a.records != b.records || a.dossiers.size() != b.dossiers.size() ||
      a.progress.size() != b.progress.size() || a.statistics != b.statistics ||
      a.rejected.size() != b.rejected.size() || a.sender != b.sender) {
    return false;
  }
  for (std::size_t i = 0; i < a.dossiers.size(); ++i) {
    if (a.dossiers[i].content_hash != b.dossiers[i].content_hash ||
        a.dossiers[i].raw != b.dossiers[i].raw) {
      return false;
    }
  }
  return true;
}

// The body as Boost.JSON writes it back (compact, escapes normalised), when it is JSON.
std::optional<std::string> rewritten(std::string_view text) {
  boost::json::parse_options options;
  options.max_depth = 16;
  options.allow_invalid_utf8 = true;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(text, ec, {}, options);
  if (ec) return std::nullopt;
  std::string out = boost::json::serialize(v);
  // Boost.JSON reads a number beyond a double as infinity and writes `Infinity`, not JSON; and
  // it writes a double with fewer digits than it may need (4444…445 with 106 digits comes back
  // another number): only a rewriting that reads back as the same values is the same JSON.
  const boost::json::value back = boost::json::parse(out, ec, {}, options);
  if (ec || back != v) return std::nullopt;
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::text_of(data, size);

  auto envelope = parse_envelope(text, kLimits);
  if (envelope) {
    check_batch(*envelope);
    auto again = parse_envelope(text, kLimits);
    FUZZ_CHECK(again && same_batch(*envelope, *again));
  } else {
    FUZZ_CHECK(is_valid_utf8(envelope.error().message));
  }
  if (const auto compact = rewritten(text)) {
    auto same_json = parse_envelope(*compact, kLimits);
    FUZZ_CHECK(same_json.has_value() == envelope.has_value());
    if (envelope) FUZZ_CHECK(same_batch(*envelope, *same_json));
  }
  // The same body as a bare array of progress entries (the webhook's ?service=).
  if (auto progress = parse_envelope(text, kLimits, "CapNhatTienDoHoSoMC")) check_batch(*progress);

  auto line = parse_line(text, 7, kLimits);
  if (line) {
    check_batch(*line);
    for (const Rejection& r : line->rejected) FUZZ_CHECK(r.index == 7);
  }

  auto page = parse_page(text, PageShape{}, RecordKind::Dossier, kLimits);
  if (page) check_batch(page->batch);

  auto stats = parse_claimed_stats(text);
  if (stats) {
    FUZZ_CHECK(stats->month >= 1 && stats->month <= 12);
    FUZZ_CHECK(is_unit_code(stats->unit));
    FUZZ_CHECK(is_valid_utf8(stats->kind) && is_valid_utf8(stats->unit_name) &&
               is_valid_utf8(stats->note));
    if (stats->figures.on_time_rate) {
      FUZZ_CHECK(*stats->figures.on_time_rate >= 0.0 && *stats->figures.on_time_rate <= 1.0);
    }
  }
  return 0;
}
