namespace TransferKit.MLNet.Hosting;

/// <summary>
/// The installed ML.NET lacks an internal member TransferKit.MLNet needs to save or load a model file. TransferKit.MLNet
/// is built and tested against Microsoft.ML 6.0; another major version may have moved the member.
/// </summary>
public sealed class MlNetCompatibilityException : TransferKitException
{
    /// <summary>Creates the error for the missing <paramref name="member"/>.</summary>
    public MlNetCompatibilityException(string member)
        : base($"TransferKit.MLNet cannot find ML.NET's '{member}' (in {typeof(Microsoft.ML.MLContext).Assembly.GetName()}); it is built for Microsoft.ML 6.0: use that version.")
    {
        Member = member;
    }

    /// <summary>The ML.NET member that was not found.</summary>
    public string Member { get; }
}
