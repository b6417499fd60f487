#!/usr/bin/env bash
# Eval-mode inference, 2 threads: TransferKit (batch norm folded) and PyTorch 1.13 (eager), stock and with jemalloc when
# present, side by side in one run per network. The JSON lines go to stderr, then a table of images/s and ratios.
# Usage: bash benchmarks/peer/compare_inference.sh [steps] [networks] [batch]
#   networks: comma-separated catalog names (default resnet50,mobilenet_v2,efficientnet_b0,inception_v3; run_all.sh runs 8)
source "$(dirname "$0")/common.sh"
steps=${1:-5}
nets=${2:-resnet50,mobilenet_v2,efficientnet_b0,inception_v3}
batch=${3:-16}

tk_build
for net in ${nets//,/ }; do
  tk "$WORK/$net.tk" peer-inference "$net" "$steps" "$batch"
  peer "$WORK/$net.torch" inference.py --networks "$net" --steps "$steps" --batch "$batch"
  record "inference $net, batch $batch vs PyTorch (glibc malloc)" "img/s" higher "$WORK/$net.tk" "$WORK/$net.torch" images_per_second
  if have_jemalloc; then
    peer_jemalloc "$WORK/$net.jemalloc" inference.py --networks "$net" --steps "$steps" --batch "$batch"
    record "inference $net, batch $batch vs PyTorch (jemalloc)" "img/s" higher "$WORK/$net.tk" "$WORK/$net.jemalloc" images_per_second
  fi
done
print_report "Inference, median of $steps batches"
check_failures
