// The MC parser alone (src/ingest): JSON Lines held in memory, parsed and validated into
// domain values as `import` and the webhook do, on one thread:
//   build/bench/parse_bench FILE [LINES=100000] [RUNS=5]
// Prints the median time per line over the runs, and each run's.
#include "ingest/mc_payload.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: parse_bench FILE [LINES=100000] [RUNS=5]\n");
    return 2;
  }
  const std::size_t max_lines = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 100000;
  const int runs = argc > 3 ? std::atoi(argv[3]) : 5;
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<std::string> lines;
  std::size_t bytes = 0;
  for (std::string line; lines.size() < max_lines && std::getline(in, line);) {
    bytes += line.size() + 1;
    lines.push_back(std::move(line));
  }
  if (lines.empty()) {
    std::fprintf(stderr, "parse_bench: no line read from %s\n", argv[1]);
    return 1;
  }
  std::vector<double> per_line;
  std::size_t records = 0;
  for (int r = 0; r < runs; ++r) {
    tthc::ingest::Batch batch;
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < lines.size(); ++i) {
      auto parsed = tthc::ingest::parse_line(lines[i], i + 1);
      if (parsed) {
        records += parsed->dossiers.size();
        // Kept until the run ends, as an import batch keeps them until written.
        for (auto& d : parsed->dossiers) batch.dossiers.push_back(std::move(d));
      }
      if (batch.dossiers.size() >= 5000) batch = {};
    }
    const auto t1 = std::chrono::steady_clock::now();
    per_line.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count() /
                       static_cast<double>(lines.size()));
  }
  std::vector<double> sorted = per_line;
  std::sort(sorted.begin(), sorted.end());
  std::printf("lines: %zu (%.0f bytes each), records parsed: %zu\n", lines.size(),
              static_cast<double>(bytes) / static_cast<double>(lines.size()), records);
  std::printf("parse: median %.2f us/line (%.0f lines/s)  runs:", sorted[sorted.size() / 2],
              1e6 / sorted[sorted.size() / 2]);
  for (double v : per_line) std::printf(" %.2f", v);
  std::printf("\n");
}
