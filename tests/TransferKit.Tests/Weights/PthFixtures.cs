using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Tensors;

namespace TransferKit.Tests.Weights;

/// <summary>The checkpoints written by tools/fixtures/make_pth_fixtures.py with Debian's torch 1.13, and the network they fit.</summary>
internal static class PthFixtures
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Weights", "Pth");

    public static string File(string name) => Path.Combine(Folder, name);

    /// <summary>The network whose state_dict the baseline_*.pth files hold (torch mirrors it in the fixture script).</summary>
    public static BaselineCnn Network(int seed = 99) => new(new BaselineCnnOptions { Channels = [4, 8], Classes = 3, Seed = seed });

    /// <summary>Eval logits of <paramref name="network"/> on the fixture input.</summary>
    public static float[] Logits(BaselineCnn network)
    {
        using var io = TransferKit.Weights.SafetensorsFile.Open(File("baseline_io.safetensors"));
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        network.Eval();
        return network.Forward(io.ReadTensor("input")).ReadOnlySpan.ToArray();
    }

    /// <summary>PyTorch's float64 logits for the variant (f32, f16, bf16).</summary>
    public static float[] ExpectedLogits(string variant)
    {
        using var io = TransferKit.Weights.SafetensorsFile.Open(File("baseline_io.safetensors"));
        using var t = io.ReadTensor("logits_" + variant);
        return t.ReadOnlySpan.ToArray();
    }
}
