#pragma once
// Running `tthc-monitor report` in-process against a copied store, and a late sync into it: what
// the `--diff` tests share.

#include "app/commands.hpp"
#include "ingest/mc_payload.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace tthc::test {

/// A configuration in `work` reading the store `work/store.db`, the repository's catalogue and
/// the holiday tables of `holidays_dir`.
inline std::filesystem::path report_config(TempDir& work, const std::string& holidays_dir) {
  const std::string src = TTHC_SOURCE_DIR;
  return work.write("monitor.toml", "[calendar]\nholidays_dir = \"" + holidays_dir +
                                        "\"\n[catalogue]\nfile = \"" + src +
                                        "/config/procedures.csv\"\n[store]\npath = \"" +
                                        work.file("store.db").string() + "\"\n");
}

/// The command's exit status; `out` gets what it wrote to both streams.
inline int run_report(const app::SourceOptions& options, const app::ReportCommand& cmd,
                      std::string& out) {
  std::ostringstream o, e;
  const int status = app::run_report(options, cmd, o, e);
  out = o.str() + e.str();
  return status;
}

/// One MC record applied to the store as a late sync.
inline void apply_late(const std::filesystem::path& db, std::string_view record) {
  auto writer = store::Writer::open(store::Options{db, false, 5000}).value();
  auto batch = ingest::parse_line(record, 1);
  ASSERT_TRUE(batch);
  ASSERT_TRUE(writer.apply(batch->dossiers, batch->progress, {"late", 2, {}, 0}));
}

}  // namespace tthc::test
