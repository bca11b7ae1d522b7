#!/usr/bin/env bash
# What a sender can do to /metrics and the daemon's memory with label values of its own:
#   bench/label_flood.sh [CRAFTED=20000] [LEGIT=20000]
# A store of LEGIT generated dossiers (4 units, 5 fields, 5 departments); the daemon started on
# it; then CRAFTED dossiers posted to the webhook, in process with a late step, each with a unit
# code, field code and department of its own (every other one with a MaHoSo without '-', a field
# with a space and a department name too long to be one). /metrics size and the daemon's resident
# memory before and after. TTHC_BIN picks the executable (default build/tthc-monitor);
# TTHC_FLOOD_SAME=1 posts the same dossiers with one legitimate unit, field and department (what
# the dossiers themselves cost).
set -euo pipefail
cd "$(dirname "$0")/.."
crafted=${1:-20000}
legit=${2:-20000}
bin=${TTHC_BIN:-build/tthc-monitor}
work=$(mktemp -d /tmp/tthc-label-flood.XXXXXX)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
[ -n "${TTHC_BENCH_NO_BUILD:-}" ] || cmake --build build -j2 --target tthc-monitor generate_mc >/dev/null
build/bench/generate_mc "$legit" "$work/legit.jsonl" 7 0.1
"$bin" import "$work/legit.jsonl" --db "$work/d.db" >/dev/null || [ $? -eq 3 ]

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" run --db "$work/d.db" --port "$port" >/dev/null 2>"$work/daemon.log" &
pid=$!
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.05; done
measure() {
  local size
  size=$(curl -sf "http://127.0.0.1:$port/metrics" | wc -c)
  awk -v what="$1" -v size="$size" '/VmRSS/ {printf "%-7s /metrics %8.1f KiB   VmRSS %5.0f MiB\n", what, size/1024, $2/1024}' \
    "/proc/$pid/status"
}
measure before
python3 - "$port" "$crafted" <<'PY'
import json, os, sys, urllib.request
port, n = int(sys.argv[1]), int(sys.argv[2])
same = os.environ.get("TTHC_FLOOD_SAME") == "1"
def dossier(i):
    ok = i % 2 == 0
    if same:
        return {"MaHoSo": f"000.00.12.H42-260302-9{i:06}", "MaTTHC": "1.004227",
                "MaLinhVuc": "ATBXHN", "TrangThaiHoSo": 4, "NgayTiepNhan": "20260302090000",
                "NgayHenTra": "20260306090000",
                "QuaTrinhXuLy": [{"ThoiDiemXuLy": "20260302100000", "TrangThai": 4,
                                  "PhongBanXuLy": "Văn thư",
                                  "NgayKetThucTheoQuyDinh": "20260303100000"}]}
    return {"MaHoSo": f"C{i}.H99-260302-0001" if ok else f"CRAFTED{i}", "MaTTHC": "1.004227",
            "MaLinhVuc": f"F{i}" if ok else f"F {i}", "TrangThaiHoSo": 4,
            "NgayTiepNhan": "20260302090000", "NgayHenTra": "20260306090000",
            "QuaTrinhXuLy": [{"ThoiDiemXuLy": "20260302100000", "TrangThai": 4,
                              "PhongBanXuLy": f"Phòng {i}" if ok else "x" * 200 + str(i),
                              "NgayKetThucTheoQuyDinh": "20260303100000"}]}
for start in range(0, n, 500):
    body = json.dumps({"service": "DongBoHoSoMC",
                       "data": [dossier(i) for i in range(start, min(n, start + 500))]}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/mc", body,
                                 {"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        assert json.load(r)["error_code"] == "0"
PY
want=$((legit + crafted))
until [ "$(curl -sf "http://127.0.0.1:$port/metrics" | awk '/^tthc_dossiers_tracked/ {print $NF}')" = "$want" ]; do
  sleep 0.2
done
measure after
