#!/usr/bin/env bash
# Soak test (issue 11): the built server under everything at once for MINUTES (default 30), then checks that nothing
# leaked or broke. Not part of `make test`; run it with `make soak` (SOAK_MINUTES=5 for a short run).
#
# Usage: bench/soak/run.sh [MINUTES]
#   env: CAMERAS=16 VIEWERS=20 API_RATE=5 (requests/s) SEGMENT=30 (s) SAMPLE=30 (s) WARMUP (s; 300, or a third of a
#        run shorter than 15 min) FLAP_EVERY=120 FLAP_DOWN=20 (s) SWEEP_EVERY=60 (s) QUOTA_MB=2 TOLERANCE=10 (%)
#        OUT=bench/results/soak SERVER=build/lightnvr/lightnvr
#
# What runs, all on 127.0.0.1:
# - the server (build/lightnvr/lightnvr, `make build`) with everything in the run folder, info logging;
# - CAMERAS GStreamer cameras (tests/cameras/rtsp_camera.py, 320x180, 10 fps, GOP 2 s, 150 kbit/s, AAC), added through
#   POST /api/streams as recorded streams with SEGMENT-second segments; the second half get max_storage_mb=QUOTA_MB,
#   so the retention sweep deletes their oldest segments all through the run (the first half keeps everything);
# - viewer churn (viewers.mjs): VIEWERS viewers joining a random camera for 10-60 s, leaving, joining again
#   (3/4 MSE over WebSocket, 1/4 HTTP stream.mp4);
# - API load (api.mjs): API_RATE requests/s over streams, health, storage health, recordings, timeline;
# - camera flaps: every FLAP_EVERY s one camera goes away for FLAP_DOWN s, alternately its process killed and
#   restarted on the same port, and the stream disabled and enabled again through PUT /api/streams/{name};
# - a retention sweep every SWEEP_EVERY s (POST /api/storage/cleanup), besides the server's own every 5 minutes.
# Sampled every SAMPLE s into samples.csv: VmRSS, open fds, sockets, threads, CPU ticks, client connections to the web
# port (viewers + API: load, not leaks; subtracted from fds and sockets before the flatness check).
# At the end (server stopped with SIGTERM): report.py checks RSS, fds and sockets flat within ±TOLERANCE % (median of
# the first 4 samples after WARMUP against the median of the last 4), no ERROR line in the log, every segment on disk
# decodes (`ffmpeg -v error -xerror`), every row complete with its file and the file's size, no file without a row,
# every viewer join outside a flap got media, no API error. Exit code 1 when any check fails.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MINUTES=${1:-${SOAK_MINUTES:-30}}
CAMERAS=${CAMERAS:-16}; VIEWERS=${VIEWERS:-20}; API_RATE=${API_RATE:-5}
SEGMENT=${SEGMENT:-30}; SAMPLE=${SAMPLE:-30}
WARMUP=${WARMUP:-$(( MINUTES >= 15 ? 300 : MINUTES * 60 / 3 ))}
FLAP_EVERY=${FLAP_EVERY:-120}; FLAP_DOWN=${FLAP_DOWN:-20}; SWEEP_EVERY=${SWEEP_EVERY:-60}
QUOTA_MB=${QUOTA_MB:-2}; TOLERANCE=${TOLERANCE:-10}
OUT=${OUT:-$ROOT/bench/results/soak}
SERVER=${SERVER:-$ROOT/build/lightnvr/lightnvr}
PASS=soak-Password-1
DURATION=$((MINUTES * 60))
# Bounds: a camera or the server that is not up in this time fails the run instead of hanging it.
MAX_START_WAIT=60
# SIGTERM to exit: recorders finish their segments (docs/recording.md); past this the server is killed and that fails.
MAX_STOP_WAIT=30
# One segment's decode: a 30 s 320x180 segment takes well under a second; this only stops a hung ffmpeg.
MAX_DECODE_SECONDS=120

[ -x "$SERVER" ] || { echo "soak: $SERVER not found; run 'make build' first" >&2; exit 2; }
source "$ROOT/bench/lib.sh"
RUN=$OUT/run; rm -rf "$RUN"; mkdir -p "$RUN/down"
log() { echo "[$(date +%T)] $*" | tee -a "$RUN/progress.log"; }

PIDS=(); SRV=""; declare -a CAM_PID CAM_PORT
cleanup() {
  for p in "${PIDS[@]}" "${CAM_PID[@]}" $SRV; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...: poll COMMAND until it succeeds, fail the run after SECONDS
  local until=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $until ] || { log "FAIL: $what not ready after ${MAX_START_WAIT}s"; exit 1; }
    sleep 0.3
  done
}
start_camera() { # start_camera I: (re)start camera I on its port
  /usr/bin/python3 "$ROOT/tests/cameras/rtsp_camera.py" --port "${CAM_PORT[$1]}" --width 320 --height 180 --fps 10 \
    --gop 20 --bitrate 150 --audio aac >> "$RUN/cam$1.log" 2>&1 &
  CAM_PID[$1]=$!
}
api() { curl -fsS -m 10 -u "admin:$PASS" -H 'Content-Type: application/json' "$@"; }

