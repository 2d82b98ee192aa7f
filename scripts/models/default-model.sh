#!/usr/bin/env bash
# Installs the default object detector (docs/detection.md "Default model"): fetches npm @vladmandic/human (MIT),
# takes its CenterNet COCO-80 TF.js graph, converts it to ONNX with tfjs_to_onnx.py, and writes
#   build/models/centernet.onnx      the converted graph (input "images" [1,512,512,3] RGB 0-255, output "detections" [1,100,6])
#   build/models/centernet.labels    COCO-80 names, line i = class i
#   build/models/tfjs/centernet.json + .bin   the source graph (the conversion test runs it with TensorFlow.js)
# then copies the two model files into data/models, the default `[models] path` of `make run`.
# Never fails the build: when the package cannot be fetched or converted it says so and exits 0; detection then
# reports "no model" and everything else works. Idempotent: does nothing when the outputs are newer than this
# script and the converter.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/build/models"
data="$root/data/models"
# Pinned: the package version, and the SHA-256 of the two files taken from it (a changed package is refused).
package="@vladmandic/human@3.3.6"
sha_json=bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05
sha_bin=1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef
python=/usr/bin/python3   # Debian's, which has python3-onnx and python3-numpy (not a pyenv one earlier on PATH)

skip() { echo "models: $*; object detection with the default model is unavailable (\"no model\"), everything else works" >&2; exit 0; }

onnx="$out/centernet.onnx"
if [ -f "$onnx" ] && [ "$onnx" -nt "$root/scripts/models/default-model.sh" ] && [ "$onnx" -nt "$root/scripts/models/tfjs_to_onnx.py" ]; then
  up_to_date=1
else
  up_to_date=0
fi

if [ "$up_to_date" = 0 ]; then
  command -v npm >/dev/null || skip "npm is not installed"
  "$python" -c 'import onnx, numpy' 2>/dev/null || skip "$python lacks python3-onnx or python3-numpy (scripts/install-deps.sh installs them)"
  work=$(mktemp -d "${TMPDIR:-/tmp}/lightnvr-models.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  echo "models: fetching $package"
  if ! (cd "$work" && npm pack "$package" --silent --loglevel=error >pack.log 2>&1); then
    skip "could not fetch $package from npm ($(grep -m1 -v "^npm error A complete log" "$work/pack.log"))"
  fi
  tar -xzf "$work"/vladmandic-human-*.tgz -C "$work" package/models/centernet.json package/models/centernet.bin \
    || skip "$package has no models/centernet.json + .bin"
  src="$work/package/models"
  echo "$sha_json  $src/centernet.json" | sha256sum -c --quiet - || skip "centernet.json in $package is not the pinned file"
  echo "$sha_bin  $src/centernet.bin" | sha256sum -c --quiet - || skip "centernet.bin in $package is not the pinned file"
  mkdir -p "$out/tfjs"
  cp "$src/centernet.json" "$src/centernet.bin" "$out/tfjs/"
  "$python" "$root/scripts/models/tfjs_to_onnx.py" "$out/tfjs/centernet.json" "$onnx" \
    || { rm -f "$onnx"; skip "converting centernet.json to ONNX failed (the message above says which op)"; }
fi
cp "$root/scripts/models/coco80.labels" "$out/centernet.labels"

mkdir -p "$data"
for f in centernet.onnx centernet.labels; do
  [ "$data/$f" -nt "$out/$f" ] || cp "$out/$f" "$data/$f"
done
echo "models: $onnx (+ .labels), copied to data/models"
