#!/usr/bin/env bash
# Cost of GET /api/metrics under load (docs/BENCHMARKS.md "Metrics scrape"; issue 15: a scrape costs <= 5 ms).
#
# Usage: bench/metrics/run.sh [N]   (default 16 cameras; env SCRAPES=1000 WARMUP=20 SERVER_DIR=<publish dir>)
#
# N GStreamer cameras as bench/record (tests/cameras/rtsp_camera.py, 640x360 15 fps 600 kbit/s, GOP 1 s, AAC), one
# server recording all of them, metrics_auth = token. After WARMUP: RSS before any scrape, then one scrape and RSS
# again (what the first scrape costs in memory), then the server's CPU over 10 s without scrapes (the baseline),
# then SCRAPES scrapes back to back on one keep-alive connection: per-scrape latency p50/p90/p99/max as the client
# sees it (request to last byte) and the server's CPU per scrape (CPU during the loop minus the baseline rate).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$ROOT/bench/results/metrics}
N=${1:-16}
SERVER_DIR=${SERVER_DIR:-$OUT/lightnvr}
TOKEN=bench-metrics-token-0123456789
mkdir -p "$OUT"
if [ ! -f "$SERVER_DIR/lightnvr.dll" ] || [ "${REBUILD:-0}" = 1 ]; then
  dotnet publish "$ROOT/src/LightNvr/LightNvr.csproj" -c Release -o "$SERVER_DIR" --nologo -v quiet >/dev/null
fi
source "$ROOT/bench/lib.sh"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

RUN=$OUT/n$N; rm -rf "$RUN"; mkdir -p "$RUN"
URLS=()
for i in $(seq 1 "$N"); do
  port=$(free_port)
  /usr/bin/python3 "$ROOT/tests/cameras/rtsp_camera.py" --port "$port" --width 640 --height 360 --fps 15 --gop 15 \
    --bitrate 600 --audio aac > "$RUN/cam$i.log" 2>&1 &
  PIDS+=($!); URLS+=("rtsp://127.0.0.1:$port/cam")
done
for i in $(seq 1 "$N"); do until grep -q READY "$RUN/cam$i.log"; do sleep 0.2; done; done

WEB=$(free_port)
write_server_ini "$RUN" "$WEB" bench-Password-1
sed -i "s/^\[web\]$/[web]\nmetrics_auth = token\nmetrics_token = $TOKEN/" "$RUN/lightnvr.ini"
dotnet "$SERVER_DIR/lightnvr.dll" -c "$RUN/lightnvr.ini" > "$RUN/server.out" 2>&1 &
SRV=$!; PIDS+=($SRV)
until curl -fs "http://127.0.0.1:$WEB/api/health" >/dev/null 2>&1; do sleep 0.3; done
for i in $(seq 1 "$N"); do
  curl -fs -u admin:bench-Password-1 -H 'Content-Type: application/json' \
    -d "{\"name\":\"cam$i\",\"url\":\"${URLS[$((i-1))]}\",\"record\":true,\"record_audio\":true,\"segment_duration\":60}" \
    "http://127.0.0.1:$WEB/api/streams" >/dev/null
done
sleep "${WARMUP:-20}"
python3 "$ROOT/bench/metrics/scrape.py" "$SRV" "$WEB" "$TOKEN" "${SCRAPES:-1000}" "$N" | tee "$OUT/summary-n$N.txt"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary-n$N.txt"
