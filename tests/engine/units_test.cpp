#include "engine/units.hpp"

#include "support/units.hpp"

#include <gtest/gtest.h>

namespace tthc::engine {
namespace {

Date day(int y, unsigned m, unsigned d) {
  return make_date(y, m, d);
}

UnitRecord unit(std::string code, std::optional<Date> until = {},
                std::vector<std::string> successors = {}) {
  UnitRecord u;
  u.code = std::move(code);
  u.name = "Đơn vị " + u.code;
  u.valid_until = until;
  u.successors = std::move(successors);
  return u;
}

std::string error_of(std::vector<UnitRecord> units) {
  auto r = UnitRegister::make(std::move(units));
  return r ? std::string("(accepted)") : r.error().message;
}

TEST(UnitLevel, NamesRoundTrip) {
  for (auto l : {UnitLevel::Province, UnitLevel::Department, UnitLevel::ServiceCentre,
                 UnitLevel::District, UnitLevel::Commune}) {
    EXPECT_EQ(parse_unit_level(to_string(l)), l);
  }
  EXPECT_EQ(to_string(UnitLevel::ServiceCentre), "service_centre");
  EXPECT_FALSE(parse_unit_level("huyen").has_value());
}

TEST(UnitRegister, EmptyRegisterKeepsEveryCode) {
  const UnitRegister r;
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.shown_as("X.H42", day(2024, 1, 31), true), "X.H42");
  Dossier d;
  d.code = "000.00.12.H35-240105-0001";
  d.unit_name = "Sở Tư pháp tỉnh Ninh Bình";
  EXPECT_EQ(r.counting_unit(d, CountUnder::Resolving), "000.00.12.H35");
  EXPECT_EQ(r.name_of("000.00.12.H35"), "");
}

TEST(UnitRegister, RefusesBadRegistersNamingTheUnitAndValue) {
  EXPECT_EQ(error_of({unit("A"), unit("A")}), "unit \"A\": unit_code: appears twice");
  auto orphan = unit("A");
  orphan.parent = "P";
  EXPECT_EQ(error_of({orphan}), "unit \"A\": parent: \"P\" is not in the register");
  EXPECT_EQ(error_of({unit("A", day(2025, 7, 1), {"B"})}),
            "unit \"A\": successors: \"B\" is not in the register");
  EXPECT_EQ(error_of({unit("A", day(2025, 7, 1))}),
            "unit \"A\": successors: required for a unit that ended (valid_until 2025-07-01)");
  EXPECT_EQ(error_of({unit("A", {}, {"B"}), unit("B")}),
            "unit \"A\": successors: only a unit that ended (with a valid_until) has successors");
  auto backwards = unit("A", day(2025, 7, 1), {"B"});
  backwards.valid_from = day(2025, 7, 1);
  EXPECT_EQ(error_of({backwards, unit("B")}),
            "unit \"A\": valid_until: 2025-07-01 is not after valid_from 2025-07-01");
  EXPECT_EQ(error_of({unit("A", day(2025, 7, 1), {"B"}), unit("B", day(2026, 1, 1), {"A"})}),
            "unit \"B\": successors: \"A\" leads back to it (a successor cycle)");
}

TEST(UnitRegister, FindsDonViXuLyByCodeThenExactName) {
  const auto r = test::sample_units();
  ASSERT_NE(r.find_by_name_or_code("000.00.12.H35"), nullptr);
  EXPECT_EQ(r.find_by_name_or_code("Sở Tư pháp tỉnh Hà Nam")->code, "000.00.12.H35");
  EXPECT_EQ(r.find_by_name_or_code("sở tư pháp tỉnh hà nam"), nullptr);
  EXPECT_EQ(r.find_by_name_or_code(""), nullptr);
}

TEST(UnitRegister, CountsUnderTheResolvingUnitWhenKnownElseTheReceiving) {
  const auto r = test::sample_units();
  Dossier d;
  d.code = "000.00.01.H42-250715-0001";  // received at the province service centre
  d.unit_name = "Sở Tư pháp tỉnh Ninh Bình";
  EXPECT_EQ(r.counting_unit(d, CountUnder::Resolving), "000.00.12.H42");
  EXPECT_EQ(r.counting_unit(d, CountUnder::Receiving), "000.00.01.H42");
  d.unit_name = "Phòng không có trong danh mục";
  EXPECT_EQ(r.counting_unit(d, CountUnder::Resolving), "000.00.01.H42");
}

TEST(UnitRegister, ShowsEndedUnitsUnderTheirSuccessors) {
  const auto r = test::sample_units();
  const Date june = day(2025, 6, 30);
  const Date july = day(2025, 7, 31);
  // Default: the unit as it is now, whatever the period.
  EXPECT_EQ(r.shown_as("000.00.12.H35", june, true), "000.00.12.H42");
  // A split unit's figures go to its first successor.
  EXPECT_EQ(r.shown_as("000.20.31.H42", june, true), "000.31.01.H42");
  // Without: the units in force then; a period ending after the change, the successor.
  EXPECT_EQ(r.shown_as("000.00.12.H35", june, false), "000.00.12.H35");
  EXPECT_EQ(r.shown_as("000.00.12.H35", july, false), "000.00.12.H42");
  EXPECT_EQ(r.shown_as("000.00.12.H42", june, false), "000.00.12.H42");
  EXPECT_EQ(r.shown_as("UNKNOWN", july, true), "UNKNOWN");
}

TEST(UnitRegister, FollowsAChainToTheUnitAsItIsNow) {
  const auto r = UnitRegister::make({unit("A", day(2024, 1, 1), {"B"}),
                                     unit("B", day(2025, 7, 1), {"C"}), unit("C")})
                     .value();
  EXPECT_EQ(r.shown_as("A", day(2023, 12, 31), true), "C");
  EXPECT_EQ(r.shown_as("A", day(2023, 12, 31), false), "A");
  EXPECT_EQ(r.shown_as("A", day(2024, 6, 30), false), "B");
  EXPECT_EQ(r.shown_as("A", day(2025, 7, 1), false), "C");
}

TEST(UnitRegister, InForceBetweenFromAndUntil) {
  const auto r = test::sample_units();
  const UnitRecord& centre = *r.find("000.00.01.H42");
  EXPECT_FALSE(r.in_force(centre, day(2025, 6, 30)));
  EXPECT_TRUE(r.in_force(centre, day(2025, 7, 1)));
  const UnitRecord& old = *r.find("000.00.12.H35");
  EXPECT_TRUE(r.in_force(old, day(2025, 6, 30)));
  EXPECT_FALSE(r.in_force(old, day(2025, 7, 1)));
}

TEST(UnitRegister, ContentFollowsTheUnitsNotTheOrder) {
  const auto a = UnitRegister::make({unit("A"), unit("B")}).value();
  const auto b = UnitRegister::make({unit("B"), unit("A")}).value();
  const auto c = UnitRegister::make({unit("A"), unit("C")}).value();
  EXPECT_EQ(a.content(), b.content());
  EXPECT_NE(a.content(), c.content());
  EXPECT_EQ(a.units().front().code, "A");
  EXPECT_EQ(a.name_of("B"), "Đơn vị B");
}

}  // namespace
}  // namespace tthc::engine
