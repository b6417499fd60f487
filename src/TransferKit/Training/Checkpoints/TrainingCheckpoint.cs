using System.Text.Json;
using TransferKit.Serialization;
using TransferKit.Tensors;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Optimizers;
using TransferKit.Weights;

namespace TransferKit.Training.Checkpoints;

/// <summary>
/// A run's state after an epoch, in one safetensors file: the network's tensors under <c>model/</c> (torchvision
/// names, their own shapes), the optimizer's buffers under <c>optimizer/</c>, the early-stopping best weights under
/// <c>best/</c>, and a <see cref="CheckpointMetadata"/> JSON in <c>__metadata__</c>. Written atomically (temporary
/// file, then rename), so a crash or a cancellation never leaves a half-written checkpoint. Sealed like a model file: a
/// SHA-256 of the tensors inside the JSON and one of the JSON beside it, so any changed byte fails <see cref="Read"/>.
/// </summary>
public sealed partial class TrainingCheckpoint : IDisposable
{
    private const string MetadataKey = "transferkit.checkpoint";
    private const string ModelPrefix = "model/";
    private const string OptimizerPrefix = "optimizer/";
    private const string BestPrefix = "best/";

    private TrainingCheckpoint(string path, CheckpointMetadata metadata, Dictionary<string, Tensor> model, OptimizerState optimizer, Dictionary<string, float[]>? best)
    {
        FilePath = path;
        Metadata = metadata;
        Model = model;
        Optimizer = optimizer;
        BestWeights = best;
    }

    /// <summary>The file it was read from (for error messages).</summary>
    internal string FilePath { get; }

    /// <summary>Position, configuration and history.</summary>
    public CheckpointMetadata Metadata { get; }

    /// <summary>The network's state dict (parameters and buffers); owned by this checkpoint.</summary>
    public IReadOnlyDictionary<string, Tensor> Model { get; }

    /// <summary>The optimizer's state, keyed by parameter name.</summary>
    public OptimizerState Optimizer { get; }

    /// <summary>The early-stopping best weights (state-dict keys to flat values), or null.</summary>
    public IReadOnlyDictionary<string, float[]>? BestWeights { get; }

