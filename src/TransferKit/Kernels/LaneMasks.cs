using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TransferKit.Kernels;

/// <summary>Lane masks for the masked loads and stores of 16-float vectors at the ragged ends of rows.</summary>
internal static class LaneMasks
{
    /// <summary>A mask of the first <paramref name="count"/> lanes: none for 0 or less, all for 16 or more.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FirstLanes(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();
}
