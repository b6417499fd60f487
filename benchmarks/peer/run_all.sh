#!/usr/bin/env bash
# Every side-by-side comparison with PyTorch (and Pillow), and with ONNX Runtime 1.32 (and ML.NET's featurizer on request), in one command, printed as markdown
# tables of ratios with the date, the machine, the versions and the load average. Each item runs TransferKit's timer, then the peer's, right after
# each other; with --rounds N the whole list runs N times (the rounds interleave, so slow drift of the machine's load
# hits both sides) and each side is the median of its rounds. Progress and the raw JSON lines go to stderr, the report
# to stdout. See benchmarks/peer/README.md for what each item measures.
#
#   bash benchmarks/peer/run_all.sh [--quick] [--transfer] [--mlnet-featurizer] [--rounds N] [--jemalloc] [--fold-peer]
#                                   [--only ITEM,ITEM] [--networks NET,NET] [--ort-networks NET,NET] [--ort-dir DIR]
#                                   [--out DIR]
#
#   --quick        few steps and small batches: a smoke test of the whole pipeline in a few minutes, NOT a measurement
#   --transfer     also the ResNet-50 transfer runs (frozen, last-stage): several minutes more at full size
#   --mlnet-featurizer  also ML.NET's DnnFeaturizeImage ResNet-18 against TransferKitFeaturizeImage on the same network
#                  and JPEGs (benchmarks/peer/MlNetFeaturizer): a minute or two more at full size
#   --rounds N     run the list N times, interleaved (default 1)
#   --jemalloc     preload jemalloc into the PyTorch scripts (when installed)
#   --fold-peer    PyTorch inference with conv + batch norm fused by torch.fx, as TransferKit folds them (default: eager)
#   --only LIST    items to run: baseline-step, preprocess, decode, inference, head-linear, head-mlp, fine-tune-step, ort,
#                  transfer-frozen, transfer-last-stage, mlnet-featurizer (naming an optional item runs it without its flag)
#   --networks L   networks of the inference item (default: the 8 of InferenceBenchmarks.Networks)
#   --ort-networks L  networks of the ort item's inference rows (default: the 6 export_torchvision.py knows; --quick: resnet18)
#   --ort-dir DIR  where export_torchvision.py writes (once) the ort item's weights and ONNX files (default:
#                  $TMPDIR/transferkit-ort-peer, about 1 GB for the 6 networks)
#   --out DIR      also keep the report (report.md), the raw JSON lines and the rows (results.tsv) in DIR
source "$(dirname "$0")/common.sh"

command_line="bash benchmarks/peer/run_all.sh $*"
quick=false transfer=false mlnet_featurizer=false rounds=1 fold_peer=false only="" out="" torch_preload=""
networks=resnet18,resnet50,mobilenet_v2,mobilenet_v3_large,efficientnet_b0,inception_v3,vgg16,densenet121
ort_networks="" ort_dir="${TMPDIR:-/tmp}/transferkit-ort-peer"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true ;;
    --transfer) transfer=true ;;
    --mlnet-featurizer) mlnet_featurizer=true ;;
    --rounds) rounds=${2:?--rounds needs a number}; shift ;;
    --jemalloc)
      have_jemalloc || { log "jemalloc not found at $JEMALLOC (apt-get install libjemalloc2)"; exit 2; }
      torch_preload=$JEMALLOC ;;
    --fold-peer) fold_peer=true ;;
    --only) only=${2:?--only needs a list}; shift ;;
    --networks) networks=${2:?--networks needs a list}; shift ;;
    --ort-networks) ort_networks=${2:?--ort-networks needs a list}; shift ;;
    --ort-dir) ort_dir=${2:?--ort-dir needs a folder}; shift ;;
    --out) out=${2:?--out needs a folder}; shift ;;
    -h|--help) sed -n '2,/^source/p' "$PEER_DIR/$(basename "$0")" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) log "unknown option '$1' (see --help)"; exit 2 ;;
  esac
  shift
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { log "--rounds must be a positive whole number, not '$rounds'"; exit 2; }
TORCH_PRELOAD=$torch_preload

