#!/usr/bin/env bash
# Motion detection benchmark (issue 13): CPU of LightNVR detecting motion at 5 fps on N 640x360 cameras (the server
# plus its ffmpeg decoder children) against the floor, N plain `ffmpeg -i URL -an -f null -` decodes of the same
# cameras, in the same run. Targets (docs/architecture.md): ours <= 1.5 x the floor; 16 cameras <= 60 % of one core.
#
# Usage: bench/detection/run.sh [N...]   (default: 1 16; env SECONDS_MEASURED=60 WARMUP=20, CAM_FPS CAM_KBPS)
# Ours: streams created through the API with detection_model "motion" and record false (so the CPU is detection's:
# RTSP receive, hub, Annex-B to ffmpeg's stdin, ffmpeg decode + fps + scale to 320x180 gray, the C# motion detector).
# CPU = utime+stime deltas from /proc/PID/stat of the server and its children (pgrep -P) vs the floor ffmpegs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$ROOT/bench/results/detection}
MEASURE=${SECONDS_MEASURED:-60}
WARMUP=${WARMUP:-20}
COUNTS=("$@"); [ $# -eq 0 ] && COUNTS=(1 16)
SERVER_DIR=${SERVER_DIR:-$OUT/lightnvr}
CAM_FPS=${CAM_FPS:-15}; CAM_KBPS=${CAM_KBPS:-600}
TICKS=$(getconf CLK_TCK)
mkdir -p "$OUT"
if [ ! -f "$SERVER_DIR/lightnvr.dll" ] || [ "${REBUILD:-0}" = 1 ]; then
  dotnet publish "$ROOT/src/LightNvr/LightNvr.csproj" -c Release -o "$SERVER_DIR" --nologo -v quiet >/dev/null
fi
source "$ROOT/bench/lib.sh"
cpu_ticks() { local t=0; for p in "$@"; do [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $t; }
tree() { echo "$1" $(pgrep -P "$1" || true); }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

printf '%-4s %-22s %14s %14s\n' N what "CPU % of core" "CPU %/camera" | tee "$OUT/summary.txt"
for N in "${COUNTS[@]}"; do
  RUN=$OUT/n$N; rm -rf "$RUN"; mkdir -p "$RUN"
  CAMS=(); URLS=()
  for i in $(seq 1 "$N"); do
    port=$(free_port)
    /usr/bin/python3 "$ROOT/tests/cameras/rtsp_camera.py" --port "$port" --width 640 --height 360 --fps "$CAM_FPS" \
      --gop "$CAM_FPS" --bitrate "$CAM_KBPS" --audio none > "$RUN/cam$i.log" 2>&1 &
    CAMS+=($!); PIDS+=($!); URLS+=("rtsp://127.0.0.1:$port/cam")
  done
  for i in $(seq 1 "$N"); do until grep -q READY "$RUN/cam$i.log"; do sleep 0.2; done; done
  WEB=$(free_port)
  write_server_ini "$RUN" "$WEB" bench-Password-1
  dotnet "$SERVER_DIR/lightnvr.dll" -c "$RUN/lightnvr.ini" > "$RUN/server.out" 2>&1 &
  SRV=$!; PIDS+=($SRV)
  until curl -fs "http://127.0.0.1:$WEB/api/health" >/dev/null 2>&1; do sleep 0.3; done
  for i in $(seq 1 "$N"); do
    curl -fs -u admin:bench-Password-1 -H 'Content-Type: application/json' \
      -d "{\"name\":\"cam$i\",\"url\":\"${URLS[$((i-1))]}\",\"record\":false,\"detection_model\":\"motion\"}" \
      "http://127.0.0.1:$WEB/api/streams" >/dev/null
  done
  FF=()
  for i in $(seq 1 "$N"); do
    ffmpeg -nostdin -loglevel error -rtsp_transport tcp -i "${URLS[$((i-1))]}" -an -f null - > "$RUN/floor$i.log" 2>&1 &
    FF+=($!); PIDS+=($!)
  done
  sleep "$WARMUP"
  OURS=$(tree $SRV)
  S0=$(cpu_ticks $OURS); F0=$(cpu_ticks "${FF[@]}"); P0=$(cpu_ticks $SRV); T0=$(date +%s.%N)
  sleep "$MEASURE"
  S1=$(cpu_ticks $OURS); F1=$(cpu_ticks "${FF[@]}"); P1=$(cpu_ticks $SRV); T1=$(date +%s.%N)
  DECODERS=$(( $(echo $OURS | wc -w) - 1 ))
  curl -fs -u admin:bench-Password-1 "http://127.0.0.1:$WEB/api/health" > "$RUN/health.json"
  FRAMES=$(python3 -c 'import json,sys; print(sum(s.get("detection",{}).get("frames_analyzed",0) for s in json.load(open(sys.argv[1]))["streams_detail"]))' "$RUN/health.json")
  python3 - "$N" "$S0" "$S1" "$F0" "$F1" "$T0" "$T1" "$TICKS" "$DECODERS" "$FRAMES" "$P0" "$P1" <<'PY' | tee -a "$OUT/summary.txt"
import sys
n, s0, s1, f0, f1 = (int(x) for x in sys.argv[1:6]); t0, t1 = float(sys.argv[6]), float(sys.argv[7])
ticks, decoders, frames, p0, p1 = (int(x) for x in sys.argv[8:13]); wall = t1 - t0
ours = 100.0 * (s1 - s0) / ticks / wall; ff = 100.0 * (f1 - f0) / ticks / wall; srv = 100.0 * (p1 - p0) / ticks / wall
print(f"{n:<4} {'lightnvr motion 5 fps':<22} {ours:14.2f} {ours/n:14.3f}  ({decoders} decoders, {frames} frames analysed)")
print(f"{n:<4} {'  of which the server':<22} {srv:14.2f} {srv/n:14.3f}  (decoders {ours - srv:.2f})")
print(f"{n:<4} {'ffmpeg decode (floor)':<22} {ff:14.2f} {ff/n:14.3f}")
print(f"{n:<4} {'ratio':<22} {ours/ff if ff else float('nan'):14.2f}")
PY
  grep -c "Motion detection on" "$RUN/server.out" >/dev/null || true
  for p in "${FF[@]}" $SRV "${CAMS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PIDS=()
  echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
done
