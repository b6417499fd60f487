using TransferKit.Data.Synthetic;
using TransferKit.Samples.BaselineCnn;

namespace TransferKit.Tests.Samples;

/// <summary>The BaselineCnn sample honours its command line and trains through the builder.</summary>
public sealed class BaselineCnnSampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-baseline-sample-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Out, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await BaselineSample.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Help_PrintsTheUsageAndTrainsNothing()
    {
        var (code, output, error) = await Run("--help");
        Assert.Equal(0, code);
        Assert.StartsWith("Usage: dotnet run -c Release --project samples/BaselineCnn", output);
        Assert.Contains("--data DIR", output);
        Assert.DoesNotContain("train loss", output);
        Assert.DoesNotContain("data:", output);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task Data_TrainsOnThatFolder_WithTheSummaryAndAnEpochLinePerEpoch()
    {
        string data = Path.Combine(_dir, "pets");
        SyntheticImageTask.CatsAndDogs.Write(data, new SyntheticImageOptions { ImagesPerClass = 10, Width = 24, Height = 24, Seed = 2 });
        string model = Path.Combine(_dir, "model.safetensors");

        var (code, output, error) = await Run("--data", data, "--epochs", "2", "--size", "16", "--batch", "8", "--out", model);

        Assert.True(code == 0, error);
        Assert.Contains($"data: {data} (a folder per class): 20 images in 2 classes", output);
        Assert.DoesNotContain("synthetic", output);
        Assert.Contains("output shape", output);
        Assert.Contains("epoch 1/2: train loss", output);
        Assert.Contains("epoch 2/2: train loss", output);
        Assert.Contains("2 epochs in", output);
        Assert.True(File.Exists(model));
    }

    [Theory]
    [InlineData("--epochs", "0")]
    [InlineData("--bogus", "1")]
    [InlineData("stray")]
    public async Task BadCommandLinesAreUsageErrors(params string[] args)
    {
        var (code, output, error) = await Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error);
        Assert.Equal("", output);
    }
}
