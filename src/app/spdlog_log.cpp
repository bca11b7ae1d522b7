#include "app/spdlog_log.hpp"

#include <spdlog/spdlog.h>

namespace tthc::app {

Log spdlog_log(std::shared_ptr<spdlog::logger> logger) {
  return Log([logger = std::move(logger)](LogLevel level, std::string_view message) {
    switch (level) {
      case LogLevel::debug: logger->debug("{}", message); return;
      case LogLevel::info: logger->info("{}", message); return;
      case LogLevel::warning: logger->warn("{}", message); return;
      case LogLevel::error: logger->error("{}", message); return;
    }
  });
}

}  // namespace tthc::app
