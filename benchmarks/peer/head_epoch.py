#!/usr/bin/env python3
"""One epoch of a classifier head on cached features in PyTorch, the peer of TransferKit's `peer-head-epoch` mode.

25,000 fixed random samples of [2048, 1, 1] (2 classes), batch 64, Adam(lr 1e-3), shuffled per epoch. The head is the
same module list as TransferKit's ClassifierHead: global average pooling and flatten, then for "mlp" three blocks of
[BatchNorm1d, Linear, ReLU, Dropout(0.5)] with 256, 128 and 64 units, then Linear(.., 2). 50 warm-up batches, then
the median of N epochs, printed as one JSON line.
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn


def head(model: str, features: int = 2048, classes: int = 2) -> nn.Module:
    layers = [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    if model == "mlp":
        for units in (256, 128, 64):
            layers += [nn.BatchNorm1d(features), nn.Linear(features, units), nn.ReLU(), nn.Dropout(0.5)]
            features = units
    elif model != "linear":
        raise SystemExit(f"unknown model {model!r}: use linear or mlp")
    layers.append(nn.Linear(features, classes))
    return nn.Sequential(*layers)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="linear")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--samples", type=int, default=25_000)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--warmup-batches", type=int, default=50)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(5)
    g = torch.Generator().manual_seed(5)
    x = torch.rand(a.samples, 2048, 1, 1, generator=g) * 2 - 1
    y = (x[:, 0, 0, 0] + x[:, 1, 0, 0] > 0).long()
    model = head(a.model)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def epoch(e: int, batches: int = -1) -> float:
        order = torch.randperm(a.samples, generator=torch.Generator().manual_seed(105 + e))
        loss = None
        end = a.samples if batches < 0 else min(a.samples, batches * a.batch)
        for start in range(0, end, a.batch):
            idx = order[start:start + a.batch]
            xb, yb = x[idx], y[idx]
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
        return float(loss)

    epoch(0, a.warmup_batches)
    times, last = [], 0.0
    for e in range(a.epochs):
        t = time.perf_counter()
        last = epoch(e + 1)
        times.append(time.perf_counter() - t)
    print(json.dumps({
        "framework": "pytorch", "torch": torch.__version__, "model": a.model, "threads": a.threads,
        "epochs": a.epochs, "samples": a.samples, "seconds_per_epoch": round(statistics.median(times), 4),
        "seconds_min": round(min(times), 4), "last_loss": round(last, 4),
    }))


if __name__ == "__main__":
    main()
