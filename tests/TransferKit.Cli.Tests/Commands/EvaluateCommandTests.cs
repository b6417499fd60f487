using TransferKit.Evaluation;

namespace TransferKit.Cli.Tests.Commands;

[Collection(CliCollection.Name)]
public sealed class EvaluateCommandTests(CliFixture fixture)
{
    [Fact]
    public async Task Text_HasMetricsAndTheConfusionMatrix()
    {
        var run = (await CliRun.RunAsync("evaluate", "--model", fixture.ModelPath, "--data", fixture.DataDirectory)).AssertSuccess();

        Assert.Contains("baseline_cnn on 20 images", run.Out);
        Assert.Contains("accuracy", run.Out);
        Assert.Contains("cat", run.Out);
        Assert.Contains("dog", run.Out);
    }

    [Fact]
    public async Task Json_ParsesAndCountsEverySample()
    {
        var run = (await CliRun.RunAsync("evaluate", "--model", fixture.ModelPath, "--data", fixture.DataDirectory, "--json")).AssertSuccess();

        var report = ClassificationReport.FromJson(run.Out);
        Assert.Equal(20, report.SampleCount);
        Assert.Equal(["cat", "dog"], report.ClassNames);
        Assert.Equal(20, report.ConfusionMatrix.Sum(row => row.Sum()));
        Assert.Equal(10, report.ConfusionMatrix[0].Sum());
    }

    [Fact]
    public async Task AFolderWithOnlySomeClasses_IsScoredInTheModelsClassOrder()
    {
        // A folder holding only dogs, spelt "Dog" and "Cat2": labels must follow the model's class list, and an unknown class is an error.
        string dogs = fixture.PathFor("dogs");
        Directory.CreateDirectory(Path.Combine(dogs, "Dog"));
        Directory.CreateDirectory(Path.Combine(dogs, "dog2"));
        foreach (var file in fixture.Images.Files.Where((_, i) => fixture.Images.Labels[i] == 1).Take(3))
            File.Copy(file, Path.Combine(dogs, "Dog", Path.GetFileName(file)));
        File.Copy(fixture.Images.Files[0], Path.Combine(dogs, "dog2", "x.jpg"));

        var unknown = await CliRun.RunAsync("evaluate", "--model", fixture.ModelPath, "--data", dogs);
        Assert.Contains("has class 'dog2', which the model does not know; its classes are cat, dog", unknown.AssertOneLineError(1));

        Directory.Delete(Path.Combine(dogs, "dog2"), recursive: true);
        Directory.CreateDirectory(Path.Combine(dogs, "cat"));
        File.Copy(fixture.Images.Files[0], Path.Combine(dogs, "cat", "x.jpg"));
        var run = (await CliRun.RunAsync("evaluate", "--model", fixture.ModelPath, "--data", dogs, "--json")).AssertSuccess();
        var report = ClassificationReport.FromJson(run.Out);
        Assert.Equal(["cat", "dog"], report.ClassNames);
        Assert.Equal([1L, 3L], report.ConfusionMatrix.Select(row => row.Sum()));
    }
}
