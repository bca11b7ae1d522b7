// The phase review from a report source, with the late-sync caveat read from the snapshots: a
// month's snapshot counted what the store held when it was written, so a dossier received in the
// month but first stored after that is one the snapshot could not count.
#include "reports/review.hpp"

#include "reports/snapshot.hpp"
#include "reports/source.hpp"
#include "store/store.hpp"

#include <chrono>

namespace tthc::reports {

namespace {

namespace fs = std::filesystem;

// When the month's results snapshot was written (Unix seconds): the store's state then is what
// the snapshot counted, whatever moment it was judged as of. None when there is none.
std::optional<std::int64_t> snapshot_written(const fs::path& dir, const Period& month) {
  std::error_code ec;
  const auto t = fs::last_write_time(snapshot_dir(dir, month) / "results.json", ec);
  if (ec) return std::nullopt;
  const auto sys = std::chrono::file_clock::to_sys(t);
  return std::chrono::duration_cast<std::chrono::seconds>(sys.time_since_epoch()).count();
}

std::optional<Error> add_late_syncs(ReviewReport& r, store::Reader& reader, const fs::path& dir) {
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return std::nullopt;
  r.caveats.snapshots_read = true;
  const Period first = year_period(r.span.first, r.start_day);
  const Period last = year_period(r.span.last, r.start_day);
  TTHC_TRY(const auto arrivals, reader.first_arrivals(first.start, last.end));
  for (int y = r.span.first; y <= r.span.last; ++y) {
    for (unsigned m = 1; m <= 12; ++m) {
      const Period month = period_of(y, m, r.start_day);
      const auto written = snapshot_written(dir, month);
      if (!written) continue;
      LateSyncMonth late{month.label(), from_unix(*written), 0};
      for (const store::FirstArrivals& a : arrivals) {
        if (a.day >= day_of(month.start) && a.day < day_of(month.end) &&
            a.arrived_unix > *written) {
          late.arrived_late += a.dossiers;
        }
      }
      if (late.arrived_late > 0) r.caveats.late_syncs.push_back(std::move(late));
    }
  }
  return std::nullopt;
}

}  // namespace

Result<ReviewReport> build_review(const ReportSource& source, const ReviewRequest& request,
                                  const std::string& snapshots_dir) {
  TTHC_TRY_VOID(check_request(request));
  std::error_code ec;
  if (!fs::exists(source.db, ec)) return Error{"no store at " + source.db.string()};
  TTHC_TRY(auto reader, store::Reader::open(source.db));
  TTHC_TRY(ReviewReport r,
           build_review(reader, *source.calendar, *source.catalogue, source.settings, request,
                        source.unit_register(), source.unit_options));
  TTHC_TRY_VOID(add_late_syncs(r, reader, snapshots_dir));
  return r;
}

}  // namespace tthc::reports
