#pragma once
// A simulated province: the one-stop (một cửa) electronic system of a few receiving units, as
// the monitor sees it through the MC sync records it re-sends at every change of a dossier.
//
// Pure: no I/O, no clock. Everything follows from the options' seed, the working calendar and
// the procedure catalogue: the same inputs give byte-identical deliveries. Each day's dossiers
// are drawn from (seed, day) alone, so a day looks the same whatever span it is generated in.
//
// What a dossier goes through (domain.md §2–5): online ones are first submitted (status 1,
// NgayNopHoSo); receipt (status 2) at the desk during a working session, busier in the morning;
// then InProcess (4) steps through the departments, each with NgayBatDau and its deadline
// NgayKetThucTheoQuyDinh = step start + the step's share of the limit; then 9 (finished) and 10
// (returned). Along the way: supplementation rounds (5 and DanhSachHoSoBoSung, NgayHenTra moved
// to NgayHenTraMoi), fee waits (6 then 4 again, NgayHenTra kept), withdrawals (7), stops (8),
// extensions (a later NgayHenTra outside any round), and late dossiers whose delay sits in a few
// departments. Deliveries add duplicates, out-of-order (delayed) snapshots and bad records.

#include "calendar/working_calendar.hpp"
#include "domain/time.hpp"
#include "engine/catalogue.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::sim {

struct ProvinceOptions {
  /// Seeds every random draw: the same seed gives the same province, byte for byte.
  std::uint64_t seed = 1;
  /// Mean dossiers received per working day, over all units (a Monday gets a little more, a
  /// Friday or a make-up Saturday a little less). Off days get none.
  double dossiers_per_working_day = 120;
  /// Share of dossiers that finish after their due: one step of theirs overruns its step
  /// deadline by more than the dossier's whole slack.
  double late_share = 0.12;
  /// How many processing departments carry the delay of late dossiers (0–5): 90 % of late
  /// dossiers are late in one of them, the rest anywhere (see Province::late_departments()).
  int late_departments = 2;
  /// Share of deliveries preceded by a corrupted copy of the same record (an impossible date,
  /// status 11, no MaHoSo, invalid UTF-8, a progress entry without time, channel 4) that a
  /// parser must reject: a botched send, then the good one.
  double bad_record_share = 0.002;
  /// Share of deliveries sent twice: the same snapshot again, before the dossier's next change.
  double duplicate_share = 0.05;
  /// Share of deliveries held up until after the dossier's next delivery (an older snapshot
  /// arriving after a newer one).
  double out_of_order_share = 0.02;
  /// Share of dossiers asked for a supplement exactly once (status 5, a DanhSachHoSoBoSung
  /// round, NgayHenTra moved to its NgayHenTraMoi when the supplement arrives)...
  double supplement_share = 0.10;
  /// ... and of dossiers asked twice.
  double supplement_twice_share = 0.02;
  /// Share of dossiers that wait for a fee or tax payment (status 6, then 4 again).
  double fee_share = 0.06;
  /// Share of dossiers withdrawn by the applicant (status 7) and stopped (status 8).
  double withdrawn_share = 0.01;
  double stopped_share = 0.01;
  /// Share of dossiers whose NgayHenTra is later moved by an apology and extension letter.
  double extension_share = 0.02;
  /// Share of dossiers whose NgayHenTra was computed by a one-stop system that ignores the
  /// holiday table (weekends only): it differs from the computed due only when a day off falls
  /// inside the dossier's span — a data-quality mismatch the monitor counts.
  double holiday_ignored_share = 0.03;
  /// Share of the new communes' dossiers received at one commune's desk and resolved by another
  /// (receipt regardless of administrative boundary within the province, from 1 July 2025):
  /// MaHoSo carries the receiving commune's code, DonViXuLy the resolving commune's name.
  double cross_desk_share = 0.15;
};

/// The day the two-level local government took effect (districts abolished, communes and
/// provinces merged): units before it end the day before, their successors start on it.
inline constexpr Date kReorganisation = Date{std::chrono::year{2025} / std::chrono::July / 1};

