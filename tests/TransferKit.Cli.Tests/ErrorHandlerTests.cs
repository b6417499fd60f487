using TransferKit.Data.Decoding;
using TransferKit.Weights;

namespace TransferKit.Cli.Tests;

public sealed class ErrorHandlerTests
{
    [Fact]
    public void EachKindOfFailure_GetsItsExitCodeAndOneLine()
    {
        Assert.Equal((130, "cancelled"), ErrorHandler.Describe(new OperationCanceledException()));
        Assert.Equal((2, "--x: bad"), ErrorHandler.Describe(new UsageException("--x: bad")));
        Assert.Equal((1, "a.jpg: truncated"), ErrorHandler.Describe(new ImageDecodeException("a.jpg", ImageDecodeFailure.Truncated, "truncated")));
        Assert.Equal((1, "x.bin: the file does not exist."), ErrorHandler.Describe(new FileNotFoundException("Could not find file.", "x.bin")));
        Assert.Equal((1, "size must be positive"), ErrorHandler.Describe(new ArgumentException("size must be positive", "size")));
        Assert.Equal((1, "line one line two"), ErrorHandler.Describe(new IOException("line one\n  line two")));
        Assert.StartsWith("unexpected InvalidCastException: boom", ErrorHandler.Describe(new InvalidCastException("boom")).Message);
    }

    [Fact]
    public void AWeightsMismatch_IsSummarisedWithCountsAndTheFirstKeys()
    {
        string[] missing = [.. Enumerable.Range(0, 50).Select(i => $"layer{i}.weight")];
        var e = new WeightsMismatchException("w.safetensors", "identity", missing, ["extra.bias"], []);

        var (code, message) = ErrorHandler.Describe(e);

        Assert.Equal(1, code);
        Assert.Equal("w.safetensors: the weights do not fit the architecture (key map 'identity'): 50 missing keys (layer0.weight, layer1.weight, "
            + "layer2.weight, ... (47 more)); 1 unexpected keys (extra.bias). 'transferkit inspect w.safetensors' shows which architecture they fit.", message);
    }

    [Fact]
    public void ReportWritesOneLine_AndTheStackTraceOnlyWhenVerbose()
    {
        Exception thrown;
        try
        {
            throw new AggregateException(new FileNotFoundException("gone", "m.safetensors"));
        }
        catch (Exception e)
        {
            thrown = e;
        }

        using var quiet = new StringWriter();
        using var verbose = new StringWriter();
        Assert.Equal(1, ErrorHandler.Report(thrown, quiet, verbose: false));
        Assert.Equal(1, ErrorHandler.Report(thrown, verbose, verbose: true));

        Assert.Equal($"transferkit: error: m.safetensors: the file does not exist.{Environment.NewLine}", quiet.ToString());
        Assert.StartsWith(quiet.ToString(), verbose.ToString());
        Assert.Contains("   at ", verbose.ToString());
    }
}