all_items=(baseline-step preprocess decode inference head-linear head-mlp fine-tune-step ort transfer-frozen transfer-last-stage mlnet-featurizer)
if [ -n "$only" ]; then
  IFS=, read -r -a items <<<"$only"
  for item in "${items[@]}"; do
    [[ " ${all_items[*]} " == *" $item "* ]] || { log "unknown item '$item': use ${all_items[*]}"; exit 2; }
  done
else
  items=("${all_items[@]:0:8}")
  if $transfer; then items+=(transfer-frozen transfer-last-stage); fi
  if $mlnet_featurizer; then items+=(mlnet-featurizer); fi
fi

# Sizes: the full set matches the defaults of the single compare*.sh scripts and RESULTS-issue5.md.
if $quick; then
  baseline_steps=2 rounds_jpeg=2 inference_steps=1 inference_batch=2 head_epochs=1 head_samples=3200
  fine_tune_steps=2 fine_tune_batch=4 transfer_images=40 frozen_epochs=2 last_stage_epochs=1 featurizer_images=8
  ort_networks=${ort_networks:-resnet18}
else
  baseline_steps=20 rounds_jpeg=10 inference_steps=5 inference_batch=16 head_epochs=3 head_samples=25000
  fine_tune_steps=10 fine_tune_batch=16 transfer_images=500 frozen_epochs=10 last_stage_epochs=3 featurizer_images=256
  ort_networks=${ort_networks:-resnet18,resnet50,mobilenet_v2,efficientnet_b0,inception_v3,densenet121}
fi

run_baseline_step() {
  tk "$1.tk" peer-baseline-step "$baseline_steps"
  torch_peer "$1.peer" baseline_cnn_step.py --steps "$baseline_steps"
  record "baseline CNN train step (batch 32, 3x128x128, SGD momentum; PyTorch)" "img/s" higher "$1.tk" "$1.peer" images_per_second
}

# decode + resize + crop + normalise, or decode alone; throughput and the CPU time per image (fairer on a busy machine).
run_jpeg() {
  local name=$1 base=$2 mode what
  shift 2
  if [ "$name" = decode ]; then mode=peer-decode what="JPEG decode"; else mode=peer-preprocess what="decode + resize 256 + crop 224 + normalise"; fi
  tk "$base.tk" "$mode" "$rounds_jpeg"
  peer "$base.peer" pillow_preprocess.py --rounds "$rounds_jpeg" "$@"
  record "$what, 500x375 JPEG q90, 2 threads (Pillow)" "img/s" higher "$base.tk" "$base.peer" images_per_second
  record "$what, CPU time per image (Pillow)" "ms" lower "$base.tk" "$base.peer" cpu_ms_per_image
}

