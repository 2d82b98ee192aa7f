#!/usr/bin/env bash
# Installs what LightNVR needs and is missing, from Debian's packages and npm. Idempotent: when everything is
# present it only checks (well under a second for apt) and exits.
#   scripts/install-deps.sh run    what building and running the server needs
#   scripts/install-deps.sh test   that, plus the real peers the tests use (GStreamer cameras, chromium, mosquitto,
#                                  promtool from Debian's prometheus), afl++ for the fuzz step (scripts/fuzz.sh) and
#                                  python3-skimage for its photographs (the detector tests), systemd for
#                                  `systemd-analyze verify` of the unit (tests/packaging/verify-unit.sh), postgresql
#                                  (the store tests start their own server from its binaries: LightNvr.Testing/PostgresServer)
set -euo pipefail
mode=${1:-run}
root=$(cd "$(dirname "$0")/.." && pwd)

# python3-onnx and python3-numpy: scripts/models/tfjs_to_onnx.py converts the default detector (make models).
run_pkgs=(ffmpeg sqlite3 nodejs npm python3-onnx python3-numpy)
test_pkgs=(gstreamer1.0-tools gstreamer1.0-rtsp gir1.2-gst-rtsp-server-1.0 python3-gi python3-gst-1.0
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad
  gstreamer1.0-libav mosquitto mosquitto-clients coturn chromium procps curl afl++ prometheus python3-skimage systemd postgresql
  onvif-tools iproute2 util-linux)
# onvif-tools: libonvif's onvif-util, the second independent ONVIF client run against the stand-in
# (tests/onvif-tools/run.sh; iproute2 and util-linux give it the network namespaces it needs).

wanted=("${run_pkgs[@]}")
[ "$mode" = test ] && wanted+=("${test_pkgs[@]}")

missing=()
for p in "${wanted[@]}"; do
  # node and npm may come from outside Debian (this machine image ships its own): accept them on PATH.
  case $p in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # prometheus is wanted for promtool only (tests/LightNvr.Interop.Tests/Metrics): without its recommends, which
  # would add node-exporter. Everything else as before.
  plain=(); for p in "${missing[@]}"; do [ "$p" = prometheus ] || plain+=("$p"); done
  if ((${#plain[@]})); then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${plain[@]}" >/dev/null
  fi
  if [[ " ${missing[*]} " == *" prometheus "* ]]; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  fi
fi

command -v dotnet >/dev/null || { echo "install-deps: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }

# npm packages: the web UI always; the browser test drivers (playwright-core driving Debian's chromium, hls.js)
# and TensorFlow.js for the default model's reference run (tests/model-reference) in test mode. Each folder is
# installed only when its package-lock.json changed since the last install.
npm_dirs=(web)
[ "$mode" = test ] && npm_dirs+=(tests/browser tests/e2e tests/model-reference tests/onvif-npm) # onvif-npm: npm onvif, the ONVIF cross-check
for dir in "${npm_dirs[@]}"; do
  [ -f "$root/$dir/package.json" ] || continue
  stamp="$root/$dir/node_modules/.install-stamp"
  if [ ! -f "$stamp" ] || [ "$root/$dir/package-lock.json" -nt "$stamp" ]; then
    (cd "$root/$dir" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$stamp"
  fi
done
