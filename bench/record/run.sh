#!/usr/bin/env bash
# Recording benchmark: CPU and memory of LightNVR recording N cameras against `ffmpeg -c copy -f segment` recording
# the same cameras in the same run (issue 3, architecture targets "CPU to record one camera" and "memory per camera").
#
# Usage: bench/record/run.sh [N...]   (default: 1 4 16; env SECONDS_MEASURED=60 WARMUP=30 IDLE_SETTLE=20 IDLE_SECONDS=10,
#        CAM_WIDTH CAM_HEIGHT CAM_FPS CAM_GOP CAM_KBPS for the test camera)
#
# Setup (honest on a 2-core box): N independent GStreamer RTSP cameras (tests/cameras/rtsp_camera.py, one process and
# one x264 encoder each, 640x360 at 15 fps, 600 kbit/s, GOP 1 s, AAC 16 kHz) instead of the 720p25 anchor: 16 720p
# encoders would saturate both cores and starve both recorders. Each camera's pipeline is shared (like a real camera),
# so our server and ffmpeg each hold their own RTSP/TCP session to every camera and receive identical streams.
# Ours: one server process, N streams created through the API, record: true, 60 s segments.
# ffmpeg: N processes `ffmpeg -rtsp_transport tcp -i URL -c copy -f segment -segment_time 60`.
# Measured over SECONDS_MEASURED after WARMUP: CPU = utime+stime delta from /proc/PID/stat (all ffmpeg processes
# summed), RSS = VmRSS at the end (ours minus its idle RSS before any camera, reported too).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$ROOT/bench/results/record}
MEASURE=${SECONDS_MEASURED:-60}
WARMUP=${WARMUP:-30}
COUNTS=("${@:-1 4 16}")
[ $# -eq 0 ] && COUNTS=(1 4 16)
SERVER_DIR=${SERVER_DIR:-$OUT/lightnvr} # a publish folder to measure; built here when it has no lightnvr.dll
# The test camera; CAM_WIDTH=1280 CAM_HEIGHT=720 CAM_FPS=25 CAM_GOP=50 CAM_KBPS=2000 is the architecture's 720p25 anchor.
CAM_WIDTH=${CAM_WIDTH:-640}; CAM_HEIGHT=${CAM_HEIGHT:-360}; CAM_FPS=${CAM_FPS:-15}; CAM_GOP=${CAM_GOP:-15}
CAM_KBPS=${CAM_KBPS:-600}
TICKS=$(getconf CLK_TCK)
PAGE_KB=$(( $(getconf PAGESIZE) / 1024 ))

mkdir -p "$OUT"
if [ ! -f "$SERVER_DIR/lightnvr.dll" ] || [ "${REBUILD:-0}" = 1 ]; then
  dotnet publish "$ROOT/src/LightNvr/LightNvr.csproj" -c Release -o "$SERVER_DIR" --nologo -v quiet >/dev/null
fi

source "$ROOT/bench/lib.sh"
cpu_ticks() { local t=0; for p in "$@"; do [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $t; }
rss_kb() { local t=0; for p in "$@"; do [ -r /proc/$p/status ] && t=$((t + $(awk '/VmRSS/{print $2}' /proc/$p/status))); done; echo $t; }

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

printf '%-4s %-10s %14s %14s %12s %12s\n' N recorder "CPU % of core" "CPU %/camera" "RSS MB" "RSS MB/cam" | tee "$OUT/summary.txt"
for N in "${COUNTS[@]}"; do
  RUN=$OUT/n$N; rm -rf "$RUN"; mkdir -p "$RUN/ffmpeg"
  CAMS=(); URLS=()
  for i in $(seq 1 "$N"); do
    port=$(free_port)
    /usr/bin/python3 "$ROOT/tests/cameras/rtsp_camera.py" --port "$port" --width "$CAM_WIDTH" --height "$CAM_HEIGHT" \
      --fps "$CAM_FPS" --gop "$CAM_GOP" --bitrate "$CAM_KBPS" --audio aac > "$RUN/cam$i.log" 2>&1 &
    CAMS+=($!); PIDS+=($!); URLS+=("rtsp://127.0.0.1:$port/cam")
  done
  for i in $(seq 1 "$N"); do until grep -q READY "$RUN/cam$i.log"; do sleep 0.2; done; done

  # Our server, idle first.
  WEB=$(free_port)
  write_server_ini "$RUN" "$WEB" bench-Password-1
  dotnet "$SERVER_DIR/lightnvr.dll" -c "$RUN/lightnvr.ini" > "$RUN/server.out" 2>&1 &
  SRV=$!; PIDS+=($SRV)
  until curl -fs "http://127.0.0.1:$WEB/api/health" >/dev/null 2>&1; do sleep 0.3; done
  sleep "${IDLE_SETTLE:-20}" # past start-up work (JIT, first-admin password hashing) before "idle" is measured
  IDLE_RSS=$(rss_kb $SRV)
  I0=$(cpu_ticks $SRV); IT0=$(date +%s.%N); sleep "${IDLE_SECONDS:-10}"; I1=$(cpu_ticks $SRV); IT1=$(date +%s.%N)
  for i in $(seq 1 "$N"); do
    curl -fs -u admin:bench-Password-1 -H 'Content-Type: application/json' \
      -d "{\"name\":\"cam$i\",\"url\":\"${URLS[$((i-1))]}\",\"record\":true,\"record_audio\":true,\"segment_duration\":60}" \
      "http://127.0.0.1:$WEB/api/streams" >/dev/null
  done

  FF=()
  for i in $(seq 1 "$N"); do
    mkdir -p "$RUN/ffmpeg/cam$i"
    ffmpeg -nostdin -loglevel error -rtsp_transport tcp -i "${URLS[$((i-1))]}" -c copy -f segment -segment_time 60 \
      -segment_format mp4 -reset_timestamps 1 "$RUN/ffmpeg/cam$i/%05d.mp4" > "$RUN/ffmpeg/cam$i.log" 2>&1 &
    FF+=($!); PIDS+=($!)
  done

  sleep "$WARMUP"
  S0=$(cpu_ticks $SRV); F0=$(cpu_ticks "${FF[@]}"); T0=$(date +%s.%N)
  sleep "$MEASURE"
  S1=$(cpu_ticks $SRV); F1=$(cpu_ticks "${FF[@]}"); T1=$(date +%s.%N)
  SRSS=$(rss_kb $SRV); FRSS=$(rss_kb "${FF[@]}")
  python3 - "$N" "$S0" "$S1" "$F0" "$F1" "$T0" "$T1" "$TICKS" "$SRSS" "$IDLE_RSS" "$FRSS" "$I0" "$I1" "$IT0" "$IT1" <<'PY' | tee -a "$OUT/summary.txt"
import sys
n, s0, s1, f0, f1 = (int(x) for x in sys.argv[1:6]); t0, t1 = float(sys.argv[6]), float(sys.argv[7])
ticks, srss, idle, frss, i0, i1 = (int(x) for x in sys.argv[8:14]); it0, it1 = float(sys.argv[14]), float(sys.argv[15])
wall = t1 - t0
ours = 100.0 * (s1 - s0) / ticks / wall; ff = 100.0 * (f1 - f0) / ticks / wall
idle_cpu = 100.0 * (i1 - i0) / ticks / (it1 - it0)
print(f"{n:<4} {'lightnvr':<10} {ours:14.2f} {ours/n:14.3f} {srss/1024:12.1f} {(srss-idle)/1024/n:12.2f}  "
      f"(idle: {idle_cpu:.2f} % CPU, {idle/1024:.1f} MB RSS; above idle: {(ours-idle_cpu)/n:.3f} %/camera)")
print(f"{n:<4} {'ffmpeg':<10} {ff:14.2f} {ff/n:14.3f} {frss/1024:12.1f} {frss/1024/n:12.2f}")
print(f"{n:<4} {'ratio':<10} {ours/ff if ff else float('nan'):14.2f} {'':14} {'':12} {((srss-idle)/n)/(frss/n) if frss else float('nan'):12.3f}")
PY
  for p in "${FF[@]}" $SRV "${CAMS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PIDS=()
  du -sh "$RUN/mp4" "$RUN/ffmpeg" 2>/dev/null | sed 's/^/  bytes recorded: /' | tee -a "$OUT/summary.txt"
  echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
done
