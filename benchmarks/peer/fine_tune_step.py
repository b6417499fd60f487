#!/usr/bin/python3
"""One PyTorch fine-tuning step of ResNet-50 with the last stage unfrozen, the peer of TransferKit's `peer-fine-tune-step`.

conv1..layer3 are frozen (requires_grad False) and run in eval mode (BatchNorm on its running statistics, TransferKit's
default for frozen units) under torch.no_grad(); layer4 (train mode), global average pooling and fc (2048 -> 2 classes)
run forward and backward; Adam(lr 1e-3) updates layer4 and fc. Random weights and a random batch (uniform in [-1, 1];
speed does not depend on them) of --batch images at 224, torch.set_num_threads(2). After --warmup steps it times
--steps steps and prints one JSON line with the median.

    /usr/bin/python3 benchmarks/peer/fine_tune_step.py [--batch 16] [--steps 10]
"""

import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F
import torchvision
from torch import nn


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    net = torchvision.models.resnet50(num_classes=2)
    prefix = nn.Sequential(net.conv1, net.bn1, net.relu, net.maxpool, net.layer1, net.layer2, net.layer3)
    for p in prefix.parameters():
        p.requires_grad_(False)
    trainable = nn.Sequential(net.layer4, net.avgpool, nn.Flatten(), net.fc)
    opt = torch.optim.Adam(trainable.parameters(), lr=1e-3)
    x = torch.rand(args.batch, 3, args.size, args.size) * 2 - 1
    labels = torch.arange(args.batch) % 2

    def step():
        prefix.eval()
        trainable.train()
        with torch.no_grad():
            features = prefix(x)
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(trainable(features), labels)
        loss.backward()
        opt.step()
        return float(loss)

    for _ in range(args.warmup):
        step()
    times, loss = [], float("nan")
    for _ in range(args.steps):
        start = time.perf_counter()
        loss = step()
        times.append((time.perf_counter() - start) * 1000.0)

    ms = statistics.median(times)
    print(json.dumps({
        "framework": "pytorch", "torch": torch.__version__, "network": "resnet50", "threads": torch.get_num_threads(),
        "batch": args.batch, "image": f"3x{args.size}x{args.size}", "trainable": "layer4, head",
        "trainable_parameters": sum(p.numel() for p in trainable.parameters()), "steps": args.steps,
        "ms_per_step": round(ms, 1), "ms_min": round(min(times), 1),
        "images_per_second": round(args.batch * 1000.0 / ms, 2), "last_loss": round(loss, 4),
    }))


if __name__ == "__main__":
    main()
