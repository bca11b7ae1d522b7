#!/usr/bin/env bash
# The board over 1,000,000 stored dossiers, 100,000 of them in process:
#   bench/board_bench.sh [N=1000000] [PENDING_SHARE=0.1] [REQUESTS=200]
# Starts the real `tthc-monitor run` on the daemon benchmark's store (made once, as
# bench/daemon_bench.sh makes it), waits for /readyz, then times every endpoint the pages read
# (build/bench/board_bench: p50, p90, p99 over one keep-alive connection) and the overview's
# first paint in headless Chromium (bench/board_paint.mjs, when node and puppeteer-core are
# installed by scripts/setup).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
share=${2:-0.1}
requests=${3:-200}
work=${TTHC_BENCH_DIR:-/tmp/tthc-daemon-bench}
mkdir -p "$work"
[ -n "${TTHC_BENCH_NO_BUILD:-}" ] || cmake --build build -j2 --target tthc-monitor generate_mc board_bench >/dev/null
db="$work/daemon-$n-$share.db"
if [ ! -s "$db" ]; then
  build/bench/generate_mc "$n" "$work/dossiers.jsonl" 7 "$share"
  build/tthc-monitor import "$work/dossiers.jsonl" --db "$db" >/dev/null || [ $? -eq 3 ]
  rm -f "$work/dossiers.jsonl"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
build/tthc-monitor run --db "$db" --port "$port" >/dev/null 2>"$work/board-daemon.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.1; done
echo "== endpoints ($requests requests each, after 5 warm-up)"
build/bench/board_bench "$port" "$requests"
if [ -d tests/browser/node_modules/puppeteer-core ]; then
  echo "== first paint of the overview"
  node bench/board_paint.mjs "http://127.0.0.1:$port/"
fi
kill $pid
wait $pid 2>/dev/null || true
