#!/usr/bin/env bash
# WebRTC beside MSE in one run (issue 18): first frame, glass-to-glass latency, server CPU and memory per viewer.
#
# Usage: bench/webrtc/run.sh [N...]    (default: 0 20 WebRTC viewers for the CPU part; env RUNS=5 SECONDS_MEASURED=30)
#
# Setup: bench/webrtc/timecode_camera.py (GStreamer RTSP server, 640x360 15 fps H.264 high, 600 kbit/s, GOP 60 = 4 s,
# PCMU; each picture shows its capture time as 32 squares) recorded by the published server (Release), so the hub
# always has a cached GOP. Needs `npm ci` in tests/browser (playwright-core, node-datachannel).
# 1. RUNS rounds of headless Debian chromium runs (tests/browser/play.mjs …  timecode), WebRTC (go2rtc JSON POST,
#    video only like the muted live tile), MSE (go2rtc WebSocket), WebRTC with an audio section, and "loopback" (chromium's WebRTC with itself in one page, no server: the browser's own
#    floor for a new peer connection's first frame), 1.3 s apart so they land at different places in the GOP. firstFrameMs: from the page
#    opening the connection to the first frame painted (requestVideoFrameCallback); g2g: Date.now() minus the
#    capture time read back from each painted frame (median over the last 3/4 of 6 s); phases: ms to each step.
# 2. For each N: N node-datachannel WebRTC viewers (tests/browser/ndc_viewers.mjs) for WARMUP + SECONDS_MEASURED;
#    server CPU = utime+stime delta of /proc/PID/stat over the measured window, RSS = VmRSS at its end; per viewer =
#    (value − value at N=0) / N; camera connections = ESTABLISHED sockets to the camera port.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$ROOT/bench/results/webrtc}
RUNS=${RUNS:-5}
MEASURE=${SECONDS_MEASURED:-30}
WARMUP=${WARMUP:-8}
COUNTS=("$@"); [ $# -eq 0 ] && COUNTS=(0 20)
SERVER_DIR=${SERVER_DIR:-$OUT/lightnvr}
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
/usr/bin/python3 "$ROOT/bench/webrtc/timecode_camera.py" --port "$CAM_PORT" --gop 60 > "$RUN/cam.log" 2>&1 &
PIDS+=($!)
until grep -q READY "$RUN/cam.log"; do sleep 0.2; done

WEB=$(free_port)
write_server_ini "$RUN" "$WEB" "$PASS"
sed -i "s/^log_level = 1$/log_level = 2/" "$RUN/lightnvr.ini" # info: each WebRTC viewer's connect timings
dotnet "$SERVER_DIR/lightnvr.dll" -c "$RUN/lightnvr.ini" > "$RUN/server.out" 2>&1 &
SRV=$!; PIDS+=($SRV)
until curl -fs "http://127.0.0.1:$WEB/api/health" >/dev/null 2>&1; do sleep 0.3; done
curl -fs -u "admin:$PASS" -H 'Content-Type: application/json' \
  -d "{\"name\":\"cam\",\"url\":\"rtsp://127.0.0.1:$CAM_PORT/cam\",\"record\":true}" \
  "http://127.0.0.1:$WEB/api/streams" >/dev/null
sleep 8

summary() { # one line of a play.mjs result
  python3 -c 'import json,sys
r=json.loads(sys.stdin.read()); g=r.get("g2g") or {}; ph=json.dumps(r.get("phases"),separators=(",",":"))
print("%-7s firstFrameMs=%7.0f  g2g median=%s p90=%s (n=%s)  dropped=%s  error=%s  phases=%s" % (sys.argv[1],
  r.get("firstFrameMs") or -1, g.get("medianMs"), g.get("p90Ms"), g.get("n"), r.get("droppedFrames"), r.get("error"), ph))' "$1"
}
[ "$RUNS" -gt 0 ] && echo "chromium, $RUNS runs each, WebRTC (go2rtc JSON POST) and MSE (go2rtc WebSocket) alternating" | tee "$OUT/summary.txt"
for i in $(seq 1 "$RUNS"); do
  for mode in webrtc mse loopback webrtc-audio; do
    sleep 1.3 # land at different places inside the 4 s GOP
    # webrtc: video only, as the muted live tile asks (web/src/lib/player/webrtc.js); webrtc-audio: with an audio section
    WEBRTC_AUDIO=$([ "$mode" = webrtc ] && echo 0 || echo 1) node "$ROOT/tests/browser/play.mjs" "http://127.0.0.1:$WEB" cam \
      "${mode%-audio}" admin "$PASS" 6 timecode > "$RUN/play-$mode-$i.json"
    summary "$mode" < "$RUN/play-$mode-$i.json" | tee -a "$OUT/summary.txt"
  done
done
grep -h "WebRTC viewer of cam" "$RUN"/lightnvr.log* 2>/dev/null | sed 's/^.*WebRTC viewer/WebRTC viewer/' | tee -a "$OUT/summary.txt" || true
python3 - "$RUN" "$RUNS" <<'PY' | tee -a "$OUT/summary.txt"
import json, statistics, sys
run, runs = sys.argv[1], int(sys.argv[2])
def col(mode, f):
    vals = []
    for i in range(1, runs + 1):
        try: r = json.load(open(f"{run}/play-{mode}-{i}.json"))
        except Exception: continue
        v = f(r)
        if v is not None: vals.append(v)
    return vals
for name, f in [("first frame ms", lambda r: r.get("firstFrameMs")), ("glass-to-glass ms", lambda r: (r.get("g2g") or {}).get("medianMs"))]:
    w, m, l, a = col("webrtc", f), col("mse", f), col("loopback", f), col("webrtc-audio", f)
    if w and m:
        print(f"{name:<18} WebRTC median {statistics.median(w):6.0f} (min {min(w):.0f}, max {max(w):.0f})   "
              f"MSE median {statistics.median(m):6.0f} (min {min(m):.0f}, max {max(m):.0f})   ratio WebRTC/MSE {statistics.median(w)/statistics.median(m):.2f}"
              + (f"   chromium loopback median {statistics.median(l):.0f}" if l else "")
              + (f"   WebRTC with audio median {statistics.median(a):.0f} (min {min(a):.0f}, max {max(a):.0f})" if a else ""))
PY

printf '%-8s %12s %10s %16s %16s %10s %s\n' viewers "CPU % core" "RSS MB" "CPU %/viewer" "RSS MB/viewer" "cam conns" \
  "node-datachannel viewers" | tee -a "$OUT/summary.txt"
BASE_CPU=""; BASE_RSS=""
for N in "${COUNTS[@]}"; do
  [ "$N" = none ] && break
  VIEW_OUT=$RUN/ndc-$N.json
  if [ "$N" -gt 0 ]; then
    node "$ROOT/tests/browser/ndc_viewers.mjs" "http://127.0.0.1:$WEB" cam admin "$PASS" "$N" $((WARMUP + MEASURE)) > "$VIEW_OUT" &
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
  printf '%-8s %12s %10s %16s %16s %10s %s\n' "$N" "$CPU" "$RSSMB" ${PER} "$CONNS" "$VIEW" | tee -a "$OUT/summary.txt"
  sleep 3
done
