#pragma once
// The live state: every stored dossier judged at the current moment, kept current as data
// arrives (update) and as time passes (advance), with the aggregates that the metrics and the
// one-stop office's work lists read.
//
// Time passing costs nothing per dossier: the engine says when judging a dossier again could
// give another result (Evaluation::next_change: its due-soon moment, its due, its current
// step's deadline); a dossier is re-judged then and at no other time. So a dossier becomes due
// soon or overdue at the right working moment with no new event, and a tick touches only the
// dossiers whose moment has come.
//
// Memory: a small Record for every dossier (the month figures can then be recounted when the
// month turns), and the timeline — without the texts judging does not read — of the dossiers
// still in process (or with facts dated in the future).
//
// Units: a dossier counts under the unit in force now (the unit register's successor of the
// unit it counts under, engine/units.hpp), so a unit that ended in the 2025 reorganisation
// shows under the unit that took it over; a code the (non-empty) register lacks is counted as
// its own unit and flagged (kFlagUnknownUnit). With no register every code is its own unit.
//
// Pure: no clock and no I/O; `now` is an argument. Not thread-safe: one owner (live::Monitor)
// or a lock around every call.

#include "calendar/working_calendar.hpp"
#include "domain/dossier.hpp"
#include "engine/catalogue.hpp"
#include "engine/evaluation.hpp"
#include "engine/period.hpp"
#include "engine/rules.hpp"
#include "engine/units.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tthc::live {

/// The store's dossier id: dense and stable, so records live in a vector.
using DossierId = std::int64_t;

/// Interned label values (unit codes, field codes, department names) as small dense ids.
/// Id 0 is the empty name.
class Names {
 public:
  Names();
  Names(const Names&) = delete;
  Names& operator=(const Names&) = delete;
  std::uint32_t id(std::string_view name);
  const std::string& name(std::uint32_t id) const { return names_[id]; }
  std::optional<std::uint32_t> find(std::string_view name) const;
  std::size_t size() const { return names_.size(); }

 private:
  std::deque<std::string> names_;  // a deque: the index's views stay valid as it grows
  std::unordered_map<std::string_view, std::uint32_t> index_;
};

/// A Record::flags bit of the live state's own, beside engine::Flag's (which use the low bits):
/// the unit the dossier counts under is not in the unit register (a non-empty one).
inline constexpr std::uint32_t kFlagUnknownUnit = 1U << 31;

/// What every figure needs of one dossier as judged now.
struct Record {
  engine::Judgement judgement;
  /// Names id of the unit the dossier counts under now: the receiving unit (MaHoSo prefix) or
  /// the resolving one (UnitCounting), shown as the unit in force (an ended unit's successor).
  std::uint32_t unit = 0;
  std::uint32_t field = 0;            ///< Names id of the field code
  std::uint32_t late_department = 0;  ///< department holding an overdue current step; 0: none
  std::uint32_t flags = 0;            ///< engine::Flag bits and kFlagUnknownUnit
  std::uint16_t extensions = 0;
  Channel channel = Channel::InPerson;
  Status status = Status::Registered;
  bool present = false;  ///< a stored dossier (ids of a vector may have gaps)
  bool at_risk = false;

  bool pending() const { return judgement.counted && !judgement.ended; }
};

/// Which unit a dossier's figures count under ([units] count_under) and the register that maps
/// ended units to their successors. No register (or an empty one): every code its own unit.
struct UnitCounting {
  const engine::UnitRegister* units = nullptr;  ///< must outlive the state
  engine::CountUnder under = engine::CountUnder::Resolving;
};

/// A unit code the register lacks, with the dossiers counted under it (no personal data).
struct UnknownUnit {
  std::string code;
  std::int64_t dossiers = 0;
  std::optional<Moment> first_received, last_received;  ///< NgayTiepNhan of the counted ones
};

class LiveState;

/// One change of one dossier's record, as observers see it.
struct Change {
  const LiveState& state;  ///< for the label names of the ids
  DossierId id = 0;
  const Record* before = nullptr;  ///< null the first time the dossier is judged
  const Record& after;
  const engine::Evaluation& evaluation;  ///< the judgement behind `after`
  const DossierTimeline& timeline;       ///< stripped of the texts judging does not read
  const engine::ProcedureRule* rule;     ///< null: procedure not in the catalogue
  /// When the dossier is judged again with no new data (the engine's next_change). An observer
  /// with moments of its own (an alert threshold) may bring it earlier.
  std::optional<Moment>& wake;

  void wake_at(Moment m) const {
    if (!wake || m < *wake) wake = m;
  }
};

/// Told of every change (metrics, alerts). Called on the state's owner thread, under its lock:
/// keep it short and never throw.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void changed(const Change& change) = 0;
  /// After a round of changes (a batch, a tick, the start-up load): the aggregates agree.
  virtual void settled(const LiveState& state) = 0;
};

