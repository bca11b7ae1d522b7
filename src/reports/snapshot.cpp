#include "reports/snapshot.hpp"

#include "reports/digest.hpp"
#include "reports/json_text.hpp"
#include "reports/render.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace tthc::reports {

namespace fs = std::filesystem;

Result<std::vector<SnapshotFile>> snapshot_files(const Reports& reports) {
  return snapshot_files(
      kKinds, [&reports](Kind k, Format f) { return render(reports, k, f); },
      inputs_json_lines(reports.results.inputs));
}

Result<std::vector<SnapshotFile>> snapshot_files(
    std::span<const Kind> kinds,
    const std::function<Result<std::string>(Kind, Format)>& render_file,
    std::string_view inputs_lines) {
  std::vector<SnapshotFile> files;
  for (const Kind k : kinds) {
    for (const Format f : kFormats) {
      TTHC_TRY(std::string bytes, render_file(k, f));
      files.push_back(
          {std::string(to_string(k)) + "." + std::string(to_string(f)), std::move(bytes)});
    }
  }
  std::sort(files.begin(), files.end(),
            [](const SnapshotFile& a, const SnapshotFile& b) { return a.name < b.name; });
  std::string manifest = "{\n";
  manifest += inputs_lines;
  manifest += "  \"files\": {";
  for (std::size_t i = 0; i < files.size(); ++i) {
    manifest += (i == 0 ? "\n    " : ",\n    ") + json_string(files[i].name) + ": " +
                json_string("sha256:" + sha256_hex(files[i].bytes));
  }
  manifest += "\n  }\n}\n";
  files.push_back({"manifest.json", std::move(manifest)});
  return files;
}

std::optional<std::string> read_snapshot_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

fs::path snapshot_dir(const fs::path& dir, const Period& period) {
  return dir / period.label();
}

Result<bool> write_snapshot(const fs::path& dir, const Period& period,
                            const std::vector<SnapshotFile>& files) {
  const fs::path target = snapshot_dir(dir, period);
  std::error_code ec;
  if (fs::exists(target, ec)) return false;
  const fs::path temp = dir / ("." + period.label() + ".partial");
  fs::remove_all(temp, ec);
  fs::create_directories(temp, ec);
  if (ec) return Error{"cannot create " + temp.string() + ": " + ec.message()};
  for (const SnapshotFile& f : files) {
    std::ofstream out(temp / f.name, std::ios::binary | std::ios::trunc);
    out.write(f.bytes.data(), static_cast<std::streamsize>(f.bytes.size()));
    out.close();
    if (!out) {
      fs::remove_all(temp, ec);
      return Error{"cannot write " + (temp / f.name).string()};
    }
  }
  fs::rename(temp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove_all(temp, ignored);
    if (fs::exists(target, ignored)) return false;  // written meanwhile by another process
    return Error{"cannot move the snapshot to " + target.string() + ": " + ec.message()};
  }
  return true;
}

}  // namespace tthc::reports
