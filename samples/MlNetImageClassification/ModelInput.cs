namespace TransferKit.Samples.MlNetImageClassification;

/// <summary>A row after preprocessing: the encoded image bytes the trainer reads, and the label as a key.</summary>
public sealed class ModelInput
{
    public byte[] Image { get; set; } = [];

    public uint LabelAsKey { get; set; }

    public string ImagePath { get; set; } = "";

    public string Label { get; set; } = "";
}
