#!/usr/bin/env bash
# Import benchmark: N generated dossiers (6 progress entries each) as JSON Lines imported by
# `tthc-monitor import`, against the floor: the sqlite3 shell's .import of the very rows the
# store wrote (exported as CSV) into the same schema with the same pragmas.
#   bench/import_bench.sh [N=1000000] [RUNS=3] [FILE]
# With FILE (e.g. a sync log written by `tthc-monitor simulate --out`), FILE is imported instead
# of N generated dossiers, and the floor loads the rows its import wrote.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
runs=${2:-3}
work=${TTHC_BENCH_DIR:-/tmp/tthc-import-bench}
mkdir -p "$work"
[ -n "${TTHC_BENCH_NO_BUILD:-}" ] || cmake --build build -j2 --target tthc-monitor generate_mc >/dev/null
input=${3:-$work/dossiers-$n.jsonl}
[ -s "$input" ] || build/bench/generate_mc "$n" "$input"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s.%N; }

# Inputs are read once beforehand, so that every run measures the import, not the disk.
cat "$input" > /dev/null
import_times=()
for i in $(seq "$runs"); do
  rm -f "$work"/import.db*
  sync  # the previous run's pages written out: each run starts on a quiet disk
  t0=$(now)
  # Exit status 3: some records were rejected (a sync log's faults), the rest imported.
  build/tthc-monitor import "$input" --db "$work/import.db" >/dev/null 2>&1 || [ $? -eq 3 ]
  t1=$(now)
  import_times+=("$(awk "BEGIN{printf \"%.2f\", $t1 - $t0}")")
done

# The same rows as CSV, and the schema, from the imported database.
sqlite3 "$work/import.db" .schema | grep -v sqlite_sequence > "$work/schema.sql"
tables=(schema_migrations batches dossiers snapshots due_changes progress progress_orphans procedures)
for t in "${tables[@]}"; do sqlite3 -csv "$work/import.db" "SELECT * FROM $t" > "$work/$t.csv"; done

cat "$work"/*.csv > /dev/null
floor_times=()
for i in $(seq "$runs"); do
  rm -f "$work"/floor.db*
  {
    echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
    echo "PRAGMA cache_size=-131072; PRAGMA wal_autocheckpoint=16384;"
    echo ".read $work/schema.sql"
    echo "BEGIN;"
    for t in "${tables[@]}"; do echo ".import --csv $work/$t.csv $t"; done
    echo "COMMIT;"
  } > "$work/floor.sql"
  sync
  t0=$(now)
  sqlite3 "$work/floor.db" < "$work/floor.sql" >/dev/null
  t1=$(now)
  floor_times+=("$(awk "BEGIN{printf \"%.2f\", $t1 - $t0}")")
done

imp=$(printf '%s\n' "${import_times[@]}" | median)
flo=$(printf '%s\n' "${floor_times[@]}" | median)
if [ -n "${3:-}" ]; then
  echo "input: $input ($(wc -l < "$input") lines), runs: $runs"
  n=$(sqlite3 "$work/import.db" "SELECT count(*) FROM dossiers")
else
  echo "dossiers: $n (6 progress entries each), runs: $runs"
fi
echo "tthc-monitor import: median ${imp} s ($(awk "BEGIN{printf \"%d\", $n / $imp}") dossiers/s)  runs: ${import_times[*]}"
echo "sqlite3 .import CSV: median ${flo} s  runs: ${floor_times[*]}"
echo "ratio import / floor: $(awk "BEGIN{printf \"%.2f\", $imp / $flo}")"
