namespace TransferKit.Data.Datasets;

/// <summary>A dataset cut into disjoint train, validation and test parts (any part may be empty except train).</summary>
/// <param name="Train">Samples to fit on.</param>
/// <param name="Validation">Samples for model selection and early stopping.</param>
/// <param name="Test">Samples held out for the final score.</param>
public sealed record DatasetSplit(DatasetSubset Train, DatasetSubset Validation, DatasetSubset Test);
