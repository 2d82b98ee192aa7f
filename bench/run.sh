#!/usr/bin/env bash
# Runs every benchmark in turn; each writes its summary under bench/results/ and prints it.
# The figures and what they mean are in docs/BENCHMARKS.md. Expect 15-25 minutes on a 2-core machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bench/record/run.sh 1 4 16
bench/live/run.sh 0 10 50
bench/webrtc/run.sh 0 20
bench/metrics/run.sh 16
bench/detection/run.sh 1 16
dotnet build -c Release bench/storage --nologo -v quiet
dotnet bench/storage/bin/Release/net10.0/LightNvr.Bench.Storage.dll all
python3 bench/recordings-query-cost.py
