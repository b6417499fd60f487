using TransferKit.Models;
using TransferKit.Nn;

namespace TransferKit.Weights;

/// <summary>
/// Loads pre-trained weights from a safetensors file or a PyTorch zip checkpoint (<c>.pth</c>/<c>.pt</c>, read by
/// <see cref="PyTorchCheckpoint"/> without running pickle; the format is told by content, not extension) into a
/// <see cref="Module"/>: keys are renamed by a
/// <see cref="KeyMap"/>, matched with the model's parameters and buffers (torchvision names), checked all at once, and
/// only then copied, converting F16, BF16 and F64 to float32. BatchNorm <c>num_batches_tracked</c> counters are
/// ignored. Legacy (pre-1.6) pickle checkpoints are refused (<see cref="PickleWeightsException"/>).
/// </summary>
public static class WeightsLoader
{
    /// <summary>Loads <paramref name="path"/> into <paramref name="model"/>.</summary>
    /// <param name="model">The model; its parameters and buffers are overwritten in place.</param>
    /// <param name="path">A safetensors file (large files are memory-mapped, not read into memory) or a PyTorch zip checkpoint.</param>
    /// <param name="options">Matching options; null for strict loading with no renaming.</param>
    /// <returns>What was loaded, ignored and skipped.</returns>
    /// <exception cref="PickleWeightsException">The file is a legacy (non-zip) pickle checkpoint.</exception>
    /// <exception cref="PyTorchCheckpointException">A zip checkpoint names a global a state_dict does not need, or is malformed.</exception>
    /// <exception cref="SafetensorsFormatException">The file is neither a zip checkpoint nor valid safetensors.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="WeightsMismatchException">
    /// Shapes differ, or (strict mode) keys are missing or unexpected; every problem is listed, with the catalog
    /// architectures the file does fit (<see cref="WeightsMismatchException.FileFits"/>), and the model is unchanged.
    /// </exception>
    /// <exception cref="ArgumentException">An option is invalid, or the head is to be skipped but no head prefix is known.</exception>
    public static WeightsLoadReport Load(Module model, string path, WeightsLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new WeightsLoadOptions();
        options.Validate();
        var keyMap = options.KeyMap ?? KeyMap.Identity;
        string? headPrefix = HeadPrefix(model, options);
        if (options.Head != HeadLoading.Load && headPrefix is null)
            throw new ArgumentException(
                $"WeightsLoadOptions.HeadPrefix is needed for Head = {options.Head} because the model ({model.GetType().Name}) is not a ConvNet.",
                nameof(options));

        using var file = WeightsFiles.Open(path);
        var own = model.StateDict();
        var plan = WeightsLoadPlan.Create(file.Tensors, own, keyMap, options.Head, headPrefix);

        bool keysFail = options.Strict && (plan.Missing.Count > 0 || plan.Unexpected.Count > 0);
        if (plan.ShapeMismatches.Count > 0 || keysFail)
        {
            // Only on failure: identifying may build a candidate network, but it tells the user what the file is for.
            throw new WeightsMismatchException(
                path, keyMap.Name, options.Strict ? plan.Missing : [], options.Strict ? plan.Unexpected : [],
                plan.ShapeMismatches, Hint(plan, file, own, options, headPrefix), ArchitectureIdentifier.Identify(file.Tensors));
        }

        foreach (var match in plan.Matches) file.ReadInto(match.SourceKey, match.Destination);
        return new WeightsLoadReport
        {
            FilePath = path,
            KeyMapName = keyMap.Name,
            Loaded = plan.Matches.Select(m => m.Key).ToList(),
            Renamed = plan.Matches.Count(m => m.Key != m.SourceKey),
            Ignored = plan.Ignored,
            SkippedHead = plan.SkippedHead,
            HeadSkipReason = plan.HeadSkipReason,
            Missing = plan.Missing,
            Unexpected = plan.Unexpected,
            SourceDTypes = plan.Matches.Select(m => m.DType).Distinct().Order().ToList(),
        };
    }

    /// <summary>
    /// Resolves <paramref name="descriptor"/>'s file through <paramref name="cache"/> (downloading and verifying it when
    /// it is a URL) and loads it with the descriptor's key map unless <paramref name="options"/> names another.
    /// </summary>
    /// <exception cref="WeightsDownloadException">The download failed, or the cache is offline and lacks the file.</exception>
    /// <exception cref="WeightsChecksumException">The file's SHA-256 differs from the descriptor's.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>Also throws what <see cref="Load"/> throws.</remarks>
    public static async Task<WeightsLoadReport> LoadAsync(
        Module model, WeightsDescriptor descriptor, WeightsCache cache, WeightsLoadOptions? options = null,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(cache);
        string path = await cache.ResolveAsync(descriptor, progress, cancellationToken).ConfigureAwait(false);
        var effective = new WeightsLoadOptions
        {
            Strict = options?.Strict ?? true,
            KeyMap = options?.KeyMap ?? descriptor.KeyMap,
            Head = options?.Head ?? HeadLoading.Load,
            HeadPrefix = options?.HeadPrefix,
        };
        return Load(model, path, effective);
    }

    private static string? HeadPrefix(Module model, WeightsLoadOptions options)
    {
        string? prefix = options.HeadPrefix ?? (model as ConvNet)?.HeadName;
        if (prefix is null) return null;
        return prefix.EndsWith('.') ? prefix : prefix + ".";
    }

    /// <summary>A sentence that points at the likely fix, when the problems have a recognisable pattern.</summary>
    private static string? Hint(
        WeightsLoadPlan plan, ITensorFile file, IReadOnlyDictionary<string, Tensors.Tensor> own,
        WeightsLoadOptions options, string? headPrefix)
    {
        if (plan.Matches.Count == 0 && plan.ShapeMismatches.Count == 0 && file.Tensors.Count > 0 && own.Count > 0)
        {
            string fileKeys = string.Join(", ", file.Tensors.Take(3).Select(t => $"'{t.Name}'"));
            string modelKeys = string.Join(", ", own.Keys.Take(3).Select(k => $"'{k}'"));
            return $"No key matched: the file starts with {fileKeys}, the model with {modelKeys}. Weights named by another "
                + "library need a KeyMap (WeightsLoadOptions.KeyMap, e.g. TimmKeyMaps.EfficientNetB0).";
        }
        if (options.Head == HeadLoading.Load && headPrefix is not null)
        {
            bool InHead(string key) => key.StartsWith(headPrefix, StringComparison.Ordinal);
            bool onlyHead = plan.ShapeMismatches.All(m => InHead(m.Key))
                && (!options.Strict || (plan.Missing.All(InHead) && plan.Unexpected.All(InHead)));
            if (onlyHead)
                return $"Only the head '{headPrefix}' differs (another class count?): set WeightsLoadOptions.Head to "
                    + $"{nameof(HeadLoading.SkipWhenShapesDiffer)} to keep the model's own head.";
        }
        return null;
    }
}
