#!/usr/bin/env bash
# End-to-end suite: headless Debian chromium against the real server (build/lightnvr) and a GStreamer camera.
# Usage: tests/e2e/run.sh [extra node --test args]. Needs `make build` first. Screenshots go to docs/screenshots
# (E2E_SCREENSHOTS=DIR elsewhere); E2E_KEEP=1 keeps the server's temp folder and prints its log tail.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$here"

if [ ! -x "$root/build/lightnvr/lightnvr" ] || [ ! -f "$root/build/lightnvr/www/index.html" ]; then
  echo "e2e: build/lightnvr/lightnvr (with www/) is missing: run \`make build\` first" >&2
  exit 1
fi
for bin in /usr/bin/chromium /usr/bin/python3; do
  [ -x "$bin" ] || { echo "e2e: $bin is missing (make test-deps installs it)" >&2; exit 1; }
done

# The ONVIF device stand-in for onvif.test.mjs (a test tool, tests/onvif-standin), built once beside the server.
if [ ! -x "$root/build/onvif-standin/onvif-standin" ] || [ -n "$(find "$root/tests/onvif-standin" "$root/tests/LightNvr.Testing/Onvif" -name '*.cs' -newer "$root/build/onvif-standin/onvif-standin" 2>/dev/null)" ]; then
  dotnet build "$root/tests/onvif-standin/LightNvr.OnvifStandIn.csproj" -c Release -o "$root/build/onvif-standin" --nologo -v quiet
fi

# playwright-core only drives the system chromium; make sure nothing tries to fetch a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PLAYWRIGHT_BROWSERS_PATH=0
stamp=node_modules/.install-stamp
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

exec node --test --test-concurrency=1 "$@" ./*.test.mjs
