// `tthc-monitor import FILE...`
#include "app/commands.hpp"

#include "app/cli_support.hpp"
#include "app/loading.hpp"
#include "base/clock.hpp"
#include "ingest/file_import.hpp"

#include <chrono>
#include <cstdio>
#include <map>
#include <ostream>
#include <sstream>

namespace tthc::app {

namespace {

// The store, its catalogue replaced by the configured one; nullopt (the error written) on
// failure.
std::optional<store::Writer> open_with_catalogue(const config::Settings& settings,
                                                 std::ostream& err) {
  auto rules = load_catalogue_for(settings, err, [&err](const std::string& warning) {
    err << "tthc-monitor: warning: " << warning << "\n";
  });
  if (!rules) return std::nullopt;
  auto writer = open_writer(settings.store, err);
  if (!writer) return std::nullopt;
  const std::vector<store::CatalogueRow> rows = catalogue_rows(*rules);
  if (auto n = writer->replace_catalogue(rows); !n) {
    fail_with(err, n.error());
    return std::nullopt;
  }
  return writer;
}

// "file [#####.....] 40% 12,000 records, 3,000/s", redrawn in place.
void draw_progress(std::ostream& err, const ingest::ImportProgress& p, double secs) {
  const auto rate =
      secs > 0 ? static_cast<std::uint64_t>(static_cast<double>(p.records) / secs) : 0;
  constexpr int kWidth = 30;
  const double frac = p.bytes_total > 0
                          ? static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total)
                          : 0.0;
  const int filled = static_cast<int>(frac * kWidth);
  err << "\r\033[K" << p.file << " [" << std::string(static_cast<std::size_t>(filled), '#')
      << std::string(static_cast<std::size_t>(kWidth - filled), '.') << "] "
      << static_cast<int>(frac * 100) << "% " << thousands(p.records) << " records, "
      << thousands(rate) << "/s" << std::flush;
}

void print_summary(std::ostream& out, const ingest::ImportSummary& summary, double secs) {
  const auto& c = summary.counts;
  char timing[64];
  std::snprintf(timing, sizeof timing, "%.2f s", secs);
  out << "imported " << summary.files << " file(s): " << thousands(summary.records)
      << " records in " << timing << " ("
      << thousands(
             static_cast<std::uint64_t>(secs > 0 ? static_cast<double>(summary.records) / secs : 0))
      << " records/s)\n"
      << "  new dossiers       " << thousands(c.new_dossiers) << "\n"
      << "  updated            " << thousands(c.updated) << "\n"
      << "  older snapshots    " << thousands(c.stale) << " (recorded, fields kept)\n"
      << "  unchanged          " << thousands(c.unchanged) << "\n"
      << "  rejected           " << thousands(summary.rejected) << "\n"
      << "  progress entries   " << thousands(c.progress_added) << " new, "
      << thousands(c.progress_known) << " already stored\n";
  if (summary.statistics > 0) {
    out << "  claimed statistics " << thousands(summary.statistics)
        << " (DongBoThongKeHoSo records kept)\n";
  }
}

// The procedure codes of imported dossiers that the catalogue lacks, the first ten of them.
void print_unknown_procedures(std::ostream& out, const std::filesystem::path& db) {
  auto reader = store::Reader::open(db);
  if (!reader) return;
  auto unknown = reader->unknown_procedures();
  if (!unknown || unknown->empty()) return;
  std::int64_t dossiers = 0;
  for (const auto& u : *unknown) dossiers += u.dossiers;
  out << "procedures missing from the catalogue: " << unknown->size() << " code(s), "
      << thousands(static_cast<std::uint64_t>(dossiers))
      << " dossier(s) judged by NgayHenTra only\n";
  for (std::size_t i = 0; i < unknown->size() && i < 10; ++i) {
    out << "  " << (*unknown)[i].code << "  "
        << thousands(static_cast<std::uint64_t>((*unknown)[i].dossiers)) << "  "
        << (*unknown)[i].name << "\n";
  }
}

// The unit codes of imported dossiers that the unit register lacks (the units they count under
// by [units] count_under), the first ten; nothing without a register.
void print_unknown_units(std::ostream& out, const config::Settings& settings) {
  std::ostringstream ignored;  // check-config and the reports name a missing or bad register
  const auto units = load_units_for(settings, ignored, [](const std::string&) {});
  if (!units || units->empty()) return;
  auto reader = store::Reader::open(settings.store.path);
  if (!reader) return;
  auto stored = reader->units();
  if (!stored) return;
  std::map<std::string, std::int64_t, std::less<>> unknown;
  std::int64_t dossiers = 0;
  for (const auto& u : *stored) {
    const std::string_view counted =
        units->counting_unit(u.unit_code, u.unit_name, settings.units.count_under);
    if (units->find(counted) != nullptr) continue;
    unknown[std::string(counted)] += u.dossiers;
    dossiers += u.dossiers;
  }
  if (unknown.empty()) return;
  out << "units missing from the unit register: " << unknown.size() << " code(s), "
      << thousands(static_cast<std::uint64_t>(dossiers))
      << " dossier(s) counted under their own code\n";
  std::size_t shown = 0;
  for (const auto& [code, n] : unknown) {
    if (++shown > 10) break;
    out << "  " << code << "  " << thousands(static_cast<std::uint64_t>(n)) << "\n";
  }
}

}  // namespace

int run_import(const SourceOptions& src, const ImportCommand& cmd, std::ostream& out,
               std::ostream& err) {
  auto settings = load_settings_for(src, cmd.db, err);
  if (!settings) return kExitFailure;
  auto writer = open_with_catalogue(*settings, err);
  if (!writer) return kExitFailure;

  const std::vector<std::filesystem::path> files(cmd.files.begin(), cmd.files.end());
  const Clock& clock = system_clock();
  const auto started = clock.steady();
  ingest::ImportOptions options;
  options.arrived_unix = clock.unix_seconds();
  std::size_t shown = 0;
  constexpr std::size_t kMaxShown = 20;
  ingest::ImportCallbacks callbacks;
  callbacks.rejected = [&](const std::string& file, const ingest::Rejection& r) {
    if (++shown > kMaxShown) return;
    if (cmd.progress_bar) err << "\r\033[K";
    err << file << ":" << r.index << ": " << (r.code.empty() ? "" : r.code + ": ") << r.reason
        << "\n";
  };
  if (cmd.progress_bar) {
    callbacks.progress = [&](const ingest::ImportProgress& p) {
      draw_progress(err, p, clock.seconds_since(started));
    };
  }
  auto summary = ingest::import_files(files, *writer, options, callbacks);
  if (cmd.progress_bar) err << "\r\033[K" << std::flush;
  if (!summary) return fail_with(err, summary.error());
  if (shown > kMaxShown) {
    err << "… and " << thousands(shown - kMaxShown) << " more rejected records\n";
  }
  print_summary(out, *summary, clock.seconds_since(started));
  print_unknown_procedures(out, settings->store.path);
  print_unknown_units(out, *settings);
  out << "database: " << settings->store.path.string() << "\n";
  return summary->rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace tthc::app
