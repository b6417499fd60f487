namespace TransferKit.MLNet.Data;

/// <summary>The annotation kinds ML.NET's trainers and evaluators read (their constants are internal to ML.NET).</summary>
internal static class AnnotationNames
{
    public const string KeyValues = "KeyValues";
    public const string SlotNames = "SlotNames";
    public const string ScoreColumnKind = "ScoreColumnKind";
    public const string ScoreValueKind = "ScoreValueKind";
    public const string ScoreColumnSetId = "ScoreColumnSetId";
    public const string MulticlassClassification = "MulticlassClassification";
    public const string Score = "Score";
}
