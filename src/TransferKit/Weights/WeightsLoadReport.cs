namespace TransferKit.Weights;

/// <summary>What <see cref="WeightsLoader"/> did with a weights file.</summary>
public sealed record WeightsLoadReport
{
    /// <summary>The weights file.</summary>
    public required string FilePath { get; init; }

    /// <summary>Name of the <see cref="KeyMap"/> used.</summary>
    public required string KeyMapName { get; init; }

    /// <summary>Model keys whose values now come from the file, in the model's order.</summary>
    public required IReadOnlyList<string> Loaded { get; init; }

    /// <summary>How many of the loaded keys had another name in the file (renamed by the key map).</summary>
    public required int Renamed { get; init; }

    /// <summary>File keys ignored by design: BatchNorm's <c>num_batches_tracked</c> counters.</summary>
    public required IReadOnlyList<string> Ignored { get; init; }

    /// <summary>The file's head tensors (renamed keys) that were not loaded; empty when the head was loaded.</summary>
    public required IReadOnlyList<string> SkippedHead { get; init; }

    /// <summary>Why the head was skipped (the option, or the differing keys and shapes); null when it was loaded.</summary>
    public string? HeadSkipReason { get; init; }

    /// <summary>Model keys the file lacks, left as they were (non-strict loads only; strict loads throw instead).</summary>
    public required IReadOnlyList<string> Missing { get; init; }

    /// <summary>File keys (renamed) the model lacks, not read (non-strict loads only).</summary>
    public required IReadOnlyList<string> Unexpected { get; init; }

    /// <summary>The element types found among the loaded tensors, each converted to float32.</summary>
    public required IReadOnlyList<SafetensorsDType> SourceDTypes { get; init; }

    /// <summary>True when the head was skipped.</summary>
    public bool HeadSkipped => HeadSkipReason is not null;

    /// <summary>A one-line summary.</summary>
    public override string ToString() =>
        $"{FilePath}: loaded {Loaded.Count} tensors ({Renamed} renamed by '{KeyMapName}'; {string.Join("/", SourceDTypes)}), "
        + $"ignored {Ignored.Count}, skipped head {SkippedHead.Count}, missing {Missing.Count}, unexpected {Unexpected.Count}.";
}
