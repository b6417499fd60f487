#!/usr/bin/env bash
# The seed experiment side by side on real data: samples/FashionMnist (baseline CNN, frozen and fine-tuned ImageNet
# ResNet-18 on TransferKit) and benchmarks/peer/MlNetFashionMnist (ML.NET's DnnFeaturizeImage ResNet-18 + L-BFGS), one
# after the other on the same stratified, seeded split, then one markdown table of test accuracy, log-loss and wall time.
# ML.NET's time is its fit and test scoring; the PNG files it needs for LoadImages are written before and not counted.
# TransferKit's time per row is its training (feature caching and validation included) and its test evaluation.
#
#   bash benchmarks/peer/compare_fashion_mnist.sh [--quick] [--out DIR] [-- SAMPLE OPTIONS...]
#
#   --quick    3 training and 3 test images per class: a smoke test of both programs, NOT a measurement
#   --out DIR  keep both programs' JSON and the table (report.md) in DIR
source "$(dirname "$0")/common.sh"

command_line="bash benchmarks/peer/compare_fashion_mnist.sh $*"
quick=false out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true ;;
    --out) out=${2:?--out needs a folder}; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,/^source/p' "$PEER_DIR/$(basename "$0")" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) log "unknown option '$1' (see --help)"; exit 2 ;;
  esac
  shift
done

sample_args=("$@") peer_args=()
if $quick; then
  sample_args=(--quick "${sample_args[@]}")
  peer_args=(--train-per-class 3 --validation-per-class 1 --test-per-class 3)
fi

log "# building samples/FashionMnist and benchmarks/peer/MlNetFashionMnist (Release)"
for project in samples/FashionMnist benchmarks/peer/MlNetFashionMnist; do
  dotnet build -c Release "$project" >"$WORK/build.log" 2>&1 || { grep -E "error" "$WORK/build.log" >&2 || tail -n 20 "$WORK/build.log" >&2; exit 1; }
done

before=$(load_average)
log "# ML.NET: DnnFeaturizeImage ResNet-18 + LbfgsMaximumEntropy"
dotnet run -c Release --no-build --project benchmarks/peer/MlNetFashionMnist -- "${peer_args[@]}" | tee "$WORK/mlnet.jsonl" >&2
log "# TransferKit: samples/FashionMnist"
NO_COLOR=1 dotnet run -c Release --no-build --project samples/FashionMnist -- "${sample_args[@]}" --json "$WORK/transferkit.json" >&2
after=$(load_average)

report() {
  echo "# Fashion-MNIST: TransferKit beside ML.NET's featurizer + L-BFGS"
  echo
  machine_header
  echo "- load average before: $before; after: $after"
  echo "- command: $command_line"
  echo
  "$PYTHON" - "$WORK/mlnet.jsonl" "$WORK/transferkit.json" <<'PY'
import json, sys
mlnet = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")][-1]
tk = json.load(open(sys.argv[2]))
print(f"Split: {tk['train_images']} training, {tk['validation_images']} validation (TransferKit only), {tk['test_images']} test images.")
print()
print("| model | test accuracy | test log-loss | wall time |")
print("| --- | ---: | ---: | ---: |")
mlnet_s = mlnet["fit_s"] + mlnet["test_s"]
print(f"| ML.NET: DnnFeaturizeImage ResNet-18 + LbfgsMaximumEntropy | {mlnet['test_accuracy']:.1%} | {mlnet['test_log_loss']:.3f} | {mlnet_s:.1f} s |")
for row in tk["rows"]:
    print(f"| TransferKit: {row['name']} | {row['test_accuracy']:.1%} | {row['test_log_loss']:.3f} | {row['seconds']:.1f} s |")
PY
}
report | tee "$WORK/report.md"
if [ -n "$out" ]; then mkdir -p "$out" && cp "$WORK/mlnet.jsonl" "$WORK/transferkit.json" "$WORK/report.md" "$out/"; fi
