#!/usr/bin/env bash
# Live viewing benchmark (issue 4, architecture targets: first frame ≤ 500 ms with a 4 s GOP, MSE latency ≤ 1.5 s,
# 50 MSE viewers on one camera connection with the producer never blocked).
#
# Usage: bench/live/run.sh [N...]        (default: 0 10 50 viewers; env SECONDS_MEASURED=30 WARMUP=5)
#
# Setup: one GStreamer RTSP camera (tests/cameras/rtsp_camera.py: 640x360, 15 fps, 600 kbit/s, GOP 60 = 4 s, AAC),
# the published server (Release) with the camera as a recorded stream (always connected, so N = 0 is the baseline of
# one camera connected and recorded). For each N: N go2rtc MSE WebSocket viewers (bench/live/viewers.mjs, node's
# WebSocket) for WARMUP + SECONDS_MEASURED; server CPU = utime+stime delta of /proc/PID/stat over the measured
# window, RSS = VmRSS at its end; camera connections = ESTABLISHED sockets to the camera port in /proc/net/tcp*.
# Then headless Debian chromium (tests/browser/play.mjs; needs `npm ci` there): 5 MSE runs for the first-frame time
# (page start → first video frame painted, requestVideoFrameCallback) and the buffer ahead of the playhead
# (buffered.end − currentTime, median of 250 ms samples: the player-side latency on top of the network), 1 HLS run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$ROOT/bench/results/live}
MEASURE=${SECONDS_MEASURED:-30}
WARMUP=${WARMUP:-5}
COUNTS=("$@"); [ $# -eq 0 ] && COUNTS=(0 10 50)
SERVER_DIR=$OUT/lightnvr
TICKS=$(getconf CLK_TCK)
PASS=bench-Password-1

mkdir -p "$OUT"
if [ ! -f "$SERVER_DIR/lightnvr.dll" ] || [ "${REBUILD:-0}" = 1 ]; then
  dotnet publish "$ROOT/src/LightNvr/LightNvr.csproj" -c Release -o "$SERVER_DIR" --nologo -v quiet >/dev/null
fi

source "$ROOT/bench/lib.sh"
cpu_ticks() { awk '{print $14+$15}' /proc/$1/stat; }
rss_kb() { awk '/VmRSS/{print $2}' /proc/$1/status; }
conns_to() { local hex; hex=$(printf ':%04X' "$1"); cat /proc/net/tcp /proc/net/tcp6 | awk -v h="$hex" '$3 ~ h"$" && $4 == "01"' | wc -l; }

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

RUN=$OUT/run; rm -rf "$RUN"; mkdir -p "$RUN"
CAM_PORT=$(free_port)
/usr/bin/python3 "$ROOT/tests/cameras/rtsp_camera.py" --port "$CAM_PORT" --width 640 --height 360 --fps 15 --gop 60 \
  --bitrate 600 --audio aac > "$RUN/cam.log" 2>&1 &
PIDS+=($!)
until grep -q READY "$RUN/cam.log"; do sleep 0.2; done

WEB=$(free_port)
write_server_ini "$RUN" "$WEB" "$PASS"
dotnet "$SERVER_DIR/lightnvr.dll" -c "$RUN/lightnvr.ini" > "$RUN/server.out" 2>&1 &
SRV=$!; PIDS+=($SRV)
until curl -fs "http://127.0.0.1:$WEB/api/health" >/dev/null 2>&1; do sleep 0.3; done
curl -fs -u "admin:$PASS" -H 'Content-Type: application/json' \
  -d "{\"name\":\"cam\",\"url\":\"rtsp://127.0.0.1:$CAM_PORT/cam\",\"record\":true,\"record_audio\":true}" \
  "http://127.0.0.1:$WEB/api/streams" >/dev/null
sleep 8

printf '%-8s %12s %10s %16s %16s %12s %s\n' viewers "CPU % core" "RSS MB" "CPU %/viewer" "RSS MB/viewer" "cam conns" \
  "viewers' fragments (min/median over the whole run)" | tee "$OUT/summary.txt"
BASE_CPU=""; BASE_RSS=""
for N in "${COUNTS[@]}"; do
  VIEW_OUT=$RUN/viewers-$N.json
  if [ "$N" -gt 0 ]; then
    node --experimental-websocket --no-warnings "$ROOT/bench/live/viewers.mjs" "ws://127.0.0.1:$WEB/go2rtc/api/ws?src=cam" \
      "admin:$PASS" "$N" $((WARMUP + MEASURE)) > "$VIEW_OUT" &
    VPID=$!
  fi
  sleep "$WARMUP"
  C0=$(cpu_ticks $SRV); T0=$(date +%s.%N)
  sleep "$MEASURE"
  C1=$(cpu_ticks $SRV); T1=$(date +%s.%N); RSS=$(rss_kb $SRV); CONNS=$(conns_to "$CAM_PORT")
  if [ "$N" -gt 0 ]; then wait "$VPID"; VIEW=$(cat "$VIEW_OUT"); else VIEW="{}"; fi
  read -r CPU RSSMB < <(python3 -c "import sys; c0,c1,tk,rss=map(int,sys.argv[1:5]); t0,t1=map(float,sys.argv[5:7]); print(f'{100*(c1-c0)/tk/(t1-t0):.2f} {rss/1024:.1f}')" \
    "$C0" "$C1" "$TICKS" "$RSS" "$T0" "$T1")
  if [ -z "$BASE_CPU" ]; then BASE_CPU=$CPU; BASE_RSS=$RSSMB; fi
  PER=$(python3 -c "import sys; n=int(sys.argv[1]); c,bc,r,br=map(float,sys.argv[2:6]); print(f'{(c-bc)/n:.3f} {(r-br)/n:.3f}' if n else '- -')" \
    "$N" "$CPU" "$BASE_CPU" "$RSSMB" "$BASE_RSS")
  printf '%-8s %12s %10s %16s %16s %12s %s\n' "$N" "$CPU" "$RSSMB" ${PER} "$CONNS" "$VIEW" | tee -a "$OUT/summary.txt"
  sleep 3
done

echo "chromium (MSE): first frame ms, buffer ahead of playhead s (median / max)" | tee -a "$OUT/summary.txt"
for i in 1 2 3 4 5; do
  sleep 1.3 # land at different places inside the 4 s GOP
  node "$ROOT/tests/browser/play.mjs" "http://127.0.0.1:$WEB" cam mse admin "$PASS" 6 | tee -a "$OUT/summary.txt"
done
echo "chromium (HLS via hls.js):" | tee -a "$OUT/summary.txt"
node "$ROOT/tests/browser/play.mjs" "http://127.0.0.1:$WEB" cam hls admin "$PASS" 8 | tee -a "$OUT/summary.txt"
