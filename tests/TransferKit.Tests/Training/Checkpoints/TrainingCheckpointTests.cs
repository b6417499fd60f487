using System.Buffers.Binary;
using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Checkpoints;
using TransferKit.Training.Optimizers;

namespace TransferKit.Tests.Training.Checkpoints;

/// <summary>Issue 12 (2-4): checkpoints are verified, never hold non-finite weights, and are ordered by their epoch number.</summary>
public sealed class TrainingCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CheckpointMetadata Meta(int epochs) => new()
    {
        EpochsCompleted = epochs,
        StepsPerEpoch = 3,
        Seed = 1,
        BatchSize = 4,
        LearningRate = 0.01,
        FrozenUnits = 0,
        Optimizer = "Sgd",
        ClassNames = ["a", "b"],
    };

    private string WriteCheckpoint(int epochs, float fill = 0.5f)
    {
        using var layer = new Linear(4, 2, new Random(epochs));
        foreach (var (_, t) in layer.StateDict()) t.Span.Fill(fill + epochs);
        string path = Path.Combine(_dir, TrainingCheckpoint.FileName(epochs));
        var optimizer = new OptimizerState { StepCount = epochs * 3 };
        optimizer.Buffers["weight/momentum"] = [1, 2, 3, 4, 5, 6, 7, 8];
        TrainingCheckpoint.Write(path, Meta(epochs), layer.StateDict(), optimizer, new Dictionary<string, float[]> { ["weight"] = [9f] });
        return path;
    }

    [Fact]
    public void ARoundTripKeepsEveryTensor()
    {
        string path = WriteCheckpoint(2);
        using var read = TrainingCheckpoint.Read(path);
        Assert.Equal(2.5f, read.Model["weight"].ToArray()[0]);
        Assert.Equal([1f, 2, 3, 4, 5, 6, 7, 8], read.Optimizer.Buffers["weight/momentum"]);
        Assert.Equal([9f], read.BestWeights!["weight"]);
        Assert.Equal(CheckpointMetadata.CurrentVersion, read.Metadata.Version);
    }

    [Fact]
    public void AFlippedBitAnywhereFailsTheReadNamingTheFile_AndLatestFallsBackReportingIt()
    {
        string older = WriteCheckpoint(1);
        string newer = WriteCheckpoint(2);
        byte[] original = File.ReadAllBytes(newer);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(original);
        int lastBrace = Array.LastIndexOf(original, (byte)'}', headerEnd - 1);
        // Every byte of the JSON header and of the tensor data (the optimizer's and best weights' too); padding excluded.
        var positions = Enumerable.Range(8, lastBrace - 7).Concat(Enumerable.Range(headerEnd, original.Length - headerEnd));
        foreach (int i in positions)
        {
            byte[] copy = (byte[])original.Clone();
            copy[i] ^= (byte)(1 << (i % 8));
            File.WriteAllBytes(newer, copy);
            var e = Assert.Throws<CheckpointException>(() => TrainingCheckpoint.Read(newer).Dispose());
            Assert.Equal(newer, e.FilePath);
        }

        var found = TrainingCheckpoint.FindLatest(_dir);
        Assert.Equal(older, found.Path);
        Assert.Equal(newer, Assert.Single(found.Skipped).FilePath);
        Assert.Equal(older, TrainingCheckpoint.Latest(_dir));
    }

    [Fact]
    public void NonFiniteWeightsAreNeverWritten_AndAFileHoldingThemIsSkipped()
    {
        string finite = WriteCheckpoint(1);
        var e = Assert.Throws<NonFiniteParameterException>(() => WriteCheckpoint(2, float.NaN));
        Assert.Equal(2, e.EpochsCompleted);
        Assert.False(File.Exists(Path.Combine(_dir, TrainingCheckpoint.FileName(2))));
        Assert.Throws<NonFiniteParameterException>(() => WriteCheckpoint(3, float.PositiveInfinity));
        Assert.Equal(finite, TrainingCheckpoint.Latest(_dir));
    }

    [Fact]
    public void PastEpoch9999TheNumberOrders_SoLatestAndPruningKeepTheNewest()
    {
        string e998 = WriteCheckpoint(998);
        string e9999 = WriteCheckpoint(9999);
        string e10000 = WriteCheckpoint(10000);
        string e100000 = WriteCheckpoint(100000);
        Assert.Equal([e998, e9999, e10000, e100000], TrainingCheckpoint.All(_dir));
        Assert.Equal(e100000, TrainingCheckpoint.Latest(_dir));

        TrainingCheckpoint.Prune(_dir, keep: 2);
        Assert.Equal([e10000, e100000], TrainingCheckpoint.All(_dir));
    }

    [Fact]
    public void FilesThatOnlyLookLikeCheckpointsAreNotListed()
    {
        string real = WriteCheckpoint(3);
        File.WriteAllText(Path.Combine(_dir, "checkpoint-epoch.safetensors"), "");
        File.WriteAllText(Path.Combine(_dir, "checkpoint-epochx12.safetensors"), "");
        Assert.Equal([real], TrainingCheckpoint.All(_dir));
    }
}
