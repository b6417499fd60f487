using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Synthetic;
using TransferKit.Models;
using TransferKit.Weights;

namespace TransferKit.Testing.Tests;

/// <summary>
/// The README's ten-line quick start, run as written on generated photos with random MobileNetV2 weights, and a check
/// that the README still shows exactly these lines, so the first code a user copies cannot drift from the API.
/// </summary>
public sealed class ReadmeQuickStartTests
{
    private const string Begin = "// README quick start begins", End = "// README quick start ends";

    [Fact]
    public async Task TheTenLineQuickStartTrainsSavesReportsAndPredicts()
    {
        using var temp = new TempDirectory();
        var written = TestImages.WriteClassFolders(temp.PathOf("PetImages"), ["Cat", "Dog"], perClass: 6, format: SyntheticImageFormat.Jpeg);
        using (var network = Architectures.MobileNetV2.CreateImageNet())
            SafetensorsWriter.Write(temp.PathOf("mobilenet_v2.safetensors"), network.StateDict());
        File.Copy(written.Files[0], temp.PathOf("my-cat.jpg"));

        // The snippet uses relative paths; this test assembly runs its tests one at a time, so the directory is ours.
        string previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = temp.Path;
        try
        {
            // README quick start begins
            var split = ImageFileDataset.FromClassFolders("PetImages").Split(train: 0.8, validation: 0.2, test: 0, seed: 1);
            using var trainer = ImageClassifier.Create().UseArchitecture(Architectures.MobileNetV2)
                .UsePretrainedWeights("mobilenet_v2.safetensors").WithTraining(o => o.Epochs = 5).Build();
            var result = await trainer.FitAsync(split.Train, split.Validation);
            result.SaveReport("pets.html");
            trainer.Model.Save("pets.safetensors");
            Console.WriteLine(TrainedModel.Load("pets.safetensors").Predict("my-cat.jpg").Label);
            // README quick start ends

            Assert.Equal(5, result.Epochs.Count);
            Assert.NotNull(result.ValidationReport);
            Assert.Contains("<svg", File.ReadAllText("pets.html"));
            using var model = TrainedModel.Load("pets.safetensors");
            Assert.Equal(["Cat", "Dog"], model.ClassNames);
            Assert.Contains(model.Predict("my-cat.jpg").Label, model.ClassNames);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    [Fact]
    public void TheReadmeShowsTheLinesThisTestRuns()
    {
        string root = RepositoryRoot();
        string source = File.ReadAllText(Path.Combine(root, "tests", "TransferKit.Testing.Tests", "ReadmeQuickStartTests.cs"));
        int start = source.LastIndexOf(Begin, StringComparison.Ordinal) + Begin.Length;
        var tested = source[start..source.LastIndexOf(End, StringComparison.Ordinal)]
            .Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        int quickStart = readme.IndexOf("## Quick start", StringComparison.Ordinal);
        int codeStart = readme.IndexOf("```csharp", quickStart, StringComparison.Ordinal);
        var shown = readme[codeStart..readme.IndexOf("```\n", codeStart + 9, StringComparison.Ordinal)]
            .Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !IsUsingDirective(l) && !l.StartsWith("```", StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(tested, shown);
        Assert.True(shown.Length <= 10, $"the quick start has {shown.Length} lines of code");
    }

    private static bool IsUsingDirective(string line) => line.StartsWith("using ", StringComparison.Ordinal) && !line.Contains('=', StringComparison.Ordinal);

    /// <summary>
    /// The checkout this test assembly was built from, found by walking up from the output folder. [CallerFilePath] is no
    /// use here: continuous-integration builds map source paths to "/_/".
    /// </summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TransferKit.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"no TransferKit.sln above {AppContext.BaseDirectory}");
    }
}
