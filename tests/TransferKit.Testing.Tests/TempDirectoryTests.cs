namespace TransferKit.Testing.Tests;

public sealed class TempDirectoryTests
{
    [Fact]
    public void StartsEmptyHoldsFilesAndIsGoneAfterDispose()
    {
        var dir = new TempDirectory("tk-tempdir-");
        Assert.True(Directory.Exists(dir.Path));
        Assert.StartsWith("tk-tempdir-", Path.GetFileName(dir.Path), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));

        string file = dir.WriteFile("a/b/c.bin", [1, 2, 3]);
        Assert.Equal(Path.Combine(dir.Path, "a", "b", "c.bin"), file);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(file));
        Assert.True(Directory.Exists(dir.CreateDirectory("d/e")));

        dir.Dispose();
        Assert.False(Directory.Exists(dir.Path));
        dir.Dispose();
    }

    [Fact]
    public void TwoInstancesNeverShareAFolder()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        Assert.NotEqual(first.Path, second.Path);
        Assert.Equal(first.Path, first.ToString());
    }

    [Theory]
    [InlineData("../outside.bin")]
    [InlineData("a/../../outside.bin")]
    [InlineData("/etc/outside.bin")]
    [InlineData("..")]
    [InlineData(".")]
    public void PathsOutsideTheFolderAreRefused(string relative)
    {
        using var dir = new TempDirectory();
        Assert.Equal("relativePath", Assert.Throws<ArgumentException>(() => dir.WriteFile(relative, [0])).ParamName);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void DotDotThatStaysInsideIsAllowed()
    {
        using var dir = new TempDirectory();
        Assert.Equal(Path.Combine(dir.Path, "b.bin"), dir.PathOf("a/../b.bin"));
    }
}
