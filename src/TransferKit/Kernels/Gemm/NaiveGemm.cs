namespace TransferKit.Kernels.Gemm;

/// <summary>
/// The reference GEMM: a plain triple loop in double precision accumulation. It is the test oracle for the
/// fast providers and is never selected automatically.
/// </summary>
public sealed class NaiveGemm : IGemmProvider
{
    /// <inheritdoc />
    public string Name => "naive reference";

    /// <inheritdoc />
    public unsafe void Sgemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transposeA ? a[(long)p * lda + i] : a[(long)i * lda + p];
                    float bv = transposeB ? b[(long)j * ldb + p] : b[(long)p * ldb + j];
                    sum += (double)av * bv;
                }
                float prior = beta == 0 ? 0 : beta * c[(long)i * ldc + j];
                c[(long)i * ldc + j] = (float)(alpha * sum) + prior;
            }
        }
    }
}