    /// <summary>Writes a checkpoint atomically to <paramref name="path"/>.</summary>
    /// <param name="path">The target file; its folder must exist.</param>
    /// <param name="metadata">Position and history (its optimizer counters are taken from <paramref name="optimizer"/>).</param>
    /// <param name="model">The network's state dict.</param>
    /// <param name="optimizer">The optimizer's state.</param>
    /// <param name="bestWeights">The early-stopping snapshot, or null.</param>
    /// <exception cref="NonFiniteParameterException">A model tensor holds NaN or infinity; nothing is written.</exception>
    /// <exception cref="IOException">The file could not be written; any previous file at the path is left as it was.</exception>
    public static void Write(string path, CheckpointMetadata metadata, IReadOnlyDictionary<string, Tensor> model,
        OptimizerState optimizer, IReadOnlyDictionary<string, float[]>? bestWeights)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        foreach (var (key, t) in model)
            if (!AllFinite(t)) throw new NonFiniteParameterException(key, metadata.EpochsCompleted);
        var meta = metadata with
        {
            Version = CheckpointMetadata.CurrentVersion,
            OptimizerStepCount = optimizer.StepCount,
            OptimizerCounters = new Dictionary<string, long>(optimizer.Counters),
            HasBestWeights = bestWeights is not null,
        };
        var owned = new List<Tensor>();
        try
        {
            var tensors = new List<KeyValuePair<string, Tensor>>();
            foreach (var (key, t) in model) tensors.Add(new(ModelPrefix + key, t));
            foreach (var (key, values) in optimizer.Buffers.OrderBy(kv => kv.Key, StringComparer.Ordinal)) tensors.Add(new(OptimizerPrefix + key, Flat(values, owned)));
            if (bestWeights is not null)
                foreach (var (key, values) in bestWeights.OrderBy(kv => kv.Key, StringComparer.Ordinal)) tensors.Add(new(BestPrefix + key, Flat(values, owned)));
            meta = meta with { TensorChecksum = IntegrityChecksum.OfTensors(tensors) };
            SafetensorsWriter.Write(path, tensors, IntegrityChecksum.Seal(MetadataKey, JsonSerializer.Serialize(meta, CheckpointJsonContext.Default.CheckpointMetadata)));
        }
        finally
        {
            foreach (var t in owned) t.Dispose();
        }
    }

    /// <summary>Reads a checkpoint written by <see cref="Write"/>, verifying its checksums and that its weights are finite.</summary>
    /// <exception cref="CheckpointException">
    /// The file is missing, unreadable, not a valid safetensors file, not a TransferKit checkpoint, of a newer version,
    /// corrupted (a checksum does not match), or holds non-finite weights; the message names the file.
    /// </exception>
    public static TrainingCheckpoint Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new CheckpointException(path, "the checkpoint does not exist.");
        SafetensorsFile file;
        try
        {
            file = SafetensorsFile.Open(path);
        }
        catch (SafetensorsFormatException e)
        {
            throw new CheckpointException(path, $"it is not a valid checkpoint: {e.Reason}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, $"it cannot be read: {e.Message}", e);
        }
        using (file)
        {
            var read = ReadMetadata(file);
            var meta = read.Upgraded();
            var all = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            bool keep = false;
            try
            {
                foreach (var info in file.Tensors) all[info.Name] = file.ReadTensor(info.Name).Persist();
                if (read.Version >= 2 && IntegrityChecksum.OfTensors(all) != read.TensorChecksum)
                    throw new CheckpointException(path, "its tensor data does not match the checksum written with it: the file is corrupted.");
                var model = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                var optimizer = new OptimizerState { StepCount = meta.OptimizerStepCount };
                foreach (var (key, value) in meta.OptimizerCounters) optimizer.Counters[key] = value;
                Dictionary<string, float[]>? best = meta.HasBestWeights ? new(StringComparer.Ordinal) : null;
                foreach (var (name, t) in all)
                {
                    if (name.StartsWith(ModelPrefix, StringComparison.Ordinal))
                    {
                        if (!AllFinite(t)) throw new CheckpointException(path, $"its weight '{name[ModelPrefix.Length..]}' holds NaN or infinity: the run had diverged.");
                        model[name[ModelPrefix.Length..]] = t;
                    }
                    else if (name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)) optimizer.Buffers[name[OptimizerPrefix.Length..]] = t.ToArray();
                    else if (best is not null && name.StartsWith(BestPrefix, StringComparison.Ordinal)) best[name[BestPrefix.Length..]] = t.ToArray();
                }
                keep = true;
                foreach (var (name, t) in all) if (!name.StartsWith(ModelPrefix, StringComparison.Ordinal)) t.Dispose();
                return new TrainingCheckpoint(path, meta, model, optimizer, best);
            }
            finally
            {
                if (!keep) foreach (var t in all.Values) t.Dispose();
            }
        }
    }

    private static CheckpointMetadata ReadMetadata(SafetensorsFile file)
    {
        string path = file.Path;
        if (!file.Metadata.TryGetValue(MetadataKey, out string? json))
            throw new CheckpointException(path, "it has no checkpoint metadata (a model or weights file is not a checkpoint).");
        bool? intact = IntegrityChecksum.Verify(file.Metadata, MetadataKey, json);
        if (intact == false)
            throw new CheckpointException(path, "its metadata does not match the checksum written with it: the file is corrupted.");
        var meta = StrictJson.Read(json, CheckpointJsonContext.Default.CheckpointMetadata,
            (reason, inner) => new CheckpointException(path, $"its metadata {reason}.", inner));
        if (meta.Version > CheckpointMetadata.CurrentVersion)
            throw new CheckpointException(path, $"it has format version {meta.Version}; this library reads up to {CheckpointMetadata.CurrentVersion}.");
        if (intact is null && meta.Version >= 2)
            throw new CheckpointException(path, $"its metadata checksum '{MetadataKey}{IntegrityChecksum.SealSuffix}' is missing: the file is corrupted.");
        if (meta.Version < 1 || meta.EpochsCompleted < 0 || meta.StepsPerEpoch < 1 || meta.BatchSize < 1
            || meta.ClassNames.Any(string.IsNullOrEmpty) || meta.OptimizerCounters.Any(kv => kv.Key is null))
            throw new CheckpointException(path, "its metadata holds a value out of range (version, epochs, steps per epoch, batch size or class names).");
        return meta;
    }

    private static bool AllFinite(Tensor t) => !t.ReadOnlySpan.ContainsAnyExceptInRange(float.MinValue, float.MaxValue);

    private static Tensor Flat(float[] values, List<Tensor> owned)
    {
        var t = Tensor.FromSpan(values, new Shape(values.Length)).Persist();
        owned.Add(t);
        return t;
    }

    /// <summary>Releases the model tensors.</summary>
    public void Dispose()
    {
        foreach (var t in Model.Values) t.Dispose();
    }
}
