#!/usr/bin/env python3
"""A plain PyTorch transfer-learning loop on ResNet50 at 224, the peer of TransferKit's `peer-transfer-run` mode.

Reads the synthetic cats-and-dogs JPEGs TransferKit wrote (one folder per class) with torchvision's ImageFolder and
the ResNet50 evaluation transform (resize 232 bilinear, centre crop 224, ImageNet normalisation), batch 32, shuffled,
Adam(lr 1e-3), randomly initialised weights (as on our side). There is no activation cache: every epoch runs the
frozen part under no_grad in eval mode.
  frozen      the whole backbone is frozen; GAP + Linear(2048, 2) trains.
  last-stage  conv1..layer3 frozen (eval, no_grad); layer4 (train mode) and the head train.
It times --epochs epochs (default 1) and prints one JSON line with the measured epochs and, when --extrapolate-to is
given, the total extrapolated from the mean measured epoch.
"""
import argparse
import json
import time

import torch
import torchvision
from torch import nn
from torchvision import transforms


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--mode", default="frozen", choices=["frozen", "last-stage"])
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--extrapolate-to", type=int, default=None)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=32)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)

    build = time.perf_counter()
    net = torchvision.models.resnet50()
    net.fc = nn.Linear(2048, 2)
    prefix = nn.Sequential(net.conv1, net.bn1, net.relu, net.maxpool, net.layer1, net.layer2, net.layer3)
    trainable = nn.Sequential(net.layer4) if a.mode == "last-stage" else nn.Sequential()
    if a.mode == "frozen":
        prefix = nn.Sequential(*prefix, net.layer4)
    for param in prefix.parameters():
        param.requires_grad_(False)
    head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), net.fc)
    params = list(trainable.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    tf = transforms.Compose([
        transforms.Resize(232, interpolation=transforms.InterpolationMode.BILINEAR),
        transforms.CenterCrop(224), transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ])
    data = torchvision.datasets.ImageFolder(a.dir, transform=tf)
    loader = torch.utils.data.DataLoader(data, batch_size=a.batch, shuffle=True, num_workers=0,
                                         generator=torch.Generator().manual_seed(1))
    build_seconds = time.perf_counter() - build

    times, losses = [], []
    for _ in range(a.epochs):
        t = time.perf_counter()
        loss_sum, seen = 0.0, 0
        prefix.eval()
        trainable.train()
        head.train()
        for x, y in loader:
            with torch.no_grad():
                x = prefix(x)
            opt.zero_grad()
            out = loss_fn(head(trainable(x)), y)
            out.backward()
            opt.step()
            loss_sum += float(out) * len(y)
            seen += len(y)
        times.append(time.perf_counter() - t)
        losses.append(loss_sum / seen)

    mean = sum(times) / len(times)
    result = {
        "framework": "pytorch", "torch": torch.__version__, "mode": a.mode, "threads": a.threads,
        "images": len(data), "epochs_measured": len(times), "build_seconds": round(build_seconds, 2),
        "epoch_seconds": [round(s, 3) for s in times], "epoch_images_per_second": round(len(data) / mean, 1),
        # The mean training loss of each measured epoch, as TransferKit's side reports it.
        "train_losses": [round(v, 4) for v in losses],
    }
    if a.extrapolate_to:
        result["extrapolated_epochs"] = a.extrapolate_to
        result["total_seconds"] = round(mean * a.extrapolate_to, 2)
        result["total_images_per_second"] = round(len(data) / mean, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
