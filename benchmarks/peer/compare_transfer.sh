#!/usr/bin/env bash
# Side-by-side timings for transfer learning, one comparison per call: TransferKit, PyTorch as installed, and PyTorch
# with jemalloc preloaded when present; the JSON lines (with the load average before each run) go to stderr, then a table.
#   bash benchmarks/peer/compare_transfer.sh head linear|mlp [epochs] [samples]
#       one head epoch on 25,000 cached 2048-d features (median of epochs, default 3; 1 suits the slow PyTorch MLP)
#   bash benchmarks/peer/compare_transfer.sh fine-tune [steps] [batch]
#       one ResNet-50 step with layer4 + head training and the frozen prefix without a tape (median of steps, default 10)
#   bash benchmarks/peer/compare_transfer.sh transfer frozen|last-stage [images] [epochs]
#       ResNet50 at 224 end to end on synthetic JPEGs (default 500 images, 10 epochs); PyTorch's plain loop is timed
#       for ONE epoch and extrapolated to [epochs]
source "$(dirname "$0")/common.sh"
what=${1:?head, fine-tune or transfer}
shift

# side OUT RUNNER ARGS...: one side of the comparison, with the load average just before it.
side() {
  log "# load average: $(load_average)"
  "$@"
}

# three NAME UNIT higher|lower KEY SCRIPT ARGS...: PyTorch stock and jemalloc against the TransferKit file tk.
three() {
  local name=$1 unit=$2 better=$3 key=$4 script=$5
  shift 5
  side peer "$WORK/torch" "$script" "$@"
  record "$name vs PyTorch (glibc malloc)" "$unit" "$better" "$WORK/tk" "$WORK/torch" "$key"
  if have_jemalloc; then
    side peer_jemalloc "$WORK/torch_jemalloc" "$script" "$@"
    record "$name vs PyTorch (jemalloc)" "$unit" "$better" "$WORK/tk" "$WORK/torch_jemalloc" "$key"
  fi
}

tk_build
case "$what" in
  head)
    model=${1:?linear or mlp}
    epochs=${2:-3}
    samples=${3:-25000}
    side tk "$WORK/tk" peer-head-epoch "$model" "$epochs" "$samples"
    three "head epoch $model, $samples samples" "s" lower seconds_per_epoch head_epoch.py --model "$model" --epochs "$epochs" --samples "$samples"
    title="Head epoch on cached features, median of $epochs epochs"
    ;;
  fine-tune)
    steps=${1:-10}
    batch=${2:-16}
    side tk "$WORK/tk" peer-fine-tune-step "$steps" "$batch"
    three "fine-tune step ResNet-50, layer4 + head, batch $batch" "img/s" higher images_per_second fine_tune_step.py --steps "$steps" --batch "$batch"
    title="Fine-tune step, median of $steps steps"
    ;;
  transfer)
    mode=${1:?frozen or last-stage}
    images=${2:-500}
    epochs=${3:-10}
    dir="${TMPDIR:-/tmp}/transferkit-cats-dogs-$images"
    side tk "$WORK/tk" peer-transfer-run "$mode" "$images" "$epochs" "$dir"
    three "transfer run $mode, $images images x $epochs epochs" "s" lower total_seconds transfer_run.py --dir "$dir" --mode "$mode" --extrapolate-to "$epochs"
    title="ResNet-50 transfer run end to end (PyTorch: one epoch, extrapolated)"
    ;;
  *) log "unknown comparison '$what': use head, fine-tune or transfer"; exit 2 ;;
esac
print_report "$title"
check_failures
