#!/usr/bin/env bash
# The packaging checks (issue 17 item 10), one closing line "packaging: N passed, N failed" for scripts/run-tests.sh:
#   verify-unit.sh        systemd-analyze verify of the installed unit
#   restart-roundtrip.sh  POST /api/system/restart → exit 75 → started again, under tests/packaging/supervise.sh
#                         (systemd cannot run in this container; where it can, see docs/operations.md)
#   restore-roundtrip.sh  POST /api/system/restore?restart=true and `lightnvr db restore` under the same supervisor
#   docker build          packaging/docker/Dockerfile, only when a Docker daemon answers (said so when skipped)
# Needs the built server (make server or make build).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
passed=0 failed=0
run() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi; }
run "$here/verify-unit.sh"
run "$here/restart-roundtrip.sh"
run "$here/restore-roundtrip.sh"
if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  run docker build -q -f "$root/packaging/docker/Dockerfile" -t lightnvr:test "$root"
else
  echo "packaging: docker image not built: no Docker daemon answers here (docker info fails); build it with make docker-image"
fi
echo "packaging: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