/// A unit of the simulated province as config/units.csv lists it (the file must agree: a test
/// checks it). Receiving agencies: their code is the MaHoSo prefix.
struct Unit {
  std::string code;   ///< e.g. 000.00.12.H42
  std::string name;   ///< DonViXuLy, e.g. "Sở Khoa học và Công nghệ"
  std::string level;  ///< units.csv's level: department, service_centre, district, commune
  std::string parent;
  std::optional<Date> valid_from;       ///< in force from this day; none: since before the data
  std::optional<Date> valid_until;      ///< no longer in force from this day (exclusive)
  std::vector<std::string> successors;  ///< of an ended unit; the first takes its figures
  bool in_force(Date day) const {
    return (!valid_from || *valid_from <= day) && (!valid_until || day < *valid_until);
  }
};

/// Why a bad record is bad.
enum class Defect : std::uint8_t {
  None,
  ImpossibleDate,       ///< NgayTiepNhan "20251340…" (month 13, day 40)
  StatusOutOfRange,     ///< TrangThaiHoSo 11
  MissingCode,          ///< no MaHoSo
  InvalidUtf8,          ///< raw invalid UTF-8 bytes inside TenTTHC
  MissingProgressTime,  ///< QuaTrinhXuLy[0].ThoiDiemXuLy empty
  ChannelOutOfRange,    ///< KenhThucHien 4
};
std::string_view to_string(Defect d);

enum class DeliveryKind : std::uint8_t {
  Change,     ///< the snapshot made by a change of the dossier, sent when it happened
  Duplicate,  ///< the same snapshot sent again (byte-identical)
  Delayed,    ///< a snapshot held up until after the dossier's next delivery: out of order
  Bad,        ///< a corrupted copy of a snapshot, sent just before the good one
};
std::string_view to_string(DeliveryKind k);

/// One sync of a dossier: the whole DongBoHoSoMC record, QuaTrinhXuLy embedded, times as
/// yyyyMMddHHmmss, as the one-stop system sends it at `at`.
struct Delivery {
  Moment at;
  std::string code;         ///< MaHoSo (also for a bad record whose defect removed it)
  std::string record_json;  ///< one JSON object, no newline
  bool bad = false;
  DeliveryKind kind = DeliveryKind::Change;
  Defect defect = Defect::None;
  /// Which snapshot of the dossier's life: 0 is the first; a higher one always holds more.
  int revision = 0;
};

/// Internal: one dossier's whole life, immutable once planned.
struct DossierLife;
/// Internal: names and codes shared by every dossier of a province.
struct Tables;
/// Internal: the simulator's random stream (sim/random.hpp).
class Rng;

/// A delivery before its record is rendered: a few words, cheap to keep by the thousand (the
/// poll server's change log holds these). Immutable; safe to share and render from any thread.
class ScheduledDelivery {
 public:
  Moment at() const { return at_; }
  const std::string& code() const;
  DeliveryKind kind() const { return kind_; }
  Defect defect() const { return defect_; }
  bool bad() const { return defect_ != Defect::None; }
  int revision() const { return revision_; }

  Delivery render() const;
  /// Appends the record; without `embed_progress`, QuaTrinhXuLy is left out.
  void append_record(std::string& out, bool embed_progress = true) const;
  /// Appends the snapshot's progress entries as a JSON array (CapNhatTienDoHoSoMC shape, each
  /// with its MaHoSo); "[]" when none.
  void append_progress(std::string& out) const;

 private:
  friend class DeliveryStream;
  std::shared_ptr<const DossierLife> life_;
  Moment at_{};
  DeliveryKind kind_ = DeliveryKind::Change;
  Defect defect_ = Defect::None;
  int revision_ = 0;
};

/// The province: units, departments, handlers, procedures, and which departments run late.
/// The units are those in force on each receipt day (an illustrative merged Ninh Bình, as in
/// config/units.csv). Before 1 July 2025: the department 000.00.12.H42, its counterparts of the
/// former Hà Nam (H23) and Nam Định (H39), the province service centre (which sends 30 % of its
/// MaTTHC in the province-local form `1.004227.000.00.00.H42`), two districts and four of their
/// communes. From it: the department, the service centre and eight new communes and wards,
/// 15 % of whose dossiers (cross_desk_share) another commune resolves. Districts and communes
/// send status and channel codes as strings and handle every other field of the catalogue. Six
/// departments; three handlers each. MaHoSo = `<receiving unit>-<yyMMdd of receipt>-<sequence
/// of the unit that day, 4 digits or more>`; a dossier keeps it after its unit has ended.
///
/// Immutable after construction; safe to share between threads. Keeps a reference to the
/// calendar (which must outlive it and every stream made from it); copies the catalogue.
class Province {
 public:
  Province(const calendar::WorkingCalendar& calendar, const engine::Catalogue& catalogue,
           ProvinceOptions options);

