#!/usr/bin/env bash
# The evaluation input pipeline of 500x375 quality-90 JPEGs, TransferKit and Pillow 9.4 side by side in one run
# (2 threads / 2 worker processes): decode + resize 256 + centre crop 224 + normalise, then the decode alone. Throughput
# and CPU time per image (the fairer figure on a shared machine). Usage: bash benchmarks/peer/compare_preprocess.sh [rounds]
source "$(dirname "$0")/common.sh"
rounds=${1:-10}

tk_build
tk "$WORK/preprocess.tk" peer-preprocess "$rounds"
peer "$WORK/preprocess.pillow" pillow_preprocess.py --rounds "$rounds"
tk "$WORK/decode.tk" peer-decode "$rounds"
peer "$WORK/decode.pillow" pillow_preprocess.py --rounds "$rounds" --decode-only
for work in preprocess decode; do
  if [ "$work" = decode ]; then what="JPEG decode"; else what="decode + resize 256 + crop 224 + normalise"; fi
  record "$what, images per second" "img/s" higher "$WORK/$work.tk" "$WORK/$work.pillow" images_per_second
  record "$what, CPU time per image" "ms" lower "$WORK/$work.tk" "$WORK/$work.pillow" cpu_ms_per_image
done
print_report "JPEG input pipeline vs Pillow, median of $rounds rounds of 64 images"
check_failures
