#pragma once
// The procedure catalogue as shipped in config/procedures.csv, for tests that need real rules.

#include "config/catalogue.hpp"
#include "engine/catalogue.hpp"
#include "support/calendar.hpp"

namespace tthc::test {

/// Loaded once per test binary; the catalogue is immutable and thread-safe.
inline const engine::Catalogue& sample_catalogue() {
  static const engine::Catalogue catalogue(
      config::load_catalogue(source_dir() / "config" / "procedures.csv").value());
  return catalogue;
}

}  // namespace tthc::test
