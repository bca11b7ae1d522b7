#!/usr/bin/env bash
# The import on two shapes of input, side by side, pair by pair:
#   bench/import_shapes.sh [DOSSIERS=100000] [RUNS=3]
# A: the import benchmark's own shape (build/bench/generate_mc: one line per dossier, 6
#    progress entries embedded);
# B: a one-stop system's sync log (`tthc-monitor simulate --out` over one year at
#    DOSSIERS/250 dossiers a working day): each dossier re-sent as it progresses, later snapshots
#    longer, lines in sync-time order so dossiers interleave, long Vietnamese names,
#    supplementation rounds, and the feed's faults (bad records, duplicates, out of order).
# Each run imports A then B into fresh stores; the figure to compare is megabytes a second,
# B's over A's, taken pair by pair (the machine's speed drifts between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
runs=${2:-3}
work=${TTHC_BENCH_DIR:-/tmp/tthc-import-shapes}
mkdir -p "$work"
[ -n "${TTHC_BENCH_NO_BUILD:-}" ] || cmake --build build -j2 --target tthc-monitor generate_mc >/dev/null
a="$work/benchmark-$n.jsonl"
b="$work/sync-log-$n.jsonl"
[ -s "$a" ] || build/bench/generate_mc "$n" "$a"
[ -s "$b" ] || build/tthc-monitor simulate --from 2025-01-01 --to 2025-12-31 --rate $((n / 250)) \
  --out "$b" >/dev/null 2>&1
cat "$a" "$b" >/dev/null  # read once: the runs measure the import, not the disk

mb() { awk -v bytes="$(stat -c %s "$1")" 'BEGIN {printf "%.1f", bytes / 1e6}'; }
import_seconds() {
  rm -f "$work"/shape.db*
  sync
  local t0 t1
  t0=$(date +%s.%N)
  build/tthc-monitor import "$1" --db "$work/shape.db" >/dev/null 2>&1 || [ $? -eq 3 ]
  t1=$(date +%s.%N)
  awk "BEGIN {printf \"%.2f\", $t1 - $t0}"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

mb_a=$(mb "$a")
mb_b=$(mb "$b")
lines_b=$(wc -l < "$b")
ratios=()
rates_a=()
rates_b=()
for i in $(seq "$runs"); do
  ta=$(import_seconds "$a")
  tb=$(import_seconds "$b")
  ra=$(awk "BEGIN {printf \"%.1f\", $mb_a / $ta}")
  rb=$(awk "BEGIN {printf \"%.1f\", $mb_b / $tb}")
  rates_a+=("$ra")
  rates_b+=("$rb")
  ratios+=("$(awk "BEGIN {printf \"%.2f\", $rb / $ra}")")
  echo "run $i: A ${ta} s (${ra} MB/s), B ${tb} s (${rb} MB/s)"
done
echo "A benchmark shape: $n dossiers, ${mb_a} MB; median $(printf '%s\n' "${rates_a[@]}" | median) MB/s"
echo "B sync log:        $lines_b lines, ${mb_b} MB; median $(printf '%s\n' "${rates_b[@]}" | median) MB/s"
echo "B/A megabytes a second, pair by pair: ${ratios[*]}; median $(printf '%s\n' "${ratios[@]}" | median)"
