#!/usr/bin/env bash
# Decode + resize 256 + centre crop 224 + normalise of 500x375 JPEGs, TransferKit and Pillow 9.4 side by side in one
# run (2 threads / 2 worker processes). Prints both JSON lines and the ratios. Usage: bash benchmarks/peer/compare_preprocess.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-10}
out=$(mktemp -d)
dotnet build -c Release benchmarks/TransferKit.Benchmarks >/dev/null
dotnet benchmarks/TransferKit.Benchmarks/bin/Release/net10.0/TransferKit.Benchmarks.dll peer-preprocess "$rounds" | tee "$out/ours.json"
/usr/bin/python3 benchmarks/peer/pillow_preprocess.py --rounds "$rounds" | tee "$out/pillow.json"
/usr/bin/python3 - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
ours, pil = (json.load(open(os.path.join(d, f))) for f in ("ours.json", "pillow.json"))
print(f"images/s: TransferKit {ours['images_per_second']}, Pillow {pil['images_per_second']}: "
      f"{ours['images_per_second'] / pil['images_per_second']:.2f}x")
print(f"CPU ms per image: TransferKit {ours['cpu_ms_per_image']}, Pillow {pil['cpu_ms_per_image']}: "
      f"{pil['cpu_ms_per_image'] / ours['cpu_ms_per_image']:.2f}x")
PY
rm -rf "$out"
