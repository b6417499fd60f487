namespace TransferKit.Data.Datasets;

/// <summary>How far a <see cref="DatasetScanner"/> scan has come.</summary>
/// <param name="Scanned">Samples examined so far.</param>
/// <param name="Total">Samples to examine.</param>
/// <param name="Bad">Bad samples found so far.</param>
public readonly record struct ScanProgress(int Scanned, int Total, int Bad)
{
    /// <summary>Scanned / Total, in [0, 1] (1 for an empty dataset).</summary>
    public double Fraction => Total == 0 ? 1 : (double)Scanned / Total;
}
