using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TransferKit.Tensors;
using TransferKit.Training.Optimizers;
using TransferKit.Weights;

namespace TransferKit.Training.Checkpoints;

/// <summary>
/// A run's state after an epoch, in one safetensors file: the network's tensors under <c>model/</c> (torchvision
/// names, their own shapes), the optimizer's buffers under <c>optimizer/</c>, the early-stopping best weights under
/// <c>best/</c>, and a <see cref="CheckpointMetadata"/> JSON in <c>__metadata__</c>. Written atomically (temporary
/// file, then rename), so a crash or a cancellation never leaves a half-written checkpoint.
/// </summary>
public sealed class TrainingCheckpoint : IDisposable
{
    private const string MetadataKey = "transferkit.checkpoint";
    private const string ModelPrefix = "model/";
    private const string OptimizerPrefix = "optimizer/";
    private const string BestPrefix = "best/";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

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

    /// <summary>The file name of the checkpoint after <paramref name="epochsCompleted"/> epochs.</summary>
    public static string FileName(int epochsCompleted) => string.Create(CultureInfo.InvariantCulture, $"checkpoint-epoch{epochsCompleted:D4}.safetensors");

    /// <summary>The checkpoint with the most completed epochs in <paramref name="directory"/>, or null when there is none.</summary>
    public static string? Latest(string directory) => All(directory).LastOrDefault();

    /// <summary>The checkpoint files in <paramref name="directory"/>, oldest first (none when it does not exist).</summary>
    public static IReadOnlyList<string> All(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory)) return [];
        return [.. Directory.GetFiles(directory, FilePattern).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Deletes the checkpoint files in <paramref name="directory"/> (only files named as <see cref="FileName"/> names them).
    /// A run that starts afresh calls it: an earlier run's later epochs would otherwise outrank its own checkpoints, be
    /// kept while its own are pruned, and be what a resume picks up.
    /// </summary>
    public static void DeleteAll(string directory)
    {
        foreach (string file in All(directory)) File.Delete(file);
    }

    private const string FilePattern = "checkpoint-epoch*.safetensors";

    /// <summary>Writes a checkpoint atomically to <paramref name="path"/>.</summary>
    /// <param name="path">The target file; its folder must exist.</param>
    /// <param name="metadata">Position and history (its optimizer counters are taken from <paramref name="optimizer"/>).</param>
    /// <param name="model">The network's state dict.</param>
    /// <param name="optimizer">The optimizer's state.</param>
    /// <param name="bestWeights">The early-stopping snapshot, or null.</param>
    /// <exception cref="IOException">The file could not be written; any previous file at the path is left as it was.</exception>
    public static void Write(string path, CheckpointMetadata metadata, IReadOnlyDictionary<string, Tensor> model,
        OptimizerState optimizer, IReadOnlyDictionary<string, float[]>? bestWeights)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        var meta = metadata with
        {
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
            SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { [MetadataKey] = JsonSerializer.Serialize(meta, Json) });
        }
        finally
        {
            foreach (var t in owned) t.Dispose();
        }
    }

    /// <summary>Reads a checkpoint written by <see cref="Write"/>.</summary>
    /// <exception cref="CheckpointException">The file is missing, not a valid safetensors file, or not a TransferKit checkpoint.</exception>
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
        using (file)
        {
            if (!file.Metadata.TryGetValue(MetadataKey, out string? json))
                throw new CheckpointException(path, "it has no checkpoint metadata (a model or weights file is not a checkpoint).");
            CheckpointMetadata meta;
            try
            {
                meta = JsonSerializer.Deserialize<CheckpointMetadata>(json, Json) ?? throw new JsonException("null");
            }
            catch (JsonException e)
            {
                throw new CheckpointException(path, $"its metadata is malformed: {e.Message}", e);
            }
            if (meta.Version > CheckpointMetadata.CurrentVersion)
                throw new CheckpointException(path, $"it has format version {meta.Version}; this library reads up to {CheckpointMetadata.CurrentVersion}.");
            meta = meta.Upgraded();
            var model = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            var optimizer = new OptimizerState { StepCount = meta.OptimizerStepCount };
            foreach (var (key, value) in meta.OptimizerCounters) optimizer.Counters[key] = value;
            Dictionary<string, float[]>? best = meta.HasBestWeights ? new(StringComparer.Ordinal) : null;
            try
            {
                foreach (var info in file.Tensors)
                {
                    if (info.Name.StartsWith(ModelPrefix, StringComparison.Ordinal)) model[info.Name[ModelPrefix.Length..]] = file.ReadTensor(info.Name).Persist();
                    else if (info.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)) optimizer.Buffers[info.Name[OptimizerPrefix.Length..]] = ReadFlat(file, info.Name);
                    else if (best is not null && info.Name.StartsWith(BestPrefix, StringComparison.Ordinal)) best[info.Name[BestPrefix.Length..]] = ReadFlat(file, info.Name);
                }
            }
            catch
            {
                foreach (var t in model.Values) t.Dispose();
                throw;
            }
            return new TrainingCheckpoint(path, meta, model, optimizer, best);
        }
    }

    private static Tensor Flat(float[] values, List<Tensor> owned)
    {
        var t = Tensor.FromSpan(values, new Shape(values.Length)).Persist();
        owned.Add(t);
        return t;
    }

    private static float[] ReadFlat(SafetensorsFile file, string name)
    {
        using var t = file.ReadTensor(name);
        return t.ToArray();
    }

    /// <summary>Releases the model tensors.</summary>
    public void Dispose()
    {
        foreach (var t in Model.Values) t.Dispose();
    }
}
