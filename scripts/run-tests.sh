#!/usr/bin/env bash
# Runs every test suite and prints one closing line, "tests: N passed, N failed, N skipped".
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
results="$root/build/test-results"
rm -rf "$results"; mkdir -p "$results"
status=0

for proj in tests/LightNvr.Media.Tests tests/LightNvr.Tests tests/LightNvr.Interop.Tests; do
  name=$(basename "$proj")
  echo "== $name"
  dotnet test "$proj" -c Release --nologo -v quiet \
    --logger "trx;LogFileName=$results/$name.trx" --logger "console;verbosity=minimal" || status=1
done

# A bounded afl-fuzz run of every parser target (scripts/fuzz.sh; FUZZ_SECONDS per target, default 5): fails on any
# crash, and loudly when afl-fuzz is missing. Its closing "fuzz: N passed, N failed" line is counted below.
echo "== fuzz (afl-fuzz, ${FUZZ_SECONDS:-5} s per target)"
scripts/fuzz.sh short 2>&1 | tee "$results/fuzz.txt" || status=1

# The systemd unit (systemd-analyze verify), the restart endpoint under a supervisor, the Docker image where a daemon
# runs (tests/packaging/run.sh; closing line "packaging: N passed, N failed", counted below).
echo "== packaging"
tests/packaging/run.sh 2>&1 | tee "$results/packaging.txt" || status=1

# Debian's onvif-tools (libonvif onvif-util) against the ONVIF stand-in, in network namespaces (closing line
# "onvif-tools: N passed, N failed", counted below).
echo "== onvif-tools (libonvif onvif-util against the ONVIF stand-in)"
tests/onvif-tools/run.sh 2>&1 | tee "$results/onvif-tools.txt" || status=1

if [ -f web/package.json ] && grep -q '"test"' web/package.json; then
  echo "== web"
  (cd web && npm test --silent) 2>&1 | tee "$results/web.txt" || status=1
fi

if [ -x tests/e2e/run.sh ]; then
  echo "== e2e (headless chromium against the built server and a GStreamer camera)"
  # Screenshots go to build/ during a test run; E2E_SCREENSHOTS=docs/screenshots refreshes the committed ones.
  E2E_SCREENSHOTS=${E2E_SCREENSHOTS:-$root/build/screenshots} tests/e2e/run.sh 2>&1 | tee "$results/e2e.txt" || status=1
fi

# Sum the counts: TRX files for .NET, vitest's summary lines for the web suites, the fuzz step's closing line.
python3 - "$results" <<'PY' || true
import glob, re, sys, xml.etree.ElementTree as ET
d = sys.argv[1]; p = f = s = 0
for t in glob.glob(d + "/*.trx"):
    c = ET.parse(t).getroot().find(".//{*}Counters")
    if c is not None:
        p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0))
        s += int(c.get("notExecuted", 0))
ansi = re.compile(r"\x1b\[[0-9;]*m")
for t in glob.glob(d + "/*.txt"):
    for line in open(t, errors="replace"):
        line = ansi.sub("", line)
        # node --test summary lines: "# pass 12" (tap) or "ℹ pass 12" (spec)
        m = re.match(r"^[#ℹ]\s+(pass|fail|skipped|todo)\s+(\d+)\s*$", line.strip())
        if m:
            n = int(m.group(2))
            if m.group(1) == "pass": p += n
            elif m.group(1) == "fail": f += n
            else: s += n
            continue
        m = re.match(r"^(?:fuzz|packaging|onvif-tools): (\d+) passed, (\d+) failed$", line.strip())
        if m:
            p += int(m.group(1)); f += int(m.group(2))
            continue
        m = re.search(r"Tests\s+(.*)\(\d+\)", line)
        if m:
            for n, k in re.findall(r"(\d+) (passed|failed|skipped)", m.group(1)):
                if k == "passed": p += int(n)
                elif k == "failed": f += int(n)
                else: s += int(n)
print(f"tests: {p} passed, {f} failed, {s} skipped")
PY
exit $status
