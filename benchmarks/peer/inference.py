#!/usr/bin/python3
"""Times PyTorch inference of torchvision networks on the CPU, the peer numbers for InferenceBenchmarks.cs.

For each network: eval mode, torch.no_grad(), batch 16 of random images at the network's input size (224, or 299
for inception_v3, built as TransferKit builds it: aux_logits=False, transform_input=False), random weights (speed does
not depend on them), torch.set_num_threads(2). After --warmup passes it times --steps passes and prints one JSON line
per network with the median time and images per second. PyTorch keeps its batch norms as separate ops in eager mode;
--fold first fuses each conv with its batch norm (torch.fx's fuse), the counterpart of TransferKit's folding.

    /usr/bin/python3 benchmarks/peer/inference.py [--networks resnet50,inception_v3] [--batch 16] [--steps 5] [--fold]

On this 2-vCPU shared machine the result moves by 3x or more with the other jobs' load and with the allocator
(glibc returns the large activation buffers to the system on every pass; LD_PRELOAD=libjemalloc.so.2 keeps them):
report ms_min next to the median, the load average, and which allocator ran.
"""

import argparse
import json
import statistics
import time

import torch
import torchvision

# The networks of InferenceBenchmarks.Networks, at their catalog input sizes.
NETWORKS = {
    "resnet18": (lambda: torchvision.models.resnet18(), 224),
    "resnet50": (lambda: torchvision.models.resnet50(), 224),
    "mobilenet_v2": (lambda: torchvision.models.mobilenet_v2(), 224),
    "mobilenet_v3_large": (lambda: torchvision.models.mobilenet_v3_large(), 224),
    "efficientnet_b0": (lambda: torchvision.models.efficientnet_b0(), 224),
    "inception_v3": (lambda: torchvision.models.inception_v3(aux_logits=False, transform_input=False, init_weights=False), 299),
    "vgg16": (lambda: torchvision.models.vgg16(), 224),
    "densenet121": (lambda: torchvision.models.densenet121(), 224),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--networks", default=",".join(NETWORKS))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--fold", action="store_true", help="fuse conv + batch norm with torch.fx before timing")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    for name in args.networks.split(","):
        build, size = NETWORKS[name]
        model = build().eval()
        if args.fold:
            from torch.fx.experimental.optimization import fuse
            model = fuse(model)
        x = torch.randn(args.batch, 3, size, size)
        times = []
        with torch.no_grad():
            for i in range(args.warmup + args.steps):
                start = time.perf_counter()
                model(x)
                if i >= args.warmup:
                    times.append((time.perf_counter() - start) * 1000.0)
        ms = statistics.median(times)
        print(json.dumps({
            "framework": "pytorch", "torch": torch.__version__, "network": name, "threads": torch.get_num_threads(),
            "batch": args.batch, "image": f"3x{size}x{size}", "folded": args.fold, "steps": args.steps,
            "ms_per_batch": round(ms, 1), "ms_min": round(min(times), 1), "ms_max": round(max(times), 1),
            "images_per_second": round(args.batch * 1000.0 / ms, 1),
        }), flush=True)


if __name__ == "__main__":
    main()
