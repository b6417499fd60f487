using TransferKit.Kernels;

namespace TransferKit.Tests.Kernels;

public sealed class BFloat16ConversionTests
{
    /// <summary>Values and the bfloat16 bits PyTorch 1.13 gives for them (<c>torch.tensor(v).to(torch.bfloat16)</c>).</summary>
    [Theory]
    [InlineData(1.0f, 0x3F80)]
    [InlineData(1.00390625f, 0x3F80)] // a tie: rounds to the even neighbour below
    [InlineData(1.01171875f, 0x3F82)] // a tie: rounds to the even neighbour above
    [InlineData(float.MaxValue, 0x7F80)] // rounds up past the largest bfloat16 to infinity
    [InlineData(-0.0f, 0x8000)]
    [InlineData(float.PositiveInfinity, 0x7F80)]
    [InlineData(1e-40f, 0x0001)] // subnormals keep their upper bits
    [InlineData(65504f, 0x4780)]
    [InlineData(70000f, 0x4789)] // beyond float16's range, inside bfloat16's
    [InlineData(0.1f, 0x3DCD)]
    [InlineData(-2.5e-3f, 0xBB24)]
    public void MatchesPyTorch(float value, int expected)
    {
        var narrowed = new ushort[1];
        BFloat16Conversion.FromSingle([value], narrowed);
        Assert.Equal(expected, narrowed[0]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(64)]
    [InlineData(1000)]
    public void TheVectorPathRoundsLikeAnIndependentNearestEvenReference_AndWideningIsExact(int length)
    {
        var random = new Random(length);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            // Random bit patterns cover every exponent, subnormals, infinities and NaNs; a quarter are exact ties.
            uint bits = (uint)random.NextInt64(0, 1L << 32);
            if (i % 4 == 0) bits = (bits & 0xFFFF0000u) | 0x8000u;
            values[i] = BitConverter.UInt32BitsToSingle(bits);
        }

        var narrowed = new ushort[length];
        var widened = new float[length];
        BFloat16Conversion.FromSingle(values, narrowed);
        BFloat16Conversion.ToSingle(narrowed, widened);

        for (int i = 0; i < length; i++)
        {
            Assert.Equal(Reference(values[i]), narrowed[i]);
            Assert.Equal(BitConverter.UInt32BitsToSingle((uint)narrowed[i] << 16), widened[i]);
            if (float.IsFinite(values[i]) && float.IsFinite(widened[i]) && float.IsNormal(values[i]))
                Assert.True(Math.Abs(widened[i] - values[i]) <= Math.Abs(values[i]) * Math.Pow(2, -8), $"{values[i]} -> {widened[i]}");
        }
    }

    /// <summary>Nearest of the two bfloat16 neighbours, compared in double, ties to the even one; NaN stays NaN.</summary>
    private static ushort Reference(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x40);
        ushort below = (ushort)(bits >> 16);
        if ((bits & 0xFFFF) == 0) return below;
        ushort above = (ushort)(below + 1);
        double exact = value;
        double low = BitConverter.UInt32BitsToSingle((uint)below << 16);
        double high = BitConverter.UInt32BitsToSingle((uint)above << 16);
        // Above the largest finite bfloat16 the upper neighbour is infinity: compare against where 2^128 would be.
        if (double.IsInfinity(high)) high = Math.CopySign(Math.Pow(2, 128), low);
        double toLow = Math.Abs(exact - low), toHigh = Math.Abs(high - exact);
        if (toLow < toHigh) return below;
        if (toHigh < toLow) return above;
        return (below & 1) == 0 ? below : above;
    }
}
