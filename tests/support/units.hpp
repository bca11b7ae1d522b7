#pragma once
// A small unit register for tests, shaped as the 2025 reorganisation left Ninh Bình (province
// code H42): the Justice departments of the former Hà Nam (H35) and Nam Định (H40) ended on
// 2025-07-01 with the merged province's as successor; a district split into two communes; the
// province service centre opened that day. Illustrative codes, not an official register.

#include "config/units.hpp"
#include "engine/units.hpp"

#include <string_view>

namespace tthc::test {

inline constexpr std::string_view kSampleUnitsCsv =
    "unit_code,unit_name,level,parent,valid_from,valid_until,successors,note\n"
    "000.00.00.H42,UBND tỉnh Ninh Bình,province,,,,,\n"
    "000.00.12.H42,Sở Tư pháp tỉnh Ninh Bình,department,000.00.00.H42,,,,\n"
    "000.00.01.H42,Trung tâm Phục vụ hành chính công tỉnh,service_centre,000.00.00.H42,"
    "2025-07-01,,,\n"
    "000.00.12.H35,Sở Tư pháp tỉnh Hà Nam,department,,,2025-07-01,000.00.12.H42,\n"
    "000.00.12.H40,Sở Tư pháp tỉnh Nam Định,department,,,2025-07-01,000.00.12.H42,\n"
    "000.20.31.H42,UBND huyện Hoa Lư,district,000.00.00.H42,,2025-07-01,"
    "000.31.01.H42;000.31.02.H42,\"split: the first takes the figures\"\n"
    "000.31.01.H42,UBND phường Hoa Lư,commune,000.00.00.H42,2025-07-01,,,\n"
    "000.31.02.H42,UBND xã Trường Yên,commune,000.00.00.H42,2025-07-01,,,\n";

inline engine::UnitRegister sample_units() {
  return config::parse_units_csv(kSampleUnitsCsv, "units.csv").value();
}

}  // namespace tthc::test