# One process pair per network, so each network's two sides run back to back.
run_inference() {
  local net image fold_args=()
  if $fold_peer; then fold_args=(--fold); fi
  for net in ${networks//,/ }; do
    tk "$1.$net.tk" peer-inference "$net" "$inference_steps" "$inference_batch"
    torch_peer "$1.$net.peer" inference.py --networks "$net" --steps "$inference_steps" --batch "$inference_batch" "${fold_args[@]}"
    image=$(json_get "$1.$net.tk" image 2>/dev/null || echo "?")
    record "inference $net, batch $inference_batch of $image, eval (PyTorch$($fold_peer && echo " fused" || echo " eager"))" "img/s" higher "$1.$net.tk" "$1.$net.peer" images_per_second
  done
}

run_head() {
  local model=$1 base=$2 what
  if [ "$model" = linear ]; then what="GAP + Linear(2048, 2)"; else what="MLP (256, 128, 64) with BN + dropout"; fi
  tk "$base.tk" peer-head-epoch "$model" "$head_epochs" "$head_samples"
  torch_peer "$base.peer" head_epoch.py --model "$model" --epochs "$head_epochs" --samples "$head_samples"
  record "head epoch, $what, $head_samples cached 2048-d features, batch 64, Adam (PyTorch)" "s" lower "$base.tk" "$base.peer" seconds_per_epoch
}

run_fine_tune_step() {
  tk "$1.tk" peer-fine-tune-step "$fine_tune_steps" "$fine_tune_batch"
  torch_peer "$1.peer" fine_tune_step.py --steps "$fine_tune_steps" --batch "$fine_tune_batch"
  record "fine-tune step ResNet-50 224, layer4 + head train, batch $fine_tune_batch, Adam (PyTorch)" "img/s" higher "$1.tk" "$1.peer" images_per_second
}

# Both read the same synthetic JPEGs, which our side writes once; PyTorch's plain loop is timed for one epoch and
# extrapolated (its epochs repeat identical work), ours runs every epoch with its activation cache.
run_transfer() {
  local mode=$1 epochs=$2 base=$3 dir="${TMPDIR:-/tmp}/transferkit-cats-dogs-$transfer_images"
  tk "$base.tk" peer-transfer-run "$mode" "$transfer_images" "$epochs" "$dir"
  torch_peer "$base.peer" transfer_run.py --dir "$dir" --mode "$mode" --extrapolate-to "$epochs"
  record "transfer run ResNet-50 224 $mode, $transfer_images images x $epochs epoch$([ "$epochs" = 1 ] || echo s), end to end (PyTorch: 1 epoch x $epochs)" "s" lower "$base.tk" "$base.peer" total_seconds
}

# ONNX Runtime 1.32 beside TransferKit (OrtInference): inference per network at batch 16 and 1, ResNet-50's fine-tune step
# against ORT's frozen prefix, a frozen backbone's cache fill. One process runs both sides, row by row; its rows go into
# their own table (ORT_RESULTS), its legend of what each column measures into the report.
ORT_DLL=benchmarks/peer/OrtInference/bin/Release/net10.0/OrtInference.dll
ORT_RESULTS=$WORK/ort-results.tsv
run_ort() {
  local base=$1 status=0 args=(--networks "$ort_networks")
  if $quick; then args+=(--quick); fi
  # Exports only what is missing; the fine-tune and cache-fill rows need resnet50.
  "$PYTHON" "$PEER_DIR/export_torchvision.py" "$ort_dir" $(echo "$ort_networks,resnet50" | tr , '\n' | sort -u) >&2 \
    || log "# FAILED: export_torchvision.py $ort_dir"
  dotnet "$ORT_DLL" "$ort_dir" "${args[@]}" >"$base.md" 2>"$base.jsonl" || status=$?
  cat "$base.md" "$base.jsonl" >&2
  if [ "$status" -ne 0 ]; then log "# FAILED (exit $status; 1: outputs differ beyond 1e-4): OrtInference"; fi
  if ! "$PYTHON" "$PEER_DIR/peer_results.py" pairs "$ORT_RESULTS" "$base.jsonl" img/s Item TransferKitImagesPerSecond OrtImagesPerSecond >/dev/null \
     || [ "$status" -ne 0 ]; then
    printf 'ONNX Runtime peer (exit %s)\timg/s\thigher\tfailed\tfailed\n' "$status" >>"$ORT_RESULTS"
  fi
  ORT_LEGEND=$base.md
}

ort_build() {
  log "# building benchmarks/peer/OrtInference (Release)"
  if ! dotnet build -c Release benchmarks/peer/OrtInference >"$WORK/ort-build.log" 2>&1; then
    grep -E "error" "$WORK/ort-build.log" >&2 || tail -n 20 "$WORK/ort-build.log" >&2
    exit 1
  fi
}

# The ort item's table: the medians of its rounds, and what its columns measure (from the last round's report).
print_ort_report() {
  [ -s "$ORT_RESULTS" ] || return 0
  echo
  echo "### Beside ONNX Runtime 1.32 (OrtInference, same weights and inputs, both sides in one process)"
  echo
  "$PYTHON" "$PEER_DIR/peer_results.py" table "$ORT_RESULTS" "ONNX Runtime 1.32"
  if [ -n "${ORT_LEGEND:-}" ] && [ -s "$ORT_LEGEND" ]; then
    echo
    sed -n '/^What each column measures/,$p' "$ORT_LEGEND"
  fi
}

# ML.NET's tutorial featurizer (LoadImages, ResizeImages, ExtractPixels, DnnFeaturizeImage ResNet-18: one image per ONNX
# Runtime call) against TransferKitFeaturizeImage on the same network from the same package, batched; both from the same
# JPEG files to 512 features, each side in its own process.
FEATURIZER_DLL=benchmarks/peer/MlNetFeaturizer/bin/Release/net10.0/MlNetFeaturizer.dll
run_mlnet_featurizer() {
  if [ ! -e "$WORK/featurizer.built" ]; then
    log "# building benchmarks/peer/MlNetFeaturizer (Release)"
    if ! dotnet build -c Release benchmarks/peer/MlNetFeaturizer >"$WORK/featurizer-build.log" 2>&1; then
      grep -E "error" "$WORK/featurizer-build.log" >&2 || tail -n 20 "$WORK/featurizer-build.log" >&2
      exit 1
    fi
    touch "$WORK/featurizer.built"
  fi
  run_side "$1.tk" dotnet "$FEATURIZER_DLL" --side transferkit --images "$featurizer_images"
  run_side "$1.peer" dotnet "$FEATURIZER_DLL" --side mlnet --images "$featurizer_images"
  record "ResNet-18 featurizer, $featurizer_images JPEGs 320x320 from file to 512 features (ML.NET DnnFeaturizeImage)" "img/s" higher "$1.tk" "$1.peer" images_per_second
  record "ResNet-18 featurizer, CPU time per image (ML.NET DnnFeaturizeImage)" "ms" lower "$1.tk" "$1.peer" cpu_ms_per_image
}

run_item() {
  local item=$1 base=$2
  case "$item" in
    baseline-step) run_baseline_step "$base" ;;
    preprocess) run_jpeg preprocess "$base" ;;
    decode) run_jpeg decode "$base" --decode-only ;;
    inference) run_inference "$base" ;;
    head-linear) run_head linear "$base" ;;
    head-mlp) run_head mlp "$base" ;;
    fine-tune-step) run_fine_tune_step "$base" ;;
    ort) run_ort "$base" ;;
    transfer-frozen) run_transfer frozen "$frozen_epochs" "$base" ;;
    transfer-last-stage) run_transfer last-stage "$last_stage_epochs" "$base" ;;
    mlnet-featurizer) run_mlnet_featurizer "$base" ;;
  esac
}

