using System.Collections.Concurrent;

namespace TransferKit.MLNet.Featurization;

/// <summary>
/// Loaders of feature backbones by kind, used when an ML.NET model file with a featurizer is loaded. TransferKit's
/// own <see cref="ConvNetFeatureBackbone.KindName"/> is registered from the start.
/// </summary>
public static class ImageFeatureBackbones
{
    private static readonly ConcurrentDictionary<string, Func<string, IImageFeatureBackbone>> Loaders = new(StringComparer.Ordinal)
    {
        [ConvNetFeatureBackbone.KindName] = ConvNetFeatureBackbone.Load,
    };

    /// <summary>Registers (or replaces) the loader of backbones of <paramref name="kind"/>; it gets the path a backbone's <c>Save</c> wrote.</summary>
    public static void Register(string kind, Func<string, IImageFeatureBackbone> load)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(load);
        Loaders[kind] = load;
    }

    /// <summary>Loads a backbone saved by a backbone of <paramref name="kind"/>.</summary>
    /// <exception cref="TransferKitException">No loader is registered for <paramref name="kind"/>.</exception>
    internal static IImageFeatureBackbone Load(string kind, string path) =>
        Loaders.TryGetValue(kind, out var load)
            ? load(path)
            : throw new TransferKitException($"The model holds a feature backbone of kind '{kind}', and no loader is registered for it: call ImageFeatureBackbones.Register(\"{kind}\", ...) before mlContext.Model.Load.");
}
