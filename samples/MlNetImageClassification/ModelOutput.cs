namespace TransferKit.Samples.MlNetImageClassification;

/// <summary>What the trained pipeline gives for one image.</summary>
public sealed class ModelOutput
{
    public string ImagePath { get; set; } = "";

    public string Label { get; set; } = "";

    public string PredictedLabel { get; set; } = "";

    public float[] Score { get; set; } = [];
}
