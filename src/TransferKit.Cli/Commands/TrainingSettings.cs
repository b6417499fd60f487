using TransferKit.Api;
using TransferKit.Cli.Parsing;
using TransferKit.Models;
using TransferKit.Training.Caching;

namespace TransferKit.Cli.Commands;

/// <summary>The values of <see cref="TrainingOptionSet"/>, read from one command line.</summary>
internal sealed record TrainingSettings
{
    /// <summary>The freeze depth asked for, or null for the default (backbone with weights, none without).</summary>
    public FreezeSpec? Freeze { get; init; }

    /// <summary>The head.</summary>
    public required HeadSpec Head { get; init; }

    /// <summary>The input size, or null for the architecture's.</summary>
    public int? InputSize { get; init; }

    /// <summary>The baseline CNN's block channels, or null for its default.</summary>
    public IReadOnlyList<int>? BaselineChannels { get; init; }

    /// <summary>The weights' key names: <see cref="KeyMaps.Torchvision"/> or <see cref="KeyMaps.Timm"/>.</summary>
    public required string KeyMap { get; init; }

    /// <summary>Epochs.</summary>
    public int Epochs { get; init; }

    /// <summary>Batch size.</summary>
    public int BatchSize { get; init; }

    /// <summary>Learning rate.</summary>
    public double LearningRate { get; init; }

    /// <summary>Optimizer.</summary>
    public OptimizerKind Optimizer { get; init; }

    /// <summary>Seed of everything random.</summary>
    public int Seed { get; init; }

    /// <summary>Share of the images held out for validation, in [0, 1).</summary>
    public double ValidationFraction { get; init; }

    /// <summary>Share of the images used at all, in (0, 1].</summary>
    public double Fraction { get; init; }

    /// <summary>Whether training augments the images.</summary>
    public bool Augment { get; init; }

    /// <summary>Element type of the activation cache.</summary>
    public CachePrecision CachePrecision { get; init; }

    /// <summary>--precision: the arithmetic of the frozen units.</summary>
    public InferencePrecision FrozenPrecision { get; init; }

    /// <summary>Kernel threads, or null for every core.</summary>
    public int? Threads { get; init; }

    /// <summary>How many blocks the baseline CNN has.</summary>
    public int BaselineBlocks => BaselineChannels?.Count ?? new BaselineCnnOptions().Channels.Count;
}
