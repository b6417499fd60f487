using TransferKit.Kernels;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Tests.Kernels.Gemm;

/// <summary>
/// Both block-loop orders of the managed GEMM (<see cref="GemmLoopOrder"/>) against the naive product, each forced on
/// every block: the usual small and large cases (edges, transposes, alpha and beta, several k blocks), the parallel
/// split, and the epilogue.
/// </summary>
public class GemmLoopOrderTests
{
    public static IEnumerable<object[]> Cases() => GemmCases.Small().Concat(GemmCases.Large())
        .Concat([[13, 1100, 37, false, false, 1f, 0f, true, 2], [40, 2500, 600, true, false, 0.5f, 1f, false, 0]]);

    [Theory]
    [MemberData(nameof(Cases))]
    public void RowPanelsOutermostMatchesNaive(int m, int n, int k, bool transposeA, bool transposeB, float alpha, float beta, bool nanInC, int pad) =>
        Forced(rowPanelsOutermost: true, () => GemmChecker.Check(new ManagedGemm(), m, n, k, transposeA, transposeB, alpha, beta, nanInC, pad));

    [Theory]
    [MemberData(nameof(Cases))]
    public void SliversOutermostMatchesNaive(int m, int n, int k, bool transposeA, bool transposeB, float alpha, float beta, bool nanInC, int pad) =>
        Forced(rowPanelsOutermost: false, () => GemmChecker.Check(new ManagedGemm(), m, n, k, transposeA, transposeB, alpha, beta, nanInC, pad));

    [Theory]
    [InlineData(96, 12544, 16, 2)]
    [InlineData(13, 1100, 600, 1)]
    public void EpilogueIsAppliedOnceInBothOrders(int m, int n, int k, int threads)
    {
        foreach (bool rows in new[] { true, false })
            Forced(rows, () => GemmEpilogueTests.Check(new ManagedGemm(), m, n, k, ActivationKind.ReLU6, withResidual: true, threads));
    }

    [Fact]
    public void ShortDepthAndWideBlocksTakeTheRowPanelOrder()
    {
        Assert.True(GemmLoopOrder.RowPanelsOutermost(16, 2048));
        Assert.False(GemmLoopOrder.RowPanelsOutermost(512, 2048));
        Assert.False(GemmLoopOrder.RowPanelsOutermost(32, 392));
    }

    private static void Forced(bool rowPanelsOutermost, Action check)
    {
        int maxK = GemmLoopOrder.RowOuterMaxK, minN = GemmLoopOrder.RowOuterMinN;
        try
        {
            (GemmLoopOrder.RowOuterMaxK, GemmLoopOrder.RowOuterMinN) = rowPanelsOutermost ? (int.MaxValue, 0) : (-1, int.MaxValue);
            check();
        }
        finally
        {
            (GemmLoopOrder.RowOuterMaxK, GemmLoopOrder.RowOuterMinN) = (maxK, minN);
        }
    }
}
