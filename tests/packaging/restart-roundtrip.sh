#!/usr/bin/env bash
# The restart endpoint round trip under a supervisor (issue 17 item 10). systemd cannot run here (PID 1 is not systemd
# in this container), so tests/packaging/supervise.sh applies the unit's restart rules instead; where systemd runs,
# the same check is: systemctl start lightnvr; curl -X POST …/api/system/restart; the MainPID changes and the server
# answers again. Checks: POST /api/system/restart → exit 75 → started again (new PID, /api/health answers, the same
# database: the admin still logs in); POST /api/system/shutdown → exit 0 → stays stopped. Prints the timings.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$root/build/lightnvr}
[ -x "$OUT/lightnvr" ] || { echo "restart-roundtrip: no server at $OUT (make build)" >&2; exit 1; }
work=$(mktemp -d)
sup=0
cleanup() { [ "$sup" -gt 0 ] && kill -TERM "$sup" 2>/dev/null && wait "$sup" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
password=roundtrip-password-1
cat > "$work/lightnvr.ini" <<INI
[general]
pid_file = $work/lightnvr.pid
log_file = $work/lightnvr.log
[database]
path = $work/lightnvr.db
[storage]
path = $work/recordings
[web]
bind_ip = 127.0.0.1
port = $port
password = $password
[go2rtc]
rtsp_port = 0
INI
base="http://127.0.0.1:$port"
fail() { echo "restart-roundtrip: FAILED: $*" >&2; echo "--- supervisor:" >&2; cat "$work/supervise.out" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
wait_up() { # until /api/health answers and the PID file names a live process other than $1; 60 s at most
  local deadline=$(( $(date +%s) + 60 )) pid
  while [ "$(date +%s)" -lt "$deadline" ]; do
    pid=$(cat "$work/lightnvr.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && [ "$pid" != "$1" ] && kill -0 "$pid" 2>/dev/null && curl -sf "$base/api/health" >/dev/null; then
      echo "$pid"; return 0
    fi
    sleep 0.2
  done
  return 1
}

SUPERVISE_RESTART_SEC=1 "$root/tests/packaging/supervise.sh" "$OUT/lightnvr" -c "$work/lightnvr.ini" > "$work/supervise.out" 2>&1 &
sup=$!
t0=$(now)
pid1=$(wait_up none) || fail "the server did not come up"
echo "restart-roundtrip: up as PID $pid1 in $(elapsed "$t0") s"

t1=$(now)
reply=$(curl -sf -u "admin:$password" -X POST "$base/api/system/restart") || fail "POST /api/system/restart"
[ "$reply" = '{"success":true,"message":"System is restarting"}' ] || fail "restart answered $reply"
pid2=$(wait_up "$pid1") || fail "not back after the restart"
echo "restart-roundtrip: restarted as PID $pid2, $(elapsed "$t1") s from the request to /api/health answering"
grep -q '^supervise: exit 75 (restart)$' "$work/supervise.out" || fail "the server did not exit with 75"
grep -q '^supervise: start 2 ' "$work/supervise.out" || fail "the supervisor did not start it again"
curl -sf -u "admin:$password" "$base/api/system/info" >/dev/null || fail "the restarted server does not know the admin"

reply=$(curl -sf -u "admin:$password" -X POST "$base/api/system/shutdown") || fail "POST /api/system/shutdown"
for _ in $(seq 1 150); do kill -0 "$sup" 2>/dev/null || break; sleep 0.2; done
kill -0 "$sup" 2>/dev/null && fail "the supervisor still runs after a shutdown (exit 0 must not restart)"
wait "$sup"; code=$?; sup=0
[ "$code" -eq 0 ] || fail "supervisor exit code $code"
grep -q '^supervise: exit 0 (stopped)$' "$work/supervise.out" || fail "no clean exit 0 after shutdown"
[ "$(grep -c '^supervise: start' "$work/supervise.out")" -eq 2 ] || fail "started more than twice"
echo "restart-roundtrip: ok: restart → exit 75 → started again; shutdown → exit 0 → stayed stopped (supervisor, not systemd)"
