#!/usr/bin/env bash
# Times the baseline-CNN training step (batch 32, 3x128x128, 2 classes, SGD momentum) side by side in one run:
# TransferKit with each GEMM provider, PyTorch as installed, and PyTorch with jemalloc preloaded when present.
# The JSON lines go to stderr, then a table of TransferKit's images/s over PyTorch's.
# Usage: bash benchmarks/peer/compare.sh [steps]
source "$(dirname "$0")/common.sh"
steps=${1:-20}

tk_build
TRANSFERKIT_GEMM=managed tk "$WORK/tk_managed" peer-baseline-step "$steps"
TRANSFERKIT_GEMM=cblas tk "$WORK/tk_cblas" peer-baseline-step "$steps"
peer "$WORK/torch" baseline_cnn_step.py --steps "$steps"
if have_jemalloc; then peer_jemalloc "$WORK/torch_jemalloc" baseline_cnn_step.py --steps "$steps"; fi

for gemm in managed cblas; do
  record "baseline CNN step, TransferKit $gemm GEMM vs PyTorch (glibc malloc)" "img/s" higher "$WORK/tk_$gemm" "$WORK/torch" images_per_second
  if have_jemalloc; then
    record "baseline CNN step, TransferKit $gemm GEMM vs PyTorch (jemalloc)" "img/s" higher "$WORK/tk_$gemm" "$WORK/torch_jemalloc" images_per_second
  fi
done
print_report "Baseline-CNN training step, $steps timed steps"
check_failures
