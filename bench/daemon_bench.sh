#!/usr/bin/env bash
# The daemon over 1,000,000 stored dossiers, 100,000 of them in process:
#   bench/daemon_bench.sh [N=1000000] [PENDING_SHARE=0.1]
# 1. bench/live_bench in one process: start-up, memory, re-judging every dossier in process,
#    /metrics scrapes over loopback (p50, p99);
# 2. the real `tthc-monitor run` on the same file: time until /readyz answers 200, its resident
#    memory then, and /metrics scrapes with curl.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
share=${2:-0.1}
work=${TTHC_BENCH_DIR:-/tmp/tthc-daemon-bench}
mkdir -p "$work"
[ -n "${TTHC_BENCH_NO_BUILD:-}" ] || cmake --build build -j2 --target tthc-monitor generate_mc live_bench >/dev/null
db="$work/daemon-$n-$share.db"
if [ ! -s "$db" ]; then
  build/bench/generate_mc "$n" "$work/dossiers.jsonl" 7 "$share"
  build/tthc-monitor import "$work/dossiers.jsonl" --db "$db" >/dev/null || [ $? -eq 3 ]
  rm -f "$work/dossiers.jsonl"
fi

echo "== live_bench (one process)"
build/bench/live_bench "$db" 200 5

echo "== tthc-monitor run"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
t0=$(date +%s.%N)
build/tthc-monitor run --db "$db" --port "$port" >/dev/null 2>"$work/daemon.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.05; done
t1=$(date +%s.%N)
awk "BEGIN{printf \"ready after           %.2f s\n\", $t1 - $t0}"
awk '/VmRSS|VmHWM/ {printf "%-21s %.0f MiB\n", $1, $2/1024}' "/proc/$pid/status"
for i in $(seq 200); do
  curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port/metrics"
done | sort -n | awk '{a[NR]=$1} END {printf "/metrics (curl)       p50 %.2f ms, p99 %.2f ms\n", a[int(NR*0.5)]*1000, a[int(NR*0.99)]*1000}'
# Once ready the daemon writes the missing monthly snapshots (up to [reports] backfill_months):
# memory again when they are done.
last=-1
for _ in $(seq 120); do
  n=$(grep -c "written to" "$work/daemon.log" || true)
  [ "$n" = "$last" ] && break
  last=$n
  sleep 3
done
echo "after writing $n monthly snapshots:"
awk '/VmRSS|VmHWM/ {printf "%-21s %.0f MiB\n", $1, $2/1024}' "/proc/$pid/status"
kill $pid
wait $pid 2>/dev/null || true