  const ProvinceOptions& options() const { return options_; }
  const calendar::WorkingCalendar& calendar() const { return calendar_; }
  /// Every unit that receives or resolves dossiers, ended ones included.
  const std::vector<Unit>& units() const;
  /// The units in force on `day`.
  std::vector<Unit> units_on(Date day) const;
  /// PhongBanXuLy values; the first is the desk (Bộ phận Một cửa).
  const std::vector<std::string>& departments() const;
  /// The departments where late dossiers are late (options.late_departments of them).
  std::vector<std::string> late_departments() const;

  /// Every delivery of the dossiers received in [from, to), in delivery order (time, then the
  /// order they were made), including those after `to` as their workflows finish. With a
  /// `horizon`, deliveries at or after it are left out: the system as seen just before it
  /// (dossiers still in process stay so). An online dossier's first delivery (status 1) may
  /// come before `from`. Memory holds only the dossiers in flight, not the span.
  void generate(Moment from, Moment to, const std::function<void(const Delivery&)>& sink,
                std::optional<Moment> horizon = std::nullopt) const;

 private:
  friend class DeliveryStream;
  const calendar::WorkingCalendar& calendar_;
  ProvinceOptions options_;
  std::shared_ptr<const Tables> tables_;
};

/// Counts of what a stream has emitted so far.
struct StreamStats {
  std::uint64_t dossiers = 0;    ///< dossiers planned (received in the span)
  std::uint64_t deliveries = 0;  ///< every delivery emitted, bad ones included
  std::uint64_t duplicates = 0;
  std::uint64_t delayed = 0;  ///< out of order
  std::uint64_t bad = 0;
};

/// The deliveries of a province as time goes by: dossiers received from `from` (until `to`,
/// or for ever), planned arrival day by arrival day, their deliveries queued until emitted.
/// Memory: the dossiers in flight. Not thread-safe: one thread advances it.
class DeliveryStream {
 public:
  /// `province` must outlive the stream.
  DeliveryStream(const Province& province, Moment from, std::optional<Moment> to = std::nullopt);

  /// Emits, in order, every delivery at or before `until` not emitted yet.
  void advance(Moment until, const std::function<void(const ScheduledDelivery&)>& sink);
  /// True when a bounded stream has emitted everything.
  bool finished() const;
  const StreamStats& stats() const { return stats_; }

 private:
  struct Queued {
    ScheduledDelivery delivery;
    std::uint64_t order = 0;
  };
  struct QueuedLater {
    bool operator()(const Queued& a, const Queued& b) const;
  };
  void plan_day(Date day);
  void queue_deliveries(std::shared_ptr<const DossierLife> life, Rng& rng);
  void queue(const std::shared_ptr<const DossierLife>& life, Moment at, DeliveryKind kind,
             Defect defect, std::size_t revision);

  const Province& province_;
  Moment from_;
  std::optional<Moment> to_;
  Date next_day_;
  Date last_day_;  ///< the last day to plan (inclusive)
  std::uint64_t order_ = 0;
  std::priority_queue<Queued, std::vector<Queued>, QueuedLater> pending_;
  StreamStats stats_;
};

/// Maps real time to simulated time for the accelerated mode. `speed` is simulated seconds per
/// real second. In working-time mode (the default) simulated time advances in working time,
/// skipping nights and days off at once: speed 480 is one working day (8 h) per real minute.
/// In wall-time mode it advances evenly: speed 480 is 8 h per minute, nights included.
class SimulatedClock {
 public:
  enum class Mode : std::uint8_t { WorkingTime, WallTime };
  SimulatedClock(const calendar::WorkingCalendar& calendar, Moment start, double speed,
                 Mode mode = Mode::WorkingTime);
  /// The simulated moment after `real_elapsed` since the start.
  Moment at(std::chrono::nanoseconds real_elapsed) const;
  Moment start() const { return start_; }

 private:
  const calendar::WorkingCalendar& calendar_;
  Moment start_;
  double speed_;
  Mode mode_;
};

}  // namespace tthc::sim
