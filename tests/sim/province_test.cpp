// The simulated province against the properties the monitor's tests, demos and benchmarks rely
// on, checked on the generated records themselves: parsed with the monitor's own parser and
// judged with its own engine on the official calendar.
#include "sim/province.hpp"

#include "engine/evaluate.hpp"
#include "ingest/mc_payload.hpp"
#include "support/calendar.hpp"
#include "support/catalogue.hpp"
#include "support/moments.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace tthc::sim {
namespace {

using test::at;
using test::sample_catalogue;

std::vector<Delivery> generate(const ProvinceOptions& options, Moment from, Moment to,
                               std::optional<Moment> horizon = std::nullopt) {
  const Province province(test::official_calendar(), sample_catalogue(), options);
  std::vector<Delivery> out;
  province.generate(
      from, to, [&](const Delivery& d) { out.push_back(d); }, horizon);
  return out;
}

std::uint64_t fingerprint(const std::vector<Delivery>& deliveries) {
  std::uint64_t h = 0;
  for (const Delivery& d : deliveries) {
    h = content_hash(d.record_json, h) ^
        static_cast<std::uint64_t>(d.at.time_since_epoch().count());
  }
  return h;
}

void expect_same_deliveries(const std::vector<Delivery>& a, const std::vector<Delivery>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].record_json, b[i].record_json) << i;
    ASSERT_EQ(a[i].at, b[i].at) << i;
  }
}

// --- what one run of a few months shows --------------------------------------------------------

struct Facts {
  std::size_t deliveries = 0;
  std::size_t bad = 0;
  std::size_t bad_accepted = 0;
  std::vector<std::string> good_rejected;  // "code: reason"
  std::set<Defect> defects;
  bool in_order = true;

  std::size_t dossiers = 0;
  std::size_t receipts_off_hours = 0;
  std::size_t receipts_outside_span = 0;
  std::size_t morning = 0;
  std::size_t afternoon = 0;
  std::set<Channel> channels;
  std::set<int> statuses;
  std::size_t bad_codes = 0;  // MaHoSo not <unit>-<yyMMdd of receipt>-<4 digits>
  std::size_t twice_supplemented = 0;
  std::size_t supplemented = 0;

  std::size_t changes = 0;       // first deliveries of a revision
  std::size_t duplicates = 0;    // byte-identical to an earlier delivery of the dossier
  std::size_t out_of_order = 0;  // an older revision after a newer one
  std::size_t revision_content_disagreements = 0;

  // The engine's judgement of each dossier's final state.
  std::size_t ended = 0;
  std::size_t overdue = 0;
  std::size_t extended = 0;
  std::size_t mismatched = 0;
  std::size_t overdue_steps = 0;
  std::size_t overdue_steps_in_late_departments = 0;
  std::size_t deadlines_beyond_due = 0;  // step deadlines past the effective due, on-time dossiers
  std::size_t on_time_with_deadlines = 0;
};

struct Tracked {
  DossierTimeline timeline;
  int revision = -1;  // of the snapshot in `timeline.dossier`
  int max_revision = -1;
  bool receipt_checked = false;
  std::size_t max_entries = 0;
  std::map<int, std::optional<Moment>> due_by_revision;
  std::unordered_set<std::uint64_t> seen;
};

