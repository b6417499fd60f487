using TransferKit.Data.Datasets;

namespace TransferKit.Tests.Data.Datasets;

/// <summary>Dataset scans stay under their root, end on symbolic-link loops, and word folder problems truthfully.</summary>
public sealed class DatasetPathSafetyTests : IDisposable
{
    private static readonly TimeSpan ScanLimit = TimeSpan.FromSeconds(20);
    private readonly DatasetTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("../outside")]
    [InlineData("Cat/../../outside")]
    [InlineData("/etc")]
    public void ClassNames_MustBePlainFolderNames(string name)
    {
        _folder.WriteImage("data/Cat/1.png");
        _folder.WriteImage("outside/secret.png");
        var options = new FolderDatasetOptions { ClassNames = ["Cat", name] };

        var error = Assert.Throws<ArgumentException>(() => ImageFileDataset.FromClassFolders(_folder.PathOf("data"), options));
        Assert.Equal(nameof(FolderDatasetOptions.ClassNames), error.ParamName);
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LinkBackToAnAncestor_IsReadOnce()
    {
        WriteTwoClasses();
        Directory.CreateSymbolicLink(_folder.PathOf("Cat/sub/loop"), "../..");

        var dataset = Scan(() => ImageFileDataset.FromClassFolders(_folder.Root));

        Assert.Equal(6, dataset.Count);
        Assert.Equal(6, dataset.Paths.Distinct().Count());
    }

    [Fact]
    public void TwoLoops_EndAndListEachFileOnce()
    {
        WriteTwoClasses();
        Directory.CreateSymbolicLink(_folder.PathOf("Cat/a"), ".");
        Directory.CreateSymbolicLink(_folder.PathOf("Cat/sub/b"), "..");
        Directory.CreateSymbolicLink(_folder.PathOf("Dog/c"), "../Dog");

        var dataset = Scan(() => ImageFileDataset.FromClassFolders(_folder.Root));

        Assert.Equal(6, dataset.Count);
    }

    [Fact]
    public void LinkedClassFoldersAndSubfolders_AreFollowed_EachRealFolderOnce()
    {
        _folder.WriteImage("pool/cats/1.png");
        _folder.WriteImage("pool/cats/2.png");
        _folder.WriteImage("pool/dogs/1.png");
        Directory.CreateDirectory(_folder.PathOf("data/Dog"));
        Directory.CreateSymbolicLink(_folder.PathOf("data/Cat"), "../pool/cats");
        Directory.CreateSymbolicLink(_folder.PathOf("data/Dog/first"), "../../pool/dogs");
        Directory.CreateSymbolicLink(_folder.PathOf("data/Dog/second"), _folder.PathOf("pool/dogs"));

        var dataset = Scan(() => ImageFileDataset.FromClassFolders(_folder.PathOf("data")));

        Assert.Equal(["Cat", "Dog"], dataset.ClassNames);
        Assert.Equal(3, dataset.Count);
        Assert.Equal(_folder.PathOf("data/Cat/1.png"), dataset.Paths[0]);
    }

    [Fact]
    public void FolderThatLinksToItself_IsReportedAsALoop()
    {
        string self = _folder.PathOf("self");
        Directory.CreateSymbolicLink(self, "self");

        foreach (var open in (Func<object>[])[() => ImageFileDataset.FromClassFolders(self), () => ImageFileDataset.DetectFolder(self)])
        {
            var error = Assert.Throws<DatasetException>(open);
            Assert.Equal(self, error.Path);
            Assert.Contains("symbolic link that loops back on itself", error.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain("is a file", error.Reason, StringComparison.Ordinal);
        }

        string dangling = _folder.PathOf("dangling");
        Directory.CreateSymbolicLink(dangling, "nowhere");
        var broken = Assert.Throws<DatasetException>(() => ImageFileDataset.FromClassFolders(dangling));
        Assert.Contains("which does not exist", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void UnreadableFolder_SaysCannotBeRead()
    {
        // Root reads any folder whatever its mode, so the refusal is injected at the one place folders are listed.
        string cat = Path.GetDirectoryName(_folder.WriteImage("Cat/sub/1.png"))!;
        DatasetFiles.FolderLister refusing = d => d == cat
            ? throw new UnauthorizedAccessException($"Access to the path '{d}' is denied.")
            : new DirectoryInfo(d).EnumerateFileSystemInfos();

        var error = Assert.Throws<DatasetException>(() => DatasetFiles.Files(_folder.PathOf("Cat"), recursive: true, null, refusing));

        Assert.Equal(cat, error.Path);
        Assert.StartsWith("cannot be read", error.Reason, StringComparison.Ordinal);
        Assert.IsType<UnauthorizedAccessException>(error.InnerException);
    }

    [Fact]
    public void UnreadableClassFolder_SaysCannotBeRead_WhenPermissionsBind()
    {
        if (OperatingSystem.IsWindows()) return;
        WriteTwoClasses();
        string dog = _folder.PathOf("Dog");
        File.SetUnixFileMode(dog, UnixFileMode.None);
        try
        {
            // As root the mode does not bind; UnreadableFolder_SaysCannotBeRead covers that case.
            if (CanList(dog)) return;
            var error = Assert.Throws<DatasetException>(() => ImageFileDataset.FromClassFolders(_folder.Root));
            Assert.Equal(dog, error.Path);
            Assert.Contains("cannot be read", error.Reason, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(dog, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static bool CanList(string folder)
    {
        try
        {
            _ = Directory.GetFileSystemEntries(folder);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private void WriteTwoClasses()
    {
        string[] files = ["Cat/1.png", "Cat/sub/2.png", "Cat/sub/3.png", "Dog/1.png", "Dog/2.png", "Dog/3.png"];
        for (int i = 0; i < files.Length; i++) _folder.WriteImage(files[i], i);
    }

    /// <summary>Runs a scan on its own thread so that a scan that never ends fails the test instead of hanging it.</summary>
    private static ImageFileDataset Scan(Func<ImageFileDataset> scan)
    {
        var task = Task.Run(scan);
        Assert.True(task.Wait(ScanLimit), $"the scan did not end within {ScanLimit.TotalSeconds} s");
        return task.Result;
    }
}