/// The current month's figures of one unit, by the rules of the monthly reports.
struct MonthFigures {
  std::int64_t received = 0, carried_over = 0;
  std::int64_t resolved[3] = {0, 0, 0};  ///< by engine::Outcome
  std::int64_t pending = 0, pending_overdue = 0;
  std::int64_t handled_766 = 0, good_766 = 0;

  std::int64_t resolved_total() const { return resolved[0] + resolved[1] + resolved[2]; }
  MonthFigures& operator+=(const MonthFigures& o);
  /// (early + on time) / resolved; none when nothing was resolved.
  std::optional<double> on_time_rate() const;
  std::optional<double> rate_766() const;
};

/// The dossiers in process now, by state, as the metrics count them (tthc_dossiers_pending,
/// tthc_dossiers_at_risk, tthc_steps_overdue).
struct NowFigures {
  std::int64_t by_state[4] = {0, 0, 0, 0};  ///< by engine::PendingState
  std::int64_t at_risk = 0;
  std::int64_t overdue_steps = 0;  ///< current steps past their deadline

  std::int64_t in_process() const { return by_state[0] + by_state[1] + by_state[2] + by_state[3]; }
  std::int64_t state(engine::PendingState s) const { return by_state[static_cast<int>(s)]; }
  NowFigures& operator+=(const NowFigures& o);
};

/// A (unit id, second id) pair as one key: fields and departments of a unit.
inline std::uint64_t pair_key(std::uint32_t unit, std::uint32_t other) {
  return (std::uint64_t{unit} << 32) | other;
}
inline std::uint32_t pair_first(std::uint64_t key) {
  return static_cast<std::uint32_t>(key >> 32);
}
inline std::uint32_t pair_second(std::uint64_t key) {
  return static_cast<std::uint32_t>(key & 0xFFFFFFFFULL);
}

/// A pending dossier in a work list.
struct WorkItem {
  DossierId id = 0;
  std::string code;
  std::string procedure_code;
  std::uint32_t unit = 0, field = 0;
  engine::PendingState state = engine::PendingState::InTime;
  bool at_risk = false;
  std::optional<Moment> received, base_due, effective_due;
  std::optional<Duration> left;  ///< working time left at the listing moment; negative: late
  std::string department;        ///< holding the current step
};

struct ListFilter {
  /// Only the dossiers in this state; none: every state.
  std::optional<engine::PendingState> state;
  /// Only the dossiers whose current step is past its deadline (the list "at_risk").
  bool at_risk_only = false;
  /// With state due_soon: working time left at most this (lists for 1, 2, 3 working days).
  std::optional<Duration> within;
  std::string unit, field, department;  ///< exact codes / name; empty: any
};

struct ListPage {
  std::size_t total = 0;
  std::vector<WorkItem> items;  ///< most urgent first: by effective due, then code
};

class LiveState {
 public:
  LiveState(const engine::Catalogue& catalogue, const calendar::WorkingCalendar& calendar,
            engine::Settings settings, Moment now, UnitCounting units = {});
  LiveState(const LiveState&) = delete;
  LiveState& operator=(const LiveState&) = delete;

  void add_observer(Observer* observer) { observers_.push_back(observer); }

  /// A dossier's timeline as now stored: judged at `now`.
  void update(DossierId id, DossierTimeline timeline, Moment now);
  /// Re-judges the dossiers whose moment has come and turns the month over when it ends.
  /// Gives the number of dossiers judged again.
  std::size_t advance(Moment now);
  /// Re-judges every dossier whose timeline is held (benchmarks; a settings change).
  std::size_t reevaluate_all(Moment now);
  /// Tells the observers that a round of changes is complete.
  void settle();

  /// The earliest moment a held dossier must be judged again.
  std::optional<Moment> next_wakeup();
  Moment now() const { return now_; }

  const Record* record(DossierId id) const;
  std::size_t tracked() const { return tracked_; }
  std::size_t held() const { return held_.size(); }
  const Names& units() const { return units_; }
  const Names& fields() const { return fields_; }
  const Names& departments() const { return departments_; }
  /// The unit's name in the register; else DonViXuLy as last received, by unit id.
  const std::string& unit_name(std::uint32_t unit) const;
  /// The unit whose figures `code` is counted under now: an ended unit's successor (followed to
  /// the unit in force), else `code` itself (with no register, every code).
  std::string_view unit_in_force(std::string_view code) const;
  /// Dossiers counted under a unit code the register lacks (kFlagUnknownUnit).
  std::size_t unknown_unit_dossiers() const { return unknown_unit_dossiers_; }
  /// Those codes with their dossiers, by code; a pass over the records when there are any.
  std::vector<UnknownUnit> unknown_units() const;