Facts survey(const Province& province, Moment from, Moment to) {
  Facts f;
  const auto& cal = province.calendar();
  const auto late = province.late_departments();
  std::unordered_map<std::string, Tracked> dossiers;
  Moment previous{};
  std::size_t line = 0;
  province.generate(from, to, [&](const Delivery& d) {
    ++f.deliveries;
    ++line;
    if (d.at < previous) f.in_order = false;
    previous = d.at;
    auto parsed = ingest::parse_line(d.record_json, line);
    const bool accepted = parsed && parsed->dossiers.size() == 1 && parsed->rejected.empty();
    if (d.bad) {
      ++f.bad;
      f.defects.insert(d.defect);
      if (accepted) ++f.bad_accepted;
      return;
    }
    if (!accepted) {
      f.good_rejected.push_back(d.code + ": " +
                                (parsed ? (parsed->rejected.empty() ? std::string("no record")
                                                                    : parsed->rejected[0].reason)
                                        : parsed.error().message));
      return;
    }
    DossierSnapshot& snap = parsed->dossiers[0];
    Tracked& t = dossiers[d.code];
    const std::uint64_t hash = content_hash(d.record_json);
    if (!t.seen.insert(hash).second) {
      ++f.duplicates;
    } else {
      ++f.changes;
    }
    if (d.revision < t.max_revision) ++f.out_of_order;
    // A later revision holds at least as much: the generator's numbering agrees with the content.
    if ((d.revision > t.max_revision && snap.progress.size() < t.max_entries) ||
        (d.revision < t.max_revision && snap.progress.size() > t.max_entries)) {
      ++f.revision_content_disagreements;
    }
    t.max_entries = std::max(t.max_entries, snap.progress.size());
    t.due_by_revision[d.revision] = snap.dossier.promised_due;
    f.statuses.insert(status_code(snap.dossier.status));
    if (!t.receipt_checked && snap.dossier.received) {
      t.receipt_checked = true;
      // The dossier's receipt, checked once.
      const Moment r = *snap.dossier.received;
      if (!cal.is_working_day(day_of(r)) || !cal.is_working_moment(r)) ++f.receipts_off_hours;
      if (r < from || r >= to) ++f.receipts_outside_span;
      (time_of_day(r) < std::chrono::hours{12} ? f.morning : f.afternoon) += 1;
      f.channels.insert(snap.dossier.channel);
      char date[32];
      const std::chrono::year_month_day ymd{day_of(r)};
      std::snprintf(date, sizeof date, "%02d%02u%02u", static_cast<int>(ymd.year()) % 100,
                    static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
      const std::string& code = snap.dossier.code;
      const auto dash = code.find('-');
      bool ok = dash != std::string::npos && code.size() == dash + 12 &&
                code.substr(dash + 1, 7) == std::string(date) + "-";
      for (std::size_t i = dash + 8; ok && i < code.size(); ++i) {
        ok = code[i] >= '0' && code[i] <= '9';
      }
      bool known_unit = false;  // and in force on the receipt day
      for (const auto& u : province.units_on(day_of(r))) {
        known_unit |= code.substr(0, dash) == u.code;
      }
      if (!ok || !known_unit) ++f.bad_codes;
    }
    if (d.revision > t.revision) {
      t.timeline.dossier = std::move(snap.dossier);
      t.timeline.progress = std::move(snap.progress);
      t.revision = d.revision;
    }
    t.max_revision = std::max(t.max_revision, d.revision);
  });

  const engine::Settings settings;
  const Moment far = at(2099, 1, 1);
  for (auto& [code, t] : dossiers) {
    ++f.dossiers;
    DossierTimeline& tl = t.timeline;
    for (const auto& [rev, due] : t.due_by_revision) {
      if (due && (tl.due_history.empty() || tl.due_history.back() != *due)) {
        tl.due_history.push_back(*due);
      }
    }
    if (tl.dossier.rounds.size() >= 1) ++f.supplemented;
    if (tl.dossier.rounds.size() >= 2) ++f.twice_supplemented;
    sort_progress(tl.progress);
    const auto e = engine::evaluate(tl, sample_catalogue().find(tl.dossier.procedure_code), cal,
                                    settings, far);
    if (e.has(engine::kFlagExtended)) ++f.extended;
    if (e.has(engine::kFlagDueMismatch)) ++f.mismatched;
    bool step_overdue = false;
    for (const auto& s : e.steps) {
      if (!s.overdue) continue;
      step_overdue = true;
      ++f.overdue_steps;
      const auto& dept = tl.progress[s.entry].department;
      if (std::find(late.begin(), late.end(), dept) != late.end()) {
        ++f.overdue_steps_in_late_departments;
      }
    }
    if (!e.ended || !e.outcome) continue;
    ++f.ended;
    if (*e.outcome == engine::Outcome::Overdue) ++f.overdue;
    if (*e.outcome != engine::Outcome::Overdue && !step_overdue && e.effective_due &&
        !e.has(engine::kFlagDueMismatch)) {
      ++f.on_time_with_deadlines;
      for (const auto& s : e.steps) {
        if (s.deadline && *s.deadline > *e.effective_due) {
          ++f.deadlines_beyond_due;
          break;
        }
      }
    }
  }
  return f;
}

class FourMonths : public ::testing::Test {
 protected:
  static const Facts& facts() {
    static const Facts f = [] {
      ProvinceOptions o;
      o.seed = 7;
      o.dossiers_per_working_day = 60;
      o.bad_record_share = 0.01;
      const Province province(test::official_calendar(), sample_catalogue(), o);
      Facts facts = survey(province, at(2025, 1, 1), at(2025, 5, 1));
      std::printf(
          "Jan-Apr 2025 at 60/day: %zu dossiers, %zu deliveries (%zu duplicates, %zu out of "
          "order, %zu bad); morning %zu, afternoon %zu; %zu supplemented (%zu twice); ended %zu, "
          "overdue %zu; %zu extended, %zu mismatched; overdue steps %zu (%zu in late "
          "departments); %zu of %zu on time with a step deadline past the due\n",
          facts.dossiers, facts.deliveries, facts.duplicates, facts.out_of_order, facts.bad,
          facts.morning, facts.afternoon, facts.supplemented, facts.twice_supplemented, facts.ended,
          facts.overdue, facts.extended, facts.mismatched, facts.overdue_steps,
          facts.overdue_steps_in_late_departments, facts.deadlines_beyond_due,
          facts.on_time_with_deadlines);
      return facts;
    }();
    return f;
  }
};

TEST_F(FourMonths, EveryGoodDeliveryParsesAndEveryBadOneIsRejected) {
  const Facts& f = facts();
  EXPECT_GT(f.deliveries, 20000U);
  EXPECT_TRUE(f.good_rejected.empty())
      << f.good_rejected.size() << " rejected, first: " << f.good_rejected.front();
  EXPECT_GT(f.bad, 50U);
  EXPECT_EQ(f.bad_accepted, 0U);
  // Every kind of defect shows up.
  EXPECT_EQ(f.defects.size(), 6U);
  EXPECT_TRUE(f.in_order);
}

TEST_F(FourMonths, ReceiptsFollowWorkingHoursBusierInTheMorning) {
  const Facts& f = facts();
  // ~60 a working day over Jan–Apr 2025 (76 working days, Tết and Giỗ Tổ off).
  EXPECT_GT(f.dossiers, 60U * 76 * 85 / 100);
  EXPECT_LT(f.dossiers, 60U * 76 * 115 / 100);
  EXPECT_EQ(f.receipts_off_hours, 0U);
  EXPECT_EQ(f.receipts_outside_span, 0U);
  EXPECT_GT(f.morning, f.afternoon * 13 / 10) << f.morning << " vs " << f.afternoon;
  EXPECT_EQ(f.channels, (std::set<Channel>{Channel::InPerson, Channel::Online, Channel::Postal}));
  EXPECT_EQ(f.bad_codes, 0U);
}

TEST_F(FourMonths, EveryStatusOfTheWorkflowOccurs) {
  const Facts& f = facts();
  for (int s : {1, 2, 4, 5, 6, 7, 8, 9, 10}) EXPECT_TRUE(f.statuses.count(s)) << s;
  EXPECT_FALSE(f.statuses.count(3));
  // ~12 % supplemented, ~2 % twice.
  EXPECT_GT(f.supplemented, f.dossiers * 7 / 100);
  EXPECT_LT(f.supplemented, f.dossiers * 17 / 100);
  EXPECT_GT(f.twice_supplemented, f.dossiers / 200);
  EXPECT_LT(f.twice_supplemented, f.dossiers * 4 / 100);
}

TEST_F(FourMonths, TheEngineSeesTheConfiguredLatenessExtensionsAndMismatches) {
  const Facts& f = facts();
  ASSERT_GT(f.ended, f.dossiers * 9 / 10);
  const double overdue = static_cast<double>(f.overdue) / static_cast<double>(f.ended);
  EXPECT_GT(overdue, 0.09);
  EXPECT_LT(overdue, 0.18);
  const double extended = static_cast<double>(f.extended) / static_cast<double>(f.dossiers);
  EXPECT_GT(extended, 0.01);
  EXPECT_LT(extended, 0.035);
  // Days off in the span (Tết, Giỗ Tổ, 30/4): some dossiers were promised a due that ignores
  // them.
  EXPECT_GT(f.mismatched, 10U);
  EXPECT_LT(f.mismatched, f.dossiers * 3 / 100);
}

TEST_F(FourMonths, LateStepsConcentrateInTheLateDepartments) {
  const Facts& f = facts();
  ASSERT_GT(f.overdue_steps, 100U);
  EXPECT_GT(f.overdue_steps_in_late_departments, f.overdue_steps * 7 / 10)
      << f.overdue_steps_in_late_departments << " of " << f.overdue_steps;
}

TEST_F(FourMonths, StepDeadlinesFitWithinTheDueOfDossiersOnTime) {
  const Facts& f = facts();
  ASSERT_GT(f.on_time_with_deadlines, 1000U);
  EXPECT_LT(f.deadlines_beyond_due, f.on_time_with_deadlines / 100 + 1)
      << f.deadlines_beyond_due << " of " << f.on_time_with_deadlines;
}

TEST_F(FourMonths, DuplicatesAndOutOfOrderDeliveriesAtTheConfiguredShares) {
  const Facts& f = facts();
  const double dup = static_cast<double>(f.duplicates) / static_cast<double>(f.changes);
  const double ooo = static_cast<double>(f.out_of_order) / static_cast<double>(f.changes);
  EXPECT_GT(dup, 0.035);
  EXPECT_LT(dup, 0.065);
  EXPECT_GT(ooo, 0.01);
  EXPECT_LT(ooo, 0.03);
  EXPECT_EQ(f.revision_content_disagreements, 0U);
}

// --- determinism and streaming ------------------------------------------------------------------

TEST(Province, SameSeedSameBytesOtherSeedOtherBytes) {
  ProvinceOptions o;
  o.seed = 42;
  o.dossiers_per_working_day = 40;
  const auto a = generate(o, at(2025, 3, 1), at(2025, 4, 1));
  const auto b = generate(o, at(2025, 3, 1), at(2025, 4, 1));
  expect_same_deliveries(a, b);
  o.seed = 43;
  const auto c = generate(o, at(2025, 3, 1), at(2025, 4, 1));
  EXPECT_NE(fingerprint(a), fingerprint(c));
}

TEST(Province, ADayLooksTheSameWhateverSpanItIsGeneratedIn) {
  ProvinceOptions o;
  o.dossiers_per_working_day = 30;
  const auto march = generate(o, at(2025, 3, 1), at(2025, 4, 1));
  const auto spring = generate(o, at(2025, 2, 1), at(2025, 5, 1));
  std::vector<std::string> from_spring;
  for (const Delivery& d : spring) {
    if (d.code.find("-2503") != std::string::npos) from_spring.push_back(d.record_json);
  }
  std::vector<std::string> from_march;
  for (const Delivery& d : march) from_march.push_back(d.record_json);
  EXPECT_EQ(from_march, from_spring);
}

TEST(Province, AStreamAdvancedInSmallStepsGivesTheSameDeliveries) {
  ProvinceOptions o;
  o.dossiers_per_working_day = 30;
  const Province province(test::official_calendar(), sample_catalogue(), o);
  const auto whole = generate(o, at(2025, 6, 1), at(2025, 7, 1));
  DeliveryStream stream(province, at(2025, 6, 1), at(2025, 7, 1));
  std::vector<Delivery> stepped;
  for (Moment t = at(2025, 5, 25); !stream.finished(); t += std::chrono::hours{5}) {
    stream.advance(t, [&](const ScheduledDelivery& d) {
      EXPECT_LE(d.at(), t);
      stepped.push_back(d.render());
    });
  }
  ASSERT_EQ(whole.size(), stepped.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    ASSERT_EQ(whole[i].record_json, stepped[i].record_json) << i;
  }
  EXPECT_EQ(stream.stats().deliveries, whole.size());
}

TEST(Province, AHorizonCutsTheDeliveriesNotTheDossiers) {
  ProvinceOptions o;
  o.dossiers_per_working_day = 30;
  const Moment horizon = at(2025, 3, 20, 12);
  const auto cut = generate(o, at(2025, 3, 1), at(2025, 4, 1), horizon);
  const auto all = generate(o, at(2025, 3, 1), at(2025, 4, 1));
  ASSERT_FALSE(cut.empty());
  EXPECT_LT(cut.back().at, horizon);
  std::size_t before = 0;
  while (before < all.size() && all[before].at < horizon) ++before;
  EXPECT_EQ(cut.size(), before);
}

TEST(Province, NothingOnOffDaysAndNoDossierWithoutACatalogue) {
  ProvinceOptions o;
  // Tết 2025: Mon 27/1 – Fri 31/1 off, then the weekend.
  const auto tet = generate(o, at(2025, 1, 27), at(2025, 2, 3));
  EXPECT_TRUE(tet.empty());
  const Province empty(test::official_calendar(), engine::Catalogue{}, o);
  std::size_t n = 0;
  empty.generate(at(2025, 3, 3), at(2025, 3, 4), [&](const Delivery&) { ++n; });
  EXPECT_EQ(n, 0U);
}

TEST(Province, EachBadRecordIsRejectedForItsDefect) {
  ProvinceOptions o;
  o.bad_record_share = 0.2;
  o.dossiers_per_working_day = 40;
  const auto deliveries = generate(o, at(2025, 3, 3), at(2025, 3, 8));
  std::map<Defect, std::string> reasons;
  for (const Delivery& d : deliveries) {
    if (!d.bad) continue;
    auto parsed = ingest::parse_line(d.record_json, 1);
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_EQ(parsed->rejected.size(), 1U) << d.record_json;
    reasons.emplace(d.defect, parsed->rejected[0].reason);
  }
  ASSERT_EQ(reasons.size(), 6U);
  EXPECT_NE(reasons[Defect::ImpossibleDate].find("not a date"), std::string::npos);
  EXPECT_NE(reasons[Defect::StatusOutOfRange].find("not a status code"), std::string::npos);
  EXPECT_EQ(reasons[Defect::MissingCode], "MaHoSo: missing");
  EXPECT_NE(reasons[Defect::InvalidUtf8].find("invalid UTF-8"), std::string::npos);
  EXPECT_NE(reasons[Defect::MissingProgressTime].find("ThoiDiemXuLy: missing"), std::string::npos);
  EXPECT_NE(reasons[Defect::ChannelOutOfRange].find("not a channel"), std::string::npos);
}

TEST(Province, LateDepartmentsFollowTheOptionAndTheSeed) {
  ProvinceOptions o;
  const Province two(test::official_calendar(), sample_catalogue(), o);
  ASSERT_EQ(two.late_departments().size(), 2U);
  EXPECT_EQ(two.units().size(), 18U);
  EXPECT_EQ(two.departments().size(), 6U);
  EXPECT_EQ(two.departments()[0], "Bộ phận Một cửa");
  for (const auto& d : two.late_departments()) EXPECT_NE(d, "Bộ phận Một cửa");
  o.late_departments = 0;
  EXPECT_TRUE(
      Province(test::official_calendar(), sample_catalogue(), o).late_departments().empty());
}

// --- the units across the reorganisation of 1 July 2025 -----------------------------------------

TEST(Province, TheUnitsInForceChangeOnTheFirstOfJuly2025) {
  const Province province(test::official_calendar(), sample_catalogue(), ProvinceOptions{});
  std::map<std::string, std::size_t> before, after;
  for (const Unit& u : province.units_on(make_date(2025, 6, 30))) ++before[u.level];
  for (const Unit& u : province.units_on(kReorganisation)) ++after[u.level];
  EXPECT_EQ(before,
            (std::map<std::string, std::size_t>{
                {"commune", 4}, {"department", 3}, {"district", 2}, {"service_centre", 1}}));
  EXPECT_EQ(after, (std::map<std::string, std::size_t>{
                       {"commune", 8}, {"department", 1}, {"service_centre", 1}}));
  for (const Unit& u : province.units()) {
    EXPECT_EQ(u.valid_until.has_value(), !u.successors.empty()) << u.code;
    for (const std::string& s : u.successors) {
      const auto now = province.units_on(kReorganisation);
      EXPECT_TRUE(std::any_of(now.begin(), now.end(), [&](const Unit& n) { return n.code == s; }))
          << u.code << " -> " << s;
    }
  }
}

// Every dossier of June and July 2025, by its first good delivery; and the codes of the
// deliveries made from the first of July on.
struct AcrossTheChange {
  std::map<std::string, DossierSnapshot> dossiers;
  std::set<std::string> units_delivering_after;
};

const AcrossTheChange& across_the_change() {
  static const AcrossTheChange facts = [] {
    AcrossTheChange f;
    const Province province(test::official_calendar(), sample_catalogue(), ProvinceOptions{});
    province.generate(at(2025, 6, 1), at(2025, 8, 1), [&](const Delivery& d) {
      if (d.bad) return;
      auto parsed = ingest::parse_line(d.record_json, 1);
      ASSERT_TRUE(parsed && parsed->dossiers.size() == 1) << d.code;
      const DossierSnapshot& snap = parsed->dossiers[0];
      if (d.at >= Moment(kReorganisation)) {
        f.units_delivering_after.insert(std::string(snap.dossier.unit_code()));
      }
      if (snap.dossier.received) f.dossiers.emplace(d.code, snap);
    });
    return f;
  }();
  return facts;
}

TEST(Province, DossiersAreReceivedAtTheUnitsInForceOnTheReceiptDay) {
  const Province province(test::official_calendar(), sample_catalogue(), ProvinceOptions{});
  std::map<std::string, std::size_t> by_level_before, by_level_after;
  for (const auto& [code, snap] : across_the_change().dossiers) {
    const Date day = day_of(*snap.dossier.received);
    const auto units = province.units_on(day);
    const auto unit = std::find_if(units.begin(), units.end(), [&](const Unit& u) {
      return u.code == snap.dossier.unit_code();
    });
    ASSERT_NE(unit, units.end()) << code << " received " << format_date(day);
    ++(day < kReorganisation ? by_level_before : by_level_after)[unit->level];
  }
  // Every level of each period receives: old province departments, districts and communes
  // until June; from July only the department, the service centre and the new communes.
  EXPECT_EQ(by_level_before.size(), 4U);
  EXPECT_GT(by_level_before["district"], 100U);
  EXPECT_GT(by_level_before["commune"], 100U);
  EXPECT_EQ(by_level_after.size(), 3U);
  EXPECT_EQ(by_level_after.count("district"), 0U);
  EXPECT_GT(by_level_after["commune"], 500U);
}

TEST(Province, PendingDossiersKeepTheirOldCodesAfterTheChange) {
  const Province province(test::official_calendar(), sample_catalogue(), ProvinceOptions{});
  std::size_t old_units_delivering = 0;
  for (const Unit& u : province.units()) {
    if (!u.in_force(kReorganisation)) {
      old_units_delivering += across_the_change().units_delivering_after.count(u.code);
    }
  }
  // Dossiers received in June under the former units are still sent in July under their codes.
  EXPECT_GE(old_units_delivering, 6U);
}

TEST(Province, SameSeedSameBytesAcrossTheChange) {
  ProvinceOptions o;
  o.seed = 11;
  o.dossiers_per_working_day = 40;
  const auto a = generate(o, at(2025, 6, 16), at(2025, 7, 16));
  const auto b = generate(o, at(2025, 6, 16), at(2025, 7, 16));
  expect_same_deliveries(a, b);
}

TEST(Province, SomeNewCommunesDossiersAreResolvedByAnotherCommune) {
  const Province province(test::official_calendar(), sample_catalogue(), ProvinceOptions{});
  std::map<std::string, const Unit*> by_code, by_name;
  for (const Unit& u : province.units()) {
    by_code[u.code] = &u;
    by_name[u.name] = &u;
  }
  std::size_t communes = 0, across = 0;
  for (const auto& [code, snap] : across_the_change().dossiers) {
    const Unit& receiving = *by_code.at(std::string(snap.dossier.unit_code()));
    ASSERT_TRUE(by_name.count(snap.dossier.unit_name)) << code << ": " << snap.dossier.unit_name;
    const Unit& resolving = *by_name.at(snap.dossier.unit_name);
    if (&resolving == &receiving) {
      if (receiving.level == "commune" && receiving.valid_from) ++communes;
      continue;
    }
    // Only between new communes, both in force on the receipt day.
    EXPECT_EQ(receiving.level, "commune") << code;
    EXPECT_EQ(resolving.level, "commune") << code;
    EXPECT_TRUE(receiving.valid_from && resolving.valid_from) << code;
    ++communes;
    ++across;
  }
  ASSERT_GT(communes, 500U);
  const double share = static_cast<double>(across) / static_cast<double>(communes);
  EXPECT_NEAR(share, ProvinceOptions{}.cross_desk_share, 0.04) << across << " of " << communes;
}

TEST(Province, AYearAtTheDefaultRate) {
  const Province province(test::official_calendar(), sample_catalogue(), ProvinceOptions{});
  const auto started = std::chrono::steady_clock::now();
  DeliveryStream stream(province, at(2025, 1, 1), at(2026, 1, 1));
  std::size_t bytes = 0;
  std::string record;
  stream.advance(Moment::max(), [&](const ScheduledDelivery& d) {
    record.clear();
    d.append_record(record);
    bytes += record.size() + 1;
  });
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto& s = stream.stats();
  std::printf("a year at 120/day: %llu dossiers, %llu deliveries, %.0f MB, %.2f s\n",
              static_cast<unsigned long long>(s.dossiers),
              static_cast<unsigned long long>(s.deliveries), static_cast<double>(bytes) / 1e6,
              secs);
  EXPECT_GT(s.dossiers, 25000U);
  EXPECT_LT(s.dossiers, 35000U);
  EXPECT_TRUE(stream.finished());
}

TEST(SimulatedClock, WorkingTimeSkipsNightsAndDaysOff) {
  const auto& cal = test::official_calendar();
  // Fri 25/4/2025 16:00; one working day per real minute.
  const SimulatedClock clock(cal, at(2025, 4, 25, 16), 480);
  EXPECT_EQ(clock.at(std::chrono::seconds{0}), at(2025, 4, 25, 16));
  EXPECT_EQ(clock.at(std::chrono::seconds{60}), at(2025, 4, 26, 16));  // make-up Saturday
  EXPECT_EQ(clock.at(std::chrono::seconds{120}), at(2025, 4, 28, 16));
  const SimulatedClock wall(cal, at(2025, 4, 25, 16), 480, SimulatedClock::Mode::WallTime);
  EXPECT_EQ(wall.at(std::chrono::seconds{60}), at(2025, 4, 26, 0));
}

}  // namespace
}  // namespace tthc::sim
