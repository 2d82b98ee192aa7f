#!/usr/bin/env bash
# Where a recording server's CPU goes, in thread wake-ups: records N test cameras for SECONDS and prints the
# server's CPU, its voluntary context switches per thread (each one a sleep, so roughly one wake-up), and its RSS.
# Used for the A/B figures in docs/BENCHMARKS.md (recording); bench/record/run.sh is the benchmark with the peer.
#
# Usage: bench/record/wakeups.sh SERVER_DIR N SECONDS [VAR=value ...]   (the VAR=value pairs go to the server's env)
# env WARMUP=S: seconds of recording before the window (default 10).
# env PERF=1: also `perf record -g` the server for the window (PERFEV="-e sched:sched_wakeup" for wake-up stacks).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SD=$1; N=$2; SECS=$3; shift 3
RUN=$(mktemp -d /tmp/lightnvr-wakeups.XXXXXX)
source "$ROOT/bench/lib.sh"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
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
env "$@" dotnet "$SD/lightnvr.dll" -c "$RUN/lightnvr.ini" > "$RUN/server.out" 2>&1 &
SRV=$!; PIDS+=($SRV)
until curl -fs "http://127.0.0.1:$WEB/api/health" >/dev/null 2>&1; do sleep 0.3; done
sleep 8
for i in $(seq 1 "$N"); do
  curl -fs -u admin:bench-Password-1 -H 'Content-Type: application/json' \
    -d "{\"name\":\"cam$i\",\"url\":\"${URLS[$((i-1))]}\",\"record\":true,\"record_audio\":true,\"segment_duration\":60}" \
    "http://127.0.0.1:$WEB/api/streams" >/dev/null
done
sleep "${WARMUP:-10}"
snap() {
  for t in /proc/$SRV/task/*; do
    c=$(tr ' ' _ < "$t/comm" 2>/dev/null) || continue
    v=$(awk '/^voluntary_ctxt/{print $2}' "$t/status" 2>/dev/null) || continue
    echo "$(basename "$t") $c $v"
  done | sort
}
snap > "$RUN/ctx0"; C0=$(awk '{print $14+$15}' "/proc/$SRV/stat")
if [ "${PERF:-0}" = 1 ]; then
  perf record ${PERFEV:--F 2999} -g -p "$SRV" -o "$RUN/perf.data" -- sleep "$SECS" >/dev/null 2>&1
else
  sleep "$SECS"
fi
snap > "$RUN/ctx1"; C1=$(awk '{print $14+$15}' "/proc/$SRV/stat")
python3 -c "import sys; print(f'CPU: {($C1-$C0)/$(getconf CLK_TCK)/$SECS*100:.2f} % of a core over $SECS s, $N camera(s)')"
echo "voluntary context switches per second, by thread:"
join "$RUN/ctx0" "$RUN/ctx1" | awk -v s="$SECS" '{d=$5-$3; if (d>0) printf "  %7.1f  %s (%s)\n", d/s, $2, $1}' | sort -rn | head -12
echo "RSS: $(awk '/VmRSS/{printf "%.1f MB", $2/1024}' "/proc/$SRV/status")"
echo "work folder (perf.data, logs): $RUN"
