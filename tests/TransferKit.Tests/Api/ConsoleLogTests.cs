using TransferKit.Api;
using TransferKit.Data.Synthetic;
using TransferKit.Models;

namespace TransferKit.Tests.Api;

/// <summary><see cref="ImageClassifierBuilder.LogToConsole"/>: one call, and off by default when standard output is redirected.</summary>
public sealed class ConsoleLogTests
{
    private static async Task<string> Train(Func<ImageClassifierBuilder, ImageClassifierBuilder> configure)
    {
        var data = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 4, 16, seed: 3);
        var console = new StringWriter();
        var original = Console.Out;
        ImageClassifierTrainer trainer;
        // The log takes Console.Out when the trainer is built; the swap lasts only that long.
        Console.SetOut(console);
        try
        {
            trainer = configure(ImageClassifier.Create().UseBaselineCnn(new BaselineCnnOptions { Channels = [4, 8] }).WithInputSize(16))
                .WithTraining(o => { o.Epochs = 2; o.BatchSize = 4; })
                .WithClasses("cat", "dog")
                .Build();
        }
        finally
        {
            Console.SetOut(original);
        }
        using (trainer) await trainer.FitAsync(data, data);
        return console.ToString();
    }

    [Fact]
    public async Task LogToConsole_PrintsAnEpochLineAsEachEpochEnds()
    {
        string text = await Train(b => b.LogToConsole());
        Assert.Contains("training: 8 images, 8 validation images, 2 epochs of 2 batches", text);
        Assert.Contains("epoch 1/2: train loss", text);
        Assert.Contains("epoch 2/2: train loss", text);
        Assert.Contains("validation loss", text);
        Assert.Contains("done: 2 epochs in", text);
        Assert.DoesNotContain("\u001b", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTheCall_TheLogIsOffWhenStandardOutputIsRedirected()
    {
        Assert.True(Console.IsOutputRedirected, "the test host redirects standard output");
        Assert.Equal("", await Train(b => b));
        Assert.Equal("", await Train(b => b.LogToConsole(false)));
    }
}
