using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Training.Callbacks;

namespace TransferKit.Tests.Reporting;

/// <summary>
/// The shared fit's result bent to the report's edges: a training loss flat to its sixth digit, images from a
/// folder-per-class dataset (one misclassified as Cat/96.jpg), and two skipped unreadable images.
/// </summary>
internal static class EdgeReport
{
    public const string Root = "/data/pets";

    public static TrainingResult From(TrainingResult result) => result with
    {
        Epochs = [.. result.Epochs.Select((e, i) => e with { TrainLoss = 0.693147 + (i * 2e-6), ValidationLoss = 0.693151 - (i * 1e-6) })],
        ConfidentlyWrong = [.. result.ConfidentlyWrong.Select((m, i) => m with { SourceName = i == 0 ? $"{Root}/Cat/96.jpg" : $"{Root}/Dog/sub/{i}.jpg" })],
        Settings = result.Settings! with
        {
            DataRoot = Root,
            BadImagesSkipped = 2,
            BadImages =
            [
                new BadImage(3, $"{Root}/Cat/666.jpg", ImageDecodeFailure.Truncated, "premature end of JPEG data"),
                new BadImage(9, $"{Root}/Dog/Thumbs.db", ImageDecodeFailure.UnknownFormat, "not an image format TransferKit reads"),
            ],
        },
    };
}
