#pragma once
// The board's front-end files (src/board/assets), built into the executable at build time.

#include <optional>
#include <string_view>

namespace tthc::board {

struct Asset {
  std::string_view name;  ///< "board.js"
  std::string_view bytes;
};

/// The file of that name, or nullopt.
std::optional<Asset> find_asset(std::string_view name);

}  // namespace tthc::board
