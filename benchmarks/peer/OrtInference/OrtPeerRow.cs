namespace TransferKit.Benchmarks.Peer;

/// <summary>
/// One row of the peer's report: what each side ran, both rates in images per second (each the median of its timed
/// calls, or images over summed call times for the cache fill), and how far their outputs differ.
/// </summary>
/// <param name="Kind">What is measured, the same for every network (the report explains each kind once).</param>
/// <param name="Item">Short name of the row, unique in a run (run_all.sh keys its table on it).</param>
/// <param name="Network">The network both sides ran.</param>
/// <param name="Batch">Images per call.</param>
/// <param name="TransferKitMeasures">Exactly what the TransferKit column times.</param>
/// <param name="OrtMeasures">Exactly what the ONNX Runtime column times.</param>
/// <param name="TransferKitImagesPerSecond">TransferKit's rate.</param>
/// <param name="OrtImagesPerSecond">ONNX Runtime's rate.</param>
/// <param name="MaxDifference">max |ours - theirs| / max |theirs| over the compared output; null where the two sides compute different things.</param>
/// <param name="Tolerance">The largest <paramref name="MaxDifference"/> that counts as the same network: <see cref="OrtPeerOptions.Tolerance"/>
/// in float32, <see cref="OrtPeerOptions.BFloat16Tolerance"/> where TransferKit ran in bfloat16.</param>
internal sealed record OrtPeerRow(
    string Kind, string Item, string Network, int Batch, string TransferKitMeasures, string OrtMeasures,
    double TransferKitImagesPerSecond, double OrtImagesPerSecond, double? MaxDifference, double Tolerance = OrtPeerOptions.Tolerance)
{
    /// <summary>TransferKit's rate over ONNX Runtime's: above 1, TransferKit is faster.</summary>
    public double Ratio => TransferKitImagesPerSecond / OrtImagesPerSecond;

    /// <summary>Whether the outputs agree within <see cref="Tolerance"/> (true where they are not compared).</summary>
    public bool Agrees => MaxDifference is not { } d || d <= Tolerance;
}
