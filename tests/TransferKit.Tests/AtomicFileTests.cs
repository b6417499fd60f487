using TransferKit.Api;

namespace TransferKit.Tests;

/// <summary>Issue 12 (5): short temporary names, and leftovers of killed writers removed on the next write.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(230)]
    [InlineData(255)]
    public void AModelSavesToAnyLegalFileName(int length)
    {
        var (net, meta) = Api.ModelFileTests.Trained();
        using var _ = net;
        string path = Path.Combine(_dir, new string('m', length - ".safetensors".Length) + ".safetensors");
        ModelFile.Save(path, net, meta);
        var (loaded, __) = ModelFile.Load(path);
        loaded.Dispose();
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public void LeftoversOfKilledWritersAreRemovedOnTheNextWrite_AndNothingElse()
    {
        string Make(string name, TimeSpan age)
        {
            string path = Path.Combine(_dir, name);
            File.WriteAllText(path, "partial");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
            return path;
        }
        var old = TimeSpan.FromHours(2);
        string leftover = Make(".tk-0123456789abcdef.tmp", old);
        string recent = Make(".tk-fedcba9876543210.tmp", TimeSpan.Zero);
        string held = Make(".tk-1111111111111111.tmp", old);
        string foreign = Make("notes.tmp", old);
        string lookalike = Make(".tk-01234567.tmp", old);

        using (new FileStream(held, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            AtomicFile.Write(Path.Combine(_dir, "target.bin"), s => s.WriteByte(1));

        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(recent), "a temporary file written to just now may belong to a live writer");
        Assert.True(File.Exists(held), "a temporary file held open belongs to a live writer");
        Assert.True(File.Exists(foreign));
        Assert.True(File.Exists(lookalike));
        Assert.Equal([1], File.ReadAllBytes(Path.Combine(_dir, "target.bin")));
    }

    [Fact]
    public void AFailedWriteLeavesNoTemporaryFileAndTheOldContent()
    {
        string target = Path.Combine(_dir, "target.bin");
        File.WriteAllBytes(target, [7]);
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(target, s =>
        {
            s.WriteByte(1);
            throw new InvalidOperationException("killed");
        }));
        Assert.Equal([target], Directory.GetFiles(_dir));
        Assert.Equal([7], File.ReadAllBytes(target));
    }
}
