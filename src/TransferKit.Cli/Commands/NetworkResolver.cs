using TransferKit.Cli.Parsing;
using TransferKit.Models.Onnx;
using TransferKit.Weights;

namespace TransferKit.Cli.Commands;

/// <summary>
/// Turns <c>--arch</c> and <c>--weights</c> into the network and the weights file: a catalog architecture (or the baseline)
/// with optional weights, or an ONNX model that is the backbone with its own weights, given as a file (told by content)
/// or by a named entry such as <c>mlnet-resnet18</c> (found in the NuGet global packages folder). With an ONNX model,
/// <c>--arch</c> may be left out, and giving another one is a usage error.
/// </summary>
internal static class NetworkResolver
{
    /// <summary>The network and the local weights file (null to train from scratch).</summary>
    /// <param name="arch">The <c>--arch</c> value, or null when left out.</param>
    /// <param name="weights">The <c>--weights</c> value, or null.</param>
    /// <param name="sha256">The <c>--weights-sha256</c> value, or null.</param>
    /// <param name="context">Where notes go.</param>
    /// <param name="cancellationToken">Stops a download.</param>
    /// <exception cref="UsageException">
    /// <c>--arch</c> is missing and the weights are not an ONNX model, or it names a network beside an ONNX model.
    /// </exception>
    /// <exception cref="WeightsPackageNotFoundException">A named entry's NuGet package is not restored on this machine.</exception>
    public static async Task<(ArchitectureChoice Architecture, string? WeightsPath)> ResolveAsync(
        ArchitectureChoice? arch, WeightsChoice? weights, string? sha256, CliContext context, CancellationToken cancellationToken)
    {
        if (weights?.Named is { } named)
        {
            RequireNoArch(arch, $"--weights {named.Name}");
            string packageFile = named.ResolvePath();
            context.Note($"weights: {named.Name}, {packageFile} (NuGet package {named.PackageId} {named.PackageVersion})");
            return (Import(named.Name, packageFile, named.Options), packageFile);
        }
        string? path = weights is null ? null : await WeightsResolver.ResolveAsync(weights, sha256, context, cancellationToken).ConfigureAwait(false);
        if (path is not null && WeightsFiles.Detect(path) == WeightsFileFormat.Onnx)
        {
            RequireNoArch(arch, $"--weights {weights}");
            var entry = PretrainedBackbones.ForFile(path);
            return (Import(entry?.Name ?? Path.GetFileNameWithoutExtension(path), path, entry?.Options ?? new OnnxBackboneOptions()), path);
        }
        if (arch is null)
        {
            throw new UsageException("--arch is required unless --weights is an ONNX model (.onnx) or a named backbone ("
                + string.Join(", ", PretrainedBackbones.All.Select(b => b.Name)) + ").");
        }
        return (arch, path);
    }

    private static ArchitectureChoice Import(string name, string path, OnnxBackboneOptions options) =>
        new(name, OnnxBackbone.Load(path, options with { Name = options.Name ?? name }), path);

    private static void RequireNoArch(ArchitectureChoice? arch, string weights)
    {
        if (arch is not null)
            throw new UsageException($"{weights} is an ONNX model that brings its own architecture; leave out --arch {arch.Name}.");
    }
}