  Moment month_start() const { return month_start_; }
  /// By unit id (index into units()); units with no dossier this month are all zero.
  const std::vector<MonthFigures>& month() const { return month_; }
  /// By pair_key(unit id, field id); only pairs with a dossier this month.
  const std::unordered_map<std::uint64_t, MonthFigures>& month_by_field() const {
    return month_by_field_;
  }
  /// Received and resolved (by outcome) in each of `count` calendar months from the month of
  /// `first` on, over every dossier as judged now (a late sync counts where it belongs). Only
  /// `received` and `resolved` are filled. One pass over the records.
  std::vector<MonthFigures> calendar_months(Moment first, int count) const;
  /// In process now, by unit id (index into units()).
  const std::vector<NowFigures>& now_by_unit() const { return now_by_unit_; }
  /// In process now, by pair_key(unit id, field id).
  const std::unordered_map<std::uint64_t, NowFigures>& now_by_field() const {
    return now_by_field_;
  }
  /// Open steps past their deadline now, by pair_key(unit id, department id); zeros kept.
  const std::unordered_map<std::uint64_t, std::int64_t>& overdue_steps() const {
    return overdue_steps_;
  }
  /// Grows with every judgement and month turn: a reader that saw the same version saw the
  /// same figures (the board polls it).
  std::uint64_t version() const { return version_; }

  ListPage list(const ListFilter& filter, Moment now, std::size_t offset, std::size_t limit) const;

  const calendar::WorkingCalendar& calendar() const { return calendar_; }
  const engine::Settings& settings() const { return settings_; }

 private:
  struct Held {
    DossierTimeline timeline;
    const engine::ProcedureRule* rule = nullptr;
    std::optional<Moment> next_change;
    std::optional<Moment> base_due, effective_due;
    std::optional<Duration> left;
    bool paused_now = false;
    std::uint32_t department = 0;  ///< holding the current step
  };
  using Scheduled = std::pair<Moment, DossierId>;
  /// A dossier in process as the work lists filter and order it: one small entry per dossier
  /// in a dense array, so a list scans contiguous memory, not the held timelines.
  struct Pending {
    std::int64_t due;  ///< the effective due's seconds; INT64_MAX: none
    DossierId id;
    const Held* held;  ///< stable: held_ is node-based, and the entry goes when it does
    std::uint32_t unit, field, department;
    engine::PendingState state;
    bool at_risk;
  };

  /// The unit a dossier counts under (a Names id in units_) and whether the register lacks it.
  struct CountingUnit {
    std::uint32_t unit = 0;
    bool unknown = false;
    bool named = false;  ///< the register names the unit (DonViXuLy does not)
  };
  CountingUnit counting_unit(const Dossier& d);
  /// A judged dossier's unit, for judging it again (its DonViXuLy is not held).
  CountingUnit counted_as(DossierId id) const;
  void judge(DossierId id, DossierTimeline& timeline, const engine::ProcedureRule* rule,
             CountingUnit unit, Moment now, bool hold);
  /// The record of the dossier just evaluated into eval_; sets the current step's department.
  Record record_of(const DossierTimeline& timeline, const engine::ProcedureRule* rule,
                   CountingUnit unit, std::uint32_t& current_department);
  /// Wakes the dossier at `at`, dropping superseded entries when they pile up.
  void schedule(Moment at, DossierId id);
  void count_month(const Record& r, int sign);
  void count_now(const Record& r, int sign);
  void list_pending(DossierId id, const Held& h, const Record& r);
  void unlist(DossierId id);
  void turn_month(Moment now);

  const engine::Catalogue& catalogue_;
  const calendar::WorkingCalendar& calendar_;
  engine::Settings settings_;
  UnitCounting counting_;
  Moment now_{};
  Moment month_start_{}, next_month_start_{};

  std::vector<Record> records_;
  std::size_t tracked_ = 0;
  std::unordered_map<DossierId, Held> held_;
  std::vector<Pending> pending_;
  std::unordered_map<DossierId, std::size_t> pending_at_;  ///< index into pending_
  std::priority_queue<Scheduled, std::vector<Scheduled>, std::greater<>> schedule_;
  Names units_, fields_, departments_;
  std::vector<std::string> unit_names_;
  /// The codes dossiers count under before the register's mapping (few: the units' codes) and,
  /// by their id, the unit each is shown under. With successors the mapping does not depend on
  /// the day, so it is made once per code.
  Names counting_codes_;
  std::vector<CountingUnit> shown_;
  std::size_t unknown_unit_dossiers_ = 0;
  std::vector<MonthFigures> month_;
  std::unordered_map<std::uint64_t, MonthFigures> month_by_field_;
  std::vector<NowFigures> now_by_unit_;
  std::unordered_map<std::uint64_t, NowFigures> now_by_field_;
  std::unordered_map<std::uint64_t, std::int64_t> overdue_steps_;
  std::uint64_t version_ = 0;
  std::vector<Observer*> observers_;
  engine::Evaluation eval_;  // reused: judging allocates nothing once warm
};

}  // namespace tthc::live
