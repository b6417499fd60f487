using System.Globalization;
using TransferKit.Api;
using TransferKit.Models;
using TransferKit.Tensors;

namespace TransferKit.Tests.Models;

public class NetworkSummaryTests
{
    [Fact]
    public void ARowPerUnitAndTheHead_WithOutputShapesParametersAndTrainable()
    {
        using var trainer = ImageClassifier.Create()
            .UseBaselineCnn(new BaselineCnnOptions { Channels = [6, 12, 16] })
            .FreezeUnits(2)
            .WithInputSize(32)
            .WithClasses("cat", "dog", "fox")
            .Build();
        var network = trainer.Network;
        bool[] modes = [.. network.NamedModules().Select(kv => kv.Value.IsTraining)];

        var summary = trainer.Summary();

        Assert.Equal(["features.0", "features.1", "features.2", network.HeadName], summary.Rows.Select(r => r.Name));
        // Each block halves the side: 32 -> 16 -> 8 -> 4; the head gives one score per class.
        Assert.Equal([new Shape(1, 6, 16, 16), new Shape(1, 12, 8, 8), new Shape(1, 16, 4, 4), new Shape(1, 3)], summary.Rows.Select(r => r.OutputShape));
        Assert.Equal(network.ParameterCount(), summary.TotalParameters);
        Assert.Equal(trainer.TrainableParameterCount, summary.TrainableParameters);
        Assert.Equal(["no", "no", "yes", "yes"], summary.Rows.Select(r => r.Trainable));
        // conv 3*3*3*6 (no bias) + BN 2*6.
        Assert.Equal(3 * 3 * 3 * 6 + 2 * 6, summary.Rows[0].Parameters);
        Assert.Equal(modes, network.NamedModules().Select(kv => kv.Value.IsTraining));

        string[] lines = summary.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("unit", lines[0]);
        Assert.Contains("output shape", lines[0]);
        // 3 * 3 * 12 * 16 + 2 * 16 = 1,760 parameters, digits aligned right.
        Assert.Matches(@"^features\.2\s+\[1, 16, 4, 4\]\s+1,760\s+yes$", lines[4]);
        Assert.Contains("parameters " + network.ParameterCount().ToString("N0", CultureInfo.InvariantCulture), lines[^1]);
        Assert.EndsWith("frozen", lines[^1]);
    }

    [Fact]
    public void AnyNetworkIsMeasuredAtTheGivenInputSize()
    {
        using var net = new BaselineCnn(new BaselineCnnOptions { Channels = [4, 8], Classes = 2 });
        var summary = NetworkSummary.Of(net, 16);
        Assert.Equal(new Shape(1, 3, 16, 16), summary.InputShape);
        Assert.Equal(new Shape(1, 8, 4, 4), summary.Rows[1].OutputShape);
        Assert.Throws<ArgumentOutOfRangeException>(() => NetworkSummary.Of(net, 0));
    }
}
