#!/usr/bin/env bash
# Object detection benchmark (issue 14), one server, one run, three phases of MEASURE seconds each on N recorded
# 640x360 15 fps cameras (tests/cameras/rtsp_camera.py, a moving test pattern):
#   record     recording only (detection_model "")
#   motion     + motion detection (the decoder with its gray output only: the floor of the RGB output's cost)
#   objects    + object detection every second on every camera, motion gate off (upstream's behaviour, worst case)
#   gated      + object detection, motion gate on (what a quiet camera costs; the test pattern's moving parts count
#              as motion, so this is an upper bound)
# CPU is split per thread from /proc: "object-detection" (the inference queue's thread; with [detection_engine]
# threads = 1 ONNX Runtime runs on it), the decoder children (ffmpeg), and the rest of the server (recording, RTSP,
# motion). Usage: bench/detection/objects.sh [N] (env MODELS=folder with centernet.onnx, MEASURE=60 WARMUP=20, THREADS=1)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${1:-4}
OUT=${OUT:-$ROOT/bench/results/objects}
MEASURE=${MEASURE:-60}; WARMUP=${WARMUP:-20}; THREADS=${THREADS:-1}
MODELS=${MODELS:-$ROOT/build/models}
SERVER_DIR=${SERVER_DIR:-$OUT/lightnvr}
TICKS=$(getconf CLK_TCK)
[ -f "$MODELS/centernet.onnx" ] || { echo "no $MODELS/centernet.onnx (make models, or MODELS=folder)"; exit 1; }
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
    --bitrate 600 --audio none > "$RUN/cam$i.log" 2>&1 &
  PIDS+=($!); URLS+=("rtsp://127.0.0.1:$port/cam")
done
for i in $(seq 1 "$N"); do until grep -q READY "$RUN/cam$i.log"; do sleep 0.2; done; done
WEB=$(free_port)
write_server_ini "$RUN" "$WEB" bench-Password-1
printf '[models]\npath = %s\n[detection_engine]\nthreads = %s\n' "$MODELS" "$THREADS" >> "$RUN/lightnvr.ini"
dotnet "$SERVER_DIR/lightnvr.dll" -c "$RUN/lightnvr.ini" > "$RUN/server.out" 2>&1 &
SRV=$!; PIDS+=($SRV)
until curl -fs "http://127.0.0.1:$WEB/api/health" >/dev/null 2>&1; do sleep 0.3; done
api() { # method path body: fails the run with the server's answer when it is not 2xx
  local code t0=$SECONDS; code=$(curl -s -o "$RUN/api.out" -w '%{http_code}' -m 30 -u admin:bench-Password-1 \
    -H 'Content-Type: application/json' -X "$1" -d "$3" "http://127.0.0.1:$WEB$2") \
    || { echo "$1 $2: curl failed ($?) after $((SECONDS - t0)) s"; kill -0 "$SRV" 2>/dev/null || { wait "$SRV" && st=0 || st=$?; echo "server exited: status $st"; }; exit 1; }
  [[ $code == 2* ]] || { echo "$1 $2 -> $code: $(cat "$RUN/api.out")"; exit 1; }
}
for i in $(seq 1 "$N"); do
  api POST /api/streams "{\"name\":\"cam$i\",\"url\":\"${URLS[$((i-1))]}\",\"record\":true,\"detection_model\":\"\"}"
done

# ticks of: server threads named object-detection, the other server threads, the server's children
sample() {
  local det=0 all rest kids=0
  for t in /proc/$SRV/task/*; do
    case "$(cat $t/comm 2>/dev/null)" in object-detect*) ;; *) continue ;; esac  # comm is cut at 15 characters
    det=$((det + $(awk '{print $14+$15}' $t/stat)))
  done
  all=$(awk '{print $14+$15}' /proc/$SRV/stat)
  for c in $(pgrep -P $SRV || true); do kids=$((kids + $(awk '{print $14+$15}' /proc/$c/stat 2>/dev/null || echo 0))); done
  echo "$det $((all - det)) $kids"
}
measure() { # phase name
  sleep "$WARMUP"
  read -r d0 r0 k0 < <(sample); local t0; t0=$(date +%s.%N)
  sleep "$MEASURE"
  read -r d1 r1 k1 < <(sample); local t1; t1=$(date +%s.%N)
  curl -fs -u admin:bench-Password-1 "http://127.0.0.1:$WEB/api/health" > "$RUN/health-$1.json"
  python3 - "$1" "$N" "$d0" "$d1" "$r0" "$r1" "$k0" "$k1" "$t0" "$t1" "$TICKS" "$RUN/health-$1.json" "$(awk '/VmRSS/{print $2}' /proc/$SRV/status)" <<'PY' | tee -a "$OUT/summary.txt"
import sys, json
phase, n = sys.argv[1], int(sys.argv[2]); d0, d1, r0, r1, k0, k1 = (int(x) for x in sys.argv[3:9])
wall = float(sys.argv[10]) - float(sys.argv[9]); ticks = int(sys.argv[11])
pct = lambda a, b: 100.0 * (b - a) / ticks / wall
objs = [(s.get("detection") or {}).get("objects") or {} for s in json.load(open(sys.argv[12]))["streams_detail"]]
inf, offered, dropped = (sum(o.get(k, 0) for o in objs) for k in ("inferences", "frames_offered", "frames_dropped"))
print(f"{phase:<8} N={n}  server (recording, RTSP, motion) {pct(r0, r1):6.2f} %  inference thread {pct(d0, d1):6.2f} %  "
      f"decoders {pct(k0, k1):6.2f} %  total {pct(r0, r1) + pct(d0, d1) + pct(k0, k1):6.2f} % of a core  "
      f"(so far: {offered} object frames offered, {inf} inferences, {dropped} dropped by the queue)")
print(f"         server RSS {int(sys.argv[13]) // 1024} MB")
PY
}
echo "# $(date -u +%FT%TZ) N=$N threads=$THREADS model=$MODELS/centernet.onnx" | tee -a "$OUT/summary.txt"
measure record
for i in $(seq 1 "$N"); do api PUT /api/streams/cam$i '{"detection_model":"motion"}'; done
measure motion
for i in $(seq 1 "$N"); do api PUT /api/streams/cam$i '{"detection_model":"onnx","detection_interval":1,"detection_motion_gate":false,"detection_threshold":50}'; done
measure objects
for i in $(seq 1 "$N"); do api PUT /api/streams/cam$i '{"detection_motion_gate":true}'; done
measure gated
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
