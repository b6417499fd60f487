"""Exports torchvision networks with identical weights for both sides of the ONNX Runtime peer (run with /usr/bin/python3).
Weights are random with randomised BatchNorm statistics, so that folding BN is exercised as real weights would. Per NAME:

    NAME.pth                the state_dict, for TransferKit
    NAME.onnx               the whole network, logits (the inference rows)
    NAME.features.onnx      everything before the classifier, ending with global average pooling: [N, C] pooled features
                            (the cache-fill row: what a frozen backbone computes for each image)
    NAME.upto_layer3.onnx   ResNets only: stem, layer1, layer2, layer3, their [N, C, H/16, W/16] output (the frozen prefix
                            of a fine-tune that trains layer4 and the head)

All ONNX files are opset 13, eval mode, with a dynamic batch, input "input" and output "output". Files already present are
kept; a missing one is rebuilt from the same seeds, so it carries the same weights as the others.

    /usr/bin/python3 benchmarks/peer/export_torchvision.py OUT_DIR [NAME ...]
"""
import copy
import os
import sys

import torch
import torch.nn as nn
import torchvision.models as tvm

# The fixtures' BatchNorm randomisation, so both kinds of export exercise folding the same way.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "fixtures"))
from make_onnx_fixtures import randomise_bn  # noqa: E402

# name: (builder, input size, attribute of the classifier that the features export replaces by the identity)
BUILDERS = {
    "resnet18": (lambda: tvm.resnet18(), 224, "fc"),
    "resnet50": (lambda: tvm.resnet50(), 224, "fc"),
    "mobilenet_v2": (lambda: tvm.mobilenet_v2(), 224, "classifier"),
    "efficientnet_b0": (lambda: tvm.efficientnet_b0(), 224, "classifier"),
    "inception_v3": (lambda: tvm.inception_v3(init_weights=True, aux_logits=False), 299, "fc"),
    "densenet121": (lambda: tvm.densenet121(), 224, "classifier"),
}


def features(model, head):
    """The network with its classifier replaced by the identity: torchvision pools and flattens before the classifier."""
    trunk = copy.deepcopy(model)
    setattr(trunk, head, nn.Identity())
    return trunk.eval()


def upto_layer3(model):
    """A ResNet's stem and first three stages, as TransferKit's units stem, layer1, layer2, layer3."""
    return nn.Sequential(model.conv1, model.bn1, model.relu, model.maxpool, model.layer1, model.layer2, model.layer3).eval()


def export(module, size, path):
    torch.onnx.export(module, torch.randn(1, 3, size, size), path, opset_version=13, input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    print(os.path.basename(path), size, os.path.getsize(path), file=sys.stderr)


def main():
    out = sys.argv[1]
    names = sys.argv[2:] or list(BUILDERS)
    unknown = [n for n in names if n not in BUILDERS]
    if unknown:
        sys.exit(f"unknown network(s) {', '.join(unknown)}: use {', '.join(BUILDERS)}")
    os.makedirs(out, exist_ok=True)
    for name in names:
        build, size, head = BUILDERS[name]
        paths = {kind: os.path.join(out, name + suffix) for kind, suffix in
                 [("pth", ".pth"), ("onnx", ".onnx"), ("features", ".features.onnx"), ("upto_layer3", ".upto_layer3.onnx")]}
        if not name.startswith("resnet"):
            del paths["upto_layer3"]
        if all(os.path.exists(p) for p in paths.values()):
            continue
        torch.manual_seed(1)
        model = build()
        randomise_bn(model, torch.Generator().manual_seed(2))
        model.eval()
        if not os.path.exists(paths["pth"]):
            torch.save(model.state_dict(), paths["pth"])
        if not os.path.exists(paths["onnx"]):
            export(model, size, paths["onnx"])
        if not os.path.exists(paths["features"]):
            export(features(model, head), size, paths["features"])
        if "upto_layer3" in paths and not os.path.exists(paths["upto_layer3"]):
            export(upto_layer3(model), size, paths["upto_layer3"])


if __name__ == "__main__":
    main()