# --- cameras and server ---------------------------------------------------------------------------------------------
for i in $(seq 1 "$CAMERAS"); do CAM_PORT[$i]=$(free_port); start_camera "$i"; done
for i in $(seq 1 "$CAMERAS"); do wait_for $MAX_START_WAIT "camera $i" grep -q READY "$RUN/cam$i.log"; done

WEB=$(free_port)
write_server_ini "$RUN" "$WEB" "$PASS"
sed -i 's/^log_level = 1$/log_level = 2/' "$RUN/lightnvr.ini"
"$SERVER" -c "$RUN/lightnvr.ini" > "$RUN/server.out" 2>&1 &
SRV=$!
BASE=http://127.0.0.1:$WEB
wait_for $MAX_START_WAIT "server" curl -fs "$BASE/api/health"
for i in $(seq 1 "$CAMERAS"); do
  quota=0; [ "$i" -gt $((CAMERAS / 2)) ] && quota=$QUOTA_MB
  api -d "{\"name\":\"cam$i\",\"url\":\"rtsp://127.0.0.1:${CAM_PORT[$i]}/cam\",\"record\":true,\"record_audio\":true,
    \"segment_duration\":$SEGMENT,\"max_storage_mb\":$quota}" "$BASE/api/streams" >/dev/null
done
log "server pid $SRV on $BASE, $CAMERAS cameras added; soak for $MINUTES min (warm-up ${WARMUP}s)"

# --- load -----------------------------------------------------------------------------------------------------------
node --experimental-websocket --no-warnings "$ROOT/bench/soak/viewers.mjs" "$BASE" "admin:$PASS" "$CAMERAS" "$VIEWERS" \
  "$DURATION" "$RUN/down" > "$RUN/viewers.json" 2> "$RUN/viewers.err" &
VIEWERS_PID=$!; PIDS+=($VIEWERS_PID)
node --no-warnings "$ROOT/bench/soak/api.mjs" "$BASE" "admin:$PASS" "$CAMERAS" "$API_RATE" "$DURATION" \
  > "$RUN/api.json" 2> "$RUN/api.err" &
API_PID=$!; PIDS+=($API_PID)

WEB_HEX=$(printf ':%04X' "$WEB")
sample() {
  local rss thr fds socks clients ticks files
  rss=$(awk '/^VmRSS/{print $2}' /proc/$SRV/status); thr=$(awk '/^Threads/{print $2}' /proc/$SRV/status)
  # find may fail on an fd closed while it lists them (or on mp4/ before the first segment): count what it saw.
  fds=$( (find /proc/$SRV/fd -mindepth 1 2>/dev/null || true) | wc -l)
  socks=$( (find /proc/$SRV/fd -mindepth 1 -lname 'socket:*' 2>/dev/null || true) | wc -l)
  clients=$(cat /proc/net/tcp /proc/net/tcp6 | awk -v h="$WEB_HEX" '$2 ~ h"$" && $4 == "01"' | wc -l)
  ticks=$(awk '{print $14+$15}' /proc/$SRV/stat)
  files=$( (find "$RUN/mp4" -name '*.mp4' 2>/dev/null || true) | wc -l)
  echo "$1,$rss,$fds,$socks,$clients,$thr,$ticks,$files,$(cut -d' ' -f1 /proc/loadavg)" >> "$RUN/samples.csv"
}
echo "elapsed_s,rss_kb,fds,sockets,web_clients,threads,cpu_ticks,mp4_files,load1" > "$RUN/samples.csv"

