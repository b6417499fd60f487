#!/usr/bin/python3
"""Times one PyTorch training step of TransferKit's baseline CNN on the CPU, as the peer number for our engine.

One step = forward, mean cross-entropy, backward, SGD(momentum 0.9) update, for
BaselineCnn(channels=(32, 64, 128, 256), in_channels=3, classes=2) on a batch of 32 images of 3x128x128.
Prints one JSON line; see benchmarks/peer/README.md.
"""

import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

# The one PyTorch definition of the baseline CNN lives with the fixtures it is checked against.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "fixtures"))
from make_fixtures import BaselineCnn  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = BaselineCnn((32, 64, 128, 256), 3, 2).train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(args.batch, 3, args.size, args.size)
    labels = torch.randint(0, 2, (args.batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), labels)
        loss.backward()
        opt.step()

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000.0)

    ms = statistics.median(times)
    print(json.dumps({
        "framework": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "batch": args.batch, "image": f"3x{args.size}x{args.size}", "steps": args.steps,
        "ms_per_step": round(ms, 2), "ms_min": round(min(times), 2), "ms_max": round(max(times), 2),
        "images_per_second": round(args.batch * 1000.0 / ms, 1),
    }))


if __name__ == "__main__":
    main()
