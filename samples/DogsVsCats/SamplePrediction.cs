namespace TransferKit.Samples.DogsVsCats;

/// <summary>The best model's prediction for one test image.</summary>
/// <param name="Source">The image's file (or in-memory name).</param>
/// <param name="Truth">The true class.</param>
/// <param name="Label">The predicted class.</param>
/// <param name="Confidence">The predicted class's probability.</param>
public sealed record SamplePrediction(string Source, string Truth, string Label, float Confidence);