# --- the soak: one loop, one-second ticks, each activity when it is due ----------------------------------------------
T0=$SECONDS; next_sample=0; next_flap=$FLAP_EVERY; next_sweep=$SWEEP_EVERY
FLAPS=0; SWEEPS=0; SWEEP_FAILS=0; FLAP_FAILS=0; flap_cam=0; flap_kind=""; flap_up_at=-1; flap_clear_at=-1
while :; do
  t=$((SECONDS - T0))
  [ -d /proc/$SRV ] || { log "FAIL: the server exited during the soak (see $RUN/server.out)"; exit 1; }
  if [ $t -ge $next_sample ]; then sample "$t"; next_sample=$((next_sample + SAMPLE)); fi
  [ $t -ge $DURATION ] && break
  if [ $t -ge $next_sweep ]; then
    if api -X POST "$BASE/api/storage/cleanup" >/dev/null; then SWEEPS=$((SWEEPS + 1)); else SWEEP_FAILS=$((SWEEP_FAILS + 1)); fi
    next_sweep=$((next_sweep + SWEEP_EVERY))
  fi
  # A flap: down now, up FLAP_DOWN s later; the "down" mark stays 30 s more (reconnect backoff, first keyframe).
  if [ $t -ge $next_flap ] && [ $flap_cam -eq 0 ] && [ $t -lt $((DURATION - FLAP_DOWN - 40)) ]; then
    flap_cam=$(( FLAPS % CAMERAS + 1 )); FLAPS=$((FLAPS + 1)); touch "$RUN/down/cam$flap_cam"
    if [ $((FLAPS % 2)) -eq 1 ]; then
      flap_kind=kill; kill "${CAM_PID[$flap_cam]}"; wait "${CAM_PID[$flap_cam]}" 2>/dev/null || true
    else
      flap_kind=disable; api -X PUT -d '{"enabled":false}' "$BASE/api/streams/cam$flap_cam" >/dev/null \
        || FLAP_FAILS=$((FLAP_FAILS + 1))
    fi
    log "flap $FLAPS: cam$flap_cam down ($flap_kind)"
    flap_up_at=$((t + FLAP_DOWN)); next_flap=$((next_flap + FLAP_EVERY))
  fi
  if [ $flap_up_at -ge 0 ] && [ $t -ge $flap_up_at ]; then
    if [ $flap_kind = kill ]; then start_camera "$flap_cam"
    else api -X PUT -d '{"enabled":true}' "$BASE/api/streams/cam$flap_cam" >/dev/null || FLAP_FAILS=$((FLAP_FAILS + 1)); fi
    log "flap $FLAPS: cam$flap_cam up"
    flap_up_at=-1; flap_clear_at=$((t + 30))
  fi
  if [ $flap_clear_at -ge 0 ] && [ $t -ge $flap_clear_at ]; then
    rm -f "$RUN/down/cam$flap_cam"; flap_cam=0; flap_clear_at=-1
  fi
  sleep 1
done

# --- stop and check -------------------------------------------------------------------------------------------------
log "soak over; waiting for the load generators, stopping the server"
for p in $VIEWERS_PID $API_PID; do
  for _ in $(seq 1 30); do [ -d /proc/$p ] || break; sleep 1; done
  kill "$p" 2>/dev/null || true
done
wait $VIEWERS_PID $API_PID 2>/dev/null || true
date '+%F %T' > "$RUN/sigterm.txt" # the log's time format: report.py tells shutdown lines from soak lines
STOP_T0=$(date +%s.%N)
kill -TERM $SRV
STOP=clean
for _ in $(seq 1 $((MAX_STOP_WAIT * 10))); do [ -d /proc/$SRV ] || break; sleep 0.1; done
if [ -d /proc/$SRV ]; then STOP="killed after ${MAX_STOP_WAIT}s"; kill -9 $SRV; fi
STOP="$STOP in $(python3 -c "import sys,time; print(f'{time.time()-float(sys.argv[1]):.1f}')" "$STOP_T0") s"
wait $SRV 2>/dev/null && SRV_RC=0 || SRV_RC=$?
SRV=""
for i in $(seq 1 "$CAMERAS"); do kill "${CAM_PID[$i]}" 2>/dev/null || true; done
wait 2>/dev/null || true

log "decoding every segment (2 at a time)"
find "$RUN/mp4" -name '*.mp4' | sort > "$RUN/segments.txt"
mkdir -p "$RUN/decode"
# One line per file in decode.txt: "ok|bad PATH"; ffmpeg's stderr of a bad file is kept in decode/.
xargs -a "$RUN/segments.txt" -P 2 -I{} sh -c '
  err=$(timeout '"$MAX_DECODE_SECONDS"' nice ffmpeg -nostdin -v error -xerror -i "$1" -f null - 2>&1; echo "rc=$?")
  if [ "$err" = "rc=0" ]; then echo "ok $1"; else echo "bad $1"; echo "$err" > "$2/$(basename "$1").err"; fi
' _ {} "$RUN/decode" > "$RUN/decode.txt"

QUOTA_MB=$QUOTA_MB SEGMENT=$SEGMENT python3 "$ROOT/bench/soak/report.py" "$RUN" "$WARMUP" "$TOLERANCE" "$MINUTES" "$CAMERAS" "$VIEWERS" "$API_RATE" \
  "$FLAPS" "$FLAP_FAILS" "$SWEEPS" "$SWEEP_FAILS" "$STOP" "$SRV_RC" | tee "$RUN/summary.txt"
