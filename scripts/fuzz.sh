#!/usr/bin/env bash
# Fuzzes every parser target of tests/LightNvr.Fuzz with afl-fuzz (Debian's afl++) through SharpFuzz.
#   scripts/fuzz.sh short  [TARGET...]   FUZZ_SECONDS per target (default 5): the bounded run `make test` does
#   scripts/fuzz.sh long   [TARGET...]   FUZZ_SECONDS per target (default 600): `make fuzz`; resumes earlier findings
#   scripts/fuzz.sh replay [TARGET...]   saved regressions and every crash/hang under build/fuzz/findings, as tests
# Prints one line per target and a closing "fuzz: N passed, N failed" (a target fails on any crash, or a hang that
# still hangs when replayed). Exit 1 on any failure, and when afl-fuzz or the sharpfuzz tool is missing.
# docs/robustness.md "Fuzzing" explains the targets and what counts as a bug.
set -uo pipefail
mode=${1:-short}
shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/build/fuzz"
case $mode in
  short) seconds=${FUZZ_SECONDS:-5} ;;
  long) seconds=${FUZZ_SECONDS:-600} ;;
  replay) seconds=0 ;;
  *) echo "usage: scripts/fuzz.sh short|long|replay [TARGET...]" >&2; exit 2 ;;
esac
# afl-fuzz's per-input timeout (ms): parses take microseconds; 2 s leaves room on a loaded 2-core machine.
timeout_ms=${FUZZ_TIMEOUT_MS:-2000}
# "Huge allocation" is an OutOfMemoryException under this managed heap limit (512 MiB; the largest legitimate
# buffer of any target is the MP4 reader's 16 MiB moov/moof limit).
heap_limit=${FUZZ_HEAP_LIMIT:-0x20000000}

fail() { echo "fuzz: $*" >&2; echo "fuzz: 0 passed, 1 failed"; exit 1; }

command -v dotnet >/dev/null || fail "dotnet not on PATH"
if [ "$mode" != replay ]; then
  command -v afl-fuzz >/dev/null || fail "afl-fuzz not found: install Debian's afl++ (scripts/install-deps.sh test)"
fi

# 1. Build: a plain copy (seeds, replay) and an instrumented copy (afl-fuzz) of the same publish.
mkdir -p "$work"
rm -rf "$work/plain" "$work/instrumented"
dotnet publish "$root/tests/LightNvr.Fuzz/LightNvr.Fuzz.csproj" -c Release -o "$work/plain" --nologo -v quiet \
  >"$work/publish.log" 2>&1 || { cat "$work/publish.log"; fail "publish failed"; }
plain=(dotnet "$work/plain/LightNvr.Fuzz.dll")
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <("${plain[@]}" list | awk '{print $1}')

if [ "$mode" != replay ]; then
  # SharpFuzz.CommandLine 2.3.0 rewrites the assemblies under test to report branch coverage to afl-fuzz.
  sharpfuzz="$root/build/tools/sharpfuzz"
  if [ ! -x "$sharpfuzz" ]; then
    dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$root/build/tools" >"$work/tool.log" 2>&1 \
      || { cat "$work/tool.log"; fail "cannot install the sharpfuzz tool (SharpFuzz.CommandLine 2.3.0)"; }
  fi
  cp -r "$work/plain" "$work/instrumented"
  for dll in LightNvr.Media.dll lightnvr.dll; do
    "$sharpfuzz" "$work/instrumented/$dll" >"$work/instrument.log" 2>&1 \
      || { cat "$work/instrument.log"; fail "instrumenting $dll failed"; }
  done
  rm -rf "$work/seeds"
  "${plain[@]}" seeds "$work/seeds" >/dev/null || fail "writing seeds failed"
fi

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
passed=0; failed=0
for t in "${targets[@]}"; do
  out="$work/findings/$t"
  saved=()
  [ -d "$root/tests/LightNvr.Fuzz/Regressions/$t" ] && saved+=("$root/tests/LightNvr.Fuzz/Regressions/$t")
  if [ "$mode" = replay ]; then
    for d in "$out/default/crashes" "$out/default/hangs"; do
      [ -n "$(ls -A "$d" 2>/dev/null)" ] && saved+=("$d")
    done
    if [ ${#saved[@]} -eq 0 ]; then
      echo "$t: nothing saved to replay"; passed=$((passed + 1)); continue
    fi
    if "${plain[@]}" replay "$t" "${saved[@]}" | tail -n 20; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    continue
  fi

  input="$work/seeds/$t"
  if [ "$mode" = short ]; then
    rm -rf "$out"
  elif [ -d "$out/default/queue" ]; then
    export AFL_AUTORESUME=1
  fi
  mkdir -p "$out"
  DOTNET_GCHeapHardLimit=$heap_limit afl-fuzz -i "$input" -o "$out" -t "$timeout_ms" -m none -V "$seconds" \
    -- dotnet "$work/instrumented/LightNvr.Fuzz.dll" run "$t" >"$out/afl.log" 2>&1
  rc=$?
  stats="$out/default/fuzzer_stats"
  if [ $rc -ne 0 ] || [ ! -f "$stats" ]; then
    tail -n 15 "$out/afl.log" | sed 's/\x1b\[[0-9;]*[a-zA-Z]//g'
    echo "$t: FAILED: afl-fuzz exited $rc (log $out/afl.log)"; failed=$((failed + 1)); continue
  fi
  stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  crashes=$(find "$out/default/crashes" -name 'id:*' 2>/dev/null | wc -l)
  hangs=$(find "$out/default/hangs" -name 'id:*' 2>/dev/null | wc -l)
  line="$t: $(stat execs_done) execs in $(stat run_time) s ($(stat execs_per_sec)/s), corpus $(stat corpus_count), coverage $(stat bitmap_cvg), crashes $crashes, hangs $hangs"
  # A hang under afl's timeout may be a loaded machine: it fails only if it still runs past replay's limit.
  real_hang=0
  if [ "$hangs" -gt 0 ] && ! "${plain[@]}" replay "$t" "$out/default/hangs" >"$out/hangs-replay.log"; then real_hang=1; fi
  if [ "$crashes" -gt 0 ] || [ $real_hang -eq 1 ]; then
    echo "$line: FAILED"
    [ "$crashes" -gt 0 ] && "${plain[@]}" replay "$t" "$out/default/crashes" | head -n 40
    [ $real_hang -eq 1 ] && head -n 40 "$out/hangs-replay.log"
    failed=$((failed + 1))
  else
    echo "$line"
    passed=$((passed + 1))
  fi
  # Regression inputs must still pass with the current code.
  if [ ${#saved[@]} -gt 0 ] && ! "${plain[@]}" replay "$t" "${saved[@]}"; then
    echo "$t: FAILED: a saved regression input fails again"; failed=$((failed + 1)); passed=$((passed - 1))
  fi
done

echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
