#!/usr/bin/env bash
# Cross-check: Debian's onvif-tools (libonvif's onvif-util, an ONVIF client nobody here wrote) against the project's
# ONVIF device STAND-IN (tests/onvif-standin: written from the ONVIF specs, not a camera).
#
# Why network namespaces: onvif-util finds a camera only through a WS-Discovery multicast Probe that it sends with
# IP_MULTICAST_LOOP off (strace: setsockopt(IP_MULTICAST_LOOP, 0)), so a stand-in on the same host never hears it.
# So the stand-in runs in its own network namespace behind a veth pair: onvif-util's Probe leaves one end as a real
# multicast datagram and arrives at the other, as on a LAN. Everything happens inside `unshare -n` namespaces created
# here (no host interface or route is touched) and needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN for unshare).
#
# Usage: tests/onvif-tools/run.sh      Prints "onvif-tools: N passed, N failed" (counted by scripts/run-tests.sh).
# Needs: onvif-tools (scripts/install-deps.sh test), build/onvif-standin (tests/e2e/run.sh or this script builds it).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
standin="$root/build/onvif-standin/onvif-standin"

if [ "${1:-}" != "--inside" ]; then
  command -v onvif-util >/dev/null || { echo "onvif-tools: onvif-util is missing (apt-get install onvif-tools)"; echo "onvif-tools: 0 passed, 1 failed"; exit 1; }
  if [ ! -x "$standin" ]; then
    dotnet build "$root/tests/onvif-standin/LightNvr.OnvifStandIn.csproj" -c Release -o "$root/build/onvif-standin" --nologo -v quiet || exit 1
  fi
  unshare --net true 2>/dev/null || { echo "onvif-tools: unshare --net failed (needs root / CAP_SYS_ADMIN for its network namespaces)"; echo "onvif-tools: 0 passed, 1 failed"; exit 1; }
  exec unshare --net --fork "$0" --inside
fi

# Namespace A (this shell): onvif-util. Namespace B (a child): the stand-in at 10.77.0.2.
work=$(mktemp -d /tmp/onvif-tools-XXXXXX)
cleanup() { [ -n "${standin_pid:-}" ] && kill "$standin_pid" 2>/dev/null; [ -n "${holder:-}" ] && kill "$holder" 2>/dev/null; wait 2>/dev/null; rm -rf /tmp/onvif-tools-last; mv "$work" /tmp/onvif-tools-last; }
trap cleanup EXIT
ip link set lo up
unshare --net sleep 600 & holder=$!
sleep 0.3
ip link add va type veth peer name vb netns "$holder"
ip addr add 10.77.0.1/24 dev va && ip link set va up
ip route add 224.0.0.0/4 dev va
nsenter -t "$holder" -n sh -c 'ip link set lo up; ip addr add 10.77.0.2/24 dev vb; ip link set vb up; ip route add 224.0.0.0/4 dev vb'
nsenter -t "$holder" -n "$standin" --bind 10.77.0.2 --multicast --user admin --password 'tools-Pass-1' \
  --main rtsp://10.77.0.2:8554/main --sub rtsp://10.77.0.2:8554/sub > "$work/standin.log" 2>&1 & standin_pid=$!
for _ in $(seq 1 200); do grep -q '^READY' "$work/standin.log" && break; sleep 0.1; done
grep -q '^READY' "$work/standin.log" || { echo "stand-in did not start:"; cat "$work/standin.log"; echo "onvif-tools: 0 passed, 1 failed"; exit 1; }

pass=0; fail=0
check() { # name, command output file, pattern
  if grep -Eq "$3" "$2"; then pass=$((pass + 1)); echo "ok - $1"; else fail=$((fail + 1)); echo "not ok - $1 (no /$3/ in:)"; sed 's/^/    /' "$2" | head -40; fi
}

# 1. Discovery: onvif-util -a lists the cameras that answer its multicast Probe.
timeout 20 onvif-util -a > "$work/all.txt" 2>&1
check "onvif-util -a finds the stand-in by multicast WS-Discovery" "$work/all.txt" "10\.77\.0\.2"

# 2. A session: the client discovers, authenticates (WS-Security digest) and reads profiles, the stream URI, imaging.
printf 'get rtsp\nget profiles\nget imaging\nget capabilities\nquit\n' | timeout 40 onvif-util -u admin -p 'tools-Pass-1' 10.77.0.2 > "$work/session.txt" 2>&1
check "onvif-util reads the main profile's RTSP URI" "$work/session.txt" "rtsp://10\.77\.0\.2:8554/main"
check "onvif-util lists both profiles (GetProfiles)" "$work/session.txt" "Token 1: sub"
check "onvif-util reads imaging settings (brightness 50)" "$work/session.txt" "[Bb]rightness.*50"

# 3. A setting written by onvif-util lands in the stand-in (SetImagingSettings, read back).
printf 'set brightness 70\nget imaging\nquit\n' | timeout 40 onvif-util -u admin -p 'tools-Pass-1' 10.77.0.2 > "$work/set.txt" 2>&1
check "onvif-util sets brightness 70 and reads it back" "$work/set.txt" "[Bb]rightness.*70"

# 4. A wrong password is refused by the stand-in.
printf 'get rtsp\nquit\n' | timeout 40 onvif-util -u admin -p 'wrong' 10.77.0.2 > "$work/wrong.txt" 2>&1
if grep -q "rtsp://10.77.0.2:8554/main" "$work/wrong.txt" || ! grep -q "NotAuthorized" "$work/wrong.txt"; then
  fail=$((fail + 1)); echo "not ok - a wrong password is refused (ter:NotAuthorized)"; sed 's/^/    /' "$work/wrong.txt" | head -20
else pass=$((pass + 1)); echo "ok - a wrong password is refused (ter:NotAuthorized)"; fi

echo "--- operations the stand-in answered:"; grep '^OP ' "$work/standin.log" | sort | uniq -c | sed 's/^/    /'
echo "onvif-tools: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
