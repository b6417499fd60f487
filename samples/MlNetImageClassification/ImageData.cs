namespace TransferKit.Samples.MlNetImageClassification;

/// <summary>A row of the tutorial's input: an image file and its label (the name of its folder).</summary>
public sealed class ImageData
{
    public string ImagePath { get; set; } = "";

    public string Label { get; set; } = "";
}
