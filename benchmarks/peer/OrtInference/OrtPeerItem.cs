namespace TransferKit.Benchmarks.Peer;

/// <summary>The parts of the ONNX Runtime peer that <c>--items</c> selects.</summary>
internal enum OrtPeerItem
{
    /// <summary>Eval-mode logits per network, at the throughput batch and at batch 1 (<see cref="OrtPeerRun"/>).</summary>
    Inference,

    /// <summary>ResNet-50's fine-tune step against ONNX Runtime's frozen prefix, and the two prefixes alone (<see cref="OrtFineTuneRun"/>).</summary>
    FineTune,

    /// <summary>A frozen backbone's forward over many images, as the activation cache is filled (<see cref="OrtCacheFillRun"/>).</summary>
    Cache,

    /// <summary>
    /// Unit-by-unit times of each inference network on both sides, a diagnostic of where the time goes; only when asked for
    /// (<see cref="OrtUnitsRun"/>).
    /// </summary>
    Units,
}
