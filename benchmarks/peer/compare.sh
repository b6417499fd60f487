#!/usr/bin/env bash
# Times the baseline-CNN training step (batch 32, 3x128x128, 2 classes, SGD momentum) side by side in one run:
# TransferKit with each GEMM provider, PyTorch as installed, and PyTorch with jemalloc preloaded when present.
# Prints each JSON line, then TransferKit's images/s over PyTorch's. Usage: bash benchmarks/peer/compare.sh [steps]
set -euo pipefail
cd "$(dirname "$0")/../.."
steps=${1:-20}
python=/usr/bin/python3
jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
out=$(mktemp -d)

dotnet build -c Release benchmarks/TransferKit.Benchmarks >/dev/null
bench() { dotnet benchmarks/TransferKit.Benchmarks/bin/Release/net10.0/TransferKit.Benchmarks.dll peer-baseline-step "$steps"; }

TRANSFERKIT_GEMM=managed bench | tee "$out/tk_managed.json"
TRANSFERKIT_GEMM=cblas bench | tee "$out/tk_cblas.json"
"$python" benchmarks/peer/baseline_cnn_step.py --steps "$steps" | tee "$out/torch.json"
if [ -f "$jemalloc" ]; then
  LD_PRELOAD="$jemalloc" "$python" benchmarks/peer/baseline_cnn_step.py --steps "$steps" | tee "$out/torch_jemalloc.json"
fi

"$python" - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
runs = {f[:-5]: json.load(open(os.path.join(d, f))) for f in sorted(os.listdir(d))}
print(f"\n{'run':<16} {'ms/step':>9} {'img/s':>8}")
for name, r in runs.items():
    print(f"{name:<16} {r['ms_per_step']:>9.1f} {r['images_per_second']:>8.1f}")
for ours in ("tk_managed", "tk_cblas"):
    for peer in ("torch", "torch_jemalloc"):
        if ours in runs and peer in runs:
            ratio = runs[ours]["images_per_second"] / runs[peer]["images_per_second"]
            print(f"{ours} / {peer}: {ratio:.2f}x")
PY
rm -rf "$out"