tk_build
if [[ " ${items[*]} " == *" ort "* ]]; then ort_build; fi
for round in $(seq 1 "$rounds"); do
  for item in "${items[@]}"; do
    load_average | cut -d' ' -f1 >>"$WORK/loads"
    log "# round $round/$rounds: $item (load average $(load_average))"
    run_item "$item" "$WORK/$item.round$round"
  done
done

report() {
  print_report "TransferKit vs PyTorch/Pillow and ONNX Runtime$($quick && echo " (QUICK: a smoke test with few steps, not a measurement)")" \
    "1-min load average at the start of the items: $(sort -n "$WORK/loads" | head -n 1) to $(sort -n "$WORK/loads" | tail -n 1)" \
    "PyTorch's allocator: ${TORCH_PRELOAD:-glibc malloc (stock)}; rounds: $rounds; command: $command_line"
  print_ort_report
}
if [ -n "$out" ]; then
  mkdir -p "$out"
  report | tee "$out/report.md"
  cp "$RESULTS" "$out/results.tsv" 2>/dev/null || true
  for f in "$WORK"/*.tk "$WORK"/*.peer; do if [ -e "$f" ]; then cp "$f" "$out/$(basename "$f").jsonl"; fi; done
  if [ -s "$ORT_RESULTS" ]; then cp "$ORT_RESULTS" "$out/ort-results.tsv"; fi
  for f in "$WORK"/ort.round*.jsonl "$WORK"/ort.round*.md; do if [ -e "$f" ]; then cp "$f" "$out/"; fi; done
  log "# kept the report, rows and raw JSON lines in $out"
else
  report
fi
check_failures
if [ -s "$ORT_RESULTS" ] && cut -f4,5 "$ORT_RESULTS" | grep -qw failed; then
  log "# the ONNX Runtime peer failed: see its messages above"
  exit 1
fi
