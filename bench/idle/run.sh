#!/usr/bin/env bash
# Idle memory and start-up of the Release publish (docs/BENCHMARKS.md "Idle memory", "Start-up").
# Usage: bench/idle/run.sh [publish-dir [other-publish-dir...]]   (env RUNS=5 IDLE_SECONDS=10 REBUILD=1; SMAPS=1 adds
# the biggest mappings at idle per build, median over the runs)
# With several folders each run measures them in turn (same load), e.g. a build of main against this branch.
# Columns: load average at the run's start; `-v s` = `dotnet lightnvr.dll -v` (runtime start alone, the peer);
# `first s` = exec → first 200 from /api/health on an empty folder (creates database and first admin); `again s` =
# the same on the existing folder (the everyday start); `x -v` = ratio to `-v`. Memory in MB after IDLE_SECONDS idle
# (VmRSS, smaps_rollup Private and Shared, RssAnon) and after a few authenticated API calls (VmRSS, Private).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${1:-$ROOT/bench/results/idle/lightnvr}
if [ ! -f "$DIR/lightnvr.dll" ] || [ "${REBUILD:-0}" = 1 ]; then
  dotnet publish "$ROOT/src/LightNvr/LightNvr.csproj" -c Release -o "$DIR" --nologo -v quiet >/dev/null
fi
shift || true
python3 "$ROOT/bench/idle/measure.py" "$DIR/lightnvr.dll" "${@/%//lightnvr.dll}"
