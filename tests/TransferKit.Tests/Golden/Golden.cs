using TransferKit.Tensors;

namespace TransferKit.Tests.Golden;

/// <summary>Compares a tensor with a PyTorch fixture tensor at the golden tolerances.</summary>
internal static class Golden
{
    public static void Close(GoldenFixture f, string name, Tensor actual, string what)
    {
        using var expected = f.Tensor(name);
        if (expected.Length != actual.Length)
            throw new Xunit.Sdk.XunitException($"{what}: fixture '{name}' has shape {expected.Shape}, ours {actual.Shape}.");
        NumericAssert.Close(expected.ReadOnlySpan, actual.ReadOnlySpan, Tolerances.GoldenRelative, Tolerances.GoldenAbsolute, what);
    }
}
