using Microsoft.ML.OnnxRuntime;

namespace TransferKit.Benchmarks.Peer;

/// <summary>
/// One exported ONNX file in ONNX Runtime with the peer's settings: the given intra-op threads, sequential execution,
/// every graph optimisation (which fuses BatchNorm into the convolutions).
/// </summary>
internal sealed class OrtSession : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();

    /// <exception cref="FileNotFoundException">The file is missing; the message says which script writes it.</exception>
    /// <param name="profilePrefix">Where given, ONNX Runtime records every node's time into a JSON file whose name starts
    /// with it (<see cref="EndProfiling"/> returns its path).</param>
    public OrtSession(string path, int threads, string? profilePrefix = null)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: run /usr/bin/python3 benchmarks/peer/export_torchvision.py {Path.GetDirectoryName(path)} NAME", path);
        _options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (profilePrefix is not null)
        {
            // The prefix first: enabling profiling hands ONNX Runtime the prefix set at that moment.
            _options.ProfileOutputPathPrefix = profilePrefix;
            _options.EnableProfiling = true;
        }

        _session = new InferenceSession(path, _options);
    }

    /// <summary>Runs the graph on an [N, 3, size, size] batch held in <paramref name="input"/> and returns its output "output".</summary>
    public float[] Run(float[] input, int batch, int size)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(input, [batch, 3, size, size]);
        return Run(value);
    }

    /// <summary>Runs the graph on a tensor made once by the caller (the timed loops keep it out of the timing).</summary>
    public float[] Run(OrtValue input)
    {
        using var outputs = _session.Run(_run, ["input"], [input], ["output"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Stops recording node times and returns the path of the JSON file (Chrome trace events).</summary>
    public string EndProfiling() => _session.EndProfiling();

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
        _run.Dispose();
    }
}
