using TransferKit.Data.Decoding;
using TransferKit.Tests.Golden;
using Xunit.Sdk;

namespace TransferKit.Tests.Data.Preprocessing;

/// <summary>Helpers for the Pillow / torchvision fixtures written by <c>tools/fixtures/preprocessing.py</c>.</summary>
internal static class PreprocessingFixtures
{
    public static GoldenFixture Load(string name) => GoldenFixture.Load("Preprocessing/" + name);

    /// <summary>An HWC image stored as F32 values 0..255, as a <see cref="DecodedImage"/>.</summary>
    public static DecodedImage Image(GoldenFixture fixture, string name)
    {
        int[] shape = fixture.Shape(name);
        return new DecodedImage(shape[1], shape[0], Bytes(fixture, name));
    }

    /// <summary>The values of an F32 tensor holding bytes.</summary>
    public static byte[] Bytes(GoldenFixture fixture, string name) => fixture.Floats(name).Select(v => checked((byte)v)).ToArray();

    /// <summary>Fails with the first pixel that differs by more than <paramref name="levels"/>, naming it.</summary>
    public static void BytesClose(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, int width, int levels, string what)
    {
        if (expected.Length != actual.Length) throw new XunitException($"{what}: {actual.Length} bytes, expected {expected.Length}.");
        int worst = -1, worstDiff = 0, count = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            int d = Math.Abs(expected[i] - actual[i]);
            if (d > levels) count++;
            if (d > worstDiff) (worst, worstDiff) = (i, d);
        }

        if (worstDiff > levels)
        {
            int pixel = worst / 3;
            throw new XunitException(
                $"{what}: {count} bytes differ by more than {levels}; worst at x={pixel % width}, y={pixel / width}, channel {worst % 3}: {actual[worst]}, expected {expected[worst]}.");
        }
    }
}
