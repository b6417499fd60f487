using TransferKit.Weights;

namespace TransferKit.Tests.Weights;

/// <summary>Reading torch.save checkpoints written by torch 1.13: every dtype, strided and shared views, nested checkpoints.</summary>
public class PyTorchCheckpointTests
{
    private static float[] Read(PyTorchCheckpoint file, string name)
    {
        using var t = file.ReadTensor(name);
        return t.ReadOnlySpan.ToArray();
    }

    [Fact]
    public void EveryDTypeAndViewReadsAsItsClosedFormValues()
    {
        using var file = PyTorchCheckpoint.Open(PthFixtures.File("dtypes.pth"));
        float[] a6 = [0, 1, 2, 3, 4, 5];
        foreach (string name in new[] { "f32", "f64", "f16", "bf16" }) Assert.Equal(a6, Read(file, name));
        foreach (string name in new[] { "i64", "i32", "i16", "i8" }) Assert.Equal(a6.Select(v => v - 3), Read(file, name));
        Assert.Equal(a6.Select(v => v + 250), Read(file, "u8"));
        Assert.Equal([0f, 1, 0, 1, 0, 1], Read(file, "bool"));
        Assert.Equal([0f, 3, 1, 4, 2, 5], Read(file, "transposed"));
        Assert.Equal([3f, 4, 5, 6], Read(file, "offset_view"));
        Assert.Equal([0f, 3, 6, 9], Read(file, "step"));
        Assert.Equal([0f, 1, 2, 3], Read(file, "shared_a"));
        Assert.Equal([8f, 9, 10, 11], Read(file, "shared_b"));
        Assert.Equal([1f, 2, 3, 1, 2, 3], Read(file, "expanded"));
        Assert.Equal([5f], Read(file, "scalar"));
        Assert.Empty(Read(file, "empty"));

        var dtypes = file.Tensors.ToDictionary(t => t.Name, t => t.DType);
        Assert.Equal(SafetensorsDType.BF16, dtypes["bf16"]);
        Assert.Equal(SafetensorsDType.I64, dtypes["i64"]);
        Assert.Equal(SafetensorsDType.BOOL, dtypes["bool"]);
        Assert.Equal([2, 3], file.GetInfo("transposed").Shape.Reverse());
        Assert.False(file.GetInfo("transposed").IsContiguous);
        Assert.Equal(file.GetInfo("offset_view").StorageKey, file.GetInfo("shared_b").StorageKey);
        Assert.Equal(3, file.GetInfo("offset_view").StorageOffset);
        Assert.Equal([0L, 1L], file.GetInfo("expanded").Strides);
        Assert.Empty(file.GetInfo("scalar").Shape);
        Assert.Null(file.StateDictKey);
    }

    [Theory]
    [InlineData("baseline_f32.pth", "f32")]
    [InlineData("baseline_f16.pth", "f16")]
    [InlineData("baseline_bf16.pth", "bf16")]
    [InlineData("baseline_f32_p4.pth", "f32")]
    [InlineData("baseline_views.pth", "f32")]
    [InlineData("baseline_nested.pth", "f32")]
    public void AStateDictLoadsStrictlyAndGivesTorchsLogits(string file, string variant)
    {
        using var network = PthFixtures.Network();
        var report = WeightsLoader.Load(network, PthFixtures.File(file));

        Assert.Equal(network.StateDict().Count, report.Loaded.Count);
        Assert.Equal(["features.0.1.num_batches_tracked", "features.1.1.num_batches_tracked"], report.Ignored);
        NumericAssert.Close(PthFixtures.ExpectedLogits(variant), PthFixtures.Logits(network), Tolerances.GoldenRelative, Tolerances.GoldenAbsolute, $"{file} logits");
    }

    [Fact]
    public void StridedViewsOfOneStorageEqualTheContiguousTensors()
    {
        using var views = PyTorchCheckpoint.Open(PthFixtures.File("baseline_views.pth"));
        using var plain = PyTorchCheckpoint.Open(PthFixtures.File("baseline_f32.pth"));

        var floats = views.Tensors.Where(t => t.DType == SafetensorsDType.F32).ToList();
        Assert.Single(floats.Select(t => t.StorageKey).Distinct());
        Assert.All(floats, t => Assert.True(t.StorageOffset > 0));
        Assert.False(views.GetInfo("features.0.0.weight").IsContiguous);
        Assert.False(views.GetInfo("classifier.weight").IsContiguous);
        foreach (var t in views.Tensors) Assert.Equal(Read(plain, t.Name), Read(views, t.Name));
    }

    [Fact]
    public void ANestedTrainingCheckpointYieldsItsStateDictEntry()
    {
        using var file = PyTorchCheckpoint.Open(PthFixtures.File("baseline_nested.pth"));
        using var plain = PyTorchCheckpoint.Open(PthFixtures.File("baseline_f32.pth"));

        // The file also holds 'state_dict_ema' (another dict of tensors) and the optimizer: 'state_dict' is preferred.
        Assert.Equal("state_dict", file.StateDictKey);
        Assert.Equal(plain.Tensors.Select(t => t.Name), file.Tensors.Select(t => t.Name));
        Assert.Equal(Read(plain, "classifier.weight"), Read(file, "classifier.weight"));
    }

    [Fact]
    public void HeadersLayTheTensorsOutAsASafetensorsConversionWould()
    {
        using var file = PyTorchCheckpoint.Open(PthFixtures.File("baseline_f16.pth"));
        long begin = 0;
        foreach (var (header, info) in file.Headers.Zip(file.Tensors))
        {
            Assert.Equal(info.Name, header.Name);
            Assert.Equal(info.Shape, header.Shape);
            Assert.Equal(begin, header.Begin);
            Assert.Equal(info.ElementCount * (info.DType == SafetensorsDType.I64 ? 8 : 2), header.ByteLength);
            begin = header.End;
        }
    }

    [Fact]
    public void ReadIntoChecksTheShapeAndTheKey()
    {
        using var file = PyTorchCheckpoint.Open(PthFixtures.File("baseline_f32.pth"));
        using var wrong = TransferKit.Tensors.Tensor.Zeros(new TransferKit.Tensors.Shape(4, 3, 3, 2));
        Assert.Throws<TransferKit.Tensors.ShapeMismatchException>(() => file.ReadInto("features.0.0.weight", wrong));
        Assert.Throws<TensorNotFoundException>(() => file.ReadTensor("nope"));
    }
}
