#!/usr/bin/python3
"""Peer of TransferKit's PreprocessingBenchmarks: the evaluation input pipeline with Pillow and NumPy.

Each image: Image.open on the JPEG bytes, convert("RGB"), resize the shorter side to 256 with BILINEAR (torchvision's
Resize(256) rounding), centre-crop 224 (torchvision's CenterCrop rounding), then NumPy: / 255, - mean, / std, HWC to CHW
float32. No draft mode (no DCT scaling). The images of a batch are split over worker processes (default 2, like a
PyTorch DataLoader with num_workers=2); each worker keeps its results (nothing is sent back), so the timing is the work
alone. The JPEGs are the same synthetic photos as the C# benchmark (tools/fixtures/preprocessing.py, seeds 1..8, 500x375,
quality 90). Prints one JSON line: the median images/s over the timed rounds, and the CPU time per image summed over
the workers (a fairer figure on a shared machine, where a process may wait for a core). --decode-only times the JPEG
decode alone (Image.open + load, RGB pixels as TransferKit's `peer-decode` produces them).

    /usr/bin/python3 benchmarks/peer/pillow_preprocess.py [--workers 2] [--batch 64] [--rounds 10] [--decode-only]
"""

import argparse
import io
import json
import multiprocessing as mp
import os
import statistics
import sys
import time

import numpy as np
import PIL
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "fixtures"))
from preprocessing import synthetic_photo  # noqa: E402

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
JPEGS = []
DECODE_ONLY = []  # set before the workers fork, so they see it


def make_jpegs():
    out = []
    for seed in range(1, 9):
        buf = io.BytesIO()
        Image.fromarray(synthetic_photo(500, 375, seed)).save(buf, "JPEG", quality=90)
        out.append(buf.getvalue())
    return out


def decode(data):
    img = Image.open(io.BytesIO(data))
    img.load()
    return img if img.mode == "RGB" else img.convert("RGB")


def preprocess(data, resize=256, crop=224):
    img = decode(data)
    w, h = img.size
    if w <= h:
        size = (resize, int(resize * h / w))
    else:
        size = (int(resize * w / h), resize)
    img = img.resize(size, Image.Resampling.BILINEAR)
    top = int(round((size[1] - crop) / 2.0))
    left = int(round((size[0] - crop) / 2.0))
    img = img.crop((left, top, left + crop, top + crop))
    x = np.asarray(img, dtype=np.float32) / 255.0
    x = (x - MEAN) / STD
    return np.ascontiguousarray(x.transpose(2, 0, 1))


def work(indices):
    """Preprocesses the images of `indices`; returns the CPU seconds this worker spent."""
    start = time.process_time()
    run = decode if DECODE_ONLY else preprocess
    for i in indices:
        run(JPEGS[i % len(JPEGS)])
    return time.process_time() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--decode-only", action="store_true", help="time the JPEG decode alone")
    args = parser.parse_args()

    JPEGS.extend(make_jpegs())
    if args.decode_only:
        DECODE_ONLY.append(True)
    chunks = [list(range(args.batch))[k::args.workers] for k in range(args.workers)]
    times, cpu = [], []
    with mp.get_context("fork").Pool(args.workers) as pool:
        pool.map(work, chunks)  # warm-up: workers started, code and caches warm
        for _ in range(args.rounds):
            start = time.perf_counter()
            cpu.append(sum(pool.map(work, chunks)))
            times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(json.dumps({
        "framework": "pillow", "pillow": PIL.__version__, "numpy": np.__version__,
        "work": "decode" if args.decode_only else "decode, resize, crop, normalize", "workers": args.workers,
        "batch": args.batch, "image": "500x375 jpeg q90", "rounds": args.rounds,
        "ms_per_batch": round(median * 1e3, 2), "ms_min": round(min(times) * 1e3, 2),
        "images_per_second": round(args.batch / median, 1), "images_per_second_best": round(args.batch / min(times), 1),
        # CPU time per image (all workers): unaffected by waiting for a core on a shared machine.
        "cpu_ms_per_image": round(statistics.median(cpu) / args.batch * 1e3, 3),
        "cpu_ms_per_image_min": round(min(cpu) / args.batch * 1e3, 3),
        "jpeg_bytes": sum(len(j) for j in JPEGS) // len(JPEGS)}))


if __name__ == "__main__":
    main()
