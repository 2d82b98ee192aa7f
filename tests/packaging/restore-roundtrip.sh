#!/usr/bin/env bash
# Restore through the API and the command line, with the built server under tests/packaging/supervise.sh (the unit's
# restart rules; systemd cannot run in this container). Checks (issue 17 item 7):
#   1. POST /api/system/backup downloads a copy; a stream added afterwards is not in it.
#   2. POST /api/system/restore with a file that is no database → 400 with the reason; nothing staged.
#   3. POST /api/system/restore?restart=true with the copy → 202, exit 75, started again with the copy: the later
#      stream is gone, the others are there, the replaced database is kept in backups/before-restore-*.
#   4. `lightnvr -c INI db restore FILE` while the server runs stages the copy of 1 again (after another stream is added),
#      POST /api/system/restart → the server comes back with it; sqlite3 'PRAGMA integrity_check' says ok.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$root/build/lightnvr}
[ -x "$OUT/lightnvr" ] || { echo "restore-roundtrip: no server at $OUT (make build)" >&2; exit 1; }
work=$(mktemp -d)
sup=0
cleanup() { [ "$sup" -gt 0 ] && kill -TERM "$sup" 2>/dev/null && wait "$sup" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
password=restore-password-1
cat > "$work/lightnvr.ini" <<INI
[general]
pid_file = $work/lightnvr.pid
log_file = $work/lightnvr.log
[database]
path = $work/data/lightnvr.db
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
auth=(-u "admin:$password")
fail() { echo "restore-roundtrip: FAILED: $*" >&2; echo "--- supervisor:" >&2; cat "$work/supervise.out" >&2; exit 1; }
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
add_stream() {
  curl -sf "${auth[@]}" -H 'Content-Type: application/json' -X POST "$base/api/streams" \
    -d "{\"name\":\"$1\",\"url\":\"rtsp://127.0.0.1:1/$1\",\"enabled\":false}" >/dev/null || fail "adding stream $1"
}
streams() { curl -sf "${auth[@]}" "$base/api/streams" | python3 -c 'import json,sys; print(",".join(sorted(s["name"] for s in json.load(sys.stdin))))'; }

SUPERVISE_RESTART_SEC=1 "$root/tests/packaging/supervise.sh" "$OUT/lightnvr" -c "$work/lightnvr.ini" > "$work/supervise.out" 2>&1 &
sup=$!
pid1=$(wait_up none) || fail "the server did not come up"

add_stream porch; add_stream garage
curl -sf "${auth[@]}" -X POST -o "$work/backup.db" "$base/api/system/backup" || fail "POST /api/system/backup"
add_stream later
[ "$(streams)" = "garage,later,porch" ] || fail "streams before the restore: $(streams)"

echo "not a database" > "$work/garbage.db"
code=$(curl -s -o "$work/refused.json" -w '%{http_code}' "${auth[@]}" --data-binary @"$work/garbage.db" \
  -H 'Content-Type: application/octet-stream' "$base/api/system/restore")
[ "$code" = 400 ] && grep -q "not a SQLite database" "$work/refused.json" || fail "garbage answered $code $(cat "$work/refused.json")"
[ ! -e "$work/data/backups/restore-pending.db" ] || fail "a refused file was staged"

t1=$(date +%s.%N)
reply=$(curl -sf "${auth[@]}" --data-binary @"$work/backup.db" -H 'Content-Type: application/vnd.sqlite3' \
  "$base/api/system/restore?restart=true") || fail "POST /api/system/restore"
echo "$reply" | grep -q '"restarting":true' || fail "restore answered $reply"
pid2=$(wait_up "$pid1") || fail "not back after the restore"
grep -q '^supervise: exit 75 (restart)$' "$work/supervise.out" || fail "the server did not exit with 75"
[ "$(streams)" = "garage,porch" ] || fail "streams after the API restore: $(streams)"
ls -d "$work"/data/backups/before-restore-* >/dev/null 2>&1 || fail "the replaced database was not kept"
echo "restore-roundtrip: API restore → exit 75 → back as PID $pid2 with the backup's rows in $(awk -v a="$t1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"

add_stream again
"$OUT/lightnvr" -c "$work/lightnvr.ini" db restore "$work/backup.db" > "$work/cli.out" 2>&1 || fail "db restore: $(cat "$work/cli.out")"
grep -q "Staged" "$work/cli.out" || fail "db restore said: $(cat "$work/cli.out")"
[ "$(streams)" = "again,garage,porch" ] || fail "the running server changed before its restart: $(streams)"
curl -sf "${auth[@]}" -X POST "$base/api/system/restart" >/dev/null || fail "POST /api/system/restart"
pid3=$(wait_up "$pid2") || fail "not back after the restart"
[ "$(streams)" = "garage,porch" ] || fail "streams after the command-line restore: $(streams)"
[ "$(sqlite3 "$work/data/lightnvr.db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check of the restored database"
echo "restore-roundtrip: ok: API restore and db restore each came back with the backup (PID $pid1 → $pid2 → $pid3, supervisor, not systemd)"
