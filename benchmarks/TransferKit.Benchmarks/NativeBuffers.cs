using System.Runtime.InteropServices;

namespace TransferKit.Benchmarks;

/// <summary>64-byte aligned native float buffers for the kernel benchmarks, filled with seeded uniform noise.</summary>
internal static unsafe class NativeBuffers
{
    /// <summary>A buffer of <paramref name="length"/> floats uniform in [-scale/2, scale/2).</summary>
    public static float* Random(int length, Random rng, float scale = 1f)
    {
        var p = (float*)NativeMemory.AlignedAlloc((nuint)length * sizeof(float), 64);
        for (int i = 0; i < length; i++) p[i] = (float)(rng.NextDouble() - 0.5) * scale;
        return p;
    }

    /// <summary>Frees buffers from <see cref="Random"/>.</summary>
    public static void Free(params nint[] buffers)
    {
        foreach (nint p in buffers) NativeMemory.AlignedFree((void*)p);
    }
}
