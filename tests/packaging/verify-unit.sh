#!/usr/bin/env bash
# systemd-analyze verify of packaging/systemd/lightnvr.service as `make install` lays it out (issue 17 item 10).
# The unit is staged with `DESTDIR=<tmp> packaging/install.sh` and checked with --root=<tmp>, so ExecStart must name an
# executable that really is installed there; the host's own units (targets the unit depends on) are copied beside it.
# Any output counts as a failure: systemd-analyze only warns (exit 0) about unknown keys and bad values. A broken copy
# of the unit is checked first, to show the check can fail.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v systemd-analyze >/dev/null || { echo "verify-unit: systemd-analyze missing (apt-get install systemd)" >&2; exit 1; }
stage=$(mktemp -d); trap 'rm -rf "$stage"' EXIT
DESTDIR="$stage" "$root/packaging/install.sh" install >/dev/null
cp -an /lib/systemd/system/. "$stage/lib/systemd/system/"

check() { # unit file name under lib/systemd/system → prints systemd-analyze's complaints, returns 1 on any
  local out rc=0
  out=$(systemd-analyze verify --root="$stage" "$1" 2>&1) || rc=$?
  [ "$rc" -eq 0 ] && [ -z "$out" ] && return 0
  printf '%s\n' "$out"; return 1
}

sed 's/^NoNewPrivileges=yes/NoNewPrivileges=yes\nNoSuchOption=1/' "$stage/lib/systemd/system/lightnvr.service" \
  > "$stage/lib/systemd/system/lightnvr-broken.service"
if check lightnvr-broken.service >/dev/null; then
  echo "verify-unit: FAILED: a unit with an unknown key passed, so the check proves nothing" >&2; exit 1
fi
rm "$stage/lib/systemd/system/lightnvr-broken.service"

if check lightnvr.service; then
  echo "verify-unit: ok: systemd-analyze verify passes for lightnvr.service ($(systemd-analyze --version | head -1))"
else
  echo "verify-unit: FAILED" >&2; exit 1
fi
