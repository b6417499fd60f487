#!/usr/bin/env bash
# Side-by-side timings for the transfer-learning issue, one comparison per call (TransferKit, PyTorch as installed,
# PyTorch with jemalloc preloaded), each line JSON, with the load average before each run:
#   bash benchmarks/peer/compare_transfer.sh head linear|mlp [epochs]
#       one head epoch on 25,000 cached 2048-d features (median of epochs, default 3; 1 suits the slow PyTorch MLP)
#   bash benchmarks/peer/compare_transfer.sh transfer frozen|last-stage [images] [epochs]
#       ResNet50 at 224 end to end on synthetic JPEGs (default 500 images, 10 epochs); PyTorch's plain loop is timed
#       for ONE epoch and extrapolated to [epochs]
set -euo pipefail
cd "$(dirname "$0")/../.."
python=/usr/bin/python3
jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
what=${1:?head or transfer}
mode=${2:?model or mode}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

dotnet build -c Release benchmarks/TransferKit.Benchmarks >/dev/null
ours() { dotnet benchmarks/TransferKit.Benchmarks/bin/Release/net10.0/TransferKit.Benchmarks.dll "$@"; }
load() { echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }

case "$what" in
  head)
    epochs=${3:-3}
    load; ours peer-head-epoch "$mode" "$epochs" | tee "$out/tk.json"
    load; "$python" benchmarks/peer/head_epoch.py --model "$mode" --epochs "$epochs" | tee "$out/torch.json"
    load; LD_PRELOAD="$jemalloc" "$python" benchmarks/peer/head_epoch.py --model "$mode" --epochs "$epochs" | tee "$out/torch_jemalloc.json"
    key=seconds_per_epoch
    ;;
  transfer)
    images=${3:-500}
    epochs=${4:-10}
    dir="${TMPDIR:-/tmp}/transferkit-cats-dogs-$images"
    load; ours peer-transfer-run "$mode" "$images" "$epochs" "$dir" | tee "$out/tk.json"
    load; "$python" benchmarks/peer/transfer_run.py --dir "$dir" --mode "$mode" --extrapolate-to "$epochs" | tee "$out/torch.json"
    load; LD_PRELOAD="$jemalloc" "$python" benchmarks/peer/transfer_run.py --dir "$dir" --mode "$mode" --extrapolate-to "$epochs" | tee "$out/torch_jemalloc.json"
    key=total_seconds
    ;;
  *) echo "unknown comparison '$what': use head or transfer" >&2; exit 2 ;;
esac
load

"$python" - "$out" "$key" <<'PY'
import json, sys
d, key = sys.argv[1], sys.argv[2]
runs = {n: json.load(open(f"{d}/{n}.json")) for n in ("tk", "torch", "torch_jemalloc")}
for peer in ("torch", "torch_jemalloc"):
    print(f"{key}: transferkit {runs['tk'][key]} vs {peer} {runs[peer][key]} -> {runs[peer][key] / runs['tk'][key]:.2f}x faster")
PY
