using System.Xml.Linq;
using TransferKit.Api;
using TransferKit.Reporting;
using TransferKit.Training.Callbacks;

namespace TransferKit.Tests.Reporting;

public sealed class ReportFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-report-file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A result as user code or an old checkpoint would build it: epochs only, nothing recorded for the report.</summary>
    private static TrainingResult HandMade() => new(
        [new EpochResult(0, 1.2, 0.4, 1.3, 0.35, 1e-3, TimeSpan.FromSeconds(2), 50), new EpochResult(1, 0.9, 0.6, 1.0, 0.55, 1e-3, TimeSpan.FromSeconds(2), 52)],
        1, false, TimeSpan.FromSeconds(4));

    [Fact]
    public void AResultWithNothingRecordedStillRendersAndSaysWhatIsMissing()
    {
        string html = HandMade().ToHtml();
        var document = XDocument.Parse(html);
        string text = document.Root!.Value;
        Assert.Contains("settings were not recorded", text, StringComparison.Ordinal);
        Assert.Contains("learning rate of each step was not recorded", text, StringComparison.Ordinal);
        Assert.Contains("No validation set", text, StringComparison.Ordinal);
        var accuracy = document.Descendants("svg").Single(e => (string?)e.Attribute("data-chart") == "accuracy");
        Assert.Equal(2, accuracy.Elements("circle").Count(c => (string?)c.Attribute("data-series") == "validation"));
    }

    [Fact]
    public void SavingReplacesAnExistingFileAndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_dir, "report.html");
        File.WriteAllText(path, "old");
        HandMade().SaveReport(path);
        Assert.Equal(HandMade().ToHtml(), File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public void AMissingFolderIsATypedErrorNamingTheFile()
    {
        string path = Path.Combine(_dir, "missing", "report.html");
        var e = Assert.Throws<ReportException>(() => HandMade().SaveReport(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void APathThatIsAFolderFailsAfterWritingAndLeavesNoPartialFile()
    {
        string path = Path.Combine(_dir, "report.html");
        Directory.CreateDirectory(path);
        var e = Assert.Throws<ReportException>(() => HandMade().SaveReport(path));
        Assert.Equal("it is a folder", e.Reason);
        Assert.IsAssignableFrom<IOException>(e.InnerException);
        Assert.Equal([path], Directory.GetFileSystemEntries(_dir));
        Assert.Empty(Directory.GetFileSystemEntries(path));
    }

    [Fact]
    public void AnUnwritableFolderIsATypedError()
    {
        // Even root cannot create files in /proc, so this fails the same way for every user.
        if (!Directory.Exists("/proc/self")) return;
        var e = Assert.Throws<ReportException>(() => HandMade().SaveReport("/proc/transferkit-report.html"));
        Assert.Contains("could not be written", e.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists("/proc/transferkit-report.html"));
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentNullException>(() => HandMade().SaveReport(null!));
        Assert.Throws<ArgumentException>(() => HandMade().SaveReport(""));
        Assert.Throws<ArgumentException>(() => HandMade().SaveReport(_dir + Path.DirectorySeparatorChar));
    }
}
