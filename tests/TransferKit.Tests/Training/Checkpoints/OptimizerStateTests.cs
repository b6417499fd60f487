using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Training.Checkpoints;
using TransferKit.Training.Optimizers;

namespace TransferKit.Tests.Training.Checkpoints;

public sealed class OptimizerStateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-optstate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Linear Layer() => new(5, 3, new Random(1));

    private static void FakeGradients(Module m, int step)
    {
        foreach (var (_, p) in m.NamedParameters())
        {
            p.Value.Grad ??= Tensor.Zeros(p.Value.Shape).Persist();
            var g = p.Grad!.Span;
            for (int i = 0; i < g.Length; i++) g[i] = MathF.Sin(i * 0.7f + step);
        }
    }

    public static TheoryData<string> Kinds => ["sgd", "adam", "adamw"];

    private static Optimizer Create(string kind, Module m) => kind switch
    {
        "sgd" => new Sgd(m, 0.1f, momentum: 0.9f, nesterov: true),
        "adam" => new Adam(m, 0.01f),
        _ => new AdamW(m, 0.01f),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void StateRestoredThroughACheckpointContinuesBitIdentically(string kind)
    {
        using var a = Layer();
        using var b = Layer();
        using var optA = Create(kind, a);
        using var optB = Create(kind, b);
        for (int step = 0; step < 3; step++)
        {
            FakeGradients(a, step);
            optA.Step();
        }
        string path = Path.Combine(_dir, "state.safetensors");
        var meta = new CheckpointMetadata
        {
            EpochsCompleted = 3, StepsPerEpoch = 1, Seed = 0, BatchSize = 1, LearningRate = 0.1, FrozenUnits = 0,
            Optimizer = kind, ClassNames = ["a", "b"],
        };
        TrainingCheckpoint.Write(path, meta, a.StateDict(), optA.ExportState(a.NamedParameters()), null);
        using (var checkpoint = TrainingCheckpoint.Read(path))
        {
            b.LoadStateDict(checkpoint.Model);
            optB.ImportState(b.NamedParameters(), checkpoint.Optimizer);
            Assert.Equal(3, optB.StepCount);
            Assert.Null(checkpoint.BestWeights);
        }
        for (int step = 3; step < 6; step++)
        {
            FakeGradients(a, step);
            optA.Step();
            FakeGradients(b, step);
            optB.Step();
        }
        foreach (var (key, t) in a.StateDict()) Assert.Equal(t.ToArray(), b.StateDict()[key].ToArray());
    }

    [Fact]
    public void ABufferOfTheWrongLengthIsRefusedWithItsName()
    {
        using var m = Layer();
        using var opt = new Sgd(m, 0.1f, momentum: 0.9f);
        var state = new OptimizerState();
        state.Buffers[OptimizerState.Key("weight", "momentum_buffer")] = new float[4];
        Assert.Contains("weight/momentum_buffer", Assert.Throws<ArgumentException>(() => opt.ImportState(m.NamedParameters(), state)).Message);
    }
}
