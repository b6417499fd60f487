#!/usr/bin/env bash
# Eval-mode inference, batch 16, 2 threads: TransferKit (BN folded) and PyTorch 1.13, stock and with jemalloc, side by side
# in one run for resnet50, mobilenet_v2, efficientnet_b0 and inception_v3. Usage: bash benchmarks/peer/compare_inference.sh [steps]
set -euo pipefail
cd "$(dirname "$0")/../.."
steps=${1:-5}
nets=resnet50,mobilenet_v2,efficientnet_b0,inception_v3
jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
out=$(mktemp -d)
dotnet build -c Release benchmarks/TransferKit.Benchmarks >/dev/null
dotnet benchmarks/TransferKit.Benchmarks/bin/Release/net10.0/TransferKit.Benchmarks.dll peer-inference "$nets" "$steps" | tee "$out/ours.jsonl"
/usr/bin/python3 benchmarks/peer/inference.py --networks "$nets" --steps "$steps" | tee "$out/torch.jsonl"
if [ -f "$jemalloc" ]; then
  LD_PRELOAD="$jemalloc" /usr/bin/python3 benchmarks/peer/inference.py --networks "$nets" --steps "$steps" | tee "$out/torch_jemalloc.jsonl"
fi
/usr/bin/python3 - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
runs = {f[:-6]: {r["network"]: r for r in map(json.loads, open(os.path.join(d, f)))} for f in os.listdir(d)}
print(f"\n{'network':<16} {'ours img/s':>10} {'torch':>8} {'jemalloc':>9} {'ours/torch':>11} {'ours/jemalloc':>14}")
for net, r in runs["ours"].items():
    t = runs["torch"][net]["images_per_second"]
    j = runs.get("torch_jemalloc", {}).get(net, {}).get("images_per_second", float("nan"))
    o = r["images_per_second"]
    print(f"{net:<16} {o:>10.1f} {t:>8.1f} {j:>9.1f} {o / t:>10.2f}x {o / j:>13.2f}x")
PY
rm -rf "$out"
