#pragma once
// The modules' logging seam connected to the daemon's spdlog logger: each level goes to the
// spdlog level of the same name, the message as it is.

#include "base/log.hpp"

#include <memory>

namespace spdlog {
class logger;
}

namespace tthc::app {

/// A Log writing to `logger` (kept alive by the Log).
Log spdlog_log(std::shared_ptr<spdlog::logger> logger);

}  // namespace tthc::app
