using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TransferKit.Models.Onnx;
using TransferKit.Tensors;
using Tensor = TransferKit.Tensors.Tensor;
using Xunit.Sdk;

namespace TransferKit.Tests.Models.Onnx;

/// <summary>Runs a model file in ONNX Runtime 1.32 (the oracle) and compares our imported network with it.</summary>
internal static class OnnxRuntimeOracle
{
    public static string FixtureFolder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Onnx");

    /// <summary>ORT's first output for <paramref name="input"/> [N, C, H, W].</summary>
    public static float[] Run(string path, float[] input, int[] dims)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        string name = session.InputMetadata.Keys.First();
        var tensor = new DenseTensor<float>(input, dims);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(name, tensor)]);
        return results.First().AsEnumerable<float>().ToArray();
    }

    public static float[] RandomInput(int seed, int[] dims, float scale = 1f)
    {
        var random = new Random(seed);
        var data = new float[dims.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        return data;
    }

    /// <summary>Our eval-mode output of <paramref name="network"/> for <paramref name="input"/>.</summary>
    public static float[] Ours(OnnxNetwork network, float[] input, int[] dims)
    {
        using var scope = TensorScope.Begin();
        using var x = Tensor.FromSpan(input, new Shape(dims));
        return network.Forward(x).ToArray();
    }

    /// <summary>Largest |ours - expected| divided by the largest |expected|.</summary>
    public static double MaxRelativeError(float[] ours, float[] expected)
    {
        if (ours.Length != expected.Length) throw new XunitException($"{ours.Length} outputs vs ONNX Runtime's {expected.Length}.");
        double scale = expected.Max(v => Math.Abs((double)v));
        double worst = 0;
        for (int i = 0; i < ours.Length; i++) worst = Math.Max(worst, Math.Abs(ours[i] - (double)expected[i]));
        return worst / Math.Max(scale, 1e-30);
    }
}
