namespace TransferKit.Benchmarks.Peer;

/// <summary>One network at one batch size on both sides: medians in images per second, and how far the logits differ.</summary>
internal sealed record OrtPeerRow(string Network, int Batch, double TransferKitImagesPerSecond, double OrtImagesPerSecond, double MaxLogitDifference);
