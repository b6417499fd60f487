"""Exports torchvision networks with identical weights for both sides of the ONNX Runtime peer (run with /usr/bin/python3):
NAME.onnx (opset 13, dynamic batch, eval mode) for ONNX Runtime and NAME.pth (the state_dict) for TransferKit.
Weights are random with randomised BatchNorm statistics, so that folding BN is exercised as real weights would.

    /usr/bin/python3 benchmarks/peer/export_torchvision.py OUT_DIR [NAME ...]
"""
import os
import sys

import torch
import torchvision.models as tvm

# The fixtures' BatchNorm randomisation, so both kinds of export exercise folding the same way.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "fixtures"))
from make_onnx_fixtures import randomise_bn  # noqa: E402

BUILDERS = {
    "resnet18": (lambda: tvm.resnet18(), 224),
    "resnet50": (lambda: tvm.resnet50(), 224),
    "mobilenet_v2": (lambda: tvm.mobilenet_v2(), 224),
    "efficientnet_b0": (lambda: tvm.efficientnet_b0(), 224),
    "inception_v3": (lambda: tvm.inception_v3(init_weights=True, aux_logits=False), 299),
    "densenet121": (lambda: tvm.densenet121(), 224),
}


def main():
    out = sys.argv[1]
    names = sys.argv[2:] or list(BUILDERS)
    os.makedirs(out, exist_ok=True)
    for name in names:
        onnx_path, pth_path = os.path.join(out, name + ".onnx"), os.path.join(out, name + ".pth")
        if os.path.exists(onnx_path) and os.path.exists(pth_path):
            continue
        build, size = BUILDERS[name]
        torch.manual_seed(1)
        model = build()
        randomise_bn(model, torch.Generator().manual_seed(2))
        model.eval()
        torch.save(model.state_dict(), pth_path)
        torch.onnx.export(model, torch.randn(1, 3, size, size), onnx_path, opset_version=13, input_names=["input"],
                          output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
        print(name, size, os.path.getsize(onnx_path), file=sys.stderr)


if __name__ == "__main__":
    main()
