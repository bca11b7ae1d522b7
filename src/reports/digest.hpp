#pragma once
// SHA-256 as lower-case hex: of bytes (snapshot manifests, the catalogue fingerprint) and of a
// file read in blocks (backup manifests: files of gigabytes never held in memory).

#include "base/result.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace tthc::reports {

std::string sha256_hex(std::string_view bytes);

/// An error names the file and the cause.
Result<std::string> sha256_file_hex(const std::filesystem::path& file);

}  // namespace tthc::reports
