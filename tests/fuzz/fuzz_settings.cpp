// The settings file (src/config/settings): any TOML text is accepted or refused with a message;
// accepted settings hold only validated values.

#include "config/settings.hpp"
#include "fuzz/fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

using namespace tthc;

// Secrets may be read from files. Relative paths resolve under a folder that does not exist,
// so nothing is read; an absolute path could name a device (/dev/zero never ends), so inputs
// that may hold one in a *_file setting are skipped: any escape (a key or a value may be
// spelt with them), or a string that starts with '/' or is multi-line.
bool may_read_a_device(std::string_view text) {
  if (text.find('\\') != std::string_view::npos) return true;
  if (text.find("file") == std::string_view::npos) return false;
  for (const std::string_view risky : {"\"/", "'/", "\"\"\"", "'''"}) {
    if (text.find(risky) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::text_of(data, size);
  if (may_read_a_device(text)) return 0;
  const auto settings = config::parse_settings(text, "fuzz.toml", "/nonexistent-fuzz-base");
  if (fuzz::refused(settings, "fuzz.toml")) return 0;
  const config::Settings& s = *settings;
  FUZZ_CHECK(calendar::validate_working_hours(s.calendar.hours));
  FUZZ_CHECK(s.engine.due_soon > Duration::zero());
  FUZZ_CHECK(s.http.server.body_limit > 0);
  FUZZ_CHECK(s.metrics.on_time_target > 0 && s.metrics.on_time_target <= 1);
  FUZZ_CHECK(s.metrics.reduced_ratio > 0 && s.metrics.reduced_ratio <= 1);
  FUZZ_CHECK(s.alerts.rules.due_soon > Duration::zero());
  for (const auto& [procedure, due_soon] : s.alerts.rules.due_soon_by_procedure) {
    FUZZ_CHECK(!procedure.empty() && due_soon > Duration::zero());
  }
  for (const auto& hook : s.alerts.delivery.webhooks) {
    FUZZ_CHECK(hook.max_attempts >= 1 && hook.max_attempts <= 1000);
    FUZZ_CHECK(!hook.secret || !hook.secret->empty());
  }
  FUZZ_CHECK(s.poller.options.page_size >= 1 && s.poller.options.interval.count() > 0);
  FUZZ_CHECK(s.reports.hour >= 0 && s.reports.hour <= 23);
  FUZZ_CHECK(s.reports.period_start_day >= 1 && s.reports.period_start_day <= 28);
  FUZZ_CHECK(!s.webhook.secret || !s.webhook.secret->empty());
  FUZZ_CHECK(!s.http.read_token || !s.http.read_token->empty());
  return 0;
}
