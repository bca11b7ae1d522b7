#pragma once
// A store filled by the simulated province (src/sim): realistic dossiers with supplementation,
// fee waits, withdrawals, stops, extensions, late and out-of-order syncs.

#include "ingest/mc_payload.hpp"
#include "sim/province.hpp"
#include "store/store.hpp"
#include "support/calendar.hpp"
#include "support/catalogue.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace tthc::test {

/// Every delivery of the dossiers received in [from, to) made before `horizon`, applied in
/// order.
inline void fill_store(const std::filesystem::path& db, Moment from, Moment to, Moment horizon,
                       double per_day = 40, std::uint64_t seed = 7) {
  sim::ProvinceOptions po;
  po.seed = seed;
  po.dossiers_per_working_day = per_day;
  const sim::Province province(official_calendar(), sample_catalogue(), po);
  auto writer = store::Writer::open(store::Options{db, false, 5000}).value();
  std::vector<DossierSnapshot> snapshots;
  std::vector<ProgressUpdate> progress;
  std::size_t line = 0;
  const auto flush = [&] {
    ASSERT_TRUE(writer.apply(snapshots, progress, store::BatchInfo{"test", 1, {}, 0}));
    snapshots.clear();
    progress.clear();
  };
  province.generate(
      from, to,
      [&](const sim::Delivery& d) {
        auto batch = ingest::parse_line(d.record_json, ++line);
        if (!batch) return;
        for (auto& s : batch->dossiers) snapshots.push_back(std::move(s));
        for (auto& p : batch->progress) progress.push_back(std::move(p));
        if (snapshots.size() >= 2000) flush();
      },
      horizon);
  flush();
}

}  // namespace tthc::test
